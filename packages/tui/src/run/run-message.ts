import { oneLine, stoppedWhere, type RunEvent } from '@multidb/core';

/**
 * An error as it crosses a worker boundary: plain data, with the fields of core's typed errors
 * (`MigrationError`'s bind, revision, file, statement, partial, resumable, detail and hint;
 * `LockTimeoutError`'s bind).
 */
export interface RunFailure {
  /** The error's class name (`MigrationError`, `LockTimeoutError`, `ScriptError`, …). */
  readonly name: string;
  /** Core's machine-readable code (`MIGRATION`, `LOCK_TIMEOUT`, …), when it has one. */
  readonly code: string | undefined;
  /** The full message (may span lines). */
  readonly message: string;
  /**
   * The underlying reason: the cause's message for a `MigrationError` and for autogenerate's
   * `CodegenAfterRunError` (code `CODEGEN_AFTER_RUN`: what the codegen after a completed run threw),
   * else the message's first line.
   */
  readonly reason: string;
  /**
   * The bind the error names (`MigrationError`, `LockTimeoutError`, `BindError`…), when it names
   * one.
   */
  readonly bind: string | undefined;
  /** The revision that failed, when known. */
  readonly revision: string | undefined;
  /** The revision's file, when known. */
  readonly file: string | undefined;
  /** The SQL statement that failed. */
  readonly statement: string | undefined;
  /** True when part of the revision may remain (a dialect without transactional DDL). */
  readonly partial: boolean;
  /** True when the revision ran outside a transaction and is known to have applied nothing (MySQL: it failed before its first write). */
  readonly nothingApplied?: boolean;
  /**
   * True when the completed part of a partly applied revision is recorded (MySQL/MariaDB's
   * progress rows), so running it again resumes after its last completed write.
   */
  readonly resumable?: boolean;
  /** True when the revision's progress is tracked but could not be read after the failure (its connection was lost). */
  readonly progressUnread?: boolean;
  /** The server's DETAIL of the failure (PostgreSQL: `Key (email)=(ann@example.org) is duplicated.`), when it sent one. */
  readonly detail?: string;
  /** The server's HINT of the failure, when it sent one. */
  readonly hint?: string;
  /**
   * The binds that could not be connected (or identified), each with its own message, when the
   * error lists them (core's `UnreachableBindsError`, a `RunError`'s `unreachable`), in sorted
   * order of bind.
   */
  readonly unreachable?: readonly { readonly bind: string; readonly reason: string }[];
  /**
   * The groups of a run of tenants (core's `RunError.stopped`) that an error about one of their
   * binds stopped before any of their steps ran (a migration lock not acquired in time, a database
   * that takes no writes, a revision partly applied), in sorted order of bind: the bind the error
   * is about, every bind of the group, and that error, its `reason` as the CLI's line for it says
   * it (`Timed out after 30 s waiting for the migration lock on t2: another run holds it (app1:4242,
   * since …). 't2' stays at 5e5e5e5e5e01 (nothing ran on t2)`: who holds the lock when core's
   * `LockTimeoutError.holder` says so).
   */
  readonly stopped?: readonly StoppedPart[];
  /**
   * What an `UnreachableBindsError` says of the run's other binds: `binds`, those it did not run
   * (its `notRun`); `atGroup`, its `atGroup`: true when the run stopped there after the groups
   * before it (a run of more than 16 binds connects each group at its turn), whether or not they
   * ran steps; false when nothing ran (it connects every bind before its first step).
   */
  readonly notRun?: { readonly binds: readonly string[]; readonly atGroup: boolean };
  /**
   * A run of targets that count revisions from where each bind stands (a downgrade to `db2@-3`)
   * that completed steps and stopped part way (ctrl+c, a failed revision, a migration lock not
   * acquired, a bind not reached): those targets, as written (core's `relative` of `RunError`,
   * `MigrationError`, `InterruptedError`, `LockTimeoutError`, `UnreachableBindsError`: `['db2@-3']`).
   * Running them again would step again the binds that ran; {@link retry} and
   * {@link retryByHand} say what to run instead, and when both are absent no command finishes
   * the run (a downgrade of one line of a branch with several heads). Absent otherwise.
   */
  readonly relative?: readonly string[];
  /**
   * A run of targets that count revisions from where each bind stands (a downgrade to `db2@-3`)
   * that stopped part way (ctrl+c, a failed revision, a migration lock not acquired, a bind not
   * reached): the targets that finish what they meant (core's `retry` of `InterruptedError`,
   * `MigrationError`, `RunError`…: `['db2@5e5e5e5e5e02']`), running the same targets again
   * stepping again what ran. Absent otherwise.
   */
  readonly retry?: readonly string[];
  /**
   * Such a run (see {@link retry}): the binds it never reached (nothing was read there) whose
   * targets follow one line of a forked branch (`fa@+1`), which no target for one bind says, so
   * none of {@link retry} is theirs: once such a bind can be reached, it is given by hand the
   * revision those targets lead it to from where it stands (core's `retryByHand` of `RunError`,
   * `MigrationError`, `InterruptedError`, `LockTimeoutError`, `UnreachableBindsError`:
   * `[{ bind: 't3', targets: ['fa@+1'] }]`), in run order. Absent when none.
   */
  readonly retryByHand?: readonly RetryByHand[];
}

