import { ScriptError } from '../errors.js';
import { REVISION_ID_PATTERN, type RevisionHeader } from './revision-script.js';

/** The six header names read statically (DESIGN §5). */
const HEADER_NAMES: ReadonlySet<string> = new Set([
  'revision',
  'downRevision',
  'branchLabels',
  'dependsOn',
  'message',
  'createDate',
]);
type HeaderName = 'revision' | 'downRevision' | 'branchLabels' | 'dependsOn' | 'message' | 'createDate';

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
 * Exactly six names are read: `revision`, `downRevision`, `branchLabels`, `dependsOn`, `message`
 * and `createDate`, each as a top-level `export const NAME = LITERAL;` where LITERAL is a string
 * (`'…'`, `"…"`, or a backtick string without `${`), `null`, or an array of strings. A type
 * annotation (`: string | null`, `: readonly string[]`) or a trailing `as const` is allowed, the
 * declaration may span several lines, and comments may sit between any two tokens. Text inside
 * strings, template literals, comments and nested blocks is skipped, so a header name there does
 * not count. Other exports (`transaction`, `upgrade`) are not read here: they are read at import.
 * Scanning stops as soon as all six headers are found; a later duplicate declaration is then left
 * to the import (it is a syntax error there).
 *
 * Normalization: `downRevision` `'a'` → `['a']`, `['a', 'b']` (merge) → both, `null` → `[]`
 * (branch root). `branchLabels` and `dependsOn` take an array, a single string or `null`
 * (default `[]`). `message` defaults to `''` (`null` is read as `''`); `createDate` is omitted
 * when absent or `null`.
 *
 * @param source - the file's text.
 * @param file - the file's path, used verbatim in error messages and in {@link ScriptError.file}.
 * @returns the header, frozen.
 * @throws {@link ScriptError} (with `file` and the 1-based `line`, also in the message as
 *   `file:line: …`) when a header value is not a literal of the right kind (a call, an
 *   identifier, a number, a template with `${…}`), a header is declared twice or with `let`/`var`
 *   or through `export { … }`, `revision` or `downRevision` is missing, or an id breaks
 *   {@link REVISION_ID_PATTERN}.
 * @example
 * ```ts
 * const header = parseRevisionHeader(
 *   "export const revision = '3f2a9c1d7b40';\nexport const downRevision = null;\n",
 *   'migrations/versions/db2/3f2a9c1d7b40_init.ts',
 * );
 * header.downRevisions; // []
 * ```
 */
export function parseRevisionHeader(source: string, file: string): RevisionHeader {
  return new HeaderReader(source, file).read();
}

// ---------------------------------------------------------------------------------------------
// Tokenizer: just enough of JavaScript/TypeScript lexing to skip strings, templates (with nested
// `${…}`), comments and regular expressions, and to know the brace/paren/bracket depth.

