import { describe, expect, it } from 'vitest';
import { ForeignKeyBaseline } from './foreign-key-baseline.js';
import type { ForeignKeyViolation } from './foreign-key-check-error.js';

const row = (table: string, rowid: number | null, parent = 'Parent', fkid = 0): ForeignKeyViolation => ({ table, rowid, parent, fkid });

describe('ForeignKeyBaseline', () => {
  it('blames nothing for rows that were there, and every row when there were none', () => {
    const before = ForeignKeyBaseline.of([row('Child', 2), row('Child', 5)]);
    expect(before.size).toBe(2);
    expect(before.added([row('Child', 2), row('Child', 5)])).toEqual([]);
    expect(before.added([row('Child', 5)])).toEqual([]);
    expect(before.added([])).toEqual([]);
    expect(ForeignKeyBaseline.EMPTY.size).toBe(0);
    expect(ForeignKeyBaseline.EMPTY.added([row('Child', 2)])).toEqual([row('Child', 2)]);
  });

  it('blames the new rows of a foreign key with more violating rows, and no other key', () => {
    const before = ForeignKeyBaseline.of([row('Child', 2), row('Other', 1, 'Parent', 1)]);
    expect(before.added([row('Child', 2), row('Child', 7), row('Other', 1, 'Parent', 1)])).toEqual([row('Child', 7)]);
    // Another foreign key of the same table, or another parent, is a key of its own.
    expect(before.added([row('Child', 2), row('Child', 2, 'Parent', 1)])).toEqual([row('Child', 2, 'Parent', 1)]);
    expect(before.added([row('Child', 2), row('Child', 3, 'Elsewhere')])).toEqual([row('Child', 3, 'Elsewhere')]);
  });

  it('counts rather than names: renumbered rows (a rebuild) are not blamed, and a key that grew with renumbered rows is blamed whole', () => {
    const before = ForeignKeyBaseline.of([row('Loose', 5)]);
    expect(before.added([row('Loose', 2)])).toEqual([]);
    expect(before.added([row('Loose', 2), row('Loose', 3)])).toEqual([row('Loose', 2), row('Loose', 3)]);
    // WITHOUT ROWID tables report no rowid: the count still tells.
    const noRowid = ForeignKeyBaseline.of([row('Keyed', null)]);
    expect(noRowid.added([row('Keyed', null)])).toEqual([]);
    expect(noRowid.added([row('Keyed', null), row('Keyed', null)])).toEqual([row('Keyed', null), row('Keyed', null)]);
  });

  it('past 10,000 rows remembers only the counts, and blames a grown key whole', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => row('Child', i));
    const before = ForeignKeyBaseline.of(many);
    expect(before.size).toBe(10_001);
    expect(before.added(many)).toEqual([]);
    expect(before.added([...many, row('Child', 20_000)])).toHaveLength(10_002);
  });

  it('after a check of some tables only: their rows replaced, the other tables kept, names compared as SQLite does', () => {
    const before = ForeignKeyBaseline.of([row('Child', 2), row('Child', 5), row('Other', 1), row('Gone', 3)]);
    expect(before.sizeOutside(new Set(['child']))).toBe(2);
    const after = before.replacing(new Set(['child', 'gone']), [row('Child', 5)]);
    expect(after.size).toBe(2);
    expect(after.added([row('Child', 5), row('Other', 1)])).toEqual([]);
    expect(after.added([row('Child', 2), row('Child', 5)])).toEqual([row('Child', 2)]);
    expect(after.added([row('Gone', 3)])).toEqual([row('Gone', 3)]);
    expect(after.added([row('Other', 1), row('Other', 4)])).toEqual([row('Other', 4)]);
    expect(ForeignKeyBaseline.EMPTY.replacing(new Set(['child']), [])).toBe(ForeignKeyBaseline.EMPTY);
    expect(before.replacing(new Set(['child', 'other', 'gone']), [])).toBe(ForeignKeyBaseline.EMPTY);
  });

  it('after a check of some tables only, past 10,000 rows: counts only', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row('Child', i));
    const after = ForeignKeyBaseline.of(many).replacing(new Set(['other']), [row('Other', 1)]);
    expect(after.size).toBe(10_001);
    expect(after.added([...many, row('Child', 20_000)])).toHaveLength(10_001);
    expect(after.added([row('Other', 1)])).toEqual([]);
  });
});
