import { OperationError } from '../errors.js';

/**
 * A parsed column type: `'varchar(3)'` becomes `{ name: 'varchar', args: [3] }`,
 * `'numeric(10,2)'` becomes `{ name: 'numeric', args: [10, 2] }`, `'timestamp with time zone'`
 * becomes `{ name: 'timestamp with time zone', args: [] }`, `'integer[]'` sets `array`.
 * Names are lower-cased with single spaces. Dialects render it with their own type map.
 */
export interface ColumnType {
  /**
   * The type's name, lower-cased with single spaces (`'varchar'`, `'double precision'`,
   * `'int unsigned'`); `'enum'` for a named enum.
   */
  readonly name: string;
  /** Length, precision/scale or enum members, in order. */
  readonly args: readonly (number | string)[];
  /** Words that follow the arguments, e.g. `['unsigned']` or `['with', 'time', 'zone']`. */
  readonly modifiers: readonly string[];
  /** PostgreSQL array type (`text[]`). */
  readonly array: boolean;
  /**
   * A named enum (see {@link enumType}): its members are `args`, and `name` is `'enum'`.
   * PostgreSQL renders the named type (created by `op.createEnum`); MySQL/MariaDB an inline
   * `ENUM(…)`; SQLite text. Omitted for every other type.
   */
  readonly enumName?: string;
  /**
   * PostgreSQL: the schema of the enum type named by {@link enumName}, when it is not the
   * connection's current schema (a models enum declared with its own `schema`). Omitted otherwise.
   */
  readonly enumSchema?: string;
}

/** What a column type may be given as: a type string or an already parsed {@link ColumnType}. */
export type ColumnTypeInput = string | ColumnType;

const WORD = /^[a-z_][a-z0-9_]*$/;

/**
 * Parses and validates a column type string.
 *
 * @param input - e.g. `'varchar(3)'`, `'NUMERIC(10, 2)'`, `'nvarchar(40)'`, `'int unsigned'`,
 *   `"enum('a','b')"`, `'text[]'`; or an already parsed type (returned as is, frozen).
 * @returns a frozen {@link ColumnType}.
 * @throws {@link OperationError} when the string is not a type (empty, unbalanced parentheses,
 *   a non-numeric length, stray characters such as `;`).
 * @example
 * ```ts
 * parseColumnType('varchar(3)'); // { name: 'varchar', args: [3], modifiers: [], array: false }
 * ```
 */
export function parseColumnType(input: ColumnTypeInput): ColumnType {
  if (typeof input !== 'string') {
    if (!input || typeof input.name !== 'string' || !Array.isArray(input.args)) {
      throw new OperationError(
        `Invalid column type: ${JSON.stringify(input)}: write it as text ('varchar(10)', 'numeric(10,2)'), or for an enum enumType('name', ['a', 'b']) (or name an enum the models declare).`,
      );
    }
    return Object.isFrozen(input) ? input : Object.freeze({ ...input, args: Object.freeze([...input.args]), modifiers: Object.freeze([...(input.modifiers ?? [])]), array: input.array ?? false });
  }
  // Models of 1,000 tables parse the same few type strings 10,000 times per comparison; the
  // result is frozen, so one parse per string can be shared.
  const cached = PARSED.get(input);
  if (cached) return cached;
  const parsed = parseTypeString(input);
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(input, parsed);
  return parsed;
}

/** Type strings already parsed (bounded: cleared when full). */
const PARSED = new Map<string, ColumnType>();
const PARSED_LIMIT = 4096;

function parseTypeString(input: string): ColumnType {
  let text = input.trim();
  const fail = (why: string): never => {
    throw new OperationError(`Invalid column type '${input}': ${why}.`);
  };
  if (!text) fail('it is empty');
  let array = false;
  if (text.endsWith('[]')) {
    array = true;
    text = text.slice(0, -2).trimEnd();
  }
  const open = text.indexOf('(');
  let head = text;
  let args: (number | string)[] = [];
  let tail = '';
  if (open >= 0) {
    const close = findClose(text, open);
    if (close < 0) fail('unbalanced parentheses');
    head = text.slice(0, open);
    args = parseArgs(text.slice(open + 1, close), fail);
    tail = text.slice(close + 1);
  }
  const nameWords = head.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const modifiers = tail.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (nameWords.length === 0) fail('it has no type name');
  for (const w of [...nameWords, ...modifiers]) if (!WORD.test(w)) fail(`'${w}' is not a type word`);
  return Object.freeze({
    name: nameWords.join(' '),
    args: Object.freeze(args),
    modifiers: Object.freeze(modifiers),
    array,
  });
}

