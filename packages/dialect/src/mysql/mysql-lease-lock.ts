import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { MultidbError, type LockHolder, type LockOptions } from '@multidb/core';
import { CompiledQuery, type Kysely } from 'kysely';
import { pollLock } from '../shared/poll-lock.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';

/** A session of its own for the lease: the run's pinned session may be busy with a long DDL. */
export interface LeaseSession {
  /** Kysely on that session (autocommit). */
  readonly db: Kysely<any>;
  /** Ends the session. */
  end(): Promise<void>;
}

/** Who holds a cluster-wide migration lock, as its lease row says (core's {@link LockHolder}, with the expiry). */
export type LeaseHolder = LockHolder & { readonly acquiredAt: Date; readonly expiresAt: Date; readonly expired: boolean };

/** Options of {@link MysqlLeaseLock}. */
export interface LeaseLockOptions {
  /** How long a lease lasts unless renewed, in milliseconds (default 30 000); renewed every third of it. */
  readonly leaseMs?: number;
  /** The holder's identity written in the row (default `host:pid:random`). */
  readonly holder?: string;
}

/**
 * The lease of a Galera bind was lost while its run held it: the row was taken over (the process
 * stalled longer than the lease) or could not be renewed. The run stops before its next statement.
 * `code` `'LOCK_LOST'`.
 * @example
 * ```ts
 * try { await connection.execute({ sql: 'SELECT 1', parameters: [] }); }
 * catch (e) { if (e instanceof LeaseLostError) console.error(`${e.bind}: run again`); }
 * ```
 */
export class LeaseLostError extends MultidbError {
  /** The bind whose lease was lost. */
  readonly bind: string;
  constructor(bind: string, why: string) {
    super(`[${bind}] lost the cluster-wide migration lock (${why}); stopped before the next statement. Run the command again.`, 'LOCK_LOST');
    this.bind = bind;
  }
}

const DEFAULT_LEASE_MS = 30_000;
const RETRYABLE = new Set([1062 /* ER_DUP_ENTRY */, 1213 /* ER_LOCK_DEADLOCK: Galera certification */, 1205 /* lock wait timeout */]);

function errno(error: unknown): number | undefined {
  const n = (error as { errno?: unknown }).errno;
  return typeof n === 'number' ? n : undefined;
}

/** The table that holds a lease row: `{schema}.{table}` quoted, schema optional. */
function qualified(table: { readonly name: string; readonly schema?: string }): string {
  return table.schema ? `${quoteIdentifier(table.schema, '`')}.${quoteIdentifier(table.name, '`')}` : quoteIdentifier(table.name, '`');
}