/** A group of binds stopped before any of its steps ran (see {@link RunFailure.stopped}). */
export interface StoppedPart {
  /** The bind the error is about. */
  readonly bind: string;
  /** Every bind of the group, none of which ran a step. */
  readonly binds: readonly string[];
  /** The error, its `reason` ending with where the bind stays. */
  readonly error: RunFailure;
}

/** A bind a stopped run leaves to be given its revision by hand (see {@link RunFailure.retryByHand}). */
export interface RetryByHand {
  /** The bind. */
  readonly bind: string;
  /** Every target of the run that concerns it, as written (`'fa@+1'`). */
  readonly targets: readonly string[];
}

/** A run event with its error (if any) turned into a {@link RunFailure}. */
export type TuiRunEvent =
  | Exclude<RunEvent, { type: 'step-failed' }>
  | (Omit<Extract<RunEvent, { type: 'step-failed' }>, 'error'> & { readonly error: RunFailure });

/**
 * What one part of a run reports to the UI, in order: core's events, output the revisions
 * printed, then `finished` (the run returned) or `failed` (it threw) and nothing after.
 */
export type RunMessage =
  | { readonly type: 'event'; readonly event: TuiRunEvent }
  | { readonly type: 'output'; readonly text: string }
  | { readonly type: 'finished' }
  | { readonly type: 'failed'; readonly error: RunFailure };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The binds an error lists as unreachable (each an error with its `bind`), read by name. */
function unreachableOf(value: unknown): { bind: string; reason: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) => {
    const fields = (e ?? {}) as Record<string, unknown>;
    return typeof fields.bind === 'string' && typeof fields.message === 'string' ? [{ bind: fields.bind, reason: fields.message }] : [];
  });
}

/**
 * The groups a run of tenants stopped before their first step (a `RunError`'s `stopped`), read by
 * name, each error's reason as the CLI prints it: its message on one line, then where its bind stays.
 */
function stoppedOf(value: unknown): StoppedPart[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((g: unknown) => {
    const fields = (g ?? {}) as Record<string, unknown>;
    if (typeof fields.bind !== 'string' || !Array.isArray(fields.binds) || !(fields.error instanceof Error)) return [];
    const binds = fields.binds.filter((b): b is string => typeof b === 'string');
    const at = Array.isArray(fields.at) ? fields.at.filter((r): r is string => typeof r === 'string') : undefined;
    const error = toRunFailure(fields.error);
    const where = stoppedWhere({ bind: fields.bind, binds, at, error: fields.error as Parameters<typeof stoppedWhere>[0]['error'] });
    return [{ bind: fields.bind, binds, error: { ...error, reason: oneLine(`${error.message}\n${where}`) } }];
  });
}

