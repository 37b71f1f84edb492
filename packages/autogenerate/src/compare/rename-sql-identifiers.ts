const WORD = /[A-Za-z0-9_$]/;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * Rewrites column names inside SQL text (a check expression, an index expression or predicate, a
 * generated column): what the database does to its own copy when columns are renamed. All
 * renames apply in one pass, so swapping two names works. Quoted names (`"a"`, `` `a` ``, `[a]`)
 * match exactly and keep their quotes; a bare name matches without regard to case (as SQL reads
 * it). String literals are left alone.
 *
 * @param sql - the SQL text.
 * @param renames - old name → new name (a new name that is not a plain word is written in double
 *   quotes where it replaces a bare one).
 * @returns the rewritten text (the same string when no name occurs).
 * @example
 * ```ts
 * renameSqlIdentifiers('"total" >= 0 AND total < 10', new Map([['total', 'amount']])); // '"amount" >= 0 AND amount < 10'
 * ```
 */
export function renameSqlIdentifiers(sql: string, renames: ReadonlyMap<string, string>): string {
  if (!renames.size) return sql;
  const bare = new Map<string, string>();
  for (const [from, to] of renames) if (!bare.has(from.toLowerCase())) bare.set(from.toLowerCase(), to);
  let out = '';
  let i = 0;
  let changed = false;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'") {
      const end = closing(sql, i, "'");
      out += sql.slice(i, end);
      i = end;
    } else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = closing(sql, i, close);
      const inner = sql.slice(i + 1, end - 1);
      const name = close === ']' ? inner : inner.split(close + close).join(close);
      const to = renames.get(name);
      if (to !== undefined) {
        out += c + (close === ']' ? to : to.split(close).join(close + close)) + close;
        changed = true;
      } else out += sql.slice(i, end);
      i = end;
    } else if (WORD.test(c) && !/\d/.test(c)) {
      let end = i;
      while (end < sql.length && WORD.test(sql[end]!)) end++;
      const word = sql.slice(i, end);
      const to = bare.get(word.toLowerCase());
      if (to !== undefined) {
        out += PLAIN.test(to) ? to : `"${to.replace(/"/g, '""')}"`;
        changed = true;
      } else out += word;
      i = end;
    } else if (/\d/.test(c)) {
      // A number (or a word glued to it, like 1e5): never a name.
      let end = i;
      while (end < sql.length && WORD.test(sql[end]!)) end++;
      out += sql.slice(i, end);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return changed ? out : sql;
}

/**
 * Whether SQL text (a check expression, an index expression or predicate, a generated column)
 * names a column, as {@link renameSqlIdentifiers} matches names: a quoted name exactly, a bare one
 * without regard to case; string literals do not count.
 *
 * @param sql - the SQL text.
 * @param column - the column's name.
 * @returns `true` when the text names it.
 * @example
 * ```ts
 * mentionsSqlName("tmp_note <> 'x'", 'tmp_note'); // true
 * mentionsSqlName("note <> 'tmp_note'", 'tmp_note'); // false
 * ```
 */
export function mentionsSqlName(sql: string, column: string): boolean {
  // Renamed to something else: the text changes exactly when the name occurs.
  return renameSqlIdentifiers(sql, new Map([[column, `${column}_`]])) !== sql;
}

/** Index just past the quote that closes the one at `start` (a doubled quote stays inside). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (quote !== ']' && sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}
