import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapPlanStack, ModuleEvaluator } from './module-evaluator.js';
import { importInChild, type ChildImport } from '../testing/evaluator-child.js';
import { TransformCache } from './transform-cache.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multidb-precompile-'));
});
afterAll(async () => {
  // Retried: a TransformCache of a test may still flush into the folder (its 200 ms timer) while it is removed (ENOTEMPTY).
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

/** A clock 10 s ahead: files written just now are old enough to be stamped (see `fileStamp`). */
const ahead = (): number => Date.now() + 10_000;

/** A revision whose `upgrade` records its name, and throws on its line 4 when the calls hold `throw<i>`. */
const revision = (i: number, word = 'up'): string =>
  `export const revision = 'r${i}';\n` +
  `export async function upgrade(op: { calls: string[] }): Promise<void> {\n` +
  `  op.calls.push('${word}${i}');\n` +
  `  if (op.calls.includes('throw${i}')) throw new Error('revision ${i} failed');\n` +
  `}\n` +
  `export async function downgrade(op: { calls: string[] }): Promise<void> {\n  op.calls.push('down${i}');\n}\n`;

/** Writes `count` revisions into `folder` and returns their paths, in order. */
async function revisions(folder: string, count: number): Promise<string[]> {
  await mkdir(join(dir, folder), { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, folder, `r${i}_step.ts`);
    await writeFile(path, revision(i));
    paths.push(path);
  }
  return paths;
}

/** A process's view of the cache folder `root`: a new TransformCache reads what the last one wrote. */
function evaluator(root: string): { evaluator: ModuleEvaluator; cache: TransformCache } {
  const cache = new TransformCache('test-1', root);
  return { cache, evaluator: new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('not expected: the fallback')), now: ahead }) };
}

/** Precompiles `paths` (as a run does), imports each eagerly and runs its `upgrade`; flushes the cache. */
async function run(root: string, paths: readonly string[], calls: string[] = []): Promise<string[]> {
  const { evaluator: e, cache } = evaluator(root);
  e.precompile(paths);
  for (const path of paths) {
    const mod = (await e.import(path, new Map(), undefined, true)) as { upgrade(op: { calls: string[] }): Promise<void> };
    await mod.upgrade({ calls });
  }
  cache.flush();
  return calls;
}

const planFiles = async (root: string): Promise<string[]> => (await readdir(root)).filter((f) => f.startsWith('plan-') && f.endsWith('.tcp'));

/**
 * Runs {@link run} in another node process (this one's V8 would hand back its own compilation of
 * the plan's text and never read the code cache); resolves to the calls made and, for the plan's
 * script, whether V8 rejected the code cache it was given (`undefined`: no plan script given one).
 */
const inChild = (root: string, paths: readonly string[]): Promise<ChildImport> => importInChild(root, paths, { precompile: true, scripts: 'multidb-plan-' });

/** Tests that start node processes (each loads the evaluator through jiti: seconds on a loaded machine): a hang guard, not a speed check. */
const CHILD_TIMEOUT_MS = 120_000;

const ups = (count: number, word = 'up'): string[] => Array.from({ length: count }, (_, i) => `${word}${i}`);