const Kind = {
  Eof: 0,
  Ident: 1,
  Number: 2,
  /** A `'…'` or `"…"` string. */
  String: 3,
  /** A backtick string without substitutions. */
  Template: 4,
  /** The part of a template up to `${` (its start, or a middle after `}`). */
  TemplateHead: 5,
  /** The part of a template from `}` to the closing backtick. */
  TemplateTail: 6,
  Regex: 7,
  Punct: 8,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Token {
  readonly kind: Kind;
  readonly start: number;
  readonly end: number;
  /** 1-based line of the token's first character. */
  readonly line: number;
  /** A line break (or a comment holding one) precedes the token. */
  readonly newlineBefore: boolean;
  /** Identifier name or punctuator character; `''` for other kinds. */
  readonly value: string;
  /** For strings and templates: whether the closing quote was found. */
  readonly terminated: boolean;
}

const Nest = { Brace: 0, Paren: 1, Bracket: 2, Template: 3 } as const;
type Nest = (typeof Nest)[keyof typeof Nest];

/** Keywords after which `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORD: ReadonlySet<string> = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do',
  'else', 'yield', 'await', 'extends',
]);

const CH_NL = 10;
const CH_CR = 13;
const CH_SLASH = 47;
const CH_STAR = 42;
const CH_BACKSLASH = 92;
const CH_BACKTICK = 96;
const CH_DOLLAR = 36;
const CH_LBRACE = 123;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === CH_DOLLAR || c === CH_BACKSLASH || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

class Scanner {
  readonly #src: string;
  #pos = 0;
  #line = 1;
  readonly #nest: Nest[] = [];
  #prev: Token | undefined;
  #peeked: Token | undefined;

  constructor(src: string) {
    this.#src = src;
    if (src.charCodeAt(0) === 0xfeff) this.#pos = 1;
    if (src.startsWith('#!', this.#pos)) {
      const nl = src.indexOf('\n', this.#pos);
      this.#pos = nl < 0 ? src.length : nl;
    }
  }

  /** The source text of a token. */
  text(token: Token): string {
    return this.#src.slice(token.start, token.end);
  }

  /** Nesting depth after the last token returned by {@link next} (0 at the top level). */
  get depth(): number {
    return this.#nest.length;
  }

  peek(): Token {
    this.#peeked ??= this.#scan();
    return this.#peeked;
  }

  next(): Token {
    const token = this.#peeked ?? this.#scan();
    this.#peeked = undefined;
    return token;
  }

  #scan(): Token {
    const newlineBefore = this.#skipTrivia();
    const token = this.#token(newlineBefore);
    this.#prev = token;
    return token;
  }

  /** Skips whitespace and comments; returns whether a line break was crossed. */
  #skipTrivia(): boolean {
    const src = this.#src;
    const len = src.length;
    let newline = false;
    while (this.#pos < len) {
      const c = src.charCodeAt(this.#pos);
      if (c === CH_NL) {
        this.#line++;
        newline = true;
        this.#pos++;
      } else if (c === CH_CR) {
        if (src.charCodeAt(this.#pos + 1) !== CH_NL) this.#line++;
        newline = true;
        this.#pos++;
      } else if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
        this.#pos++;
      } else if (c === CH_SLASH && src.charCodeAt(this.#pos + 1) === CH_SLASH) {
        const nl = src.indexOf('\n', this.#pos);
        this.#pos = nl < 0 ? len : nl;
      } else if (c === CH_SLASH && src.charCodeAt(this.#pos + 1) === CH_STAR) {
        const close = src.indexOf('*/', this.#pos + 2);
        const end = close < 0 ? len : close + 2;
        const lines = this.#countLines(this.#pos, end);
        if (lines > 0) newline = true;
        this.#line += lines;
        this.#pos = end;
      } else {
        break;
      }
    }
    return newline;
  }

  #countLines(from: number, to: number): number {
    let n = 0;
    let i = this.#src.indexOf('\n', from);
    while (i >= 0 && i < to) {
      n++;
      i = this.#src.indexOf('\n', i + 1);
    }
    return n;
  }

  #make(kind: Kind, start: number, line: number, newlineBefore: boolean, value = '', terminated = true): Token {
    return { kind, start, end: this.#pos, line, newlineBefore, value, terminated };
  }

  #token(newlineBefore: boolean): Token {
    const src = this.#src;
    const start = this.#pos;
    const line = this.#line;
    if (start >= src.length) return this.#make(Kind.Eof, start, line, newlineBefore);
    const c = src.charCodeAt(start);

    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      this.#pos = i;
      return this.#make(Kind.Ident, start, line, newlineBefore, src.slice(start, i));
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(start + 1)))) {
      let i = start + 1;
      while (i < src.length && (isIdentPart(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++;
      this.#pos = i;
      return this.#make(Kind.Number, start, line, newlineBefore);
    }
    if (c === 39 || c === 34) return this.#string(c, start, line, newlineBefore);
    if (c === CH_BACKTICK) {
      this.#pos = start + 1;
      return this.#template(start, line, newlineBefore, true);
    }
    if (c === CH_SLASH && this.#regexAllowed()) return this.#regex(start, line, newlineBefore);

    this.#pos = start + 1;
    switch (c) {
      case CH_LBRACE:
        this.#nest.push(Nest.Brace);
        break;
      case 40: // (
        this.#nest.push(Nest.Paren);
        break;
      case 91: // [
        this.#nest.push(Nest.Bracket);
        break;
      case 125: // }
        if (this.#nest[this.#nest.length - 1] === Nest.Template) {
          this.#nest.pop();
          return this.#template(start, line, newlineBefore, false);
        }
        this.#nest.pop();
        break;
      case 41: // )
      case 93: // ]
        this.#nest.pop();
        break;
    }
    return this.#make(Kind.Punct, start, line, newlineBefore, src[start]);
  }

  #string(quote: number, start: number, line: number, newlineBefore: boolean): Token {
    const src = this.#src;
    let i = start + 1;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === quote) {
        this.#pos = i + 1;
        return this.#make(Kind.String, start, line, newlineBefore);
      }
      if (c === CH_BACKSLASH) {
        const n = src.charCodeAt(i + 1);
        if (n === CH_NL) this.#line++;
        else if (n === CH_CR) {
          this.#line++;
          if (src.charCodeAt(i + 2) === CH_NL) i++;
        }
        i += 2;
        continue;
      }
      if (c === CH_NL || c === CH_CR) break; // unterminated: stop at the line break
      i++;
    }
    this.#pos = Math.min(i, src.length);
    return this.#make(Kind.String, start, line, newlineBefore, '', false);
  }

  /** Scans template text from the current position (after `` ` `` or `}`) to `` ` `` or `${`. */
  #template(start: number, line: number, newlineBefore: boolean, fromBacktick: boolean): Token {
    const src = this.#src;
    let i = this.#pos;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === CH_BACKTICK) {
        this.#pos = i + 1;
        return this.#make(fromBacktick ? Kind.Template : Kind.TemplateTail, start, line, newlineBefore);
      }
      if (c === CH_DOLLAR && src.charCodeAt(i + 1) === CH_LBRACE) {
        this.#pos = i + 2;
        this.#nest.push(Nest.Template);
        return this.#make(Kind.TemplateHead, start, line, newlineBefore);
      }
      if (c === CH_BACKSLASH) {
        if (src.charCodeAt(i + 1) === CH_NL) this.#line++;
        i += 2;
        continue;
      }
      if (c === CH_NL) this.#line++;
      i++;
    }
    this.#pos = src.length;
    return this.#make(fromBacktick ? Kind.Template : Kind.TemplateTail, start, line, newlineBefore, '', false);
  }

  #regexAllowed(): boolean {
    const prev = this.#prev;
    if (!prev) return true;
    switch (prev.kind) {
      case Kind.Punct:
        return prev.value !== ')' && prev.value !== ']';
      case Kind.Ident:
        return REGEX_AFTER_KEYWORD.has(prev.value);
      case Kind.TemplateHead:
        return true;
      default:
        return false;
    }
  }

  #regex(start: number, line: number, newlineBefore: boolean): Token {
    const src = this.#src;
    let i = start + 1;
    let inClass = false;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === CH_NL || c === CH_CR) break; // unterminated: not a regex after all, resume at the line break
      if (c === CH_BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === CH_SLASH && !inClass) {
        i++;
        while (i < src.length && isIdentPart(src.charCodeAt(i))) i++; // flags
        break;
      }
      i++;
    }
    this.#pos = Math.min(i, src.length);
    return this.#make(Kind.Regex, start, line, newlineBefore);
  }
}

