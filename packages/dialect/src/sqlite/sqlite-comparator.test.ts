import { describe, expect, it } from 'vitest';
import { sqliteComparator } from './sqlite-comparator.js';

describe('sqliteComparator.canonicalExpression', () => {
  const same = (a: string, b: string, table = 'users') => sqliteComparator.canonicalExpression(a, table) === sqliteComparator.canonicalExpression(b, table);

  it("equates a column qualified by the table's own name, with or without the main schema (a batch rebuild writes it unqualified), with the bare column", () => {
    expect(same('"users"."ratio" >= 0', 'ratio >= 0')).toBe(true);
    expect(same('main.users.ratio >= 0', 'ratio >= 0')).toBe(true);
    expect(same('"main"."users"."ratio" > 1', '"ratio" > 1')).toBe(true);
  });

  it('keeps another table or another schema apart', () => {
    expect(same('posts.ratio >= 0', 'ratio >= 0')).toBe(false);
    expect(same('aux.users.ratio >= 0', 'ratio >= 0')).toBe(false);
    expect(same('main.posts.ratio >= 0', 'ratio >= 0')).toBe(false);
  });
});
