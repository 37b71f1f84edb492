import { OperationError, type Statement } from '@multidb/core';
import { sqlSegments, type SqlSegment, type SqlSegmentOptions } from './sql-segments.js';

/** How a dialect writes statements into an offline script. */
export interface OfflineStatementStyle extends SqlSegmentOptions {
  /** `?` (SQLite `?`/`?NNN`, MySQL) or `$1`, `$2`, … (PostgreSQL). */
  readonly placeholders: 'question' | 'dollar';
  /** A parameter as the literal the driver's binding amounts to. */
  literal(value: unknown): string;
}

/**
 * The statement's text with its parameters written as literals: each placeholder in code (not in
 * strings, quoted identifiers or comments) is replaced by `style.literal` of its parameter.
 *
 * @returns the SQL text, parameters inlined.
 * @throws {@link OperationError} when a placeholder has no parameter, a parameter has no
 *   placeholder, or a value has no literal.
 * @example
 * ```ts
 * const style: OfflineStatementStyle = { placeholders: 'question', literal: (v) => renderLiteral(v, SQLITE_LITERAL_STYLE) };
 * inlineParameters({ sql: 'update "t" set "a" = ? where "b" = ?', parameters: ["O'Reilly", null] }, style);
 * // `update "t" set "a" = 'O''Reilly' where "b" = NULL`
 * ```
 */
export function inlineParameters(statement: Statement, style: OfflineStatementStyle): string {
  return inlineSegments(sqlSegments(statement.sql, style), statement, style)
    .map((s) => s.text)
    .join('');
}

function inlineSegments(segments: readonly SqlSegment[], statement: Statement, style: OfflineStatementStyle): SqlSegment[] {
  const { parameters } = statement;
  const used = new Set<number>();
  let next = 0;
  const value = (index: number): string => {
    if (index < 0 || index >= parameters.length) {
      throw new OperationError(`The statement has a placeholder for parameter ${index + 1} but ${parameters.length} parameter(s): ${abbreviate(statement.sql)}`);
    }
    used.add(index);
    return style.literal(parameters[index]);
  };
  const pattern = style.placeholders === 'dollar' ? /(?<![A-Za-z0-9_$])\$(\d+)/g : /\?(\d*)/g;
  const out = segments.map((s): SqlSegment => {
    if (s.kind !== 'code' || parameters.length === 0) return s;
    return {
      kind: 'code',
      text: s.text.replace(pattern, (_match, digits: string) => value(digits ? Number(digits) - 1 : next++)),
    };
  });
  if (used.size !== parameters.length) {
    throw new OperationError(`The statement has ${parameters.length} parameter(s) but placeholders for ${used.size}: ${abbreviate(statement.sql)}`);
  }
  return out;
}

/**
 * A statement for an offline script: parameters inlined ({@link inlineParameters}), trailing
 * semicolons and blanks dropped, then `;` (on a line of its own after a trailing `--` comment).
 *
 * @example
 * ```ts
 * const style: OfflineStatementStyle = { placeholders: 'dollar', dollarQuotes: true, literal: postgresLiteral };
 * renderOfflineStatement({ sql: 'DELETE FROM "t" WHERE "id" = $1;', parameters: [1] }, style); // 'DELETE FROM "t" WHERE "id" = 1;'
 * ```
 */
export function renderOfflineStatement(statement: Statement, style: OfflineStatementStyle): string {
  const segments = inlineSegments(sqlSegments(statement.sql, style), statement, style);
  while (segments.length) {
    const last = segments.at(-1)!;
    if (last.kind !== 'code') break;
    const trimmed = last.text.replace(/[\s;]+$/, '');
    if (trimmed) {
      segments[segments.length - 1] = { kind: 'code', text: trimmed };
      break;
    }
    segments.pop();
  }
  const text = segments.map((s) => s.text).join('');
  return segments.at(-1)?.kind === 'line-comment' ? `${text}\n;` : `${text};`;
}

/**
 * Whether code (outside strings and comments) of the SQL holds a `;` before its end: the
 * statement has several parts for a client that splits input at `;` (a MySQL trigger body).
 * @example
 * ```ts
 * hasInnerSemicolon("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END"); // true
 * hasInnerSemicolon("SELECT ';';"); // false
 * ```
 */
export function hasInnerSemicolon(sql: string, options: SqlSegmentOptions = {}): boolean {
  const segments = sqlSegments(sql.replace(/[\s;]+$/, ''), options);
  return segments.some((s) => s.kind === 'code' && s.text.includes(';'));
}

/**
 * A line comment of offline scripts: `-- text`, line breaks as spaces.
 * @example
 * ```ts
 * offlineComment('Running upgrade <base> -> aa01,\ncreate artist'); // '-- Running upgrade <base> -> aa01, create artist'
 * ```
 */
export function offlineComment(text: string): string {
  return `-- ${text.replace(/\s*[\r\n]+\s*/g, ' ')}`;
}

function abbreviate(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}
