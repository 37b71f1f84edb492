import type { DatabaseSnapshot, Dialect, DialectConnection, IntrospectOptions, LockOptions, NamingConvention, Statement, TableSnapshot } from '@multidb/core';
import { CompiledQuery, type Kysely } from 'kysely';
import { createMysqlDialect } from './mysql-dialect.js';
import { MysqlIntrospector } from './mysql-introspector.js';
import { MysqlLock } from './mysql-lock.js';
import { toMysqlParameter } from './mysql-parameter.js';
import type { MysqlFlavour } from './mysql-url.js';

/** What {@link MysqlConnection} is built from. */
export interface MysqlConnectionOptions {
  /** The bind's name, for messages. */
  readonly bind: string;
  /** Kysely on ONE server session (named locks and transactions belong to a session). */
  readonly db: Kysely<any>;
  /** The server's flavour, detected at connect. */
  readonly flavour: MysqlFlavour;
  /** The database the session uses (`DATABASE()`). */
  readonly database: string;
  /** Ends the session (or hands it back to the caller's pool). */
  readonly end: () => Promise<void>;
  /** The project's naming convention, for introspection (default: core's default convention). */
  readonly namingConvention?: NamingConvention;
}

/**
 * A live connection to one MySQL/MariaDB bind: one pinned session for the whole run (DESIGN §7),
 * whose `dialect` is the flavour detected at connect.
 *
 * Transactions: MySQL commits implicitly before and after every DDL statement, so a revision's
 * DDL cannot be rolled back (the dialect declares `transactionalDdl: false`, and core reports a
 * failed revision as possibly partial). `begin()` is `BEGIN`, `commit()` `COMMIT` (harmless after
 * an implicit commit), `rollback()` `ROLLBACK` (undoes only data changes since the last implicit
 * commit; never throws).
 *
 * @example
 * ```ts
 * import { mysqlDriver } from './mysql-driver.js';
 * const connection = await mysqlDriver.connect({ bind: 'db3', url: 'mariadb://root@127.0.0.1:3306/chinook', baseDir: process.cwd() });
 * await connection.acquireLock({ name: 'multidb::multidb_version' });
 * await connection.execute({ sql: 'CREATE TABLE `Genre` (`GenreId` int PRIMARY KEY)', parameters: [] });
 * await connection.close(); // releases the lock and ends the session
 * ```
 */
export class MysqlConnection implements DialectConnection {
  /**
   * The dialect of the flavour detected at connect ({@link mysqlDialect} or
   * {@link mariadbDialect}).
   */
  readonly dialect: Dialect;
  /** Kysely on the pinned session: revisions' `op.db`, and the version table's queries. */
  readonly db: Kysely<any>;
  /** `'mysql' | 'mariadb'`, as detected from `VERSION()`. */
  readonly flavour: MysqlFlavour;
  /** The session's database. */
  readonly database: string;
  readonly #options: MysqlConnectionOptions;
  readonly #introspector: MysqlIntrospector;
  readonly #lock: MysqlLock;
  #closed = false;

  constructor(options: MysqlConnectionOptions) {
    this.#options = options;
    this.db = options.db;
    this.flavour = options.flavour;
    this.database = options.database;
    this.dialect = createMysqlDialect(options.flavour);
    this.#introspector = new MysqlIntrospector((s) => this.execute(s), options.flavour, {
      ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
    });
    this.#lock = new MysqlLock((s) => this.execute(s), options.bind);
  }

  /**
   * Runs one statement on the pinned session; returns its rows (empty for DDL and DML).
   * Parameters go through {@link toMysqlParameter} (Dates as UTC DATETIME text, objects as JSON).
   * @throws the driver's error (`code` such as `'ER_DUP_ENTRY'`, `errno`, `sqlMessage`).
   */
  async execute(statement: Statement): Promise<readonly Record<string, unknown>[]> {
    const result = await this.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement.sql, statement.parameters.map(toMysqlParameter)));
    return result.rows;
  }

  async #run(sql: string): Promise<void> {
    await this.execute({ sql, parameters: [] });
  }

  /** `BEGIN`. A DDL statement inside commits it implicitly (and what ran before it). */
  async begin(): Promise<void> {
    await this.#run('BEGIN');
  }

  /** `COMMIT`. @throws the driver's error; the transaction is then rolled back. */
  async commit(): Promise<void> {
    try {
      await this.#run('COMMIT');
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** `ROLLBACK`; never throws (nothing open, or the session is gone). */
  async rollback(): Promise<void> {
    try {
      await this.#run('ROLLBACK');
    } catch {
      // no transaction to roll back, or the session died (which rolled it back)
    }
  }

  /**
   * Reads the session's database (or the one named by `options.schema`) in a fixed handful of
   * `information_schema` queries: base tables, views and triggers (see {@link MysqlIntrospector}).
   * @param options - `schema`: another database; `exclude`: table names left out.
   * @throws the driver's error when a catalog query fails.
   */
  introspect(options?: IntrospectOptions): Promise<DatabaseSnapshot> {
    return this.#introspector.getDatabase(options);
  }

  /** Reads a table's shape (see {@link MysqlIntrospector}); `undefined` when it does not exist. */
  introspectTable(table: string, schema?: string): Promise<TableSnapshot | undefined> {
    return this.#introspector.getTable(table, schema);
  }

  /**
   * Takes the bind's migration lock: `GET_LOCK` on this session, polled (see {@link MysqlLock}).
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs`.
   */
  acquireLock(options: LockOptions): Promise<void> {
    return this.#lock.acquire(this.database, options);
  }

  /** Releases the migration lock, if held. Never throws. */
  releaseLock(): Promise<void> {
    return this.#lock.release();
  }

  /**
   * The physical database: the server's identity and the database name. MySQL:
   * `mysql://<@@server_uuid>/<database>`; MariaDB (no server_uuid):
   * `mariadb://<@@hostname>:<@@port>/<database> (datadir <@@datadir>)`. Two URLs reaching the
   * same server (a host name and an IP address, a proxy) give the same identity.
   */
  async identity(): Promise<string> {
    if (this.flavour === 'mysql') {
      const [row] = await this.execute({ sql: 'SELECT @@server_uuid AS uuid, DATABASE() AS db', parameters: [] });
      return `mysql://${String(row?.uuid)}/${String(row?.db)}`;
    }
    const [row] = await this.execute({ sql: 'SELECT @@hostname AS host, @@port AS port, @@datadir AS datadir, DATABASE() AS db', parameters: [] });
    return `mariadb://${String(row?.host)}:${String(row?.port)}/${String(row?.db)} (datadir ${String(row?.datadir)})`;
  }

  /** Releases the lock and ends the session. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.releaseLock();
    await this.#options.end();
  }
}
