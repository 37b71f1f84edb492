import { useEffect, useReducer } from 'react';
import type { RunFailure, RunMessage } from '../../run/run-message.js';
import type { RunSession } from '../../backend/tui-backend.js';

/**
 * Where one bind of a run is:
 * `starting` (connecting, taking its lock) · `waiting-lock` (another run holds it) · `ready`
 * (locked, waiting for its turn) · `running` (a revision is running) · `done` · `nothing-to-do`
 * (already at its target) · `failed` (its error is known) · `stopped` (not run: its part of the
 * run stopped because another bind failed).
 */
export type BindPhase = 'starting' | 'waiting-lock' | 'ready' | 'running' | 'done' | 'nothing-to-do' | 'failed' | 'stopped';

/** The progress of one bind. Times are milliseconds of the clock the actions carry. */
export interface BindProgress {
  /** The bind's name. */
  readonly bind: string;
  /** Index of the part of the run (see {@link RunSession.groups}) the bind belongs to. */
  readonly group: number;
  /** Where the bind is (see {@link BindPhase}). */
  readonly phase: BindPhase;
  /** Steps of the bind (known once its plan arrives). */
  readonly total: number | undefined;
  /** Steps finished. */
  readonly completed: number;
  /** The step running or last started: 1-based index, revision and message. */
  readonly index: number;
  /** The revision of the step running or last started. */
  readonly revision: string | undefined;
  /** That revision's message. */
  readonly message: string | undefined;
  /** When that step started. */
  readonly stepStartedAt: number | undefined;
  /** When the bind's first step started (`undefined` until then). */
  readonly startedAt: number | undefined;
  /** When the bind reached an end state. */
  readonly finishedAt: number | undefined;
  /** Since when it waits for its migration lock (`waiting-lock` only). */
  readonly waitingSince: number | undefined;
  /** Version-table rows after the bind finished (or the rows it stays at after a failure). */
  readonly heads: readonly string[] | undefined;
  /** Rows before its first step (where a failed bind stays). */
  readonly from: readonly string[] | undefined;
  /** The error of a `failed` bind. */
  readonly error: RunFailure | undefined;
  /** For `stopped`: the bind whose failure stopped it, when known. */
  readonly stoppedBy: string | undefined;
}

/** A whole run as the run screen shows it. */
export interface RunState {
  /** `'up'` (an upgrade) or `'down'` (a downgrade). */
  readonly direction: 'up' | 'down';
  /**
   * Every bind of every part, in the session's order (binds a plan pulls in are added as they
   * appear).
   */
  readonly binds: readonly BindProgress[];
  /** Per part: whether it has ended. */
  readonly groupsDone: readonly boolean[];
  /** When the run started. */
  readonly startedAt: number;
  /** The clock of the last action (drives elapsed times). */
  readonly now: number;
  /** Set when every part has ended. */
  readonly finishedAt: number | undefined;
  /** The last lines the revisions printed. */
  readonly output: readonly string[];
}

/** What changes a {@link RunState}: a message of a part, or the clock. */
export type RunAction =
  | { readonly type: 'message'; readonly group: number; readonly message: RunMessage; readonly now: number }
  | { readonly type: 'tick'; readonly now: number };

const OUTPUT_LINES = 50;

function blank(bind: string, group: number): BindProgress {
  return {
    bind,
    group,
    phase: 'starting',
    total: undefined,
    completed: 0,
    index: 0,
    revision: undefined,
    message: undefined,
    stepStartedAt: undefined,
    startedAt: undefined,
    finishedAt: undefined,
    waitingSince: undefined,
    heads: undefined,
    from: undefined,
    error: undefined,
    stoppedBy: undefined,
  };
}

/**
 * The state of a run that has just started: every bind of every part `starting`.
 * @param direction - `'up'` or `'down'`.
 * @param groups - the parts' binds, in the session's order.
 * @param now - the clock, in milliseconds.
 * @example
 * ```ts
 * initialRunState('up', [{ binds: ['default'] }, { binds: ['db2'] }], Date.now()).binds.map((b) => b.phase); // ['starting', 'starting']
 * ```
 */
