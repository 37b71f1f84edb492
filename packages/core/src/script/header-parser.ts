import { editDistance } from '../edit-distance.js';
import { ScriptError } from '../errors.js';
import { REVISION_ID_PATTERN, type RevisionHeader } from './revision-script.js';

type HeaderName = 'revision' | 'downRevision' | 'branchLabels' | 'dependsOn' | 'message' | 'createDate';

/** The six header names read statically (DESIGN §5). */
const HEADER_NAMES: ReadonlySet<string> = new Set<HeaderName>([
  'revision',
  'downRevision',
  'branchLabels',
  'dependsOn',
  'message',
  'createDate',
]);

/** What each header accepts, as told to the user when a value breaks the grammar. */
const EXPECTED: Readonly<Record<HeaderName, string>> = {
  revision: 'revision must be a string (the revision id)',
  downRevision: 'downRevision must be a string, null or an array of strings',
  branchLabels: 'branchLabels must be an array of strings, a string or null',
  dependsOn: 'dependsOn must be an array of strings, a string or null',
  message: 'message must be a string',
  createDate: 'createDate must be a string or null',
};

/**
 * Reads the header of a revision file (DESIGN §5) without running it.
 *
 * The header sits in the file's prologue: `import` declarations (also `import type`, side-effect
 * and multi-line imports, with or without `with { … }`), comments and blank lines, and the six
 * header declarations, in any order. The prologue ends at the first other statement (usually
 * `export async function upgrade`), or once all six headers are read; code after it is not
 * tokenized.
 *
 * Exactly six names are read: `revision`, `downRevision`, `branchLabels`, `dependsOn`, `message`
 * and `createDate`, each as `export const NAME = LITERAL;` where LITERAL is a string (`'…'`,
 * `"…"`, or a backtick string without `${`), `null`, or an array of strings (trailing comma
 * allowed). A type annotation (`: string | null`, `: readonly string[]`) or a trailing
 * `as const` is allowed, the declaration may span several lines, and comments may sit between
 * any two tokens. Other exports (`transaction`, `upgrade`) are not read here: they are read at
 * import.
 *
 * After the prologue, a header name declared at the start of a statement (`export const`,
 * `export let`, `export var` or inside `export { … }`, at the start of a line or after `;`, `}`
 * or a block comment on its line) is an error, never silently missed. That search is textual (code
 * bodies are not parsed): a line starting with `export const revision` inside a block comment or
 * a template string counts too.
 *
 * Normalization: `downRevision` `'a'` → `['a']`, `['a', 'b']` (merge) → both, `null` → `[]`
 * (branch root). `branchLabels` and `dependsOn` take an array, a single string or `null`
 * (default `[]`). `message` defaults to `''` (`null` is read as `''`); `createDate` is omitted
 * when absent or `null`.
 *
 * What this returns for a text is cached by the script directory (`header-cache.ts`): a change
 * that reads some text differently must bump that cache's `FORMAT`.
 *
 * @param source - the file's text.
 * @param file - the file's path, used verbatim in error messages and in {@link ScriptError.file}.
 * @returns the header, frozen.
 * @throws {@link ScriptError} (with `file` and the 1-based `line`, also in the message as
 *   `file:line: …`) when a header value is not a literal of the right kind (a call, an
 *   identifier, a number, a template with `${…}`), a header is declared twice, with `let`/`var`,
 *   through `export { … }` or after other code, `revision` or `downRevision` is missing (no
 *   line then), or an id breaks {@link REVISION_ID_PATTERN}. When the statement that ended the
 *   prologue exports a name within two edits of a header not read (`downRevison`), and a header
 *   is then missing or late, the error names that export and the header meant instead; so it does
 *   when that export holds a value of the optional header's kind (`mesage = 'add users'`,
 *   `branchLabel = 'db2'`), which would otherwise be read as absent.
 * @example
 * ```ts
 * const header = parseRevisionHeader(
 *   "import type { Operations } from '@multidb/core';\n" +
 *     "export const revision = '3f2a9c1d7b40';\nexport const downRevision = null;\n" +
 *     'export async function upgrade(op: Operations): Promise<void> {}\n',
 *   'migrations/versions/db2/3f2a9c1d7b40_init.ts',
 * );
 * header.downRevisions; // []
 * ```
 */
