import type { BindRow, RunRequest } from '../backend/tui-backend.js';

/** A screen of the app; the app keeps a stack of them, the binds screen at the bottom. */
export type Screen =
  | { readonly name: 'binds' }
  | { readonly name: 'review'; readonly binds: readonly string[] }
  | { readonly name: 'revision'; readonly bind: string; readonly revision: string; readonly direction: 'up' | 'down' }
  | { readonly name: 'downgrade'; readonly bind: string }
  | { readonly name: 'confirm'; readonly bind: string; readonly target: string }
  | { readonly name: 'run'; readonly request: RunRequest; readonly id: number }
  /** An error to read (a config that no longer loads on `r`), over the screen it happened on. */
  | { readonly name: 'message'; readonly title: string; readonly message: string; readonly hint?: string };

/** The app's state: where the user is, and what the binds screen shows. */
export interface AppState {
  /** Screens from the binds screen (first) to the one shown (last). */
  readonly stack: readonly Screen[];
  /** Whether the `?` help covers the screen. */
  readonly help: boolean;
  /** The binds screen's rows, in config order. */
  readonly rows: readonly BindRow[];
  /** Bumped to read the config and every bind again. */
  readonly reloads: number;
  /** Runs started in this session. */
  readonly runs: number;
  /** Whether the last run ended without a failure (`undefined`: no run yet). */
  readonly lastRunOk: boolean | undefined;
  /** Whether the last run was stopped by ctrl+c before every bind reached its target. */
  readonly lastRunInterrupted: boolean;
  /** The run on screen was asked to stop after its revisions in progress (the first ctrl+c). */
  readonly stopping: boolean;
  /** Summary lines of the finished runs, printed when the TUI closes. */
  readonly summaries: readonly string[];
  /** Set when the user leaves the binds screen: the app exits. */
  readonly quit: boolean;
}

/** What changes the {@link AppState}. */
export type AppAction =
  | { readonly type: 'push'; readonly screen: Screen }
  /** `q`/Esc: one screen back; on the binds screen, quit. */
  | { readonly type: 'back' }
  /** Back to the binds screen, reading the config and every bind again. */
  | { readonly type: 'home' }
  | { readonly type: 'help'; readonly open: boolean }
  | { readonly type: 'rows'; readonly rows: readonly BindRow[] }
  | { readonly type: 'row'; readonly row: BindRow }
  | { readonly type: 'reload' }
  /** Starts a run: the run screen replaces the review or confirmation. */
  | { readonly type: 'run'; readonly request: RunRequest }
  /** The first ctrl+c during a run: it stops after the revisions in progress. */
  | { readonly type: 'stopping' }
  | { readonly type: 'run-finished'; readonly ok: boolean; readonly interrupted?: boolean; readonly summary: string }
  /** The second ctrl+c during a run: it is abandoned (its statements in progress cancelled), and the app exits. */
  | { readonly type: 'abandoned'; readonly summary: string };

/**
 * The state on start: the binds screen, every row as given (usually `loading`).
 * @param rows - the binds' rows ({@link TuiBackend.listBinds}).
 * @example
 * ```ts
 * const state = initialAppState(backend.listBinds());
 * currentScreen(state).name; // 'binds'
 * ```
 */
export function initialAppState(rows: readonly BindRow[]): AppState {
  return { stack: [{ name: 'binds' }], help: false, rows, reloads: 0, runs: 0, lastRunOk: undefined, lastRunInterrupted: false, stopping: false, summaries: [], quit: false };
}

/**
 * The screen shown: the top of the stack.
 * @example
 * ```ts
 * currentScreen(initialAppState([])); // { name: 'binds' }
 * ```
 */
export function currentScreen(state: AppState): Screen {
  return state.stack[state.stack.length - 1]!;
}

/**
 * The app's reducer (plain function): navigation, bind rows, runs.
 * @example
 * ```ts
 * let s = initialAppState(backend.listBinds());
 * s = appReducer(s, { type: 'push', screen: { name: 'review', binds: ['db2'] } });
 * s = appReducer(s, { type: 'run', request: { direction: 'up', targets: ['db2@head'] } });
 * s.stack.map((x) => x.name); // ['binds', 'run']
 * ```
 */
export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'push':
      return { ...state, stack: [...state.stack, action.screen], help: false };
    case 'back':
      if (state.stack.length <= 1) return { ...state, quit: true };
      return { ...state, stack: state.stack.slice(0, -1) };
    case 'home':
      return { ...state, stack: state.stack.slice(0, 1), reloads: state.reloads + 1 };
    case 'help':
      return { ...state, help: action.open };
    case 'rows':
      return { ...state, rows: action.rows };
    case 'row':
      return { ...state, rows: state.rows.map((r) => (r.name === action.row.name ? action.row : r)) };
    case 'reload':
      return { ...state, reloads: state.reloads + 1 };
    case 'run': {
      const runs = state.runs + 1;
      return { ...state, runs, stack: [state.stack[0]!, { name: 'run', request: action.request, id: runs }], help: false, stopping: false };
    }
    case 'stopping':
      return { ...state, stopping: true };
    case 'run-finished':
      return { ...state, lastRunOk: action.ok, lastRunInterrupted: action.interrupted ?? false, stopping: false, summaries: [...state.summaries, action.summary] };
    case 'abandoned':
      return { ...state, lastRunInterrupted: true, summaries: [...state.summaries, action.summary] };
  }
}

/**
 * The exit code when the user quits: 0; 1 when the last run had a failure; 130 when ctrl+c
 * stopped it (and nothing failed), as `migrate upgrade` exits.
 * @example
 * ```ts
 * exitCode({ ...initialAppState(backend.listBinds()), lastRunOk: false }); // 1
 * ```
 */
export function exitCode(state: AppState): number {
  if (state.lastRunOk === false) return 1;
  return state.lastRunInterrupted ? 130 : 0;
}
