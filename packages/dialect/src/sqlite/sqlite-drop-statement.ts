import { isKeyword, tokenizeSqlite, type SqlToken } from './sqlite-sql-tokens.js';

/** What a statement can drop, as {@link sqliteDropStatement} reads it. */
export type SqliteDropStatement =
  /** `DROP TABLE` of a table of the main schema (or of the first schema holding that name). */
  | { readonly kind: 'table'; readonly table: string }
  /** Nothing with rows: `DROP INDEX`, `DROP VIEW`, `DROP TRIGGER`, `ALTER TABLE … DROP COLUMN`. */
  | { readonly kind: 'no-rows' }
  /** Anything else with the word `drop` in it: what it drops is not known. */
  | { readonly kind: 'unknown' };

/** A name: a bare word or a quoted identifier. */
const isName = (token: SqlToken | undefined): token is SqlToken => token?.type === 'word' || token?.type === 'ident';

/**
 * Reads what a SQLite statement with the word `drop` in it drops (comments and quoting as SQLite
 * reads them): one table of the main schema (`DROP TABLE [IF EXISTS] [main.]name`), nothing that
 * holds rows (`DROP INDEX|VIEW|TRIGGER …`, `ALTER TABLE [main.]name DROP [COLUMN] name`), or
 * something not known (any other text, a table of another schema included).
 * @param sql - one statement.
 * @returns what it drops.
 * @example
 * ```ts
 * sqliteDropStatement('DROP TABLE IF EXISTS "Genre"'); // { kind: 'table', table: 'Genre' }
 * sqliteDropStatement('DROP INDEX "ix_Genre_Name"'); // { kind: 'no-rows' }
 * sqliteDropStatement("DELETE FROM \"Genre\" WHERE \"Name\" = 'drop'"); // { kind: 'unknown' }
 * ```
 */
export function sqliteDropStatement(sql: string): SqliteDropStatement {
  const tokens = tokenizeSqlite(sql);
  if (tokens.at(-1)?.text === ';') tokens.pop();
  let i = 0;
  /** A `[main.]name` at `i`, and `i` past it; undefined for another form or another schema. */
  const name = (): string | undefined => {
    const [first, dot, second] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (dot?.text === '.' && isName(first) && isName(second)) {
      if (first.value.toLowerCase() !== 'main') return undefined;
      i += 3;
      return second.value;
    }
    if (!isName(first)) return undefined;
    i += 1;
    return first.value;
  };
  const unknown: SqliteDropStatement = { kind: 'unknown' };
  if (isKeyword(tokens[0], 'DROP')) {
    const what = tokens[1];
    i = 2;
    if (isKeyword(tokens[i], 'IF') && isKeyword(tokens[i + 1], 'EXISTS')) i += 2;
    const table = name();
    if (table === undefined || i !== tokens.length) return unknown;
    if (isKeyword(what, 'TABLE')) return { kind: 'table', table };
    return isKeyword(what, 'INDEX') || isKeyword(what, 'VIEW') || isKeyword(what, 'TRIGGER') ? { kind: 'no-rows' } : unknown;
  }
  if (isKeyword(tokens[0], 'ALTER') && isKeyword(tokens[1], 'TABLE')) {
    i = 2;
    if (name() === undefined || !isKeyword(tokens[i], 'DROP')) return unknown;
    i += isKeyword(tokens[i + 1], 'COLUMN') ? 2 : 1;
    return name() !== undefined && i === tokens.length ? { kind: 'no-rows' } : unknown;
  }
  return unknown;
}
