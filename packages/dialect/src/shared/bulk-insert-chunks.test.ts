import { describe, expect, it } from 'vitest';
import { bulkInsertChunks } from './bulk-insert-chunks.js';

describe('bulkInsertChunks', () => {
  it('groups rows by their sorted key set, in order of first appearance, ignoring undefined values', () => {
    expect(bulkInsertChunks([{ b: 1, a: 1 }, { a: 2 }, { a: 3, b: 3 }, { a: 4, b: undefined }, {}], 100)).toEqual([
      { columns: ['a', 'b'], rows: [{ a: 1, b: 1 }, { a: 3, b: 3 }] },
      { columns: ['a'], rows: [{ a: 2 }, { a: 4 }] },
      { columns: [], rows: [{}] },
    ]);
  });

  it('chunks so rows × columns ≤ maxParameters (at least one row per chunk)', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ a: i, b: i, c: i }));
    expect(bulkInsertChunks(rows, 10).map((c) => c.rows.length)).toEqual([3, 3, 1]);
    expect(bulkInsertChunks(rows, 2).map((c) => c.rows.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(bulkInsertChunks([], 10)).toEqual([]);
  });

  it('does not mutate its input', () => {
    const rows = Object.freeze([Object.freeze({ a: 1, b: undefined })]);
    expect(bulkInsertChunks(rows, 10)[0]!.rows[0]).toEqual({ a: 1 });
    expect(rows[0]).toHaveProperty('b');
  });
});
