import { markFailedStatement, MultidbError, type DatabaseSnapshot, type Dialect, type DialectConnection, type IntrospectOptions, type LockHolder, type LockOptions, type NamingConvention, type Statement, type TableSnapshot } from '@multidb/core';
import { CompiledQuery, type Kysely } from 'kysely';
import { createMysqlDialect } from './mysql-dialect.js';
import { MysqlIntrospector } from './mysql-introspector.js';
import { LeaseLostError, MysqlLeaseLock, type LeaseHolder, type LeaseSession } from './mysql-lease-lock.js';
import { MysqlLock, mysqlLockHolder } from './mysql-lock.js';
import { toMysqlParameter } from './mysql-parameter.js';
import { plainKysely } from '../shared/plain-kysely.js';
import { ConnectionCancelledError } from '../shared/connection-cancelled-error.js';
import { watchLiveness, type SessionState } from '../shared/liveness-watch.js';
import type { MysqlSession } from './mysql-session.js';
import type { MysqlFlavour } from './mysql-url.js';
import { MARIADB_VERSION_CONFLICT, mariadbVersionUpdate, mysqlClearTable, mysqlVersionWrite, type MysqlTableRef } from './mysql-version-update.js';

/** What {@link MysqlConnection} is built from. */
export interface MysqlConnectionOptions {
  /** The bind's name, for messages. */
  readonly bind: string;
  /**
   * Kysely on ONE server session (named locks and transactions belong to a session). Or, with
   * `plainDb`, a function that makes it (user code's: the project's copy of kysely, see
   * `connectionKyselys`), called on the connection's first read of `db`, so that a command whose user
   * code never reads it never loads that copy.
   */
  readonly db: Kysely<any> | (() => Kysely<any>);
  /**
   * multidb's own queries' Kysely on `db`'s session and driver, when `db` is of another copy of
   * kysely (the project's, see `connectionKyselys`) or made on demand; default `db` without its plugins.
   */
  readonly plainDb?: Kysely<any>;
  /** The server's flavour, detected at connect. */
  readonly flavour: MysqlFlavour;
  /** The database the session uses (`DATABASE()`). */
  readonly database: string;
  /** Ends the session (or hands it back to the caller's pool). */
  readonly end: () => Promise<void>;
  /** The project's naming convention, for introspection (default: core's default convention). */
  readonly namingConvention?: NamingConvention;
  /**
   * Opens another session to the same server, for the lease of a Galera cluster's migration lock
   * (see {@link MysqlLeaseLock}); without it, a Galera bind cannot be locked and says so.
   */
  readonly openLeaseSession?: () => Promise<LeaseSession>;
  /** The Galera lease's length in milliseconds (default 30 000). */
  readonly leaseMs?: number;
  /**
   * The session of a connection multidb opened itself (`db` must be made on its
   * {@link MysqlSession.kyselyDialect}): the connection's statements then go straight to mysql2
   * while no Kysely query is in flight. Without it (a borrowed Kysely connection), every statement
   * goes through Kysely.
   */
  readonly session?: MysqlSession;
  /**
   * Sends `KILL QUERY <thread id>` from a second connection (see `killQuery`), once that
   * connection verified it reached this very session, else rejects (`KillQueryUnverifiedError`):
   * with it and a `session`, the connection has {@link MysqlConnection.cancel}.
   */
  readonly killQuery?: (threadId: number) => Promise<void>;
  /** Whether the server closed the connection multidb opened (see {@link MysqlConnection.lost}); absent for a borrowed one. */
  readonly lost?: () => boolean;
  /**
   * On a connection multidb opened: gives it up (its socket destroyed; the statements in flight
   * reject with `error`, and {@link MysqlConnection.lost} is true from then on). With it, a
   * migration-lock poll left unanswered for `answerMs` abandons the connection, and so does
   * {@link MysqlConnection.watchForLoss}.
   */
  readonly abandon?: (error: Error) => void;
  /** How long a migration-lock query may go unanswered, and a liveness probe may take, in milliseconds (the connect timeout; default 10 000). */
  readonly answerMs?: number;
  /**
   * Asks the server, on a side connection, what the session does (see `mysqlSessionState`), for
   * {@link MysqlConnection.watchForLoss}; given only when the session's identity was read and
   * verified at connect (its `CONNECTION_ID()` is the handshake's thread id).
   */
  readonly probe?: () => Promise<SessionState>;
}

