import { MultidbError, TargetUsageError } from '../errors.js';
import { listArgument } from './list-argument.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { offlinePlanInput } from '../runtime/offline-range.js';
import type { OfflineScript } from '../runtime/offline-script-writer.js';
import { planDowngrade } from '../script/planner.js';
import { planScripts } from './offline-scripts.js';
import { OFFLINE_RUN_OPTIONS, type OfflineRunOptions } from './upgrade-sql.js';
import { checkOptions } from '../option-keys.js';

/**
 * `migrate downgrade --sql [BIND@]FROM:TO` (offline mode): the SQL of a downgrade, per bind,
 * without connecting. Offline there is no version table to say where a bind stands, so the range
 * must give `FROM` (as Alembic's `downgrade --sql` does): `db2@head:base`, `db2@fd2415b8acac:-1`,
 * `head:base` (every bind from its head). See {@link upgradeSql} for what a script holds.
 *
 * @param range - `[BIND@]FROM:TO` (a string; an array holding one is taken as it).
 * @param options - `xArgs`: the revisions' `op.xArgs` (Alembic's `-x`; default `{}`).
 * @returns one script per bind with steps.
 * @throws {@link TargetUsageError} (a `RevisionError`; the CLI's exit 2) for a range without `FROM:`; `OfflineError`, `ScriptError`, and
 *   the range, target and planner errors (`BindRequiredError`, `DependencyError`, …);
 *   `UnknownOptionError` when `options` holds a key {@link OfflineRunOptions} does not have,
 *   before anything is read.
 * @example
 * ```ts
 * const [script] = await commands.downgradeSql(env, 'db2@head:base');
 * ```
 */
export async function downgradeSql(env: MigrationEnvironment, range: string | readonly [string], options: OfflineRunOptions = {}): Promise<OfflineScript[]> {
  checkOptions('downgradeSql()', options, OFFLINE_RUN_OPTIONS);
  const ranges = listArgument(range, 'downgradeSql() range', "'db2@head:base'");
  if (ranges.length !== 1) throw new MultidbError(`downgradeSql() range: give one range ('db2@head:base'); got ${ranges.length}: a downgrade moves to one target.`, 'INVALID_OPTION');
  range = ranges[0]!;
  if (!range.includes(':')) {
    const bind = env.bindNames[0] ?? 'db2';
    throw new TargetUsageError(
      `'downgrade --sql${range.trim() ? ` ${range}` : ''}' needs a range FROM:TO: offline there is no version table to say where a bind stands ` +
        `(e.g. '${bind}@head:base', '${bind}@head:-1', or '<revision>:base').`,
    );
  }
  const { targets, states } = await offlinePlanInput(env, [range], 'down');
  return planScripts(env, planDowngrade(await env.revisionMap(), states, targets[0]), 'downgrade', options.xArgs);
}
