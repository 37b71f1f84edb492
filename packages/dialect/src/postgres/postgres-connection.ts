import { markFailedStatement, type DatabaseSnapshot, type DialectConnection, type IntrospectOptions, type LockHolder, type LockOptions, type NamingConvention, type Statement, type TableSnapshot } from '@multidb/core';
import { CompiledQuery, type Kysely } from 'kysely';
import { postgresDialect } from './postgres-dialect.js';
import { PostgresIntrospector } from './postgres-introspector.js';
import { PostgresLock, postgresLockHolder, postgresLockKey } from './postgres-lock.js';
import { postgresEscapedLiteral } from './postgres-literal.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { sqlSegments } from '../shared/sql-segments.js';
import { plainKysely } from '../shared/plain-kysely.js';
import { ConnectionCancelledError } from '../shared/connection-cancelled-error.js';
import { watchLiveness, type SessionState } from '../shared/liveness-watch.js';
import { POSTGRES_READS_ACTIVITY, POSTGRES_SESSION_COLUMNS, POSTGRES_SESSION_PID_COLUMN, type PostgresSessionIdentity } from './postgres-session-probe.js';
import { abortedAtCommit, PipelineAbortedError, type PostgresSession } from './postgres-session.js';

/** What {@link PostgresConnection} is built from. */
export interface PostgresConnectionOptions {
  /** The bind's name, for messages. */
  readonly bind: string;
  /**
   * Kysely on the one pinned connection of the run. Or, with `plainDb`, a function that makes it
   * (user code's: the project's copy of kysely, see `connectionKyselys`), called on the connection's
   * first read of `db`, so that a command whose user code never reads it never loads that copy.
   */
  readonly db: Kysely<any> | (() => Kysely<any>);
  /**
   * multidb's own queries' Kysely on `db`'s session and driver, when `db` is of another copy of
   * kysely (the project's, see `connectionKyselys`) or made on demand; default `db` without its plugins.
   */
  readonly plainDb?: Kysely<any>;
  /** The bind's schema (first on the `search_path`), if any: part of the lock key, and what `introspect()` reads. */
  readonly schema?: string;
  /** The project's naming convention, for introspection (default: core's default convention). */
  readonly namingConvention?: NamingConvention;
  /** Closes the pinned connection (ends the client, or hands a borrowed connection back). */
  readonly close: () => Promise<void>;
  /**
   * The session of a client multidb opened itself: BEGIN then travels with the first statement
   * and COMMIT's command tag tells an aborted transaction. Without it (a borrowed Kysely
   * connection), BEGIN is a round trip of its own and a probe query precedes COMMIT.
   */
  readonly session?: PostgresSession;
  /**
   * The bind's version table: the identity query also tells whether it exists (`to_regclass`), so
   * {@link PostgresConnection.readVersionTable} never sends a SELECT that fails on a bind never
   * upgraded (and logs an ERROR on the server).
   */
  readonly versionTable?: { readonly name: string; readonly schema?: string | undefined };
  /**
   * Sends PostgreSQL's cancel request for the session (see `sendCancelRequest`): with it and a
   * `session`, the connection has {@link PostgresConnection.cancel}.
   */
  readonly cancelRequest?: () => Promise<void>;
  /** Whether the server closed the client multidb opened (see {@link PostgresConnection.lost}); absent for a borrowed connection. */
  readonly lost?: () => boolean;
  /**
   * On a client multidb opened: gives the connection up (its socket destroyed; the query in
   * flight rejects with `error`, and {@link PostgresConnection.lost} is true from then on), and
   * may end its server session when `session`, its identity as verified at connect, is given
   * (else nothing is ended: the pid may be another session's). With it, a migration-lock poll
   * left unanswered for `answerMs` abandons the connection, and so does
   * {@link PostgresConnection.watchForLoss}.
   */
  readonly abandon?: (error: Error, session: PostgresSessionIdentity | undefined) => void;
  /** How long a migration-lock query may go unanswered, and a liveness probe may take, in milliseconds (the connect timeout; default 10 000). */
  readonly answerMs?: number;
  /**
   * The backend pid the server gave the client at connect (its backend key data), if any: the
   * session's identity is taken as verified only when `pg_backend_pid()` on the session is the
   * same (a pooler such as PgBouncer hands out pids of its own, a server without a backend key
   * none), and only then are {@link PostgresConnection.watchForLoss} and a session's end used.
   */
  readonly backendPid?: number;
  /** Asks the server, on a side connection, what the session `session` does (see `postgresSessionState`), for {@link PostgresConnection.watchForLoss}. */
  readonly probe?: (session: PostgresSessionIdentity) => Promise<SessionState>;
  /** The query in flight on the session (sent, not answered), if any, for {@link PostgresConnection.watchForLoss}. */
  readonly inFlight?: () => unknown;
}

