import { realpath as realpathCallback, rm as rmCallback, rmdir as rmdirCallback, stat as statCallback, type BigIntStats } from 'node:fs';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import { failedStatementOf, markFailedStatement, type DatabaseSnapshot, type DialectConnection, type IntrospectOptions, type LockOptions, type NamingConvention, type ReadOnlyReason, type Statement, type TableSnapshot } from '@multidb/core';
import { CompiledQuery, type Kysely } from 'kysely';
import { ForeignKeyBaseline } from './foreign-key-baseline.js';
import { ForeignKeyCheckError, type ForeignKeyViolation } from './foreign-key-check-error.js';
import { ForeignKeyMismatchError } from './foreign-key-mismatch-error.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { SqliteIntrospector } from './sqlite-introspector.js';
import { SqliteLock, type OpenDatabase } from './sqlite-lock.js';
import { sqliteInsertTarget } from './sqlite-insert-target.js';
import { foldName, SqliteSchemaDefinitions, type ForeignKeyCheckScope } from './sqlite-schema-definitions.js';
import { SESSION_BEGIN, type SqliteSession } from './sqlite-session.js';
import { toSqliteParameter } from './sqlite-parameter.js';
import { writeDenied } from './write-denied.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { versionWrite } from '../shared/version-write.js';
import { plainKysely } from '../shared/plain-kysely.js';

// Node's callback `fs` as promises, not `node:fs/promises`: that module (and the streams and
// readline modules it loads) is not in Node 20's start-up snapshot, ~2–5 ms of a connecting
// command's start-up that nothing else needs (core does the same: its script/fs-async.ts).
const realpath = promisify(realpathCallback);
const rm = promisify(rmCallback);
const rmdir = promisify(rmdirCallback);
const statBig = (file: string): Promise<BigIntStats | undefined> =>
  new Promise((resolve) => statCallback(file, { bigint: true }, (error, stats) => resolve(error ? undefined : stats)));

/**
 * SQLite's `database is locked` met by BEGIN IMMEDIATE or COMMIT, saying what it means for the run:
 * another connection (an application's, a `sqlite3` shell's: not a migrate run, whose migration
 * lock this one holds) held a lock on the database past the busy timeout (better-sqlite3's default: 5 s).
 * The message is extended in place (the step names the error); any other error is returned as is.
 */
function withBusyHint(error: unknown): unknown {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (error instanceof Error && code.startsWith('SQLITE_BUSY')) {
    error.message += ' (another connection held a lock on the database past the busy timeout: try again once it has finished)';
  }
  return error;
}

let memoryCount = 0;

/** A row of `PRAGMA foreign_key_check`. */
const toViolation = (r: Record<string, unknown>): ForeignKeyViolation => ({
  table: String(r.table),
  rowid: (r.rowid as number | bigint | null) ?? null,
  parent: String(r.parent),
  fkid: Number(r.fkid),
});

/** The parameters of a statement that has none. */
const NO_PARAMETERS: readonly unknown[] = Object.freeze([]);

/**
 * How many rows the connection has inserted, updated or deleted since it opened (SQLite counts
 * every row an INSERT, UPDATE or DELETE changed, a trigger's included, even when rolled back
 * later), the main schema's version (SQLite adds one at each change of the schema), and the main
 * database's size in bytes.
 */
const COUNTERS =
  'SELECT total_changes() AS "changes", "s"."schema_version" AS "schema", "c"."page_count" * "z"."page_size" AS "bytes" ' +
  'FROM main.pragma_schema_version AS "s", main.pragma_page_count AS "c", main.pragma_page_size AS "z"';

/**
 * {@link SqliteConnectionOptions.scopedForeignKeyCheckFrom}'s default, in bytes: 16 MiB. Below it
 * a check of every table costs about what finding the tables a revision changed costs (a read of
 * `sqlite_master`: ~1 ms for 1,000 tables), so every revision checks every table, as before.
 * @example
 * ```ts
 * const scoped = (pageCount: number, pageSize: number) => pageCount * pageSize >= SCOPED_FOREIGN_KEY_CHECK_FROM;
 * ```
 */
export const SCOPED_FOREIGN_KEY_CHECK_FROM = 16 * 1024 * 1024;

/** Past this many tables to check, the check covers every table (one parameter per table). */
const MAX_SCOPED_TABLES = 1000;

/** `pragma_foreign_key_check` of `count` tables of the main schema (one parameter each), in one statement. */
const scopedCheck = (count: number): string =>
  `SELECT "f".* FROM (VALUES ${Array.from({ length: count }, () => '(?)').join(', ')}) AS "t", pragma_foreign_key_check("t"."column1", 'main') AS "f"`;

/** {@link COUNTERS}' values, and the session's {@link SqliteSession.drops} then (how many of each). */
interface Counters {
  readonly changes: number;
  readonly schema: number;
  readonly bytes: number;
  readonly droppedTables: number;
  readonly unknownDrops: number;
}

/** The connection's own write in a transaction (the version table's): its table (undefined: not in the main schema) and the rows it changed. */
interface Written {
  readonly table: string | undefined;
  readonly changes: number;
}

