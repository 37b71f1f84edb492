import { BindRequiredError, InterruptedError, LockTimeoutError, MultidbError, RunError, SharedBranchError, TargetUsageError } from '@multidb/core';
import { CommanderError } from 'commander';

/** Exit codes of `migrate` (the README's "Exit codes" table). */
export const ExitCode = Object.freeze({
  ok: 0,
  /**
   * Any error: an unknown bind or revision, a failing revision, a database error, an unreachable
   * bind; `check` when a bind could not be compared (not at its head, a revision in flight,
   * unreachable, misconfigured, its models refused), even when another bind differs.
   */
  error: 1,
  /**
   * Bad command-line usage: an unknown command or option, a missing or malformed argument (a
   * revision target such as `head+1`, or one that steps the wrong way: `upgrade -1`), a
   * command that needs a bind named (bare `downgrade` or `revision` with several binds) or
   * `--all-binds` (a revision of a branch several binds share).
   */
  usage: 2,
  /**
   * `--lock-timeout` elapsed before the migration lock was free (with `--concurrency`: every bind
   * that failed, failed that way; the others ran).
   */
  lockTimeout: 3,
  /**
   * `check`: a bind's models and database differ, and every bind was compared (a bind that could
   * not be is {@link ExitCode}.error); `codegen --verify`: a types file is stale or missing.
   */
  differences: 4,
  /**
   * `upgrade`, `downgrade`, `stamp` stopped by Ctrl-C (SIGINT; 128 + 2, as a shell reports it):
   * after the revisions in progress (core's `InterruptedError`), or at once on a second signal.
   */
  interrupted: 130,
  /** The same, stopped by SIGTERM (128 + 15). */
  terminated: 143,
});

/**
 * The exit code of a run a signal stopped: {@link ExitCode}.terminated for `'SIGTERM'`,
 * {@link ExitCode}.interrupted otherwise (`'SIGINT'`, or a reason an embedder aborted with).
 * @param signal - the signal's name, as the CLI aborts core's run with it (`AbortSignal.reason`).
 * @returns 130 or 143.
 * @example
 * ```ts
 * signalExitCode('SIGTERM'); // 143
 * ```
 */
export function signalExitCode(signal: unknown): number {
  return signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}

/**
 * The exit code for an error a command threw: {@link ExitCode}.usage for commander's usage errors,
 * a {@link MultidbError} with code `'USAGE'` (the CLI's `UsageError`), `BindRequiredError`,
 * `SharedBranchError` and `TargetUsageError` (a malformed revision target, or `upgrade -1`); {@link ExitCode}.lockTimeout for a `LockTimeoutError` (the locks of binds
 * a plan orders together are all taken before their first step; independent tenants each take
 * theirs when their turn comes), and for a `RunError` (a run with `concurrency`) whose every
 * failed bind stopped at a `LockTimeoutError` (no revision failed, no bind was unreachable, no
 * signal stopped it): the binds whose lock was free ran, and a deploy script can retry on 3 as
 * it does without `--concurrency`; {@link ExitCode}.interrupted (130) or {@link ExitCode}.terminated
 * (143) for core's `InterruptedError`, by the signal its run was stopped with (its `reason`);
 * {@link ExitCode}.error otherwise. Decided by type, never by the message.
 *
 * @param error - what was thrown.
 * @returns 1, 2, 3, 130 or 143 (0 for commander's `--help`/`--version` exits).
 * @example
 * ```ts
 * exitCodeOf(new LockTimeoutError('db2', 5000)); // 3
 * ```
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof BindRequiredError || error instanceof SharedBranchError || error instanceof TargetUsageError) return ExitCode.usage;
  if (error instanceof MultidbError && error.code === 'USAGE') return ExitCode.usage;
  if (error instanceof LockTimeoutError || onlyLockTimeouts(error)) return ExitCode.lockTimeout;
  if (error instanceof InterruptedError) return signalExitCode(error.reason);
  return ExitCode.error;
}

/** A run's failure in which every failed bind only timed out waiting for its migration lock. */
function onlyLockTimeouts(error: unknown): boolean {
  return (
    error instanceof RunError &&
    error.failures.length === 0 &&
    error.unreachable.length === 0 &&
    error.interrupted === undefined &&
    error.stopped.length > 0 &&
    error.stopped.every((s) => s.error instanceof LockTimeoutError)
  );
}
