import type { DialectRegistry } from '@multidb/core';

/**
 * `@multidb/dialect`: the dialects multidb runs on, by URL scheme (DESIGN §3). Today: SQLite.
 * PostgreSQL and MySQL/MariaDB will join the registry as `postgres/` and `mysql/` folders.
 *
 * Importing this module loads no database driver: each entry's `load()` imports its dialect
 * folder on first use, and the driver module (better-sqlite3) loads only when a bind connects.
 */

/**
 * The dialect registry core picks from by URL scheme.
 *
 * @example
 * ```ts
 * import { dialects } from '@multidb/dialect';
 * const env = await loadEnvironment({ config: 'migrate.config.ts', dialects });
 * // or by hand:
 * const driver = await dialects.find((d) => d.schemes.includes('sqlite'))!.load();
 * const connection = await driver.connect({ bind: 'default', url: 'sqlite::memory:', baseDir: process.cwd() });
 * ```
 */
export const dialects: DialectRegistry = Object.freeze([
  Object.freeze({
    name: 'sqlite',
    schemes: Object.freeze(['sqlite']),
    load: () => import('./sqlite/index.js').then((m) => m.sqliteDriver),
  }),
]);

// Pure pieces for tooling (compiling, SQL preview, offline mode): no driver is loaded by these.
export { sqliteDialect, SQLITE_CAPABILITIES } from './sqlite/sqlite-dialect.js';
export { renderSqliteType, sqliteAffinity, type SqliteTypeOptions, type SqliteAffinity } from './sqlite/sqlite-type-map.js';
export { parseSqliteUrl, type SqliteLocation } from './sqlite/sqlite-url.js';
export { SqliteIntrospector, type StatementExecutor } from './sqlite/sqlite-introspector.js';
export { ForeignKeyCheckError, type ForeignKeyViolation } from './sqlite/foreign-key-check-error.js';
export * from './shared/index.js';
