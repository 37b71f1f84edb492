import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptError } from '../errors.js';
import { ModuleEvaluator } from './module-evaluator.js';
import { createModuleLoader, type ModuleLoaderOptions } from './module-loader.js';
import { importInChild, type ChildImport } from '../testing/evaluator-child.js';
import { contentHash, fileStamp, TransformCache } from './transform-cache.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multidb-evaluator-'));
});
afterAll(async () => {
  // Retried: a TransformCache of a test may still flush into the folder (its 200 ms timer) while it is removed (ENOTEMPTY).
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, source] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), source);
  }
}

async function load(main: string, options: ModuleLoaderOptions = {}): Promise<Record<string, unknown>> {
  return createModuleLoader(options).import<Record<string, unknown>>(join(dir, main));
}

describe('the module loader’s own evaluation (sucrase to CommonJS, run by Node)', () => {
  it('evaluates a plain revision itself, with ESM semantics (no require, default not merged)', async () => {
    await write({ 'own/plain.ts': "type N = number;\nexport const n: N = 1;\nexport const r = typeof require;\nexport default { n: 2 };\n" });
    const mod = await load('own/plain.ts');
    expect(mod['n']).toBe(1);
    // jiti would give the module a CommonJS `require`; the evaluator gives an ES module's scope.
    expect(mod['r']).toBe('undefined');
    expect((mod['default'] as { n: number }).n).toBe(2);
    expect(mod['n'] === (mod['default'] as { n: number }).n).toBe(false);
  });

  it('imports local helpers by .js name (a .ts file), without extension, by folder index; enums work', async () => {
    await write({
      'own/lib/names.ts': 'export enum Color { Red, Green }\nexport const table = (n: string): string => `t_${n}`;\n',
      'own/lib/index.ts': "export * from './names.js';\nexport const fromIndex = true;\n",
      'own/plain.mjs': 'export default 7;\n',
      'own/rev.ts':
        "import { table, Color } from './lib/names.js';\nimport { fromIndex } from './lib';\nimport * as names from './lib/names';\n" +
        "import seven from './plain.mjs';\nexport const result = [table('a'), Color.Green, fromIndex, names.table === table, seven];\n",
    });
    expect((await load('own/rev.ts'))['result']).toEqual(['t_a', 1, true, true, 7]);
  });

  it('imports a helper shared by two modules once per loader, and allows import cycles', async () => {
    await write({
      'shared/counter.ts': 'export const state = { loads: 0 };\nstate.loads++;\n',
      'shared/a.ts': "import { state } from './counter';\nexport const s = state;\n",
      'shared/b.ts': "import { state } from './counter';\nexport const s = state;\n",
      'cycle/x.ts': "import { y } from './y';\nexport const x = 'x';\nexport const seen = () => y;\n",
      'cycle/y.ts': "import * as xs from './x';\nexport const y = 'y';\nexport const fromX = () => xs.x;\n",
    });
    const loader = createModuleLoader();
    const a = await loader.import<{ s: { loads: number } }>(join(dir, 'shared/a.ts'));
    const b = await loader.import<{ s: { loads: number } }>(join(dir, 'shared/b.ts'));
    expect(a.s).toBe(b.s);
    expect(a.s.loads).toBe(1);
    const x = await loader.import<{ seen: () => string }>(join(dir, 'cycle/x.ts'));
    const y = await loader.import<{ fromX: () => string }>(join(dir, 'cycle/y.ts'));
    expect([x.seen(), y.fromX()]).toEqual(['y', 'x']);
  });

  it('without the module cache, sees an edited module and an edited helper (on-disk cache on)', async () => {
    await write({ 'edit/helper.ts': 'export const v = 1;\n', 'edit/main.ts': "import { v } from './helper';\nexport const w = v;\n" });
    const loader = createModuleLoader({ moduleCache: false });
    expect((await loader.import<{ w: number }>(join(dir, 'edit/main.ts'))).w).toBe(1);
    await write({ 'edit/helper.ts': 'export const v = 2;\n' });
    expect((await loader.import<{ w: number }>(join(dir, 'edit/main.ts'))).w).toBe(2);
    await write({ 'edit/main.ts': "import { v } from './helper';\nexport const w = v * 10;\n" });
    expect((await loader.import<{ w: number }>(join(dir, 'edit/main.ts'))).w).toBe(20);
    // A new loader (a new process reading the on-disk cache) sees the last version too.
    expect((await createModuleLoader().import<{ w: number }>(join(dir, 'edit/main.ts'))).w).toBe(20);
  });

  it('names the file and line of a throw in an imported helper’s importer', async () => {
    await write({
      'throws/helper.ts': "export const ok = 1;\n\nthrow new Error('helper broke');\n",
      'throws/main.ts': "type T = number;\nimport { ok } from './helper';\nexport const v: T = ok;\n",
    });
    const error = await load('throws/main.ts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as ScriptError).message).toContain('helper broke');
    expect((error as ScriptError).message).toContain(`helper broke (thrown at ${join(dir, 'throws/helper.ts')}:3)`);
    expect((error as ScriptError).file).toBe(join(dir, 'throws/main.ts'));
  });

  it('leaves unusual modules to jiti: import.meta, a package that is not aliased, CommonJS', async () => {
    await write({
      'fallback/meta.ts': 'export const url: string = import.meta.url;\n',
      'fallback/node_modules/fake-pkg/package.json': '{ "name": "fake-pkg", "main": "index.js" }\n',
      'fallback/node_modules/fake-pkg/index.js': 'exports.transform = function transform() {};\n',
      'fallback/pkg.ts': "import { transform } from 'fake-pkg';\nexport const t = typeof transform;\n",
      'fallback/cjs.cjs': 'module.exports = { c: 3 };\n',
      'fallback/uses-cjs.ts': "import cjs from './cjs.cjs';\nexport const c = cjs.c;\n",
      'fallback/seed.json': '{ "rows": [1, 2, 3] }\n',
      'fallback/uses-json.ts': "import seed from './seed.json';\nimport { rows } from './seed.json';\nexport const all = seed.rows;\nexport const named = rows;\n",
    });
    expect((await load('fallback/meta.ts'))['url']).toMatch(/meta\.ts$/);
    expect((await load('fallback/pkg.ts'))['t']).toBe('function');
    expect((await load('fallback/uses-cjs.ts'))['c']).toBe(3);
    // A JSON file's default import is its value (it was undefined), its keys are named imports.
    expect(await load('fallback/uses-json.ts')).toMatchObject({ all: [1, 2, 3], named: [1, 2, 3] });
  });

  it("gives a JSON file's whole value as its default import, also with a key of its own named default, and an array's", async () => {
    await write({
      'json/keyed.json': '{ "default": "light", "themes": ["light", "dark"] }\n',
      'json/list.json': '[1, 2]\n',
      'json/uses.ts':
        "import keyed from './keyed.json';\nimport { themes } from './keyed.json';\nimport list from './list.json';\n" +
        'export const whole = keyed;\nexport const named = themes;\nexport const array = list;\n',
    });
    // As Node's `import keyed from './keyed.json' with { type: 'json' }`: the object, not its `default` key ('light').
    expect(await load('json/uses.ts')).toMatchObject({ whole: { default: 'light', themes: ['light', 'dark'] }, named: ['light', 'dark'], array: [1, 2] });
  });

  it('keeps TypeScript namespaces (sucrase drops them silently): exported, and used locally', async () => {
    await write({
      'ns/exported.ts': 'export namespace Tables {\n  export const user = "user";\n}\nexport const n = 1;\n',
      'ns/local.ts': 'namespace Names {\n  export const t = "t";\n}\nexport const table = Names.t;\n',
      'ns/declared.ts': 'declare namespace Ambient { const x: number }\nexport declare namespace Typed { type T = 1 }\nexport const d = 2;\n',
    });
    expect(((await load('ns/exported.ts'))['Tables'] as { user: string }).user).toBe('user');
    expect((await load('ns/local.ts'))['table']).toBe('t');
    expect((await load('ns/declared.ts'))['d']).toBe(2);
  });

  it('settles two imports made at once whose helpers import each other (each also importing a builtin)', async () => {
    await write({
      'both/h1.ts': "import { sep } from 'node:path';\nimport { two } from './h2';\nexport const one = () => 'one' + sep;\nexport const useTwo = () => two();\n",
      'both/h2.ts': "import { sep } from 'node:path';\nimport { one } from './h1';\nexport const two = () => 'two' + sep;\nexport const useOne = () => one();\n",
      'both/rev1.ts': "import { useTwo } from './h1';\nexport const r = () => useTwo();\n",
      'both/rev2.ts': "import { useOne } from './h2';\nexport const r = () => useOne();\n",
    });
    const loader = createModuleLoader();
    // Before the fix these two never settled (each waited on the other's helper): the test timed out.
    const [a, b] = await Promise.all([
      loader.import<{ r: () => string }>(join(dir, 'both/rev1.ts')),
      loader.import<{ r: () => string }>(join(dir, 'both/rev2.ts')),
    ]);
    expect([a.r(), b.r()]).toEqual([`two${sep}`, `one${sep}`]);
  });

  it('evaluates a module’s imports before its body, as ESM does (an import written below code)', async () => {
    await write({
      'order/side.ts': '(globalThis as { __multidbOrder?: number }).__multidbOrder = 1;\nexport {};\n',
      'order/main.ts': "export const before = typeof (globalThis as { __multidbOrder?: number }).__multidbOrder;\nimport './side';\n",
    });
    expect((await load('order/main.ts'))['before']).toBe('number');
    delete (globalThis as { __multidbOrder?: number }).__multidbOrder;
  });

  it('lets a module of an import cycle call a function the other exports while it is evaluated, as ESM does', async () => {
    await write({
      'hoist/a.ts': "import { b } from './b';\nexport function a(): string {\n  return 'a';\n}\nexport const fromB = b();\n",
      'hoist/b.ts': "import { a } from './a';\nexport function b(): string {\n  return 'b';\n}\nexport const early = a();\n// export function notDeclared() in a comment\n",
    });
    const mod = await load('hoist/a.ts');
    expect(mod['fromB']).toBe('b');
  });

  it('maps an alias to a .ts target and to a prefix of it', async () => {
    await write({
      'alias/lib/index.ts': 'export const fromLib = 1;\n',
      'alias/lib/sub.ts': 'export const fromSub = 2;\n',
      'alias/main.ts': "import { fromLib } from 'my-lib';\nimport { fromSub } from 'my-lib/sub';\nexport const both = [fromLib, fromSub];\n",
    });
    const mod = await load('alias/main.ts', { alias: { 'my-lib': join(dir, 'alias/lib') } });
    expect(mod['both']).toEqual([1, 2]);
  });
});

/**
 * Imports `path` eagerly in another node process through a cache in `root`, runs its `upgrade`
 * and flushes the cache; resolves to the calls made and whether V8 rejected the code cache it was
 * given.
 */
const inChild = (root: string, path: string, stamped = false): Promise<ChildImport> => importInChild(root, [path], { stamped });

/** Tests that start node processes (each loads the evaluator through jiti: seconds on a loaded machine): a hang guard, not a speed check. */
const CHILD_TIMEOUT_MS = 120_000;

describe('a module imported to run soon (eager), and V8 code caches', () => {
  const REVISION = "export const revision = 'e1';\nexport async function upgrade(op: { calls: string[] }): Promise<void> {\n  op.calls.push('upgrade');\n}\nexport async function downgrade(op: { calls: string[] }): Promise<void> {\n  op.calls.push('downgrade');\n}\n";

  /** A process's view of the cache folder `root`: a new TransformCache reads what the last one wrote. */
  /** With `stamped`, the evaluator's clock is 10 s ahead: its files are old enough to be found by their stamp however slow the test runs. */
  const evaluator = (root: string, stamped = false): { evaluator: ModuleEvaluator; cache: TransformCache } => {
    const cache = new TransformCache('test-1', root);
    return { cache, evaluator: new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('not expected: the fallback')), ...(stamped ? { now: () => Date.now() + 10_000 } : {}) }) };
  };
  const run = async (e: ModuleEvaluator, path: string): Promise<string[]> => {
    const mod = (await e.import(path, new Map(), undefined, true)) as { upgrade(op: { calls: string[] }): Promise<void> };
    const op = { calls: [] as string[] };
    await mod.upgrade(op);
    return op.calls;
  };

  it('stores a code cache with the module, uses it in the next process, and replaces one whose bytes changed', async () => {
    const root = join(dir, 'v8-cache');
    await write({ 'eager/e1_rev.ts': REVISION });
    const path = join(dir, 'eager/e1_rev.ts');
    const first = evaluator(root, true);
    expect(await run(first.evaluator, path)).toEqual(['upgrade']);
    first.cache.flush();
    // Every process here sees the file as unchanged for 10 s (found by its stamp: on a loaded machine
    // the 2 s after it was written could end between two steps, and the entry be stored again with
    // the stamp). A module transformed just now is stored without a code cache (its process may be
    // the only one to see it); the next process that finds it cached makes it.
    expect(evaluator(root, true).cache.lookup(path, REVISION)).toMatchObject({ v8: undefined });
    const next = evaluator(root, true);
    expect(await run(next.evaluator, path)).toEqual(['upgrade']);
    next.cache.flush();
    const stored = Buffer.from(evaluator(root, true).cache.lookup(path, REVISION)!.v8!.data);
    expect(stored.length).toBeGreaterThan(100);

    // Another process (this one's V8 would find the module in its own compilation cache and never
    // read the data) compiles from it: accepted, so nothing is stored again.
    const file = join(root, (await readdir(root)).find((f) => f.endsWith('.tc'))!);
    const before = await readFile(file);
    expect(await inChild(root, path, true)).toEqual({ calls: ['upgrade'], rejected: false });
    expect((await readFile(file)).equals(before)).toBe(true);

    // One byte of it changed on disk (past V8's header: its checksum covers the rest): rejected,
    // not run, and made again.
    const at = before.indexOf(stored) + stored.length - 8;
    before[at] = before[at]! ^ 0xff;
    await writeFile(file, before);
    const corrupted = Buffer.from(evaluator(root, true).cache.lookup(path, REVISION)!.v8!.data);
    expect(corrupted.equals(stored)).toBe(false);
    expect(await inChild(root, path, true)).toEqual({ calls: ['upgrade'], rejected: true });
    expect(evaluator(root, true).cache.lookup(path, REVISION)?.v8?.data.equals(corrupted)).toBe(false);
    expect(await inChild(root, path, true)).toEqual({ calls: ['upgrade'], rejected: false });
  }, CHILD_TIMEOUT_MS);

  it('never gives V8 a code cache made of another text, even of the same length', async () => {
    const root = join(dir, 'v8-text');
    await write({ 'eager/e3_rev.ts': REVISION });
    const path = join(dir, 'eager/e3_rev.ts');
    for (let i = 0; i < 2; i++) {
      const made = evaluator(root); // the second finds it cached and makes its code cache
      await run(made.evaluator, path);
      made.cache.flush();
    }
    const { code, v8 } = evaluator(root).cache.lookup(path, REVISION)!;
    // What an evaluator that compiles another text of the same length would have stored.
    const other = evaluator(root);
    other.cache.store(path, { hash: contentHash(REVISION), code, v8: { text: contentHash('x'.repeat(10)), data: Buffer.from(v8!.data) } });
    other.cache.flush();
    expect(await inChild(root, path)).toEqual({ calls: ['upgrade'], rejected: undefined }); // not given to V8
    expect(evaluator(root).cache.lookup(path, REVISION)?.v8?.text).toBe(v8!.text); // made again for its own text
  }, CHILD_TIMEOUT_MS);

  it('stores the transform of a module imported eagerly that goes to the fallback', async () => {
    const root = join(dir, 'v8-fallback');
    await write({ 'eager/e4_rev.ts': "import { x } from 'some-package-not-aliased';\nexport const y = x;\n" });
    const path = join(dir, 'eager/e4_rev.ts');
    const cache = new TransformCache('test-1', root);
    const e = new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.resolve({ y: 'from the fallback' }) });
    expect(await e.import(path, new Map(), undefined, true)).toEqual({ y: 'from the fallback' });
    cache.flush();
    expect(new TransformCache('test-1', root).lookup(path, "import { x } from 'some-package-not-aliased';\nexport const y = x;\n")?.code).toContain('some-package-not-aliased');
  });

  it('serves an unchanged file imported eagerly by its stamp, without reading it, and reads it again once changed', async () => {
    const root = join(dir, 'stamp');
    const source = "export const from = 'the file';\n";
    await write({ 'stamped/s1.ts': source });
    const path = join(dir, 'stamped/s1.ts');
    const ahead = (): number => Date.now() + 10_000; // the file counts as changed long ago
    const at = (cache: TransformCache): ModuleEvaluator => new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('fallback')), now: ahead });
    // An entry of this file's stamp whose code is not the file's (and whose hash is no source's):
    // only a loader that trusts the stamp, without reading the file, runs it.
    const planted = new TransformCache('test-1', root);
    planted.store(path, { hash: 'no source', code: "exports.from = 'the stamp';", stamp: fileStamp(statSync(path), ahead()) });
    planted.flush();
    expect(await at(new TransformCache('test-1', root)).import(path, new Map(), undefined, true)).toMatchObject({ from: 'the stamp' });
    // A module imported as usual (offline scripts) is read and hashed: the stamp is not looked at.
    expect(await at(new TransformCache('test-1', root)).import(path, new Map())).toMatchObject({ from: 'the file' });
    // Rewritten with the same size (and a modification time of its own, so that a file system's
    // coarse timestamps cannot make the test pass or fail): another stamp; read, and stored with its own.
    await writeFile(path, source.replace('file', 'edit'));
    await utimes(path, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const cache = new TransformCache('test-1', root);
    expect(await at(cache).import(path, new Map(), undefined, true)).toMatchObject({ from: 'the edit' });
    cache.flush();
    expect(new TransformCache('test-1', root).lookup(path, source.replace('file', 'edit'))?.stamp).toBe(fileStamp(statSync(path), ahead()));
  });

  it('adds the stamp to an entry found by the hash of its source, keeping what it stored, and hoists by the names stored', async () => {
    const root = join(dir, 'stamp-added');
    // An exported function used before the module's body ran (an import cycle): the hoisting the
    // evaluator makes from the names of the exported functions.
    const source = "import { early } from './s4_cycle';\nexport const seen = early;\nexport function f(): string {\n  return 'hoisted';\n}\n";
    await write({ 'stamped/s3.ts': source, 'stamped/s4_cycle.ts': "import { f } from './s3';\nexport const early = f();\n" });
    const path = join(dir, 'stamped/s3.ts');
    const ahead = (): number => Date.now() + 10_000;
    // Imported eagerly twice while the file is new (changed less than 2 s ago): stored, then given
    // its code cache, without a stamp.
    for (let i = 0; i < 2; i++) {
      const first = new TransformCache('test-1', root);
      await new ModuleEvaluator({ alias: {}, cache: first, fallback: () => Promise.reject(new Error('fallback')) }).import(path, new Map(), undefined, true);
      first.flush();
    }
    const unstamped = new TransformCache('test-1', root).lookup(path, source)!;
    expect(unstamped.stamp).toBe('');
    expect(unstamped.v8).toBeDefined();
    const run = async (): Promise<unknown> => {
      const cache = new TransformCache('test-1', root);
      const mod = await new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('fallback')), now: ahead }).import(path, new Map(), undefined, true);
      cache.flush();
      return mod;
    };
    expect(await run()).toMatchObject({ seen: 'hoisted' });
    const stamped = new TransformCache('test-1', root).lookup(path, source)!;
    expect(stamped.stamp).toBe(fileStamp(statSync(path), ahead()));
    expect(stamped.extra).toBe('f');
    expect(stamped.v8).toBeDefined();
    // Found by the stamp now: the names stored make the same hoisting.
    expect(await run()).toMatchObject({ seen: 'hoisted' });
  });

  it('does not store the stamp of a file changed less than 2 s ago', async () => {
    const root = join(dir, 'stamp-racy');
    const source = "export const from = 'the file';\n";
    await write({ 'stamped/s2.ts': source });
    const path = join(dir, 'stamped/s2.ts');
    const cache = new TransformCache('test-1', root);
    await new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('fallback')) }).import(path, new Map(), undefined, true);
    cache.flush();
    expect(new TransformCache('test-1', root).lookup(path, source)).toMatchObject({ stamp: '', code: expect.stringContaining('the file') });
  });

  it('stores no code cache for a module imported as usual', async () => {
    const root = join(dir, 'v8-lazy');
    await write({ 'eager/e2_rev.ts': REVISION });
    const path = join(dir, 'eager/e2_rev.ts');
    const { evaluator: e, cache } = evaluator(root);
    await e.import(path, new Map());
    cache.flush();
    expect(evaluator(root).cache.lookup(path, REVISION)).toMatchObject({ code: expect.stringContaining('upgrade'), v8: undefined });
  });
});
