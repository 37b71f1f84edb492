import { closingParen, isKeyword, splitTopLevel, tokenizeSqlite, type SqlToken } from './sqlite-sql-tokens.js';

/** Where a trigger names a column of a table as a target, rather than in an expression. */
export type TriggerTargetClause = 'UPDATE OF' | 'UPDATE SET' | 'INSERT column list' | 'ON CONFLICT' | 'DO UPDATE SET';

/** A column a trigger names as a target. */
export interface TriggerTarget {
  /** The column, as written (unquoted). */
  readonly column: string;
  /** The clause that names it. */
  readonly clause: TriggerTargetClause;
}

const isName = (t: SqlToken | undefined): t is SqlToken => t?.type === 'word' || t?.type === 'ident';
const isPunct = (t: SqlToken | undefined, text: string) => t?.type === 'punct' && t.text === text;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Words that end an UPDATE's SET list. */
const SET_END = new Set(['FROM', 'WHERE', 'RETURNING', 'ORDER', 'LIMIT', 'END']);

/**
 * The columns of `table` that a stored CREATE TRIGGER statement names as targets, where SQLite
 * does not check them when a column is dropped (it checks expressions such as `new."Note"` or a
 * WHERE clause, not these): `UPDATE OF col` in the trigger's event (when it is on `table`),
 * `UPDATE table SET col = …` and `SET (a, b) = …`, `INSERT`/`REPLACE INTO table (col, …)`, and
 * an upsert's `ON CONFLICT (col)` and `DO UPDATE SET col = …` of an INSERT into `table`. SQLite's
 * `ALTER TABLE … RENAME COLUMN` rewrites all of these, so only a dropped column breaks them.
 *
 * @param sql - the trigger's CREATE statement as stored in `sqlite_master`.
 * @param table - the table whose columns to report (compared case-insensitively).
 * @returns the targets, in the order they appear.
 * @example
 * ```ts
 * sqliteTriggerTargets('CREATE TRIGGER tr AFTER UPDATE OF a ON t BEGIN UPDATE t SET b = 0; END', 't');
 * // [{ column: 'a', clause: 'UPDATE OF' }, { column: 'b', clause: 'UPDATE SET' }]
 * ```
 */
export function sqliteTriggerTargets(sql: string, table: string): TriggerTarget[] {
  const tokens = tokenizeSqlite(sql);
  const out: TriggerTarget[] = [];
  const begin = tokens.findIndex((t) => isKeyword(t, 'BEGIN'));
  if (begin < 0) return out;

  // The event: `UPDATE OF a, b ON t`.
  const update = tokens.findIndex((t, i) => i < begin && isKeyword(t, 'UPDATE'));
  if (update >= 0 && isKeyword(tokens[update + 1], 'OF')) {
    const on = tokens.findIndex((t, i) => i > update && i < begin && isKeyword(t, 'ON'));
    if (on > 0 && sameTable(tokens, on + 1, table)) {
      for (let i = update + 2; i < on; i++) if (isName(tokens[i])) out.push({ column: tokens[i]!.value, clause: 'UPDATE OF' });
    }
  }

  // The body, statement by statement.
  let insertTable: string | undefined; // the table of the INSERT statement being read, for its upsert
  for (let i = begin + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, ';')) {
      insertTable = undefined;
      continue;
    }
    if (isPunct(t, '(')) continue;
    const prev = tokens[i - 1];
    if ((isKeyword(t, 'INSERT') || (isKeyword(t, 'REPLACE') && !isKeyword(prev, 'OR'))) && !isPunct(tokens[i + 1], '(')) {
      let j = i + 1;
      if (isKeyword(tokens[j], 'OR')) j += 2;
      if (!isKeyword(tokens[j], 'INTO')) continue;
      j++;
      const name = tableAt(tokens, j);
      if (!name) continue;
      insertTable = name.table;
      j = name.next;
      if (isKeyword(tokens[j], 'AS')) j += 2;
      if (same(insertTable, table) && isPunct(tokens[j], '(')) {
        const close = closingParen(tokens, j);
        for (let k = j + 1; k < close; k++) if (isName(tokens[k])) out.push({ column: tokens[k]!.value, clause: 'INSERT column list' });
        i = close < 0 ? i : close;
      }
      continue;
    }
    if (isKeyword(t, 'CONFLICT') && isKeyword(prev, 'ON') && insertTable !== undefined && same(insertTable, table) && isPunct(tokens[i + 1], '(')) {
      const close = closingParen(tokens, i + 1);
      for (const [from, to] of splitTopLevel(tokens, i + 2, close < 0 ? tokens.length : close)) {
        // An indexed column, maybe with COLLATE and ASC/DESC: its first token, when nothing calls it.
        if (isName(tokens[from]) && !isPunct(tokens[from + 1], '(') && (to === from + 1 || isKeyword(tokens[from + 1], 'COLLATE') || isKeyword(tokens[from + 1], 'ASC') || isKeyword(tokens[from + 1], 'DESC'))) {
          out.push({ column: tokens[from]!.value, clause: 'ON CONFLICT' });
        }
      }
      continue;
    }
    if (isKeyword(t, 'UPDATE') && isKeyword(prev, 'DO')) {
      if (insertTable !== undefined && same(insertTable, table) && isKeyword(tokens[i + 1], 'SET')) i = readSet(tokens, i + 2, 'DO UPDATE SET', out);
      continue;
    }
    if (isKeyword(t, 'UPDATE')) {
      let j = i + 1;
      if (isKeyword(tokens[j], 'OR')) j += 2;
      const name = tableAt(tokens, j);
      if (!name) continue;
      j = name.next;
      if (isKeyword(tokens[j], 'AS')) j++;
      if (isName(tokens[j]) && !isKeyword(tokens[j], 'SET')) j++; // an alias
      if (same(name.table, table) && isKeyword(tokens[j], 'SET')) i = readSet(tokens, j + 1, 'UPDATE SET', out);
    }
  }
  return out;
}