/** What a check before COMMIT found: the violating rows of the tables it covered (`scope` undefined: every table), and the statement it ran (none when nothing needed a check). */
interface CheckResult {
  readonly violations: readonly ForeignKeyViolation[];
  readonly scope: ForeignKeyCheckScope | undefined;
  readonly statement: Statement | undefined;
}

/** The statements of a transaction's end that a failed step names (see `markFailedStatement`). */
const COMMIT: Statement = Object.freeze({ sql: 'COMMIT', parameters: NO_PARAMETERS });
const FULL_CHECK: Statement = Object.freeze({ sql: 'PRAGMA foreign_key_check', parameters: NO_PARAMETERS });

/** What {@link SqliteConnection} is built from. */
export interface SqliteConnectionOptions {
  /** The bind's name, for messages. */
  readonly bind: string;
  /**
   * Kysely on one SQLite database (Kysely's SQLite driver holds a single connection). Or, with
   * `plainDb`, a function that makes it (user code's: the project's copy of kysely, see
   * `connectionKyselys`), called on the connection's first read of `db`, so that a command whose user
   * code never reads it never loads that copy.
   */
  readonly db: Kysely<any> | (() => Kysely<any>);
  /**
   * multidb's own queries' Kysely on `db`'s database and driver, when `db` is of another copy of
   * kysely (the project's, see `connectionKyselys`) or made on demand; default `db` without its plugins.
   */
  readonly plainDb?: Kysely<any>;
  /** Destroy `db` on {@link SqliteConnection.close} (false for a Kysely supplied by custom tooling). */
  readonly ownsDb: boolean;
  /** How {@link SqliteConnection.close} destroys what `ownsDb` says it owns (default `db.destroy()`). */
  readonly destroy?: () => Promise<void>;
  /** Opens a better-sqlite3 database: the lock's own connection. */
  readonly open: () => Promise<OpenDatabase>;
  /** The file's absolute path (or `':memory:'`), for messages; absent for a supplied Kysely. */
  readonly location?: string;
  /**
   * The session `db` runs on, when multidb opened the database: foreign keys then stay off from a
   * COMMIT to the next BEGIN (see {@link SqliteSession}). Absent for a supplied Kysely.
   */
  readonly session?: SqliteSession;
  /** The bind's naming convention: introspection names an unnamed UNIQUE with a DESC key by it. Default: the default convention. */
  readonly namingConvention?: NamingConvention;
  /**
   * What connecting created, for {@link SqliteConnection.discard}: the database file (absolute
   * path) when it did not exist, the topmost folder made for it (`mkdir -p`'s first), and the
   * file's device and inode right after it was opened (discard removes that file, not one put
   * at its path since); without them the file is never removed.
   */
  readonly created?: { readonly file: string; readonly folder?: string; readonly dev?: bigint; readonly ino?: bigint };
  /**
   * The bind's version table's name: {@link SqliteConnection.discard} takes a database that holds
   * only this table, without rows, as one that holds nothing. Absent: only an empty schema is.
   */
  readonly versionTable?: string;
  /**
   * From what size of the database (bytes, decided at the connection's first transaction) the
   * foreign-key check before COMMIT covers only what the transaction may have broken, on a
   * database multidb opened (with a {@link session}); below it, and on a supplied Kysely, it reads
   * every table, which costs less on a small database than finding what changed. Default
   * {@link SCOPED_FOREIGN_KEY_CHECK_FROM} (16 MiB); 0: always scoped.
   */
  readonly scopedForeignKeyCheckFrom?: number;
}

/**
 * A live connection to one SQLite bind (DESIGN §7): one pinned connection for the run, with
 * SQLite's transaction rules.
 *
 * - `begin()`: `PRAGMA foreign_keys=OFF` (SQLite ignores it inside a transaction), then
 *   `BEGIN IMMEDIATE` (the run writes, so it takes the write lock up front). On a database file
 *   multidb opened in SQLite's default journal mode, the first `begin()` keeps the journal file
 *   between transactions (`PRAGMA main.journal_mode = PERSIST`, this connection only), and
 *   `close()` switches back to `DELETE`, removing it: no file created and deleted per revision.
 * - `commit()`: the foreign-key check; on violations the transaction added (rows that broke
 *   foreign keys before it, which SQLite lets in while they are off, are not its doing: the
 *   connection's first transaction checks once at its start, then each commit's check is the next
 *   one's baseline, see {@link ForeignKeyBaseline}) ROLLBACK, foreign keys back on, and a
 *   {@link ForeignKeyCheckError}; else COMMIT, then `PRAGMA foreign_keys=ON`. On a database
 *   multidb opened of 16 MiB or more (see {@link SqliteConnectionOptions.scopedForeignKeyCheckFrom}),
 *   the check covers only what the transaction may have broken: every table
 *   (`PRAGMA foreign_key_check`) when it changed a row (`total_changes()`; raw SQL and `op.db`
 *   may have written any table) other than the version write's own and those that an INSERT
 *   sent through {@link execute} or {@link executeLater} put into a table the transaction created
 *   (a batch's copy, a bulk insert into a new table: `sqliteInsertTarget`), or ran a statement
 *   that may have dropped what cannot be told ({@link SqliteSession.drops}); else the tables
 *   whose definition changed (a new table among them) or that `DROP TABLE` named, and those whose
 *   foreign keys refer to them (`pragma_foreign_key_check(table)`, see
 *   {@link SqliteSchemaDefinitions}); none when neither rows nor the schema changed. Otherwise
 *   every table, every time. On a database multidb
 *   opened, foreign keys stay off after COMMIT until a statement runs outside a transaction, so
 *   the next `begin()` sends BEGIN alone (see {@link SqliteSession}).
 * - `rollback()`: ROLLBACK when a transaction is open, then foreign keys on; never throws for
 *   a missing transaction.
 * - `commitVersionUpdate()`: the version table's write (its row count checked), then as `commit()`.
 *   On a database multidb opened, the statements every revision sends (BEGIN, the write, the
 *   check, COMMIT) are prepared once for the session.
 *
 * @example
 * ```ts
 * import { sqliteDriver } from './sqlite-driver.js';
 * const connection = await sqliteDriver.connect({ bind: 'db2', url: 'sqlite:.data/db2.db', baseDir: process.cwd() });
 * await connection.begin();
 * await connection.execute({ sql: 'CREATE TABLE "Genre" ("GenreId" integer PRIMARY KEY)', parameters: [] });
 * await connection.commit();
 * await connection.close();
 * ```
 */
