import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileEagerly } from './eager-compile.js';

// V8's code cache holds the bytecode of the functions compiled so far: a script whose inner
// functions were compiled eagerly caches more than the same script compiled lazily.
const SOURCE = `(async function (exports) {
  async function upgrade(op) { await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)' }]); }
  async function downgrade(op) { await op.dropTable('t'); }
  exports.upgrade = upgrade; exports.downgrade = downgrade;
})`;
/** Each compile gets a text of its own, so V8's compilation cache cannot hand back an earlier compile. */
let n = 0;
const compile = (): Script => new Script(`${SOURCE}\n// ${n++}`, { filename: `/revisions/${n}.ts` });
const cached = (script: Script): number => script.createCachedData().length;

describe('compileEagerly', () => {
  it("compiles a script's inner functions with it, and leaves V8 compiling lazily afterwards", () => {
    const lazy = cached(compile());
    const eager = cached(compileEagerly(compile));
    expect(eager).toBeGreaterThan(lazy + 200); // upgrade's and downgrade's bytecode
    expect(cached(compile())).toBe(lazy);
  });

  it('turns lazy compilation back on when the compile throws', () => {
    const lazy = cached(compile());
    expect(() => compileEagerly(() => new Script('function (', { filename: '/revisions/broken.ts' }))).toThrow(SyntaxError);
    expect(cached(compile())).toBe(lazy);
  });

  it("returns the compile's result", () => {
    const script = compileEagerly(compile);
    const exports: Record<string, unknown> = {};
    void (script.runInThisContext() as (e: object) => Promise<void>)(exports);
    expect(Object.keys(exports)).toEqual(['upgrade', 'downgrade']);
  });
});
