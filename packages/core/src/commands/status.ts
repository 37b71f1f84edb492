import { listArgument } from './list-argument.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import type { RevisionMap } from '../script/revision-map.js';
import { inFlightSummary, type RevisionInFlight } from './current.js';

/**
 * Where a bind stands:
 * - `up-to-date`: at the head of its branch;
 * - `pending`: revisions to run (see {@link BindStatus.pending});
 * - `ahead`: its version table names revisions no script declares (newer scripts elsewhere);
 * - `multiple-heads`: its branch has several heads (`migrate merge` joins them);
 * - `in-flight`: a revision stopped part way (MySQL/MariaDB, whose DDL commits as it goes): the
 *   database is between two revisions whatever its version table says, so neither up to date nor
 *   merely pending. `revision` and `direction` name the step; `resume` is the command that resumes
 *   it (`migrate upgrade db2`, `migrate downgrade db2@-1`); `migrate resolve` records it after a
 *   repair by hand. {@link BindStatus.inFlight} has the details;
 * - `misconfigured`: its configuration was refused before connecting (a `ConfigError` such as
 *   `UnsupportedBindOptionError`: `schema` on MySQL/MariaDB; a `UrlError`: a URL no dialect takes,
 *   `mssql://…` or `postgress://…`, or one its dialect cannot parse); `reason` says what to change,
 *   password masked;
 * - `unreachable`: cannot connect, or cannot read its version table (`reason`, password masked);
 * - `error`: connected, but its state cannot be planned (`reason` says why).
 */
