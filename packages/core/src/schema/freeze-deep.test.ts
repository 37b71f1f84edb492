import { describe, expect, it } from 'vitest';
import { freezeDeep } from './freeze-deep.js';

describe('freezeDeep', () => {
  it('freezes objects and arrays all the way down, and returns the same value', () => {
    const value = { kind: 'CreateTable', table: { name: 't', columns: [{ name: 'id', type: { name: 'integer', args: [1, [2]] } }], indexes: [] } };
    expect(freezeDeep(value)).toBe(value);
    const column = value.table.columns[0]!;
    for (const part of [value, value.table, value.table.columns, column, column.type, column.type.args, column.type.args[1], value.table.indexes]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
  });

  it('leaves primitives, null and functions as they are, and the inside of an object already frozen untouched', () => {
    expect(freezeDeep(null)).toBeNull();
    expect(freezeDeep('x')).toBe('x');
    const fn = () => 1;
    expect(Object.isFrozen(freezeDeep(fn))).toBe(false);
    const inner = { a: 1 };
    freezeDeep(Object.freeze({ inner }));
    expect(Object.isFrozen(inner)).toBe(false);
  });

  it('visits own enumerable properties only, as Object.values does (not inherited ones, not symbols)', () => {
    const inherited = { a: 1 };
    const own = { b: 2 };
    const bySymbol = { c: 3 };
    const value = Object.assign(Object.create({ inherited }), { own, [Symbol('s')]: bySymbol });
    freezeDeep(value);
    expect(Object.isFrozen(own)).toBe(true);
    expect(Object.isFrozen(inherited)).toBe(false);
    expect(Object.isFrozen(bySymbol)).toBe(false);
  });

  it('freezes the elements of a sparse array and skips its holes', () => {
    const element = { a: 1 };
    const sparse = [element, , { b: 2 }];
    freezeDeep(sparse);
    expect(Object.isFrozen(sparse)).toBe(true);
    expect(Object.isFrozen(element)).toBe(true);
    expect(sparse.length).toBe(3);
    expect(1 in sparse).toBe(false);
  });
});
