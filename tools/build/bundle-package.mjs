#!/usr/bin/env node
// Bundles a package's built ES modules (tsc's dist/) into dist/bundle/, the files its package.json
// exports: one file per entry point, plus shared chunks for modules an entry imports lazily (a
// dialect's driver code), so that every module keeps one instance across entries. Every bare
// import (other packages, node: built-ins) stays an import: kysely, the drivers and jiti load from
// node_modules as before, and a config or revision that imports `@multidb/core` gets this very
// bundle (the CLI's module alias resolves the package's export), so instanceof keeps working.
// Types stay tsc's (dist/*.d.ts).
//
// Why: Node loads each ES module file on its own (resolve, read, compile, link), and at start-up
// that costs more than their code: importing core's 63 modules took ~44 ms of CPU against ~12 ms
// for the same code as one file (tools/bench/RESULTS.md, 2026-12-05).
//
// `--inline PKG` bundles the package PKG (and its subpaths) too, instead of leaving it an import:
// the dialect package inlines kysely (its 262 ES modules cost a connecting command ~120 ms of CPU
// at start-up, against ~25 ms as a few files) and re-exports all of it as `@multidb/dialect/kysely`,
// an entry of the same build, so the dialects and that entry share one copy of every kysely module.
//
// `--lazy-require MOD` (with --inline): in the inlined packages' CommonJS code, `require('MOD')`
// becomes an object that requires MOD on its first property read. The CLI inlines commander, whose
// top level requires node:child_process for executable subcommands, which migrate has none of:
// loading it cost every command ~4 ms of CPU at start-up (tools/bench/RESULTS.md, 2026-12-05).
//
// `--one-file` (one entry only): no chunks; what the entry imports lazily from the package itself
// is in that one file too (Node loads each file as a module of its own: resolve, read, compile,
// link). Lazy imports of other packages stay lazy imports. The CLI's entry is one file this way
// (its commands are a few KB each; as chunks, `heads` loaded 7 files of the CLI).
//
// Usage, in a package folder after tsc:
//   node ../../tools/build/bundle-package.mjs [--inline PKG]... [--lazy-require MOD]... [--one-file] index [registry ...]
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, RolldownMagicString } from 'rolldown';

const args = process.argv.slice(2);
const inline = [];
const lazyRequire = [];
const entries = [];
let oneFile = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--inline') inline.push(args[++i]);
  else if (args[i] === '--lazy-require') lazyRequire.push(args[++i]);
  else if (args[i] === '--one-file') oneFile = true;
  else entries.push(args[i]);
}
if (entries.length === 0 || inline.some((p) => !p) || lazyRequire.some((m) => !m) || (lazyRequire.length > 0 && inline.length === 0) || (oneFile && entries.length !== 1)) {
  throw new Error('usage: bundle-package.mjs [--inline PKG]... [--lazy-require MOD]... [--one-file] ENTRY... (file names in dist/, without .js; --one-file: one ENTRY)');
}
const inlined = (id) => inline.some((p) => id === p || id.startsWith(`${p}/`));
const inInlinedPackage = (file) => inline.some((p) => new RegExp(`[\\\\/]node_modules[\\\\/]${p}[\\\\/]`).test(file));

/** The plugin of --lazy-require: `require('MOD')` in an inlined package becomes a lazy proxy. */
const lazyRequirePlugin = {
  name: 'lazy-require',
  transform(code, id) {
    if (!inInlinedPackage(id)) return null;
    const s = new RolldownMagicString(code);
    let changed = false;
    for (const mod of lazyRequire) {
      for (const quote of ["'", '"']) {
        const call = `require(${quote}${mod}${quote})`;
        if (!code.includes(call)) continue;
        s.replaceAll(call, `new Proxy({}, { get: (_target, key) => ${call}[key] })`);
        changed = true;
      }
    }
    return changed ? { code: s } : null;
  },
};
const dist = resolve('dist');
const out = join(dist, 'bundle');
rmSync(out, { recursive: true, force: true });
await build({
  input: Object.fromEntries(entries.map((name) => [name, join(dist, `${name}.js`)])),
  // Only the package's own relative imports are bundled, and the packages named by --inline.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !inlined(id),
  platform: 'node',
  logLevel: 'warn',
  plugins: lazyRequire.length > 0 ? [lazyRequirePlugin] : [],
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // Non-ASCII characters escaped, and the JSDoc comments dropped (types come from tsc's .d.ts):
    // V8 keeps each module's source for the whole process, as two bytes per character when one
    // character is beyond Latin-1 (a '…' or '→' in a message or a comment). Core's bundle took
    // 838 KB of heap that way for a 429 KB file.
    charset: 'ascii',
    comments: { legal: true, annotation: true, jsdoc: false },
    sourcemap: true,
    // Each inlined package is one chunk of its own (`kysely-[hash].js`), whichever entries use it:
    // one file to load, and a single instance of each of its modules for every entry. (Split by
    // entry, kysely was 8 chunks; importing the SQLite dialect cost the same CPU either way.)
    ...(oneFile
      ? { codeSplitting: false }
      : inline.length > 0
      ? { codeSplitting: { groups: inline.map((p) => ({ name: p, test: new RegExp(`[\\\\/]node_modules[\\\\/]${p}[\\\\/]`) })) } }
      : {}),
  },
});
