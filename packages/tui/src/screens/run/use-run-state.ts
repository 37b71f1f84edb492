import { useEffect, useReducer } from 'react';
import type { StepInfo } from '@multidb/core';
import type { RetryByHand, RunFailure, RunMessage } from '../../run/run-message.js';
import type { RunSession } from '../../backend/tui-backend.js';

/**
 * Where one bind of a run is:
 * `starting` (connecting, taking its lock) · `waiting-lock` (another run holds it) · `ready`
 * (locked, waiting for its turn) · `running` (a revision is running) · `done` · `nothing-to-do`
 * (already at its target) · `failed` (its error is known) · `stopped` (not run: its part of the
 * run stopped because another bind failed) · `interrupted` (the run was asked to stop, ctrl+c,
 * before the bind reached its target: it stands at `heads`, a revision its version table
 * records; nothing failed).
 */
export type BindPhase = 'starting' | 'waiting-lock' | 'ready' | 'running' | 'done' | 'nothing-to-do' | 'failed' | 'stopped' | 'interrupted';

/** The progress of one bind. Times are milliseconds of the clock the actions carry. */
export interface BindProgress {
  /** The bind's name. */
  readonly bind: string;
  /** The bind's version branch (the session's {@link RunSession.branches}; default its name). */
  readonly branch: string;
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
  /** For `interrupted`: whether the bind had started (`'stopped'`: locked and read) or not (`'not-started'`: nothing read). */
  readonly interrupted: 'stopped' | 'not-started' | undefined;
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
  /** Where each bind is in {@link binds}: an event finds its bind without a scan. */
  readonly index: ReadonlyMap<string, number>;
  /** Each bind's branch as the session named it (a bind not named is its own branch). */
  readonly branches: Readonly<Record<string, string>>;
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
  /**
   * The codegen after a part that completed failed (`codegen: 'after-run'`; autogenerate's
   * `CodegenAfterRunError`, code `CODEGEN_AFTER_RUN`): that part's binds ran to their target; only
   * their types files may be stale. One entry per such part, `[]` when none.
   */
  readonly codegenFailures: readonly RunFailure[];
  /**
   * A part of the run ended stopped by ctrl+c (core's `InterruptedError`), even one that had
   * nothing left to run (the ctrl+c came during its last revision, which finished): the run was
   * interrupted, whether or not a bind is `interrupted`.
   */
  readonly interrupted: boolean;
  /**
   * The parts that stopped part way (ctrl+c, a failure) after completing steps toward targets
   * that count revisions from where each bind stands (a downgrade to `db2@-3`): those targets
   * (their error's `relative`, see {@link RunFailure.relative}), which would step again the binds
   * that ran if run again, in the order the parts ended; `[]` when none. With {@link retry} and
   * {@link retryByHand} both empty, no command finishes the run.
   */
  readonly relative: readonly string[];
  /**
   * The parts that stopped part way (ctrl+c, a failure) with targets that count revisions from
   * where each bind stands (a downgrade to `db2@-3`): the targets that finish what they meant
   * (their error's `retry`, see {@link RunFailure.retry}), in the order the parts ended; `[]` when none.
   */
  readonly retry: readonly string[];
  /**
   * Of such parts, the binds never reached that no target for one bind finishes (a target along
   * one line of a forked branch, `fa@+1`): each to be given by hand the revision its targets lead
   * it to (their error's `retryByHand`, see {@link RunFailure.retryByHand}), in the order the
   * parts ended; `[]` when none.
   */
  readonly retryByHand: readonly RetryByHand[];
}

/** A message of a part of the run, with the clock when it arrived. */
export interface TimedMessage {
  /** The part's index. */
  readonly group: number;
  /** The message. */
  readonly message: RunMessage;
  /** The clock when it arrived, in milliseconds. */
  readonly now: number;
}

/**
 * What changes a {@link RunState}: a message of a part, several messages at once (in order: the
 * screen folds what arrived since its last frame), or the clock.
 */
export type RunAction =
  | ({ readonly type: 'message' } & TimedMessage)
  | { readonly type: 'messages'; readonly items: readonly TimedMessage[] }
  | { readonly type: 'tick'; readonly now: number };

const OUTPUT_LINES = 50;

const branchOf = (branches: Readonly<Record<string, string>>, bind: string) => (Object.hasOwn(branches, bind) ? branches[bind]! : bind);

function blank(bind: string, group: number, branch: string): BindProgress {
  return {
    bind,
    branch,
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
    interrupted: undefined,
  };
}

/**
 * The state of a run that has just started: every bind of every part `starting`.
 * @param direction - `'up'` or `'down'`.
 * @param groups - the parts' binds, in the session's order.
 * @param now - the clock, in milliseconds.
 * @param branches - each bind's version branch (default: each bind is its own branch).
 * @example
 * ```ts
 * initialRunState('up', [{ binds: ['default'] }, { binds: ['db2'] }], Date.now()).binds.map((b) => b.phase); // ['starting', 'starting']
 * ```
 */
