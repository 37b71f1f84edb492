import type { MigrationEnvironment } from '../runtime/environment.js';
import type { RunListener } from '../runtime/run-event.js';

/** Options of {@link resolve}. */
export interface ResolveOptions {
  /** `true`: record the revision in flight as applied; `false`: as not applied. */
  readonly applied: boolean;
  /** Give up waiting for the bind's migration lock after this many milliseconds. */
  readonly lockTimeoutMs?: number;
  /** Receives a `stamp` event when the version table changes (and lock events). An error the listener throws is ignored. */
  readonly onEvent?: RunListener;
}

/** What {@link resolve} recorded. */
export interface ResolveResult {
  /** The bind. */
  readonly bind: string;
  /** The revision that was in flight. */
  readonly revision: string;
  /** The step that was in flight: `'up'` (an upgrade of it) or `'down'` (a downgrade). */
  readonly direction: 'up' | 'down';
  /** Whether it was recorded as applied. */
  readonly applied: boolean;
  /** The version-table rows before, as read from the table under the bind's lock. */
  readonly from: readonly string[];
  /** The version-table rows after. */
  readonly to: readonly string[];
}

/**
 * `migrate resolve BIND --applied | --not-applied`: after a revision stopped part way on a
 * database whose DDL is not transactional (MySQL, MariaDB) and the database was repaired by hand,
 * records the revision as applied or as not applied and forgets its progress (named after Prisma's
 * `migrate resolve`; Atlas calls it `migrate set`, Alembic users would `stamp`, which refuses
 * nothing but knows nothing of progress). The other way out is to run the step again: it resumes.
 *
 * @param bind - the bind with a revision in flight.
 * @returns what was recorded.
 * The version table is read under the bind's lock, and `from` is what it held: a table that
 * already holds the rows to record only has the progress cleared; one changed since the revision
 * stopped (holding neither those rows nor the ones the step started from) is refused.
 *
 * @throws `ResolveError` when the bind has no revision in flight; `ResolveConflictError` when the
 *   version table was changed since; `VersionTableConflictError`, `LockTimeoutError`, `UnknownBindError`;
 *   `UnknownOptionError` when `options` holds a key {@link ResolveOptions} does not have
 *   (`notApplied`), before anything is opened.
 * @example
 * ```ts
 * const r = await commands.resolve(env, 'db2', { applied: false });
 * console.log(`${r.bind}: ${r.revision} recorded as not applied`);
 * ```
 */
export function resolve(env: MigrationEnvironment, bind: string, options: ResolveOptions): Promise<ResolveResult> {
  return env.resolve(bind, options);
}
