#!/usr/bin/env node
// Bundles an installed CommonJS package (and its own dependencies) into ONE CommonJS file of the
// package's dist/bundle/, for the package's code to `require` lazily instead of the package: core
// loads sucrase this way (packages/core/src/script/module-transform.ts) on the first module it has
// to transform, the first run after a checkout.
//
// Why: Node resolves, reads and compiles each file of a package on its own. sucrase is ~100 files;
// as one file its `require` took ~40 instead of ~50-57 ms of CPU (tools/bench/RESULTS.md,
// 2026-12-05, "the first run after a checkout").
//
// The first line of the output names the package and its version (`// sucrase@3.35.1 …`): what the
// bundle transforms with, for the caches keyed by it (core reads that line, not the installed
// package.json, which may be another version than the one bundled).
//
// Usage, in a package folder after its bundle-package.mjs run (which empties dist/bundle/):
//   node ../../tools/build/bundle-dependency.mjs PKG OUT_NAME      e.g. sucrase sucrase.cjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

const [pkg, outName] = process.argv.slice(2);
if (!pkg || !outName || !outName.endsWith('.cjs')) throw new Error('usage: bundle-dependency.mjs PKG OUT_NAME.cjs');
const require = createRequire(join(resolve('.'), 'package.json'));
const { version } = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8'));
const out = join(resolve('dist'), 'bundle', outName);
const result = await build({
  input: require.resolve(pkg),
  platform: 'node',
  logLevel: 'warn',
  write: false,
  // As bundle-package.mjs writes core's bundles: ASCII (V8 keeps a script's source for the whole
  // process, at two bytes a character when one is beyond Latin-1) and no JSDoc comments.
  output: { format: 'cjs', codeSplitting: false, charset: 'ascii', comments: { legal: true, annotation: true, jsdoc: false } },
});
const chunks = result.output.filter((o) => o.type === 'chunk');
if (chunks.length !== 1) throw new Error(`bundle-dependency.mjs: ${pkg} gave ${chunks.length} chunks, expected one`);
writeFileSync(out, `// ${pkg}@${version} bundled by tools/build/bundle-dependency.mjs\n${chunks[0].code}`);