export type BindCondition =
  | { readonly kind: 'up-to-date' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'ahead'; readonly unknown: readonly string[] }
  | { readonly kind: 'multiple-heads'; readonly heads: readonly string[] }
  | { readonly kind: 'in-flight'; readonly revision: string; readonly direction: 'up' | 'down'; readonly resume: string }
  | { readonly kind: 'misconfigured'; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

/** A revision an upgrade of the bind to its head would run. */
export interface PendingRevision {
  /** The revision id. */
  readonly revision: string;
  /** Its message. */
  readonly message: string;
  /** Absolute path of the revision file. */
  readonly file: string;
  /** Its down revisions. */
  readonly downRevisions: readonly string[];
}

/** One bind's status (`migrate status`, the TUI's binds screen). */
export interface BindStatus {
  /** The bind's name. */
  readonly bind: string;
  /** Its branch. */
  readonly branch: string;
  /**
   * Dialect name (`'sqlite'`, `'postgres'`, `'mysql'`, `'mariadb'`): the server's flavour once its
   * version table was read, as `--sql` and `--json` name it; otherwise the URL's dialect, or `'?'`
   * when no dialect takes the URL.
   */
  readonly dialect: string;
  /** The URL with its password masked. */
  readonly displayUrl: string;
  /** Version-table rows (`[]` at base, or when unreachable). */
  readonly current: readonly string[];
  /** Heads of the bind's branch in the scripts. */
  readonly heads: readonly string[];
  /** The bind's own revisions an upgrade to head would run, in run order (the graph's order). */
  readonly pending: readonly PendingRevision[];
  /** Where the bind stands (see {@link BindCondition}). */
  readonly condition: BindCondition;
  /**
   * Whether its version table could be read (false: `condition` is `unreachable` or `misconfigured`,
   * with the masked reason).
   */
  readonly reachable: boolean;
  /**
   * Set when its database does not exist (and was not created):
   * `database file /srv/app/.data/default.db does not exist`. The bind is then at base.
   */
  readonly missingDatabase?: string;
  /**
   * The revision the bind has in flight, as `current` shows it: stopped part way on a database
   * whose DDL is not transactional (MySQL, MariaDB), not in the version table (so it is among
   * {@link pending} for an upgrade); {@link condition} is then `in-flight`. Omitted: none, or its
   * progress table could not be read.
   */
  readonly inFlight?: RevisionInFlight;
}


/**
 * The status of one bind: its current revisions, its branch's heads, the revisions an upgrade to
 * head would run on it, and a condition. Never rejects for a problem of the bind itself (an
 * unreachable server, a broken repository, a version table naming unknown revisions): that is the
 * condition, with a masked reason. Pending revisions are counted from the graph alone, so a
 * sibling bind that is down does not hide this one's state. Creates nothing: a bind whose database
 * does not exist (a missing SQLite file) is at base, with {@link BindStatus.missingDatabase} set.
 * A revision stopped part way on MySQL/MariaDB is {@link BindStatus.inFlight}, and the condition
 * is `in-flight` (not `up-to-date`, even when its version table is at head: a downgrade stopped).
 * Its reads are one read of the bind (`MigrationEnvironment.reading`): an `upgrade`, `downgrade`
 * or `stamp` of the same environment started meanwhile waits for it, so the status is the bind's
 * as it was before; a bind such a command already holds is `unreachable`, saying so.
 *
 * @throws `UnknownBindError` for a bind the config does not name.
 * @example
 * ```ts
 * const s = await commands.bindStatus(env, 'db2');
 * if (s.condition.kind === 'pending') console.log(`${s.pending.length} to run`);
 * ```
 */
export async function bindStatus(env: MigrationEnvironment, bind: string): Promise<BindStatus> {
  // One read: an upgrade of this environment started meanwhile waits for it (see `env.reading`).
  return env.reading([env.bind(bind).name], () => readStatus(env, bind));
}

/** {@link bindStatus}, inside its read. */
async function readStatus(env: MigrationEnvironment, bind: string): Promise<BindStatus> {
  const reasonOf = (error: unknown) => env.mask((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '');
  const b = env.bind(bind);
  const base = { bind, branch: b.branch, dialect: env.dialectName(bind), displayUrl: b.displayUrl, current: [], heads: [], pending: [], reachable: true };
  let map: RevisionMap;
  try {
    map = await env.revisionMap();
  } catch (error) {
    return { ...base, condition: { kind: 'error', reason: reasonOf(error) } };
  }
  const heads = map.heads(b.branch);
  let read;
  try {
    // A server down: "unreachable"; a URL no dialect takes, an option refused by the config: "misconfigured".
    // A missing SQLite file: at base, not created.
    read = (await env.readHeads([bind])).get(bind)!;
  } catch (error) {
    return { ...base, heads, reachable: false, condition: { kind: 'unreachable', reason: reasonOf(error) } };
  }
  if (read.kind === 'unreachable' || read.kind === 'misconfigured') return { ...base, heads, reachable: false, condition: { kind: read.kind, reason: read.reason } };
  const current = [...read.heads];
  let flight;
  try {
    // What cannot be read of the progress table (no privilege on it) is not shown; the version table was read.
    flight = read.kind === 'read' ? (await env.inFlight([bind])).get(bind) : undefined;
  } catch {
    flight = undefined;
  }
  const row = {
    ...base,
    ...(read.kind === 'read' ? { dialect: read.dialect } : {}),
    heads,
    current,
    ...(read.kind === 'absent' ? { missingDatabase: read.detail } : {}),
    ...(flight ? { inFlight: inFlightSummary(flight) } : {}),
  };
  const unknown = current.filter((r) => !map.has(r));
  if (unknown.length) return { ...row, condition: { kind: 'ahead', unknown } };
  const foreign = current.filter((r) => map.get(r).branch !== b.branch);
  if (foreign.length) {
    const reason = `its version table names ${foreign.join(', ')} of branch '${map.get(foreign[0]!).branch}', not of its branch '${b.branch}' (check binds.${bind}.branch)`;
    return { ...row, condition: { kind: 'error', reason } };
  }
  const applied = new Set(current.length ? map.ancestors(current, { inclusive: true }) : []);
  const pending = (heads.length ? map.ancestors(heads, { inclusive: true }) : [])
    .filter((r) => !applied.has(r))
    .sort((x, y) => map.indexOf(x) - map.indexOf(y))
    .map((r) => {
      const s = map.get(r);
      return { revision: r, message: s.message, file: s.path, downRevisions: s.downRevisions };
    });
  // A revision in flight outranks the rest: what the version table says is not where the database is.
  const condition: BindCondition = flight
    ? { kind: 'in-flight', revision: flight.revision, direction: flight.direction, resume: resumeCommand(bind, flight.direction) }
    : heads.length > 1
      ? { kind: 'multiple-heads', heads }
      : pending.length > 0
        ? { kind: 'pending' }
        : { kind: 'up-to-date' };
  return { ...row, pending, condition };
}

/** The command that resumes a bind's revision in flight (as `PartlyAppliedError` words it). */
function resumeCommand(bind: string, direction: 'up' | 'down'): string {
  return direction === 'up' ? `migrate upgrade ${bind}` : `migrate downgrade ${bind}@-1`;
}

/**
 * `migrate status`: {@link bindStatus} of each bind (default: every bind, in config order).
 * An unreachable bind is reported as such (`reachable: false`, masked reason); the others are
 * still read. Creates no database file or folder. The whole status is one read of its binds
 * (`MigrationEnvironment.reading`): an `upgrade`, `downgrade` or `stamp` of the same environment
 * started while it is in progress waits for it to end before it uses any of them, so each bind is
 * reported as it was before the command (not busy half way through).
 *
 * @param binds - bind names, or one bind's name (default: every bind, in config order).
 *
 * @example
 * ```ts
 * for (const s of await commands.status(env)) console.log(s.bind, s.condition.kind);
 * ```
 */
export async function status(env: MigrationEnvironment, binds: string | readonly string[] = env.bindNames): Promise<BindStatus[]> {
  const names = listArgument(binds, 'status() binds', "'db2'");
  // One read of every bind: an upgrade of this environment started meanwhile waits for the whole
  // status, so no bind of it is reported busy half way (see `env.reading`).
  return env.reading(names.map((b) => env.bind(b).name), async () => {
    const out: BindStatus[] = [];
    for (const bind of names) out.push(await bindStatus(env, bind));
    return out;
  });
}
