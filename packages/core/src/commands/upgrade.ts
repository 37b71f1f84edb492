import type { MigrationEnvironment, RunOptions } from '../runtime/environment.js';
import type { RunResult } from '../runtime/runner.js';

/**
 * `migrate upgrade`: every bind to its head, or the given targets (DESIGN §2). See
 * `MigrationEnvironment.upgrade` for the sequence (connect, lock, read, plan, validate, run).
 *
 * @param targets - targets as written, an array or one string (default: `head` of every bind).
 * @returns the steps run (empty when every selected bind is at its target) and the heads after.
 * @throws `MigrationError` (the bind stays at its last good revision), `RunError` with
 *   `concurrency` > 1, `LockTimeoutError`, and the target and planner errors; `InterruptedError`
 *   when `options.signal` was aborted during the run, even during its last revision (the ones
 *   in progress finished first);
 *   `UnknownOptionError` when `options` holds a key `RunOptions` does not have (`lockTimeout`), and
 *   `MultidbError` `INVALID_OPTION` for targets that are not strings (an options object given in
 *   their place), both before anything is opened.
 * @example
 * ```ts
 * const result = await commands.upgrade(env, ['db2@head'], { onEvent: (e) => console.error(e.type) });
 * if (result.steps.length === 0) console.log('Nothing to upgrade');
 * ```
 * @example
 * ```ts
 * // Stop after the revision in progress on Ctrl-C (the run then rejects with an InterruptedError).
 * const controller = new AbortController();
 * process.once('SIGINT', () => controller.abort('SIGINT'));
 * await commands.upgrade(env, [], { signal: controller.signal });
 * ```
 */
export function upgrade(env: MigrationEnvironment, targets: string | readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  return env.upgrade(targets, options);
}
