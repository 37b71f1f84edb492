import { closingParen, isKeyword, splitTopLevel, tokenizeSqlite } from './sqlite-sql-tokens.js';

/** What a CREATE INDEX statement declares beyond `PRAGMA index_xinfo`. */
export interface ParsedIndex {
  /** Each indexed term as written, without a trailing `ASC`/`DESC`. */
  readonly terms: readonly string[];
  /** The partial-index predicate, without `WHERE`. */
  readonly where?: string;
}

/**
 * Reads a CREATE INDEX statement (as stored in `sqlite_master.sql`): the indexed terms (so
 * expression terms can be reported as written) and the WHERE predicate of a partial index.
 *
 * @param sql - the CREATE INDEX text.
 * @returns the terms and predicate, or `undefined` when the text has no column list.
 * @example
 * ```ts
 * parseSqliteCreateIndex('CREATE INDEX ix ON t (lower(name), id DESC) WHERE id > 0');
 * // { terms: ['lower(name)', 'id'], where: 'id > 0' }
 * ```
 */
export function parseSqliteCreateIndex(sql: string): ParsedIndex | undefined {
  const tokens = tokenizeSqlite(sql);
  const open = tokens.findIndex((t) => t.type === 'punct' && t.text === '(');
  if (open < 0) return undefined;
  const close = closingParen(tokens, open);
  if (close < 0) return undefined;
  const terms = splitTopLevel(tokens, open + 1, close).map(([a, b]) => {
    let end = b;
    if (end - 1 > a && (isKeyword(tokens[end - 1], 'ASC') || isKeyword(tokens[end - 1], 'DESC'))) end--;
    return sql.slice(tokens[a]!.start, tokens[end - 1]!.end);
  });
  const whereAt = tokens.findIndex((t, i) => i > close && isKeyword(t, 'WHERE'));
  const where = whereAt > 0 && tokens[whereAt + 1] ? sql.slice(tokens[whereAt + 1]!.start).trim().replace(/;$/, '').trim() : undefined;
  return where ? { terms, where } : { terms };
}
