/**
 * What a dialect's database does to an SQL expression it stores (a CHECK, a partial index's
 * `WHERE`, an index expression, a generated column, a default), so a comparator can undo it on
 * both sides. Each option names one rewrite; all default to off.
 */
export interface ExpressionRewrites {
  /** PostgreSQL: casts are dropped (`"Price" >= 0::numeric` → `"Price" >= 0`, `CAST(x AS t)` → `x`). */
  readonly dropCasts?: boolean;
  /**
   * PostgreSQL: `x = ANY (ARRAY[a, b])` is written `x IN (a, b)` (and `<> ALL (ARRAY[…])` as
   * `NOT IN (…)`), `~~` as `LIKE`, and `x BETWEEN a AND b` (simple operands) as `x >= a AND x <= b`.
   */
  readonly postgresOperators?: boolean;
  /** MySQL: character set introducers before strings are dropped (`_utf8mb4'a'` → `'a'`). */
  readonly dropIntroducers?: boolean;
  /** `[name]` is a quoted identifier (SQLite), not an array subscript. */
  readonly bracketIdentifiers?: boolean;
  /** A backslash escapes the next character inside a string (MySQL). */
  readonly backslashEscapes?: boolean;
  /**
   * Function names the database stores under another name, lower-case (MariaDB re-prints
   * `length(…)` as `octet_length(…)`): both spellings become the second.
   */
  readonly functionSynonyms?: Readonly<Record<string, string>>;
}

interface Token {
  readonly type: 'string' | 'ident' | 'word' | 'number' | 'op' | 'punct';
  /**
   * Output text: strings in one spelling (single quotes, a quote inside doubled, backslash escapes
   * decoded where they are escapes), identifiers unquoted, words lower-case.
   */
  readonly text: string;
  /** Where the token starts and ends in the input (adjacency of an introducer and its string). */
  readonly start: number;
  readonly end: number;
}

const OPERATORS = ['!~~*', '~~*', '!~~', '::', '<=', '>=', '<>', '!=', '||', '~~', '->>', '->', '#>>', '#>', '@>', '<@', '&&', '<<', '>>'];
/** Type names whose casts of a numeric string are that number. */
const NUMERIC_TYPES = new Set(['integer', 'int', 'int2', 'int4', 'int8', 'smallint', 'bigint', 'numeric', 'decimal', 'real', 'double', 'float4', 'float8']);
const TYPE_WORDS = new Set(['varying', 'precision', 'without', 'with', 'time', 'zone']);
const BOOLEAN_CONTEXT = new Set(['and', 'or', 'not']);
/** Keywords a `(` may follow without being a call: written with a space before it. */
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'any', 'all', 'some', 'exists', 'as', 'is', 'when', 'then', 'else', 'like', 'ilike', 'between', 'values', 'select', 'where', 'from', 'on', 'using']);

/**
 * Reduces an SQL expression to a canonical text, so two spellings of the same expression
 * compare equal: identifier quotes dropped, names and keywords lower-cased, one space between
 * tokens (none inside parentheses, before commas or around `.`), string literals kept with their
 * content but spelled one way (MariaDB stores `'it''s'` as `'it\\'s'`: both are `'it''s'`),
 * `!=` written `<>`, and parentheses that change nothing removed: around the whole expression,
 * around a single operand (`(0)`, `("x")`, `(f(x))`), and around an operand of AND/OR/NOT that
 * holds no AND/OR of its own (`(a > 0) AND (b < 1)` → `a > 0 and b < 1`). Then the dialect's
 * {@link ExpressionRewrites}.
 *
 * Parentheses are also dropped around an operand whose operators all bind tighter than those
 * beside it (`(x % 2) = 0`, `x <= (x + 1)`, PostgreSQL's way of storing them), a negative number
 * is one token (`- 5` = `-5`, and PostgreSQL's `'-5'::integer` is `-5`), `NOT a = b` is `a <> b`
 * (MariaDB stores it so; likewise for `<`, `>`, `<=`, `>=`, `<>` with simple operands), and `x MOD 2`
 * is `x % 2`.
 *
 * Different expressions stay different: literals keep their case and content, operators and
 * numbers are kept, and parentheses that group arithmetic are kept where they change the order.
 *
 * @param sql - the expression.
 * @param rewrites - what the dialect's database does to stored expressions.
 * @returns the canonical text.
 * @example
 * ```ts
 * canonicalExpression('("Price" >= (0)::numeric)', { dropCasts: true });                        // 'price >= 0'
 * canonicalExpression("kind::text = ANY (ARRAY['a'::text, 'b'::text])", { dropCasts: true, postgresOperators: true }); // "kind in ('a', 'b')"
 * ```
 */
