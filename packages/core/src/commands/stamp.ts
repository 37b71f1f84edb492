import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import type { RunListener } from '../runtime/run-event.js';
import type { StampResult } from '../runtime/stamp-result.js';

/** Options of {@link stamp}. */
export interface StampOptions {
  /**
   * Delete every row of the version table first, whatever it holds; on a bind with a revision in
   * flight (MySQL/MariaDB), also forget its progress (the writes it completed stay in the database).
   */
  readonly purge?: boolean;
  /**
   * Receives lock events, and per bind changed a `stamp` event then its `bind-done` (`interrupted`
   * when `signal` stopped it; see `MigrationEnvironment.stamp`). An error the listener throws is
   * ignored: it does not stop the stamp.
   */
  readonly onEvent?: RunListener;
  /** Give up waiting for a bind's migration lock after this many milliseconds. */
  readonly lockTimeoutMs?: number;
  /**
   * Stamp every bind of a shared branch when a target names one of its revisions or labels
   * (`--all-binds`); without it such a target is refused with a `SharedBranchError`. Default `false`.
   */
  readonly allBinds?: boolean;
  /**
   * Asks the stamp to stop: once aborted, no further bind's version table is written and the
   * stamp rejects with an `InterruptedError` (see `StampRunOptions.signal`).
   */
  readonly signal?: AbortSignal;
}

/** The keys of {@link StampOptions}. */
const STAMP_OPTIONS = keysOf<StampOptions>({ purge: true, onEvent: true, lockTimeoutMs: true, allBinds: true, signal: true });

/**
 * `migrate stamp`: sets version tables to the targets without running any revision, under the
 * binds' migration locks. A bind whose database does not exist (a SQLite file not created yet) is
 * at base: a stamp to base leaves it absent, a stamp of a revision creates it. A stamp that fails
 * leaves no database it created behind (removed at `env.close()`, as after a failed run).
 *
 * @param targets - targets as written, an array or one string (`db2@head`).
 * @returns one result per selected bind: `from`, `to` (equal when nothing changed) and its
 *   `outcome`, `stamped` (its version table written), `unchanged` (already at the target: nothing
 *   written) or `no-revisions` (its branch has no revision yet, so it stays at base).
 * A bind with a revision in flight (MySQL/MariaDB, stopped part way) is refused before anything is
 * written, unless `purge`: settle it with `migrate resolve` or by running the step again.
 *
 * @throws `PartlyAppliedError` (a revision in flight, without `purge`); `VersionTableError` (a row
 *   no script declares, without `purge`),
 *   `UnreachableBindsError` (binds that cannot be connected, and the binds not stamped: nothing is
 *   written), `VersionTableConflictError`, `LockTimeoutError`, `SharedBranchError`, target errors;
 *   `InterruptedError` once `options.signal` is aborted during the stamp (binds left to write or not);
 *   `UnknownOptionError` when `options` holds a key {@link StampOptions} does not have (`binds`),
 *   before anything is opened.
 * @example
 * ```ts
 * const [db2] = await commands.stamp(env, ['db2@head']); // { bind: 'db2', from: [], to: ['3f2a9c1d7b40'], outcome: 'stamped' }
 * await commands.stamp(env, ['c1branch@base']); // only the rows of that line
 * ```
 */
export async function stamp(env: MigrationEnvironment, targets: string | readonly string[], options: StampOptions = {}): Promise<StampResult[]> {
  checkOptions('stamp()', options, STAMP_OPTIONS);
  return env.stamp(targets, options);
}