export function parseRevisionHeader(source: string, file: string): RevisionHeader {
  return new HeaderReader(source, file).read();
}

// ---------------------------------------------------------------------------------------------
// Tokens of the prologue. It holds only imports, comments and header declarations, so a token is
// a word (identifier, keyword or number), a quoted string, a backtick string, or one punctuation
// character. No regular expressions and no nesting: the reader never tokenizes code bodies.
// Tokens carry offsets; a line number is computed from the offset only for an error message.

const Kind = {
  Eof: 0,
  Word: 1,
  /** A `'…'` or `"…"` string. */
  String: 2,
  /** A backtick string without substitutions. */
  Template: 3,
  /** A backtick string up to its first `${`: not a literal. */
  TemplateWithSubstitution: 4,
  Punct: 5,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Token {
  readonly kind: Kind;
  readonly start: number;
  readonly end: number;
  /** A line break (or a comment holding one) precedes the token. */
  readonly newlineBefore: boolean;
  /** The word or the punctuation character; `''` for other kinds. */
  readonly value: string;
  /** For strings: whether the closing quote was found. */
  readonly terminated: boolean;
}

const CH_NL = 10;
const CH_CR = 13;
const CH_SLASH = 47;
const CH_STAR = 42;
const CH_BACKSLASH = 92;
const CH_BACKTICK = 96;

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c === CH_BACKSLASH || c >= 128
  );
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

function isWord(token: Token, word: string): boolean {
  return token.kind === Kind.Word && token.value === word;
}

function isPunct(token: Token, char: string): boolean {
  return token.kind === Kind.Punct && token.value === char;
}

class Scanner {
  readonly #src: string;
  #pos: number;
  /** The token {@link peek} scanned at `#peekedFrom`, ending at `#peekedTo`. */
  #peeked: Token | undefined;
  #peekedFrom = -1;
  #peekedTo = 0;

  constructor(src: string, pos: number) {
    this.#src = src;
    this.#pos = pos;
  }

  /** Offset of the next character to scan. */
  get position(): number {
    return this.#pos;
  }

  /** The next token, without moving; the following {@link next} returns it without scanning again. */
  peek(): Token {
    if (this.#peekedFrom !== this.#pos) {
      const from = this.#pos;
      this.#peeked = this.#scan();
      this.#peekedTo = this.#pos;
      this.#peekedFrom = from;
      this.#pos = from;
    }
    return this.#peeked!;
  }

  next(): Token {
    if (this.#peekedFrom !== this.#pos) return this.#scan();
    this.#pos = this.#peekedTo;
    return this.#peeked!;
  }

  #scan(): Token {
    const newlineBefore = this.#skipTrivia();
    const src = this.#src;
    const start = this.#pos;
    if (start >= src.length) return { kind: Kind.Eof, start, end: start, newlineBefore, value: '', terminated: true };
    const c = src.charCodeAt(start);
    let end = start + 1;
    if (isWordChar(c)) {
      while (end < src.length && isWordChar(src.charCodeAt(end))) end++;
      this.#pos = end;
      return { kind: Kind.Word, start, end, newlineBefore, value: src.slice(start, end), terminated: true };
    }
    if (c === 39 || c === 34 || c === CH_BACKTICK) return this.#string(c, start, newlineBefore);
    this.#pos = end;
    return { kind: Kind.Punct, start, end, newlineBefore, value: src[start]!, terminated: true };
  }

