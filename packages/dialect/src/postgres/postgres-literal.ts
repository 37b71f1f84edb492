import { renderLiteral, type LiteralStyle } from '../shared/render-literal.js';

/**
 * PostgreSQL's literals, with `standard_conforming_strings` on (the default since 9.1): strings
 * double their quotes and keep backslashes as they are, booleans are `true`/`false`, bytes are
 * hex `bytea` literals (`'\x00ff'::bytea`).
 */
export const POSTGRES_LITERAL_STYLE: LiteralStyle = Object.freeze({
  true: 'true',
  false: 'false',
  bytes: (hex: string) => `'\\x${hex}'::bytea`,
});

/**
 * Renders a value as a PostgreSQL literal (`op.inlineLiteral`); see `renderLiteral` for the
 * value kinds.
 *
 * @param value - the value.
 * @returns the literal SQL text.
 * @throws {@link OperationError} for a value with no literal (`NaN`, an invalid `Date`, a function).
 * @example
 * ```ts
 * postgresLiteral("O'Reilly");                // "'O''Reilly'"
 * postgresLiteral('C:\\temp');                // "'C:\\temp'" (backslash kept)
 * postgresLiteral(true);                      // 'true'
 * postgresLiteral(new Uint8Array([0, 255]));  // "'\\x00ff'::bytea"
 * ```
 */
export function postgresLiteral(value: unknown): string {
  return renderLiteral(value, POSTGRES_LITERAL_STYLE);
}

/**
 * A string as an escape-string literal (`E'…'`: quotes and backslashes doubled), which reads as
 * the same text whatever the session's `standard_conforming_strings` says: for SQL multidb sends
 * itself with values inlined (several statements in one simple-protocol query take no parameters).
 *
 * @param value - the text.
 * @returns the literal.
 * @example
 * ```ts
 * postgresEscapedLiteral("it's C:\\temp"); // "E'it''s C:\\\\temp'"
 * ```
 */
export function postgresEscapedLiteral(value: string): string {
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
