import { isPlainObject } from '../shared/render-literal.js';

/**
 * Turns a JavaScript value into one better-sqlite3 binds, matching
 * {@link sqliteDialect}`.inlineLiteral`: booleans → `1`/`0`, `Date` → ISO-8601 text, plain
 * objects and arrays → JSON text, `undefined` → `null`, a `Uint8Array` → `Buffer`. Strings,
 * numbers, bigints, Buffers and `null` pass through.
 *
 * @example
 * ```ts
 * toSqliteParameter(true);                  // 1
 * toSqliteParameter({ tags: ['a'] });       // '{"tags":["a"]}'
 * ```
 */
export function toSqliteParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
  return value;
}
