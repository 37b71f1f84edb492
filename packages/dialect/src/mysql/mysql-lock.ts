import { createHash } from 'node:crypto';
import { type LockTimeoutError, type LockHolder, type LockOptions } from '@multidb/core';
import type { MysqlStatementExecutor } from './mysql-introspector.js';
import { pollLock, type LockAnswerGuard } from '../shared/poll-lock.js';

/**
 * The server-wide name of a migration lock: `multidb_` and 40 hex digits of the SHA-256 of the
 * database and the lock name. MySQL lock names are server-wide and at most 64 characters, so the
 * database is part of the hash (two databases on one server do not exclude each other).
 * @example
 * ```ts
 * mysqlLockName('chinook', 'multidb::multidb_version'); // 'multidb_3b1f…' (48 characters)
 * ```
 */
export function mysqlLockName(database: string, name: string): string {
  return `multidb_${createHash('sha256').update(`${database}\0${name}`).digest('hex').slice(0, 40)}`;
}

/**
 * The migration lock of one MySQL/MariaDB database (DESIGN §7): a named lock (`GET_LOCK`) held by
 * the run's pinned connection. It is polled with `GET_LOCK(name, 0)` every `pollMs`, so the
 * caller can report "waiting for the migration lock"; the server releases it when the holding
 * session ends (a killed process, a `KILL`ed connection), so a dead holder never blocks the next
 * run.
 *
 * @example
 * ```ts
 * const lock = new MysqlLock((s) => connection.execute(s), 'db3');
 * await lock.acquire('chinook', { name: 'multidb::multidb_version', timeoutMs: 30_000, onWait: () => console.error('waiting for the migration lock on db3') });
 * try {
 *   // run the plan
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export class MysqlLock {
  readonly #execute: MysqlStatementExecutor;
  readonly #bind: string;
  #held: string | undefined;

  /**
   * @param execute - runs a statement on the pinned connection that will hold the lock.
   * @param bind - bind name, for the timeout error.
   */
  constructor(execute: MysqlStatementExecutor, bind: string) {
    this.#execute = execute;
    this.#bind = bind;
  }

  /** The server-wide name of the lock held, if any. */
  get held(): string | undefined {
    return this.#held;
  }

  /**
   * Takes the lock, polling every `pollMs` (default 200) while another session holds it. Calls
   * `onWait` once, when the lock is first found busy. Resolves at once when this object already
   * holds it.
   * @param database - the database the lock protects (part of the lock's name).
   * @param options - lock name, timeout, poll interval, wait callback.
   * @param guard - how long a poll may go unanswered before the connection is given up (see `pollLock`).
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs`; the driver's error
   *   when `GET_LOCK` fails (e.g. the connection died); with `guard`, a `ConnectionLostError` for
   *   a poll left unanswered.
   */
  async acquire(database: string, options: LockOptions, guard?: LockAnswerGuard): Promise<void> {
    const name = mysqlLockName(database, options.name);
    if (this.#held === name) return;
    await pollLock(async () => {
      const [row] = await this.#execute({ sql: 'SELECT GET_LOCK(?, 0) AS acquired', parameters: [name] });
      if (row?.acquired === null || row?.acquired === undefined) throw new Error(`GET_LOCK('${name}') failed on bind '${this.#bind}'.`);
      if (Number(row.acquired) !== 1) return false;
      this.#held = name;
      return true;
    }, this.#bind, options, guard);
  }


  /** Releases the lock, if held (`RELEASE_LOCK`). Never throws: a closed session has released it anyway. */
  async release(): Promise<void> {
    const name = this.#held;
    this.#held = undefined;
    if (name === undefined) return;
    try {
      await this.#execute({ sql: 'SELECT RELEASE_LOCK(?) AS released', parameters: [name] });
    } catch {
      // the session is gone, and the lock with it
    }
  }
}

/**
 * The connection that holds a named lock and what the server shows of it, in one query:
 * `IS_USED_LOCK(name)` (its connection id) with that connection's row of
 * `information_schema.PROCESSLIST` (visible for another user's connection only with `PROCESS`).
 * Since when it is in its state as epoch seconds (the server's clock, to the second). Not `INFO`
 * (the statement it runs, which may carry a password).
 */
const HOLDER_SQL =
  'SELECT l.id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, UNIX_TIMESTAMP() - p.TIME AS state_since ' +
  'FROM (SELECT IS_USED_LOCK(?) AS id) AS l LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = l.id';

/**
 * Who holds the named lock of a migration lock (`GET_LOCK`), without taking it: the connection id
 * (`IS_USED_LOCK`), with what the processlist shows of it (user, client host and port, its
 * `COMMAND` and since when). A user without the `PROCESS` privilege gets the id alone for
 * another user's connection.
 * @param execute - runs a statement (any connection to the server).
 * @param database - the database the lock protects (part of the lock's name, see {@link mysqlLockName}).
 * @param name - the migration lock's name.
 * @returns the holder (`holder: 'connection 4242'`, `session`), or `undefined` when nobody holds it.
 * @throws the driver's error when the query fails.
 * @example
 * ```ts
 * const holder = await mysqlLockHolder((s) => connection.execute(s), 'chinook', 'multidb::multidb_version');
 * if (holder) console.log(holder.session?.id); // 4242
 * ```
 */
export async function mysqlLockHolder(execute: MysqlStatementExecutor, database: string, name: string): Promise<LockHolder | undefined> {
  const [row] = await execute({ sql: HOLDER_SQL, parameters: [mysqlLockName(database, name)] });
  const id = row?.['id'] === null || row?.['id'] === undefined ? undefined : Number(row['id']);
  if (id === undefined || !Number.isInteger(id)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const since = row!['state_since'] === null || row!['state_since'] === undefined ? undefined : Number(row!['state_since']);
  const fields = {
    user: text(row!['user']),
    clientAddress: text(row!['host']),
    state: text(row!['command']),
    stateSince: since !== undefined && Number.isFinite(since) ? new Date(since * 1000) : undefined,
  };
  const session = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { holder: `connection ${id}`, session: { id, ...session } };
}
