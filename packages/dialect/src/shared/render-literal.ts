import { OperationError } from '@multidb/core';

/** How a dialect writes the literals that differ between databases. */
export interface LiteralStyle {
  /** Literal for `true` (SQLite `1`, PostgreSQL `TRUE`). */
  readonly true: string;
  /** Literal for `false` (SQLite `0`, PostgreSQL `FALSE`). */
  readonly false: string;
  /** Literal for bytes given as lower-case hex digits (SQLite `X'00ff'`). */
  bytes(hex: string): string;
  /** Double backslashes inside strings (MySQL without `NO_BACKSLASH_ESCAPES`). Default false. */
  readonly backslashEscapes?: boolean;
}

/** SQL-standard strings with SQLite's booleans (`1`/`0`) and blobs (`X'..'`). */
export const SQLITE_LITERAL_STYLE: LiteralStyle = Object.freeze({
  true: '1',
  false: '0',
  bytes: (hex: string) => `X'${hex}'`,
});

/**
 * Renders a JavaScript value as an inline SQL literal, the `op.inlineLiteral` of every dialect.
 *
 * - `string` → `'…'` with `'` doubled (and `\` doubled when `style.backslashEscapes`);
 * - `number` / `bigint` → digits; `boolean` → `style.true` / `style.false`; `null`/`undefined` → `NULL`;
 * - `Date` → its ISO-8601 string (`'2024-01-31T12:00:00.000Z'`);
 * - `Buffer` / `Uint8Array` → `style.bytes(hex)`;
 * - a plain object or array → its JSON text as a string literal.
 *
 * @param value - the value to render.
 * @param style - the dialect's literal style.
 * @returns the literal SQL text.
 * @throws {@link OperationError} for `NaN`/`±Infinity`, an invalid `Date`, functions and symbols.
 * @example
 * ```ts
 * renderLiteral("O'Reilly", SQLITE_LITERAL_STYLE); // "'O''Reilly'"
 * renderLiteral(true, SQLITE_LITERAL_STYLE);       // '1'
 * ```
 */
export function renderLiteral(value: unknown, style: LiteralStyle): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoteString(value, style);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new OperationError(`Cannot write ${value} as an SQL literal.`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? style.true : style.false;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new OperationError('Cannot write an invalid Date as an SQL literal.');
    return quoteString(value.toISOString(), style);
  }
  if (value instanceof Uint8Array) return style.bytes(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'));
  if (Array.isArray(value) || isPlainObject(value)) return quoteString(JSON.stringify(value), style);
  throw new OperationError(`Cannot write a value of type ${typeof value} (${Object.prototype.toString.call(value)}) as an SQL literal.`);
}

function quoteString(text: string, style: LiteralStyle): string {
  const escaped = style.backslashEscapes ? text.replace(/\\/g, '\\\\') : text;
  return `'${escaped.replace(/'/g, "''")}'`;
}

/**
 * True for `{…}` object literals and `Object.create(null)` objects (not class instances).
 * @example
 * ```ts
 * isPlainObject({ a: 1 });   // true
 * isPlainObject(new Date()); // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