  /** Skips whitespace and comments; returns whether a line break was crossed. */
  #skipTrivia(): boolean {
    const src = this.#src;
    const len = src.length;
    let newline = false;
    while (this.#pos < len) {
      const c = src.charCodeAt(this.#pos);
      if (c === CH_NL || c === CH_CR) {
        newline = true;
        this.#pos++;
      } else if (isWhitespace(c)) {
        this.#pos++;
      } else if (c === CH_SLASH && src.charCodeAt(this.#pos + 1) === CH_SLASH) {
        const nl = src.indexOf('\n', this.#pos);
        this.#pos = nl < 0 ? len : nl;
      } else if (c === CH_SLASH && src.charCodeAt(this.#pos + 1) === CH_STAR) {
        const close = src.indexOf('*/', this.#pos + 2);
        const end = close < 0 ? len : close + 2;
        if (!newline) {
          const nl = src.indexOf('\n', this.#pos);
          newline = nl >= 0 && nl < end;
        }
        this.#pos = end;
      } else {
        break;
      }
    }
    return newline;
  }

  /** A quoted string (ends unterminated at a line break) or a backtick string (stops at `${`). */
  #string(quote: number, start: number, newlineBefore: boolean): Token {
    const src = this.#src;
    const template = quote === CH_BACKTICK;
    let kind: Kind = template ? Kind.Template : Kind.String;
    let terminated = false;
    let i = start + 1;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === quote) {
        terminated = true;
        i++;
        break;
      }
      if (c === CH_BACKSLASH) {
        i += src.charCodeAt(i + 1) === CH_CR && src.charCodeAt(i + 2) === CH_NL ? 3 : 2;
        continue;
      }
      if (template && c === 36 && src.charCodeAt(i + 1) === 123) {
        kind = Kind.TemplateWithSubstitution;
        break;
      }
      if (!template && (c === CH_NL || c === CH_CR)) break;
      i++;
    }
    this.#pos = Math.min(i, src.length);
    return { kind, start, end: this.#pos, newlineBefore, value: '', terminated };
  }
}

/** 1-based line of an offset (`\n`, `\r\n` and a lone `\r` end a line). Only for error messages. */
function lineAt(src: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = src.charCodeAt(i);
    if (c === CH_NL || (c === CH_CR && src.charCodeAt(i + 1) !== CH_NL)) line++;
  }
  return line;
}

/**
 * Whether `export` at `offset` starts a statement as far as a look at its own line can tell: only
 * spaces or tabs lie between it and the start of the line, a `;`, a `}` or the end of a block
 * comment.
 */
function startsStatement(src: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9)) i--;
  if (i < 0) return true;
  const c = src.charCodeAt(i);
  return c === CH_NL || c === CH_CR || c === 59 || c === 125 || (c === CH_SLASH && src.charCodeAt(i - 1) === CH_STAR);
}

/**
 * `export` followed by what may start a late header declaration: `const`, `let`, `var`, `{`, or a
 * comment (`/`). A regular expression with a literal start scans fastest (faster than an
 * `indexOf` loop), and skips `export async function upgrade` without a second look.
 */
const LATE_EXPORT = /export\s*(?:[{/]|(?:const|let|var)(?![\w$]))/g;

// ---------------------------------------------------------------------------------------------
// Header reading: the prologue, then a textual search of the rest for late header declarations.

type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly values: readonly string[]; readonly offsets: readonly number[] };

interface Found {
  readonly literal: Literal;
  /** Offset of the value's first token. */
  readonly at: number;
}

/** Binary-operator keywords: a value followed by one on the next line continues the expression. */
const CONTINUES_EXPRESSION: ReadonlySet<string> = new Set(['in', 'instanceof', 'as', 'satisfies']);

/** Punctuators allowed in a header's type annotation (`readonly string[]`, `Array<string> | null`). */
const ANNOTATION_PUNCT: ReadonlySet<string> = new Set(['|', '&', '[', ']', '<', '>', '(', ')', ',', '.']);

/** An export whose name is close to a header's (`downRevison`), at the offset of its name. */
interface Misspelled {
  readonly name: string;
  readonly meant: HeaderName;
  readonly at: number;
}

class HeaderReader {
  readonly #source: string;
  readonly #file: string;
  readonly #scanner: Scanner;
  readonly #found = new Map<HeaderName, Found>();
  /**
   * `export const NAME` that ended the prologue with a NAME close to a header not read
   * (`downRevison`): named, with the header meant, when the header then turns up missing or late.
   */
  #misspelled: Misspelled | undefined;

  constructor(source: string, file: string) {
    this.#source = source;
    this.#file = file;
    let start = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (source.startsWith('#!', start)) {
      const nl = source.indexOf('\n', start);
      start = nl < 0 ? source.length : nl;
    }
    this.#scanner = new Scanner(source, start);
  }

