import {
  DummyDriver,
  Kysely,
  type DatabaseIntrospector,
  type DialectAdapter,
  type QueryCompiler,
} from 'kysely';

/** The pure parts of a Kysely dialect: enough to compile queries without a connection. */
export interface OfflineKyselyParts {
  /** Makes the dialect's Kysely adapter (e.g. `new SqliteAdapter()`). */
  createAdapter(): DialectAdapter;
  /**
   * Makes the dialect's Kysely query compiler (e.g. `new SqliteQueryCompiler()`), which writes the
   * SQL and its parameters.
   */
  createQueryCompiler(): QueryCompiler;
  /**
   * Makes the dialect's Kysely introspector for `db` (Kysely requires one; it is never used
   * offline).
   */
  createIntrospector(db: Kysely<any>): DatabaseIntrospector;
}

/**
 * A Kysely instance with no connection (Kysely's `DummyDriver`), used only to compile queries
 * with the dialect's own query compiler, so values become bound parameters exactly as they would
 * online. Executing a query on it returns no rows.
 *
 * @param parts - the dialect's adapter, query compiler and introspector factories.
 * @returns a Kysely whose `.compile()` output is a `{ sql, parameters }` pair.
 * @example
 * ```ts
 * import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
 * const db = offlineKysely({
 *   createAdapter: () => new SqliteAdapter(),
 *   createQueryCompiler: () => new SqliteQueryCompiler(),
 *   createIntrospector: (k) => new SqliteIntrospector(k),
 * });
 * db.insertInto('Genre').values({ Name: 'Rock' }).compile(); // { sql: 'insert into "Genre" ("Name") values (?)', parameters: ['Rock'], … }
 * ```
 */
export function offlineKysely(parts: OfflineKyselyParts): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: () => parts.createAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => parts.createIntrospector(db),
      createQueryCompiler: () => parts.createQueryCompiler(),
    },
  });
}

/**
 * A getter for one shared {@link offlineKysely} of a dialect, built on first use (each dialect
 * module keeps one compiler, not one per compile).
 *
 * @example
 * ```ts
 * import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
 * const sqliteCompiler = lazyOfflineKysely({
 *   createAdapter: () => new SqliteAdapter(),
 *   createQueryCompiler: () => new SqliteQueryCompiler(),
 *   createIntrospector: (k) => new SqliteIntrospector(k),
 * });
 * sqliteCompiler().insertInto('Genre').values({ Name: 'Rock' }).compile();
 * ```
 */
export function lazyOfflineKysely(parts: OfflineKyselyParts): () => Kysely<any> {
  let db: Kysely<any> | undefined;
  return () => (db ??= offlineKysely(parts));
}
