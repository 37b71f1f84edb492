import { quoteIdentifier } from '../shared/quote-identifier.js';
import { tokenizeSqlite, type SqlToken } from './sqlite-sql-tokens.js';

/** A name token: a bare word or a quoted identifier (strings and blobs are never names here). */
function isName(token: SqlToken): boolean {
  return token.type === 'word' || token.type === 'ident';
}

/** Keywords after which `name (` is a table and its column list, not a call: `INSERT INTO t (a)`. */
const TABLE_BEFORE_PAREN = new Set(['INTO', 'TABLE', 'REFERENCES']);

/**
 * A name token that is called as a function (`lower(` …), so it never names a column; a table
 * followed by its column list (`INTO t (`, `TABLE t (`, `REFERENCES t (`) is not a call.
 */
function isCall(tokens: readonly SqlToken[], i: number): boolean {
  const prev = tokens[i - 1];
  if (prev?.type === 'word' && TABLE_BEFORE_PAREN.has(prev.value.toUpperCase())) return false;
  return tokens[i]!.type === 'word' && tokens[i + 1]?.type === 'punct' && tokens[i + 1]!.text === '(';
}

/**
 * True when SQL text names one of `names` (compared case-insensitively, as SQLite does) as a word
 * or quoted identifier; string literals and function names do not count. Conservative: a name
 * that refers to another table's column of the same name counts too.
 *
 * @param sql - an expression, or a whole statement (a view's query, a trigger's body).
 * @param names - the names to look for.
 * @example
 * ```ts
 * sqlMentions('"Price" > 0 AND note <> \'Price\'', ['price']); // true
 * sqlMentions("lower(x) = 'a'", ['lower']);                   // false
 * ```
 */
export function sqlMentions(sql: string, names: Iterable<string>): boolean {
  const wanted = new Set([...names].map((n) => n.toLowerCase()));
  if (wanted.size === 0) return false;
  const tokens = tokenizeSqlite(sql);
  return tokens.some((t, i) => isName(t) && !isCall(tokens, i) && wanted.has(t.value.toLowerCase()));
}

/**
 * The names an SQL text uses (lower-case): every word or quoted identifier that is not called as
 * a function. Keywords are included; callers intersect with the names they care about.
 * @example
 * ```ts
 * sqlNames('SELECT "A", lower(b) FROM t'); // Set { 'select', 'a', 'b', 'from', 't' }
 * ```
 */
export function sqlNames(sql: string): Set<string> {
  const tokens = tokenizeSqlite(sql);
  const names = new Set<string>();
  tokens.forEach((t, i) => {
    if (isName(t) && !isCall(tokens, i)) names.add(t.value.toLowerCase());
  });
  return names;
}

/**
 * Rewrites the names in an expression of one table: each word or quoted identifier found in
 * `map` (keys lower-case) is replaced by the mapped name, quoted; everything else, string
 * literals, function names and qualified names (`t.x`) included, is kept as written.
 *
 * @param sql - an expression over one table's columns (CHECK, index term, generated column).
 * @param map - lower-case old name → new name.
 * @param onUnmapped - called with each name token that `map` does not hold (it may throw).
 * @returns the rewritten text (the input itself when nothing changes).
 * @example
 * ```ts
 * renameSqlIdentifiers('"Total" > 0', new Map([['total', 'Amount']])); // '"Amount" > 0'
 * ```
 */
export function renameSqlIdentifiers(sql: string, map: ReadonlyMap<string, string>, onUnmapped?: (name: string) => void): string {
  const tokens = tokenizeSqlite(sql);
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    if (!isName(t) || isCall(tokens, i)) return;
    const prev = tokens[i - 1];
    if (prev?.type === 'punct' && prev.text === '.') return; // qualified: another table's column
    const to = map.get(t.value.toLowerCase());
    if (to === undefined) {
      onUnmapped?.(t.value);
      return;
    }
    out += sql.slice(at, t.start) + quoteIdentifier(to);
    at = t.end;
  });
  return at === 0 ? sql : out + sql.slice(at);
}

/**
 * Drops the table's own name where it qualifies a column in an expression of that table (`"users"."email"`
 * → `"email"`), as drizzle-kit writes a CHECK and the WHERE of a partial index. Both mean the same in
 * the table, but a qualified name binds to the table's name: the copy a batch rebuild creates under
 * another name refuses it (`no such column: users.email`), and it would not compare equal to the
 * same expression in the models. Names qualified by another table, string literals and everything
 * else are kept as written; so is a name qualified by a schema too (`main.users.email`), unless
 * `options.schema` names that schema: introspection and comparison keep it as written (the models'
 * text and the database's then compare equal, both keeping it), while a batch rebuild, which
 * creates the table under another name, passes the table's own schema (`main` for the main
 * database) and gets `email`.
 *
 * @param sql - an expression over one table's columns (CHECK, WHERE of a partial index).
 * @param table - the table's name (compared case-insensitively, as SQLite does).
 * @param options - `schema`: the schema the table is in (`'main'`, or an attached database's
 *   name); `schema.table.column` with that schema is unqualified too. Default: none, such names kept.
 * @returns the text without those qualifiers (the input itself when there are none).
 * @example
 * ```ts
 * unqualifyOwnColumns('"users"."email" like \'%@%\' AND users.x > 0', 'users'); // '"email" like \'%@%\' AND x > 0'
 * unqualifyOwnColumns('main.users.x > 0', 'users'); // 'main.users.x > 0'
 * unqualifyOwnColumns('main.users.x > 0', 'users', { schema: 'main' }); // 'x > 0'
 * ```
 */
