/**
 * Small readers of MySQL SQL text (defaults, check clauses): MySQL strings may escape with a
 * backslash as well as by doubling the quote; backtick identifiers only by doubling.
 */

import { isWrappedInParentheses } from '../shared/sql-text.js';

/**
 * True when the whole text is one parenthesized group (quotes and escapes respected).
 * @example
 * ```ts
 * isMysqlWrapped('(`a` + 1)');     // true
 * isMysqlWrapped('(`a`) + (`b`)'); // false
 * ```
 */
export function isMysqlWrapped(text: string): boolean {
  return isWrappedInParentheses(text, { backslashEscapes: true });
}

/**
 * The text without one pair of outer parentheses, when it is wrapped in them.
 * @example
 * ```ts
 * unwrapMysql('(`Price` >= 0)'); // '`Price` >= 0'
 * ```
 */
export function unwrapMysql(text: string): string {
  const t = text.trim();
  return isMysqlWrapped(t) ? t.slice(1, -1).trim() : t;
}

/** A single-quoted MySQL string literal, with `''` and backslash escapes. */
const STRING = /^'(?:[^'\\]|''|\\.)*'$/s;

/**
 * True when SQL text is one constant literal: a number, a string, a hex or bit literal, `NULL`,
 * `TRUE` or `FALSE` (what MySQL accepts as a default without parentheses).
 * @example
 * ```ts
 * isMysqlConstant("'USD'");            // true
 * isMysqlConstant('CURRENT_TIMESTAMP'); // false
 * ```
 */
export function isMysqlConstant(text: string): boolean {
  const t = text.trim();
  return (
    /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ||
    /^0x[0-9a-f]+$/i.test(t) ||
    /^x'(?:[0-9a-f]{2})*'$/i.test(t) ||
    /^b'[01]*'$/i.test(t) ||
    STRING.test(t) ||
    /^(NULL|TRUE|FALSE)$/i.test(t)
  );
}

/**
 * The value of a single-quoted MySQL string literal (`'it''s \\ x'` → `it's \ x`), or
 * `undefined` when the text is not one.
 * @example
 * ```ts
 * readMysqlString("'it''s'"); // "it's"
 * ```
 */
export function readMysqlString(text: string): string | undefined {
  if (!STRING.test(text)) return undefined;
  const inner = text.slice(1, -1);
  // `\%` and `\_` keep their backslash (they are escapes only in LIKE patterns).
  const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };
  return inner.replace(/''|\\(.)/gs, (m, c: string | undefined) => (m === "''" ? "'" : (ESCAPES[c!] ?? c!)));
}