// ---------------------------------------------------------------------------------------------
// Header reading over the token stream.

type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly values: readonly string[]; readonly lines: readonly number[] };

interface Found {
  readonly literal: Literal;
  readonly line: number;
}

/** Binary-operator keywords: a value followed by one on the next line continues the expression. */
const CONTINUES_EXPRESSION: ReadonlySet<string> = new Set(['in', 'instanceof', 'as', 'satisfies']);

/** Punctuators allowed in a header's type annotation (`readonly string[]`, `Array<string> | null`). */
const ANNOTATION_PUNCT: ReadonlySet<string> = new Set(['|', '&', '[', ']', '<', '>', '(', ')', ',', '.']);

class HeaderReader {
  readonly #scanner: Scanner;
  readonly #source: string;
  readonly #file: string;
  readonly #found = new Map<HeaderName, Found>();

  constructor(source: string, file: string) {
    this.#source = source;
    this.#file = file;
    this.#scanner = new Scanner(source);
  }

  read(): RevisionHeader {
    const sc = this.#scanner;
    let prev: Token | undefined;
    while (this.#found.size < HEADER_NAMES.size) {
      const token = sc.next();
      if (token.kind === Kind.Eof) break;
      if (
        token.kind === Kind.Ident &&
        token.value === 'export' &&
        sc.depth === 0 &&
        !(prev?.kind === Kind.Punct && prev.value === '.')
      ) {
        this.#afterExport();
        prev = undefined;
      } else {
        prev = token;
      }
    }
    return this.#assemble();
  }

  #fail(message: string, line?: number): never {
    const where = line === undefined ? this.#file : `${this.#file}:${line}`;
    throw new ScriptError(`${where}: ${message}`, this.#file, line);
  }

