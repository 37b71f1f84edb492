import type { DialectConnection, Statement } from '../dialect/dialect.js';
import { maskUrl } from '../config/database-url.js';
import { readFileSync } from 'node:fs';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { headsMap } from './heads-map.js';
import { interruptedBindEvents } from './interrupted-binds.js';
import { eventLoopTurn } from './event-loop-turn.js';
import type { Kysely } from 'kysely';
import { BindError, InterruptedError, MigrationError, migrationErrorLinked, MultidbError, PartlyAppliedError, ResumeRefusedError, RunError, TransactionLeftOpenError, type RunRetry, type SkippedStep } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import { Operations, type OpRunner } from '../operations/operations.js';
import { crossBindWaits, type Plan, type PlanStep } from '../script/planner.js';
import { stepsWaitingOn } from '../script/steps-waiting-on.js';
import { loadRevisionModule, mayReadDb, type RevisionModule } from '../script/module-loader.js';
import { mapPlanStack } from '../script/module-evaluator.js';
import { compileOp, type SnapshotSource } from './op-compiler.js';
import { checkOutsideTransaction, type OpSite } from './non-transactional-op.js';
import { checkIdentifierLimit, type TruncatedIdentifiers } from './identifier-limit.js';
import { checkIndexes } from './unsupported-index.js';
import { describeWrites, type InFlightRevision } from './progress-table.js';
import { RevisionProgress, sha256, type DeferredVersionWrite } from './revision-progress.js';
import type { RunBind, RunContext } from './run-context.js';
import type { RevisionMap } from '../script/revision-map.js';
import { endMarkingKysely, failedQueryOf, markingKysely } from './marking-kysely.js';
import { trackingKysely } from './tracking-kysely.js';
import type { RunEvent, RunListener, StepInfo } from './run-event.js';

/** What one step did. */
export interface StepResult {
  /** The bind the step ran on. */
  readonly bind: string;
  /** The revision it ran. */
  readonly revision: string;
  /** `'up'` (upgrade) or `'down'` (downgrade). */
  readonly direction: 'up' | 'down';
  /**
   * Wall time of the step, in milliseconds: from its `step-start` to its COMMIT. Where that COMMIT
   * is pipelined with the bind's next step (PostgreSQL; see {@link runPlan}), the time the thread
   * ran that step's code meanwhile is that step's, not this one's. Where its version-table write
   * goes out with the next step's first write (MySQL, MariaDB), it counts that write's round trip
   * (and its COMMIT), not the time the next step's code ran before it.
   */
  readonly elapsedMs: number;
}

/** The outcome of a successful run. */
export interface RunResult {
  /** The steps run, in plan order. */
  readonly steps: readonly StepResult[];
  /**
   * Heads of every bind the run touched, after it (its version-table rows, `[]` at base). A `Map`
   * that `JSON.stringify` writes as an object, `{"db2":["3f2a9c1d7b40"]}`, so a result logged as
   * JSON keeps where each bind stands.
   */
  readonly heads: ReadonlyMap<string, readonly string[]>;
  /** Wall time of the whole run, in milliseconds. */
  readonly elapsedMs: number;
}

/** Options of {@link runPlan}. */
export interface RunPlanOptions {
  /** Receives progress events (DESIGN §8). */
  readonly onEvent?: RunListener;
  /** How many binds may run at the same time (see `RunOptions.concurrency`; default 1). */
  readonly concurrency?: number;
  /** `'upgrade' | 'downgrade'`, for hooks. */
  readonly command: string;
  /** Milliseconds since the command started, for `run-done` (default: from the call). */
  readonly startedAt?: number;
  /** Extra arguments (Alembic's `-x`) for each revision's `op.xArgs` and the hooks (default `{}`). */
  readonly xArgs?: Readonly<Record<string, string>>;
  /**
   * Binds of the plan that could not be connected (with `concurrency` > 1 only): none of their
   * steps runs, nor any step that waits on them; they are reported in the {@link RunError}. Their
   * steps are left out of the `plan` event, and the runner never asks the context for them.
   */
  readonly unreachable?: readonly BindError[];
  /**
   * Binds of the plan left unopened, whose database does not exist and was not created: binds
   * with no step (a downgrade's binds at base), and, with `concurrency` > 1 only, SQLite binds
   * whose every step waits on an `unreachable` bind, so that no empty file is created for them.
   * Their steps are listed in the `plan` event and reported as not run (skipped) in the
   * {@link RunError}; the runner never asks the context for them.
   */
  readonly unopened?: readonly string[];
  /**
   * The plan is one independent group of a larger run (see `MigrationEnvironment.upgrade`): the
   * runner sends no `run-done` (the caller sends one for the whole run), and `afterRun` is left to
   * the caller. Default `false`.
   */
  readonly part?: boolean;
  /**
   * Asks the run to stop (see `RunOptions.signal`): once aborted, no step starts; the steps in
   * progress finish, and the run rejects with an {@link InterruptedError} (its `pending` empty
   * when the signal came during the last steps).
   */
  readonly signal?: AbortSignal;
}

function stepInfos(steps: readonly PlanStep[]): StepInfo[] {
  const totals = new Map<string, number>();
  for (const s of steps) totals.set(s.bind, (totals.get(s.bind) ?? 0) + 1);
  const seen = new Map<string, number>();
  return steps.map((s) => {
    const index = (seen.get(s.bind) ?? 0) + 1;
    seen.set(s.bind, index);
    return Object.freeze({
      bind: s.bind,
      revision: s.revision,
      direction: s.direction,
      index,
      total: totals.get(s.bind) ?? 0,
      message: s.script.message,
      downRevisions: s.script.downRevisions,
      from: s.headsBefore,
    });
  });
}

/** A revision file's source (`''` when it cannot be read: its hash then differs on resume). */
function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The `concurrency` option, checked (default 1).
 * @throws {@link MultidbError} `INVALID_OPTION` for a value that is not a whole number of 1 or more.
 * @internal
 */
export function checkConcurrency(concurrency: number | undefined): number {
  const n = concurrency ?? 1;
  if (!Number.isSafeInteger(n) || n < 1) throw new MultidbError(`Option 'concurrency' must be a whole number of 1 or more (got ${String(n)}).`, 'INVALID_OPTION');
  return n;
}

/**
 * The same {@link MigrationError} with what the run around it knows: the other binds not run
 * (`notRun`) and those of them that `concurrency` would not run either (`linked`), the steps
 * completed before it (`completed`) and how to finish the run (`retry`, see
 * `MigrationError.retry`); `notRun`, `linked` and `completed` not given are kept, `retry` only
 * when given.
 * @internal
 */
export function withRun(e: MigrationError, run: { readonly notRun?: readonly string[]; readonly linked?: readonly string[]; readonly completed?: readonly StepResult[]; readonly retry?: RunRetry }): MigrationError {
  return new MigrationError(
    {
      bind: e.bind,
      revision: e.revision,
      ...(e.direction !== undefined ? { direction: e.direction } : {}),
      ...(e.file !== undefined ? { file: e.file } : {}),
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.statement !== undefined ? { statement: e.statement } : {}),
      partial: e.partial,
      ...(e.nothingApplied ? { nothingApplied: true } : {}),
      ...(e.at !== undefined ? { at: e.at } : {}),
      ...(e.resumable ? { resumable: true } : {}),
      ...(e.progressUnread ? { progressUnread: true } : {}),
      notRun: run.notRun ?? e.notRun,
      linked: run.linked ?? migrationErrorLinked(e),
      completed: run.completed ?? e.completed,
      ...(run.retry ? { retry: run.retry } : {}),
    },
    e.cause,
  );
}

/**
 * The binds of `notRun` that a concurrent run would not run either once step `failed` of a plan
 * failed: every step of theirs from there on waits (by depends-on, transitively) on that step or
 * on a later step of its bind, which do not run (see {@link stepsWaitingOn}); a bind with another
 * step would run it, and then its message says that `--concurrency N` goes on past a failing bind.
 */
function waitingOnFailure(map: RevisionMap, plan: Plan, failed: number, notRun: readonly string[]): string[] {
  const left: Plan = { ...plan, steps: plan.steps.slice(failed) };
  const blocked = new Set(stepsWaitingOn(map, left, [left.steps[0]!.bind]));
  return notRun.filter((bind) => left.steps.every((s, k) => s.bind !== bind || blocked.has(k)));
}

