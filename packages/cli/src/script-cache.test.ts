import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedScript, packageFile } from './script-cache.js';

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
  // The clock past RACY_MS: a script file just written is not cached (see the test of it).
  const later = () => Date.now() + 10_000;
  const load = () => CachedScript.load(pathToFileURL(file), { cacheRoot: cache, modules: { shared }, now: later });
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

  it("with importFrom, a package's import() resolves from that file's folder (a dependency of the script's own package)", async () => {
    mkdirSync(join(dir, 'node_modules', 'only-here'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'only-here', 'package.json'), JSON.stringify({ name: 'only-here', main: 'index.js' }));
    writeFileSync(join(dir, 'node_modules', 'only-here', 'index.js'), 'module.exports = { found: true };\n');
    const from = CachedScript.load(pathToFileURL(file), { cacheRoot: null, modules: { shared }, importFrom: file });
    const loadFrom = from.exports['load'] as (x: string) => Promise<{ default: { found: boolean } }>;
    expect((await loadFrom('only-here')).default.found).toBe(true);
    expect(await loadFrom('node:path')).toHaveProperty('join');
    // Without it, from the CLI's package, which has no such dependency.
    await expect((load().exports['load'] as (x: string) => Promise<unknown>)('only-here')).rejects.toThrow(/only-here/);
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

  it('ignores a damaged cache file (a changed byte of V8’s data or of its key, a cut file, another file), runs the same, and replaces it', () => {
    // Each load in a process of its own, as each `migrate` is: within one process V8 serves a script
    // it compiled before from its own in-memory cache, without looking at the cache file's data.
    const module = new URL('../dist/script-cache.js', import.meta.url).href;
    const loadFresh = (): { state: string; value: unknown; saved: boolean } =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const { CachedScript } = await import(${JSON.stringify(module)});
             const s = CachedScript.load(${JSON.stringify(pathToFileURL(file).href)}, { cacheRoot: ${JSON.stringify(cache)}, modules: { shared: {} }, now: () => Date.now() + 10_000 });
             console.log(JSON.stringify({ state: s.cacheState, value: s.exports.value, saved: s.saveCache() }));`,
          ],
          { encoding: 'utf8' },
        ),
      );
    expect(loadFresh()).toEqual({ state: 'missing', value: 'first', saved: true });
    expect(loadFresh()).toEqual({ state: 'used', value: 'first', saved: false });
    const name = join(cache, cacheFiles()[0]!);
    const good = readFileSync(name);
    const flip = (at: number) => {
      const bytes = Buffer.from(good);
      bytes[at] = bytes[at]! ^ 0x10;
      return bytes;
    };
    const damaged: [Buffer, string][] = [
      ...[100, 40, 12].map((fromEnd): [Buffer, string] => [flip(good.length - fromEnd), 'rejected']), // V8's data: its checksum
      [good.subarray(0, good.length - 1), 'rejected'],
      [flip(good.indexOf('script.cjs')), 'stale'], // the key's URL
      [good.subarray(0, 10), 'corrupt'],
      [Buffer.from('not a cache file'), 'corrupt'],
    ];
    for (const [bad, state] of damaged) {
      writeFileSync(name, bad);
      expect(loadFresh()).toEqual({ state, value: 'first', saved: true });
      expect(loadFresh()).toEqual({ state: 'used', value: 'first', saved: false });
    }
    // The key's stamp: the text's CRC-32 still finds the cache, written again under the right stamp.
    writeFileSync(name, flip(good.indexOf(String(statSync(file).ino))));
    expect(loadFresh()).toEqual({ state: 'used', value: 'first', saved: true });
    expect(loadFresh()).toEqual({ state: 'used', value: 'first', saved: false });
  });

  it('a cache of another text of the script (same length, same modification time) is stale: the new text runs', () => {
    load().saveCache();
    const { atime, mtime } = statSync(file);
    // Past the tick of the file system's change time (a jiffy on Linux): what RACY_MS guards against.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    writeFileSync(file, scriptSource('other'));
    utimesSync(file, atime, mtime);
    const s = load();
    expect(s.cacheState).toBe('stale');
    expect(s.exports['value']).toBe('other');
    expect(s.saveCache()).toBe(true);
    expect(load().cacheState).not.toBe('stale');
    expect(cacheFiles()).toHaveLength(1);
  });

  it('a cache of another text of the same length, with the very same modification time and inode, is stale: only the change time differs, and the new text runs', () => {
    // utimesSync with a Date (or a float) does not restore mtimeMs to the digit (ms precision,
    // rounding), so the test above sees another mtime and passes without the change time in the
    // key. Whole seconds round-trip exactly, as cp -a, tar, rsync -t or touch -r restore them.
    const seconds = Math.floor(Date.now() / 1000) - 60;
    utimesSync(file, seconds, seconds);
    expect(load().saveCache()).toBe(true);
    const before = statSync(file);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    writeFileSync(file, scriptSource('other')); // in place: the same inode
    utimesSync(file, seconds, seconds);
    const after = statSync(file);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
    expect(after.ctimeMs).not.toBe(before.ctimeMs);
    const s = load();
    expect(s.cacheState).toBe('stale');
    expect(s.exports['value']).toBe('other');
  });

  it('a copy of the script file (new inode and change time, same text) uses the cache, found by the text’s CRC-32, and writes it again under the new stamp', () => {
    expect(load().saveCache()).toBe(true);
    const seconds = Math.floor(Date.now() / 1000) - 60;
    const copy = `${file}.copy`;
    writeFileSync(copy, readFileSync(file)); // as cp, tar or a restored node_modules cache make it
    utimesSync(copy, seconds, seconds);
    renameSync(copy, file);
    const copied = load();
    expect(copied.cacheState).toBe('used');
    expect(copied.exports['value']).toBe('first');
    expect(copied.saveCache()).toBe(true);
    const next = load();
    expect(next.cacheState).toBe('used');
    expect(next.saveCache()).toBe(false);
    // Another text of the same size under a new stamp is not taken for it.
    writeFileSync(copy, scriptSource('other'));
    renameSync(copy, file);
    expect(load().cacheState).toBe('stale');
  });

  it('makes no cache of a script file changed less than RACY_MS before it was read (a change in the same tick of its times could go unseen)', () => {
    const now = CachedScript.load(pathToFileURL(file), { cacheRoot: cache, modules: { shared } });
    expect(now.cacheState).toBe('missing');
    expect(now.saveCache()).toBe(false);
    expect(cacheFiles()).toEqual([]);
    const old = Date.now() / 1000 - 60;
    utimesSync(file, old, old); // the change time is still now
    expect(CachedScript.load(pathToFileURL(file), { cacheRoot: cache, modules: { shared } }).saveCache()).toBe(false);
    expect(load().saveCache()).toBe(true);
  });

  it('has V8’s checksum flag on only while it makes or reads a cache: off afterwards, but left on when node was started with it', () => {
    const module = new URL('../dist/script-cache.js', import.meta.url).href;
    const url = JSON.stringify(pathToFileURL(file).href);
    const options = `{ cacheRoot: ${JSON.stringify(cache)}, modules: { shared: {} }, now: () => Date.now() + 10_000 }`;
    // Whether the flag is on now: V8 11.3 writes a code cache's checksum at byte 20 only then (0
    // otherwise); the probe is checked against the flag set by hand at the end.
    const program = `import { Script } from 'node:vm';
      import { setFlagsFromString } from 'node:v8';
      const { CachedScript } = await import(${JSON.stringify(module)});
      const on = () => { const s = new Script('(function () { return ' + Math.random() + '; })()'); s.runInThisContext(); return s.createCachedData().readUInt32LE(20) !== 0; };
      const seen = [];
      const made = CachedScript.load(${url}, ${options});
      seen.push(made.cacheState, on());
      made.saveCache();
      seen.push(on());
      const used = CachedScript.load(${url}, ${options});
      seen.push(used.cacheState, on());
      const flag = 'verify-' + 'snapshot-checksum'; // not spelled out: execArgv holds this program's text
      setFlagsFromString('--' + flag); const probeOn = on();
      setFlagsFromString('--no-' + flag); const probeOff = on();
      console.log(JSON.stringify({ seen, probe: [probeOn, probeOff] }));`;
    const run = (execArgv: string[]): unknown => {
      rmSync(cache, { recursive: true, force: true });
      return JSON.parse(execFileSync(process.execPath, [...execArgv, '--input-type=module', '-e', program], { encoding: 'utf8' }));
    };
    expect(run([])).toEqual({ seen: ['missing', false, false, 'used', false], probe: [true, false] });
    expect(run(['--verify-snapshot-checksum'])).toEqual({ seen: ['missing', true, true, 'used', true], probe: [true, false] });
  });

  it('the flag counts as set by node only when it is one of node’s options, not text in another option (a -e program, a --require path)', () => {
    const module = new URL('../dist/script-cache.js', import.meta.url).href;
    const program = (note: string) => `// ${note}
      const { CachedScript } = await import(${JSON.stringify(module)});
      const s = CachedScript.load(${JSON.stringify(pathToFileURL(file).href)}, { cacheRoot: ${JSON.stringify(cache)}, modules: { shared: {} }, now: () => Date.now() + 10_000 });
      console.log(JSON.stringify({ state: s.cacheState, saved: s.saveCache() }));`;
    const run = (note: string): unknown => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', program(note)], { encoding: 'utf8' }));
    // A process whose -e program mentions --verify-snapshot-checksum writes the cache ...
    expect(run('made without --verify-snapshot-checksum on the command line')).toEqual({ state: 'missing', saved: true });
    // ... which the next process, with the same flags, should use.
    expect(run('a plain run')).toEqual({ state: 'used', saved: false });
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

describe('packageFile (how the bin finds core and the dialect registry without Node’s ES module resolver)', () => {
  let dir: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'package-file-')));
    write(
      'node_modules/@scope/pkg/package.json',
      JSON.stringify({
        main: './main.js',
        exports: {
          '.': { types: './index.d.ts', import: './index.js' },
          './registry': { types: './r.d.ts', import: './r.js', require: './r.cjs' },
          './nested': { node: { import: './n.mjs', default: './n.cjs' } },
          './sync': { types: './s.d.ts', 'module-sync': './s-sync.js', default: './s.js' },
          './plain': './plain.js',
          './outside': '../escape.js',
          './sneaky': './../escape.js',
        },
      }),
    );
    write('node_modules/short/package.json', JSON.stringify({ exports: './short.js' }));
    write('node_modules/old/package.json', JSON.stringify({ main: './old.js' }));
    write('node_modules/broken/package.json', '{ not json');
    mkdirSync(join(dir, 'app', 'dist', 'bundle'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const from = () => join(dir, 'app', 'dist', 'bundle');
  const file = (specifier: string, condition: 'import' | 'require' = 'import') => {
    const url = packageFile(specifier, condition, from());
    return url === undefined ? undefined : fileURLToPath(url).slice(dir.length + 1);
  };

  it('finds the package in the first node_modules up the tree, and the export for the condition', () => {
    expect(file('@scope/pkg')).toBe('node_modules/@scope/pkg/index.js');
    expect(file('@scope/pkg/registry')).toBe('node_modules/@scope/pkg/r.js');
    expect(file('@scope/pkg/registry', 'require')).toBe('node_modules/@scope/pkg/r.cjs');
    expect(file('@scope/pkg/nested')).toBe('node_modules/@scope/pkg/n.mjs');
    expect(file('@scope/pkg/nested', 'require')).toBe('node_modules/@scope/pkg/n.cjs');
    expect(file('@scope/pkg/plain', 'require')).toBe('node_modules/@scope/pkg/plain.js');
    expect(file('short')).toBe('node_modules/short/short.js');
    expect(file('old')).toBe('node_modules/old/old.js');
  });

  // As Node resolves it: where require() loads an ES module, "module-sync" applies to import and
  // require alike (core's file of it loads its ES module build by require(); an import() of it
  // alongside in the same process can fail on Node 20: tools/build/bundle-package.mjs --facade).
  it('takes "module-sync" where Node can require() an ES module, as Node does', () => {
    write('node_modules/@scope/pkg/s-sync.js', 'export const which = "module-sync";\n');
    write('node_modules/@scope/pkg/s.js', 'export const which = "default";\n');
    const nodeResolves = createRequire(join(from(), 'x.cjs')).resolve('@scope/pkg/sync');
    expect(nodeResolves).toBe(join(dir, 'node_modules', '@scope', 'pkg', process.features.require_module ? 's-sync.js' : 's.js'));
    expect(file('@scope/pkg/sync')).toBe(nodeResolves.slice(dir.length + 1));
    expect(file('@scope/pkg/sync', 'require')).toBe(nodeResolves.slice(dir.length + 1));
  });

  it('a nearer copy wins, and a symlinked package gives its real path', () => {
    write('app/node_modules/@scope/pkg/package.json', JSON.stringify({ exports: { '.': { import: './near.js' } } }));
    expect(file('@scope/pkg')).toBe('app/node_modules/@scope/pkg/near.js');
    rmSync(join(dir, 'app', 'node_modules'), { recursive: true });
    write('packages/real/package.json', JSON.stringify({ exports: { '.': { import: './real.js' } } }));
    mkdirSync(join(dir, 'app', 'node_modules'), { recursive: true });
    symlinkSync(join(dir, 'packages', 'real'), join(dir, 'app', 'node_modules', 'linked'));
    expect(file('linked')).toBe('packages/real/real.js');
  });

  it('is undefined for what it does not export, a package it cannot find or read, and a path that leaves the package', () => {
    expect(file('@scope/pkg', 'require')).toBeUndefined(); // '.' has no require, and main does not count
    expect(file('@scope/pkg/missing')).toBeUndefined();
    expect(file('@scope/pkg/outside')).toBeUndefined();
    expect(file('@scope/pkg/sneaky')).toBeUndefined();
    expect(file('@scope/pkg/../pkg')).toBeUndefined();
    expect(file('short/sub')).toBeUndefined();
    expect(file('old/sub')).toBeUndefined();
    expect(file('nowhere')).toBeUndefined();
    expect(file('broken')).toBeUndefined();
  });

  // Node's resolver passes over a node_modules it cannot look into (a file of that name, a folder
  // it may not read) and finds the package further up: packageFile must too, not throw (the bin
  // died with ENOTDIR's stack trace).
  it('passes over a node_modules on the way up that is not a folder it can look into, as Node does', () => {
    writeFileSync(join(dir, 'app', 'node_modules'), 'not a folder\n');
    write('node_modules/old/old.js', '');
    expect(createRequire(join(from(), 'x.cjs')).resolve('old')).toBe(join(dir, 'node_modules', 'old', 'old.js'));
    expect(file('@scope/pkg')).toBe('node_modules/@scope/pkg/index.js');
    expect(file('nowhere')).toBeUndefined();
  });
});
