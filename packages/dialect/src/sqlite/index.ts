/**
 * `@multidb/dialect/sqlite`: the SQLite dialect (compile, type map, introspection, URL parsing)
 * and its driver. better-sqlite3 loads only when {@link sqliteDriver}`.connect` runs.
 */
export * from './sqlite-dialect.js';
export * from './sqlite-type-map.js';
export * from './sqlite-url.js';
export * from './sqlite-column-definition.js';
export * from './sqlite-create-table.js';
export * from './sqlite-add-column.js';
export * from './sqlite-native-alter.js';
export * from './sqlite-batch.js';
export * from './sqlite-batch-table.js';
export * from './sqlite-rebuild.js';
export * from './sqlite-constraint-names.js';
export * from './sqlite-sql-references.js';
export * from './sqlite-parameter.js';
export * from './sqlite-offline-sql.js';
export * from './sqlite-introspector.js';
export * from './sqlite-comparator.js';
export * from './sqlite-table-parser.js';
export * from './sqlite-index-parser.js';
export * from './sqlite-lock.js';
export * from './sqlite-session.js';
export * from './sqlite-connection.js';
export * from './sqlite-driver.js';
export * from './foreign-key-check-error.js';
export * from './sqlite-trigger-targets.js';
export * from './trigger-column-error.js';