/** Whether tokens at `at` name `table` (`t` or `schema.t`). */
function sameTable(tokens: readonly SqlToken[], at: number, table: string): boolean {
  const name = tableAt(tokens, at);
  return name !== undefined && same(name.table, table);
}

/** A table name at `at` (`t` or `schema.t`): its last part and the index after it. */
function tableAt(tokens: readonly SqlToken[], at: number): { table: string; next: number } | undefined {
  if (!isName(tokens[at])) return undefined;
  if (isPunct(tokens[at + 1], '.') && isName(tokens[at + 2])) return { table: tokens[at + 2]!.value, next: at + 3 };
  return { table: tokens[at]!.value, next: at + 1 };
}

/**
 * Reads the assignments of a SET list from `from`: `col = expr` or `(a, b) = expr`, separated by
 * commas outside parentheses, up to FROM, WHERE, RETURNING, ORDER, LIMIT, `;` or END.
 * @returns the index of the last token read.
 */
function readSet(tokens: readonly SqlToken[], from: number, clause: TriggerTargetClause, out: TriggerTarget[]): number {
  let i = from;
  for (;;) {
    const t = tokens[i];
    if (isPunct(t, '(')) {
      const close = closingParen(tokens, i);
      for (let k = i + 1; k < close; k++) if (isName(tokens[k])) out.push({ column: tokens[k]!.value, clause });
      i = close < 0 ? tokens.length : close + 1;
    } else if (isName(t)) {
      out.push({ column: t.value, clause });
      i++;
    } else return i;
    // Skip `= expression` up to the next comma outside parentheses and CASE … END, or the end of the list.
    let depth = 0;
    let cases = 0;
    for (; i < tokens.length; i++) {
      const u = tokens[i]!;
      if (isPunct(u, '(')) depth++;
      else if (isPunct(u, ')')) {
        if (depth === 0) return i;
        depth--;
      } else if (isKeyword(u, 'CASE')) cases++;
      else if (isKeyword(u, 'END') && cases > 0) cases--;
      else if (depth === 0 && (isPunct(u, ';') || (u.type === 'word' && SET_END.has(u.value.toUpperCase())))) return i - 1;
      else if (depth === 0 && isPunct(u, ',')) break;
    }
    if (i >= tokens.length) return i;
    i++;
  }
}
