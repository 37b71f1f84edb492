import type { LockHolder } from '../dialect/dialect.js';
import type { MigrationEnvironment } from '../runtime/environment.js';

/** One version-table row of a bind, as `current` shows it. */
export interface CurrentRevision {
  /** The revision id in the row. */
  readonly revision: string;
  /** Whether a script declares it (false: the database is ahead of these scripts, or they lost it). */
  readonly known: boolean;
  /** Whether it is a head of the bind's branch. */
  readonly isHead: boolean;
  /** Its message, when known. */
  readonly message?: string;
}

/** Where one bind stands. */
export interface CurrentBind {
  /** The bind's name. */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /** The URL with its password masked. */
  readonly displayUrl: string;
  /** Its version-table rows (`[]`: base). */
  readonly revisions: readonly CurrentRevision[];
  /** Who holds its migration lock, where the dialect can tell (a Galera cluster's lease). */
  readonly lockHolder?: LockHolder;
  /**
   * The revision the bind has in flight: stopped part way on a database whose DDL is not
   * transactional (MySQL, MariaDB), not in the version table. Omitted: none.
   */
  readonly inFlight?: {
    /** The revision. */
    readonly revision: string;
    /** `'up'` (its upgrade) or `'down'` (its downgrade). */
    readonly direction: 'up' | 'down';
    /** Its writes recorded so far (completed, or sent with completion not recorded). */
    readonly writes: number;
    /** The last write recorded, described (`createTable t2`). */
    readonly last: string;
  };
}

/**
 * `migrate current`: the current revision(s) of each bind (or one), read from the version tables.
 *
 * @param binds - bind names (default: every bind, in config order).
 * @throws `UnknownBindError`; connection errors (masked); `DuplicateDatabaseError`.
 * @example
 * ```ts
 * for (const b of await current(env)) console.log(b.bind, b.revisions.map((r) => r.revision).join(', ') || '<base>');
 * ```
 */
export async function current(env: MigrationEnvironment, binds: readonly string[] = env.bindNames): Promise<CurrentBind[]> {
  const names = binds.map((b) => env.bind(b).name);
  const map = await env.revisionMap();
  const heads = await env.currentHeads(names);
  const holders = await env.lockHolders(names);
  const inFlight = await env.inFlight(names);
  return names.map((name) => {
    const holder = holders.get(name);
    const flight = inFlight.get(name);
    const b = env.bind(name);
    const branchHeads = map.heads(b.branch);
    return {
      bind: name,
      branch: b.branch,
      displayUrl: b.displayUrl,
      revisions: (heads.get(name) ?? []).map((revision) => {
        const known = map.has(revision);
        return { revision, known, isHead: branchHeads.includes(revision), ...(known ? { message: map.get(revision).message } : {}) };
      }),
      ...(holder ? { lockHolder: holder } : {}),
      ...(flight
        ? { inFlight: { revision: flight.revision, direction: flight.direction, writes: flight.writes.length, last: flight.writes.at(-1)!.description } }
        : {}),
    };
  });
}
