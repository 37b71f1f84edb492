import { describe, expect, it } from 'vitest';
import { indexColumnName, indexColumnSort, indexColumnSql, normalizeIndexColumn } from './index-column.js';

describe('index keys and their sort order', () => {
  it('names the column or the expression of a key', () => {
    expect([indexColumnName('a'), indexColumnName({ name: 'a', order: 'desc' }), indexColumnName({ sql: 'lower(a)' })]).toEqual(['a', 'a', undefined]);
    expect([indexColumnSql('a'), indexColumnSql({ name: 'a' }), indexColumnSql({ sql: 'lower(a)', order: 'desc' })]).toEqual([undefined, undefined, 'lower(a)']);
  });

  it("leaves out the defaults: ascending, and the direction's NULLs order (PostgreSQL: last ascending, first descending)", () => {
    expect(indexColumnSort('a')).toEqual({});
    expect(indexColumnSort({ name: 'a', order: 'asc', nulls: 'last' })).toEqual({});
    expect(indexColumnSort({ name: 'a', nulls: 'first' })).toEqual({ nulls: 'first' });
    expect(indexColumnSort({ name: 'a', order: 'desc', nulls: 'first' })).toEqual({ order: 'desc' });
    expect(indexColumnSort({ sql: 'lower(a)', order: 'desc', nulls: 'last' })).toEqual({ order: 'desc', nulls: 'last' });
  });

  it('normalizes a key to its shortest form', () => {
    expect(normalizeIndexColumn({ name: 'a', order: 'asc' })).toBe('a');
    expect(normalizeIndexColumn({ name: 'a', order: 'desc', nulls: 'last' })).toEqual({ name: 'a', order: 'desc', nulls: 'last' });
    expect(normalizeIndexColumn({ sql: 'lower(a)', order: 'asc' })).toEqual({ sql: 'lower(a)' });
  });
});
