import { listArgument } from './list-argument.js';
import type { LockHolder } from '../dialect/dialect.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { PRE_RECORDED_FIRST_WRITE, type InFlightRevision } from '../runtime/progress-table.js';

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
  /**
   * `true` when it is the bind's revision in flight ({@link CurrentBind.inFlight}, which has the
   * details): its downgrade stopped part way (MySQL, MariaDB), so its row is still in the version
   * table but the database is no longer at it. Omitted otherwise.
   */
  readonly inFlight?: boolean;
}

/**
 * A bind's revision in flight, as `current` and `status` show it: stopped part way on a database
 * whose DDL is not transactional (MySQL, MariaDB), not in the version table.
 */
export interface RevisionInFlight {
  /** The revision. */
  readonly revision: string;
  /** `'up'` (its upgrade) or `'down'` (its downgrade). */
  readonly direction: 'up' | 'down';
  /** Its writes recorded so far (completed, or sent with completion not recorded). */
  readonly writes: number;
  /**
   * The last write recorded, described (`createTable t2`); with no write recorded under a header
   * an earlier multidb recorded ahead (`InFlightRevision.preRecorded`): `its first write (possibly sent, completion
   * not recorded)`.
   */
  readonly last: string;
}

/**
 * The summary `current` and `status` show of a bind's {@link InFlightRevision} (it has a write at
 * least, or an earlier multidb recorded its header ahead).
 */
export function inFlightSummary(flight: InFlightRevision): RevisionInFlight {
  return { revision: flight.revision, direction: flight.direction, writes: flight.writes.length, last: flight.writes.at(-1)?.description ?? PRE_RECORDED_FIRST_WRITE };
}

/** Where one bind stands. */
export interface CurrentBind {
  /** The bind's name. */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /** The URL with its password masked. */
  readonly displayUrl: string;
  /**
   * Whether its version table could be read (a database that does not exist yet, such as a
   * missing SQLite file, counts as read: it is at base, see {@link missingDatabase}).
   */
  readonly reachable: boolean;
  /** Why it is not reachable (first line of the error, every password masked); absent when reachable. */
  readonly reason?: string;
  /**
   * `true` when it was not read because its configuration was refused before connecting (a
   * `ConfigError` such as `UnsupportedBindOptionError`: `schema` on MySQL/MariaDB; a `UrlError`:
   * a URL no dialect takes, `mssql://…`, or one its dialect cannot parse): not a server that cannot
   * be reached; {@link reason} says what to change. Omitted otherwise.
   */
  readonly misconfigured?: boolean;
  /**
   * Set when its database does not exist (and was not created):
   * `database file /srv/app/.data/default.db does not exist`. The bind is then at base.
   */
  readonly missingDatabase?: string;
  /** Its version-table rows (`[]`: base, or unreachable). */
  readonly revisions: readonly CurrentRevision[];
  /**
   * Whether the bind is on all its branch's heads: its version table holds exactly the heads of
   * its branch in the scripts, and no revision is in flight (what Alembic's `current --check-heads`
   * checks). `false` when it is behind, ahead of the scripts (a revision none declares), at one of
   * several heads, or unreachable.
   */
  readonly atHeads: boolean;
  /**
   * Who holds its migration lock, where the dialect can tell: a Galera cluster's lease, the server
   * session holding a PostgreSQL or MySQL/MariaDB lock (see `LockHolder`).
   */
  readonly lockHolder?: LockHolder;
  /**
   * The revision the bind has in flight: stopped part way on a database whose DDL is not
   * transactional (MySQL, MariaDB), not in the version table. Omitted: none.
   */
  readonly inFlight?: RevisionInFlight;
}

/**
 * `migrate current`: the current revision(s) of each bind (or the given ones), read from the
 * version tables. Creates nothing (a missing SQLite file is reported, at base). An unreachable
 * bind does not stop the others: it is returned with `reachable: false` and a masked `reason`
 * (and `misconfigured: true` when its configuration was refused before connecting). A row whose
 * downgrade stopped part way is marked `inFlight`. Its reads are one read of the binds
 * (`MigrationEnvironment.reading`): an `upgrade`, `downgrade` or `stamp` of the same environment
 * started meanwhile waits for it; a bind such a command already holds is unreachable, saying so.
 *
 * @param binds - bind names, or one bind's name (default: every bind, in config order).
 * @returns one entry per bind, in the order given.
 * @throws `UnknownBindError`; `DuplicateDatabaseError` when two reachable binds share a database.
 * @example
 * ```ts
 * for (const b of await commands.current(env)) {
 *   if (!b.reachable) console.log(b.bind, 'unreachable:', b.reason);
 *   else console.log(b.bind, b.revisions.map((r) => r.revision).join(', ') || '<base>');
 * }
 * ```
 */
export async function current(env: MigrationEnvironment, binds: string | readonly string[] = env.bindNames): Promise<CurrentBind[]> {
  const names = listArgument(binds, 'current() binds', "'db2'").map((b) => env.bind(b).name);
  // One read of every bind (version table, lock holder, progress): an upgrade of this environment
  // started meanwhile waits for it (see `env.reading`).
  return env.reading(names, () => readCurrent(env, names));
}

/** {@link current} of `names`, inside its read. */
async function readCurrent(env: MigrationEnvironment, names: readonly string[]): Promise<CurrentBind[]> {
  const map = await env.revisionMap();
  // Each bind read once: its version table, then on the same connection its lock holder and its
  // revision in flight (what cannot be read of those is left out, and the other binds are still
  // shown). An environment of many binds opens them 16 at a time, each closed once read.
  const reads = await env.readHeads(names, { lockHolder: true, inFlight: true });
  return names.map((name) => {
    const b = env.bind(name);
    const base = { bind: name, branch: b.branch, displayUrl: b.displayUrl };
    const read = reads.get(name)!;
    if (read.kind === 'unreachable') return { ...base, reachable: false, reason: read.reason, revisions: [], atHeads: false };
    if (read.kind === 'misconfigured') return { ...base, reachable: false, misconfigured: true, reason: read.reason, revisions: [], atHeads: false };
    const holder = read.kind === 'read' ? read.lockHolder : undefined;
    const flight = read.kind === 'read' ? read.inFlight : undefined;
    const branchHeads = map.heads(b.branch);
    const atHeads = flight === undefined && read.heads.length === branchHeads.length && branchHeads.every((head) => read.heads.includes(head));
    return {
      ...base,
      reachable: true,
      ...(read.kind === 'absent' ? { missingDatabase: read.detail } : {}),
      revisions: read.heads.map((revision) => {
        const known = map.has(revision);
        return {
          revision,
          known,
          isHead: branchHeads.includes(revision),
          ...(known ? { message: map.get(revision).message } : {}),
          ...(flight?.revision === revision ? { inFlight: true } : {}),
        };
      }),
      atHeads,
      ...(holder ? { lockHolder: holder } : {}),
      ...(flight ? { inFlight: inFlightSummary(flight) } : {}),
    };
  });
}
