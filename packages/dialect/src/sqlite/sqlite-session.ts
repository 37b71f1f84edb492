import type { SqliteDatabase } from 'kysely';

/** What {@link SqliteSession} needs of a better-sqlite3 database. */
export interface SqliteSessionDatabase extends SqliteDatabase {
  /** Whether a transaction is open (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
}

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
  #held = false;

  /** @param raw - the open better-sqlite3 database; closing the session's `database` closes it. */
  constructor(raw: SqliteSessionDatabase) {
    this.database = {
      close: () => raw.close(),
      prepare: (sql: string) => {
        if (this.#held && !raw.inTransaction) {
          this.#held = false;
          raw.prepare('PRAGMA foreign_keys = ON').run([]);
        }
        return raw.prepare(sql);
      },
    };
  }

  /**
   * Leaves foreign keys off (the connection just committed with them off) until a statement is
   * prepared outside a transaction, or {@link SqliteSession.takeHeldOff} takes them as they are.
   */
  holdForeignKeysOff(): void {
    this.#held = true;
  }

  /**
   * Ends the hold without switching foreign keys on: a BEGIN that wants them off.
   * @returns whether they were held off (then they are off now, and no pragma is needed).
   */
  takeHeldOff(): boolean {
    const held = this.#held;
    this.#held = false;
    return held;
  }
}