  #afterExport(): void {
    const sc = this.#scanner;
    const next = sc.next();
    if (next.kind === Kind.Ident && next.value === 'const') {
      const name = sc.next();
      if (name.kind === Kind.Ident && HEADER_NAMES.has(name.value)) this.#declaration(name.value as HeaderName, name.line);
    } else if (next.kind === Kind.Ident && (next.value === 'let' || next.value === 'var')) {
      const name = sc.next();
      if (name.kind === Kind.Ident && HEADER_NAMES.has(name.value)) {
        this.#fail(`${name.value} must be declared with 'export const', not '${next.value}'`, name.line);
      }
    } else if (next.kind === Kind.Punct && next.value === '{') {
      this.#exportList();
    }
  }

  /** `export { a, b as revision }`: a header exported this way cannot be read statically. */
  #exportList(): void {
    const sc = this.#scanner;
    for (;;) {
      const token = sc.next();
      if (token.kind === Kind.Eof || (token.kind === Kind.Punct && token.value === '}')) return;
      if (token.kind !== Kind.Ident) continue;
      let exported = token;
      const after = sc.peek();
      if (after.kind === Kind.Ident && after.value === 'as') {
        sc.next();
        exported = sc.next();
      }
      if (exported.kind === Kind.Ident && HEADER_NAMES.has(exported.value)) {
        this.#fail(
          `${exported.value} must be declared as 'export const ${exported.value} = …;' so it can be read without running the file`,
          exported.line,
        );
      }
    }
  }

  #declaration(name: HeaderName, line: number): void {
    const sc = this.#scanner;
    const first = this.#found.get(name);
    if (first) this.#fail(`${name} is declared twice (first on line ${first.line})`, line);

    let token = sc.next();
    if (token.kind === Kind.Punct && token.value === ':') {
      for (;;) {
        token = sc.next();
        if (token.kind === Kind.Punct && token.value === '=') break;
        const ok =
          token.kind === Kind.Ident ||
          token.kind === Kind.String ||
          (token.kind === Kind.Punct && ANNOTATION_PUNCT.has(token.value));
        if (!ok) {
          this.#fail(
            token.kind === Kind.Eof || (token.kind === Kind.Punct && token.value === ';')
              ? `${name} needs a value: export const ${name} = …;`
              : `${name} has an unsupported type annotation (use e.g. ': string | null' or ': readonly string[]')`,
            token.line,
          );
        }
      }
    }
    if (!(token.kind === Kind.Punct && token.value === '=')) {
      this.#fail(`${name} needs a value: export const ${name} = …;`, token.line);
    }

    const valueToken = sc.peek();
    const literal = this.#literal(name);

    token = sc.peek();
    if (token.kind === Kind.Ident && token.value === 'as') {
      sc.next();
      const c = sc.next();
      if (!(c.kind === Kind.Ident && c.value === 'const')) {
        this.#fail(`${EXPECTED[name]}; only 'as const' may follow the value`, c.line);
      }
      token = sc.peek();
    }
    if (token.kind === Kind.Punct && token.value === ';') {
      sc.next();
    } else if (token.kind === Kind.Eof) {
      // end of file ends the statement
    } else if (token.newlineBefore && token.kind === Kind.Ident && !CONTINUES_EXPRESSION.has(token.value)) {
      // automatic semicolon insertion: the next statement starts on a new line
    } else if (token.kind === Kind.Punct && token.value === ',') {
      this.#fail(`declare one header per statement: export const ${name} = …;`, token.line);
    } else {
      this.#fail(`${EXPECTED[name]}, written as a literal alone (export const ${name} = …;)`, token.line);
    }
    this.#found.set(name, { literal, line: valueToken.line });
  }

  #literal(name: HeaderName): Literal {
    const sc = this.#scanner;
    const token = sc.next();
    switch (token.kind) {
      case Kind.String:
      case Kind.Template:
        return { kind: 'string', value: this.#cook(token, name) };
      case Kind.TemplateHead:
        return this.#fail(`${EXPECTED[name]}; a template literal with \${…} is not a literal`, token.line);
      case Kind.Ident:
        if (token.value === 'null') return { kind: 'null' };
        break;
      case Kind.Punct:
        if (token.value === '[') return this.#array(name);
        break;
      default:
        break;
    }
    this.#fail(EXPECTED[name], token.line);
  }

  #array(name: HeaderName): Literal {
    const sc = this.#scanner;
    const values: string[] = [];
    const lines: number[] = [];
    for (;;) {
      let token = sc.next();
      if (token.kind === Kind.Punct && token.value === ']') break;
      if (token.kind !== Kind.String && token.kind !== Kind.Template) this.#fail(EXPECTED[name], token.line);
      values.push(this.#cook(token, name));
      lines.push(token.line);
      token = sc.next();
      if (token.kind === Kind.Punct && token.value === ']') break;
      if (!(token.kind === Kind.Punct && token.value === ',')) this.#fail(EXPECTED[name], token.line);
    }
    return { kind: 'array', values, lines };
  }

  #cook(token: Token, name: HeaderName): string {
    if (!token.terminated) this.#fail(`${name}: unterminated string`, token.line);
    const raw = this.#source.slice(token.start + 1, token.end - 1);
    return cookString(raw, token.kind === Kind.Template);
  }

  #assemble(): RevisionHeader {
    const found = this.#found;
    const revision = found.get('revision');
    if (!revision) this.#fail("revision is missing (expected: export const revision = '<id>';)");
    if (revision.literal.kind !== 'string') this.#fail(EXPECTED.revision, revision.line);
    const id = revision.literal.value;
    if (!REVISION_ID_PATTERN.test(id)) {
      this.#fail(`revision '${id}' is not a valid revision id (1 to 32 letters, digits or _)`, revision.line);
    }

    const down = found.get('downRevision');
    if (!down) {
      this.#fail("downRevision is missing (expected: export const downRevision = '<id>', ['<id>', '<id>'] or null;)");
    }
    const downRevisions = listOf(down);
    const seen = new Set<string>();
    downRevisions.forEach((value, i) => {
      const line = lineOf(down, i);
      if (!REVISION_ID_PATTERN.test(value)) {
        this.#fail(`downRevision names '${value}', which is not a valid revision id (1 to 32 letters, digits or _)`, line);
      }
      if (seen.has(value)) this.#fail(`downRevision names '${value}' twice`, line);
      seen.add(value);
    });

    const branchLabels = this.#optionalList('branchLabels');
    const dependsOn = this.#optionalList('dependsOn');

    const messageFound = found.get('message');
    let message = '';
    if (messageFound) {
      if (messageFound.literal.kind === 'array') this.#fail(EXPECTED.message, messageFound.line);
      if (messageFound.literal.kind === 'string') message = messageFound.literal.value;
    }

    const dateFound = found.get('createDate');
    let createDate: string | undefined;
    if (dateFound) {
      if (dateFound.literal.kind === 'array') this.#fail(EXPECTED.createDate, dateFound.line);
      if (dateFound.literal.kind === 'string') createDate = dateFound.literal.value;
    }

    const header: RevisionHeader = {
      revision: id,
      downRevisions: Object.freeze(downRevisions),
      branchLabels: Object.freeze(branchLabels),
      dependsOn: Object.freeze(dependsOn),
      message,
      ...(createDate === undefined ? {} : { createDate }),
    };
    return Object.freeze(header);
  }

  #optionalList(name: 'branchLabels' | 'dependsOn'): string[] {
    const found = this.#found.get(name);
    if (!found) return [];
    const values = listOf(found);
    values.forEach((value, i) => {
      if (value.trim() === '') this.#fail(`${name} holds an empty name`, lineOf(found, i));
    });
    return values;
  }
}

function listOf(found: Found): string[] {
  const literal = found.literal;
  if (literal.kind === 'null') return [];
  if (literal.kind === 'string') return [literal.value];
  return [...literal.values];
}

function lineOf(found: Found, index: number): number {
  return found.literal.kind === 'array' ? (found.literal.lines[index] ?? found.line) : found.line;
}

/** Decodes the escapes of a string or template body (without its quotes). */
function cookString(raw: string, template: boolean): string {
  const text = template ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('\\')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const n = text[i + 1];
    i += 2;
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '0': out += '\0'; break;
      case 'x': {
        out += String.fromCharCode(parseInt(text.slice(i, i + 2), 16));
        i += 2;
        break;
      }
      case 'u': {
        if (text[i] === '{') {
          const close = text.indexOf('}', i);
          out += String.fromCodePoint(parseInt(text.slice(i + 1, close), 16));
          i = close + 1;
        } else {
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        }
        break;
      }
      case '\r':
        if (text[i] === '\n') i++;
        break;
      case '\n':
      case '\u2028':
      case '\u2029':
        break; // line continuation
      case undefined:
        break;
      default:
        out += n;
    }
  }
  return out;
}