export function initialRunState(
  direction: 'up' | 'down',
  groups: readonly { readonly binds: readonly string[] }[],
  now: number,
  branches: Readonly<Record<string, string>> = {},
): RunState {
  const binds: BindProgress[] = [];
  const index = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const bind of g.binds) {
      if (index.has(bind)) continue;
      index.set(bind, binds.length);
      binds.push(blank(bind, i, branchOf(branches, bind)));
    }
  });
  return {
    direction,
    binds,
    index,
    branches,
    groupsDone: groups.map(() => false),
    startedAt: now,
    now,
    finishedAt: undefined,
    output: [],
    codegenFailures: [],
    interrupted: false,
    relative: [],
    retry: [],
    retryByHand: [],
  };
}

/**
 * Whether a bind has reached an end state: `done`, `nothing-to-do`, `failed`, `stopped` or `interrupted`.
 * @example
 * ```ts
 * isSettled('running'); // false
 * isSettled('stopped'); // true
 * ```
 */
export function isSettled(phase: BindPhase): boolean {
  return phase === 'done' || phase === 'nothing-to-do' || phase === 'failed' || phase === 'stopped' || phase === 'interrupted';
}

/** Changes one bind (found through the index), adding it when a plan names a bind the session did not. */
function update(state: RunState, bind: string, group: number, change: (b: BindProgress) => BindProgress): RunState {
  const i = state.index.get(bind);
  if (i === undefined) {
    const index = new Map(state.index).set(bind, state.binds.length);
    return { ...state, binds: [...state.binds, change(blank(bind, group, branchOf(state.branches, bind)))], index };
  }
  const before = state.binds[i]!;
  const after = change(before);
  if (after === before) return state;
  const binds = state.binds.slice();
  binds[i] = after;
  return { ...state, binds };
}

function inGroup(state: RunState, group: number, change: (b: BindProgress) => BindProgress): RunState {
  return { ...state, binds: state.binds.map((b) => (b.group === group ? change(b) : b)) };
}

/**
 * A `plan` event: each bind it names gets its number of steps and where it starts from, in one
 * pass over the steps and one copy of the binds. A run may send several plans (one per group of
 * independent binds): a plan says nothing of the binds it does not name, which stay pending until
 * a later plan names them or their part ends (see `finished`).
 */