  read(): RevisionHeader {
    const sc = this.#scanner;
    let code: Token | undefined;
    while (this.#found.size < HEADER_NAMES.size) {
      const token = sc.next();
      if (token.kind === Kind.Eof) break;
      if (isWord(token, 'import') && this.#import()) continue;
      if (isWord(token, 'export') && this.#header()) continue;
      code = token; // the first other statement: the prologue ends here
      break;
    }
    if (code && isWord(code, 'export')) this.#misspelled = this.#misspelledHeader(code.start);
    this.#rejectLateHeaders(code ? code.start : sc.position, code);
    // An optional header misspelled as the prologue's last statement (`mesage = '…'`) would be read as absent.
    if (this.#misspelled && this.#holdsValueOf(this.#misspelled)) this.#failIfMisspelled();
    return this.#assemble();
  }

  /**
   * The export at `offset` (`export const NAME`, `let` or `var`) when NAME is not a header but is
   * within two edits of one not read yet, ignoring case (`downRevison`, `DownRevision`,
   * `down_revision`); otherwise `undefined`.
   */
  #misspelledHeader(offset: number): Misspelled | undefined {
    const sc = new Scanner(this.#source, offset);
    sc.next(); // export
    const keyword = sc.next();
    if (!(isWord(keyword, 'const') || isWord(keyword, 'let') || isWord(keyword, 'var'))) return undefined;
    const name = sc.next();
    if (name.kind !== Kind.Word || HEADER_NAMES.has(name.value)) return undefined;
    let best: { meant: HeaderName; distance: number } | undefined;
    for (const header of HEADER_NAMES as ReadonlySet<HeaderName>) {
      if (this.#found.has(header)) continue;
      const distance = editDistance(name.value.toLowerCase(), header.toLowerCase());
      if (distance <= 2 && (!best || distance < best.distance)) best = { meant: header, distance };
    }
    return best && { name: name.value, meant: best.meant, at: name.start };
  }

  /**
   * Whether the misspelled export's value is of the kind its header takes: a string for `message`
   * and `createDate`, a string or an array starting with one (or empty) for `branchLabels` and
   * `dependsOn`; a required header's is always taken as such (it is missing otherwise). So
   * `export const messages = ['x']` is the module's own export, `mesage = 'add users'` a typo.
   */
  #holdsValueOf(m: Misspelled): boolean {
    if (m.meant === 'revision' || m.meant === 'downRevision') return true;
    const sc = new Scanner(this.#source, m.at);
    sc.next(); // the name
    let token = sc.next();
    if (isPunct(token, ':')) {
      do token = sc.next();
      while (!isPunct(token, '=') && token.kind !== Kind.Eof && !isPunct(token, ';'));
    }
    if (!isPunct(token, '=')) return false;
    token = sc.next();
    const isString = (t: Token) => t.kind === Kind.String || t.kind === Kind.Template;
    if (isString(token)) return true;
    if (m.meant !== 'branchLabels' && m.meant !== 'dependsOn') return false;
    if (!isPunct(token, '[')) return false;
    const first = sc.next();
    return isString(first) || isPunct(first, ']');
  }

  /** Fails on the misspelled header that ended the prologue, if there was one. */
  #failIfMisspelled(): void {
    const m = this.#misspelled;
    if (!m) return;
    this.#fail(
      `${m.name} is not a header name; did you mean ${m.meant}? (the six headers are ${[...HEADER_NAMES].join(', ')}, ` +
        `declared as 'export const NAME = …;')`,
      m.at,
    );
  }

  #fail(message: string, offset?: number): never {
    const line = offset === undefined ? undefined : lineAt(this.#source, offset);
    const where = line === undefined ? this.#file : `${this.#file}:${line}`;
    throw new ScriptError(`${where}: ${message}`, this.#file, line);
  }

  /**
   * After `import`: reads past `… from '…' [with { … }] [;]` and returns true, or returns false
   * when this is not an import declaration (`import(…)`, `import.meta`, `import x = require(…)`).
   */
  #import(): boolean {
    const sc = this.#scanner;
    let token = sc.next();
    let inBraces = false; // `{ 'a-b' as c }`: a string there is a name, not the module
    while (token.kind !== Kind.String || inBraces) {
      if (isPunct(token, '{') || isPunct(token, '}')) inBraces = token.value === '{';
      else if (!(token.kind === Kind.Word || token.kind === Kind.String || isPunct(token, ',') || isPunct(token, '*'))) return false;
      token = sc.next();
    }
    if (!token.terminated) this.#fail('unterminated string in an import declaration', token.start);
    token = sc.peek();
    if (isWord(token, 'with') || isWord(token, 'assert')) {
      sc.next();
      if (!isPunct(sc.next(), '{')) return false;
      do token = sc.next();
      while (!isPunct(token, '}') && token.kind !== Kind.Eof);
      token = sc.peek();
    }
    if (isPunct(token, ';')) sc.next();
    else if (!token.newlineBefore && token.kind !== Kind.Eof) return false;
    return true;
  }

  /** After `export`: reads `const NAME …` for a header name, or returns false (other code). */
  #header(): boolean {
    const sc = this.#scanner;
    const keyword = sc.next();
    if (!(isWord(keyword, 'const') || isWord(keyword, 'let') || isWord(keyword, 'var'))) return false;
    const name = sc.next();
    if (!(name.kind === Kind.Word && HEADER_NAMES.has(name.value))) return false;
    if (keyword.value !== 'const') {
      this.#fail(`${name.value} must be declared with 'export const', not '${keyword.value}'`, name.start);
    }
    this.#declaration(name.value as HeaderName, name.start);
    return true;
  }

  #declaration(name: HeaderName, nameAt: number): void {
    const sc = this.#scanner;
    const first = this.#found.get(name);
    if (first) this.#fail(`${name} is declared twice (first on line ${lineAt(this.#source, first.at)})`, nameAt);

    let token = sc.next();
    if (isPunct(token, ':')) {
      for (;;) {
        token = sc.next();
        if (isPunct(token, '=')) break;
        const ok =
          token.kind === Kind.Word || token.kind === Kind.String || (token.kind === Kind.Punct && ANNOTATION_PUNCT.has(token.value));
        if (!ok) {
          this.#fail(
            token.kind === Kind.Eof || isPunct(token, ';')
              ? `${name} needs a value: export const ${name} = …;`
              : `${name} has an unsupported type annotation (use e.g. ': string | null' or ': readonly string[]')`,
            token.start,
          );
        }
      }
    }
    if (!isPunct(token, '=')) this.#fail(`${name} needs a value: export const ${name} = …;`, token.start);

