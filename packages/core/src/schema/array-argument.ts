import { OperationError } from '../errors.js';

/** What an array argument of an op holds, for {@link arrayArgument}'s message. */
export interface ArrayArgument {
  /** The call or option, as messages name it: `createTable('account')`, `createIndex on 'Track'`. */
  readonly where: string;
  /** What it takes, after "takes": `its columns as an array of { name, type, ... }`. */
  readonly takes: string;
  /**
   * What the array's elements are, to rewrite what was given as an array: `'named objects'`
   * (columns: an object keyed by column name becomes `[{ name: key, ...value }]`), `'names'`
   * (column names, enum members: a string `s` becomes `['s']`, an object its keys, an `{ sql }`
   * expression `[{ sql }]`), `'objects'` (rows, indexes: one object `o` becomes `[o]`), `'values'`
   * (parameters: a string, number, boolean or bigint `v` becomes `[v]`).
   */
  readonly elements: 'named objects' | 'names' | 'objects' | 'values';
  /** An array to show when what was given says nothing of its elements (`undefined`, a number). */
  readonly example: string;
  /** The option's key, when the array is an option's value: the message then says `write indexes: [...]`. */
  readonly key?: string;
}

/**
 * Checks that an op's array argument is an array (`op.createTable('t', { id: { type: 'integer' } })`
 * is an easy mistake from JavaScript, or through a cast). A value that is not is refused with a
 * message that says what was given and what to write instead, rewritten from it where it can be:
 * `createTable('t') takes its columns as an array of { name, type, ... }, not an object keyed by
 * column name: write [{ name: 'id', type: 'integer' }].` An array is returned as it is (its
 * elements are checked by the op).
 * @param value - the argument as given.
 * @param argument - the call, what it takes, and the kind of its elements.
 * @returns `value`, typed as an array.
 * @throws {@link OperationError} when `value` is not an array.
 * @example
 * ```ts
 * arrayArgument(['AlbumId'], { where: "createIndex on 'Track'", takes: 'its columns as an array', elements: 'names', example: "['AlbumId']" }); // ['AlbumId']
 * arrayArgument('AlbumId', { where: "createIndex on 'Track'", takes: 'its columns as an array', elements: 'names', example: "['AlbumId']" });
 * // throws OperationError: createIndex on 'Track' takes its columns as an array, not a string ('AlbumId'): write ['AlbumId'].
 * ```
 */
export function arrayArgument<T>(value: unknown, argument: ArrayArgument): readonly T[] {
  if (Array.isArray(value)) return value as readonly T[];
  const { given, suggestion } = rewrite(value, argument.elements);
  const write = `${argument.key === undefined ? '' : `${argument.key}: `}${suggestion ?? argument.example}`;
  throw new OperationError(`${argument.where} takes ${argument.takes}, not ${given}: write ${suggestion === undefined ? 'e.g. ' : ''}${write}.`);
}

/** How many elements a suggestion shows before `…`. */
const SHOWN = 3;

/** What `value` is, in words, and the array it was meant as, when that can be told. */
function rewrite(value: unknown, elements: ArrayArgument['elements']): { given: string; suggestion?: string } {
  const given = described(value);
  if (elements === 'values') return ['string', 'number', 'boolean', 'bigint'].includes(typeof value) ? { given, suggestion: `[${literal(value)}]` } : { given };
  if (typeof value === 'string') return elements === 'names' ? { given, suggestion: `[${literal(value)}]` } : { given };
  if (!isPlainObject(value)) return { given };
  const entries = Object.entries(value);
  switch (elements) {
    case 'named objects':
      if (typeof value['name'] === 'string') return { given: 'one object', suggestion: list([literal(value)]) };
      if (entries.length > 0 && entries.every(([, v]) => isPlainObject(v))) {
        return { given: 'an object keyed by name', suggestion: list(entries.map(([name, v]) => literal({ name, ...(v as object) }))) };
      }
      return { given: 'an object' };
    case 'names':
      if ('sql' in value) return { given: 'one expression object', suggestion: list([literal(value)]) };
      return entries.length > 0 ? { given: 'an object', suggestion: list(entries.map(([name]) => literal(name))) } : { given: 'an empty object' };
    case 'objects':
      return { given: 'one object', suggestion: list([literal(value)]) };
  }
}

