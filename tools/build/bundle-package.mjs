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
// Usage, in a package folder after tsc:
//   node ../../tools/build/bundle-package.mjs [--inline PKG]... index [registry ...]
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

const args = process.argv.slice(2);
const inline = [];
const entries = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--inline') inline.push(args[++i]);
  else entries.push(args[i]);
}
if (entries.length === 0 || inline.some((p) => !p)) {
  throw new Error('usage: bundle-package.mjs [--inline PKG]... ENTRY... (file names in dist/, without .js)');
}
const inlined = (id) => inline.some((p) => id === p || id.startsWith(`${p}/`));
const dist = resolve('dist');
const out = join(dist, 'bundle');
rmSync(out, { recursive: true, force: true });
await build({
  input: Object.fromEntries(entries.map((name) => [name, join(dist, `${name}.js`)])),
  // Only the package's own relative imports are bundled, and the packages named by --inline.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !inlined(id),
  platform: 'node',
  logLevel: 'warn',
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
    ...(inline.length > 0
      ? { codeSplitting: { groups: inline.map((p) => ({ name: p, test: new RegExp(`[\\\\/]node_modules[\\\\/]${p}[\\\\/]`) })) } }
      : {}),
  },
});