    const at = sc.peek().start;
    const literal = this.#literal(name);

    token = sc.peek();
    if (isWord(token, 'as')) {
      sc.next();
      const c = sc.next();
      if (!isWord(c, 'const')) this.#fail(`${EXPECTED[name]}; only 'as const' may follow the value`, c.start);
      token = sc.peek();
    }
    if (isPunct(token, ';')) {
      sc.next();
    } else if (token.kind === Kind.Eof) {
      // end of file ends the statement
    } else if (token.newlineBefore && token.kind === Kind.Word && !CONTINUES_EXPRESSION.has(token.value)) {
      // automatic semicolon insertion: the next statement starts on a new line
    } else if (isPunct(token, ',')) {
      this.#fail(`declare one header per statement: export const ${name} = …;`, token.start);
    } else {
      this.#fail(`${EXPECTED[name]}, written as a literal alone (export const ${name} = …;)`, token.start);
    }
    this.#found.set(name, { literal, at });
  }

  #literal(name: HeaderName): Literal {
    const token = this.#scanner.next();
    if (token.kind === Kind.String || token.kind === Kind.Template) return { kind: 'string', value: this.#cook(token, name) };
    if (token.kind === Kind.TemplateWithSubstitution) {
      this.#fail(`${EXPECTED[name]}; a template literal with \${…} is not a literal`, token.start);
    }
    if (isWord(token, 'null')) return { kind: 'null' };
    if (isPunct(token, '[')) return this.#array(name);
    this.#fail(EXPECTED[name], token.start);
  }

  #array(name: HeaderName): Literal {
    const sc = this.#scanner;
    const values: string[] = [];
    const offsets: number[] = [];
    for (;;) {
      let token = sc.next();
      if (isPunct(token, ']')) break;
      if (token.kind !== Kind.String && token.kind !== Kind.Template) this.#fail(EXPECTED[name], token.start);
      values.push(this.#cook(token, name));
      offsets.push(token.start);
      token = sc.next();
      if (isPunct(token, ']')) break;
      if (!isPunct(token, ',')) this.#fail(EXPECTED[name], token.start);
    }
    return { kind: 'array', values, offsets };
  }

  #cook(token: Token, name: HeaderName): string {
    if (!token.terminated) this.#fail(`${name}: unterminated string`, token.start);
    return detached(cookString(this.#source.slice(token.start + 1, token.end - 1), token.kind === Kind.Template));
  }

  /**
   * Fails on a header declared after the prologue (`from`; `code` is the statement that ended it,
   * absent when all six headers were read or the file ended).
   *
   * Why a textual search: finding top-level declarations exactly would mean tokenizing every code
   * body, that is a full JavaScript lexer (regular expression literals, nested templates), which
   * is what this reader does without. Instead each {@link LATE_EXPORT} match that starts a
   * statement by the look of its own line (see {@link startsStatement}) is read with the
   * prologue's scanner, which skips comments between its tokens. Telling whether that line sits
   * inside a block comment or a template string would again need the whole lexer, so such a line
   * counts too: a false alarm names the line and is fixed by rewording it, whereas skipping a
   * real declaration would silently read the wrong header. A header exported from a `namespace`
   * on a line of its own is refused the same way.
   */
  #rejectLateHeaders(from: number, code: Token | undefined): void {
    const src = this.#source;
    LATE_EXPORT.lastIndex = from;
    for (let match = LATE_EXPORT.exec(src); match; match = LATE_EXPORT.exec(src)) {
      const at = match.index;
      if (at !== from && !startsStatement(src, at)) continue;
      const sc = new Scanner(src, at);
      if (!isWord(sc.next(), 'export')) continue; // `exportconst`
      const keyword = sc.next();
      if (isPunct(keyword, '{')) {
        this.#exportList(sc);
        continue;
      }
      if (!(isWord(keyword, 'const') || isWord(keyword, 'let') || isWord(keyword, 'var'))) continue;
      const name = sc.next();
      if (!(name.kind === Kind.Word && HEADER_NAMES.has(name.value))) continue;
      const first = this.#found.get(name.value as HeaderName);
      if (first) this.#fail(`${name.value} is declared twice (first on line ${lineAt(src, first.at)})`, name.start);
      this.#failIfMisspelled();
      const codeLine = lineAt(src, code ? code.start : from);
      this.#fail(
        `${name.value} is declared after other code (from line ${codeLine}); declare the six headers as ` +
          `'export const NAME = …;' right after the imports and comments, before any other statement ` +
          `(a line like this counts even inside a block comment or string)`,
        name.start,
      );
    }
  }

  /** `export { a, b as revision }` (after `{`): a header exported this way cannot be read statically. */
  #exportList(sc: Scanner): void {
    let last: Token | undefined;
    for (;;) {
      const token = sc.next();
      if (token.kind === Kind.Eof) return;
      if (!isPunct(token, ',') && !isPunct(token, '}')) {
        last = token;
        continue;
      }
      // `b as revision`, `revision`, `x as 'revision'` (a string name, read without its escapes)
      const exported = last?.kind === Kind.Word ? last.value : last?.kind === Kind.String ? this.#source.slice(last.start + 1, last.end - 1) : '';
      if (last && HEADER_NAMES.has(exported)) {
        this.#fail(`${exported} must be declared as 'export const ${exported} = …;' so it can be read without running the file`, last.start);
      }
      if (isPunct(token, '}')) return;
      last = undefined;
    }
  }

  #assemble(): RevisionHeader {
    const found = this.#found;
    const revision = found.get('revision');
    if (!revision) {
      this.#failIfMisspelled();
      this.#fail("revision is missing (expected: export const revision = '<id>';)");
    }
    if (revision.literal.kind !== 'string') this.#fail(EXPECTED.revision, revision.at);
    const id = revision.literal.value;
    if (!REVISION_ID_PATTERN.test(id)) {
      this.#fail(`revision '${id}' is not a valid revision id (1 to 32 letters, digits or _)`, revision.at);
    }

    const down = found.get('downRevision');
    if (!down) {
      this.#failIfMisspelled();
      this.#fail("downRevision is missing (expected: export const downRevision = '<id>', ['<id>', '<id>'] or null;)");
    }
    const downRevisions = listOf(down);
    for (let i = 0; i < downRevisions.length; i++) {
      const value = downRevisions[i]!;
      const at = offsetOf(down, i);
      if (!REVISION_ID_PATTERN.test(value)) {
        this.#fail(`downRevision names '${value}', which is not a valid revision id (1 to 32 letters, digits or _)`, at);
      }
      if (downRevisions.indexOf(value) < i) this.#fail(`downRevision names '${value}' twice`, at);
    }

    const branchLabels = this.#optionalList('branchLabels');
    const dependsOn = this.#optionalList('dependsOn');

    const messageFound = found.get('message');
    let message = '';
    if (messageFound) {
      if (messageFound.literal.kind === 'array') this.#fail(EXPECTED.message, messageFound.at);
      if (messageFound.literal.kind === 'string') message = messageFound.literal.value;
    }

    const dateFound = found.get('createDate');
    let createDate: string | undefined;
    if (dateFound) {
      if (dateFound.literal.kind === 'array') this.#fail(EXPECTED.createDate, dateFound.at);
      if (dateFound.literal.kind === 'string') createDate = dateFound.literal.value;
    }

    const header: { -readonly [K in keyof RevisionHeader]: RevisionHeader[K] } = {
      revision: id,
      downRevisions: Object.freeze(downRevisions),
      branchLabels: Object.freeze(branchLabels),
      dependsOn: Object.freeze(dependsOn),
      message,
    };
    if (createDate !== undefined) header.createDate = createDate;
    return Object.freeze(header);
  }

  #optionalList(name: 'branchLabels' | 'dependsOn'): string[] {
    const found = this.#found.get(name);
    if (!found) return [];
    const values = listOf(found);
    for (let i = 0; i < values.length; i++) {
      if (values[i]!.trim() === '') this.#fail(`${name} holds an empty name`, offsetOf(found, i));
    }
    return values;
  }
}

