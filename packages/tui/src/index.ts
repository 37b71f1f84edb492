/**
 * `@multidb/tui`: the Ink terminal UI of multidb (`migrate tui`) over core's public API.
 *
 * This entry point does not load Ink, so importing it decides no colours: {@link runTui} applies
 * `NO_COLOR` and then imports Ink. The screens (React components) are in `./screens.js`.
 * Besides `runTui`, it exports the pieces custom tooling can reuse without React: the backend
 * over a project, run drivers (worker threads), the SQL preview, and the screens' reducers.
 *
 * The source is laid out as Ink UI lays out its components: `screens/<name>/` holds a screen's
 * state reducer (`use-<name>-state.ts`), key handling (`use-<name>.ts`) and view
 * (`<name>-screen.tsx`); `app/` the app that stacks them and starts the terminal; `run/` the
 * run drivers, the worker and the run's messages; `shared/` the frame, key routing, list and
 * scroll state and the text helpers (widths in terminal cells).
 */
export { runTui, NOT_A_TTY_MESSAGE, type RunTuiOptions } from './app/run-tui.js';
export { applyNoColor } from './app/no-color.js';
export { EnvironmentBackend, defaultModuleAlias, type EnvironmentBackendOptions } from './backend/environment-backend.js';
export type * from './backend/tui-backend.js';
export { executeRun, type RunJob } from './run/execute-run.js';
export { defaultRunDriver, inProcessRunDriver, workerRunDriver, type RunDriver, type RunningJob } from './run/run-driver.js';
export { startRunSession } from './run/run-session.js';
export { independentGroups, packGroups, type LinkedTarget } from './run/run-groups.js';
export { toRunFailure, toTuiEvent, type RetryByHand, type RunFailure, type RunMessage, type StoppedPart, type TuiRunEvent } from './run/run-message.js';
export { previewLines, type PreviewLine, type PreviewLinesOptions } from './screens/revision/preview-lines.js';
export { statusLabel, statusDetail, type StatusColor } from './screens/binds/bind-status.js';
export { describeRun, describeRunParts, type DescribeRunOptions, type RunDescription } from './screens/run/run-summary.js';
export * from './shared/format.js';
export { SCREEN_KEYS, type KeyHelp, type ScreenName } from './shared/keys.js';
export { bindsReducer, bindsToReview, initialBindsState, shownBinds, useBindsState, type BindsAction, type BindsState } from './screens/binds/use-binds-state.js';
export { reviewReducer, reviewItems, groupReviewBinds, isFocusable, initialReviewState, useReviewState, type ReviewAction, type ReviewItem, type ReviewMode, type ReviewState } from './screens/review/use-review-state.js';
export { runReducer, initialRunState, summarizeRun, isSettled, useRunState, type BindPhase, type BindProgress, type RunAction, type RunState, type RunSummary, type TimedMessage } from './screens/run/use-run-state.js';
export { runOverview, progressCategory, type BranchProgress, type CategoryCounts, type ProgressCategory, type RunOverview } from './screens/run/run-overview.js';
export { scrollReducer, useScrollState, type ScrollAction, type ScrollState } from './shared/use-scroll-state.js';
export { listReducer, windowStart, useListState, type ListAction, type ListState } from './shared/use-list-state.js';
export { appReducer, initialAppState, currentScreen, exitCode, type AppAction, type AppState, type Screen } from './app/use-app-state.js';
export { useLatestReducer } from './shared/use-latest-reducer.js';
