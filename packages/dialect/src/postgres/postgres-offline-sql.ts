import type { OfflineSql, Statement } from '@multidb/core';
import { offlineComment, renderOfflineStatement, type OfflineStatementStyle } from '../shared/offline-statement.js';
import { isPlainObject } from '../shared/render-literal.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { postgresLiteral } from './postgres-literal.js';

/**
 * A parameter as the PostgreSQL literal that `pg`'s binding of it amounts to. `pg` sends every
 * parameter as text of unknown type, which PostgreSQL reads as the type the context needs (the
 * column's), so a number, bigint or boolean is quoted text too (`'1'`, `'true'`): `1` goes into a
 * `boolean` column and compares with a `varchar` one, as online (a bare `1` is an `integer`, which
 * neither accepts). An array becomes PostgreSQL array text (`'{"a","b"}'`, `'{1,NULL}'`), a plain
 * object its JSON text, a `Date` ISO-8601 text in UTC, bytes a `bytea` literal, other values as
 * {@link postgresLiteral}. (`pg` sends a `Date` as local time with its offset: the same instant for
 * `timestamptz`; for `timestamp without time zone` the scripts store UTC wall-clock time, which
 * equals an online run on a machine whose time zone is UTC.)
 *
 * @throws `OperationError` for a value with no literal (`NaN`, a function).
 * @example
 * ```ts
 * postgresParameterLiteral(['a', null]); // `'{"a",NULL}'`
 * postgresParameterLiteral({ a: 1 });    // `'{"a":1}'`
 * postgresParameterLiteral(12.5);        // `'12.5'`
 * postgresParameterLiteral(true);        // `'true'`
 * ```
 */
export function postgresParameterLiteral(value: unknown): string {
  if (Array.isArray(value)) return postgresLiteral(arrayText(value));
  // As pg's prepareValue: String(value) (after postgresLiteral's check that a number is finite).
  if (typeof value === 'number' || typeof value === 'bigint') return postgresLiteral(postgresLiteral(value));
  if (typeof value === 'boolean') return postgresLiteral(String(value));
  return postgresLiteral(value);
}

/** PostgreSQL array text of a JavaScript array, as `pg` writes it. */
function arrayText(values: readonly unknown[]): string {
  const element = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayText(v);
    if (v instanceof Date) return quoted(v.toISOString());
    if (v instanceof Uint8Array) return quoted(`\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`);
    if (isPlainObject(v)) return quoted(JSON.stringify(v));
    return quoted(String(v));
  };
  const quoted = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `{${values.map(element).join(',')}}`;
}

const STYLE: OfflineStatementStyle = Object.freeze({
  placeholders: 'dollar',
  dollarQuotes: true,
  literal: postgresParameterLiteral,
});

/**
 * How offline scripts are written for PostgreSQL (`postgresDialect.offline`), mirroring
 * `PostgresConnection` and the driver's connect:
 * - prologue: `SET client_encoding = 'UTF8'`; with a bind `schema`, `CREATE SCHEMA IF NOT EXISTS`
 *   and `SET search_path TO "schema", public` (as at connect);
 * - begin/commit: `BEGIN` / `COMMIT` (DDL is transactional: a failed revision leaves nothing);
 * - statements: `$1`, `$2`, … as PostgreSQL literals ({@link postgresParameterLiteral}), then `;`.
 *
 * Run a script with `psql -v ON_ERROR_STOP=1 -d DATABASE -f FILE`.
 *
 * @example
 * ```ts
 * POSTGRES_OFFLINE_SQL.renderStatement({ sql: 'delete from "t" where "id" = $1', parameters: [7] }); // `delete from "t" where "id" = '7';`
 * ```
 */
export const POSTGRES_OFFLINE_SQL: OfflineSql = Object.freeze({
  runWith: 'psql -v ON_ERROR_STOP=1 -d DATABASE -f FILE',
  prologue: (options: { readonly schema?: string }) => [
    "SET client_encoding = 'UTF8'",
    ...(options.schema !== undefined
      ? [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`, `SET search_path TO ${quoteIdentifier(options.schema)}, public`]
      : []),
  ],
  begin: () => ['BEGIN'],
  commit: () => ['COMMIT'],
  renderStatement: (statement: Statement) => renderOfflineStatement(statement, STYLE),
  comment: offlineComment,
});
