/**
 * The Ink screens of `@multidb/tui` and their key-handling hooks, for custom tooling that
 * composes its own app. Importing this module loads Ink (and so decides colours: call
 * `applyNoColor()` from the main entry first). `runTui` is the usual way in.
 */
export { App, type AppProps } from './app.js';
export { BindsScreen, bindColumns, type BindsScreenProps } from './binds-screen.js';
export { ReviewScreen, type ReviewScreenProps } from './review-screen.js';
export { RevisionScreen, type RevisionScreenProps } from './revision-screen.js';
export { DowngradeScreen, type DowngradeScreenProps } from './downgrade-screen.js';
export { ConfirmScreen, type ConfirmScreenProps } from './confirm-screen.js';
export { RunScreen, progressLines, type RunScreenProps } from './run-screen.js';
export { HelpScreen, type HelpScreenProps } from './help-screen.js';
export { MessageScreen, type MessageScreenProps } from './message-screen.js';
export { Frame, bodyHeight, type FrameProps } from './frame.js';
export { useBinds, type UseBindsProps } from './use-binds.js';
export { useReview, type UseReviewProps } from './use-review.js';
export { useRevision, type UseRevisionProps } from './use-revision.js';
export { useDowngrade, type UseDowngradeProps } from './use-downgrade.js';
export { useConfirm, type UseConfirmProps } from './use-confirm.js';
export { useRun, type UseRunProps } from './use-run.js';
export { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
export { useAsync, type AsyncState } from './use-async.js';
export { keys } from './keys.js';
export { InputRouter, KeyRouter, KeyRouterContext, forEachKey, type KeyHandler } from './input-router.js';
export { useScreenInput } from './use-screen-input.js';
