import { describe, expect, it } from 'vitest';
import { sourceMayReadDb } from './source-may-read-db.js';

describe('sourceMayReadDb', () => {
  it('is true for a function that names db', () => {
    expect(sourceMayReadDb("async function upgrade(op) { await op.db.insertInto('t').values({ id: 1 }).execute(); }")).toBe(true);
    expect(sourceMayReadDb('async function upgrade({ db }) { await db.deleteFrom("t").execute(); }')).toBe(true);
  });

  // A revision that imports a helper (`import { seed } from '../seed.ts'`) and calls seed(op):
  // the helper may read op.db, and its source is not read.
  it('is true for a function that hands op on as a value', () => {
    expect(sourceMayReadDb('async function upgrade(op) {\n  await seed(op);\n}')).toBe(true);
    expect(sourceMayReadDb('async function upgrade(o) { await helpers.seed(o, 3); }')).toBe(true);
    expect(sourceMayReadDb('async function upgrade(op) { const o = op; await o.execute("x"); }')).toBe(true);
    expect(sourceMayReadDb('async (op) => seed(op)')).toBe(true);
    expect(sourceMayReadDb('op => seed(op)')).toBe(true);
    expect(sourceMayReadDb('async function upgrade(op) { await op.batchAlterTable("t", () => seed(op)); }')).toBe(true);
    expect(sourceMayReadDb('async function upgrade(op) { log(`${op}`); }')).toBe(true);
  });

  it("is false for a function that uses only op's members, or none", () => {
    expect(sourceMayReadDb("async function upgrade(op) {\n  await op.createTable('t', [{ name: 'id', type: 'integer' }]);\n  await op?.execute('DELETE FROM t');\n}")).toBe(false);
    expect(sourceMayReadDb('async function upgrade(op) {\n  void op; // Nothing to do.\n}')).toBe(false);
    expect(sourceMayReadDb("async function upgrade(op) { await op.execute('SELECT 1'); /* seed(op) later */ log('op'); }")).toBe(false);
    expect(sourceMayReadDb('async function upgrade() { await seed(); }')).toBe(false);
    expect(sourceMayReadDb('async function upgrade({ execute }) { await execute("x"); }')).toBe(false);
    // A name that only contains it.
    expect(sourceMayReadDb('async function upgrade(op) { await op.execute(ops(stop)); }')).toBe(false);
  });
});