/**
 * The migration lock of a bind on a MariaDB Galera cluster (DESIGN §10), where `GET_LOCK` and
 * `SELECT … FOR UPDATE` are node-local: a lease row in a lock table beside the version table
 * (`<version table>_lock`), keyed by the lock name. It is taken by an autocommit `INSERT` (a
 * committed row is exclusive across the cluster: the other nodes' inserts fail with 1062, or 1213
 * at certification), or by a compare-and-set `UPDATE` of an expired row (a killed holder's lease is
 * taken over once it expires: unlike `GET_LOCK`, a row is not released with its session). While
 * held, a timer on a session of its own renews the expiry every third of the lease; a renewal that
 * finds the row gone or someone else's marks the lease lost ({@link MysqlLeaseLock.lost}), and the
 * connection then refuses further statements. Polling, `onWait` and the timeout are those of every
 * dialect's lock.
 *
 * @example
 * ```ts
 * // `db`: Kysely on another session to the same node (the run's own session may be busy).
 * const lock = new MysqlLeaseLock(async () => ({ db, end: () => db.destroy() }), 'db3', { leaseMs: 30_000 });
 * await lock.acquire({ name: 'multidb::multidb_version', table: { name: 'multidb_version_lock' }, timeoutMs: 60_000 });
 * try {
 *   // run the plan; check lock.lost before each statement
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export class MysqlLeaseLock {
  readonly #open: () => Promise<LeaseSession>;
  readonly #bind: string;
  readonly #leaseMs: number;
  readonly #holder: string;
  #session: LeaseSession | undefined;
  #held: { readonly sql: string; readonly name: string } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #renewedAt = 0;
  #lost: string | undefined;

  /**
   * @param open - opens the lease's own session (another connection to the same node).
   * @param bind - bind name, for messages.
   * @param options - lease length and holder identity.
   */
  constructor(open: () => Promise<LeaseSession>, bind: string, options: LeaseLockOptions = {}) {
    this.#open = open;
    this.#bind = bind;
    this.#leaseMs = Math.max(1000, options.leaseMs ?? DEFAULT_LEASE_MS);
    this.#holder = (options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(0, 255);
  }

  /** This process's identity in the lease row. */
  get holder(): string {
    return this.#holder;
  }

  /** Why the lease was lost while held, if it was (then the run must stop). */
  get lost(): string | undefined {
    return this.#lost;
  }

  /** Whether the lease is held (taken and not released). */
  get held(): boolean {
    return this.#held !== undefined;
  }

  async #run(sql: string, parameters: readonly unknown[] = []): Promise<{ rows: readonly Record<string, unknown>[]; affected: number }> {
    this.#session ??= await this.#open();
    const result = await this.#session.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, [...parameters]));
    return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0n) };
  }

  /**
   * Takes the lease, polling every `pollMs` (default 200) while a live lease of another holder
   * exists; creates the lock table first when missing (a DDL: on Galera it runs in TOI, across
   * the cluster). Resolves at once when already held.
   * @param options - lock name, `table` (where the row lives; default `multidb_lock`), timeout, wait callback.
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs`; the driver's error
   *   for any other failure (a lost connection, no privilege to create the table).
   */
  async acquire(options: LockOptions & { readonly table?: { readonly name: string; readonly schema?: string } }): Promise<void> {
    if (this.#held) return;
    const table = qualified(options.table ?? { name: 'multidb_lock' });
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${table} (lock_name VARCHAR(191) NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, ` +
        'acquired_at DATETIME(6) NOT NULL, expires_at DATETIME(6) NOT NULL) ENGINE=InnoDB',
    );
    const expiry = 'UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND';
    const micros = this.#leaseMs * 1000;
    await pollLock(async () => {
      try {
        await this.#run(`INSERT INTO ${table} (lock_name, holder, acquired_at, expires_at) VALUES (?, ?, UTC_TIMESTAMP(6), ${expiry})`, [options.name, this.#holder, micros]);
        return this.#taken(table, options.name);
      } catch (error) {
        if (!RETRYABLE.has(errno(error) ?? 0)) throw error;
      }
      try {
        const { affected } = await this.#run(
          `UPDATE ${table} SET holder = ?, acquired_at = UTC_TIMESTAMP(6), expires_at = ${expiry} WHERE lock_name = ? AND expires_at < UTC_TIMESTAMP(6)`,
          [this.#holder, micros, options.name],
        );
        if (affected === 1) return this.#taken(table, options.name);
      } catch (error) {
        if (!RETRYABLE.has(errno(error) ?? 0)) throw error;
      }
      return false;
    }, this.#bind, options);
  }

  #taken(sql: string, name: string): true {
    this.#held = { sql, name };
    this.#lost = undefined;
    this.#renewedAt = Date.now();
    this.#timer = setInterval(() => {
      this.#renewing ??= this.#renew().finally(() => (this.#renewing = undefined));
    }, Math.floor(this.#leaseMs / 3));
    this.#timer.unref();
    return true;
  }

  async #renew(): Promise<void> {
    const held = this.#held;
    if (!held || this.#lost) return;
    try {
      const { affected } = await this.#run(`UPDATE ${held.sql} SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE lock_name = ? AND holder = ?`, [
        this.#leaseMs * 1000,
        held.name,
        this.#holder,
      ]);
      if (affected === 1) this.#renewedAt = Date.now();
      else this.#lost = 'another runner took the lease over';
    } catch (error) {
      if (Date.now() - this.#renewedAt >= this.#leaseMs) this.#lost = `could not renew the lease: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Stops renewing and deletes this holder's lease row, then ends the lease session. Never throws. */
  async release(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#renewing?.catch(() => undefined);
    try {
      if (held) await this.#run(`DELETE FROM ${held.sql} WHERE lock_name = ? AND holder = ?`, [held.name, this.#holder]);
    } catch {
      // the lease expires on its own
    }
    const session = this.#session;
    this.#session = undefined;
    await session?.end().catch(() => undefined);
  }

  /**
   * Reads who holds the lease of `name`, without taking it (for `migrate current`).
   * @returns the holder, or `undefined` when no row exists (or the lock table does not).
   * @throws the driver's error for anything but a missing table.
   */
  static async holderOf(db: Kysely<any>, table: { readonly name: string; readonly schema?: string }, name: string): Promise<LeaseHolder | undefined> {
    try {
      const { rows } = await db.executeQuery<{ holder: string; acquired_at: Date | string; expires_at: Date | string; expired: number | string }>(
        CompiledQuery.raw(`SELECT holder, acquired_at, expires_at, expires_at < UTC_TIMESTAMP(6) AS expired FROM ${qualified(table)} WHERE lock_name = ?`, [name]),
      );
      const row = rows[0];
      if (!row) return undefined;
      const date = (v: Date | string) => (v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`));
      return { holder: row.holder, acquiredAt: date(row.acquired_at), expiresAt: date(row.expires_at), expired: Number(row.expired) === 1 };
    } catch (error) {
      if (errno(error) === 1146 /* ER_NO_SUCH_TABLE */) return undefined;
      throw error;
    }
  }
}