export class SqliteConnection implements DialectConnection {
  /** The SQLite dialect ({@link sqliteDialect}). */
  readonly dialect = sqliteDialect;
  /** Kysely on this connection, with the plugins of a Kysely the bind was given: revisions' `op.db`. Made on its first read when the options give a function. */
  get db(): Kysely<any> {
    if (typeof this.#db === 'function') this.#db = this.#db();
    return this.#db;
  }
  #db: Kysely<any> | (() => Kysely<any>);
  /** {@link db} without its plugins, made once: this connection's own queries ({@link execute}, introspection, the version table's). */
  readonly plainDb: Kysely<any>;
  /** The file's absolute path (or `':memory:'`), for messages; undefined for a supplied Kysely. */
  readonly location: string | undefined;
  readonly #options: SqliteConnectionOptions;
  readonly #introspector: SqliteIntrospector;
  #inTransaction = false;
  /** The rows that broke foreign keys when the open transaction began (undefined until the first). */
  #foreignKeyBaseline: ForeignKeyBaseline | undefined;
  /** Whether the check before COMMIT is scoped (decided at the first transaction; see {@link SqliteConnectionOptions.scopedForeignKeyCheckFrom}). */
  #scoped: boolean | undefined;
  /** {@link COUNTERS} when the open transaction began; undefined when unknown or not scoped (the check then covers every table). */
  #start: Counters | undefined;
  /**
   * The rows the open transaction's statements inserted into tables it created (a batch's copy,
   * a bulk insert into a new table), counted by the statements themselves, and those tables: a
   * scoped check covers every new table, so these rows need no check of every table.
   */
  #inserted: { changes: number; readonly tables: string[] } = { changes: 0, tables: [] };
  /** The main schema's definitions at schema version `version`, as last read. */
  #definitions: { readonly version: number; readonly definitions: SqliteSchemaDefinitions } | undefined;
  #lock: SqliteLock | undefined;
  #memoryId: string | undefined;
  /** {@link discard}'s own `BEGIN EXCLUSIVE` is open. */
  #discarding = false;
  /**
   * The main database's rollback journal is kept between this connection's transactions
   * (`journal_mode = PERSIST`, set by the first {@link begin}): {@link close} switches back to
   * `DELETE`. `undefined` until the first `begin()` looked.
   */
  #journalKept: boolean | undefined;

  constructor(options: SqliteConnectionOptions) {
    this.#options = options;
    this.#db = options.db;
    this.plainDb = options.plainDb ?? plainKysely(typeof options.db === 'function' ? this.db : options.db);
    this.location = options.location;
    this.#introspector = new SqliteIntrospector((s) => this.execute(s), options.namingConvention);
    options.session?.keep(COUNTERS);
    options.session?.keep(SqliteSchemaDefinitions.SQL);
  }

  /**
   * Runs one statement through Kysely; returns its rows (empty for DDL). Parameters go through
   * {@link toSqliteParameter} (booleans → 1/0, dates → ISO text), as better-sqlite3 binds neither.
   * On a database multidb opened, a statement sent while no Kysely query is in flight or queued
   * runs at once on the database instead ({@link SqliteSession.run}): the same statement, in the
   * same order, without Kysely's promise hops.
   * @throws the driver's error.
   */
  execute(statement: Statement): Promise<readonly Record<string, unknown>[]> {
    return this.#execute(statement, this.#newTableTarget(statement.sql));
  }

  /** {@link execute}; `into`: the table created in the open transaction that the statement inserts into, if any (see {@link #inserted}). */
  async #execute(statement: Statement, into: string | undefined): Promise<readonly Record<string, unknown>[]> {
    const parameters = statement.parameters.map(toSqliteParameter);
    // On a database multidb opened, at once while no Kysely query is in flight (see SqliteSession.run).
    const direct = this.#options.session?.run(statement.sql, parameters);
    if (direct) {
      if (into !== undefined) {
        this.#inserted.changes += direct.changes;
        this.#inserted.tables.push(into);
      }
      return direct.rows;
    }
    const result = await this.plainDb.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement.sql, parameters));
    return result.rows;
  }

  /**
   * Runs an op's statement whose rows nobody reads (core's runner sends an op's DDL here) at once:
   * SQLite holds nothing back, so `onError` is never called. On a database multidb opened, a
   * statement without parameters runs through better-sqlite3's `exec` ({@link SqliteSession.exec}:
   * no statement object for a text that runs once) when it can; otherwise as {@link execute}.
   * @param statement - one statement.
   * @param _onError - unused: a statement that fails rejects this call.
   * @throws the driver's error.
   * @example
   * ```ts
   * await connection.begin();
   * await connection.executeLater?.({ sql: 'CREATE TABLE "Genre" ("GenreId" integer PRIMARY KEY)', parameters: [] }, () => undefined);
   * await connection.commit();
   * ```
   */
  async executeLater(statement: Statement, _onError: (error: unknown) => void): Promise<void> {
    // An insert into a new table runs as execute() does, which counts its rows (exec does not).
    const into = this.#newTableTarget(statement.sql);
    if (statement.parameters.length === 0 && into === undefined && this.#options.session?.exec(statement.sql)) return;
    await this.#execute(statement, into);
  }

  /**
   * The table `sql` inserts into when a scoped check is under way and that table is not one of
   * the main schema's tables when the transaction began (it was created in it, or is a temporary
   * or attached one); else `undefined`.
   */
  #newTableTarget(sql: string): string | undefined {
    const start = this.#start;
    const before = this.#definitions;
    if (start === undefined || before?.version !== start.schema) return undefined;
    const target = sqliteInsertTarget(sql);
    return target === undefined || before.definitions.hasTable(target) ? undefined : target;
  }

  /** Runs `sql` and returns its rows: at once on the session when it can ({@link SqliteSession.run}), else through {@link execute}. */
  #run(sql: string, parameters: readonly unknown[] = NO_PARAMETERS): readonly Record<string, unknown>[] | Promise<readonly Record<string, unknown>[]> {
    return this.#options.session?.run(sql, parameters)?.rows ?? this.execute({ sql, parameters });
  }

  /** {@link COUNTERS} now. */
  async #counters(): Promise<Counters> {
    const [row] = await this.#run(COUNTERS);
    const drops = this.#options.session?.drops;
    return { changes: Number(row?.changes), schema: Number(row?.schema), bytes: Number(row?.bytes), droppedTables: drops?.tables.length ?? 0, unknownDrops: drops?.unknown ?? 0 };
  }

  /** The main schema's definitions now, at schema version `version` (read again only when another version is cached). */
  async #definitionsAt(version: number): Promise<SqliteSchemaDefinitions> {
    if (this.#definitions?.version === version) return this.#definitions.definitions;
    const definitions = SqliteSchemaDefinitions.of(await this.#run(SqliteSchemaDefinitions.SQL));
    this.#definitions = { version, definitions };
    return definitions;
  }

  /**
   * Switches foreign keys off and opens a transaction. The connection's first, on a database file
   * multidb opened in the default journal mode, first keeps the journal file between transactions
   * (`journal_mode = PERSIST` until {@link close}; see {@link #keepJournal}).
   * @throws when a transaction is already open.
   */
  async begin(): Promise<void> {
    if (this.#journalKept === undefined) await this.#keepJournal();
    // With a session, the pragma (when needed) goes with the BEGIN, as it is prepared (see SqliteSession).
    const session = this.#options.session;
    if (session) session.offAtNextBegin();
    else await this.#run('PRAGMA foreign_keys = OFF');
    try {
      await this.#run(SESSION_BEGIN);
    } catch (error) {
      markFailedStatement(error, { sql: SESSION_BEGIN, parameters: NO_PARAMETERS });
      session?.offAtNextBegin(false);
      await this.#run('PRAGMA foreign_keys = ON');
      throw withBusyHint(error);
    }
    this.#inTransaction = true;
    // What broke foreign keys before this connection's first transaction (later ones start from
    // the last commit's check). A check that fails here fails again before COMMIT, which says so.
    if (this.#foreignKeyBaseline === undefined) {
      try {
        this.#foreignKeyBaseline = ForeignKeyBaseline.of((await this.#run('PRAGMA foreign_key_check')).map(toViolation));
      } catch {
        this.#foreignKeyBaseline = ForeignKeyBaseline.EMPTY;
      }
    }
    // What a scoped check before COMMIT compares with: unknown (a full check) when it cannot be read.
    this.#start = undefined;
    this.#inserted = { changes: 0, tables: [] };
    if (this.#scoped === false) return;
    try {
      const start = await this.#counters();
      if (this.#scoped === undefined) {
        const from = this.#options.scopedForeignKeyCheckFrom ?? SCOPED_FOREIGN_KEY_CHECK_FROM;
        this.#scoped = this.#options.session !== undefined && start.bytes >= from;
        if (!this.#scoped) return;
      }
      await this.#definitionsAt(start.schema);
      this.#start = start;
    } catch {
      // e.g. a SQLite without pragma_schema_version: every table is checked.
    }
  }

  /**
   * Checks foreign keys, then commits and switches them back on.
   * @throws {@link ForeignKeyCheckError} listing the rows the transaction added that break foreign
   *   keys (with how many broke them before it); {@link ForeignKeyMismatchError} when the check
   *   itself fails because a foreign key refers to no key of its parent (`foreign key mismatch`),
   *   naming the key; the driver's error when the check fails otherwise or COMMIT fails. The
   *   transaction is then rolled back. The error is marked with what failed
   *   (`markFailedStatement`): the check that ran (`PRAGMA foreign_key_check`, or the scoped
   *   `pragma_foreign_key_check` query) or `COMMIT`.
   */
  commit(): Promise<void> {
    return this.#commit(undefined);
  }

  /**
   * {@link commit}.
   * @param written - the table of the connection's own write in the transaction (the version
   *   table's), and the rows it changed: not a reason to check every table.
   */
  async #commit(written: Written | undefined): Promise<void> {
    let checked: CheckResult;
    try {
      checked = await this.#check(written);
    } catch (error) {
      // e.g. "foreign key mismatch": a parent key lost its PRIMARY KEY/UNIQUE constraint. Which
      // foreign key is read before the rollback, while the schema is as the transaction left it.
      const mismatch = await ForeignKeyMismatchError.of(error, (sql, parameters) => this.#run(sql, parameters));
      // The check that failed is what the step names, for the clearer error too.
      const failed = failedStatementOf(error);
      if (mismatch && failed) markFailedStatement(mismatch, failed);
      await this.rollback();
      throw mismatch ?? error;
    }
    const { violations, scope } = checked;
    const baseline = this.#foreignKeyBaseline ?? ForeignKeyBaseline.EMPTY;
    const replaced = scope && new Set([...scope.changed, ...scope.check.map(foldName)]);
    const added = baseline.added(violations);
    if (added.length > 0) {
      await this.rollback();
      const error = new ForeignKeyCheckError(added, violations.length - added.length + (replaced ? baseline.sizeOutside(replaced) : 0));
      // The check that found the rows is what failed: the step names it.
      if (checked.statement) markFailedStatement(error, checked.statement);
      throw error;
    }
    try {
      await this.#run(COMMIT.sql);
    } catch (error) {
      markFailedStatement(error, COMMIT);
      await this.rollback();
      throw withBusyHint(error);
    }
    this.#inTransaction = false;
    this.#foreignKeyBaseline = replaced ? baseline.replacing(replaced, violations) : ForeignKeyBaseline.of(violations);
    if (this.#options.session) this.#options.session.holdForeignKeysOff();
    else await this.#run('PRAGMA foreign_keys = ON');
  }

  /**
   * The foreign-key check before COMMIT, of what the open transaction may have broken (see the class).
   * @param written - as {@link #commit}'s.
   * @returns the violating rows of the tables checked, which ones (`scope` undefined: all), and the
   *   statement that read them.
   * @throws the driver's error (`foreign key mismatch`), marked with the check's statement.
   */
  async #check(written: Written | undefined): Promise<CheckResult> {
    const found = await this.#scope(written).catch(() => undefined);
    if (found?.check.length === 0) return { violations: [], scope: found, statement: undefined };
    const scope = found !== undefined && found.check.length <= MAX_SCOPED_TABLES ? found : undefined;
    const statement: Statement = scope ? { sql: scopedCheck(scope.check.length), parameters: scope.check } : FULL_CHECK;
    try {
      return { violations: (await this.#run(statement.sql, statement.parameters)).map(toViolation), scope, statement };
    } catch (error) {
      markFailedStatement(error, statement);
      throw error;
    }
  }

  /**
   * What the open transaction may have broken (see the class).
   * @param written - as {@link #commit}'s.
   * @returns the tables to check; `undefined` for every table (not scoped, a row changed that is
   *   not accounted for, a DROP of what cannot be told).
   * @throws the driver's error when the counters or the definitions cannot be read.
   */
  async #scope(written: Written | undefined): Promise<ForeignKeyCheckScope | undefined> {
    const start = this.#start;
    this.#start = undefined;
    const cached = this.#definitions;
    if (start === undefined || cached?.version !== start.schema) return undefined;
    const now = await this.#counters();
    const inserted = this.#inserted;
    if (now.changes - start.changes !== (written?.changes ?? 0) + inserted.changes) return undefined;
    if (now.schema === start.schema) return cached.definitions.checkScope(cached.definitions, written?.table === undefined ? [] : [written.table]);
    // A table dropped then made again as it was leaves no trace in sqlite_master (see
    // SqliteSchemaDefinitions): the tables DROP TABLE named count as changed; a DROP of what cannot be told, as every table.
    if (now.unknownDrops !== start.unknownDrops) return undefined;
    const dropped = this.#options.session?.drops.tables.slice(start.droppedTables) ?? [];
    const after = await this.#definitionsAt(now.schema);
    return after.checkScope(cached.definitions, [...(written?.table === undefined ? [] : [written.table]), ...dropped, ...inserted.tables]);
  }

  /**
   * Replaces the version table's row `from` by `to` (no `from`: inserts `to`; no `to`: deletes
   * `from`), then commits as {@link commit} does (foreign-key check, COMMIT). The write's SQL is
   * the connection's own and the same for every revision, so on a database multidb opened its
   * prepared statement is kept ({@link SqliteSession.keep}), as BEGIN's and COMMIT's are.
   * @param table - the version table's name and schema (an attached database), if any.
   * @param from - the revision its row holds now, if any.
   * @param to - the revision it must hold, if any.
   * @returns `false` when the write changed no row (no row held `from`): the transaction is then
   *   rolled back, nothing committed.
   * @throws the driver's error for the write (an INSERT of a revision already there), after
   *   rolling back; like {@link commit} for the check and COMMIT.
   * @example
   * ```ts
   * await connection.begin();
   * await connection.execute({ sql: 'CREATE TABLE "Genre" ("GenreId" integer PRIMARY KEY)', parameters: [] });
   * if (!(await connection.commitVersionUpdate?.({ name: 'multidb_version' }, '1bc594146bb5', '3f2a9c1d7b40'))) {
   *   console.error('the version table no longer holds 1bc594146bb5: nothing was committed');
   * }
   * ```
   */
  async commitVersionUpdate(table: { readonly name: string; readonly schema?: string | undefined }, from: string | undefined, to: string | undefined): Promise<boolean> {
    const { sql, parameters } = versionWrite(table, from, to, '"');
    const session = this.#options.session;
    session?.keep(sql);
    let changed: number;
    try {
      // Kysely's compiled query is made only when the write goes through Kysely.
      changed = session?.run(sql, parameters)?.changes ?? Number((await this.plainDb.executeQuery(CompiledQuery.raw(sql, [...parameters]))).numAffectedRows);
    } catch (error) {
      markFailedStatement(error, { sql, parameters });
      await this.rollback().catch(() => undefined);
      throw error;
    }
    if (changed !== 1) {
      await this.rollback();
      return false;
    }
    // The version table of the main schema; one of an attached database has no place in its foreign keys.
    await this.#commit({ table: table.schema === undefined || table.schema === 'main' ? table.name : undefined, changes: changed });
    return true;
  }

  /**
   * Rolls back the open transaction, if any, and switches foreign keys back on: the connection's
   * own, or one that statements of a revision began (a BEGIN it sent itself), which better-sqlite3
   * tells on a database multidb opened; on a Kysely the bind was given, where it cannot be told,
   * ROLLBACK is sent anyway. Never throws for a missing transaction.
   */
  async rollback(): Promise<void> {
    this.#start = undefined;
    // Definitions read in the transaction are gone with it; its schema version may come back with others.
    this.#definitions = undefined;
    const session = this.#options.session;
    if (this.#inTransaction || !session || session.inTransaction) {
      this.#inTransaction = false;
      try {
        await this.#run('ROLLBACK');
      } catch (error) {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); nothing is open then.
        if (!/no transaction is active/i.test(String((error as Error)?.message))) throw error;
      }
    }
    await this.#run('PRAGMA foreign_keys = ON');
  }

  /**
   * Whether a transaction is open: the connection's own, or, on a database multidb opened, one that
   * statements of a revision began (better-sqlite3's `inTransaction`).
   * @returns `undefined` on a Kysely the bind was given while the connection has none of its own
   *   (a revision's BEGIN cannot be told there).
   * @example
   * ```ts
   * await connection.execute({ sql: 'BEGIN', parameters: [] });
   * await connection.transactionOpen?.(); // true
   * ```
   */
  async transactionOpen(): Promise<boolean | undefined> {
    const session = this.#options.session;
    if (this.#inTransaction) return true;
    return session ? session.inTransaction : undefined;
  }

  /**
   * Reads the whole database (or the attached one named by `options.schema`) in five catalog
   * queries: tables, views and triggers (see {@link SqliteIntrospector}).
   * @param options - `schema`: an attached database; `exclude`: table names left out.
   * @throws the driver's error when a query fails.
   */
  introspect(options?: IntrospectOptions): Promise<DatabaseSnapshot> {
    return this.#introspector.getDatabase(options);
  }

  /** Reads a table's shape in five catalog queries (see {@link SqliteIntrospector}); `undefined` when it does not exist. */
  introspectTable(table: string, schema?: string): Promise<TableSnapshot | undefined> {
    return this.#introspector.getTable(table, schema);
  }

  /**
   * Takes the bind's migration lock (a sibling lock file, see {@link SqliteLock}). A no-op for
   * an in-memory database, which no other process can reach.
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs`.
   */
  async acquireLock(options: LockOptions): Promise<void> {
    const file = await this.#file();
    if (file === undefined) return;
    this.#lock ??= new SqliteLock(file, options.name, await this.#options.open(), this.#options.bind);
    await this.#lock.acquire(options);
  }

  /** Releases the migration lock, if held. */
  async releaseLock(): Promise<void> {
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release();
  }

  /**
   * Why this process cannot write the database, or `undefined` when it can (see
   * `DialectConnection.readOnly`; commands that write then refuse the bind before its lock, instead
   * of a revision failing with `attempt to write a readonly database`): its file cannot be written
   * (another user's, `EACCES`; immutable, `EPERM`; on a read-only mount, `EROFS`), or, in the
   * default rollback-journal mode, no file can be created in its folder (SQLite makes
   * `<file>-journal` there for each transaction: the folder's write and search permission). `undefined` for an in-memory database; a journal mode other than `delete` is
   * not checked for its folder. Two `access` calls (with a `stat` each when the process's effective
   * user or group is not its real one: the check is for the effective ones, which SQLite writes
   * with) and a `PRAGMA journal_mode`; nothing is opened or written.
   * @returns the reason and what to do, or `undefined`.
   * @example
   * ```ts
   * const denied = await connection.readOnly?.();
   * if (denied) console.error(typeof denied === 'string' ? denied : `${denied.reason}. ${denied.remedy}`);
   * ```
   */
  async readOnly(): Promise<ReadOnlyReason | undefined> {
    const file = await this.#file();
    if (file === undefined) return undefined;
    const user = process.geteuid ? ` (uid ${process.geteuid()})` : ''; // the effective user: the one SQLite writes as
    const remedy = (what: string) => `Give the user migrate runs as${user} write access to ${what} (its owner, mode, attributes, mount), or point the bind's URL at a path it can write.`;
    const fileDenied = await writeDenied(file, 'file');
    if (fileDenied !== undefined) return { reason: `a database file this process cannot write (${file}: ${fileDenied})`, remedy: remedy('the file') };
    if ((await this.#journalMode()) !== 'delete') return undefined;
    const folder = dirname(file);
    const folderDenied = await writeDenied(folder, 'folder');
    if (folderDenied === undefined) return undefined;
    return {
      reason: `a database in a folder this process cannot write (${folder}: ${folderDenied}; SQLite writes ${file}-journal there for each transaction)`,
      remedy: remedy('the folder'),
    };
  }

  /** The real path of the database file; for `:memory:`, a name unique to this connection. */
  async identity(): Promise<string> {
    const file = await this.#file();
    if (file === undefined) return (this.#memoryId ??= `sqlite::memory:#${process.pid}.${++memoryCount}`);
    try {
      return await realpath(file);
    } catch {
      return file;
    }
  }

  /**
   * At the connection's first transaction, on a database file multidb opened in SQLite's default
   * journal mode (`DELETE`): keeps the journal file between transactions (`PRAGMA main.journal_mode
   * = PERSIST`, this connection's setting, not the file's). In `DELETE` mode each COMMIT deletes
   * `<file>-journal` and the next transaction creates it again: two updates of the folder per
   * revision, which cost more on a journaling file system than the one more sync PERSIST makes
   * (~13–19 % of a run of 1,000 small revisions on this project's test machine,
   * tools/bench/RESULTS.md). PERSIST zeroes the journal's header at
   * COMMIT instead, which SQLite reads as no journal: other connections, in any mode, see a
   * committed database; a crash mid-transaction leaves a journal that the next connection rolls
   * back, as in `DELETE` mode. Another journal mode (WAL, one an `onConnect` hook set) is left as it
   * is; so is a Kysely the bind was given, and an in-memory database. Never throws: a mode that
   * cannot be read or set stays as it is.
   */
  async #keepJournal(): Promise<void> {
    this.#journalKept = false;
    if (!this.#options.session || !this.#options.ownsDb || this.location === undefined || this.location === ':memory:') return;
    try {
      if ((await this.#journalMode()) !== 'delete') return;
      const [now] = await this.#run('PRAGMA main.journal_mode = PERSIST');
      this.#journalKept = String(now?.journal_mode).toLowerCase() === 'persist';
    } catch {
      // The mode stays as it was.
    }
  }

  /** The main database's journal mode on this connection, in lower case. */
  async #journalMode(): Promise<string> {
    const [row] = await this.#run('PRAGMA main.journal_mode');
    return String(row?.journal_mode).toLowerCase();
  }

  /**
   * Switches a journal {@link #keepJournal} kept back to `DELETE`, which removes `<file>-journal`:
   * only while no transaction is open and the mode is still PERSIST (a revision without a
   * transaction may have switched the file to WAL, which stays). Never throws: the journal file
   * then stays, its header zeroed, which SQLite reads as no journal.
   */
  async #restoreJournal(): Promise<void> {
    if (!this.#journalKept) return;
    this.#journalKept = false;
    try {
      if (this.#options.session?.inTransaction || (await this.#journalMode()) !== 'persist') return;
      await this.#run('PRAGMA main.journal_mode = DELETE');
    } catch {
      // The journal file stays (see above).
    }
  }

  /**
   * Switches a journal kept between transactions back to SQLite's default (removing
   * `<file>-journal`, see {@link begin}), releases the lock and closes the database (unless the
   * Kysely was supplied by the caller).
   */
  async close(): Promise<void> {
    await this.#restoreJournal();
    await this.releaseLock();
    if (this.#options.ownsDb) await (this.#options.destroy ?? (() => this.db.destroy()))();
  }

  /**
   * Closes the database, as {@link close}, and removes what connecting created while it still
   * holds nothing (see `DialectConnection.discard`): the file (with its `-journal`, `-wal` and
   * `-shm` files), then the folders made for it, each only while empty. A file that existed is
   * left as it is, and so is a created one that holds anything.
   *
   * "Holds nothing": on this connection, with `busy_timeout` 0 and in rollback-journal mode (a
   * WAL file is switched back first, which needs every other connection gone), `BEGIN EXCLUSIVE`
   * succeeds (no other connection reads or writes it; its journal in memory, so it needs no free
   * space: a file made on a full disk is removed too), its schema has no object but the bind's
   * version table without rows (and that table's key index), `user_version` and
   * `application_id` are 0, and the path still names the file connecting made (same device and
   * inode). The file is then removed while that lock is held, before the connection closes, so
   * no other connection can have committed anything to it in between.
   *
   * The window that remains: another process that opened the file before the removal and wrote
   * nothing to it yet still holds the removed file. Its reads find an empty database. A write it
   * tries while nothing is at the path fails (`SQLITE_IOERR_FSTAT`: SQLite checks the path
   * before a write), so its command fails rather than losing the write; but if a third process
   * has made a new file at the path by then, SQLite lets the write into the removed file, and it
   * is lost. That needs three processes on one new database within the same moment, the second
   * between opening the file and its first write. The sibling migration lock file (see {@link SqliteLock}) stays:
   * removing it could let two processes each hold a lock, so a folder holding it stays too.
   * @example
   * ```ts
   * import { sqliteDriver } from './sqlite-driver.js';
   * const connection = await sqliteDriver.connect({ bind: 'db2', url: 'sqlite:.data/db2.db', baseDir: process.cwd(), versionTable: { name: 'multidb_version' } });
   * await connection.discard?.(); // .data/db2.db (and .data, when made for it) removed again
   * ```
   */
  async discard(): Promise<void> {
    let removed = false;
    try {
      if (await this.#holdsNothing()) {
        const file = this.#options.created!.file;
        for (const suffix of ['', '-journal', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
        removed = true;
      }
    } catch {
      // Anything unexpected: the file stays.
    } finally {
      if (this.#discarding) {
        this.#discarding = false;
        try {
          this.#options.session?.run('ROLLBACK', NO_PARAMETERS);
        } catch {
          // closing rolls it back anyway
        }
      }
      await this.close();
    }
    if (removed) await this.#removeFolders();
  }

  /**
   * Whether the file connecting created holds nothing (see {@link discard}). From its
   * `BEGIN EXCLUSIVE` on, {@link #discarding} is set: the caller rolls that transaction back.
   */
  async #holdsNothing(): Promise<boolean> {
    const created = this.#options.created;
    const session = this.#options.session;
    // A database multidb did not open, or one with a transaction of the run still open, is not touched.
    if (!created || created.ino === undefined || !this.#options.ownsDb || !session || this.#inTransaction) return false;
    const run = (sql: string): readonly Record<string, unknown>[] => {
      const result = session.run(sql, NO_PARAMETERS);
      if (!result) throw new Error('the session is busy');
      return result.rows;
    };
    // Never wait on the event loop (better-sqlite3 is synchronous): a lock held elsewhere means the file is in use.
    run('PRAGMA busy_timeout = 0');
    const own = this.#options.versionTable;
    /** No schema object but the version table, without rows, and the header's user fields unset. */
    const empty = (): boolean => {
      const objects = run('SELECT "tbl_name" FROM main.sqlite_master');
      if (objects.some((o) => own === undefined || foldName(String(o.tbl_name)) !== foldName(own))) return false;
      if (objects.length && run(`SELECT count(*) AS "n" FROM main.${quoteIdentifier(own!)}`)[0]?.n !== 0) return false;
      return run('PRAGMA user_version')[0]?.user_version === 0 && run('PRAGMA application_id')[0]?.application_id === 0;
    };
    // A first look changes nothing: a file that holds anything keeps its journal mode too.
    if (!empty()) return false;
    const wal = (rows: readonly Record<string, unknown>[]) => String(rows[0]?.journal_mode).toLowerCase() === 'wal';
    if (wal(run('PRAGMA journal_mode')) && wal(run('PRAGMA journal_mode = DELETE'))) return false;
    // The transaction only reads: its journal is kept in memory (this connection's setting, not
    // the file's), so BEGIN EXCLUSIVE makes no `-journal` file and needs no free space: the file
    // a run made on a full disk (that failed there) is removed as well.
    run('PRAGMA journal_mode = MEMORY');
    run('BEGIN EXCLUSIVE');
    this.#discarding = true;
    // Again under the lock: nothing can have been committed since.
    if (!empty()) return false;
    const now = await statBig(created.file);
    return now !== undefined && now.ino === created.ino && now.dev === created.dev;
  }

  /** Removes the folders made for the created file, from its own up to the first made, each only while empty. */
  async #removeFolders(): Promise<void> {
    const created = this.#options.created;
    if (created?.folder === undefined) return;
    // From the file's folder up to the first one made for it; a folder something else uses stays.
    for (let folder = dirname(created.file); ; folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        return;
      }
      if (folder === created.folder || dirname(folder) === folder) return;
    }
  }

  /** The main database's file, or `undefined` for an in-memory or temporary database. */
  async #file(): Promise<string | undefined> {
    const rows = await this.#run('PRAGMA database_list');
    const main = rows.find((r) => r.name === 'main');
    const file = typeof main?.file === 'string' ? main.file : '';
    return file === '' ? undefined : file;
  }
}
