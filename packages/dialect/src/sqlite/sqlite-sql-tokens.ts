/** One token of SQLite SQL text, with its place in the text. */
export interface SqlToken {
  /** `word`: bare word or keyword; `ident`: quoted identifier; `string`: `'…'`; `blob`: `X'…'`. */
  readonly type: 'word' | 'ident' | 'string' | 'number' | 'blob' | 'punct';
  /** The token as written. */
  readonly text: string;
  /** Words and identifiers unquoted (`"a""b"` → `a"b`), strings unquoted; else the text. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits SQLite SQL text into tokens, skipping whitespace and comments. Used to read what the
 * pragmas do not report (constraint names, CHECK expressions, collations, AUTOINCREMENT,
 * generated-column expressions) from `sqlite_master.sql`.
 *
 * @param sql - SQL text as stored by SQLite.
 * @returns the tokens in order. Unterminated quotes run to the end of the text.
 * @example
 * ```ts
 * tokenizeSqlite('CREATE TABLE "a""b" (x)').map((t) => t.value); // ['CREATE', 'TABLE', 'a"b', '(', 'x', ')']
 * ```
 */
export function tokenizeSqlite(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (type: SqlToken['type'], start: number, end: number, value?: string) =>
    tokens.push({ type, text: sql.slice(start, end), value: value ?? sql.slice(start, end), start, end });
  const quoted = (start: number, close: string): number => {
    let j = start + 1;
    while (j < n) {
      if (sql[j] === close) {
        if (close !== ']' && sql[j + 1] === close) j += 2;
        else return j + 1;
      } else j++;
    }
    return n;
  };
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = quoted(i + 1, "'");
      push('blob', i, end);
      i = end;
    } else if (c === "'") {
      const end = quoted(i, "'");
      push('string', i, end, sql.slice(i + 1, end - 1).replace(/''/g, "'"));
      i = end;
    } else if (c === '"' || c === '`') {
      const end = quoted(i, c);
      push('ident', i, end, sql.slice(i + 1, end - 1).split(c + c).join(c));
      i = end;
    } else if (c === '[') {
      const end = quoted(i, ']');
      push('ident', i, end, sql.slice(i + 1, end - 1));
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      push('word', i, j);
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0x[0-9a-f]+|(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?)/i.exec(sql.slice(i))!;
      push('number', i, i + m[0].length);
      i += m[0].length;
    } else {
      push('punct', i, i + 1);
      i++;
    }
  }
  return tokens;
}

/**
 * True when the token is the bare keyword `word` (compared upper-case).
 * @example
 * ```ts
 * isKeyword(tokenizeSqlite('create')[0], 'CREATE'); // true
 * ```
 */
export function isKeyword(token: SqlToken | undefined, word: string): boolean {
  return token?.type === 'word' && token.value.toUpperCase() === word;
}

/**
 * The index of the `)` closing the `(` at `open`, or -1.
 * @param tokens - the tokens.
 * @param open - index of a `(` token.
 * @example
 * ```ts
 * closingParen(tokenizeSqlite('(a, (b)) c'), 0); // 6
 * ```
 */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Splits tokens `from`..`to` (exclusive) at commas outside parentheses.
 * @returns `[start, end)` index pairs, one per item.
 * @example
 * ```ts
 * splitTopLevel(tokenizeSqlite('a, f(b, c)'), 0, 8); // [[0, 1], [2, 8]]
 * ```
 */
export function splitTopLevel(tokens: readonly SqlToken[], from: number, to: number): [number, number][] {
  const items: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ',' && depth === 0) {
      items.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) items.push([start, to]);
  return items;
}