function onPlan(state: RunState, group: number, steps: readonly StepInfo[]): RunState {
  const planned = new Map<string, { total: number; from: readonly string[] }>();
  for (const step of steps) {
    const seen = planned.get(step.bind);
    if (seen) seen.total++;
    else planned.set(step.bind, { total: 1, from: step.from });
  }
  if (planned.size === 0) return state;
  const binds = state.binds.slice();
  let added: Map<string, number> | undefined;
  for (const [bind, { total, from }] of planned) {
    let i = (added ?? state.index).get(bind);
    if (i === undefined) {
      added ??= new Map(state.index);
      i = binds.length;
      added.set(bind, i);
      binds.push(blank(bind, group, branchOf(state.branches, bind)));
    }
    const b = binds[i]!;
    binds[i] = { ...b, total, from, phase: b.phase === 'starting' ? 'ready' : b.phase };
  }
  return { ...state, binds, index: added ?? state.index };
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
      // Relative targets stopped part way: they would step again what ran; what finishes them
      // (and what is left by hand), for the summary.
      const current =
        error.relative?.length || error.retry?.length || error.retryByHand?.length
          ? {
              ...state,
              relative: [...state.relative, ...(error.relative ?? [])],
              retry: [...state.retry, ...(error.retry ?? [])],
              retryByHand: [...state.retryByHand, ...(error.retryByHand ?? [])],
            }
          : state;
      const named = error.bind === undefined ? undefined : current.index.get(error.bind);
      const culprit = named !== undefined && current.binds[named]!.group === group ? error.bind : undefined;
      // Stopped by ctrl+c (core's InterruptedError): each bind it stopped has had its bind-done
      // saying so; the binds still unsettled had nothing left to run, as when a part finishes.
      if (error.code === 'INTERRUPTED') {
        const settled = inGroup(current, group, (b) => (isSettled(b.phase) ? b : { ...b, phase: b.completed > 0 ? 'done' : 'nothing-to-do', finishedAt: now }));
        return endGroup({ ...settled, interrupted: true }, group, now);
      }
      // The part completed and the codegen after it failed: its binds are where a finished part's
      // are; the failure is the summary's (the types may be stale), not a bind's.
      if (error.code === 'CODEGEN_AFTER_RUN') {
        const settled = inGroup(current, group, (b) => (isSettled(b.phase) ? b : { ...b, phase: b.completed > 0 ? 'done' : 'nothing-to-do', finishedAt: now }));
        return endGroup({ ...settled, codegenFailures: [...current.codegenFailures, error] }, group, now);
      }
      // A run that went on past its failures (core's RunError, code RUN): each failed bind has had
      // its own step-failed; the binds still unsettled did not run (those ctrl+c stopped too say so).
      // A bind it could not connect failed with its own reason (it had only its bind-done); so did
      // the bind of a group of tenants stopped before its first step (its lock not acquired in
      // time: who holds it, where it stays), the group's other binds not run because of it.
      const unreachable = new Map(error.unreachable?.map((u) => [u.bind, u.reason] as const));
      const stoppedBy = new Map(error.stopped?.flatMap((g) => g.binds.map((b) => [b, g] as const)));
      const own = (b: BindProgress): BindProgress | undefined => {
        const group = stoppedBy.get(b.bind);
        if (group) return group.bind === b.bind ? { ...b, phase: 'failed', error: group.error, finishedAt: now } : { ...b, phase: 'stopped', stoppedBy: group.bind, finishedAt: now };
        const reason = unreachable.get(b.bind);
        if (reason === undefined || b.bind === culprit) return undefined;
        const { unreachable: _list, notRun: _others, stopped: _groups, ...rest } = error;
        return { ...b, phase: 'failed', error: { ...rest, bind: b.bind, message: reason, reason }, finishedAt: now };
      };
      if (error.code === 'RUN') return endGroup(inGroup(current, group, (b) => (isSettled(b.phase) ? b : (own(b) ?? { ...b, phase: 'stopped', finishedAt: now }))), group, now);
      const settled = inGroup(current, group, (b) => {
        if (isSettled(b.phase)) return b;
        // The other binds an UnreachableBindsError names could not be connected either.
        const failed = own(b);
        if (failed) return failed;
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
    case 'plan':
      return onPlan(state, group, event.steps);
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
      if (event.interrupted) return update(state, event.bind, group, (b) => ({ ...b, phase: 'interrupted', interrupted: event.interrupted, heads: event.heads, finishedAt: now }));
      return update(state, event.bind, group, (b) => (event.ok ? { ...b, phase: 'done', heads: event.heads, finishedAt: now } : { ...b, heads: event.heads }));
    case 'warning':
      // With the run's other output (a name PostgreSQL truncates: the op ran, the file may need a change).
      return { ...state, output: [...state.output, `[${event.bind}] WARNING: ${event.message}`].slice(-OUTPUT_LINES) };
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
  switch (action.type) {
    case 'tick':
      return { ...state, now: action.now };
    case 'message':
      return { ...onMessage(state, action.group, action.message, action.now), now: action.now };
    case 'messages': {
      let next = state;
      for (const item of action.items) next = onMessage(next, item.group, item.message, item.now);
      const last = action.items.at(-1);
      return last ? { ...next, now: last.now } : state;
    }
  }
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
  /** Binds the run's stop (ctrl+c) left before their target: stopped part way, or not started. */
  readonly interrupted: readonly string[];
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
    interrupted: named('interrupted'),
    revisions: state.binds.reduce((n, b) => (b.phase === 'done' ? n + b.completed : n), 0),
    elapsedMs: (state.finishedAt ?? state.now) - state.startedAt,
  };
}

/**
 * React state of a run: subscribes to the session and ticks the clock while it runs (the
 * subscription replays messages sent before it). Messages are folded in batches, at most one
 * render per `batchMs`: a run over thousands of binds sends thousands of events, and the screen
 * draws what they add up to rather than each one.
 * @param session - the running session ({@link TuiBackend.startRun}).
 * @param clock - milliseconds now (default `Date.now`).
 * @param tickMs - how often the clock ticks while the run goes on, in milliseconds (default 200).
 * @param batchMs - how long messages may wait to be drawn, in milliseconds (default 30).
 * @returns the run's state, updated on each batch of messages and each tick.
 * @example
 * ```ts
 * const session = await backend.startRun({ direction: 'up', targets: ['db2@head'] });
 * const state = useRunState(session);
 * summarizeRun(state).done; // binds that reached their target
 * ```
 */
export function useRunState(session: RunSession, clock: () => number = Date.now, tickMs = 200, batchMs = 30): RunState {
  const [state, dispatch] = useReducer(runReducer, undefined, () => initialRunState(session.direction, session.groups, clock(), session.branches));
  useEffect(() => {
    let queue: TimedMessage[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const items = queue;
      queue = [];
      if (items.length) dispatch({ type: 'messages', items });
    };
    const unsubscribe = session.subscribe((group, message) => {
      queue.push({ group, message, now: clock() });
      timer ??= setTimeout(flush, batchMs);
    });
    // The messages replayed on subscribing, at once.
    if (timer !== undefined) clearTimeout(timer);
    flush();
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [session, clock, batchMs]);
  const running = state.finishedAt === undefined;
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => dispatch({ type: 'tick', now: clock() }), tickMs);
    return () => clearInterval(timer);
  }, [running, clock, tickMs]);
  return state;
}