function listOf(found: Found): string[] {
  const literal = found.literal;
  if (literal.kind === 'null') return [];
  if (literal.kind === 'string') return [literal.value];
  return [...literal.values];
}

function offsetOf(found: Found, index: number): number {
  return found.literal.kind === 'array' ? (found.literal.offsets[index] ?? found.at) : found.at;
}

/**
 * A copy of `text` that does not keep the file's text alive. V8 makes a slice of 13 characters or
 * more (a createDate, a long message) a view into its parent string, so a header kept for the
 * whole command would keep its file's whole source in memory: 5,000 revisions held ~3.5 MB of
 * sources that way, and every young collection copied them again. A string concatenated
 * with another is flattened into a new string when sliced, and the slice then points into that
 * small copy.
 */
function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** `\u{…}`, `\uXXXX`, `\xXX`, a line continuation, or any other escaped character. */
const ESCAPE = /\\(?:u\{([0-9A-Fa-f]+)\}|u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|(\r\n?|[\n\u2028\u2029])|([^]))/g;

/** Decodes the escapes of a string or template body (without its quotes). */
function cookString(raw: string, template: boolean): string {
  const text = template ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('\\')) return text;
  return text.replace(ESCAPE, (_all, point?: string, unit?: string, byte?: string, continuation?: string, char?: string) => {
    if (point !== undefined) return String.fromCodePoint(parseInt(point, 16));
    const code = unit ?? byte;
    if (code !== undefined) return String.fromCharCode(parseInt(code, 16));
    if (continuation !== undefined) return '';
    return SIMPLE_ESCAPES[char!] ?? char!;
  });
}
