import { listArgument } from './list-argument.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { offlinePlanInput } from '../runtime/offline-range.js';
import { OfflineScriptWriter, type OfflineScript } from '../runtime/offline-script-writer.js';
import { planStamp } from '../script/planner.js';
import { offlineBind } from './offline-scripts.js';

/** Options of {@link stampSql}. */
export interface StampSqlOptions {
  /** Delete every row of the version table first (`stamp --purge --sql`); default `false`. */
  readonly purge?: boolean;
}

/** The keys of {@link StampSqlOptions}. */
const STAMP_SQL_OPTIONS = keysOf<StampSqlOptions>({ purge: true });

/**
 * `migrate stamp --sql [BIND@]FROM:TO …` (offline mode): the SQL that sets version tables to the
 * targets without running revisions, per bind, without connecting. A bind starts at `FROM`, or at
 * base (the script then creates the version table first). With `purge`, every row is deleted
 * first. A bind whose rows would not change gets no script (unless `purge`).
 *
 * @param ranges - one or more ranges or targets (`db2@head`, `db2@4fcf:head`, `heads`); one may be given as a string.
 * @param options - `purge`: delete every row first (`stamp --purge`).
 * @returns one script per bind that changes, in config order.
 * @throws `RevisionError` for no target; the range, target and planner errors;
 *   `UnknownOptionError` when `options` holds a key {@link StampSqlOptions} does not have, before
 *   anything is read.
 * @example
 * ```ts
 * const [script] = await stampSql(env, ['db2@head']);
 * ```
 */
export async function stampSql(env: MigrationEnvironment, ranges: string | readonly string[], options: StampSqlOptions = {}): Promise<OfflineScript[]> {
  checkOptions('stampSql()', options, STAMP_SQL_OPTIONS);
  ranges = listArgument(ranges, 'stampSql() ranges', "'db2@head'");
  const purge = options.purge ?? false;
  const map = await env.revisionMap();
  const { targets, states } = ranges.length ? await offlinePlanInput(env, ranges, 'stamp') : { targets: [], states: [] };
  const scripts: OfflineScript[] = [];
  for (const change of planStamp(map, states, targets, { purge })) {
    const unchanged = change.from.length === change.to.length && change.from.every((r) => change.to.includes(r));
    if (unchanged && !purge) continue;
    scripts.push(new OfflineScriptWriter(await offlineBind(env, change.bind)).stamp(change, purge));
  }
  return scripts;
}