describe("a run's revisions compiled as one script (ModuleEvaluator.precompile)", () => {
  it('stores a plan seen before, compiles it from its code cache in the next process, and never serves an edited module from it', async () => {
    const root = join(dir, 'cache-a');
    const paths = await revisions('a', 12);
    // First sight: the modules are transformed one by one, no plan is stored.
    expect(await run(root, paths)).toEqual(ups(12));
    expect(await planFiles(root)).toEqual([]);
    // Second: every module is in the transform cache by its stamp; the plan is compiled and stored,
    // and no module was compiled on its own (which would have stored its own code cache now).
    expect(await run(root, paths)).toEqual(ups(12));
    expect(await planFiles(root)).toHaveLength(1);
    expect(evaluator(root).cache.lookup(paths[0]!, revision(0))?.v8).toBeUndefined();
    // Another process compiles the plan from its code cache: accepted.
    expect(await inChild(root, paths)).toEqual({ calls: ups(12), rejected: false });

    // An edited module: another plan (its stamp changed), not stored until that one is seen twice;
    // the edited module runs as it is now.
    await writeFile(paths[5]!, revision(5, 'edited'));
    const expected = ups(12).map((c) => (c === 'up5' ? 'edited5' : c));
    expect(await inChild(root, paths)).toEqual({ calls: expected, rejected: undefined });
    expect(await inChild(root, paths)).toEqual({ calls: expected, rejected: undefined }); // stored now
    expect(await inChild(root, paths)).toEqual({ calls: expected, rejected: false });
    expect(await planFiles(root)).toHaveLength(2);
  }, CHILD_TIMEOUT_MS);

  it("names a module's own file and line in the stack of a throw from a precompiled module", async () => {
    const root = join(dir, 'cache-b');
    const paths = await revisions('b', 10);
    await run(root, paths);
    await run(root, paths);
    const error = await run(root, paths, ['throw7']).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe('revision 7 failed');
    // Compiled with its plan (the stack names the plan's script)…
    expect(error?.stack).toMatch(/multidb-plan-[0-9a-z]+-[0-9a-f]+-\d+\.js:\d+:\d+/);
    // …and mapped back to the revision's file, line 4.
    const mapped = mapPlanStack(error!.stack!);
    expect(mapped).toContain(`${paths[7]}:4:`);
    expect(mapped).not.toContain('multidb-plan-');
    expect(mapPlanStack('Error: x\n    at f (/app/a.ts:1:2)')).toBe('Error: x\n    at f (/app/a.ts:1:2)');
  });

  it('compiles a plan of more than 100 modules in chunks, each mapped back to its modules', async () => {
    const root = join(dir, 'cache-g');
    const paths = await revisions('g', 130);
    await run(root, paths);
    expect(await run(root, paths)).toEqual(ups(130));
    for (const [i, chunk] of [[5, 0], [120, 1]] as const) {
      const error = await run(root, paths, [`throw${i}`]).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toBe(`revision ${i} failed`);
      expect(error?.stack).toMatch(new RegExp(`multidb-plan-[0-9a-z]+-[0-9a-f]+-${chunk}\\.js:\\d+:\\d+`));
      expect(mapPlanStack(error!.stack!)).toContain(`${paths[i]}:4:`);
    }
    expect(await inChild(root, paths)).toEqual({ calls: ups(130), rejected: false });
  }, CHILD_TIMEOUT_MS);

  it("never runs a plan's text that changed on disk when V8 rejects its code cache: the modules' own code runs", async () => {
    const root = join(dir, 'cache-c');
    const paths = await revisions('c', 10);
    await run(root, paths);
    await run(root, paths);
    const [name] = await planFiles(root);
    const file = join(root, name!);
    const bytes = await readFile(file);
    // A changed word in the stored text (same length), and a changed byte of the code cache.
    const at = bytes.indexOf("'up3'");
    expect(at).toBeGreaterThan(0);
    bytes.write("'UP3'", at);
    bytes[bytes.length - 8] = bytes[bytes.length - 8]! ^ 0xff;
    await writeFile(file, bytes);
    expect(await inChild(root, paths)).toEqual({ calls: ups(10), rejected: true });
    // Stored again from the modules' transforms: accepted next time.
    expect(await inChild(root, paths)).toEqual({ calls: ups(10), rejected: false });
  }, CHILD_TIMEOUT_MS);

  it('compiles no plan of fewer than 10 modules, nor one whose file changed in the last 2 s', async () => {
    const root = join(dir, 'cache-d');
    const few = await revisions('d', 9);
    for (let i = 0; i < 3; i++) await run(root, few);
    expect(await planFiles(root)).toEqual([]);

    const paths = await revisions('e', 10);
    const now = (at: number) => {
      const cache = new TransformCache('test-1', root);
      return { cache, e: new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('fallback')), now: () => at }) };
    };
    for (let i = 0; i < 3; i++) {
      const { cache, e } = now(Date.now()); // the files were written just now
      e.precompile(paths);
      for (const path of paths) await e.import(path, new Map(), undefined, true);
      cache.flush();
    }
    expect(await planFiles(root)).toEqual([]);
  });

  it('keeps the 8 most recent plans in the cache folder', async () => {
    const root = join(dir, 'cache-f');
    const paths = await revisions('f', 19);
    // Ten plans: the first 10 modules, then 11, …, then 19.
    for (let n = 10; n <= 19; n++) {
      await run(root, paths.slice(0, n));
      await run(root, paths.slice(0, n));
    }
    const files = await planFiles(root);
    expect(files).toHaveLength(8);
  });
});
