import { listArgument } from './list-argument.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { offlinePlanInput } from '../runtime/offline-range.js';
import type { OfflineScript } from '../runtime/offline-script-writer.js';
import { planUpgrade } from '../script/planner.js';
import { planScripts } from './offline-scripts.js';

/** Options of {@link upgradeSql} and `downgradeSql`. */
export interface OfflineRunOptions {
  /** The revisions' `op.xArgs`, Alembic's `-x` (default `{}`). */
  readonly xArgs?: Readonly<Record<string, string>>;
}

/** The keys of {@link OfflineRunOptions}. */
export const OFFLINE_RUN_OPTIONS = keysOf<OfflineRunOptions>({ xArgs: true });

/**
 * `migrate upgrade --sql [BIND@]FROM:TO …` (offline mode, Alembic's `--sql`): the SQL each
 * revision of the upgrade would run, per bind in that bind's dialect, without connecting. A range
 * is `[BIND@]FROM:TO` (`FROM`: `base`, `head`, `heads` or revisions) or a bare target (`head`,
 * `db2@head`, a revision), which starts from base; binds no range starts start at base too. No
 * database is opened and no driver loads; revision modules are imported.
 *
 * Each script has a header comment naming the bind and dialect, the dialect's prologue, the
 * creation of the version table when it starts from base, then per revision a comment, the
 * transaction an online run would use, the revision's statements (data changes as literal SQL)
 * and the version-table update.
 *
 * @param ranges - ranges as written, an array or one string (default: every bind from base to its head).
 * @param options - `xArgs`: the revisions' `op.xArgs` (Alembic's `-x`; default `{}`).
 * @returns one script per bind with steps, dependencies first; `[]` when every bind is at its target.
 * @throws `OfflineError` (an op needs the live schema: its `field` says what to add; an `op.db`
 *   read; a revision that throws), `ScriptError`, and the range, target and planner errors;
 *   `UnknownOptionError` when `options` holds a key {@link OfflineRunOptions} does not have
 *   (`xargs`), before anything is read.
 * @example
 * ```ts
 * for (const script of await commands.upgradeSql(env, ['db2@4fcf6e3a8f8c:head'])) process.stdout.write(script.sql);
 * ```
 */
export async function upgradeSql(env: MigrationEnvironment, ranges: string | readonly string[] = [], options: OfflineRunOptions = {}): Promise<OfflineScript[]> {
  checkOptions('upgradeSql()', options, OFFLINE_RUN_OPTIONS);
  const { targets, states } = await offlinePlanInput(env, listArgument(ranges, 'upgradeSql() ranges', "'db2@base:head'"), 'up');
  return planScripts(env, planUpgrade(await env.revisionMap(), states, targets), 'upgrade', options.xArgs);
}
