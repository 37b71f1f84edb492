import type { DowngradeOptions, MigrationEnvironment } from '../runtime/environment.js';
import type { RunResult } from '../runtime/runner.js';

/**
 * `migrate downgrade`: `db2` steps db2 back one revision and touches no other bind; also
 * `db2@-2`, `db2@base`, `db2@<rev>`, a revision, `base`. With several binds, a bare downgrade or
 * `-N` needs a bind. A revision or label of a branch several binds share (tenants) would act on
 * every one of them: it is refused unless `options.allBinds` (or name the bind: `t7@<rev>`).
 * A bind whose database does not exist (a SQLite file not created yet) is at base: it is neither
 * created nor locked.
 *
 * @param target - the target as written (`undefined`: one step back, with one bind only; an array holding one target is taken as it).
 * @param options - run options, and `allBinds` (default `false`).
 * @returns the steps run.
 * @throws `BindRequiredError`, `SharedBranchError`, `DependencyError` (another bind's applied
 *   revision depends on one it would remove), `MigrationError`, `LockTimeoutError`, target errors;
 *   `InterruptedError` when `options.signal` was aborted during the run, revisions left or not (see `RunOptions.signal`);
 *   `UnknownOptionError` when `options` holds a key `DowngradeOptions` does not have (`allbinds`),
 *   before anything is opened.
 * @example
 * ```ts
 * await commands.downgrade(env, 'db2');
 * await commands.downgrade(env, 't7@3f2a'); // one tenant
 * await commands.downgrade(env, '3f2a', { allBinds: true }); // every tenant of the branch
 * ```
 */
export function downgrade(env: MigrationEnvironment, target: string | readonly [string] | undefined, options: DowngradeOptions = {}): Promise<RunResult> {
  return env.downgrade(target, options);
}