export function initialRunState(direction: 'up' | 'down', groups: readonly { readonly binds: readonly string[] }[], now: number): RunState {
  return {
    direction,
    binds: groups.flatMap((g, i) => g.binds.map((b) => blank(b, i))),
    groupsDone: groups.map(() => false),
    startedAt: now,
    now,
    finishedAt: undefined,
    output: [],
  };
}

/**
 * Whether a bind has reached an end state: `done`, `nothing-to-do`, `failed` or `stopped`.
 * @example
 * ```ts
 * isSettled('running'); // false
 * isSettled('stopped'); // true
 * ```
 */
export function isSettled(phase: BindPhase): boolean {
  return phase === 'done' || phase === 'nothing-to-do' || phase === 'failed' || phase === 'stopped';
}

function update(state: RunState, bind: string, group: number, change: (b: BindProgress) => BindProgress): RunState {
  const found = state.binds.some((b) => b.bind === bind);
  const binds = found ? state.binds : [...state.binds, blank(bind, group)];
  return { ...state, binds: binds.map((b) => (b.bind === bind ? change(b) : b)) };
}

function inGroup(state: RunState, group: number, change: (b: BindProgress) => BindProgress): RunState {
  return { ...state, binds: state.binds.map((b) => (b.group === group ? change(b) : b)) };
}

function endGroup(state: RunState, group: number, now: number): RunState {
  const groupsDone = state.groupsDone.map((d, i) => d || i === group);
  return { ...state, groupsDone, finishedAt: groupsDone.every(Boolean) ? now : state.finishedAt };
}

function onMessage(state: RunState, group: number, message: RunMessage, now: number): RunState {
  switch (message.type) {
    case 'output':
      return { ...state, output: [...state.output, message.text].slice(-OUTPUT_LINES) };
    case 'finished': {
      const settled = inGroup(state, group, (b) => (isSettled(b.phase) ? b : { ...b, phase: b.completed > 0 ? 'done' : 'nothing-to-do', finishedAt: now }));
      return endGroup(settled, group, now);
    }
    case 'failed': {
      const error = message.error;
      const culprit = error.bind !== undefined && state.binds.some((b) => b.bind === error.bind && b.group === group) ? error.bind : undefined;
      const settled = inGroup(state, group, (b) => {
        if (isSettled(b.phase)) return b;
        // The bind the error names, or every bind when it names none (validation, config).
        if (culprit === undefined || b.bind === culprit) return { ...b, phase: 'failed', error, finishedAt: now };
        return { ...b, phase: 'stopped', stoppedBy: culprit, finishedAt: now };
      });
      // A MigrationError arrives twice (step-failed, then the run's rejection): its bind is settled already.
      return endGroup(settled, group, now);
    }
    case 'event':
      break;
  }
  const event = message.event;
  switch (event.type) {
    case 'plan': {
      const totals = new Map<string, number>();
      for (const s of event.steps) totals.set(s.bind, (totals.get(s.bind) ?? 0) + 1);
      let next = state;
      for (const [bind, total] of totals) next = update(next, bind, group, (b) => ({ ...b, total, phase: b.phase === 'starting' ? 'ready' : b.phase, from: event.steps.find((s) => s.bind === bind)?.from }));
      return inGroup(next, group, (b) => (totals.has(b.bind) || isSettled(b.phase) ? b : { ...b, total: 0, phase: 'nothing-to-do', finishedAt: now }));
    }
    case 'lock-wait':
      return update(state, event.bind, group, (b) => ({ ...b, phase: 'waiting-lock', waitingSince: now }));
    case 'lock-acquired':
      return update(state, event.bind, group, (b) => (b.phase === 'waiting-lock' || b.phase === 'starting' ? { ...b, phase: 'ready', waitingSince: undefined } : b));
    case 'step-start':
      return update(state, event.bind, group, (b) => ({
        ...b,
        phase: 'running',
        index: event.index,
        total: event.total,
        revision: event.revision,
        message: event.message,
        stepStartedAt: now,
        startedAt: b.startedAt ?? now,
      }));
    case 'step-done':
      return update(state, event.bind, group, (b) => ({ ...b, completed: event.index, phase: event.index < event.total ? 'ready' : b.phase }));
    case 'step-failed':
      return update(state, event.bind, group, (b) => ({ ...b, phase: 'failed', error: event.error, heads: event.from, finishedAt: now }));
    case 'bind-done':
      return update(state, event.bind, group, (b) => (event.ok ? { ...b, phase: 'done', heads: event.heads, finishedAt: now } : { ...b, heads: event.heads }));
    case 'stamp':
    case 'run-done':
      return state;
  }
}

