import { describe, expect, it } from 'vitest';
import { parseColumnType } from '../schema/column-type.js';
import { canonicalSqlText, DEFAULT_COMPARATOR } from './default-comparator.js';

describe('canonicalSqlText', () => {
  it('drops identifier quotes, case, extra spaces and wrapping parentheses', () => {
    expect(canonicalSqlText('("Milliseconds"  > 0)')).toBe('milliseconds > 0');
    expect(canonicalSqlText('`Total` >= 0 AND (`x` < 1)')).toBe('total >= 0 and (x < 1)');
    expect(canonicalSqlText('lower( "Name" )')).toBe('lower(name)');
  });

  it('keeps string literals as written and parentheses that do not wrap the whole', () => {
    expect(canonicalSqlText("\"Kind\" IN ( 'A','b  C' )")).toBe("kind in ('A', 'b  C')");
    expect(canonicalSqlText('(a > 0) AND (b > 0)')).toBe('(a > 0) and (b > 0)');
    expect(canonicalSqlText("(x = ')')")).toBe("x = ')'");
  });

  it('tells different expressions apart', () => {
    expect(canonicalSqlText('a > 0')).not.toBe(canonicalSqlText('a >= 0'));
    expect(canonicalSqlText("a = 'X'")).not.toBe(canonicalSqlText("a = 'x'"));
  });
});

describe('DEFAULT_COMPARATOR', () => {
  it('compares types by their canonical string and defaults by value', () => {
    expect(DEFAULT_COMPARATOR.canonicalType(parseColumnType('VARCHAR( 3 )'))).toBe('varchar(3)');
    const column = { name: 'c', type: parseColumnType('text'), nullable: true };
    expect(DEFAULT_COMPARATOR.canonicalDefault(null, column)).toBeUndefined();
    expect(DEFAULT_COMPARATOR.canonicalDefault('USD', column)).toBe('"USD"');
    expect(DEFAULT_COMPARATOR.canonicalDefault({ sql: ' CURRENT_TIMESTAMP ' }, column)).toBe('CURRENT_TIMESTAMP');
  });
});
