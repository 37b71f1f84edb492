import { listArgument, type MigrationEnvironment } from '@multidb/core';
import type { DetectedChange } from '../compare/detected-change.js';
import { NoModelsError } from './autogenerate-errors.js';
import { compareBind, requireAtHead } from './compare-bind.js';
import { loadModels } from './load-models.js';

/** What `check` found for one bind. */
export interface CheckBindResult {
  /** The bind checked. */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /** `match`: models and database agree; `differs`: see `changes`; `skipped`: the bind has no models. */
  readonly outcome: 'match' | 'differs' | 'skipped';
  /** What differs, one entry per change (`[]` for `match` and `skipped`). */
  readonly changes: readonly DetectedChange[];
  /** Notes: why a bind was skipped, objects a change touches, tables left alone. */
  readonly warnings: readonly string[];
}

/**
 * `migrate check [BIND...]`: whether each bind's database matches its models, for CI. Every bind
 * is checked (tenants sharing a branch included); a bind without models is skipped with a note,
 * but when none of the binds asked about has models nothing would be compared, and that is an
 * error (before any database is opened). A possible rename counts as a difference (it is reported
 * as a drop and an add).
 *
 * @param binds - bind names, or one bind's name (default: every bind).
 * @returns one result per bind, in config order. The CLI exits 4 when any `differs`.
 * @throws {@link NoModelsError} when none of the binds has models (exit 1);
 *   `TargetNotUpToDateError` when a bind is not at head (exit 1), `PartlyAppliedError` when it has a
 *   revision in flight (MySQL/MariaDB; exit 1), `ModelsError`, connection errors.
 * @example
 * ```ts
 * const results = await check(env);
 * if (results.some((r) => r.outcome === 'differs')) process.exitCode = 4;
 * ```
 */
export async function check(env: MigrationEnvironment, binds?: string | readonly string[]): Promise<CheckBindResult[]> {
  const asked = binds === undefined ? [] : listArgument(binds, 'check() binds', "'db2'");
  const names = asked.length ? asked.map((b) => env.bind(b).name) : env.bindNames;
  if (!names.some((bind) => env.bind(bind).config.models !== undefined)) throw new NoModelsError(names, env.loaded);
  const results: CheckBindResult[] = [];
  for (const bind of names) {
    const branch = env.bind(bind).branch;
    const models = await loadModels(env, bind);
    if (!models) {
      results.push({ bind, branch, outcome: 'skipped', changes: [], warnings: [`[${bind}] has no models (binds.${bind}.models): skipped.`] });
      continue;
    }
    // Every rename candidate is read as a drop and an add: either way the database differs. The
    // version table and the schema are one read: an upgrade of this environment started meanwhile
    // waits for it (see `env.reading`).
    const { comparison } = await env.reading(bind, async () => {
      await requireAtHead(env, bind);
      return compareBind(env, bind, models, { resolveRenames: async (_bind, candidates) => ({ reject: [...candidates] }) });
    });
    results.push({ bind, branch, outcome: comparison.ops.length ? 'differs' : 'match', changes: comparison.changes, warnings: comparison.warnings });
  }
  return results;
}
