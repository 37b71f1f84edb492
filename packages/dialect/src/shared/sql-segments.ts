/** A piece of SQL text: code, a quoted string or identifier, or a comment. */
export interface SqlSegment {
  /**
   * What the piece is: SQL code, a quoted string or identifier (quotes included), or a `--`/`#`
   * line comment or `/* … *\/` block comment.
   */
  readonly kind: 'code' | 'quoted' | 'line-comment' | 'block-comment';
  /**
   * The piece's text, exactly as in the input (so joining every segment's text gives the input
   * back).
   */
  readonly text: string;
}

/** What quoting rules the SQL follows. */
export interface SqlSegmentOptions {
  /** A backslash escapes the next character inside `'…'` and `"…"` (MySQL). Default false. */
  readonly backslashEscapes?: boolean;
  /** `$tag$…$tag$` strings (PostgreSQL). Default false. */
  readonly dollarQuotes?: boolean;
  /** `#` starts a line comment (MySQL). Default false. */
  readonly hashComments?: boolean;
}

const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;
/** A character of a word (an identifier, a number, a `$n`): `$` after one starts no dollar quote. */
const WORD = /[A-Za-z0-9_$]/;

/**
 * Splits SQL text into code, quoted parts (`'…'`, `"…"`, `` `…` ``, PostgreSQL `E'…'` and
 * `$tag$…$tag$`) and comments (`--`, `/* … *\/`, MySQL `#`), so placeholders and semicolons are
 * looked for in code only. A doubled quote is an escape; an unterminated quote or comment runs to
 * the end. Joining the segments' texts gives the input back.
 *
 * @example
 * ```ts
 * sqlSegments("SELECT '?' , ?").map((s) => s.kind); // ['code', 'quoted', 'code']
 * ```
 */
export function sqlSegments(sql: string, options: SqlSegmentOptions = {}): SqlSegment[] {
  const out: SqlSegment[] = [];
  let codeStart = 0; // code runs from here to the next quote or comment (sliced once: no string building)
  /** The character `back` places before `i`, if it is code (not the end of a quote or comment). */
  const codeBefore = (i: number, back = 1) => (i - back >= codeStart ? sql.charAt(i - back) : '');
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = -1;
    let kind: SqlSegment['kind'] = 'quoted';
    if (c === "'" || c === '"' || c === '`') {
      // PostgreSQL E'…' strings take backslash escapes (the E a word of its own).
      const eString = c === "'" && /[eE]/.test(codeBefore(i)) && !WORD.test(codeBefore(i, 2));
      end = quoteEnd(sql, i, c, c !== '`' && (options.backslashEscapes === true || eString));
    } else if (c === '-' && next === '-') {
      kind = 'line-comment';
      end = lineEnd(sql, i);
    } else if (c === '#' && options.hashComments) {
      kind = 'line-comment';
      end = lineEnd(sql, i);
    } else if (c === '/' && next === '*') {
      kind = 'block-comment';
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    } else if (c === '$' && options.dollarQuotes && !WORD.test(codeBefore(i))) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql)?.[0];
      if (tag !== undefined) {
        const close = sql.indexOf(tag, i + tag.length);
        end = close < 0 ? sql.length : close + tag.length;
      }
    }
    if (end < 0) {
      i++;
      continue;
    }
    if (i > codeStart) out.push({ kind: 'code', text: sql.slice(codeStart, i) });
    out.push({ kind, text: sql.slice(i, end) });
    i = end;
    codeStart = end;
  }
  if (sql.length > codeStart) out.push({ kind: 'code', text: sql.slice(codeStart) });
  return out;
}

/** Index after the quote that closes the one at `start` (a doubled quote escapes it). */
function quoteEnd(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslash && c === '\\') i += 2;
    else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const nl = sql.indexOf('\n', start);
  return nl < 0 ? sql.length : nl;
}