/** What each element of an array option holds, for {@link objectElements}'s message. */
export interface ObjectElements {
  /** The call or model, as messages name it: `createTable('account')`, `Model table 'account'`. */
  readonly where: string;
  /** What it takes, after "takes": `each index as an object { columns, name?, unique?, ... }`. */
  readonly takes: string;
  /** The option's key: the message says `write indexes: [...]`. */
  readonly key: string;
  /** The option's value to show when what was given cannot be rewritten: `[{ columns: ['email'] }]`. */
  readonly example: string;
  /**
   * The object an element that is not one was meant as (`'email'` → `{ columns: ['email'] }` for
   * an index), or `undefined` when that cannot be told.
   */
  readonly rewrite?: (element: unknown) => Record<string, unknown> | undefined;
}

/**
 * Checks that each element of an array option is an object (`createTable('t', cols, { indexes:
 * ['email'] })` is an easy mistake: an index is `{ columns: ['email'] }`). An element that is not
 * is refused with a message that says what was given and the option to write instead, rewritten
 * from it where {@link ObjectElements.rewrite} can tell: `createTable('t') takes each index as an
 * object { columns, name?, unique?, ... }, not a string ('email'): write indexes: [{ columns:
 * ['email'] }].` The array is returned as it is (the objects' keys are checked by the caller).
 * @param values - the option's array, as given.
 * @param element - the call, what each element is, the option's key, an example and the rewrite.
 * @returns `values`, typed as objects.
 * @throws {@link OperationError} when an element is not a plain object.
 * @example
 * ```ts
 * const INDEX = { where: "createTable('t')", takes: 'each index as an object { columns, ... }', key: 'indexes', example: "[{ columns: ['email'] }]" };
 * objectElements([{ columns: ['email'] }], INDEX); // the array
 * objectElements(['email'], { ...INDEX, rewrite: (e) => (typeof e === 'string' ? { columns: [e] } : undefined) });
 * // throws OperationError: createTable('t') takes each index as an object { columns, ... }, not a string ('email'): write indexes: [{ columns: ['email'] }].
 * ```
 */
export function objectElements<T extends object>(values: readonly unknown[], element: ObjectElements): readonly T[] {
  const wrong = values.findIndex((v) => !isPlainObject(v));
  if (wrong === -1) return values as readonly T[];
  const meant = values.map((v) => (isPlainObject(v) ? v : element.rewrite?.(v)));
  const write = meant.every((m) => m !== undefined) ? list(meant.map((m) => literal(m))) : undefined;
  throw new OperationError(`${element.where} takes ${element.takes}, not ${described(values[wrong])}: write ${write === undefined ? `e.g. ${element.key}: ${element.example}` : `${element.key}: ${write}`}.`);
}

/** What `value` is, in words: `a string ('id')`, `an array (['id'])`, `a number (3)`, `an object (Map)`, `undefined`. */
function described(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `a string (${literal(value)})`;
  if (Array.isArray(value)) return `an array (${literal(value)})`;
  if (isPlainObject(value)) return 'an object';
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (${describe(value)})`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An array of the rendered elements, the first {@link SHOWN} of them. */
function list(items: readonly string[]): string {
  return `[${items.slice(0, SHOWN).join(', ')}${items.length > SHOWN ? ', …' : ''}]`;
}

/** `value` as a short JavaScript literal (strings single-quoted); what has no literal is `…`. */
function literal(value: unknown, depth = 0): string {
  if (typeof value === 'string') return `'${value.replace(/[\\']/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (depth > 2) return '…';
  if (Array.isArray(value)) return list(value.map((v) => literal(v, depth + 1)));
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const shown = entries.slice(0, 6).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${literal(v, depth + 1)}`);
    return `{ ${shown.join(', ')}${entries.length > 6 ? ', …' : ''} }`;
  }
  return '…';
}

/** A number, boolean, function or other value given as the argument, shortly. */
function describe(value: unknown): string {
  if (typeof value === 'function') return value.name || 'anonymous';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return literal(value);
}
