/**
 * `@multidb/tui`: the Ink terminal UI of multidb (`migrate tui`) over core's public API.
 *
 * This entry point does not load Ink, so importing it decides no colours: {@link runTui} applies
 * `NO_COLOR` and then imports Ink. The screens (React components) are in `./screens.js`.
 * Besides `runTui`, it exports the pieces custom tooling can reuse without React: the backend
 * over a project, run drivers (worker threads), the SQL preview, and the screens' reducers.
 */
export { runTui, NOT_A_TTY_MESSAGE, type RunTuiOptions } from './run-tui.js';
export { applyNoColor } from './no-color.js';
export { EnvironmentBackend, defaultModuleAlias, type EnvironmentBackendOptions } from './environment-backend.js';
export type * from './tui-backend.js';
export { executeRun, type RunJob } from './execute-run.js';
export { defaultRunDriver, inProcessRunDriver, workerRunDriver, RUN_WORKER_URL, type RunDriver, type RunningJob } from './run-driver.js';
export { startRunSession } from './run-session.js';
export { independentGroups, type LinkedTarget } from './run-groups.js';
export { toRunFailure, toTuiEvent, type RunFailure, type RunMessage, type TuiRunEvent } from './run-message.js';
export { previewLines, type PreviewLine } from './preview-lines.js';
export { statusLabel, statusDetail, type StatusColor } from './bind-status.js';
export { describeRun } from './run-summary.js';
export * from './format.js';
export { SCREEN_KEYS, type KeyHelp, type ScreenName } from './keys.js';
export { bindsReducer, bindsToReview, initialBindsState, useBindsState, type BindsAction, type BindsState } from './use-binds-state.js';
export { reviewReducer, reviewItems, isFocusable, initialReviewState, useReviewState, type ReviewAction, type ReviewItem, type ReviewMode, type ReviewState } from './use-review-state.js';
export { runReducer, initialRunState, summarizeRun, isSettled, useRunState, type BindPhase, type BindProgress, type RunAction, type RunState, type RunSummary } from './use-run-state.js';
export { scrollReducer, useScrollState, type ScrollAction, type ScrollState } from './use-scroll-state.js';
export { listReducer, windowStart, useListState, type ListAction, type ListState } from './use-list-state.js';
export { appReducer, initialAppState, currentScreen, exitCode, type AppAction, type AppState, type Screen } from './use-app-state.js';
export { useLatestReducer } from './use-latest-reducer.js';
