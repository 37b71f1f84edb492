/**
 * The Ink screens of `@multidb/tui` and their key-handling hooks, for custom tooling that
 * composes its own app. Importing this module loads Ink (and so decides colours: call
 * `applyNoColor()` from the main entry first). `runTui` is the usual way in.
 */
export { App, type AppProps } from './app/app.js';
export { BindsScreen, bindColumns, type BindColumns, type BindsScreenProps } from './screens/binds/binds-screen.js';
export { ReviewScreen, reviewTitle, type ReviewScreenProps } from './screens/review/review-screen.js';
export { RevisionScreen, type RevisionScreenProps } from './screens/revision/revision-screen.js';
export { DowngradeScreen, type DowngradeScreenProps } from './screens/downgrade/downgrade-screen.js';
export { ConfirmScreen, type ConfirmScreenProps } from './screens/confirm/confirm-screen.js';
export { RunScreen, progressLines, overviewLines, summaryLines, type Line, type OverviewLayout, type RunScreenProps } from './screens/run/run-screen.js';
export { HelpScreen, type HelpScreenProps } from './screens/help/help-screen.js';
export { MessageScreen, type MessageScreenProps } from './screens/message/message-screen.js';
export { Frame, bodyHeight, type FrameProps } from './shared/frame.js';
export { useBinds, type UseBindsProps } from './screens/binds/use-binds.js';
export { useReview, type UseReviewProps } from './screens/review/use-review.js';
export { useRevision, type UseRevisionProps } from './screens/revision/use-revision.js';
export { useDowngrade, type UseDowngradeProps } from './screens/downgrade/use-downgrade.js';
export { useConfirm, type UseConfirmProps } from './screens/confirm/use-confirm.js';
export { useRun, type RunScroll, type UseRunProps } from './screens/run/use-run.js';
export { useHelp, type UseHelpProps } from './screens/help/use-help.js';
export { useMessage, type UseMessageProps } from './screens/message/use-message.js';
export { useTerminalSize, type TerminalSize } from './shared/use-terminal-size.js';
export { useAsync, type AsyncState } from './shared/use-async.js';
export { keys } from './shared/keys.js';
export { InputRouter, KeyRouter, KeyRouterContext, forEachKey, type KeyHandler } from './shared/input-router.js';
export { useScreenInput } from './shared/use-screen-input.js';
