import { createHash } from 'node:crypto';
import { type LockTimeoutError, type DialectConnection, type LockOptions } from '@multidb/core';
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
