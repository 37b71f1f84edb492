import { formatColumnType } from '../schema/column-type.js';
import type { DefaultValue } from '../schema/table-snapshot.js';
import type { SchemaComparator } from './dialect.js';

/**
 * The comparison rules of a dialect that adds none of its own: types compare by their canonical
 * string (`formatColumnType`), defaults by value (`NULL` is no default; a SQL expression by its
 * text, trimmed).
 *
 * @example
 * ```ts
 * import { DEFAULT_COMPARATOR, parseColumnType } from '@multidb/core';
 * DEFAULT_COMPARATOR.canonicalType(parseColumnType('VARCHAR(3)')); // 'varchar(3)'
 * ```
 */
export const DEFAULT_COMPARATOR: SchemaComparator = Object.freeze({
  canonicalType: formatColumnType,
  canonicalDefault: (value: DefaultValue | undefined) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object') return value.sql.trim();
    return JSON.stringify(value);
  },
  canonicalExpression: canonicalSqlText,
});

/**
 * SQL text with insignificant differences removed: whitespace runs collapsed (outside string
 * literals), keywords and unquoted names lower-cased, identifier quotes dropped, and parentheses
 * that wrap the whole expression removed.
 *
 * @example
 * ```ts
 * import { canonicalSqlText } from '@multidb/core';
 * canonicalSqlText('("Milliseconds"  > 0)'); // 'milliseconds > 0'
 * ```
 */
export function canonicalSqlText(sql: string): string {
  let out = '';
  let space = false; // a whitespace run is pending
  const push = (text: string): void => {
    const first = text[0]!;
    if (space && out && !out.endsWith('(') && first !== ')' && first !== ',') out += ' ';
    space = false;
    out += text;
    if (first === ',') space = true;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'") {
      const end = closingQuote(sql, i, "'");
      push(sql.slice(i, end));
      i = end;
    } else if (c === '"' || c === '`' || c === '[') {
      const end = closingQuote(sql, i, c === '[' ? ']' : c);
      push(sql.slice(i + 1, end - 1).toLowerCase());
      i = end;
    } else if (/\s/.test(c)) {
      space = true;
      i++;
    } else {
      push(c.toLowerCase());
      i++;
    }
  }
  while (out.startsWith('(') && wrapsWhole(out)) out = out.slice(1, -1).trim();
  return out;
}

/** Index just past the quote that closes the one at `start` (doubled quotes stay inside). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote && quote !== ']') i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Whether the parenthesis at 0 closes at the very end (outside string literals). */
function wrapsWhole(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      i = closingQuote(text, i, "'") - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i !== text.length - 1) return false;
  }
  return text.endsWith(')');
}
