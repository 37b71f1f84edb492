import { isKeyword, tokenizeSqlite, type SqlToken } from './sqlite-sql-tokens.js';

/** How much of a statement's text is read for its target (a bulk insert's text is long; its target comes first). */
const PREFIX = 512;

/** A name: a bare word or a quoted identifier. */
const isName = (token: SqlToken | undefined): token is SqlToken => token?.type === 'word' || token?.type === 'ident';

/**
 * The table an `INSERT` writes, when the statement's text says so plainly: `INSERT [OR …] INTO
 * [main.]name …` or `REPLACE INTO [main.]name …` followed by `(`, `SELECT`, `VALUES` or `DEFAULT`
 * (comments and quoting as SQLite reads them, within the text's first 512 characters). Its
 * triggers may write other tables: only the rows the statement itself changed are the target's.
 * @param sql - one statement.
 * @returns the table's name as written (unquoted); `undefined` for any other statement or form
 *   (a `WITH` before it, a schema other than `main`).
 * @example
 * ```ts
 * sqliteInsertTarget('INSERT INTO "_multidb_tmp_Album" ("AlbumId") SELECT "AlbumId" FROM "Album"'); // '_multidb_tmp_Album'
 * sqliteInsertTarget('UPDATE "Album" SET "Title" = ?'); // undefined
 * ```
 */
export function sqliteInsertTarget(sql: string): string | undefined {
  const prefix = sql.slice(0, PREFIX);
  if (!/insert|replace/i.test(prefix)) return undefined;
  const tokens = tokenizeSqlite(prefix);
  let i = 1;
  if (isKeyword(tokens[0], 'INSERT') && isKeyword(tokens[1], 'OR')) i = 3;
  else if (!isKeyword(tokens[0], 'INSERT') && !isKeyword(tokens[0], 'REPLACE')) return undefined;
  if (!isKeyword(tokens[i], 'INTO')) return undefined;
  i++;
  let table = tokens[i];
  if (tokens[i + 1]?.text === '.') {
    if (!isName(table) || table.value.toLowerCase() !== 'main') return undefined;
    i += 2;
    table = tokens[i];
  }
  const next = tokens[i + 1];
  // A token after the name: the name was read whole, not cut by the prefix.
  const follows = next?.text === '(' || isKeyword(next, 'SELECT') || isKeyword(next, 'VALUES') || isKeyword(next, 'DEFAULT');
  return isName(table) && follows ? table.value : undefined;
}
