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
  /**
   * Whether its version table could be read (a database that does not exist yet, such as a
   * missing SQLite file, counts as read: it is at base, see {@link missingDatabase}).
   */
  readonly reachable: boolean;
  /** Why it is not reachable (first line of the error, every password masked); absent when reachable. */
  readonly reason?: string;
  /**
   * Set when its database does not exist (and was not created):
   * `database file /srv/app/.data/default.db does not exist`. The bind is then at base.
   */
  readonly missingDatabase?: string;
  /** Its version-table rows (`[]`: base, or unreachable). */
  readonly revisions: readonly CurrentRevision[];
}

/**
 * `migrate current`: the current revision(s) of each bind (or the given ones), read from the
 * version tables. Creates nothing (a missing SQLite file is reported, at base). An unreachable
 * bind does not stop the others: it is returned with `reachable: false` and a masked `reason`.
 *
 * @param binds - bind names (default: every bind, in config order).
 * @returns one entry per bind, in the order given.
 * @throws `UnknownBindError`; `DuplicateDatabaseError` when two reachable binds share a database.
 * @example
 * ```ts
 * for (const b of await current(env)) {
 *   if (!b.reachable) console.log(b.bind, 'unreachable:', b.reason);
 *   else console.log(b.bind, b.revisions.map((r) => r.revision).join(', ') || '<base>');
 * }
 * ```
 */
export async function current(env: MigrationEnvironment, binds: readonly string[] = env.bindNames): Promise<CurrentBind[]> {
  const names = binds.map((b) => env.bind(b).name);
  const map = await env.revisionMap();
  const reads = await env.readHeads(names);
  return names.map((name) => {
    const b = env.bind(name);
    const base = { bind: name, branch: b.branch, displayUrl: b.displayUrl };
    const read = reads.get(name)!;
    if (read.kind === 'unreachable') return { ...base, reachable: false, reason: read.reason, revisions: [] };
    const branchHeads = map.heads(b.branch);
    return {
      ...base,
      reachable: true,
      ...(read.kind === 'absent' ? { missingDatabase: read.detail } : {}),
      revisions: read.heads.map((revision) => {
        const known = map.has(revision);
        return { revision, known, isHead: branchHeads.includes(revision), ...(known ? { message: map.get(revision).message } : {}) };
      }),
    };
  });
}