/**
 * A live connection to one PostgreSQL bind (DESIGN §7): one pinned session for the whole run,
 * since advisory locks and transactions belong to a session.
 *
 * - `begin()` / `commit()` / `rollback()`: `BEGIN`, `COMMIT`, `ROLLBACK`. DDL is transactional, so
 *   a failed revision leaves nothing behind. PostgreSQL answers COMMIT of a transaction aborted
 *   by an earlier error with a silent ROLLBACK, which must not pass for success: `commit()` reads
 *   COMMIT's command tag (on a borrowed connection, where it cannot, it probes first). On a
 *   client multidb opened, BEGIN goes out with the transaction's first statement
 *   ({@link PostgresSession}), `commitVersionUpdate()` sends the version-table write with
 *   COMMIT, and an op's last DDL statement, held back ({@link executeLater}), goes with them: a
 *   revision that ends in DDL costs one round trip for its last statement, its version write and
 *   COMMIT (`BEGIN;<DDL>;<write>;COMMIT` for a revision of one statement).
 * - Per bind: `identity()` reads the database, the server's identity, whether it is a standby
 *   and whether the version table exists in one query that the lock key, `readOnly()` and
 *   `readVersionTable()` reuse; `readVersionTable()` is then one SELECT (or, for a table that did
 *   not exist, one `to_regclass` look-up under the lock: no failing statement).
 * - `acquireLock()`: a session-level advisory lock ({@link PostgresLock}) keyed by the lock name,
 *   the database and the schema.
 * - `identity()`: the server's `system_identifier` (else its start time and port) and the database.
 *
 * @example
 * ```ts
 * import { postgresDriver } from './postgres-driver.js';
 * const connection = await postgresDriver.connect({ bind: 'db2', url: 'postgres://app@127.0.0.1/sales', baseDir: process.cwd() });
 * await connection.begin();
 * await connection.execute({ sql: 'CREATE TABLE "Genre" ("GenreId" integer PRIMARY KEY)', parameters: [] });
 * await connection.commit();
 * await connection.close();
 * ```
 */
export class PostgresConnection implements DialectConnection {
  /** The PostgreSQL dialect ({@link postgresDialect}). */
  readonly dialect = postgresDialect;
  /** Kysely on the pinned session, with the plugins of a Kysely the bind was given: revisions' `op.db`. Made on its first read when the options give a function. */
  get db(): Kysely<any> {
    if (typeof this.#db === 'function') this.#db = this.#db();
    return this.#db;
  }
  #db: Kysely<any> | (() => Kysely<any>);
  /** {@link db} without its plugins, made once: this connection's own queries ({@link execute}, introspection, the version table's). */
  readonly plainDb: Kysely<any>;
  readonly #options: PostgresConnectionOptions;
  readonly #introspector: PostgresIntrospector;
  #inTransaction = false;
  #lock: PostgresLock | undefined;
  #lockName: string | undefined;
  #identity: Promise<string> | undefined;
  #info: Promise<ServerInfo> | undefined;
  #standby = false;
  #closed = false;
  /** The oid of the bind's schema when this connection created it ({@link createSchema}), for {@link discard}. */
  #createdSchema: string | undefined;
  /** The session's identity, once read on it with the server's and verified against the client's backend pid (see `backendPid`). */
  #session: PostgresSessionIdentity | undefined;

  /**
   * Cancels the statement this connection is running on the server, for a run aborted at once (a
   * second Ctrl-C; see `DialectConnection.cancel`): PostgreSQL's cancel request for the session,
   * sent on a short connection of its own (`sendCancelRequest`); the server interrupts the
   * statement (`57014`) and its transaction is aborted, so closing the connection rolls it back
   * (a COMMIT already on the server may still complete). From the call on, the connection sends
   * nothing more: every statement after it (the revision's next one, a ROLLBACK, the version
   * write) is refused, unsent, with a {@link ConnectionCancelledError}; `close()` still ends the
   * session. Only on a session multidb opened (a borrowed Kysely connection has none).
   * @returns resolves, once the statement has ended, to `true`; at once to `false` when no
   *   statement was on the server (nothing sent).
   * @throws the cancel request's error (the server could not be reached); the refusal stands.
   * @example
   * ```ts
   * const cancelled = await connection.cancel?.(); // true: the running statement was interrupted
   * ```
   */
  readonly cancel?: () => Promise<boolean>;

  /**
   * True once the server closed the session multidb opened (`pg_terminate_backend`, a restart,
   * `idle_session_timeout`): see `DialectConnection.lost`. Always false for a borrowed connection,
   * whose pool is its owner's.
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
   * query is in flight, every 2 s a short side connection reads the server's start time and port
   * and the backend's row of `pg_stat_activity`. The session is given up (its socket destroyed,
   * the query rejected with a `ConnectionLostError` naming the bind and why) when the server
   * cannot be reached at all (the connect refused, unreachable or unanswered within the connect
   * timeout), or when the side connection reached the same server and it no longer has the
   * session (pid and `backend_start` as read on the session), or the session has been idle for
   * 5 s while the query still waits for its answer (lost on a dead network path); PostgreSQL
   * rolls the transaction back once it sees the session gone, so nothing of the revision is
   * recorded. A query the server still runs is waited for, however long, and so is one whose
   * session the side connection cannot identify (another server behind the same address, a
   * pooler) or whose probe fails otherwise (a login refused). Only on a session multidb opened
   * whose identity was read and verified (its `pg_backend_pid()` is the client's backend pid):
   * behind a pooler such as PgBouncer, nothing is watched. Where the role may not read
   * `pg_stat_activity` (revoked from `PUBLIC`), the session's start is unknown: the session is
   * given up only when the server cannot be reached at all, and is not ended on the server.
   * @returns a function that ends the watch.
   * @example
   * ```ts
   * const stop = connection.watchForLoss?.() ?? (() => undefined);
   * stop(); // once the run has ended
   * ```
   */
  watchForLoss(): () => void {
    const { abandon, probe, inFlight } = this.#options;
    const session = this.#session;
    if (!abandon || !probe || !inFlight || !session || this.#closed) return () => undefined;
    return watchLiveness({ bind: this.#options.bind, inFlight, probe: () => probe(session), abandon: (error) => abandon(error, session), timeoutMs: this.#options.answerMs ?? 10_000 });
  }

  /** Whether {@link executeLater} may hold a statement back: on a session multidb opened. */
  get holdsBack(): boolean {
    return this.#options.session !== undefined;
  }

  /**
   * Whether {@link commitVersionUpdate} can be pipelined (`{ pipelined: true }`): on a session
   * multidb opened, not on a borrowed connection.
   */
  get pipelinesCommits(): boolean {
    return this.#options.session !== undefined;
  }

  constructor(options: PostgresConnectionOptions) {
    this.#options = options;
    const { session, cancelRequest } = options;
    if (session && cancelRequest) this.cancel = () => session.cancel(cancelRequest, () => new ConnectionCancelledError(options.bind));
    this.#db = options.db;
    this.plainDb = options.plainDb ?? plainKysely(typeof options.db === 'function' ? this.db : options.db);
    this.#introspector = new PostgresIntrospector((s) => this.execute(s), {
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
    });
  }

  /**
   * Runs one statement (placeholders `$1`, `$2`, …) through Kysely on the pinned session; returns
   * its rows (empty for DDL). Values are bound by `pg` (dates, buffers, JSON objects; a JS array
   * becomes a PostgreSQL array).
   * @throws the driver's error (with its SQLSTATE `code`).
   */
  async execute(statement: Statement): Promise<readonly Record<string, unknown>[]> {
    const result = await this.plainDb.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement.sql, [...statement.parameters]));
    return result.rows;
  }