export function canonicalExpression(sql: string, rewrites: ExpressionRewrites = {}): string {
  let tokens = foldNegativeNumbers(tokenize(sql, rewrites));
  if (rewrites.dropIntroducers) tokens = dropIntroducers(tokens);
  if (rewrites.dropCasts) tokens = dropCasts(tokens);
  if (rewrites.postgresOperators) tokens = postgresOperators(dropParentheses(tokens));
  const synonyms = rewrites.functionSynonyms ?? {};
  tokens = tokens.map((t, i) => {
    if (t.type === 'op' && t.text === '!=') return { ...t, text: '<>' };
    // MySQL's `x MOD 2` (MariaDB stores `x % 2` so) is `x % 2`; `mod(x, 2)` is a call.
    if (t.type === 'word' && t.text === 'mod' && i > 0 && !is(tokens[i + 1], '(')) return { ...t, type: 'op', text: '%' };
    const synonym = t.type === 'word' && is(tokens[i + 1], '(') ? synonyms[t.text] : undefined;
    return synonym === undefined ? t : { ...t, text: synonym };
  });
  tokens = dropParentheses(negatedComparisons(dropParentheses(tokens)));
  return render(tokens);
}

function tokenize(sql: string, rewrites: ExpressionRewrites): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  const quoted = (start: number, close: string, backslash: boolean): number => {
    let j = start + 1;
    while (j < n) {
      const c = sql[j]!;
      if (backslash && c === '\\') j += 2;
      else if (c === close) {
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
    } else if (c === "'" || ((c === 'E' || c === 'e') && sql[i + 1] === "'")) {
      const from = c === "'" ? i : i + 1;
      const backslash = rewrites.backslashEscapes === true || from !== i;
      const end = quoted(from, "'", backslash);
      out.push({ type: 'string', text: stringText(sql.slice(from, end), backslash), start: i, end });
      i = end;
    } else if (c === '"' || c === '`' || (c === '[' && rewrites.bracketIdentifiers)) {
      const close = c === '[' ? ']' : c;
      const end = quoted(i, close, false);
      const inner = sql.slice(i + 1, end - 1);
      out.push({ type: 'ident', text: (close === ']' ? inner : inner.split(close + close).join(close)).toLowerCase(), start: i, end });
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      out.push({ type: 'word', text: sql.slice(i, j).toLowerCase(), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0x[0-9a-f]+|(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?)/i.exec(sql.slice(i))!;
      out.push({ type: 'number', text: m[0].toLowerCase(), start: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (op) {
        out.push({ type: 'op', text: op, start: i, end: i + op.length });
        i += op.length;
      } else {
        out.push({ type: /[(),.[\]]/.test(c) ? 'punct' : 'op', text: c, start: i, end: i + 1 });
        i++;
      }
    }
  }
  return out;
}

/** Words before which a `-` is a sign, not a subtraction. */
const SIGN_CONTEXT = new Set(['and', 'or', 'not', 'in', 'is', 'between', 'when', 'then', 'else', 'like', 'ilike', 'select', 'where', 'return', 'any', 'all', 'some']);

/** `-` followed by a number, where an operand is expected (start, after an operator, `(`, `,` or a keyword), is one number. */
function foldNegativeNumbers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const prev = out[out.length - 1];
    const signed =
      t.type === 'op' &&
      t.text === '-' &&
      next?.type === 'number' &&
      !/^0x/.test(next.text) &&
      (prev === undefined || prev.type === 'op' || is(prev, '(') || is(prev, ',') || is(prev, '[') || (prev.type === 'word' && SIGN_CONTEXT.has(prev.text)));
    if (signed) {
      out.push({ type: 'number', text: `-${next.text}`, start: t.start, end: next.end });
      i++;
    } else out.push(t);
  }
  return out;
}

/** What a backslash escape stands for (MySQL's, and PostgreSQL's `E'…'`); any other `\x` is `x`. */
const ESCAPES: Readonly<Record<string, string>> = Object.freeze({ '0': '\0', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', Z: '\x1a' });

/**
 * A string literal (`'…'` with its quotes, as written) in one spelling: its value between single
 * quotes, a quote inside doubled. With `backslash`, `\'`, `\\`, `\n` … are decoded first, except
 * `\%` and `\_`, which MySQL keeps as written (they escape LIKE wildcards).
 */
function stringText(raw: string, backslash: boolean): string {
  const body = raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw.slice(1);
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (backslash && c === '\\' && i + 1 < body.length) {
      const next = body[++i]!;
      value += next === '%' || next === '_' ? `\\${next}` : (ESCAPES[next] ?? next);
    } else if (c === "'" && body[i + 1] === "'") {
      value += "'";
      i++;
    } else value += c;
  }
  return `'${value.replace(/'/g, "''")}'`;
}

const is = (t: Token | undefined, text: string) => t !== undefined && (t.type === 'punct' || t.type === 'op' || t.type === 'word') && t.text === text;

/** Index of the token closing the bracket at `open` (`(`…`)` or `[`…`]`), or -1. */
function closing(tokens: readonly Token[], open: number): number {
  const o = tokens[open]!.text;
  const c = o === '(' ? ')' : ']';
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (is(tokens[i], o)) depth++;
    else if (is(tokens[i], c) && --depth === 0) return i;
  }
  return -1;
}

function dropIntroducers(tokens: Token[]): Token[] {
  return tokens.filter((t, i) => !(t.type === 'word' && t.text.startsWith('_') && tokens[i + 1]?.type === 'string' && tokens[i + 1]!.start === t.end));
}

/** Drops `::type` (with multi-word names, a modifier list and `[]`) and `CAST(x AS type)` around one operand. */
function dropCasts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (is(t, '::')) {
      // '-5'::integer (how PostgreSQL stores a negative number) is the number -5.
      const last = out[out.length - 1];
      const target = tokens[i + 1];
      const literal = last?.type === 'string' ? /^'([+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?)'$/i.exec(last.text) : null;
      if (literal && target && (target.type === 'word' || target.type === 'ident') && NUMERIC_TYPES.has(target.text)) {
        out[out.length - 1] = { ...last!, type: 'number', text: literal[1]!.toLowerCase().replace(/^\+/, '') };
      }
      let j = i + 1;
      if (tokens[j]?.type === 'word' || tokens[j]?.type === 'ident') j++;
      while (tokens[j]?.type === 'word' && TYPE_WORDS.has(tokens[j]!.text)) j++;
      if (is(tokens[j], '(')) j = closing(tokens, j) + 1 || tokens.length;
      while (is(tokens[j], '[') && is(tokens[j + 1], ']')) j += 2;
      while (tokens[j]?.type === 'word' && TYPE_WORDS.has(tokens[j]!.text)) j++;
      i = j - 1;
      continue;
    }
    if (is(t, 'cast') && is(tokens[i + 1], '(')) {
      const close = closing(tokens, i + 1);
      const as = tokens.findIndex((x, k) => k > i + 1 && k < close && is(x, 'as'));
      if (close > 0 && as === i + 3) {
        out.push(tokens[i + 2]!);
        i = close;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

function postgresOperators(tokens: Token[]): Token[] {
  const word = (text: string, at: Token): Token => ({ type: 'word', text, start: at.start, end: at.end });
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // x = ANY (ARRAY[a, b]) → x IN (a, b); x <> ALL (ARRAY[…]) → x NOT IN (…)
    const any = (is(t, '=') && is(tokens[i + 1], 'any')) || (is(t, '<>') && is(tokens[i + 1], 'all'));
    if (any && is(tokens[i + 2], '(') && is(tokens[i + 3], 'array') && is(tokens[i + 4], '[')) {
      const close = closing(tokens, i + 4);
      const paren = closing(tokens, i + 2);
      if (close > 0 && paren === close + 1) {
        if (t.text === '<>') out.push(word('not', t));
        out.push(word('in', t), { ...tokens[i + 4]!, type: 'punct', text: '(' }, ...tokens.slice(i + 5, close), { ...tokens[close]!, type: 'punct', text: ')' });
        i = paren;
        continue;
      }
    }
    const like: Record<string, string[]> = { '~~': ['like'], '!~~': ['not', 'like'], '~~*': ['ilike'], '!~~*': ['not', 'ilike'] };
    if (t.type === 'op' && like[t.text]) {
      for (const w of like[t.text]!) out.push(word(w, t));
      continue;
    }
    // a BETWEEN b AND c → a >= b AND a <= c; a NOT BETWEEN b AND c → (a < b OR a > c)
    if (is(t, 'between')) {
      const between = rewriteBetween(out, tokens, i);
      if (between) {
        i = between.end - 1;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/** Words that end an operand of BETWEEN (besides `)`, `,` and the end). */
const BETWEEN_STOPS = new Set(['and', 'or', 'not', 'when', 'then', 'else', 'end']);

/**
 * Rewrites the BETWEEN at `tokens[at]` into `out` (which holds what precedes it) as PostgreSQL
 * stores it, for operands without comparison or logical operators of their own. Returns where the
 * rest of `tokens` starts, or `undefined` (and `out` untouched) when it is not such a BETWEEN.
 */
function rewriteBetween(out: Token[], tokens: readonly Token[], at: number): { end: number } | undefined {
  const t = tokens[at]!;
  const negated = is(out[out.length - 1], 'not');
  const subjectEnd = negated ? out.length - 1 : out.length;
  let start = subjectEnd;
  for (let depth = 0; start > 0; start--) {
    const p = out[start - 1]!;
    if (is(p, ')') || is(p, ']')) depth++;
    else if (is(p, '(') || is(p, '[')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (is(p, ',') || (p.type === 'word' && BETWEEN_STOPS.has(p.text)))) break;
  }
  const operandEnd = (from: number, stopAtAnd: boolean): number => {
    let k = from;
    for (let depth = 0; k < tokens.length; k++) {
      const x = tokens[k]!;
      if (is(x, '(') || is(x, '[')) depth++;
      else if (is(x, ')') || is(x, ']')) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (is(x, ',') || (x.type === 'word' && (BETWEEN_STOPS.has(x.text) || (!stopAtAnd && x.text === 'between'))))) break;
    }
    return k;
  };
  const lowEnd = operandEnd(at + 1, true);
  if (!is(tokens[lowEnd], 'and')) return undefined;
  const highEnd = operandEnd(lowEnd + 1, false);
  const subject = out.slice(start, subjectEnd);
  const low = tokens.slice(at + 1, lowEnd);
  const high = tokens.slice(lowEnd + 1, highEnd);
  const simple = (part: readonly Token[]) => part.length > 0 && topLevelPrecedence(part) !== undefined && topLevelPrecedence(part)! > COMPARISON;
  if (!simple(subject) || !simple(low) || !simple(high)) return undefined;
  const op = (text: string): Token => ({ ...t, type: 'op', text });
  const word = (text: string): Token => ({ ...t, type: 'word', text });
  const punct = (text: string): Token => ({ ...t, type: 'punct', text });
  out.splice(start);
  if (negated) out.push(punct('('), ...subject, op('<'), ...low, word('or'), ...subject, op('>'), ...high, punct(')'));
  else out.push(...subject, op('>='), ...low, word('and'), ...subject, op('<='), ...high);
  return { end: highEnd };
}

/** How tightly operators bind (higher: tighter), where SQL dialects agree. */
const PRECEDENCE: Readonly<Record<string, number>> = Object.freeze({
  or: 1,
  and: 2,
  not: 3,
  '=': 4,
  '<>': 4,
  '!=': 4,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  is: 4,
  like: 4,
  ilike: 4,
  in: 4,
  between: 4,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
});
const COMPARISON = 4;
/** Words that are neither operators nor operands: a group between them stands alone. */
const CLAUSE_WORDS = new Set(['when', 'then', 'else', 'end']);

/**
 * The loosest binding of the operators at the top level of `tokens` (`Infinity`: none), or
 * `undefined` when one of them has no agreed precedence (`||`, `::`, `->`, `collate`…).
 */
function topLevelPrecedence(tokens: readonly Token[]): number | undefined {
  let depth = 0;
  let min = Infinity;
  for (let k = 0; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (is(x, '(') || is(x, '[')) depth++;
    else if (is(x, ')') || is(x, ']')) depth--;
    else if (depth === 0 && x.type === 'op') {
      const p = PRECEDENCE[x.text];
      if (p === undefined) return undefined;
      min = Math.min(min, p);
    } else if (depth === 0 && x.type === 'word') {
      if (x.text === 'select' || x.text === 'collate') return undefined;
      if (PRECEDENCE[x.text] !== undefined) min = Math.min(min, PRECEDENCE[x.text]!);
    }
  }
  return min;
}

/** How tightly the token beside a group binds it: 0 for none (start, `(`, `,`, a clause word); `Infinity` when unknown. */
function neighbourPrecedence(t: Token | undefined): number {
  if (t === undefined || is(t, '(') || is(t, ')') || is(t, ',') || (t.type === 'word' && CLAUSE_WORDS.has(t.text))) return 0;
  if (t.type === 'op' || t.type === 'word') return PRECEDENCE[t.text] ?? Infinity;
  return Infinity;
}

const NEGATED: Readonly<Record<string, string>> = Object.freeze({ '=': '<>', '<>': '=', '<': '>=', '>=': '<', '>': '<=', '<=': '>' });

/** `NOT a = b` → `a <> b` (and the other comparisons) for one-token operands standing alone. */
function negatedComparisons(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const standsAlone = (t: Token | undefined) => neighbourPrecedence(t) < PRECEDENCE['not']!;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const [a, cmp, b] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (is(t, 'not') && isOperand(a) && cmp?.type === 'op' && NEGATED[cmp.text] && isOperand(b) && standsAlone(out[out.length - 1]) && standsAlone(tokens[i + 4])) {
      out.push(a!, { ...cmp, text: NEGATED[cmp.text]! }, b!);
      i += 3;
    } else out.push(t);
  }
  return out;
}

function isOperand(t: Token | undefined): boolean {
  return t !== undefined && (t.type === 'ident' || t.type === 'number' || t.type === 'string' || (t.type === 'word' && !BOOLEAN_CONTEXT.has(t.text)));
}

/** Removes parentheses that change nothing (see {@link canonicalExpression}), until none is left. */
function dropParentheses(tokens: Token[]): Token[] {
  let current = tokens;
  for (;;) {
    const next = dropOnePair(current);
    if (next === current) return current;
    current = next;
  }
}

function dropOnePair(tokens: Token[]): Token[] {
  for (let open = 0; open < tokens.length; open++) {
    if (!is(tokens[open], '(')) continue;
    const close = closing(tokens, open);
    if (close < 0) return tokens;
    const before = tokens[open - 1];
    // A call's or IN's argument list, or a type's modifiers, is not a grouping.
    if (before && (before.type === 'ident' || (before.type === 'word' && !BOOLEAN_CONTEXT.has(before.text)) || is(before, ']'))) continue;
    const after = tokens[close + 1];
    const inner = tokens.slice(open + 1, close);
    const whole = open === 0 && close === tokens.length - 1;
    const single = isSingleOperand(inner);
    const boundary = (t: Token | undefined, side: 'before' | 'after') =>
      t === undefined || (t.type === 'word' && (t.text === 'and' || t.text === 'or' || (side === 'before' && t.text === 'not'))) || is(t, side === 'before' ? '(' : ')') || is(t, ',');
    const logicalOperand = boundary(before, 'before') && boundary(after, 'after') && !hasTopLevel(inner, ['and', 'or']) && !hasTopLevelComma(inner);
    const innermost = hasTopLevelComma(inner) ? undefined : topLevelPrecedence(inner);
    const tighter = innermost !== undefined && innermost > Math.max(neighbourPrecedence(before), neighbourPrecedence(after));
    if (whole || single || logicalOperand || tighter) return [...tokens.slice(0, open), ...inner, ...tokens.slice(close + 1)];
  }
  return tokens;
}

/** One operand: a literal, a name (`t.c` too), a call `f(…)`, or a parenthesized group. */
function isSingleOperand(inner: readonly Token[]): boolean {
  if (inner.length === 0) return false;
  if (inner.length === 1) return inner[0]!.type !== 'op' && inner[0]!.type !== 'punct';
  if (is(inner[0], '(') && closing(inner, 0) === inner.length - 1) return true;
  const nameChain = inner.every((t, k) => (k % 2 === 0 ? t.type === 'ident' || t.type === 'word' : is(t, '.')));
  if (nameChain && inner.length % 2 === 1) return true;
  // ARRAY[…]
  if (is(inner[0], 'array') && is(inner[1], '[') && closing(inner, 1) === inner.length - 1) return true;
  return (inner[0]!.type === 'word' || inner[0]!.type === 'ident') && is(inner[1], '(') && closing(inner, 1) === inner.length - 1;
}

function hasTopLevel(tokens: readonly Token[], words: readonly string[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (is(t, '(') || is(t, '[')) depth++;
    else if (is(t, ')') || is(t, ']')) depth--;
    else if (depth === 0 && t.type === 'word' && words.includes(t.text)) return true;
  }
  return false;
}

function hasTopLevelComma(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (is(t, '(') || is(t, '[')) depth++;
    else if (is(t, ')') || is(t, ']')) depth--;
    else if (depth === 0 && is(t, ',')) return true;
  }
  return false;
}

function render(tokens: readonly Token[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const tight =
      i === 0 ||
      is(prev, '(') ||
      is(prev, '[') ||
      is(prev, '.') ||
      is(t, ')') ||
      is(t, ']') ||
      is(t, ',') ||
      is(t, '.') ||
      is(t, '[') ||
      (is(t, '(') && (prev?.type === 'ident' || (prev?.type === 'word' && !KEYWORDS.has(prev.text))));
    out += (tight ? '' : ' ') + t.text;
  });
  return out;
}
