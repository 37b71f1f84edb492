import type { BulkInsertOp, Statement } from '@multidb/core';
import { isExpression, type Kysely } from 'kysely';
import { bulkInsertChunks } from '../shared/bulk-insert-chunks.js';
import { compileBulkInsert } from '../shared/compile-bulk-insert.js';
import { toMysqlParameter } from './mysql-parameter.js';

/**
 * Most bytes of row data one bulk INSERT carries (estimated). MySQL refuses a statement larger
 * than `max_allowed_packet` (4 MiB on MySQL 5.7, 16 MiB on MariaDB, 64 MiB on MySQL 8), and
 * mysql2 sends values inside the statement text, so wide rows are cut by size as well as by the
 * 65,535-parameter limit.
 */
export const MYSQL_BULK_INSERT_BYTES = 2 * 1024 * 1024;

/**
 * Compiles a `BulkInsert` op for MySQL: rows are grouped by key set and chunked under
 * `maxParameters` ({@link bulkInsertChunks}), each chunk is cut further so it carries at most
 * `maxBytes` estimated bytes, and each piece is compiled by {@link compileBulkInsert} (Kysely's
 * MySQL compiler, values bound as parameters converted by
 * {@link toMysqlParameter}). A row with no keys inserts only defaults: `insert into t () values ()`.
 *
 * @param db - a connection-less Kysely with MySQL's adapter and compiler.
 * @param op - the op.
 * @param maxParameters - 65,535.
 * @param maxBytes - default {@link MYSQL_BULK_INSERT_BYTES}.
 * @returns the INSERT statements, in order.
 * @example
 * ```ts
 * compileMysqlBulkInsert(db, { kind: 'BulkInsert', table: 'Genre', rows: [{ GenreId: 1, Name: 'Rock' }] }, 65_535);
 * // [{ sql: 'insert into `Genre` (`GenreId`, `Name`) values (?, ?)', parameters: [1, 'Rock'] }]
 * ```
 */
export function compileMysqlBulkInsert(db: Kysely<any>, op: BulkInsertOp, maxParameters: number, maxBytes = MYSQL_BULK_INSERT_BYTES): Statement[] {
  const statements: Statement[] = [];
  const compile = (rows: readonly Readonly<Record<string, unknown>>[]) =>
    statements.push(...compileBulkInsert(db, { ...op, rows }, maxParameters, toMysqlParameter).map(mysqlDefaultValues));
  for (const chunk of bulkInsertChunks(op.rows, maxParameters)) {
    let slice: Readonly<Record<string, unknown>>[] = [];
    let bytes = 0;
    for (const row of chunk.rows) {
      const size = rowBytes(row);
      if (slice.length && bytes + size > maxBytes) {
        compile(slice);
        slice = [];
        bytes = 0;
      }
      slice.push(row);
      bytes += size;
    }
    if (slice.length) compile(slice);
  }
  return statements;
}

/** Kysely writes a row of defaults as `insert into t default values`; MySQL spells it `() values ()`. */
function mysqlDefaultValues(statement: Statement): Statement {
  return statement.parameters.length === 0 && / default values$/.test(statement.sql)
    ? { sql: statement.sql.replace(/ default values$/, ' () values ()'), parameters: [] }
    : statement;
}

function rowBytes(row: Readonly<Record<string, unknown>>): number {
  let total = 8;
  for (const value of Object.values(row)) {
    if (typeof value === 'string') total += Buffer.byteLength(value) + 4;
    else if (value instanceof Uint8Array) total += value.byteLength * 2 + 4;
    else if (value !== null && typeof value === 'object' && !(value instanceof Date) && !isExpression(value)) total += JSON.stringify(value).length + 4;
    else if (typeof value === 'number' || typeof value === 'bigint') total += String(value).length + 2;
    else total += 28; // booleans, null, Dates, expressions
  }
  return total;
}
