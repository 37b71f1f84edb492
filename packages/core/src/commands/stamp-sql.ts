import { listArgument } from './list-argument.js';
import { MultidbError } from '../errors.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { offlinePlanInput } from '../runtime/offline-range.js';
import { OfflineScriptWriter, type OfflineScript } from '../runtime/offline-script-writer.js';
import { planStamp } from '../script/planner.js';
import { offlineBind } from './offline-scripts.js';

/** Options of {@link stampSql}. */
export interface StampSqlOptions {
  /**
   * Not offline: `true` is refused (as Alembic's "Can't use --purge with --sql mode"). A purge
   * forgets whatever rows the version table holds, and a revision in flight: it acts on the live
   * database, with `stamp()`. `false` (the default) is accepted.
   */
  readonly purge?: boolean;
  /**
   * `--all-binds`: a target naming a revision or label of a branch several binds share (tenants)
   * stamps all of them, as `stamp()`'s `allBinds`. Default `false`: such a target is refused,
   * naming the binds.
   */
  readonly allBinds?: boolean;
}

/** The keys of {@link StampSqlOptions}. */
const STAMP_SQL_OPTIONS = keysOf<StampSqlOptions>({ purge: true, allBinds: true });

/**
 * `migrate stamp --sql [BIND@]FROM:TO …` (offline mode): the SQL that sets version tables to the
 * targets without running revisions, per bind, without connecting. A bind starts at `FROM`, or at
 * base (the script then creates the version table first). A bind whose rows would not change gets
 * no script.
 *
 * @param ranges - one or more ranges or targets (`db2@head`, `db2@4fcf:head`, `heads`); one may be given as a string.
 * @param options - `purge: true` is refused (see {@link StampSqlOptions.purge}).
 * @returns one script per bind that changes, in config order.
 * @throws `RevisionError` for no target; the range, target and planner errors;
 *   `UnknownOptionError` when `options` holds a key {@link StampSqlOptions} does not have, and
 *   {@link MultidbError} `USAGE` for `purge: true`, before anything is read.
 * @example
 * ```ts
 * const [script] = await commands.stampSql(env, ['db2@head']);
 * ```
 */
export async function stampSql(env: MigrationEnvironment, ranges: string | readonly string[], options: StampSqlOptions = {}): Promise<OfflineScript[]> {
  checkOptions('stampSql()', options, STAMP_SQL_OPTIONS);
  if (options.purge === true) {
    throw new MultidbError(
      "stampSql(): purge cannot be used offline (--purge with --sql): it forgets whatever rows the version table holds, which a script does not see. Stamp with purge online (stamp()), or write the script without it. Nothing was done.",
      'USAGE',
    );
  }
  ranges = listArgument(ranges, 'stampSql() ranges', "'db2@head'");
  const map = await env.revisionMap();
  const { targets, states } = ranges.length ? await offlinePlanInput(env, ranges, 'stamp', { allBinds: options.allBinds ?? false }) : { targets: [], states: [] };
  const scripts: OfflineScript[] = [];
  for (const change of planStamp(map, states, targets, { purge: false, allBinds: options.allBinds ?? false })) {
    const unchanged = change.from.length === change.to.length && change.from.every((r) => change.to.includes(r));
    if (unchanged) continue;
    scripts.push(new OfflineScriptWriter(await offlineBind(env, change.bind)).stamp(change));
  }
  return scripts;
}