/**
 * A COMMIT on a MariaDB Galera cluster failed certification (error 1213): another node committed
 * a conflicting change first, and this transaction was rolled back, version-table update included,
 * so nothing of it was recorded. `code` `'VERSION_CONFLICT'`, as a guarded version-table update that
 * found other rows.
 * @example
 * ```ts
 * try { await connection.commit(); }
 * catch (e) { if (e instanceof CertificationConflictError) console.error(`${e.bind}: run again`); }
 * ```
 */
export class CertificationConflictError extends MultidbError {
  /** The bind whose commit was refused. */
  readonly bind: string;
  constructor(bind: string, options?: { cause?: unknown }) {
    super(
      `[${bind}] the cluster refused the commit (certification conflict: another node changed the same rows first); ` +
        'the transaction was rolled back and nothing of it was recorded. Run the command again.',
      'VERSION_CONFLICT',
      options,
    );
    this.bind = bind;
  }
}

/**
 * A live connection to one MySQL/MariaDB bind: one pinned session for the whole run (DESIGN §7),
 * whose `dialect` is the flavour detected at connect.
 *
 * Transactions: MySQL commits implicitly before and after every DDL statement, so a revision's
 * DDL cannot be rolled back (the dialect declares `transactionalDdl: false`, and core reports a
 * failed revision as possibly partial). `begin()` is `BEGIN`, `commit()` `COMMIT` (harmless after
 * an implicit commit), `rollback()` `ROLLBACK` (undoes only data changes since the last implicit
 * commit; never throws). On MariaDB, the version-table write of a step and the clearing of its
 * progress rows commit in one statement (`commitVersionUpdateAndClear`, see {@link mariadbVersionUpdate}).
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
  /** Kysely on the pinned session, with the plugins of a Kysely the bind was given: revisions' `op.db`. Made on its first read when the options give a function. */
  get db(): Kysely<any> {
    if (typeof this.#db === 'function') this.#db = this.#db();
    return this.#db;
  }
  #db: Kysely<any> | (() => Kysely<any>);
  /** {@link db} without its plugins, made once: this connection's own queries ({@link execute}, introspection, the version table's). */
  readonly plainDb: Kysely<any>;
  /** `'mysql' | 'mariadb'`, as detected from `VERSION()`. */
  readonly flavour: MysqlFlavour;
  /** The session's database. */
  readonly database: string;
  readonly #options: MysqlConnectionOptions;
  readonly #introspector: MysqlIntrospector;
  readonly #lock: MysqlLock;
  #lease: MysqlLeaseLock | undefined;
  #galera: Promise<boolean> | undefined;
  #closed = false;
  /** Whether the version-table write goes out as one compound statement (MariaDB, until the server refuses its syntax). */
  #compound: boolean;

  /**
   * Interrupts the statement this connection is running on the server, for a run aborted at once
   * (a second Ctrl-C; see `DialectConnection.cancel`): `KILL QUERY <thread id>` from a second,
   * short connection (`killQuery`), sent only once that connection verified it reached this very
   * session: the same server (`server_id`, host name, port) and a thread id of the same user and
   * database (behind a proxy it may reach another node, where the id is somebody else's; nothing
   * is killed then). What the revision completed stays (MySQL/MariaDB commit DDL at
   * once), recorded as before. From the call on, the connection sends nothing more: every
   * statement after it (the revision's next one, its progress, the version write) is refused,
   * unsent, with a {@link ConnectionCancelledError}; `close()` still ends the session. Only on a
   * session multidb opened (a borrowed Kysely connection has none).
   * @returns resolves, once the statement has ended, to `true`; at once to `false` when no
   *   statement was on the server (nothing sent).
   * @throws the `KILL QUERY`'s error (the server could not be reached), a
   *   `KillQueryUnverifiedError` when it was not sent (the session could not be verified: the
   *   statement may run on); the refusal stands.
   * @example
   * ```ts
   * const cancelled = await connection.cancel?.(); // true: the running statement was interrupted
   * ```
   */
  readonly cancel?: () => Promise<boolean>;

  constructor(options: MysqlConnectionOptions) {
    this.#options = options;
    const { session, killQuery } = options;
    if (session && killQuery) this.cancel = () => session.cancel(killQuery, () => new ConnectionCancelledError(options.bind));
    this.#db = options.db;
    this.plainDb = options.plainDb ?? plainKysely(typeof options.db === 'function' ? this.db : options.db);
    this.flavour = options.flavour;
    this.database = options.database;
    this.dialect = createMysqlDialect(options.flavour);
    this.#compound = options.flavour === 'mariadb';
    this.#introspector = new MysqlIntrospector((s) => this.execute(s), options.flavour, {
      ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
    });
    this.#lock = new MysqlLock((s) => this.execute(s), options.bind);
  }

  /**
   * Runs one statement on the pinned session; returns its rows (empty for DDL and DML).
   * Parameters go through {@link toMysqlParameter} (Dates as UTC DATETIME text, objects as JSON).
   * On a session multidb opened, the statement goes straight to mysql2 while no Kysely query is in
   * flight ({@link MysqlSession.run}), else through Kysely, queued behind that query.
   * @throws the driver's error (`code` such as `'ER_DUP_ENTRY'`, `errno`, `sqlMessage`).
   */
  async execute(statement: Statement): Promise<readonly Record<string, unknown>[]> {
    const lost = this.#lease?.held ? this.#lease.lost : undefined;
    if (lost !== undefined) throw new LeaseLostError(this.#options.bind, lost);
    const parameters = statement.parameters.length === 0 ? [] : statement.parameters.map(toMysqlParameter);
    const direct = this.#options.session?.run(statement.sql, parameters);
    if (direct) return (await direct).rows;
    const result = await this.plainDb.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement.sql, parameters));
    return result.rows;
  }

  async #run(sql: string): Promise<void> {
    await this.execute({ sql, parameters: [] });
  }

  /**
   * `BEGIN`. A DDL statement inside commits it implicitly (and what ran before it).
   * @throws the driver's error, marked with the BEGIN (`markFailedStatement`).
   */
  async begin(): Promise<void> {
    try {
      await this.#run('BEGIN');
    } catch (error) {
      markFailedStatement(error, { sql: 'BEGIN', parameters: [] });
      throw error;
    }
  }

  /**
   * `COMMIT`.
   * @throws the driver's error, marked with the COMMIT (`markFailedStatement`); the transaction is
   *   then rolled back.
   */
  async commit(): Promise<void> {
    try {
      await this.#run('COMMIT');
    } catch (error) {
      markFailedStatement(error, { sql: 'COMMIT', parameters: [] });
      await this.rollback();
      if ((error as { errno?: unknown }).errno === 1213 && (await this.isGalera())) throw new CertificationConflictError(this.#options.bind, { cause: error });
      throw error;
    }
  }

  /**
   * In a transaction of its own (its BEGIN commits an open one first, as any BEGIN does), replaces
   * the version table's row `from` by `to` (no `from`: inserts `to`; no `to`: deletes `from`),
   * deletes every row of `clear` (the progress table of the revision in flight), and commits;
   * nothing of it when the write did not change exactly one row. MariaDB: one round trip (one
   * compound statement, {@link mariadbVersionUpdate}); MySQL, or a MariaDB that refuses the
   * compound's syntax (a parse error, after which nothing of it ran): BEGIN, the write (its row
   * count checked), the DELETE and COMMIT.
   *
   * (No `commitVersionUpdate` here: in a caller's transaction the compound's START TRANSACTION
   * would commit the step's data writes before a conflict could roll them back.)
   * @param table - the version table's name and database.
   * @param from - the revision its row holds now, if any.
   * @param to - the revision it must hold, if any.
   * @param clear - the table whose rows are deleted in the same transaction.
   * @param next - a write run after the DELETE in the same transaction (core gives it only while
   *   {@link preRecordsNext} is true; on the separate-statements path it is one more statement).
   * @returns `false` (rolled back, nothing committed) when the write did not change exactly one row.
   * @throws like {@link commit}; the transaction is rolled back.
   * @example
   * ```ts
   * await connection.execute({ sql: 'CREATE TABLE `Genre` (`GenreId` int PRIMARY KEY)', parameters: [] });
   * await connection.commitVersionUpdateAndClear?.({ name: 'multidb_version' }, '1bc594146bb5', '3f2a9c1d7b40', { name: 'multidb_version_progress' });
   * ```
   */
  async commitVersionUpdateAndClear(table: MysqlTableRef, from: string | undefined, to: string | undefined, clear: MysqlTableRef, next?: Statement): Promise<boolean> {
    if (this.#compound) {
      try {
        await this.execute(mariadbVersionUpdate(table, from, to, clear, next));
        return true;
      } catch (error) {
        const errno = (error as { errno?: unknown }).errno;
        if (errno !== 1064) {
          await this.rollback();
          if (errno === 1644 && (error as { sqlMessage?: unknown }).sqlMessage === MARIADB_VERSION_CONFLICT) return false;
          if (errno === 1213 && (await this.isGalera())) throw new CertificationConflictError(this.#options.bind, { cause: error });
          throw error;
        }
        // A parse error (a server or sql_mode without anonymous compound statements): nothing of it
        // ran, no transaction was opened. Separate statements from now on.
        this.#compound = false;
      }
    }
    await this.begin();
    let changed: number;
    try {
      changed = await this.#affected(mysqlVersionWrite(table, from, to));
      if (changed === 1) await this.execute(mysqlClearTable(clear));
      if (changed === 1 && next) await this.execute(next);
    } catch (error) {
      await this.rollback();
      throw error;
    }
    if (changed !== 1) {
      await this.rollback();
      return false;
    }
    await this.commit();
    return true;
  }

  /**
   * Whether {@link commitVersionUpdateAndClear} runs its `next` write in the same round trip: on
   * MariaDB, until the server refuses the compound statement's syntax (then `false` for the rest
   * of the session); never on MySQL.
   */
  get preRecordsNext(): boolean {
    return this.#compound;
  }

  /** Runs one write on the pinned session (as {@link execute}); returns how many rows it changed. */
  async #affected(statement: Statement): Promise<number> {
    const lost = this.#lease?.held ? this.#lease.lost : undefined;
    if (lost !== undefined) throw new LeaseLostError(this.#options.bind, lost);
    const parameters = statement.parameters.map(toMysqlParameter);
    const direct = this.#options.session?.run(statement.sql, parameters);
    if (direct) return (await direct).affectedRows ?? 0;
    const result = await this.plainDb.executeQuery(CompiledQuery.raw(statement.sql, parameters));
    return Number(result.numAffectedRows ?? 0n);
  }

  /** `ROLLBACK`; never throws (nothing open, or the session is gone). */
  async rollback(): Promise<void> {
    try {
      // Straight to the session: a lost lease must not keep the rollback from being sent.
      await (this.#options.session?.run('ROLLBACK', []) ?? this.plainDb.executeQuery(CompiledQuery.raw('ROLLBACK')));
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
   * Whether the server is a node of a MariaDB Galera cluster (`@@wsrep_on`); read once, and only
   * on MariaDB (MySQL has no such variable).
   * @throws the driver's error when the query fails.
   */
  isGalera(): Promise<boolean> {
    this.#galera ??= (async () => {
      if (this.flavour !== 'mariadb') return false;
      const [row] = await this.execute({ sql: 'SELECT @@wsrep_on AS wsrep', parameters: [] });
      return Number(row?.wsrep) === 1;
    })();
    return this.#galera;
  }

  /**
   * Takes the bind's migration lock. A single server: `GET_LOCK` on this session, polled (see
   * {@link MysqlLock}). A Galera node, where `GET_LOCK` is node-local: a lease row in the lock table
   * `options.table`, kept on a session of its own (see {@link MysqlLeaseLock}); once held, this
   * session's reads are causal (`wsrep_sync_wait = 1`), so the version table read next sees every
   * node's commits.
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs`.
   */
  async acquireLock(options: LockOptions): Promise<void> {
    const { abandon } = this.#options;
    if (!(await this.isGalera())) return this.#lock.acquire(this.database, options, abandon ? { answerMs: this.#options.answerMs ?? 10_000, abandon } : undefined);
    const open = this.#options.openLeaseSession;
    if (!open) throw new MultidbError(`[${this.#options.bind}] is a Galera cluster node, whose migration lock needs a second session, which this connection cannot open.`, 'LOCK');
    this.#lease ??= new MysqlLeaseLock(open, this.#options.bind, this.#options.leaseMs !== undefined ? { leaseMs: this.#options.leaseMs } : {});
    await this.#lease.acquire({ ...options, table: options.table ?? { name: 'multidb_lock' } });
    try {
      await this.#run('SET SESSION wsrep_sync_wait = 1');
    } catch (error) {
      await this.#lease.release(); // not held by the caller: give it back now
      throw error;
    }
  }

  /** Releases the migration lock, if held. Never throws. */
  async releaseLock(): Promise<void> {
    await this.#lock.release();
    await this.#lease?.release();
  }

  /**
   * Who holds the bind's migration lock, without taking it: on a single server, the connection
   * holding its `GET_LOCK` (its id, with the user, client host, command and since when the
   * processlist shows; see {@link mysqlLockHolder}), this session when it holds it; on a Galera
   * node, the cluster-wide lease's holder.
   * @param options - the lock's name and table, as given to {@link MysqlConnection.acquireLock}.
   * @returns the holder; `undefined` when nobody holds it.
   * @throws the driver's error when a query fails.
   */
  async lockHolder(options: Pick<LockOptions, 'name' | 'table'>): Promise<LeaseHolder | LockHolder | undefined> {
    if (!(await this.isGalera())) return mysqlLockHolder((s) => this.execute(s), this.database, options.name);
    return MysqlLeaseLock.holderOf(this.plainDb, options.table ?? { name: 'multidb_lock' }, options.name);
  }

  /**
   * True once the server closed the connection multidb opened (`KILL`, `wait_timeout`, a
   * restart): see `DialectConnection.lost`. Always false for a borrowed connection.
   * @returns whether the session is gone.
   * @example
   * ```ts
   * if (connection.lost?.()) console.error('the server closed the session: connect again');
   * ```
   */
  lost(): boolean {
    return this.#options.lost?.() ?? false;
  }

  /**
   * Watches the session of a run asked to stop (see `DialectConnection.watchForLoss`): while a
   * statement is in flight, every 2 s a short side connection reads the server's `server_id`,
   * host name and port and the session's row of `information_schema.PROCESSLIST`. The session is
   * given up (its socket destroyed, the statement rejected with a `ConnectionLostError` naming the
   * bind and why) when the server cannot be reached at all (the connect refused, unreachable or
   * unanswered within the connect timeout), or when the side connection reached the same server
   * and it no longer has the session, or the session (same id, user and database) has slept for
   * 5 s while the statement still waits for its answer (lost on a dead network path). The DDL the
   * revision completed stays, recorded in its progress rows where core keeps them, so the next
   * run resumes it. A statement the server still runs is waited for, however long, and so is one
   * whose session the side connection cannot identify (another node behind a proxy) or whose
   * probe fails otherwise (a login refused). Only on a session multidb opened whose identity was
   * verified at connect.
   * @returns a function that ends the watch.
   * @example
   * ```ts
   * const stop = connection.watchForLoss?.() ?? (() => undefined);
   * stop(); // once the run has ended
   * ```
   */
  watchForLoss(): () => void {
    const { abandon, probe, session } = this.#options;
    if (!abandon || !probe || !session || this.#closed) return () => undefined;
    return watchLiveness({ bind: this.#options.bind, inFlight: () => session.inFlight, probe, abandon, timeoutMs: this.#options.answerMs ?? 10_000 });
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