export function unqualifyOwnColumns(sql: string, table: string, options: { readonly schema?: string } = {}): string {
  const tokens = tokenizeSqlite(sql);
  const own = table.toLowerCase();
  const schema = options.schema?.toLowerCase();
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    const dot = tokens[i + 1];
    const column = tokens[i + 2];
    if (!isName(t) || t.value.toLowerCase() !== own || dot?.type !== 'punct' || dot.text !== '.' || !column || !isName(column)) return;
    const prev = tokens[i - 1];
    let from = t.start;
    if (prev?.type === 'punct' && prev.text === '.') {
      // schema.table.column: unqualified only for the schema asked for; otherwise left as written.
      const qualifier = tokens[i - 2];
      if (schema === undefined || !qualifier || !isName(qualifier) || qualifier.value.toLowerCase() !== schema) return;
      const before = tokens[i - 3];
      if (before?.type === 'punct' && before.text === '.') return; // a longer chain: not a column of this table
      from = qualifier.start;
    }
    out += sql.slice(at, from);
    at = column.start;
  });
  return at === 0 ? sql : out + sql.slice(at);
}

/**
 * Qualifies the object name of a stored CREATE INDEX / VIEW / TRIGGER statement with an attached
 * database's name (SQLite stores these statements without it), so the statement recreates the
 * object in that database. Returns the text unchanged when `schema` is undefined or the name is
 * already qualified.
 *
 * @example
 * ```ts
 * qualifyCreateStatement('CREATE INDEX ix ON t (a)', 'aux'); // 'CREATE INDEX "aux".ix ON t (a)'
 * ```
 */
export function qualifyCreateStatement(sql: string, schema: string | undefined): string {
  if (schema === undefined) return sql;
  const tokens = tokenizeSqlite(sql);
  const kinds = new Set(['INDEX', 'VIEW', 'TRIGGER']);
  let i = tokens.findIndex((t) => t.type === 'word' && kinds.has(t.value.toUpperCase()));
  if (i < 0) return sql;
  i++;
  if (tokens[i]?.value.toUpperCase() === 'IF' && tokens[i + 1]?.value.toUpperCase() === 'NOT') i += 3; // IF NOT EXISTS
  const name = tokens[i];
  if (!name || tokens[i + 1]?.text === '.') return sql;
  return `${sql.slice(0, name.start)}${quoteIdentifier(schema)}.${sql.slice(name.start)}`;
}

/**
 * A stored CREATE INDEX statement under another index name, for SQLite's index rename (a DROP
 * INDEX and this CREATE INDEX): everything else is kept as written (UNIQUE, directions,
 * collations, expressions, the WHERE of a partial index). `columns` renames the column names of
 * the part after `ON table` (SQLite's own RENAME COLUMN does the same to a stored index).
 *
 * @param sql - the CREATE INDEX text, as `sqlite_master.sql` holds it.
 * @param newName - the index's new name (written quoted, in place of the old one; a schema
 *   qualifier stays).
 * @param columns - lower-case old column name → new name; default none.
 * @returns the rewritten text, or `undefined` when `sql` is not a CREATE INDEX statement this reads.
 * @example
 * ```ts
 * renameSqliteIndexStatement('CREATE UNIQUE INDEX ix_a ON t (kind DESC) WHERE kind > 0', 'ix_b', new Map([['kind', 'category']]));
 * // 'CREATE UNIQUE INDEX "ix_b" ON t ("category" DESC) WHERE "category" > 0'
 * ```
 */
export function renameSqliteIndexStatement(sql: string, newName: string, columns: ReadonlyMap<string, string> = new Map()): string | undefined {
  const tokens = tokenizeSqlite(sql);
  const word = (i: number, text: string) => tokens[i]?.type === 'word' && tokens[i]!.value.toUpperCase() === text;
  let i = tokens.findIndex((t, at) => at < 3 && t.type === 'word' && t.value.toUpperCase() === 'INDEX');
  if (i < 0 || !word(0, 'CREATE')) return undefined;
  i++;
  if (word(i, 'IF') && word(i + 1, 'NOT') && word(i + 2, 'EXISTS')) i += 3;
  if (tokens[i + 1]?.text === '.') i += 2; // schema.name: the name is after the dot
  const name = tokens[i];
  if (!name || !isName(name) || !word(i + 1, 'ON') || !tokens[i + 2] || !isName(tokens[i + 2]!)) return undefined;
  let tableEnd = i + 2;
  if (tokens[tableEnd + 1]?.text === '.' && tokens[tableEnd + 2]) tableEnd += 2;
  const rest = sql.slice(tokens[tableEnd]!.end);
  return `${sql.slice(0, name.start)}${quoteIdentifier(newName)}${sql.slice(name.end, tokens[tableEnd]!.end)}${columns.size ? renameSqlIdentifiers(rest, columns) : rest}`;
}