function findClose(text: string, open: number): number {
  let inQuote = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      if (inQuote && text[i + 1] === "'") i++;
      else inQuote = !inQuote;
    } else if (!inQuote && c === ')') return i;
    else if (!inQuote && c === '(') return -1;
  }
  return -1;
}

function parseArgs(inner: string, fail: (why: string) => never): (number | string)[] {
  const out: (number | string)[] = [];
  const re = /\s*(?:'((?:[^']|'')*)'|(-?\d+))\s*(,|$)/y;
  let pos = 0;
  if (!inner.trim()) fail('empty parentheses');
  while (pos < inner.length) {
    re.lastIndex = pos;
    const m = re.exec(inner);
    if (!m) fail(`bad argument list '(${inner})'`);
    const match = m as RegExpExecArray;
    out.push(match[1] !== undefined ? match[1].replace(/''/g, "'") : Number(match[2]));
    pos = re.lastIndex;
    if (match[3] === '') break;
    // A comma must be followed by another argument: `numeric(10,)` is not a type.
    if (pos >= inner.length) fail(`bad argument list '(${inner})'`);
  }
  return out;
}

/**
 * Renders a parsed type back to a canonical string (`varchar(3)`, `numeric(10,2)`), the form
 * autogenerate writes into revision files and error messages show.
 *
 * @example
 * ```ts
 * formatColumnType(parseColumnType('NUMERIC(10, 2)')); // 'numeric(10,2)'
 * ```
 */
export function formatColumnType(type: ColumnType): string {
  const args = type.args.length
    ? `(${type.args.map((a) => (typeof a === 'number' ? String(a) : `'${a.replace(/'/g, "''")}'`)).join(',')})`
    : '';
  const mods = type.modifiers.length ? ` ${type.modifiers.join(' ')}` : '';
  return `${type.name}${args}${mods}${type.array ? '[]' : ''}`;
}

/**
 * The length of an enum's (or SET's) longest member in characters: Unicode code points, as
 * MySQL/MariaDB (`CHAR_LENGTH`), PostgreSQL (`varchar(n)`) and SQLite (`length()`) count a string,
 * not JavaScript's UTF-16 code units (an emoji such as '🌧' is one character, two units). This is
 * the `n` of the `varchar(n)` an enum becomes where the database has no enum of that kind (SQLite,
 * an inline enum on PostgreSQL), and the size a string column needs to hold every member.
 *
 * @param type - a parsed type; its string arguments are the members (numbers are ignored).
 * @returns the longest member's length in characters; 0 when it has no string argument.
 * @example
 * ```ts
 * import { longestMemberLength, parseColumnType } from '@multidb/core';
 * longestMemberLength(parseColumnType("enum('ok','🌧')")); // 2 ('ok'; '🌧' is one character)
 * ```
 */
export function longestMemberLength(type: ColumnType): number {
  let longest = 0;
  for (const arg of type.args) {
    if (typeof arg !== 'string') continue;
    let characters = 0;
    for (const _ of arg) characters++;
    if (characters > longest) longest = characters;
  }
  return longest;
}

/**
 * The type of a column that holds one member of a named enum (SQLAlchemy's `Enum(name=…)`).
 * PostgreSQL stores it as the enum type `name` (which `op.createEnum` creates, or a models
 * module's `enums` declares); MySQL/MariaDB as an inline `ENUM('…')`; SQLite as text.
 *
 * @param name - the enum type's name (PostgreSQL identifier).
 * @param values - the members, in order (case-sensitive).
 * @param schema - PostgreSQL: the enum type's schema; omitted: the current schema.
 * @returns a frozen {@link ColumnType} `{ name: 'enum', args: values, enumName: name }` (and
 *   `enumSchema` when a schema is given).
 * @throws {@link OperationError} for an empty name or no members.
 * @example
 * ```ts
 * import { enumType } from '@multidb/core';
 * const mood = enumType('mood', ['sad', 'ok', 'happy']);
 * mood.args; // ['sad', 'ok', 'happy']
 * ```
 */
export function enumType(name: string, values: readonly string[], schema?: string): ColumnType {
  if (typeof name !== 'string' || !name.trim()) throw new OperationError(`An enum type needs a name (got ${JSON.stringify(name)}).`);
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
    throw new OperationError(`Enum type '${name}' needs at least one member, each a string.`);
  }
  return Object.freeze({ name: 'enum', args: Object.freeze([...values]), modifiers: Object.freeze([]), array: false, enumName: name, ...(schema !== undefined ? { enumSchema: schema } : {}) });
}
