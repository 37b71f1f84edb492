import { describe, expect, it } from 'vitest';
import { enumType, formatColumnType, longestMemberLength, parseColumnType, type ColumnType } from './column-type.js';
import { OperationError } from '../errors.js';

/** Runs the parser and returns the OperationError it throws. */
function failure(input: string): OperationError {
  try {
    parseColumnType(input);
  } catch (error) {
    expect(error).toBeInstanceOf(OperationError);
    return error as OperationError;
  }
  throw new Error(`expected '${input}' to be rejected`);
}

describe('parseColumnType: accepted types', () => {
  it.each<[string, ColumnType]>([
    ['varchar(3)', { name: 'varchar', args: [3], modifiers: [], array: false }],
    ['NUMERIC(10, 2)', { name: 'numeric', args: [10, 2], modifiers: [], array: false }],
    ['nvarchar(40)', { name: 'nvarchar', args: [40], modifiers: [], array: false }],
    ['int unsigned', { name: 'int unsigned', args: [], modifiers: [], array: false }],
    ['int(10) unsigned', { name: 'int', args: [10], modifiers: ['unsigned'], array: false }],
    ['timestamp with time zone', { name: 'timestamp with time zone', args: [], modifiers: [], array: false }],
    ['timestamp(3) with time zone', { name: 'timestamp', args: [3], modifiers: ['with', 'time', 'zone'], array: false }],
    ["enum('a','b''c')", { name: 'enum', args: ['a', "b'c"], modifiers: [], array: false }],
    ["enum('x)y', 'Z')", { name: 'enum', args: ['x)y', 'Z'], modifiers: [], array: false }],
    ['text[]', { name: 'text', args: [], modifiers: [], array: true }],
    ['varchar(20) []', { name: 'varchar', args: [20], modifiers: [], array: true }],
    ['double precision', { name: 'double precision', args: [], modifiers: [], array: false }],
    ['  Double   PRECISION  ', { name: 'double precision', args: [], modifiers: [], array: false }],
    ['integer', { name: 'integer', args: [], modifiers: [], array: false }],
  ])('%s', (input, expected) => {
    expect(parseColumnType(input)).toEqual(expected);
  });

  it('returns a frozen result with frozen args and modifiers', () => {
    const t = parseColumnType('timestamp(3) with time zone');
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.args)).toBe(true);
    expect(Object.isFrozen(t.modifiers)).toBe(true);
  });

  it('returns an already frozen parsed type as is', () => {
    const t = parseColumnType('varchar(3)');
    expect(parseColumnType(t)).toBe(t);
  });

  it('freezes a copy of an unfrozen parsed type, filling modifiers and array', () => {
    const input = { name: 'varchar', args: [3] } as unknown as ColumnType;
    const t = parseColumnType(input);
    expect(t).toEqual({ name: 'varchar', args: [3], modifiers: [], array: false });
    expect(t).not.toBe(input);
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.args)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
  });
});

describe('parseColumnType: rejections', () => {
  it.each<[string, string]>([
    ['', "Invalid column type '': it is empty."],
    ['   ', "Invalid column type '   ': it is empty."],
    ['varchar(', "Invalid column type 'varchar(': unbalanced parentheses."],
    ['varchar(x)', "Invalid column type 'varchar(x)': bad argument list '(x)'."],
    ['varchar()', "Invalid column type 'varchar()': empty parentheses."],
    ['numeric(10,)', "Invalid column type 'numeric(10,)': bad argument list '(10,)'."],
    ['numeric(10 2)', "Invalid column type 'numeric(10 2)': bad argument list '(10 2)'."],
    ['int; drop table x', "Invalid column type 'int; drop table x': 'int;' is not a type word."],
    ['varchar(3); drop table x', "Invalid column type 'varchar(3); drop table x': ';' is not a type word."],
    ['numeric((10))', "Invalid column type 'numeric((10))': unbalanced parentheses."],
    ['(3)', "Invalid column type '(3)': it has no type name."],
    ["enum('a)", "Invalid column type 'enum('a)': unbalanced parentheses."],
    ['[]', "Invalid column type '[]': it has no type name."],
  ])('%j', (input, message) => {
    expect(failure(input).message).toBe(message);
  });

  it('rejects a parsed type without a name', () => {
    expect(() => parseColumnType({ args: [] } as unknown as ColumnType)).toThrow(OperationError);
  });
});

describe('formatColumnType', () => {
  it.each<[string, string]>([
    ['varchar(3)', 'varchar(3)'],
    ['NUMERIC(10, 2)', 'numeric(10,2)'],
    ['nvarchar(40)', 'nvarchar(40)'],
    ['int unsigned', 'int unsigned'],
    ['INT(10)  UNSIGNED', 'int(10) unsigned'],
    ['timestamp with time zone', 'timestamp with time zone'],
    ['timestamp(3) with time zone', 'timestamp(3) with time zone'],
    ["enum('a','b''c')", "enum('a','b''c')"],
    ["ENUM( 'a' , 'b' )", "enum('a','b')"],
    ['text[]', 'text[]'],
    ['varchar(20)[]', 'varchar(20)[]'],
    ['double precision', 'double precision'],
  ])('%s → %s, and parsing that gives the same type', (input, canonical) => {
    const parsed = parseColumnType(input);
    expect(formatColumnType(parsed)).toBe(canonical);
    expect(parseColumnType(canonical)).toEqual(parsed);
    expect(formatColumnType(parseColumnType(canonical))).toBe(canonical);
  });
});

describe('parseColumnType of a string seen before', () => {
  it('returns the same frozen type (parsed once), and still refuses a bad string every time', () => {
    const first = parseColumnType('numeric(10, 2)');
    expect(parseColumnType('numeric(10, 2)')).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.args)).toBe(true);
    expect(() => parseColumnType('varchar(3;')).toThrow(/Invalid column type/);
    expect(() => parseColumnType('varchar(3;')).toThrow(/Invalid column type/);
  });
});

describe('longestMemberLength', () => {
  it('counts characters (code points), not UTF-16 units: an emoji or other astral character is one', () => {
    expect(longestMemberLength(parseColumnType("enum('sad','ok')"))).toBe(3);
    expect(longestMemberLength(parseColumnType("enum('☀','🌧')"))).toBe(1);
    expect(longestMemberLength(enumType('mood', ['😀😀', 'ok!']))).toBe(3);
    expect(longestMemberLength(enumType('script', ['𝔸𝔹𝔺𝔻']))).toBe(4);
    expect(longestMemberLength(parseColumnType('varchar(40)'))).toBe(0);
  });
});
