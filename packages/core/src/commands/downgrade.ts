import type { MigrationEnvironment, RunOptions } from '../runtime/environment.js';
import type { RunResult } from '../runtime/runner.js';

/**
 * `migrate downgrade`: `db2` steps db2 back one revision and touches no other bind; also
 * `db2@-2`, `db2@base`, a revision, `base`. With several binds, a bare downgrade or `-N` needs a
 * bind.
 *
 * @param target - the target as written (`undefined`: one step back, with one bind only).
 * @returns the steps run.
 * @throws `BindRequiredError`, `DependencyError` (another bind's applied revision depends on one
 *   it would remove), `MigrationError`, `LockTimeoutError`, target errors.
 * @example
 * ```ts
 * await downgrade(env, 'db2');
 * ```
 */
export function downgrade(env: MigrationEnvironment, target: string | undefined, options: RunOptions = {}): Promise<RunResult> {
  return env.downgrade(target, options);
}
