/**
 * Helpers shared by every dialect (SQLite today; PostgreSQL and MySQL reuse them): identifier
 * quoting, literal rendering, bulk-insert chunking and a connection-less Kysely for compiling.
 */
export * from './quote-identifier.js';
export * from './render-literal.js';
export * from './bulk-insert-chunks.js';
export * from './offline-kysely.js';
export * from './compile-bulk-insert.js';
export * from './poll-lock.js';
export * from './sql-text.js';
export * from './compare-names.js';
export * from './sql-references.js';
export * from './canonical-expression.js';
export * from './sql-segments.js';
export * from './offline-statement.js';
export * from './plain-kysely.js';
export * from './connection-cancelled-error.js';
export * from './connect-abort.js';
export * from './connection-lost-error.js';
export * from './liveness-watch.js';
export * from './keepalive.js';