  /**
   * Whether a failing query could abort a transaction: one multidb opened, or any on a borrowed
   * connection (custom tooling may hand over a Kysely transaction). Queries that tell a case by
   * its error are only sent when this is false.
   */
  get #mayBeInTransaction(): boolean {
    return this.#inTransaction || !this.#options.session;
  }

  async #run(sql: string): Promise<readonly Record<string, unknown>[]> {
    return this.execute({ sql, parameters: [] });
  }

  /**
   * Runs a statement whose rows nobody reads (an op's DDL), possibly later: in a transaction
   * multidb opened on its own session, the statement is held back until the next query on the
   * connection, which sends it first, on its own (a query whose rows are needed, `op.db`,
   * introspection), or until the transaction ends, when it travels with the version write and
   * COMMIT ({@link commitVersionUpdate}, {@link commit}) in one round trip. Sent at once instead:
   * outside such a transaction, on a borrowed connection, with parameters, for SQL of several
   * statements or ending in a line comment, and after a query of the transaction named a
   * savepoint (see {@link PostgresSession.hold}). A held statement that fails rejects the call
   * that sent it (the next statement's, or COMMIT's) with its own error, after giving it to
   * `onError`; the transaction is then aborted, as a failing statement aborts it anyway.
   * @param statement - one statement.
   * @param onError - receives the statement's error when it fails after this call resolved.
   * @returns resolves when the statement is held back or has run.
   * @throws the driver's error: the statement's own when it was sent at once, or that of a
   *   statement held back before it (given to that one's `onError` first).
   * @example
   * ```ts
   * await connection.begin();
   * await connection.executeLater?.({ sql: 'CREATE TABLE "Genre" ("GenreId" integer PRIMARY KEY)', parameters: [] }, (error) => console.error('CREATE TABLE "Genre" failed', error));
   * await connection.commitVersionUpdate?.({ name: 'multidb_version' }, undefined, '3f2a9c1d7b40'); // BEGIN;CREATE TABLE …;INSERT …;COMMIT
   * ```
   */
  async executeLater(statement: Statement, onError: (error: unknown) => void): Promise<void> {
    const session = this.#options.session;
    if (session && this.#inTransaction && statement.parameters.length === 0 && isOneStatementEndingInCode(statement.sql)) {
      await session.hold(statement.sql, onError);
      return;
    }
    await this.execute(statement);
  }

  /**
   * Opens a transaction: on an own session, BEGIN goes out with the first statement.
   * @throws the driver's error.
   */
  async begin(): Promise<void> {
    if (this.#options.session) this.#options.session.deferBegin();
    else await this.#run('BEGIN');
    this.#inTransaction = true;
  }

  /**
   * Commits.
   * @throws the error that aborted the transaction (e.g. `current transaction is aborted`, code
   *   `25P02`) after rolling back, or the error COMMIT raised (a deferred constraint), marked
   *   with the COMMIT (`markFailedStatement`); the transaction is rolled back either way.
   */
  async commit(): Promise<void> {
    const session = this.#options.session;
    try {
      if (session) {
        // With a statement held back: BEGIN;<statement>;COMMIT. Nothing ran: no transaction was opened.
        if (!(await session.finish('COMMIT', { skipEmpty: true }))) return;
      } else {
        await this.#run('SELECT 1');
        await this.#run('COMMIT').catch((error: unknown) => {
          markFailedStatement(error, { sql: 'COMMIT', parameters: [] });
          throw error;
        });
      }
      if (session?.lastCommand === 'ROLLBACK') {
        throw abortedAtCommit();
      }
    } catch (error) {
      await this.rollback().catch(() => undefined);
      throw error;
    } finally {
      this.#inTransaction = false;
    }
  }

  /**
   * Replaces the version table's row `from` by `to` (no `from`: inserts `to`; no `to`: deletes
   * `from`) and commits. On a session multidb opened, one simple-protocol query: the write,
   * guarded so that it fails with {@link VERSION_CONFLICT} unless it changed exactly one row (a
   * `WITH … RETURNING` whose row count goes through a cast that fails otherwise; an INSERT fails
   * on the primary key by itself), then `COMMIT`. When the guard fails, PostgreSQL skips the
   * COMMIT and the transaction is rolled back. The revisions travel as escaped literals (`E'…'`,
   * the same text whatever `standard_conforming_strings` says). On a borrowed connection: the
   * guarded write, then {@link commit}.
   * @param table - the version table's name and schema.
   * @param from - the revision its row holds now, if any.
   * @param to - the revision it must hold, if any.
   * @param options - `pipelined` (where {@link pipelinesCommits}): the transaction ends at the
   *   call, and the caller may {@link begin} the next one and run its statements before this
   *   settles: they go out after it, in order. When it fails (or returns `false`), the session has
   *   rolled it back on the server and refuses everything sent after it, unsent, until
   *   {@link rollback} (see {@link PostgresSession.finish}).
   * @returns `false` (rolled back, nothing committed) when no row held `from`.
   * @throws like {@link commit}: the error that aborted the transaction, or COMMIT's own (marked
   *   with the COMMIT, or with the write when the write failed); the transaction is rolled back.
   * @example
   * ```ts
   * await connection.begin();
   * await connection.execute({ sql: 'CREATE TABLE "Genre" ("GenreId" integer PRIMARY KEY)', parameters: [] });
   * if (!(await connection.commitVersionUpdate?.({ name: 'multidb_version' }, '1bc594146bb5', '3f2a9c1d7b40'))) {
   *   console.error('the version table no longer holds 1bc594146bb5: nothing was committed');
   * }
   * ```
   */
  async commitVersionUpdate(
    table: { readonly name: string; readonly schema?: string | undefined },
    from: string | undefined,
    to: string | undefined,
    options?: { readonly pipelined?: boolean },
  ): Promise<boolean> {
    const target = qualified(table);
    const guarded = (write: string) =>
      `WITH u AS (${write} RETURNING 1) ` +
      `SELECT CASE WHEN c.n = 1 THEN c.n ELSE ('${VERSION_CONFLICT}' || c.n)::bigint END AS n FROM (SELECT count(*) AS n FROM u) c`;
    let write: string;
    if (from === undefined && to === undefined) throw new TypeError('commitVersionUpdate: neither `from` nor `to` given');
    else if (from === undefined) write = `INSERT INTO ${target} ("version_num") VALUES (${postgresEscapedLiteral(to!)})`;
    else if (to === undefined) write = guarded(`DELETE FROM ${target} WHERE "version_num" = ${postgresEscapedLiteral(from)}`);
    else write = guarded(`UPDATE ${target} SET "version_num" = ${postgresEscapedLiteral(to)} WHERE "version_num" = ${postgresEscapedLiteral(from)}`);
    const session = this.#options.session;
    if (options?.pipelined && session) {
      // The transaction ends here for the caller, who may begin the next one before this settles.
      this.#inTransaction = false;
      try {
        await session.finish([write, 'COMMIT'], { pipelined: true });
      } catch (error) {
        if (isVersionConflict(error)) return false;
        throw error;
      }
      return true;
    }
    try {
      if (session) await session.finish([write, 'COMMIT']);
      else {
        await this.#run(write).catch((error: unknown) => {
          markFailedStatement(error, { sql: write, parameters: [] });
          throw error;
        });
      }
    } catch (error) {
      await this.rollback().catch(() => undefined);
      if (isVersionConflict(error)) return false;
      throw error;
    }
    if (!session) {
      await this.commit();
      return true;
    }
    this.#inTransaction = false;
    if (session.lastCommand === 'ROLLBACK') throw abortedAtCommit();
    return true;
  }

  /**
   * Reads the version table's rows without a failing statement where it can: on a session multidb
   * opened, outside a transaction, for the table {@link PostgresConnectionOptions.versionTable}
   * names, the identity query told whether it existed: one `SELECT "version_num"` where it did
   * (a table dropped since is still told by its error, 42P01 / 3F000), one `to_regclass` look-up
   * where it did not (the lock may have waited on a run that created it: then the SELECT
   * follows). In a transaction or on a borrowed connection, where an error could abort a
   * transaction, the look-up always comes first; for another table outside a transaction, the
   * SELECT alone.
   * @param table - the version table's name and schema (none: the first on the `search_path` that has it).
   * @returns the rows' revisions, or `undefined` when the table does not exist.
   * @throws the driver's error for anything else (e.g. no SELECT privilege).
   * @example
   * ```ts
   * await connection.readVersionTable?.({ name: 'multidb_version' }); // ['3f2a9c1d7b40'], or undefined before the first upgrade
   * ```
   */
  async readVersionTable(table: { readonly name: string; readonly schema?: string | undefined }): Promise<readonly string[] | undefined> {
    const select = `SELECT "version_num" FROM ${qualified(table)}`;
    const hinted = this.#mayBeInTransaction ? false : await this.#versionTableHint(table);
    if (this.#mayBeInTransaction || hinted === false) {
      const [row] = await this.#run(`SELECT to_regclass(${postgresEscapedLiteral(qualified(table))}) IS NOT NULL AS present`);
      if (row?.present !== true) return undefined;
      return (await this.#run(select)).map((r) => String(r.version_num));
    }
    try {
      return (await this.#run(select)).map((r) => String(r.version_num));
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (code === '42P01' || code === '3F000') return undefined;
      throw error;
    }
  }

  /**
   * Whether the identity query found `table` (the one the options name), if that query was sent
   * and answered; `undefined` otherwise (another table, or no identity read yet).
   */
  async #versionTableHint(table: { readonly name: string; readonly schema?: string | undefined }): Promise<boolean | undefined> {
    const own = this.#options.versionTable;
    if (!own || !this.#info || own.name !== table.name || own.schema !== table.schema) return undefined;
    return (await this.#info.catch(() => undefined))?.versionTable;
  }

  /**
   * Rolls back the open transaction, if any, and ends the refusal of queries that a failed
   * pipelined {@link commitVersionUpdate} began: the connection's own, or one that statements of a
   * revision began (a BEGIN it sent itself, maybe aborted by a failing statement since, which
   * refuses every later statement until ROLLBACK). On a session multidb opened, pg's transaction
   * status tells whether one is open; on a borrowed connection, where it cannot be told, ROLLBACK
   * is sent anyway (PostgreSQL only warns when none is open). Never throws for a missing
   * transaction.
   */
  async rollback(): Promise<void> {
    const session = this.#options.session;
    if (!this.#inTransaction) {
      if (session) {
        // After a pipelined commit that failed (the session rolled it back), queries are sent again.
        if (!(await session.drop())) await session.rollbackOpen();
      } else {
        await this.#run('ROLLBACK').catch(() => undefined);
      }
      return;
    }
    this.#inTransaction = false;
    if (session) {
      // A statement held back is never sent. Behind a failed pipelined commit nothing was sent.
      if (await session.drop()) return;
      if (session.cancelBegin()) return; // BEGIN never went out
    }
    await this.#run('ROLLBACK');
  }

  /**
   * Whether a transaction is open: the connection's own, or one that statements of a revision
   * began (a BEGIN it sent itself), as pg's transaction status tells on a session multidb opened,
   * once the queries sent before have settled.
   * @returns `undefined` on a borrowed connection while it has no transaction of its own (a
   *   revision's BEGIN cannot be told there), or when pg does not tell.
   * @example
   * ```ts
   * await connection.execute({ sql: 'BEGIN', parameters: [] });
   * await connection.transactionOpen?.(); // true
   * ```
   */
  async transactionOpen(): Promise<boolean | undefined> {
    if (this.#inTransaction) return true;
    return this.#options.session?.transactionOpen();
  }

  /**
   * Reads the bind's schema (or `options.schema`) in six catalog queries: tables, enum types and
   * the views, materialized views, triggers, rules and domains (see {@link PostgresIntrospector}).
   * @param options - `schema` to read another schema; `exclude`: table names left out.
   * @throws the driver's error when a catalog query fails.
   */
  introspect(options?: IntrospectOptions): Promise<DatabaseSnapshot> {
    return this.#introspector.getDatabase(options);
  }

  /** Reads a table's shape in four catalog queries (see {@link PostgresIntrospector}); `undefined` when it does not exist. */
  introspectTable(table: string, schema?: string): Promise<TableSnapshot | undefined> {
    return this.#introspector.getTable(table, schema);
  }

  /**
   * Takes the bind's migration lock: `pg_try_advisory_lock`, polled every `pollMs` (default 200).
   * On a session multidb opened, each poll is given the connect timeout (`answerMs`, default
   * 10 s) to be answered, though the server answers it at once: a poll left unanswered means a
   * network path that died silently, and the session is given up (its socket destroyed) rather
   * than waiting for the OS to notice (minutes). An abort of `options.signal` during a poll gives
   * it up at once too (nothing is held on it yet).
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`, naming the bind) after `timeoutMs`;
   *   a `ConnectionLostError` (`code: 'CONNECTION_LOST'`) for a poll left unanswered; an `Error`
   *   whose `code` is `'ABORTED'` once `options.signal` is aborted.
   */
  async acquireLock(options: LockOptions): Promise<void> {
    if (this.#lock && !this.#lock.held && this.#lockName !== options.name) this.#lock = undefined;
    if (this.#lock && this.#lockName !== options.name) {
      throw new Error(`[${this.#options.bind}] already holds the migration lock '${this.#lockName}'; release it before taking '${options.name}'.`);
    }
    if (!this.#lock) {
      this.#lockName = options.name;
      const { database } = await this.#serverInfo();
      this.#lock = new PostgresLock((s) => this.execute(s), postgresLockKey(options.name, database, this.#options.schema), this.#options.bind);
    }
    const { abandon } = this.#options;
    await this.#lock.acquire(options, abandon ? { answerMs: this.#options.answerMs ?? 10_000, abandon: (error) => abandon(error, this.#session) } : undefined);
  }

  /** Releases the migration lock, if held. Never throws. */
  async releaseLock(): Promise<void> {
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }

  /**
   * Who holds the bind's migration lock, without taking it: the session holding its advisory lock
   * (`pg_locks` with `pg_stat_activity`: pid, user, client address, `application_name`, when it
   * connected, its open transaction, its state; see {@link postgresLockHolder}; its pid alone
   * where the role may not read `pg_stat_activity`); this connection's own session when it holds it.
   * @param options - the lock's name, as given to {@link PostgresConnection.acquireLock}.
   * @returns the holder, or `undefined` when nobody holds it.
   * @throws the driver's error when the query fails.
   */
  async lockHolder(options: Pick<LockOptions, 'name'>): Promise<LockHolder | undefined> {
    const { database, activity } = await this.#serverInfo();
    return postgresLockHolder((s) => this.execute(s), postgresLockKey(options.name, database, this.#options.schema), { activity });
  }

  /**
   * Names the physical database: `postgres(system <system_identifier>)/<database>`, from
   * `pg_control_system()` (callable by every role unless revoked). Where it is not callable, the
   * server is named by its start time and port, which every role can read, so two binds on one
   * server get the same identity whatever their roles and network paths:
   * `postgres(started <epoch seconds>, port 5432)/<database>`. The bind's schema is not part of
   * it: core adds the version table's schema and name when it compares binds.
   * @example
   * ```ts
   * await connection.identity(); // 'postgres(system 7711477750036944997)/sales'
   * ```
   */
  identity(): Promise<string> {
    this.#identity ??= this.#readIdentity().catch((error: unknown) => {
      this.#identity = undefined; // ask again next time
      throw error;
    });
    return this.#identity;
  }

  async #readIdentity(): Promise<string> {
    const info = await this.#serverInfo();
    const server = info.system !== undefined ? `system ${info.system}` : `started ${info.started}, port ${info.port}`;
    return `postgres(${server})/${info.database}`;
  }

  /**
   * The database, the server's `system_identifier` (where `pg_control_system()` may be called),
   * start time and port, whether it is a standby, whether the version table exists, whether the
   * role may read `pg_stat_activity` and, on a session multidb opened, the session's identity
   * (its pid, and its `backend_start` where the role may read `pg_stat_activity`): one query,
   * asked once per connection (identity, the lock key, `readOnly()`, `readVersionTable()` and
   * the liveness watch all read it). Where `pg_control_system()` or `pg_stat_activity` is revoked
   * the query fails (42501): the privileges are asked, and the query without what may not be
   * read follows; in a transaction or on a borrowed connection, the privileges are asked first
   * instead.
   */
  #serverInfo(): Promise<ServerInfo> {
    this.#info ??= this.#readServerInfo().catch((error: unknown) => {
      this.#info = undefined; // ask again next time
      throw error;
    });
    return this.#info;
  }

  async #readServerInfo(): Promise<ServerInfo> {
    const versionTable = this.#options.versionTable;
    const query = (may: { readonly system: boolean; readonly activity: boolean }) =>
      `SELECT current_database() AS database, extract(epoch FROM pg_postmaster_start_time())::text AS started, current_setting('port') AS port, pg_is_in_recovery() AS standby` +
      `, ${POSTGRES_READS_ACTIVITY} AS activity` +
      (this.#options.backendPid !== undefined ? `, ${may.activity ? POSTGRES_SESSION_COLUMNS : POSTGRES_SESSION_PID_COLUMN}` : '') +
      (versionTable ? `, to_regclass(${postgresEscapedLiteral(qualified(versionTable))}) IS NOT NULL AS version_table` : '') +
      (may.system ? ', (SELECT system_identifier::text FROM pg_control_system()) AS system' : '');
    // What the role may read: asked where the full query would fail (42501), or could (an error would abort a transaction).
    const privileges = async () => {
      const [may] = await this.#run(`SELECT has_function_privilege('pg_control_system()', 'EXECUTE') AS system, ${POSTGRES_READS_ACTIVITY} AS activity`);
      return { system: may?.system === true, activity: may?.activity === true };
    };
    let row: Record<string, unknown> | undefined;
    if (this.#mayBeInTransaction) {
      [row] = await this.#run(query(await privileges()));
    } else {
      try {
        [row] = await this.#run(query({ system: true, activity: true }));
      } catch (error) {
        if ((error as { code?: unknown })?.code !== '42501') throw error; // 42501: pg_control_system() or pg_stat_activity is revoked
        [row] = await this.#run(query(await privileges()));
      }
    }
    const activity = row?.activity === true;
    this.#standby = row?.standby === true;
    this.#session = verifiedSession(row, this.#options.backendPid, activity);
    return {
      database: String(row?.database),
      started: String(row?.started),
      port: String(row?.port),
      activity,
      ...(typeof row?.version_table === 'boolean' ? { versionTable: row.version_table } : {}),
      ...(row?.system !== undefined && row.system !== null ? { system: String(row.system) } : {}),
    };
  }

  /**
   * Why the database takes no writes: `'a read-only standby (pg_is_in_recovery() is true)'` on a hot
   * standby, else `undefined`. Read with {@link PostgresConnection.identity}'s query (no extra round
   * trip after it).
   * @throws the driver's error when the query fails.
   * @example
   * ```ts
   * if (await connection.readOnly?.()) console.error('db2 is a standby');
   * ```
   */
  async readOnly(): Promise<string | undefined> {
    await this.identity();
    return this.#standby ? 'a read-only standby (pg_is_in_recovery() is true)' : undefined;
  }

  /**
   * Creates the bind's schema (`CREATE SCHEMA`, without `IF NOT EXISTS`: only one session can
   * create it) and remembers it as created by this connection, with its oid, for {@link discard}.
   * On a session multidb opened only (the statement and the oid's look-up go in one simple-protocol
   * query, one implicit transaction).
   * @throws the driver's error: `42P06` (or `23505` in a race) when the schema exists (another
   *   session created it).
   * @internal The driver's, at connect.
   */
  async createSchema(): Promise<void> {
    const schema = this.#options.schema;
    if (schema === undefined || !this.#options.session) throw new Error('createSchema: needs a schema and a session multidb opened');
    const [row] = await this.#run(`CREATE SCHEMA ${quoteIdentifier(schema)};SELECT oid::text AS oid FROM pg_catalog.pg_namespace WHERE nspname = ${postgresEscapedLiteral(schema)}`);
    this.#createdSchema = row?.oid === undefined ? undefined : String(row.oid);
  }

  /**
   * Closes the connection, as {@link close}, and drops the bind's schema when this connection
   * created it and it still holds nothing (see `DialectConnection.discard`): no object but the
   * bind's version table without rows (and that table's indexes). A schema that existed before
   * the connection is left as it is, and so is one that holds anything, whoever put it there.
   *
   * In one transaction, before the lock is released: the schema must still be the one created
   * (same oid, no privileges granted on it, no comment); the version table is locked (`LOCK TABLE
   * … IN ACCESS EXCLUSIVE MODE`, so no other session can be writing a row) and must be empty;
   * `pg_class` must hold nothing else in the schema; then `DROP TABLE` and `DROP SCHEMA`
   * (RESTRICT: it fails, and everything is rolled back, when any object of another kind, or one
   * another session created meanwhile, is in the schema). A lock that is not granted within a
   * second (`lock_timeout`) keeps the schema too.
   *
   * Only when the version table lives in the bind's schema: a run that connected to the schema
   * before it was dropped (another process waiting for the migration lock) then creates it again
   * with its version table, before its first revision's statements, so they still land in the
   * schema. With `versionTableSchema` naming another schema, that run would put its tables in the
   * next schema of its `search_path`, so the bind's schema is kept. Not on a borrowed connection
   * (a Kysely supplied by custom tooling, whose session and transaction are the caller's), nor with
   * a transaction of the run still open.
   * @example
   * ```ts
   * import { postgresDriver } from './postgres-driver.js';
   * const connection = await postgresDriver.connect({ bind: 'db2', url: 'postgres://app@127.0.0.1/sales', baseDir: process.cwd(), schema: 'billing', versionTable: { name: 'multidb_version', schema: 'billing' } });
   * await connection.discard?.(); // "billing" dropped again, if connecting created it
   * ```
   */
  async discard(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#dropCreatedSchema();
    } catch {
      // Anything unexpected (a lock not granted, an object DROP SCHEMA finds): the schema stays.
      await this.#run('ROLLBACK').catch(() => undefined);
    } finally {
      await this.close();
    }
  }

  /** The transaction of {@link discard}: drops the schema this connection created while it holds nothing. */
  async #dropCreatedSchema(): Promise<void> {
    const created = this.#createdSchema;
    const schema = this.#options.schema;
    const own = this.#options.versionTable;
    if (created === undefined || schema === undefined || !this.#options.session || this.#inTransaction) return;
    if (own === undefined || (own.schema ?? schema) !== schema) return;
    const table = qualified({ name: own.name, schema });
    const [found] = await this.#run(
      `BEGIN;SET LOCAL lock_timeout = '1s';` +
        `SELECT n.oid::text AS oid, n.nspacl IS NULL AND obj_description(n.oid, 'pg_namespace') IS NULL AS plain, ` +
        `to_regclass(${postgresEscapedLiteral(table)})::oid::text AS version_table ` +
        `FROM pg_catalog.pg_namespace n WHERE n.nspname = ${postgresEscapedLiteral(schema)}`,
    );
    const versionTable = found?.version_table === null || found?.version_table === undefined ? undefined : String(found.version_table);
    if (found?.oid !== created || found.plain !== true) {
      await this.#run('ROLLBACK');
      return;
    }
    // Under the version table's lock: nobody writes a row of it until the transaction ends.
    const others = `(SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = ${created}::oid` + (versionTable === undefined ? ')::int' : ` AND c.oid <> ${versionTable}::oid AND c.oid NOT IN (SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = ${versionTable}::oid))::int`);
    const [contents] = await this.#run(
      versionTable === undefined
        ? `SELECT ${others} AS others, true AS empty`
        : `LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;SELECT ${others} AS others, NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
    );
    if (contents?.others !== 0 || contents.empty !== true) {
      await this.#run('ROLLBACK');
      return;
    }
    await this.#run(`${versionTable === undefined ? '' : `DROP TABLE ${table};`}DROP SCHEMA ${quoteIdentifier(schema)};COMMIT`);
    this.#createdSchema = undefined;
  }

  /** Releases the lock and closes the pinned connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#options.session?.drop(); // closing rolls an open transaction back: a statement held back is not sent
    await this.releaseLock();
    await this.#options.close();
  }
}

/** What {@link PostgresConnection} reads about its server once (see its `#serverInfo`). */
interface ServerInfo {
  readonly database: string;
  readonly started: string;
  readonly port: string;
  /** `pg_control_system()`'s `system_identifier`, where the role may call it. */
  readonly system?: string;
  /** Whether the role may read `pg_stat_activity` (a hardened server revokes it from `PUBLIC`). */
  readonly activity: boolean;
  /** Whether the version table the connection was given existed when the query ran. */
  readonly versionTable?: boolean;
}

/**
 * The session's identity from the server-info row, when the session's `pg_backend_pid()` is the
 * client's backend pid (a pooler's pid or none: `undefined`) and, where the role may read
 * `pg_stat_activity` (`activity`), its `backend_start` was read; where it may not, the identity
 * has no `backendStart`.
 */
function verifiedSession(row: Record<string, unknown> | undefined, backendPid: number | undefined, activity: boolean): PostgresSessionIdentity | undefined {
  if (row === undefined || backendPid === undefined || backendPid <= 0) return undefined;
  const pid = Number(row['pid']);
  if (pid !== backendPid) return undefined;
  const identity = { pid, serverStarted: String(row['started']), port: String(row['port']) };
  if (!activity) return identity;
  const backendStart = row['backend_start'];
  return typeof backendStart === 'string' ? { ...identity, backendStart } : undefined;
}

/** A table's quoted name, with its schema when given. */
function qualified(table: { readonly name: string; readonly schema?: string | undefined }): string {
  return table.schema !== undefined ? `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}` : quoteIdentifier(table.name);
}

/**
 * Whether SQL is one statement (no `;` in code before its end) that ends in code, a string or a
 * quoted name, not in a line comment: what may be held back and joined to others with `;`.
 */
function isOneStatementEndingInCode(sql: string): boolean {
  const segments = sqlSegments(sql.replace(/[\s;]+$/, ''), { dollarQuotes: true });
  if (segments.at(-1)?.kind === 'line-comment') return false;
  return !segments.some((s) => s.kind === 'code' && s.text.includes(';'));
}

/** Whether `error` is the guard's failure (not a refusal that quotes it: {@link PipelineAbortedError}). */
function isVersionConflict(error: unknown): boolean {
  return error instanceof Error && !(error instanceof PipelineAbortedError) && error.message.includes(VERSION_CONFLICT);
}

/** What the guard of {@link PostgresConnection.commitVersionUpdate} says when the UPDATE changed another number of rows than 1. */
const VERSION_CONFLICT = 'multidb: version table rows changed by the step: ';
