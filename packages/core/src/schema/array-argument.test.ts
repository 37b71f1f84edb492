import { describe, expect, it } from 'vitest';
import { operationErrorMessage } from '../testing/operation-error.js';
import { arrayArgument, type ArrayArgument } from './array-argument.js';

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
