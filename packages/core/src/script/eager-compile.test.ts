import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
/** Whether V8's checksum flag is on: V8 11.3 writes a code cache's checksum at byte 20 only then (0 otherwise). */
const checksummed = (): boolean => new Script(`(function () { return ${Math.random()}; })`).createCachedData().readUInt32LE(20) !== 0;
/** A child started with `--nolazy --verify-snapshot-checksum`: a compile after compileEagerly, against one made eagerly. */
const CHILD = `const { Script } = await import('node:vm');
const { compileEagerly } = await (await import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('jiti')).href)})).createJiti(import.meta.url).import(${JSON.stringify(fileURLToPath(new URL('./eager-compile.ts', import.meta.url)))});
const src = ${JSON.stringify(SOURCE)};
compileEagerly(() => new Script(src + '//0'));
const lazyAfter = new Script(src + '//1').createCachedData().length;
const eagerAfter = compileEagerly(() => new Script(src + '//2')).createCachedData().length;
const checksumAfter = new Script(src + '//3').createCachedData().readUInt32LE(20);
console.log(JSON.stringify({ lazyAfter, eagerAfter, checksumAfter }));`;

describe('compileEagerly', () => {
  it("compiles a script's inner functions with it, and leaves V8 compiling lazily afterwards", () => {
    const lazy = cached(compile());
    const eager = cached(compileEagerly(compile));
    expect(eager).toBeGreaterThan(lazy + 200); // upgrade's and downgrade's bytecode
    expect(cached(compile())).toBe(lazy);
  });

  it('turns lazy compilation back on, and V8’s checksums off, when the compile throws', () => {
    const lazy = cached(compile());
    expect(checksummed()).toBe(false);
    expect(() => compileEagerly(() => new Script('function (', { filename: '/revisions/broken.ts' }))).toThrow(SyntaxError);
    expect(cached(compile())).toBe(lazy);
    expect(checksummed()).toBe(false);
  });

  it('makes a code cache with V8’s checksum in it', () => {
    expect(checksummed()).toBe(false);
    expect(compileEagerly(() => compile().createCachedData()).readUInt32LE(20)).not.toBe(0);
  });

  it('leaves flags node was started with as they are', () => {
    // A child started with both: after compileEagerly, still eager and still checksummed.
    const child = spawnSync(process.execPath, ['--nolazy', '--verify-snapshot-checksum', '--input-type=module', '-e', CHILD], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const { lazyAfter, eagerAfter, checksumAfter } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(lazyAfter).toBe(eagerAfter); // still eager: node's --nolazy kept
    expect(checksumAfter).not.toBe(0); // still checksummed: node's flag kept
  });

  it("returns the compile's result", () => {
    const script = compileEagerly(compile);
    const exports: Record<string, unknown> = {};
    void (script.runInThisContext() as (e: object) => Promise<void>)(exports);
    expect(Object.keys(exports)).toEqual(['upgrade', 'downgrade']);
  });
});