/** The binds of a plan: those it concerns and those it has steps for, sorted.
 * @internal
 */
export function bindsOfPlan(plan: Plan): string[] {
  return [...new Set([...plan.binds, ...plan.steps.map((s) => s.bind)])].sort();
}

/** No error yet: what {@link StepOpRunner}'s last held-back error is before one fails. */
const NONE = Symbol('none');

/** No table: an op compiled from itself and the config alone (the hash of its completed statements). */
const NO_SNAPSHOTS: SnapshotSource = { snapshot: async () => undefined };

/** The live shapes of tables, read through a bind's connection.
 * @internal
 */
export function liveSnapshots(conn: DialectConnection): SnapshotSource {
  return { snapshot: (table, schema) => conn.introspectTable(table, schema) };
}

/**
 * Executes ops for one step through the one compile path ({@link compileOp}) and the bind's
 * connection, and remembers the statements that failed with their errors, to name the one whose
 * error a step fails with ({@link statementOf}, which also names a query of `op.db` by the error
 * it threw): an op's DDL through the connection's `executeLater` where it has one (a statement
 * held back then fails when a later call sends it, and is still the one named).
 */
class StepOpRunner implements OpRunner {
  readonly dialect;
  /** The statements that failed, by the error each threw (a revision may catch one and go on). */
  readonly #failed = new Map<unknown, Statement>();
  readonly #conn: DialectConnection;
  readonly #ctx: RunContext;
  readonly #schema: string | undefined;
  readonly #inTransaction: boolean;
  /** Whether the revision's ops run inside its transaction (not with `transaction = false`, nor tracked write by write). */
  readonly #transactional: boolean;
  /** The bind, revision and file, for {@link checkOutsideTransaction}'s and {@link checkIdentifierLimit}'s errors. */
  readonly #site: OpSite;
  readonly #progress: RevisionProgress | undefined;
  /** Receives the warnings of the step's ops (see {@link checkIdentifierLimit}). */
  readonly #warn: ((warning: TruncatedIdentifiers) => void) | undefined;
  /** The error of the last statement held back that failed (see {@link DialectConnection.executeLater}). */
  #heldError: unknown = NONE;
  /** Where the op of that statement was called (its stack names the revision's line; its error's names the sender's). */
  #heldSite: { stack?: string } | undefined;

  /**
   * @param inTransaction - whether an op that needs a transaction has one already (the revision's,
   *   or, tracked write by write, none wanted).
   * @param transactional - whether ops run inside the revision's transaction.
   * @param warn - receives the warning of an op whose names the database truncates (PostgreSQL).
   */
  constructor(
    conn: DialectConnection,
    ctx: RunContext,
    schema: string | undefined,
    inTransaction: boolean,
    transactional: boolean,
    site: OpSite,
    progress?: RevisionProgress,
    warn?: (warning: TruncatedIdentifiers) => void,
  ) {
    this.dialect = conn.dialect;
    this.#conn = conn;
    this.#ctx = ctx;
    this.#schema = schema;
    this.#inTransaction = inTransaction;
    this.#transactional = transactional;
    this.#site = site;
    this.#progress = progress;
    this.#warn = warn;
  }