/** The binds an error leaves to be given their revision by hand (its `retryByHand`), read by name. */
function byHandOf(value: unknown): RetryByHand[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) => {
    const fields = (e ?? {}) as Record<string, unknown>;
    if (typeof fields.bind !== 'string' || !Array.isArray(fields.targets)) return [];
    return [{ bind: fields.bind, targets: fields.targets.filter((t): t is string => typeof t === 'string') }];
  });
}

/**
 * Turns anything thrown into a {@link RunFailure}. Reads fields by name, not `instanceof`, so an
 * error from another copy of core (a worker, a config's aliased import) converts the same.
 *
 * @example
 * ```ts
 * toRunFailure(new Error('boom')); // { name: 'Error', message: 'boom', reason: 'boom', partial: false, … }
 * ```
 */
export function toRunFailure(error: unknown): RunFailure {
  if (!(error instanceof Error)) {
    const message = String(error);
    return { name: 'Error', code: undefined, message, reason: message, bind: undefined, revision: undefined, file: undefined, statement: undefined, partial: false };
  }
  const fields = error as Error & Record<string, unknown>;
  const cause = fields.cause;
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const fromCause = error.name === 'MigrationError' || fields.code === 'CODEGEN_AFTER_RUN';
  const reason = fromCause && cause !== undefined ? (cause instanceof Error ? cause.message : String(cause)) : firstLine;
  const unreachable = unreachableOf(fields.unreachable);
  // A run of tenants: the groups an error stopped before their first step (a lock not acquired…).
  const stopped = stoppedOf(fields.stopped);
  // An UnreachableBindsError's other binds, not run (a MigrationError's notRun are the binds its
  // group stopped, each shown as not run already).
  const notRun = error.name === 'UnreachableBindsError' && Array.isArray(fields.notRun) ? fields.notRun.filter((b): b is string => typeof b === 'string') : [];
  // Relative targets (`db2@-3`) stopped part way: those targets, and what finishes them.
  const relative = Array.isArray(fields.relative) ? fields.relative.filter((t): t is string => typeof t === 'string') : [];
  const retry = Array.isArray(fields.retry) ? fields.retry.filter((t): t is string => typeof t === 'string') : [];
  // Of those, the binds not reached that no target says: by hand.
  const byHand = byHandOf(fields.retryByHand);
  return {
    name: error.name,
    code: text(fields.code),
    message: error.message,
    reason,
    bind: text(fields.bind),
    revision: text(fields.revision),
    file: text(fields.file),
    statement: text(fields.statement),
    partial: fields.partial === true,
    ...(fields.nothingApplied === true ? { nothingApplied: true } : {}),
    ...(fields.resumable === true ? { resumable: true } : {}),
    ...(fields.progressUnread === true ? { progressUnread: true } : {}),
    ...(typeof fields.detail === 'string' && fields.detail !== '' ? { detail: fields.detail } : {}),
    ...(typeof fields.hint === 'string' && fields.hint !== '' ? { hint: fields.hint } : {}),
    ...(unreachable.length ? { unreachable } : {}),
    ...(stopped.length ? { stopped } : {}),
    ...(notRun.length ? { notRun: { binds: notRun, atGroup: fields.atGroup === true } } : {}),
    ...(relative.length ? { relative } : {}),
    ...(retry.length ? { retry } : {}),
    ...(byHand.length ? { retryByHand: byHand } : {}),
  };
}

/**
 * Makes a core event safe to post to another thread (`step-failed` carries an `Error`).
 * @example
 * ```ts
 * import { parentPort } from 'node:worker_threads';
 * const onEvent: RunListener = (event) => parentPort?.postMessage({ type: 'event', event: toTuiEvent(event) });
 * ```
 */
export function toTuiEvent(event: RunEvent): TuiRunEvent {
  if (event.type !== 'step-failed') return event;
  return { ...event, error: toRunFailure(event.error) };
}
