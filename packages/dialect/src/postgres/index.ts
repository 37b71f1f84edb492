/**
 * `@multidb/dialect/postgres`: the PostgreSQL dialect (compile, type map, introspection, URL
 * parsing, advisory lock) and its driver. `pg` loads only when {@link postgresDriver}`.connect` runs.
 */
export * from './postgres-dialect.js';
export * from './postgres-type-map.js';
export * from './postgres-literal.js';
export * from './postgres-offline-sql.js';
export * from './postgres-url.js';
export * from './postgres-column-definition.js';
export * from './postgres-create-table.js';
export * from './postgres-alter-column.js';
export * from './postgres-introspector.js';
export * from './postgres-schema-objects.js';
export * from './postgres-comparator.js';
export * from './postgres-lock.js';
export * from './postgres-connection.js';
export { PipelineAbortedError, PostgresSession, type PostgresQueryClass, type PostgresSessionClient } from './postgres-session.js';
export type { PostgresSessionIdentity } from './postgres-session-probe.js';
export * from './postgres-driver.js';