  async run(op: Op): Promise<void> {
    // An op the dialect refuses in a transaction block (CREATE INDEX CONCURRENTLY): refused before
    // anything of it is sent; the revision is rolled back. With `transaction = false` no
    // transaction is open, so the connection sends its statements at once, each on its own.
    checkOutsideTransaction(op, this.dialect, this.#transactional, this.#site);
    // A name longer than the database keeps: MySQL would refuse it, so it is refused before
    // anything of the op is sent; PostgreSQL cuts it short, so it runs as written, with a warning
    // (unless two of its names would be cut to one).
    const truncated = checkIdentifierLimit(op, this.dialect, this.#site);
    // An index the database cannot have (an expression index on MariaDB): refused before anything
    // of the op is sent.
    checkIndexes(op, this.dialect, this.#site);
    if (truncated) this.#warn?.(truncated);
    // A dialect without transactional DDL: each write is recorded in the bind's progress table.
    if (this.#progress) {
      return this.#progress.op(
        op,
        () => this.#compile(op),
        (statement) => this.#execute(statement),
        () => this.#compile(op, NO_SNAPSHOTS),
      );
    }
    // The DDL of an op may be held back by the dialect (sent with the next statement's round trip or
    // with COMMIT); raw SQL (`op.execute`: a SAVEPOINT, a SET, a SELECT with effects) and data are not.
    // Such an op's call is captured here, in the revision's own call (formatted only if its statement
    // fails after it was held: that error's stack names the line of what sent it).
    let site: { stack?: string } | undefined;
    if (op.kind !== 'Execute' && op.kind !== 'BulkInsert' && this.#conn.executeLater) {
      site = {};
      // Only where statements are held back: a stack capture costs tens of µs after a COMMIT's fsync.
      if (this.#conn.holdsBack) Error.captureStackTrace(site);
    }
    // A revision with `transaction = false`: an op the dialect must run in a transaction gets its own.
    if (this.#inTransaction || !this.dialect.requiresTransaction?.(op)) return this.#run(op, site);
    await this.#conn.begin();
    try {
      await this.#run(op, site);
    } catch (error) {
      await this.#conn.rollback();
      throw error;
    }
    await this.#conn.commit();
  }

  async #run(op: Op, site: { stack?: string } | undefined): Promise<void> {
    for (const statement of await this.#compile(op)) await this.#execute(statement, site);
  }

  #compile(op: Op, snapshots: SnapshotSource = liveSnapshots(this.#conn)): Promise<Statement[]> {
    return compileOp(op, {
      dialect: this.dialect,
      namingConvention: this.#ctx.namingConvention,
      snapshots,
      ...(this.#schema !== undefined ? { defaultSchema: this.#schema } : {}),
    });
  }

  /** `site`: the op's call, when its statement may be held back (see {@link heldStack}). */
  async #execute(statement: Statement, site?: { stack?: string }): Promise<void> {
    try {
      if (site && this.#conn.executeLater) await this.#conn.executeLater(statement, (error) => this.#heldFailed(statement, error, site));
      else await this.#conn.execute(statement);
    } catch (error) {
      // A statement held back failed (now or before: a revision may have caught its error, and the
      // transaction is aborted since): it is the one to name, not a later statement refused for it.
      if (this.#heldError === NONE) this.#failed.set(error, statement);
      throw error;
    }
  }

  /**
   * The statement to name for the error a step fails with: the op's statement or the query of
   * `op.db` (marked by the Kysely of `op.db`: see {@link failedQueryOf}) that threw `error`, or an
   * error `error` wraps (its `cause`, and theirs), if one did. A statement held back that failed
   * is the one named for its error ({@link heldError}, which a failed step reports), also when a
   * query of `op.db` sent it. A statement or query whose error the revision caught before failing
   * another way (its own `throw`, another query of `op.db`, the check at COMMIT) is not named.
   */
  statementOf(error: unknown): Statement | undefined {
    const seen = new Set<unknown>();
    for (let e = error; !seen.has(e); e = (e as { cause?: unknown }).cause) {
      seen.add(e);
      const statement = this.#failed.get(e) ?? failedQueryOf(e);
      if (statement) return statement;
      if (typeof e !== 'object' || e === null || !('cause' in e)) return undefined;
    }
    return undefined;
  }

  /**
   * The error of the first statement held back that failed, if one did: the revision's real cause
   * even when the revision caught it and a later statement or COMMIT then failed for it.
   */
  get heldError(): unknown {
    return this.#heldError === NONE ? undefined : this.#heldError;
  }

  /**
   * The stack of the call of the op whose held statement failed ({@link heldError}), if one did:
   * the revision's line is that op's, not that of the later call that sent it.
   */
  get heldStack(): string | undefined {
    return this.#heldSite?.stack;
  }

  /** A statement held back failed when a later call sent it (a statement, a query, COMMIT). */
  #heldFailed(statement: Statement, error: unknown, site: { stack?: string }): void {
    if (this.#heldError !== NONE) return; // the first one is the cause
    this.#failed.set(error, statement);
    this.#heldError = error;
    this.#heldSite = site;
  }
}

/**
 * How a step ended. `previousFailed`: the previous step of the bind failed at its version-table
 * write, which this step held back (see {@link DeferredVersionWrite}), or at its COMMIT, which was on
 * the server while this step ran its code (pipelined); `error` is that step's, and this step never
 * started (nothing it sent reached the server).
 */
type StepOutcome = { readonly ok: true; readonly result: StepResult } | { readonly ok: false; readonly error: MigrationError; readonly previousFailed?: true };

/**
 * How long a step's deferred version-table write waits for the bind's next step to send something
 * before it is sent alone (ms): a next revision that awaits something else (its event loop free)
 * long before its first database call does not keep the revision before unrecorded, which a kill
 * would otherwise leave in flight for the re-run to run its code again. A revision that computes
 * synchronously holds the thread, so the write waits for its first database call. A revision's
 * first write normally comes within a millisecond of the one before.
 */
const VERSION_WRITE_WAIT_MS = 1000;

/** A step's version-table write held back for the bind's next step (see `deferredOf` in {@link runPlan}). */
interface HeldVersionWrite extends DeferredVersionWrite {
  /** How the wait running out sends it, once the next step began: through that step (its `step-start` follows). */
  alone?: () => Promise<boolean>;
  /**
   * Once the write committed, where the next step's clock starts (`performance.now()` time): when
   * the write committed, less the time from this step's end to the write going out, which the next
   * step's code ran (its synchronous start before its first write, or what it awaited).
   */
  nextStartsAt?: number;
}

/** A deferred version-table write that failed: the step it belongs to failed with `error` (sticky: thrown again to every later send). */
class DeferredWriteFailure extends Error {
  constructor(readonly error: MigrationError) {
    super(error.message, { cause: error });
  }
}

interface ConcurrentHooks {
  readonly emit: (event: RunEvent) => void;
  readonly startHeads: ReadonlyMap<string, readonly string[]>;
  readonly heads: ReadonlyMap<string, readonly string[]>;
  /** Ends a bind stopped by another bind's failure after `last` (commits an open per-run transaction). */
  readonly finishSkipped: (bind: string, last: PlanStep | undefined) => Promise<MigrationError | undefined>;
  /** Binds that could not be connected: their steps fail at once, unrun and unlisted. */
  readonly unreachable: readonly BindError[];
  /** Binds left unopened: their steps are skipped (they all wait on an unreachable bind). */
  readonly unopened: ReadonlySet<string>;
  /** The results that stayed applied (those of a per-run transaction rolled back left out). */
  readonly applied: (results: readonly StepResult[]) => StepResult[];
  /** Once aborted, no step starts (see {@link RunPlanOptions.signal}). */
  readonly signal: AbortSignal | undefined;
  /**
   * A part of a larger run (`RunPlanOptions.part`, a group of tenants): a signal aborted during its
   * last steps is the larger run's to report, once, after its groups (not one turn per group).
   */
  readonly part: boolean;
  /** Where each bind of the plan stands now (for an {@link InterruptedError}). */
  readonly headsNow: () => Map<string, readonly string[]>;
}

/**
 * Runs the steps of a plan with up to `concurrency` steps (so binds) at once: each bind runs its
 * steps in order, a step starts once the steps of other binds it waits for are done, and free
 * slots go to the ready step that comes first in the plan. A failing bind stops, and so does
 * every step that waits on it (transitively); the others go on. Throws a {@link RunError} at the
 * end when a bind failed; returns the results in plan order otherwise.
 */
async function runConcurrently(
  plan: Plan,
  waits: readonly (readonly number[])[],
  concurrency: number,
  runStep: (i: number) => Promise<StepOutcome>,
  hooks: ConcurrentHooks,
): Promise<StepResult[]> {
  // 'skipped': not run, waiting (transitively) on a failed bind; 'interrupted': not run, left by the signal.
  type Status = 'ok' | 'failed' | 'skipped' | 'interrupted';
  const settle: ((status: Status) => void)[] = [];
  const settled: Promise<Status>[] = plan.steps.map((_, i) => new Promise<Status>((resolve) => (settle[i] = resolve)));
  const done: (StepResult | undefined)[] = [];
  const failures: { index: number; error: MigrationError }[] = [];
  const skipped: { index: number; bind: string; revision: string }[] = [];
  const interrupted: { index: number; bind: string; revision: string }[] = []; // not started: the signal was aborted (or they wait on such a step)

  let free = concurrency;
  const queue: { index: number; resolve: () => void }[] = [];
  const acquire = (index: number): Promise<void> => {
    if (free > 0) {
      free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      queue.push({ index, resolve });
      queue.sort((a, b) => a.index - b.index);
    });
  };
  const release = (): void => {
    const next = queue.shift();
    if (next) next.resolve();
    else free++;
  };

  const stepsOf = new Map<string, number[]>();
  plan.steps.forEach((s, i) => {
    let list = stepsOf.get(s.bind);
    if (!list) stepsOf.set(s.bind, (list = []));
    list.push(i);
  });

  const worker = async (bind: string, indexes: readonly number[]): Promise<void> => {
    if (hooks.unreachable.some((e) => e.bind === bind)) {
      for (const i of indexes) settle[i]!('failed'); // what waits on them is skipped
      return;
    }
    if (hooks.unopened.has(bind)) {
      for (const i of indexes) {
        skipped.push({ index: i, bind, revision: plan.steps[i]!.revision });
        settle[i]!('skipped');
      }
      hooks.emit({ type: 'bind-done', bind, ok: false, heads: hooks.startHeads.get(bind) ?? [] });
      return;
    }
    let k = 0;
    let failed = false;
    let stopped = false;
    for (; k < indexes.length; k++) {
      const i = indexes[k]!;
      const before = await Promise.all(waits[i]!.map((w) => settled[w]!));
      // Waiting on a failed bind wins: that step would not run without the signal either.
      if (before.some((status) => status === 'failed' || status === 'skipped')) break;
      if (before.includes('interrupted') || hooks.signal?.aborted) {
        stopped = true;
        break;
      }
      await acquire(i);
      // A signal that came during synchronous work (SQLite's) is delivered by the event loop's turn.
      if (hooks.signal) await eventLoopTurn();
      if (hooks.signal?.aborted) {
        release();
        stopped = true;
        break;
      }
      let outcome: StepOutcome;
      try {
        outcome = await runStep(i);
      } catch (cause) {
        const step = plan.steps[i]!;
        outcome = { ok: false, error: new MigrationError({ bind, revision: step.revision, direction: step.direction, file: step.script.path, at: step.headsBefore }, cause) };
      } finally {
        release();
      }
      if (!outcome.ok) {
        failures.push({ index: i, error: outcome.error });
        settle[i]!('failed');
        failed = true;
        hooks.emit({ type: 'bind-done', bind, ok: false, heads: outcome.error.at ?? plan.steps[i]!.headsBefore });
        k++;
        break;
      }
      done[i] = outcome.result;
      settle[i]!('ok');
    }
    if (k >= indexes.length && !failed) return;
    const left = indexes.slice(k).map((i) => ({ index: i, bind, revision: plan.steps[i]!.revision }));
    for (const { index } of left) settle[index]!(stopped ? 'interrupted' : 'skipped');
    if (failed) {
      skipped.push(...left);
      return;
    }
    const last = k > 0 ? plan.steps[indexes[k - 1]!] : undefined;
    const error = await hooks.finishSkipped(bind, last);
    if (error) failures.push({ index: indexes[k - 1]!, error });
    // A bind the signal stopped (or that waits on one) ends with the run (its bind-done says
    // `interrupted`, just before run-done); one whose kept transaction failed to commit failed.
    if (stopped && !error) interrupted.push(...left);
    else {
      skipped.push(...left);
      hooks.emit({ type: 'bind-done', bind, ok: false, heads: hooks.heads.get(bind) ?? hooks.startHeads.get(bind) ?? [] });
    }
  };

  await Promise.all([...stepsOf].map(([bind, indexes]) => worker(bind, indexes)));
  // Asked to stop during the last steps (delivered by the event loop's turn, as before a step):
  // the run was interrupted even when nothing was left (a part's run leaves that to the whole run).
  if (hooks.signal && !hooks.part) await eventLoopTurn();
  const stoppedBySignal = interrupted.length > 0 || (!hooks.part && hooks.signal?.aborted === true);
  if (failures.length || hooks.unreachable.length) {
    failures.sort((a, b) => a.index - b.index);
    skipped.sort((a, b) => a.index - b.index);
    const completed = hooks.applied(done.filter((r): r is StepResult => r !== undefined));
    // What the signal left, apart from what waits on a failed bind.
    interrupted.sort((a, b) => a.index - b.index);
    const stop = stoppedBySignal
      ? new InterruptedError({ reason: hooks.signal?.reason, completed, pending: interrupted.map(({ bind, revision }) => ({ bind, revision })), heads: hooks.headsNow() })
      : undefined;
    throw new RunError(
      // Each failure with the steps its bind completed before it.
      failures.map((f) => withRun(f.error, { completed: completed.filter((r) => r.bind === f.error.bind) })),
      skipped.map(({ bind, revision }) => ({ bind, revision })),
      hooks.unreachable,
      [],
      completed,
      stop,
    );
  }
  if (stoppedBySignal) {
    // No bind failed: a step skipped waited (transitively) on one the signal stopped.
    const pending = [...interrupted, ...skipped].sort((a, b) => a.index - b.index);
    throw new InterruptedError({
      reason: hooks.signal?.reason,
      completed: hooks.applied(done.filter((r): r is StepResult => r !== undefined)),
      pending: pending.map(({ bind, revision }) => ({ bind, revision })),
      heads: hooks.headsNow(),
    });
  }
  return done.filter((r): r is StepResult => r !== undefined);
}

/**
 * Runs a plan on binds whose migration locks are held (DESIGN §3): imports and validates every
 * module before the first BEGIN, then runs each step in its transaction with its version-table
 * update, emitting events. A failing step is rolled back and the run stops with a
 * {@link MigrationError}; nothing of a failed revision is recorded as applied. Locking, reading
 * the version tables and planning happen before, in `MigrationEnvironment`; the runner sees only
 * the narrow {@link RunContext}. Missing version tables are created before the first step; in a
 * plan of one bind run with `concurrency` 1 on a dialect with transactional DDL, in its first
 * step's transaction instead (when that step runs in one): a first step that fails leaves no
 * version table, as if nothing had run.
 *
 * With `concurrency` N > 1, up to N binds run at once, each on its own connection and in its own
 * order; a step waits for the steps of other binds its revision needs (see {@link crossBindWaits}).
 * A failing bind stops (its step rolled back, `step-failed` and `bind-done {ok: false}`), as does
 * every step that waits on it (its bind gets `bind-done {ok: false}` and keeps what it completed);
 * the other binds go on, and the run then throws a {@link RunError} listing the failures and the
 * steps not run. Binds given as `unreachable` count as failed before their first step.
 *
 * With concurrency 1 a failing step stops the run: its {@link MigrationError} names, in `notRun`,
 * the other binds that had steps still to run. Where the connection pipelines commits
 * (`DialectConnection.pipelinesCommits`: PostgreSQL), a step in its own transaction followed by a
 * step of the same bind in one too does not wait for its COMMIT: the next step runs its code while
 * the COMMIT is on the server, and its statements and COMMIT go out after it, in order. The step's
 * `step-done` and the next one's `step-start` are emitted when the COMMIT is answered (read once the
 * thread is free: the time the thread spent running the next step's code meanwhile is counted in
 * that step's `elapsedMs`, not in this one's); when it
 * fails, the connection has sent nothing of the next step, which is reported as never started
 * (the run stops at the failing step, as without pipelining). On a dialect whose DDL commits implicitly (MySQL,
 * MariaDB), a step's version-table write then waits for the bind's next step: sent before anything
 * that step sends, with that step's first progress record in the same transaction when its first
 * write is DDL (one commit fewer per revision; see `DeferredVersionWrite`). Its `step-done` comes
 * once the write committed, before the next step's `step-start`; its `elapsedMs` counts the write
 * (its round trip and COMMIT), and the time the next step's code ran before it went out is that
 * step's; when the write fails, the step is
 * reported failed (`step-failed`) and the next one never starts. A next step that sends nothing
 * for a second while its event loop is free (it awaits something else) does not hold the write
 * longer: it is then sent alone, and its `step-start` follows.
 *
 * @throws {@link MigrationError} (concurrency 1), {@link RunError} (concurrency > 1), `ScriptError`
 *   (validation), {@link MultidbError} `INVALID_OPTION` for a `concurrency` that is not a whole
 *   number of 1 or more.
 * @example
 * ```ts
 * const result = await runPlan(context, plan, { command: 'upgrade', onEvent: console.log });
 * ```
 */
export async function runPlan(ctx: RunContext, plan: Plan, options: RunPlanOptions): Promise<RunResult> {
  const concurrency = checkConcurrency(options.concurrency);
  const started = options.startedAt ?? performance.now();
  const { signal } = options;
  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      /* listeners must not break a run */
    }
  };
  const results: StepResult[] = [];
  const unreachable = options.unreachable ?? [];
  if (unreachable.length && concurrency === 1) {
    throw new MultidbError(`Internal error: unreachable binds (${unreachable.map((e) => e.bind).join(', ')}) need a concurrency above 1.`, 'INVALID_OPTION');
  }
  const reached = (bind: string) => !unreachable.some((e) => e.bind === bind);
  const unopened = new Set(options.unopened ?? []);
  if (concurrency === 1 && plan.steps.some((s) => unopened.has(s.bind))) {
    throw new MultidbError(`Internal error: unopened binds (${[...unopened].join(', ')}) need a concurrency above 1.`, 'INVALID_OPTION');
  }
  // Binds the runner works on: reached and opened.
  const opened = (bind: string) => reached(bind) && !unopened.has(bind);
  try {
    // Binds without transactional DDL: the revision each has in flight, which the bind's first
    // step must resume; any other step, or none, is refused while it has recorded writes.
    const resumeOf = new Map<string, InFlightRevision>();
    for (const bind of bindsOfPlan(plan).filter(opened)) {
      const b = ctx.bind(bind);
      if (b.connection.dialect.capabilities.transactionalDdl || !b.progressTable) continue;
      const inFlight = await b.progressTable.read(b.connection);
      if (!inFlight) continue;
      const first = plan.steps.find((s) => s.bind === bind);
      if (first && first.revision === inFlight.revision && first.direction === inFlight.direction) resumeOf.set(bind, inFlight);
      else if (inFlight.writes.length === 0 && !inFlight.preRecorded) await b.progressTable.clear(b.connection.plainDb);
      else {
        throw new PartlyAppliedError({
          bind,
          revision: inFlight.revision,
          direction: inFlight.direction,
          completed: describeWrites(inFlight),
          asked: first ? `${first.direction === 'up' ? 'upgrade' : 'downgrade'} ${first.revision}` : `${options.command} (the plan has no step for it, which would leave it partly applied)`,
        });
      }
    }
    const infos = stepInfos(plan.steps);
    emit({ type: 'plan', steps: infos.filter((s) => reached(s.bind)), fanOut: plan.fanOut, binds: bindsOfPlan(plan) });
    if (plan.steps.length === 0 && !unreachable.length) {
      // Asked to stop meanwhile: nothing was left, but the caller learns that it asked (a part of
      // a larger run leaves that to the whole run, which checks once after its groups).
      if (signal && !options.part) {
        await eventLoopTurn();
        if (signal.aborted) throw new InterruptedError({ reason: signal.reason });
      }
      if (!options.part) emit({ type: 'run-done', ok: true, elapsedMs: performance.now() - started });
      return { steps: [], heads: headsMap(), elapsedMs: performance.now() - started };
    }

    // Validate: import every module of the plan before the first BEGIN. Compiled eagerly: each
    // `upgrade` would otherwise be compiled at its first call, in the loop, after a COMMIT.
    const modules = new Map<string, RevisionModule>();
    ctx.loader.precompile?.(plan.steps.filter((s) => opened(s.bind)).map((s) => s.script.path));
    for (const step of plan.steps.filter((s) => opened(s.bind))) {
      if (!modules.has(step.revision)) modules.set(step.revision, await loadRevisionModule(ctx.loader, step.script, { eager: true }));
    }
    // The Kysely of user code (op.db) of each bind a revision may read it on (its source names
    // `db`, or hands `op` to other code: see mayReadDb), made now: a connection makes it on its
    // first read, which may load the project's own copy of kysely (its 262 modules: 110-150 ms,
    // more on a busy machine), else inside that revision's step, counted in its time, and in its
    // transaction. A bind no revision reads it on never makes it.
    for (const bind of new Set(plan.steps.filter((s) => opened(s.bind) && mayReadDb(modules.get(s.revision)!, s.direction)).map((s) => s.bind))) {
      void ctx.bind(bind).connection.db;
    }

    // A dialect whose DDL commits implicitly cannot run a bind's revisions as one transaction.
    if (ctx.transactionMode === 'per-run') {
      for (const bind of new Set(plan.steps.map((s) => s.bind).filter(opened))) {
        const dialect = ctx.bind(bind).connection.dialect;
        if (dialect.capabilities.transactionalDdl) continue;
        throw new MultidbError(
          `Bind '${bind}' (${dialect.flavour ?? dialect.name}) cannot apply transactionMode: 'per-run': its DDL commits implicitly, so a run cannot be one transaction that rolls back. ` +
            `Use transactionMode: 'per-revision' (the default): a revision that fails part way there resumes after its last completed write when run again.`,
          'TRANSACTION_MODE',
        );
      }
    }

    const xArgs = Object.freeze({ ...options.xArgs });
    const hookCtx = { binds: bindsOfPlan(plan), command: options.command, xArgs };
    // Asked to stop before anything ran: no hook, no version table.
    if (signal?.aborted) {
      const pending = plan.steps.filter((s) => opened(s.bind));
      const at = new Map<string, readonly string[]>();
      for (const s of pending) if (!at.has(s.bind)) at.set(s.bind, s.headsBefore);
      throw new InterruptedError({ reason: signal.reason, pending, heads: at });
    }
    await ctx.hooks?.beforeRun?.(hookCtx);

    const versionTableError = (bind: string, b: RunBind, error: unknown): Error => {
      if (error instanceof MultidbError) return error;
      return new BindError(
        {
          bind,
          action: 'create-version-table',
          doing: `create the version table ${b.versionTable.qualifiedName} in`,
          ...(b.location !== undefined ? { location: b.location } : {}),
          reason: maskUrl(error instanceof Error ? error.message : String(error)),
        },
        { cause: error },
      );
    };
    // A plan of one bind (a tenant's) creates a missing version table in its first step's
    // transaction where its DDL rolls back and that step runs in a transaction (one commit less;
    // a first step that fails leaves no table, the bind at base as before), one step at a time
    // (concurrency 1: a failure to create it still stops the run before any step starts, with
    // the same error). Otherwise every bind's table is created before any step.
    const createInFirstStep = new Set<string>();
    const planBinds = [...new Set(plan.steps.map((s) => s.bind).filter(opened))];
    for (const bind of planBinds) {
      const b = ctx.bind(bind);
      const first = plan.steps.find((s) => s.bind === bind)!;
      const inFirstStep = planBinds.length === 1 && concurrency === 1 && b.connection.dialect.capabilities.transactionalDdl && modules.get(first.revision)!.transaction;
      if (!b.versionTableExists && inFirstStep) {
        createInFirstStep.add(bind);
        continue;
      }
      try {
        await b.versionTable.ensure(b.connection, b.versionTableExists);
      } catch (error) {
        throw versionTableError(bind, b, error);
      }
    }

    for (const bind of new Set(plan.steps.map((s) => s.bind).filter(opened))) {
      const b = ctx.bind(bind);
      if (b.connection.dialect.capabilities.transactionalDdl || !b.progressTable) continue;
      try {
        await b.progressTable.ensure(b.connection);
      } catch (error) {
        if (error instanceof MultidbError) throw error;
        throw new BindError(
          {
            bind,
            action: 'create-version-table',
            doing: `create the progress table ${b.progressTable.name} (beside the version table) in`,
            ...(b.location !== undefined ? { location: b.location } : {}),
            reason: maskUrl(error instanceof Error ? error.message : String(error)),
          },
          { cause: error },
        );
      }
    }

    const waits = concurrency === 1 ? undefined : crossBindWaits(ctx.map, plan);
    // Each step's revision source, hashed for its progress header (an edited file is noticed on
    // resume); read once, whether the header is recorded with its first write or ahead of it. The
    // run's -x arguments are hashed with it when there are any: a header recorded ahead by an
    // earlier multidb has no record of its first write, so a re-run whose -x arguments differ (its
    // first op may differ: another table name) must not judge that write by the op it compiles now.
    const xArgsText = Object.keys(xArgs).length ? `\0-x ${JSON.stringify(Object.entries(xArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}` : '';
    const sourceHashes = new Map<number, string>();
    const sourceHashOf = (i: number): string => {
      let hash = sourceHashes.get(i);
      if (hash === undefined) sourceHashes.set(i, (hash = sha256(readSource(plan.steps[i]!.script.path) + xArgsText)));
      return hash;
    };
    /**
     * The step of the same bind that the run starts right after step `i` succeeds, if any: with
     * concurrency 1 the plan's next step when it is the bind's, otherwise the bind's next step when
     * it waits on no other bind. The version-table write of step `i` may record its header ahead.
     */
    const nextOnBind = (i: number): number | undefined => {
      const bind = plan.steps[i]!.bind;
      if (!waits) return plan.steps[i + 1]?.bind === bind ? i + 1 : undefined;
      const j = plan.steps.findIndex((s, k) => k > i && s.bind === bind);
      return j > i && waits[j]!.length === 0 ? j : undefined;
    };
    /** Steps whose progress header the step before them recorded ahead. */
    const preRecorded = new Set<number>();
    /**
     * A bind's step whose version-table write is held back until the bind's next step sends
     * something (with concurrency 1, on a dialect whose DDL commits implicitly and that can run a
     * write in the transaction of that UPDATE): the next step's first record goes in the same
     * transaction. Its `step-done` is emitted once the write committed. Sent alone after
     * VERSION_WRITE_WAIT_MS without a send, through `alone` once the next step began (so that
     * step's `step-start` follows the write), else through `send`.
     */
    const deferredOf = new Map<string, HeldVersionWrite>();
    /**
     * A bind's step whose COMMIT (with its version-table write) is on the server while the bind's
     * next step runs its code (concurrency 1, where the connection pipelines commits). Its
     * `step-done` is emitted as soon as the COMMIT is answered (`committed` then resolves to true:
     * the next step's `step-start` follows). A failure is settled by the next step once its code
     * has returned or thrown (`settle`: rolled back and reported as the step's), since the
     * connection refuses what that step sends until then. `endedAt` is when the step ended as its
     * `elapsedMs` counts it, set once the COMMIT is answered: the next step's clock starts there.
     */
    const committingOf = new Map<string, { readonly committed: Promise<boolean>; readonly settle: () => Promise<MigrationError | undefined>; endedAt?: number }>();
    /** Settles every commit still on the server (a run that stops for a reason of its own reports them); never throws. */
    const settleAllCommitting = async (): Promise<void> => {
      for (const committing of [...committingOf.values()]) await committing.settle().catch(() => undefined);
      committingOf.clear();
    };
    /** Sends every deferred write (a run that stops for a reason of its own keeps what completed); never throws. */
    const sendAllDeferred = async (): Promise<void> => {
      for (const deferred of [...deferredOf.values()]) await deferred.send().catch(() => undefined);
    };
    const perRun = ctx.transactionMode === 'per-run';
    const open = new Set<string>(); // binds with an open per-run transaction
    // Steps done in a bind's per-run transaction still open: applied once it commits, not if it rolls back.
    const uncommitted = new Map<string, StepResult[]>();
    const rolledBack = new Set<StepResult>();
    const committedOn = (bind: string): void => void uncommitted.delete(bind);
    const rolledBackOn = (bind: string): void => {
      for (const r of uncommitted.get(bind) ?? []) rolledBack.add(r);
      uncommitted.delete(bind);
    };
    /** The results that stayed applied (what an error reports as completed). */
    const applied = (list: readonly StepResult[]): StepResult[] => list.filter((r) => !rolledBack.has(r));
    const lastStepOf = new Map<string, number>();
    plan.steps.forEach((s, i) => lastStepOf.set(s.bind, i));
    const startHeads = new Map<string, readonly string[]>(); // each bind's rows when the run began
    for (const s of plan.steps) if (!startHeads.has(s.bind)) startHeads.set(s.bind, s.headsBefore);
    const heads = headsMap();

    // Each bind as the run sees it, asked for once (its connection and tables stay for the run).
    const runBinds = new Map<string, RunBind>();
    const bindOf = (name: string): RunBind => {
      let b = runBinds.get(name);
      if (!b) runBinds.set(name, (b = ctx.bind(name)));
      return b;
    };

    /** Runs step `i` in its transaction; a failure is rolled back on its bind and reported (step-failed). */
    const runStep = async (i: number): Promise<StepOutcome> => {
      const step = plan.steps[i]!;
      const info = infos[i]!;
      const b = bindOf(step.bind);
      const conn = b.connection;
      const mod = modules.get(step.revision)!;
      const table = b.versionTable;
      // Without transactional DDL (MySQL) the progress of the revision is recorded write by write.
      const progressTable = conn.dialect.capabilities.transactionalDdl ? undefined : b.progressTable;
      let progress: RevisionProgress | undefined;
      let updateSource: string | undefined;
      const resume = resumeOf.get(step.bind);
      resumeOf.delete(step.bind);
      const ahead = preRecorded.delete(i);
      // The previous step's version-table write, if it was deferred for this step: sent before
      // anything of this step, and this step's step-start emitted once it committed.
      const previous = progressTable ? deferredOf.get(step.bind) : undefined;
      let t0 = 0;
      let started = false;
      /** Emits `step-start` (once) and starts the step's clock, at `at` when given (a time already past). */
      const start = (at?: number): void => {
        if (started) return;
        started = true;
        emit({ type: 'step-start', ...info });
        t0 = at ?? performance.now();
      };
      const deferred: DeferredVersionWrite | undefined = previous && {
        send: async (record) => {
          const sent = await previous.send(record);
          // This step's clock from where its code began (before the write went out with its first).
          start(previous.nextStartsAt);
          return sent;
        },
      };
      // The wait running out sends it through this step, whose step-start then follows.
      if (previous && deferred) previous.alone = () => deferred.send();
      // The previous step's COMMIT, if it is still on the server: settled once this step's code has
      // returned (after this step's own COMMIT is queued behind it) or thrown.
      const committing = committingOf.get(step.bind);
      // Started once the previous COMMIT is answered, while this step's code may be running; its
      // clock from where the previous step's ended (the time this step's code ran meanwhile is its own).
      if (committing) void committing.committed.then((ok) => ok && start(committing.endedAt));
      /** The previous step's COMMIT, settled: its failure (this step then never started), or none. */
      const settlePrevious = async (): Promise<MigrationError | undefined> => {
        if (!committing) return undefined;
        const failure = await committing.settle();
        committingOf.delete(step.bind);
        return failure;
      };
      // A header recorded ahead, no write recorded, and the file changed since: its first write may
      // have been sent, and what it was is not known any more.
      let refused: ResumeRefusedError | undefined;
      if (progressTable) {
        const sourceHash = sourceHashOf(i);
        progress = new RevisionProgress({
          conn,
          table: progressTable,
          bind: step.bind,
          revision: step.revision,
          direction: step.direction,
          resume,
          snapshots: liveSnapshots(conn),
          ...(ahead ? { preRecorded: true } : { start: { revision: step.revision, direction: step.direction, sourceHash, headsBefore: step.headsBefore, headsAfter: step.headsAfter } }),
          ...(deferred ? { deferred } : {}),
        });
        if (resume && resume.sourceHash !== sourceHash) {
          if (resume.preRecorded) {
            refused = new ResumeRefusedError({
              bind: step.bind,
              revision: step.revision,
              reason: 'the last run stopped before recording its first write, which may have been sent, and the revision file or the -x arguments changed since, so that write cannot be judged.',
            });
          } else updateSource = sourceHash;
        }
      }
      // A tracked revision runs outside a transaction: each of its writes gets its own.
      const transactional = mod.transaction && progress === undefined;
      const site = { bind: step.bind, revision: step.revision, file: step.script.path };
      const warn = (w: TruncatedIdentifiers) => emit({ type: 'warning', bind: step.bind, revision: step.revision, ...(site.file !== undefined ? { file: site.file } : {}), code: w.code, message: w.message });
      const runner = new StepOpRunner(conn, ctx, b.schema, mod.transaction || progress !== undefined, transactional, site, progress, warn);
      // Kysely on the bind's connection whose failed queries the step's error can name (whose
      // queries are tracked, with progress); made on the first use of op.db (most revisions have
      // none), so that conn.db is not read either: a dialect may make it then (the project's own
      // copy of kysely, loaded only for user code that reads it; read before the first step when
      // a revision of the bind names `db` or hands `op` on, see above).
      let marked: Kysely<any> | undefined;
      let tracked: Kysely<any> | undefined;
      const tracker = progress?.queries;
      const db = tracker ? () => (tracked ??= trackingKysely(conn.db, tracker, conn.plainDb)) : () => (marked ??= markingKysely(conn.db));
      /**
       * Ends what the revision left of op.db's own transactions once it returned or threw: one
       * still open is rolled back and its connection given back (on SQLite every later query of
       * the bind would wait for it). Whether one was left open.
       */
      const endOpDb = (): Promise<boolean> => (marked ? endMarkingKysely(marked) : Promise.resolve(false));
      /**
       * Whether the revision returned with a transaction of its own open, which must not be
       * committed by the version-table write nor stay on the session: op.db's (ended here, rolled
       * back), or, outside the runner's transaction, one it began with a BEGIN of its own (the
       * connection tells, or on MySQL the progress of its writes).
       */
      const revisionLeftOpen = async (): Promise<boolean> => {
        const opDb = await endOpDb();
        if (transactional) return opDb;
        return opDb || progress?.transactionOpen === true || (await conn.transactionOpen?.()) === true;
      };
      const op = new Operations({ db, bind: step.bind, runner, namingConvention: ctx.namingConvention, xArgs });
      // Without transactional DDL (MySQL) each DDL statement commits the open transaction, so a
      // run cannot be one transaction, and the version-table update gets a transaction of its own.
      const ddlRollsBack = conn.dialect.capabilities.transactionalDdl;
      const perRunHere = perRun && ddlRollsBack;
      const separateVersionUpdate = !transactional || !ddlRollsBack;
      if (createInFirstStep.delete(step.bind)) {
        try {
          // Its BEGIN too: one that fails (a full disk, a lock held past the busy timeout) names the bind and where it points.
          await conn.begin();
          open.add(step.bind);
          await table.ensure(conn, false);
        } catch (error) {
          await conn.rollback().catch(() => undefined);
          open.delete(step.bind);
          rolledBackOn(step.bind);
          throw versionTableError(step.bind, b, error);
        }
      }
      /** This step failed: rolled back, its progress settled, reported (`step-failed`). */
      const fail = async (cause: unknown): Promise<MigrationError> => {
        // A transaction of op.db the revision left open is rolled back first (its connection held
        // would keep the ROLLBACK below waiting on SQLite).
        await endOpDb();
        // A session that ended under the step (a terminated backend, a server gone) cannot roll
        // back (the server does that): its ROLLBACK error must not hide the step's error. It also
        // rolls back a transaction the revision began itself outside the runner's.
        await conn.rollback().catch(() => undefined);
        open.delete(step.bind);
        rolledBackOn(step.bind);
        // A revision that failed before any write was recorded left nothing to resume.
        let recorded = false;
        // Tracked (MySQL): whether nothing of it was applied, known from its progress rows.
        let noneApplied = false;
        // Tracked, but its rows could not be read (the connection is gone): a re-run reads them.
        let unread = false;
        // Unsettled (a DDL write whose done mark was left out may be unmarked still): its rows stay,
        // so a re-run judges that write.
        const settled = await (progress?.settle() ?? Promise.resolve()).then(
          () => true,
          () => false,
        );
        if (progressTable && !(cause instanceof ResumeRefusedError)) {
          const inFlight = await progressTable.read(conn).catch(() => {
            unread = true;
            return undefined;
          });
          recorded = (inFlight?.writes.length ?? 0) > 0 || !settled;
          // No write recorded (each is recorded before it is sent), and the rows were read: none was
          // sent. Also when the revision failed before its first write was even recorded (a throw
          // of its own, an op refused before it is sent: IdentifierTooLongError), so no header is.
          noneApplied = !unread && !recorded && progress !== undefined;
          if (inFlight && !recorded) await progressTable.clear(conn.plainDb).catch(() => undefined);
        }
        const reported = runner.heldError ?? cause;
        // A revision compiled with its plan's others: its frames name its own file and line.
        if (reported instanceof Error && typeof reported.stack === 'string') reported.stack = mapPlanStack(reported.stack);
        // A held statement's error was raised by what sent it: the line is its own op's.
        const heldStack = runner.heldStack;
        const line = heldStack !== undefined ? lineOfFile(mapPlanStack(heldStack), step.script.path) : reported instanceof Error ? lineOfFile(reported.stack, step.script.path) : undefined;
        const statement = runner.statementOf(reported);
        const error = new MigrationError(
          {
            bind: step.bind,
            revision: step.revision,
            direction: step.direction,
            file: step.script.path,
            ...(line !== undefined ? { line } : {}),
            ...(statement ? { statement: statement.sql } : {}),
            partial: (!transactional || !conn.dialect.capabilities.transactionalDdl) && !noneApplied,
            ...(noneApplied ? { nothingApplied: true } : {}),
            ...(recorded ? { resumable: true } : {}),
            ...(unread && !recorded ? { progressUnread: true } : {}),
            // A per-run transaction rolls the bind back to where the run began.
            at: perRunHere && transactional ? startHeads.get(step.bind)! : step.headsBefore,
          },
          reported,
        );
        emit({ type: 'step-failed', ...info, error });
        return error;
      };
      /** This step is recorded as applied: in `heads`, reported (`step-done`, `bind-done` after its bind's last step). */
      const succeed = (result: StepResult): void => {
        heads.set(step.bind, step.headsAfter);
        emit({ type: 'step-done', ...info, elapsedMs: result.elapsedMs });
        if (lastStepOf.get(step.bind) === i) emit({ type: 'bind-done', bind: step.bind, ok: true, heads: step.headsAfter });
      };
      // Set when this step's version-table write is held back for the bind's next step.
      let holdBack = false;
      // Set when this step is recorded in its bind's per-run transaction, still open after it.
      let leftOpen = false;
      // Set when this step's COMMIT is on the server as the bind's next step begins.
      let inFlight: Promise<void> | undefined;
      // The event loop's use when that COMMIT was sent (see `committed` below).
      let sentAt: EventLoopUtilization | undefined;
      if (!deferred && !committing) start();
      try {
        if (refused) throw refused;
        // The progress header of a step that does not resume goes out with its first write.
        if (progressTable && updateSource !== undefined) await progressTable.updateSource(conn.plainDb, step.revision, updateSource);
        if (perRunHere && !transactional && open.has(step.bind)) {
          await conn.commit();
          open.delete(step.bind);
          committedOn(step.bind);
        }
        if (transactional && !open.has(step.bind)) {
          await conn.begin();
          open.add(step.bind);
        }
        await (step.direction === 'up' ? mod.upgrade(op) : mod.downgrade(op));
        // A transaction the revision began and did not end: rolled back (in fail), not recorded.
        if (await revisionLeftOpen()) throw new TransactionLeftOpenError({ bind: step.bind, revision: step.revision, file: step.script.path });
        // The step's COMMIT below goes out behind the previous one's; any other end settles it first.
        const commitsBelow = !separateVersionUpdate && (!perRunHere || lastStepOf.get(step.bind) === i);
        if (committing && !commitsBelow) {
          // The previous step failed at COMMIT: nothing this step sent went out (the connection
          // refused it); its transaction is rolled back, and it never started.
          const failure = await settlePrevious();
          if (failure) return { ok: false, error: failure, previousFailed: true };
        }
        progress?.finish();
        // The previous step's deferred write, when this step sent nothing (and its step-start).
        await progress?.sendDeferred();
        if (separateVersionUpdate) {
          if (open.has(step.bind)) {
            await conn.commit();
            open.delete(step.bind);
            committedOn(step.bind);
          }
          if (progressTable) {
            const j = nextOnBind(i);
            if (j !== undefined && concurrency === 1 && conn.commitVersionUpdateAndClear) {
              // Held back until step j sends something: its first record can go in the same
              // transaction (one commit fewer per revision; see DeferredVersionWrite).
              holdBack = true;
            } else {
              // Recorded as applied in the transaction that deletes its progress rows, if it has any
              // (MariaDB: one round trip), and that records the header of the bind's next step ahead
              // of it where the dialect can.
              const next = j === undefined ? undefined : plan.steps[j]!;
              const header = next && { revision: next.revision, direction: next.direction, sourceHash: sourceHashOf(j!), headsBefore: next.headsBefore, headsAfter: next.headsAfter };
              if (await table.commitUpdateAndClear(conn, step.headsBefore, step.headsAfter, progressTable, step.bind, header)) preRecorded.add(j!);
            }
          } else {
            await conn.begin();
            await table.commitUpdate(conn, step.headsBefore, step.headsAfter, step.bind);
          }
        } else if (!perRunHere || lastStepOf.get(step.bind) === i) {
          // The UPDATE and COMMIT: one round trip where the dialect can (PostgreSQL); on the server
          // while the bind's next step runs its code, where the connection pipelines commits.
          const j = concurrency === 1 && !perRunHere ? nextOnBind(i) : undefined;
          inFlight = j !== undefined && modules.get(plan.steps[j]!.revision)!.transaction ? table.commitUpdatePipelined(conn, step.headsBefore, step.headsAfter, step.bind) : undefined;
          if (inFlight) sentAt = performance.eventLoopUtilization();
          if (committing) {
            // Settled once this step's own COMMIT is queued behind it (the server is never idle
            // between the two). When it failed, the connection refused everything of this step,
            // this COMMIT too, and rolled this step's transaction back: it never started.
            const failure = await settlePrevious();
            if (failure) {
              inFlight?.catch(() => undefined);
              return { ok: false, error: failure, previousFailed: true };
            }
          }
          if (!inFlight) await table.commitUpdate(conn, step.headsBefore, step.headsAfter, step.bind);
          open.delete(step.bind);
          committedOn(step.bind);
        } else {
          await table.update(conn.plainDb, step.headsBefore, step.headsAfter, step.bind);
          leftOpen = true;
        }
      } catch (cause) {
        // The previous step's COMMIT first: when it failed, this step's failure is only that (what it
        // sent was refused), and this step never started.
        if (committing) {
          const failure = await settlePrevious(); // its failure rolled this step's transaction back too
          if (failure) return { ok: false, error: failure, previousFailed: true };
        }
        // The previous step completed: its deferred write goes first; a failure there is its own, and
        // this step never started.
        if (previous) {
          try {
            await previous.send();
          } catch (failure) {
            if (failure instanceof DeferredWriteFailure) return { ok: false, error: failure.error, previousFailed: true };
          }
        }
        start();
        return { ok: false, error: await fail(cause) };
      }
      const endedAt = performance.now();
      const result: StepResult = { bind: step.bind, revision: step.revision, direction: step.direction, elapsedMs: endedAt - t0 };
      if (leftOpen) {
        let list = uncommitted.get(step.bind);
        if (!list) uncommitted.set(step.bind, (list = []));
        list.push(result);
      }
      if (inFlight) {
        const commit = inFlight;
        let failed: Promise<MigrationError | undefined> | undefined;
        const entry: { committed: Promise<boolean>; settle: () => Promise<MigrationError | undefined>; endedAt?: number } = {
          committed: commit.then(
            () => {
              // The answer is read only when the thread is free, and meanwhile the bind's next step
              // ran its code (its synchronous start: a module it loads, data it builds): the time the
              // thread was busy since the COMMIT was sent is not this step's, only the time it waited
              // (the next step's clock starts where this one's ends; see start()).
              const now = performance.now();
              entry.endedAt = now - performance.eventLoopUtilization(sentAt).active;
              (result as { elapsedMs: number }).elapsedMs = Math.max(entry.endedAt - t0, 0);
              succeed(result);
              return true;
            },
            () => false,
          ),
          // Rolled back and reported once, by whoever settles it first.
          settle: async () => ((await entry.committed) ? undefined : (failed ??= commit.then(() => undefined, (cause: unknown) => fail(cause)))),
        };
        committingOf.set(step.bind, entry);
        return { ok: true, result };
      }
      if (!holdBack) {
        succeed(result);
        return { ok: true, result };
      }
      const progressRows = progressTable!;
      let state: 'deferred' | 'sent' | DeferredWriteFailure = 'deferred';
      let sending: Promise<boolean> | undefined;
      // Sent alone if the next step sends nothing for VERSION_WRITE_WAIT_MS (a failure is then
      // reported as this step's, and thrown to the next step's first send). Not a reason to stay alive.
      const timer = setTimeout(() => void (held.alone ?? held.send)().catch(() => undefined), VERSION_WRITE_WAIT_MS);
      timer.unref();
      const held: HeldVersionWrite = {
        send: (record) => {
          clearTimeout(timer);
          if (state === 'sent') return Promise.resolve(false);
          if (state instanceof DeferredWriteFailure) return Promise.reject(state);
          if (sending) return sending.then(() => false);
          sending = (async () => {
            const sentAt = performance.now();
            let recorded = false;
            try {
              recorded = await table.commitUpdateAndClear(conn, step.headsBefore, step.headsAfter, progressRows, step.bind, undefined, record);
            } catch (cause) {
              deferredOf.delete(step.bind);
              state = new DeferredWriteFailure(await fail(cause));
              throw state;
            }
            // The write and its COMMIT are this step's time; what ran between this step's end and
            // the write going out (the next step's code, until its first write) is the next step's.
            const doneAt = performance.now();
            (result as { elapsedMs: number }).elapsedMs = endedAt - t0 + (doneAt - sentAt);
            held.nextStartsAt = doneAt - (sentAt - endedAt);
            deferredOf.delete(step.bind);
            state = 'sent';
            succeed(result);
            return recorded;
          })();
          return sending;
        },
      };
      deferredOf.set(step.bind, held);
      return { ok: true, result };
    };

    /**
     * Commits the per-run transaction still open on a bind the run stops on before its last step
     * (another bind failed, or the run was asked to stop): it keeps what it completed. When that
     * COMMIT fails, the bind is back where the run began, and the error says so.
     */
    const keepCompleted = async (bind: string, last: PlanStep | undefined): Promise<MigrationError | undefined> => {
      if (!open.has(bind)) return undefined;
      open.delete(bind);
      const conn = ctx.bind(bind).connection;
      try {
        await conn.commit();
        committedOn(bind);
        return undefined;
      } catch (cause) {
        await conn.rollback().catch(() => undefined);
        rolledBackOn(bind);
        heads.set(bind, startHeads.get(bind)!);
        return new MigrationError({ bind, revision: last!.revision, direction: last!.direction, file: last!.script.path, at: startHeads.get(bind)! }, cause);
      }
    };
    /** Where each bind of the plan stands now: after its last completed step, else where it began. */
    const headsNow = (): Map<string, readonly string[]> => new Map([...startHeads].map(([bind, before]) => [bind, heads.get(bind) ?? before] as const));
    /**
     * The run was asked to stop before step `i` (one step after the other): what is still on its
     * way to the server completes first (a COMMIT in flight, a deferred version-table write: a
     * failure there is that step's, reported as a failure), a per-run transaction keeps what it
     * completed; then the run rejects with an {@link InterruptedError}.
     */
    const stopBefore = async (i: number): Promise<never> => {
      const failedBefore = (error: MigrationError): MigrationError => {
        results.pop(); // that step is not applied
        emit({ type: 'bind-done', bind: error.bind, ok: false, heads: error.at ?? startHeads.get(error.bind) ?? [] });
        return withRun(error, { completed: applied(results) });
      };
      for (const [bind, committing] of [...committingOf]) {
        const failure = await committing.settle();
        committingOf.delete(bind);
        if (failure) throw failedBefore(failure);
      }
      for (const deferred of [...deferredOf.values()]) {
        try {
          await deferred.send();
        } catch (failure) {
          if (failure instanceof DeferredWriteFailure) throw failedBefore(failure.error);
          throw failure;
        }
      }
      for (const bind of [...open]) {
        const last = [...plan.steps.slice(0, i)].reverse().find((s) => s.bind === bind);
        const failure = await keepCompleted(bind, last);
        if (failure) throw withRun(failure, { completed: applied(results) });
      }
      const pending: SkippedStep[] = plan.steps.slice(i).map((s) => ({ bind: s.bind, revision: s.revision }));
      throw new InterruptedError({ reason: signal?.reason, completed: applied(results), pending, heads: headsNow() });
    };

    if (concurrency === 1) {
      for (let i = 0; i < plan.steps.length; i++) {
        const step = plan.steps[i]!;
        // Asked to stop: no step starts after the signal (one that came during the synchronous
        // work of the step before, SQLite's, is delivered by the event loop's turn first).
        if (signal) await eventLoopTurn();
        if (signal?.aborted) await stopBefore(i);
        let outcome: StepOutcome;
        try {
          outcome = await runStep(i);
        } catch (error) {
          await settleAllCommitting(); // what committed is reported
          await sendAllDeferred(); // what completed is recorded
          throw error;
        }
        if (!outcome.ok) {
          // Other binds with an open per-run transaction are rolled back too: the run stopped.
          for (const bind of open) {
            await ctx.bind(bind).connection.rollback().catch(() => undefined);
            rolledBackOn(bind);
          }
          open.clear();
          // The step before failed at its deferred version-table write: it is not applied, and this
          // one never started.
          if (outcome.previousFailed) results.pop();
          emit({ type: 'bind-done', bind: step.bind, ok: false, heads: outcome.previousFailed ? (outcome.error.at ?? step.headsBefore) : step.headsBefore });
          const notRun = [...new Set(plan.steps.slice(i + 1).map((s) => s.bind))].filter((b) => b !== step.bind);
          const completed = applied(results);
          if (!notRun.length && !completed.length) throw outcome.error;
          const linked = notRun.length ? waitingOnFailure(ctx.map, plan, outcome.previousFailed ? i - 1 : i, notRun) : [];
          throw withRun(outcome.error, { ...(notRun.length ? { notRun, linked } : {}), completed });
        }
        results.push(outcome.result);
      }
      await settleAllCommitting(); // none: a bind's last step commits before it returns
      await sendAllDeferred(); // none: a bind's last step holds nothing back
      // Asked to stop during the last step (a signal that came during its synchronous work,
      // SQLite's, is delivered by the event loop's turn first): nothing was left, yet the run was
      // interrupted, as the caller asked; it ends as one stopped before a step (no afterRun).
      // A part of a larger run leaves that to the whole run, which checks once after its groups.
      if (signal && !options.part) {
        await eventLoopTurn();
        if (signal.aborted) throw new InterruptedError({ reason: signal.reason, completed: applied(results), heads: headsNow() });
      }
    } else {
      results.push(...(await runConcurrently(plan, waits!, concurrency, runStep, {
        emit,
        startHeads,
        heads,
        unreachable,
        unopened,
        applied,
        signal,
        part: options.part === true,
        headsNow,
        // A bind stopped by another bind's failure, or by the signal, keeps what it completed.
        finishSkipped: keepCompleted,
      })));
    }
    if (!options.part) await ctx.hooks?.afterRun?.(hookCtx);
    const elapsedMs = performance.now() - started;
    if (!options.part) emit({ type: 'run-done', ok: true, elapsedMs });
    return { steps: results, heads, elapsedMs };
  } catch (error) {
    if (!options.part) {
      // The binds the signal stopped end with the run.
      for (const event of interruptedBindEvents(error)) emit(event);
      emit({ type: 'run-done', ok: false, elapsedMs: performance.now() - started });
    }
    throw error;
  }
}

/**
 * The line of `file` in the first frame of `stack` that names it (`at upgrade (/app/…/ab12_x.ts:4:9)`,
 * or `at async upgrade (…)` where an awaited statement failed), or `undefined`.
 */
function lineOfFile(stack: string | undefined, file: string): number | undefined {
  if (stack === undefined) return undefined;
  for (let at = stack.indexOf(`${file}:`); at >= 0; at = stack.indexOf(`${file}:`, at + 1)) {
    const match = /^:(\d+):\d+\)?$/m.exec(stack.slice(at + file.length, stack.indexOf('\n', at) >>> 0));
    if (match) return Number(match[1]);
  }
  return undefined;
}
