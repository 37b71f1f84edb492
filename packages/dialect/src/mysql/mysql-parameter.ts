import { isExpression } from 'kysely';
import { isPlainObject, renderLiteral, type LiteralStyle } from '../shared/render-literal.js';

/**
 * MySQL's literals: SQL-standard strings with backslashes doubled (MySQL treats `\` as an escape
 * unless `NO_BACKSLASH_ESCAPES` is set), booleans as `1`/`0`, bytes as `X'00ff'`.
 */
export const MYSQL_LITERAL_STYLE: LiteralStyle = Object.freeze({
  true: '1',
  false: '0',
  bytes: (hex: string) => `X'${hex}'`,
  backslashEscapes: true,
});

/**
 * A `Date` as MySQL's DATETIME text in UTC, with milliseconds: `'2024-01-31 12:00:00.000'`.
 * (MySQL rejects ISO-8601's `T…Z` form in strict mode; the connection reads DATETIME as UTC.)
 * @throws RangeError for an invalid Date.
 * @example
 * ```ts
 * mysqlDateTime(new Date('2024-01-31T12:00:00Z')); // '2024-01-31 12:00:00.000'
 * ```
 */
export function mysqlDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/Z$/, '');
}

/**
 * Turns a value into one mysql2 binds as intended: a `Date` becomes UTC DATETIME text
 * ({@link mysqlDateTime}), a plain object or array its JSON text (mysql2 would otherwise expand
 * arrays into lists), a `Uint8Array` a `Buffer`. Other values (strings, numbers, bigints,
 * booleans, `null`, Buffers) and Kysely expressions pass unchanged.
 * @example
 * ```ts
 * toMysqlParameter({ tags: ['a'] }); // '{"tags":["a"]}'
 * toMysqlParameter(true);            // true (mysql2 writes it as true, i.e. 1)
 * ```
 */
export function toMysqlParameter(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : mysqlDateTime(value);
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (isExpression(value)) return value;
  if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
  return value;
}

/**
 * Renders a value as an inline MySQL literal (`op.inlineLiteral`): {@link renderLiteral} with
 * {@link MYSQL_LITERAL_STYLE}, and Dates as UTC DATETIME text.
 * @throws `OperationError` for values with no literal (`NaN`, functions, symbols, invalid Dates).
 * @example
 * ```ts
 * mysqlInlineLiteral("O'Reilly \\ Co"); // "'O''Reilly \\\\ Co'"
 * mysqlInlineLiteral(new Date('2024-01-31T12:00:00Z')); // "'2024-01-31 12:00:00.000'"
 * ```
 */
export function mysqlInlineLiteral(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return renderLiteral(mysqlDateTime(value), MYSQL_LITERAL_STYLE);
  return renderLiteral(value, MYSQL_LITERAL_STYLE);
}
