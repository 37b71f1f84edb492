import { SqliteDialect, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { KyselyQueryCount } from '../shared/kysely-query-count.js';
import { sqliteDropStatement } from './sqlite-drop-statement.js';

/** What {@link SqliteSession} needs of a better-sqlite3 database. */
export interface SqliteSessionDatabase extends SqliteDatabase {
  /** Whether a transaction is open (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
  /** Runs SQL text without a statement object (better-sqlite3's `exec`). */
  exec(sql: string): unknown;
}

/** What {@link SqliteSession.run} returns: the statement's rows (none for a statement that returns none) and the rows it changed. */
export interface SqliteRunResult {
  /** The rows the statement returned (a SELECT, a PRAGMA that reports); `[]` for one that returns none. */
  readonly rows: readonly Record<string, unknown>[];
  /** Rows inserted, updated or deleted (better-sqlite3's `changes`); 0 for a statement that returns rows. */
  readonly changes: number;
}

/** A statement text that may drop something (`DROP TABLE`, `DROP INDEX`, `ALTER TABLE … DROP COLUMN`, or merely the word): see {@link SqliteSession.drops}. */
const MAY_DROP = /drop/i;

/** What {@link SqliteSession.drops} returns. */
export interface SqliteSessionDrops {
  /** The tables that `DROP TABLE` statements named, in order (one entry per statement). */
  readonly tables: readonly string[];
  /** How many statements with the word `drop` in them may have dropped something not known (see `sqliteDropStatement`). */
  readonly unknown: number;
}

/** The statement `SqliteConnection.begin()` sends: the one {@link SqliteSession.offAtNextBegin} waits for. */
export const SESSION_BEGIN = 'BEGIN IMMEDIATE';

/**
 * The statements a connection sends for every revision, whatever it does: prepared once per
 * session and kept (see {@link SqliteSession.keep}).
 */
const KEPT_STATEMENTS = [SESSION_BEGIN, 'COMMIT', 'ROLLBACK', 'PRAGMA foreign_key_check', 'PRAGMA foreign_keys = ON', 'PRAGMA foreign_keys = OFF'];

/**
 * The better-sqlite3 database of a bind that multidb opened itself, as Kysely's SQLite dialect
 * sees it, with one saving per revision: foreign keys may stay off from one transaction to the
 * next. A connection switches them off before BEGIN (SQLite ignores the pragma inside a
 * transaction) and on after COMMIT; between two transactions of a run nothing else runs, so after
 * COMMIT the connection may {@link SqliteSession.holdForeignKeysOff | hold them off} instead: the
 * next BEGIN then needs no `PRAGMA foreign_keys = OFF`, and any other statement prepared outside a
 * transaction first switches them back on. Each of the two pragmas expires the connection's
 * prepared statements, so each costs more than the revision's own CREATE TABLE.
 *
 * The decision is taken when a statement is prepared (Kysely prepares one statement at a time, in
 * the order its connection mutex hands out), not when `begin()` is called: a query that user code
 * issued just before `begin()` (an event handler that did not await) is prepared first and runs
 * with foreign keys on; the BEGIN that follows then switches them off again.
 *
 * The session also keeps the prepared statements of the connection's own constant SQL (BEGIN
 * IMMEDIATE, COMMIT, ROLLBACK, the foreign-key pragmas and check, and what it is told to
 * {@link SqliteSession.keep}): better-sqlite3 prepares afresh at every `prepare`, and of the five
 * statements of a revision that creates a table, four are the same every time. A kept statement that a schema
 * change expired is prepared again by SQLite itself when it next runs. Statements of any other
 * text (a revision's DDL, `op.db`'s queries) are prepared each time, as before.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
 * const session = new SqliteSession(new Database(':memory:'));
 * const db = new Kysely<any>({ dialect: new SqliteDialect({ database: session.database }) });
 * await db.executeQuery(CompiledQuery.raw('PRAGMA foreign_keys = OFF'));
 * session.holdForeignKeysOff();
 * await db.executeQuery(CompiledQuery.raw('SELECT 1')); // sends PRAGMA foreign_keys = ON first
 * ```
 */
export class SqliteSession {
  /** The database to give Kysely: statements are prepared on the real one. */
  readonly database: SqliteDatabase;
  /** Foreign keys are off outside a transaction (held since a COMMIT). */
  #held = false;
  /** The next {@link SESSION_BEGIN} prepared outside a transaction wants foreign keys off. */
  #offAtBegin = false;
  /** The SQL texts whose statements are kept, and each one's statement once prepared. */
  readonly #kept = new Map<string, SqliteStatement | undefined>(KEPT_STATEMENTS.map((sql) => [sql, undefined]));
  /** The session's Kysely queries issued and not finished (see {@link KyselyQueryCount}). */
  readonly #queries = new KyselyQueryCount();
  /** Closed: {@link run} leaves every statement to Kysely (which then reports the closed database). */
  #closed = false;
  /** See {@link drops}. */
  readonly #droppedTables: string[] = [];
  #unknownDrops = 0;

  /** The better-sqlite3 database. */
  readonly #raw: SqliteSessionDatabase;

  /** @param raw - the open better-sqlite3 database; closing the session's `database` closes it. */
  constructor(raw: SqliteSessionDatabase) {
    this.#raw = raw;
    this.database = {
      close: () => {
        this.#closed = true;
        this.#kept.forEach((_, sql) => this.#kept.set(sql, undefined));
        raw.close();
      },
      prepare: (sql: string) => {
        this.#noteDrop(sql);
        this.#handOver(sql);
        return this.#prepare(sql);
      },
    };
  }

  /** The statement of `sql`: the kept one for the texts kept, else a new one. */
  #prepare(sql: string): SqliteStatement {
    if (!this.#kept.has(sql)) return this.#raw.prepare(sql);
    let statement = this.#kept.get(sql);
    if (statement === undefined) this.#kept.set(sql, (statement = this.#raw.prepare(sql)));
    return statement;
  }

  /** Records what `sql` may drop (see {@link drops}). */
  #noteDrop(sql: string): void {
    if (!MAY_DROP.test(sql)) return;
    const dropped = sqliteDropStatement(sql);
    if (dropped.kind === 'table') this.#droppedTables.push(dropped.table);
    else if (dropped.kind === 'unknown') this.#unknownDrops++;
  }

  /** The foreign-key hand-over before `sql` runs outside a transaction (see the class). */
  #handOver(sql: string): void {
    if (this.#raw.inTransaction) return;
    if (this.#offAtBegin && sql === SESSION_BEGIN) {
      this.#offAtBegin = false;
      if (!this.#held) this.#prepare('PRAGMA foreign_keys = OFF').run([]);
      this.#held = false;
    } else if (this.#held) {
      this.#held = false;
      this.#prepare('PRAGMA foreign_keys = ON').run([]);
    }
  }

  /**
   * Kysely's SQLite dialect on {@link database}, whose driver tells the session when a Kysely query
   * is issued and when it is done, so that {@link run} can bypass Kysely while none is. Make the
   * session's one Kysely with it; call it once.
   * @example
   * ```ts
   * import Database from 'better-sqlite3';
   * import { CompiledQuery, Kysely } from 'kysely';
   * const session = new SqliteSession(new Database(':memory:'));
   * const db = new Kysely<any>({ dialect: session.kyselyDialect() });
   * await db.executeQuery(CompiledQuery.raw('PRAGMA foreign_keys = ON')); // through Kysely, which initializes its driver
   * session.run('CREATE TABLE "t" ("a" int)', []); // run at once: no Kysely query is in flight
   * ```
   */
  kyselyDialect(): SqliteDialect {
    const queries = this.#queries;
    return new (class extends SqliteDialect {
      override createDriver(): Driver {
        return queries.wrap(super.createDriver());
      }
    })({ database: this.database });
  }

  /**
   * Runs one statement at once on the database, as Kysely's SQLite driver would (prepared through
   * {@link database}, so kept statements and the foreign-key hand-over apply), without Kysely's
   * connection mutex and promise hops (~20 µs a statement while V8 has not optimized them; a
   * revision sends five). Only while no Kysely query of the session is issued and unfinished:
   * then nothing can be queued before this statement, and it runs in the order Kysely would have
   * run it.
   * @param sql - the statement.
   * @param parameters - its parameters, as better-sqlite3 binds them.
   * @returns its rows and changes; `undefined` (nothing run) when a Kysely query is in flight or
   *   queued, before the first Kysely query of the session has finished (Kysely's driver is
   *   initialized by it), when the session's Kysely was not made with {@link kyselyDialect}, or
   *   once closed: send it through Kysely then.
   * @throws the driver's error.
   */
  run(sql: string, parameters: readonly unknown[]): SqliteRunResult | undefined {
    if (!this.#queries.idle || this.#closed) return undefined;
    const statement = this.database.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as Record<string, unknown>[], changes: 0 };
    return { rows: [], changes: Number(statement.run(parameters).changes) };
  }

  /**
   * Runs one statement without parameters whose rows nobody reads (an op's DDL) at once, through
   * better-sqlite3's `exec`: SQLite prepares, steps and finalizes it in one native call, and no
   * statement object is made for a text that runs once (~20 µs less than {@link run} for a CREATE
   * TABLE). The same conditions as {@link run}, and the same foreign-key hand-over. Only for a
   * text without `;`, which holds one statement at most, so that `exec` cannot run a second
   * statement that `prepare` would have refused; texts of kept statements go through {@link run}
   * (their statement is prepared already).
   * @param sql - the statement.
   * @returns `true` when it ran; `false` (nothing run) when {@link run} would return `undefined`,
   *   for a kept text, or for a text with `;`: send it through {@link run} or Kysely then.
   * @throws the driver's error.
   * @example
   * ```ts
   * import Database from 'better-sqlite3';
   * import { CompiledQuery, Kysely } from 'kysely';
   * const session = new SqliteSession(new Database(':memory:'));
   * const db = new Kysely<any>({ dialect: session.kyselyDialect() });
   * await db.executeQuery(CompiledQuery.raw('PRAGMA foreign_keys = ON'));
   * session.exec('CREATE TABLE "t" ("a" int)'); // true: run
   * session.exec(`CREATE TABLE "u" ("a" text DEFAULT ';')`); // false: send it through run()
   * ```
   */
  exec(sql: string): boolean {
    if (!this.#queries.idle || this.#closed || this.#kept.has(sql) || sql.includes(';')) return false;
    this.#noteDrop(sql);
    this.#handOver(sql);
    this.#raw.exec(sql);
    return true;
  }

  /**
   * Whether a transaction is open on the database, whoever began it (better-sqlite3's
   * `inTransaction`): the connection's own, or one that a revision's statements began.
   */
  get inTransaction(): boolean {
    return !this.#closed && this.#raw.inTransaction;
  }

  /**
   * What the statements prepared or run on the session so far may have dropped, read from the text
   * of each one with the word `drop` (any case) in it: every statement that can drop a table has
   * it (`DROP TABLE`, a batch's rebuild), and a table dropped then created again with the same
   * definition leaves `sqlite_master` as it was, its rows gone, without a row counted by
   * `total_changes()`. A scoped foreign-key check treats the tables named as changed, and covers
   * every table when `unknown` grew during the transaction.
   * @returns the tables `DROP TABLE` named (the live list: keep its length, not the array), and
   *   how many other statements may have dropped something not known.
   */
  get drops(): SqliteSessionDrops {
    return { tables: this.#droppedTables, unknown: this.#unknownDrops };
  }

  /**
   * Keeps the prepared statement of `sql` for the session's lifetime (the connection's own
   * statements that every revision sends, e.g. the version table's UPDATE), as for BEGIN and COMMIT.
   * Only for SQL the connection writes itself: a kept statement must never be iterated while it runs again.
   * @param sql - the exact text that will be prepared.
   */
  keep(sql: string): void {
    if (!this.#kept.has(sql)) this.#kept.set(sql, undefined);
  }

  /**
   * Leaves foreign keys off (the connection just committed with them off) until a statement other
   * than an {@link SqliteSession.offAtNextBegin | awaited BEGIN} is prepared outside a transaction.
   */
  holdForeignKeysOff(): void {
    this.#held = true;
  }

  /**
   * Makes the next {@link SESSION_BEGIN} prepared outside a transaction start with foreign keys
   * off: `PRAGMA foreign_keys = OFF` is sent just before it unless they are held off already.
   * @param wanted - `false` withdraws the request (a BEGIN that failed before it was prepared).
   */
  offAtNextBegin(wanted = true): void {
    this.#offAtBegin = wanted;
  }
}
