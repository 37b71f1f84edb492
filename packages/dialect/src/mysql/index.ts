/**
 * `@multidb/dialect/mysql`: the MySQL/MariaDB dialect (compile, type map, introspection, URL
 * parsing, lock) and its driver. mysql2 loads only when {@link mysqlDriver}`.connect` runs.
 */
export * from './mysql-url.js';
export * from './mysql-type-map.js';
export * from './mysql-parameter.js';
export * from './mysql-offline-sql.js';
export * from './mysql-sql-text.js';
export * from './mysql-column-definition.js';
export * from './mysql-create-table.js';
export * from './mysql-alter-column.js';
export * from './mysql-bulk-insert.js';
export * from './mysql-dialect.js';
export * from './mysql-introspector.js';
export * from './mysql-comparator.js';
export * from './mysql-lock.js';
export * from './mysql-lease-lock.js';
export * from './mysql-version-update.js';
export * from './mysql-connection.js';
export * from './mysql-session.js';
export { KillQueryUnverifiedError } from './mysql-kill-query.js';
export * from './mysql-driver.js';