/**
 * The run screen's reducer (plain function): folds each part's messages and the clock into the
 * progress of every bind.
 * @example
 * ```ts
 * let s = initialRunState('up', [{ binds: ['db2'] }], 0);
 * s = runReducer(s, { type: 'message', group: 0, message: { type: 'finished' }, now: 5 });
 * s.binds[0]?.phase; // 'nothing-to-do'
 * ```
 */
export function runReducer(state: RunState, action: RunAction): RunState {
  const next = action.type === 'tick' ? state : onMessage(state, action.group, action.message, action.now);
  return { ...next, now: action.now };
}

/** Totals of a finished (or running) run, for its summary line. */
export interface RunSummary {
  /** Binds that ran to their target. */
  readonly done: readonly string[];
  /** Binds that failed. */
  readonly failed: readonly string[];
  /** Binds not run because another bind of their part failed. */
  readonly stopped: readonly string[];
  /** Binds that were already at their target. */
  readonly unchanged: readonly string[];
  /**
   * Revisions that ran to completion on the binds in {@link done} (a failed bind's completed
   * revisions are not counted here: the summary names where it stays).
   */
  readonly revisions: number;
  /** Time from the run's start to its end (or to now while it runs), in milliseconds. */
  readonly elapsedMs: number;
}

/**
 * Sums up a run by bind phase.
 * @example
 * ```ts
 * summarizeRun(initialRunState('up', [{ binds: ['db2'] }], 0)).failed; // [] until db2 fails
 * ```
 */
export function summarizeRun(state: RunState): RunSummary {
  const named = (phase: BindPhase) => state.binds.filter((b) => b.phase === phase).map((b) => b.bind);
  return {
    done: named('done'),
    failed: named('failed'),
    stopped: named('stopped'),
    unchanged: named('nothing-to-do'),
    revisions: state.binds.reduce((n, b) => (b.phase === 'done' ? n + b.completed : n), 0),
    elapsedMs: (state.finishedAt ?? state.now) - state.startedAt,
  };
}

/**
 * React state of a run: subscribes to the session and ticks the clock while it runs (the
 * subscription replays messages sent before it).
 * @param session - the running session ({@link TuiBackend.startRun}).
 * @param clock - milliseconds now (default `Date.now`).
 * @param tickMs - how often the clock ticks while the run goes on, in milliseconds (default 200).
 * @returns the run's state, updated on each message and tick.
 * @example
 * ```ts
 * const session = await backend.startRun({ direction: 'up', targets: ['db2@head'] });
 * const state = useRunState(session);
 * summarizeRun(state).done; // binds that reached their target
 * ```
 */
export function useRunState(session: RunSession, clock: () => number = Date.now, tickMs = 200): RunState {
  const [state, dispatch] = useReducer(runReducer, undefined, () => initialRunState(session.direction, session.groups, clock()));
  useEffect(() => session.subscribe((group, message) => dispatch({ type: 'message', group, message, now: clock() })), [session, clock]);
  const running = state.finishedAt === undefined;
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => dispatch({ type: 'tick', now: clock() }), tickMs);
    return () => clearInterval(timer);
  }, [running, clock, tickMs]);
  return state;
}
