import type { SqliteDatabase } from 'kysely';

/** What {@link SqliteSession} needs of a better-sqlite3 database. */
export interface SqliteSessionDatabase extends SqliteDatabase {
  /** Whether a transaction is open (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
}

/** The statement `SqliteConnection.begin()` sends: the one {@link SqliteSession.offAtNextBegin} waits for. */
export const SESSION_BEGIN = 'BEGIN IMMEDIATE';

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

  /** @param raw - the open better-sqlite3 database; closing the session's `database` closes it. */
  constructor(raw: SqliteSessionDatabase) {
    this.database = {
      close: () => raw.close(),
      prepare: (sql: string) => {
        if (!raw.inTransaction) {
          if (this.#offAtBegin && sql === SESSION_BEGIN) {
            this.#offAtBegin = false;
            if (!this.#held) raw.prepare('PRAGMA foreign_keys = OFF').run([]);
            this.#held = false;
          } else if (this.#held) {
            this.#held = false;
            raw.prepare('PRAGMA foreign_keys = ON').run([]);
          }
        }
        return raw.prepare(sql);
      },
    };
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
