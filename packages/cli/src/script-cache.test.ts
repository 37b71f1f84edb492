import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedScript } from './script-cache.js';

// A script in the shape tools/build/bundle-package.mjs --script writes.
const scriptSource = (value: string) => `// a test script
(function (exports, require, module, __filename, __dirname, __multidbImportMetaUrl, __multidbImportMetaResolve, __multidbDynamicImport) {
const path = require("node:path");
const shared = require("shared");
exports.value = ${JSON.stringify(value)};
exports.url = __multidbImportMetaUrl;
exports.file = path.basename(__filename);
exports.shared = shared;
exports.resolve = (s) => __multidbImportMetaResolve(s);
exports.load = (s) => __multidbDynamicImport(s);
exports.sum = (n) => { let t = 0; for (let i = 0; i < n; i++) t += i; return t; };
})
`;

describe('CachedScript', () => {
  let dir: string;
  let cache: string;
  let file: string;
  const shared = { name: 'shared module' };
  const load = () => CachedScript.load(pathToFileURL(file), { cacheRoot: cache, modules: { shared } });
  const cacheFiles = () => readdirSync(cache).filter((f) => f.startsWith('v8-'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'script-cache-'));
    cache = join(dir, 'cache');
    file = join(dir, 'script.cjs');
    writeFileSync(file, scriptSource('first'));
    writeFileSync(join(dir, 'helper.mjs'), 'export const helper = 42;\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the script with its require, import.meta.url, import.meta.resolve and import()', async () => {
    const s = load();
    expect(s.exports['value']).toBe('first');
    expect(s.exports['url']).toBe(pathToFileURL(file).href);
    expect(s.exports['file']).toBe('script.cjs');
    expect(s.exports['shared']).toBe(shared);
    expect((s.exports['resolve'] as (x: string) => string)('./helper.mjs')).toBe(pathToFileURL(join(dir, 'helper.mjs')).href);
    const imported = (await (s.exports['load'] as (x: string) => Promise<{ helper: number }>)('./helper.mjs')).helper;
    expect(imported).toBe(42);
    expect(await (s.exports['load'] as (x: string) => Promise<unknown>)('node:path')).toHaveProperty('join');
  });

  // Whether V8 then uses the cache is checked end to end, one process per run
  // (test/cli/start-up.test.ts): within one process V8 also keeps compiled scripts in memory.
  it('writes the cache (private) after the first run', () => {
    const first = load();
    expect(first.cacheState).toBe('missing');
    expect((first.exports['sum'] as (n: number) => number)(10)).toBe(45);
    expect(first.saveCache()).toBe(true);
    expect(cacheFiles()).toHaveLength(1);
    expect(statSync(join(cache, cacheFiles()[0]!)).mode & 0o777).toBe(0o600);
    expect(load().cacheState).not.toBe('missing');
  });

  it('ignores a corrupt cache file (a changed byte, a cut file, another file), runs the same, and replaces it', () => {
    load().saveCache();
    const name = join(cache, cacheFiles()[0]!);
    const good = readFileSync(name);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100] = flipped[flipped.length - 100]! ^ 0xff;
    for (const bad of [flipped, good.subarray(0, good.length - 1), good.subarray(0, 10), Buffer.from('not a cache file')]) {
      writeFileSync(name, bad);
      const s = load();
      expect(s.cacheState).toBe('corrupt');
      expect(s.exports['value']).toBe('first');
      expect(s.saveCache()).toBe(true);
      expect(load().cacheState).not.toBe('corrupt');
    }
  });

  it('a cache of another text of the script (same length, same modification time) is stale: the new text runs', () => {
    load().saveCache();
    const { atime, mtime } = statSync(file);
    writeFileSync(file, scriptSource('other'));
    utimesSync(file, atime, mtime);
    const s = load();
    expect(s.cacheState).toBe('stale');
    expect(s.exports['value']).toBe('other');
    expect(s.saveCache()).toBe(true);
    expect(load().cacheState).not.toBe('stale');
    expect(cacheFiles()).toHaveLength(1);
  });

  it('uses no cache without a private cache folder: none given, or one others may write', () => {
    const off = CachedScript.load(pathToFileURL(file), { cacheRoot: null, modules: { shared } });
    expect(off.cacheState).toBe('off');
    expect(off.saveCache()).toBe(false);
    mkdirSync(cache, { mode: 0o777 });
    chmodSync(cache, 0o777);
    const open = load();
    expect(open.cacheState).toBe('off');
    expect(open.exports['value']).toBe('first');
    expect(open.saveCache()).toBe(false);
    expect(cacheFiles()).toEqual([]);
  });
});
