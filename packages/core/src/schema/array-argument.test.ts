import { describe, expect, it } from 'vitest';
import { operationErrorMessage } from '../testing/operation-error.js';
import { arrayArgument, objectElements, type ArrayArgument, type ObjectElements } from './array-argument.js';

const COLUMNS: ArrayArgument = { where: "createTable('t')", takes: 'its columns as an array of { name, type, ... }', elements: 'named objects', example: "[{ name: 'id', type: 'integer' }]" };
const NAMES: ArrayArgument = { where: "createIndex on 't'", takes: 'its columns as an array', elements: 'names', example: "['a']" };

describe('arrayArgument', () => {
  it('returns an array as it is', () => {
    const value = [{ name: 'id', type: 'integer' }];
    expect(arrayArgument(value, COLUMNS)).toBe(value);
    expect(arrayArgument([], NAMES)).toEqual([]);
  });

  it('says what was given when it tells nothing of the elements, and shows the example', () => {
    const message = (value: unknown, argument = COLUMNS) => operationErrorMessage(() => arrayArgument(value, argument));
    expect(message(undefined)).toBe("createTable('t') takes its columns as an array of { name, type, ... }, not undefined: write e.g. [{ name: 'id', type: 'integer' }].");
    expect(message(null)).toMatch(/, not null: write e\.g\. /);
    expect(message(3)).toMatch(/, not a number \(3\): write e\.g\. /);
    expect(message(function columns() {})).toMatch(/, not a function \(columns\): write e\.g\. /);
    expect(message(new Map([['id', { type: 'integer' }]]))).toMatch(/, not an object \(Map\): write e\.g\. /);
    expect(message({ id: 'integer' })).toMatch(/, not an object: write e\.g\. /);
    expect(message({}, NAMES)).toBe("createIndex on 't' takes its columns as an array, not an empty object: write e.g. ['a'].");
  });

  it('rewrites what was given as the array it was meant as, nested values and all, cut short past three elements', () => {
    const message = (value: unknown, argument = COLUMNS) => operationErrorMessage(() => arrayArgument(value, argument));
    expect(message({ id: { type: 'integer', default: { sql: 'now()' }, check: null }, tags: { type: 'text', variants: { postgres: 'text[]' } } })).toBe(
      "createTable('t') takes its columns as an array of { name, type, ... }, not an object keyed by name: write [{ name: 'id', type: 'integer', default: { sql: 'now()' }, check: null }, { name: 'tags', type: 'text', variants: { postgres: 'text[]' } }].",
    );
    expect(message({ a: 1, b: 1, c: 1, d: 1 }, NAMES)).toBe("createIndex on 't' takes its columns as an array, not an object: write ['a', 'b', 'c', …].");
    expect(message('it\'s\nlong', NAMES)).toBe("createIndex on 't' takes its columns as an array, not a string ('it\\'s\\nlong'): write ['it\\'s\\nlong'].");
    expect(message({ 'two words': { type: 'text' } })).toBe(
      "createTable('t') takes its columns as an array of { name, type, ... }, not an object keyed by name: write [{ name: 'two words', type: 'text' }].",
    );
    expect(message({ GenreId: 1n, At: new Date(0) }, { ...NAMES, elements: 'objects', key: 'rows' })).toBe(
      "createIndex on 't' takes its columns as an array, not one object: write rows: [{ GenreId: 1n, At: … }].",
    );
  });
});

describe('arrayArgument of values', () => {
  const VALUES: ArrayArgument = { where: 'execute()', takes: 'its parameters as an array', elements: 'values', example: "['USD']" };
  const message = (value: unknown) => operationErrorMessage(() => arrayArgument(value, VALUES));
  it('rewrites one value as an array of it, and shows the example for anything else', () => {
    expect(message(1)).toBe('execute() takes its parameters as an array, not a number (1): write [1].');
    expect(message("it's")).toBe("execute() takes its parameters as an array, not a string ('it\\'s'): write ['it\\'s'].");
    expect(message(false)).toBe('execute() takes its parameters as an array, not a boolean (false): write [false].');
    expect(message(2n)).toBe('execute() takes its parameters as an array, not a bigint (2n): write [2n].');
    expect(message({ a: 1 })).toBe("execute() takes its parameters as an array, not an object: write e.g. ['USD'].");
    expect(message(new Date(0))).toBe("execute() takes its parameters as an array, not an object (Date): write e.g. ['USD'].");
  });
});

describe('objectElements', () => {
  const INDEX: ObjectElements = {
    where: "createTable('t')",
    takes: 'each index as an object { columns, ... }',
    key: 'indexes',
    example: "[{ columns: ['a'] }]",
    rewrite: (e) => (typeof e === 'string' ? { columns: [e] } : undefined),
  };
  const message = (values: readonly unknown[], element = INDEX) => operationErrorMessage(() => objectElements(values, element));
  it('returns an array of objects as it is', () => {
    const value = [{ columns: ['a'] }, Object.create(null) as object];
    expect(objectElements(value, INDEX)).toBe(value);
  });

  it('says what the first element that is no object is, and rewrites every element when it can, cut short past three', () => {
    expect(message(['a'])).toBe("createTable('t') takes each index as an object { columns, ... }, not a string ('a'): write indexes: [{ columns: ['a'] }].");
    expect(message([{ columns: ['a'], unique: true }, 'b', 'c', 'd'])).toBe(
      "createTable('t') takes each index as an object { columns, ... }, not a string ('b'): write indexes: [{ columns: ['a'], unique: true }, { columns: ['b'] }, { columns: ['c'] }, …].",
    );
  });

  it('shows the example when an element cannot be rewritten', () => {
    expect(message(['a', 3])).toBe("createTable('t') takes each index as an object { columns, ... }, not a string ('a'): write e.g. indexes: [{ columns: ['a'] }].");
    expect(message([null])).toBe("createTable('t') takes each index as an object { columns, ... }, not null: write e.g. indexes: [{ columns: ['a'] }].");
    expect(message([['a']], { ...INDEX, rewrite: undefined })).toBe("createTable('t') takes each index as an object { columns, ... }, not an array (['a']): write e.g. indexes: [{ columns: ['a'] }].");
  });
});
