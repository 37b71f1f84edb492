import { createHash } from 'node:crypto';
import { type LockTimeoutError, type DialectConnection, type LockHolder, type LockOptions } from '@multidb/core';
import { pollLock, type LockAnswerGuard } from '../shared/poll-lock.js';

/**
 * The 64-bit advisory-lock key of a lock name in one database (and schema): the first 8 bytes of
 * SHA-256 over `database`, `schema` and `name` (NUL-separated), as a signed `bigint`, the type
 * `pg_advisory_lock(bigint)` takes. Advisory locks are server-wide, so the database is part of
 * the key; the hash is stable across processes, machines and versions.
 *
 * @param name - the lock name (unique per bind and version table).
 * @param database - `current_database()`.
 * @param schema - the bind's schema, if any.
 * @returns the key, in `[-2^63, 2^63)`.
 * @example
 * ```ts
 * postgresLockKey('multidb::multidb_version', 'sales'); // e.g. -3326626187766540613n
 * ```
 */
export function postgresLockKey(name: string, database: string, schema = ''): bigint {
  const digest = createHash('sha256').update(`${database}\0${schema}\0${name}`).digest();
  return digest.readBigInt64BE(0);
}

/**
 * The migration lock of one PostgreSQL bind (DESIGN §7): a session-level advisory lock
 * (`pg_try_advisory_lock(key)`) on the run's pinned connection. Waiting polls with `setTimeout`,
 * so "waiting for the migration lock on db2" can be shown and the wait bounded. The server
 * releases the lock when the session ends, so a killed holder never blocks the next run; the
 * lock survives the run's COMMITs and ROLLBACKs.
 *
 * @example
 * ```ts
 * const lock = new PostgresLock((s) => connection.execute(s), postgresLockKey('multidb::multidb_version', 'sales'), 'db2');
 * await lock.acquire({ name: 'multidb::multidb_version', timeoutMs: 30_000, onWait: () => console.error('waiting for the migration lock on db2') });
 * try {
 *   // run the plan
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export class PostgresLock {
  /** The advisory-lock key. */
  readonly key: bigint;
  readonly #execute: DialectConnection['execute'];
  readonly #bind: string;
  #held = false;

  /**
   * @param execute - runs a statement on the pinned connection that holds the lock.
   * @param key - the advisory-lock key ({@link postgresLockKey}).
   * @param bind - bind name, for the timeout error.
   */
  constructor(execute: DialectConnection['execute'], key: bigint, bind: string) {
    this.#execute = execute;
    this.key = key;
    this.#bind = bind;
  }

  /** Whether this object holds the lock. */
  get held(): boolean {
    return this.#held;
  }

  /**
   * Takes the lock, polling every `pollMs` (default 200) while another session holds it. Calls
   * `onWait` once, when the lock is first found busy. Resolves at once when already held.
   * @param options - lock name, timeout, poll interval, wait callback, signal.
   * @param guard - how long a poll may go unanswered before the connection is given up (see `pollLock`).
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs` (`0`: one try);
   *   the driver's error when the query fails (e.g. the connection was lost); with `guard`, a
   *   `ConnectionLostError` for a poll left unanswered.
   */
  async acquire(options: LockOptions, guard?: LockAnswerGuard): Promise<void> {
    if (this.#held) return;
    await pollLock(async () => {
      const [row] = await this.#execute({ sql: 'SELECT pg_try_advisory_lock($1::bigint) AS locked', parameters: [this.key.toString()] });
      return (this.#held = row?.locked === true);
    }, this.#bind, options, guard);
  }


  /**
   * Releases the lock (`pg_advisory_unlock`), if held. Never throws: when the connection is gone,
   * the server has released the lock with the session.
   */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    try {
      await this.#execute({ sql: 'SELECT pg_advisory_unlock($1::bigint) AS unlocked', parameters: [this.key.toString()] });
    } catch {
      // the session ended: its advisory locks went with it
    }
  }
}

/**
 * The session that holds an advisory lock and what the server shows of it, in one query:
 * `pg_locks` (the lock granted on the key in this database: `classid` its high 32 bits, `objid`
 * its low ones, `objsubid` 1 for a `bigint` key) with the holder's `pg_stat_activity` row. Times
 * as epoch seconds (whatever type parsers a borrowed pool has). Not the session's query text.
 */
const HOLDER_SQL = `SELECT l.pid, a.usename AS "user", a.application_name, host(a.client_addr) AS client_addr, a.client_port,
  extract(epoch FROM a.backend_start)::float8 AS backend_start, extract(epoch FROM a.xact_start)::float8 AS xact_start,
  a.state, extract(epoch FROM a.state_change)::float8 AS state_change
FROM pg_catalog.pg_locks AS l LEFT JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database AS d WHERE d.datname = current_database())
LIMIT 1`;

/** {@link HOLDER_SQL} without `pg_stat_activity`, for a role that may not read it: the holder's pid alone. */
const HOLDER_PID_SQL = `SELECT l.pid FROM pg_catalog.pg_locks AS l
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database AS d WHERE d.datname = current_database())
LIMIT 1`;

/** Options of {@link postgresLockHolder}. */
export interface PostgresLockHolderOptions {
  /**
   * Whether the role may read `pg_stat_activity` (default `true`); `false` (a hardened server
   * revoked it from `PUBLIC`): the holder is named by its pid alone, read in `pg_locks`.
   */
  readonly activity?: boolean;
}

/**
 * Who holds the advisory lock `key` in the connection's database, without taking it: the session's
 * pid, with what `pg_stat_activity` shows of it (user, client address and port, `application_name`,
 * when it connected, its open transaction, its state). A role that may not see another role's
 * session details (without `pg_read_all_stats`) gets the pid and what the server shows it; one
 * that may not read `pg_stat_activity` at all (`activity: false`) gets the pid alone.
 * @param execute - runs a statement (any connection to the bind's database).
 * @param key - the advisory-lock key ({@link postgresLockKey}).
 * @param options - whether the role may read `pg_stat_activity` (default: it may).
 * @returns the holder (`holder: 'pid 4242'`, `session`), or `undefined` when nobody holds it.
 * @throws the driver's error when the query fails (`pg_locks` revoked; `pg_stat_activity`
 *   revoked while `activity` is not `false`).
 * @example
 * ```ts
 * const holder = await postgresLockHolder((s) => connection.execute(s), postgresLockKey('multidb::multidb_version', 'sales'));
 * if (holder) console.log(holder.session?.id); // 4242
 * // A role that may not read pg_stat_activity: { holder: 'pid 4242', session: { id: 4242 } }
 * await postgresLockHolder((s) => connection.execute(s), postgresLockKey('multidb::multidb_version', 'sales'), { activity: false });
 * ```
 */
export async function postgresLockHolder(execute: DialectConnection['execute'], key: bigint, options: PostgresLockHolderOptions = {}): Promise<LockHolder | undefined> {
  const unsigned = BigInt.asUintN(64, key);
  const [row] = await execute({ sql: options.activity === false ? HOLDER_PID_SQL : HOLDER_SQL, parameters: [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()] });
  const pid = row?.['pid'] === null || row?.['pid'] === undefined ? undefined : Number(row['pid']);
  if (pid === undefined || !Number.isInteger(pid)) return undefined; // nobody, or a prepared transaction's (no session)
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const time = (v: unknown) => (v === null || v === undefined || !Number.isFinite(Number(v)) ? undefined : new Date(Math.round(Number(v) * 1000)));
  const address = text(row!['client_addr']);
  const port = row!['client_port'] === null || row!['client_port'] === undefined ? undefined : Number(row!['client_port']);
  // No address with port -1: a Unix-domain socket; no address and no port: not shown to this role.
  const clientAddress = address !== undefined ? (address.includes(':') ? `[${address}]` : address) + (port !== undefined && port >= 0 ? `:${port}` : '') : port === -1 ? 'local socket' : undefined;
  const fields = {
    user: text(row!['user']),
    clientAddress,
    applicationName: text(row!['application_name']),
    connectedAt: time(row!['backend_start']),
    transactionStartedAt: time(row!['xact_start']),
    state: text(row!['state']),
    stateSince: time(row!['state_change']),
  };
  const session = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { holder: `pid ${pid}`, session: { id: pid, ...session } };
}
