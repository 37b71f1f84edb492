import type { BulkInsertOp, Statement } from '@multidb/core';
import { createQueryId, isExpression, TableNode, type InsertQueryNode, type Kysely } from 'kysely';
import { bulkInsertChunks } from './bulk-insert-chunks.js';

/**
 * Compiles a `BulkInsert` op with Kysely's own query compiler, so every value is a bound
 * parameter. Rows are grouped and chunked by {@link bulkInsertChunks}; a group of rows with no
 * keys becomes one `INSERT … DEFAULT VALUES` per row. The table name is used exactly as given
 * (Kysely would read `a.b` as schema `a`, table `b`): the schema comes only from `op.schema`.
 *
 * @param db - a connection-less Kysely of the dialect ({@link offlineKysely}).
 * @param op - the op.
 * @param maxParameters - the dialect's bound-parameter limit.
 * @param toParameter - turns a value into one the driver binds (e.g. SQLite booleans → 1/0);
 *   not applied to Kysely expressions (`sql\`CURRENT_TIMESTAMP\``), which are compiled inline.
 * @returns one statement per chunk, in order.
 * @example
 * ```ts
 * compileBulkInsert(db, { kind: 'BulkInsert', table: 'Genre', rows: [{ GenreId: 1, Name: 'Rock' }] }, 32_766);
 * // [{ sql: 'insert into "Genre" ("GenreId", "Name") values (?, ?)', parameters: [1, 'Rock'] }]
 * ```
 */
export function compileBulkInsert(
  db: Kysely<any>,
  op: BulkInsertOp,
  maxParameters: number,
  toParameter: (value: unknown) => unknown = (value) => value,
): Statement[] {
  const into = op.schema === undefined ? TableNode.create(op.table) : TableNode.createWithSchema(op.schema, op.table);
  const executor = db.getExecutor();
  return bulkInsertChunks(op.rows, maxParameters).flatMap((chunk) => {
    const builders =
      chunk.columns.length === 0
        ? chunk.rows.map(() => db.insertInto('t').defaultValues())
        : [db.insertInto('t').values(chunk.rows.map((row) => mapValues(row, toParameter)))];
    return builders.map((builder) => {
      const node: InsertQueryNode = Object.freeze({ ...builder.toOperationNode(), into });
      const compiled = executor.compileQuery(node, createQueryId());
      return { sql: compiled.sql, parameters: compiled.parameters };
    });
  });
}

function mapValues(row: Readonly<Record<string, unknown>>, toParameter: (value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = isExpression(v) ? v : toParameter(v);
  return out;
}
