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
// `--lazy-require MOD` (with --inline): in the inlined packages' CommonJS code, and in a script's
// (--script, --shared-script) top-level requires, `require('MOD')` becomes an object that requires
// MOD on its first property read. The CLI inlines commander, whose
// top level requires node:child_process for executable subcommands, which migrate has none of:
// loading it cost every command ~4 ms of CPU at start-up (tools/bench/RESULTS.md, 2026-12-05).
//
// `--one-file`: no chunks, each entry is one file; what an entry imports lazily from the package
// itself is in that one file too (Node loads each file as a module of its own: resolve, read,
// compile, link). Lazy imports of other packages stay lazy imports. The CLI's entry is one file this
// way (its commands are a few KB each; as chunks, `heads` loaded 7 files of the CLI), and so is the
// bin's start (its three modules). A module two entries import is then in both files.
//
// `--script ENTRY`: ENTRY is also written as a script, dist/bundle/ENTRY.script.cjs: the entry and
// everything of the package it imports, even lazily (and the --inline packages), in one CommonJS
// body wrapped as `(function (exports, require, module, __filename, __dirname, importMetaUrl,
// importMetaResolve, dynamicImport) {...})`, for the `migrate` bin to compile with `vm.Script` and a
// V8 code cache (packages/cli/src/script-cache.ts): Node 20 compiles every ES module from its source
// on every start, and has no compile cache for them. `import.meta.url` and `import.meta.resolve`
// become parameters; other packages' static imports become `require(...)` calls (what the bin gives
// for them), and every `import(...)` that stays (of another package, or of a computed specifier)
// calls the last parameter: in a vm.Script, `import()` needs --experimental-vm-modules on Node 20.
//
// `--facade` (with --script): each script entry's ES module file (ENTRY.js, what `import` of the
// package loads) becomes a small file exporting the names of the instance the bin loaded from
// ENTRY.script.cjs, when it did (it registers it on globalThis), else those of the ES module build,
// ENTRY-module.js: one copy of the package per process either way (core's classes, instanceof).
//
// Each facade is written twice (--facade, --shared-script). ENTRY-sync.js, the file of package.json's
// "module-sync" export condition (Node 20.19+ and 22.12+, where `require()` loads an ES module:
// there Node resolves the package's specifier to it for `import` and `require` alike), loads the ES
// module build with `require()`, so it has no top-level await and a CommonJS app can `require()`
// the package. ENTRY.js, what a file path names (the registry's `import()` of each dialect, its
// kysely alias) and what older Node, bundlers and vitest (which know no "module-sync") resolve the
// package to, loads the build with `require()` too where Node can require an ES module, else with
// a top-level `await import()`. Node 20 fails a `require()` of a module that an `import()` is still
// loading, or of one that imports such a module ("not yet fully loaded", or a TypeError out of its
// loader): so each package's ES module build is loaded one way per process, and a dynamic import
// of a facaded entry inside the build stays an import of its facade (facadeDynamicImportPlugin).
// The `migrate` bin's lookup of core names the file Node's resolution gives (ENTRY-sync.js there).
//
// `--cjs ENTRY`: ENTRY is also written as CommonJS, dist/bundle/ENTRY.cjs, for `require`: the entry
// and what it imports statically, in one file; its dynamic imports of the package's own modules stay
// `import()`s of the ES module build's files beside it (each must be an entry of the build). Why:
// the `migrate` bin is CommonJS, and Node 20 sets up its ES module loader on first use, ~13 ms of
// CPU that `migrate heads` needs nothing of (tools/bench/RESULTS.md, 2026-12-05). `import.meta.url`
// becomes the file's URL; any other `import.meta` fails the build.
//
// `--shared-script NAME` (with --unshared ENTRY...): every entry of the build (but those --unshared)
// in ONE script, dist/bundle/NAME.script.cjs, for the `migrate` bin to compile with a V8 code cache
// on first use: dist/NAME.js (written here) exports each entry's namespace, named after its path
// (`sqlite/index` → `sqlite_index`), and each entry's ES module file becomes a facade of its
// namespace there (the script registers its exports on globalThis, or the bin registers a function
// that loads it), else of the ES module build, ENTRY-module.js. The dialect package: its three
// dialects and kysely, ~450 KB that Node 20 compiled from source at every connecting command (a
// script made three copies of kysely when each dialect was one; a script and the ES modules both
// loaded, two). Whichever entry a process imports first, it gets the one copy the others get.
//
// Usage, in a package folder after tsc:
//   node ../../tools/build/bundle-package.mjs [--inline PKG]... [--lazy-require MOD]... [--one-file] [--script ENTRY [--facade]] [--cjs ENTRY]... index [registry ...]
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, RolldownMagicString } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

const args = process.argv.slice(2);
const inline = [];
const lazyRequire = [];
const entries = [];
const scripts = [];
const cjs = [];
const unshared = [];
let sharedScript;
let oneFile = false;
let facade = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--inline') inline.push(args[++i]);
  else if (args[i] === '--lazy-require') lazyRequire.push(args[++i]);
  else if (args[i] === '--one-file') oneFile = true;
  else if (args[i] === '--script') scripts.push(args[++i]);
  else if (args[i] === '--facade') facade = true;
  else if (args[i] === '--cjs') cjs.push(args[++i]);
  else if (args[i] === '--shared-script') sharedScript = args[++i];
  else if (args[i] === '--unshared') unshared.push(args[++i]);
  else entries.push(args[i]);
}
if (
  entries.length === 0 ||
  inline.some((p) => !p) ||
  lazyRequire.some((m) => !m) ||
  (lazyRequire.length > 0 && inline.length === 0) ||
  scripts.some((e) => !entries.includes(e)) ||
  cjs.some((e) => !entries.includes(e)) ||
  (facade && (scripts.length === 0 || oneFile)) ||
  (sharedScript !== undefined && (!sharedScript || entries.includes(sharedScript) || facade || scripts.length > 0 || oneFile)) ||
  unshared.some((e) => !entries.includes(e)) ||
  (unshared.length > 0 && sharedScript === undefined)
) {
  throw new Error(
    'usage: bundle-package.mjs [--inline PKG]... [--lazy-require MOD]... [--one-file] [--script ENTRY [--facade]] [--cjs ENTRY]... ENTRY... (file names in dist/, without .js; --script, --cjs: one of the ENTRYs)',
  );
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
/**
 * The plugin of --script: each `import(...)` left to run time (not a relative literal, which is
 * bundled) calls `__multidbDynamicImport(...)` instead, the loader's import of an ES module.
 */
const dynamicImportPlugin = {
  name: 'script-dynamic-import',
  transform(code, id) {
    if (!code.includes('import(')) return null;
    const s = new RolldownMagicString(code);
    let changed = false;
    const visit = (node) => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      if (node.type === 'ImportExpression' && !(node.source.type === 'Literal' && typeof node.source.value === 'string' && node.source.value.startsWith('.'))) {
        if (code.slice(node.start, node.start + 6) !== 'import') throw new Error(`--script: ${id}: no import( at offset ${node.start}`);
        s.overwrite(node.start, node.start + 6, '__multidbDynamicImport');
        changed = true;
      }
      for (const value of Object.values(node)) if (value !== null && typeof value === 'object') visit(value);
    };
    visit(parseAst(code, { sourceType: 'module' }, id));
    return changed ? { code: s } : null;
  },
};
const dist = resolve('dist');
const out = join(dist, 'bundle');
rmSync(out, { recursive: true, force: true });
// Only the package's own relative imports are bundled, and the packages named by --inline.
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !inlined(id);
const plugins = lazyRequire.length > 0 ? [lazyRequirePlugin] : [];
// With --facade, a script entry's ES module build is ENTRY-module.js (ENTRY.js is the facade); with
// --shared-script, every entry's but the --unshared ones'.
const shared = sharedScript === undefined ? [] : entries.filter((name) => !unshared.includes(name));
const moduleName = (name) => ((facade && scripts.includes(name)) || shared.includes(name) ? `${name}-module` : name);
/** An entry's namespace in the shared script: its path with `/` and `-` as `_`. */
const namespaceOf = (name) => name.replace(/[/-]/g, '_');
/**
 * The plugin of the ES module build: a relative dynamic import of an entry that has a facade (the
 * registry's `import('./sqlite/index.js')`) stays an import of that facade, ENTRY.js, not of its
 * build, ENTRY-module.js: the facade gives the bin's instance when there is one, and loads the
 * build the one way of the process (see `writeFacades`), so that it is never an `import()` still
 * loading when an application's `require()` of the package needs it.
 */
const facadeDynamicImportPlugin = {
  name: 'facade-dynamic-imports',
  resolveDynamicImport(specifier, importer) {
    if (typeof specifier !== 'string' || !specifier.startsWith('.') || importer === undefined) return null;
    const entry = join(dirname(importer), specifier).slice(dist.length + 1).replace(/\\/g, '/').replace(/\.js$/, '');
    if (moduleName(entry) === entry) return null;
    if (dirname(importer) !== dist) throw new Error(`import('${specifier}') of a facade in ${importer}: only modules at the root of dist/ may import one (the path stays as written)`);
    return { id: specifier, external: true };
  },
};
const esmBuild = (names) => build({
  input: Object.fromEntries(names.map((name) => [moduleName(name), join(dist, `${name}.js`)])),
  external,
  platform: 'node',
  logLevel: 'warn',
  plugins: [...plugins, facadeDynamicImportPlugin],
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
// One build per entry with --one-file (rolldown inlines dynamic imports for a single input only).
const esmOutput = [];
for (const names of oneFile ? entries.map((name) => [name]) : [entries]) esmOutput.push(...(await esmBuild(names)).output);

/**
 * A CommonJS build of entry `name` alone, in memory (--script, --cjs): `plugin` added, the
 * `import.meta` parts in `define` replaced; an `import.meta` the define does not cover would
 * become `{}` in CommonJS, so it fails the build (named by `flag`).
 */
function commonJsBuild(flag, name, plugin, define) {
  return build({
    input: join(dist, `${name}.js`),
    external,
    platform: 'node',
    onLog(level, log, handler) {
      if (log.code === 'EMPTY_IMPORT_META') throw new Error(`${flag} ${name}: ${log.message}`);
      if (level === 'warn') handler(level, log);
    },
    plugins: [...plugins, plugin],
    transform: { define },
    write: false,
    output: { format: 'cjs', codeSplitting: false, charset: 'ascii', comments: { legal: true, annotation: true, jsdoc: false } },
  });
}

/** The key under which a script entry's instance is registered on globalThis (the facade reads it). */
const registryKey = (file) => `Symbol.for("multidb.script:" + ${file})`;

/** Writes entry `name` as dist/bundle/NAME.script.cjs (--script, --shared-script); `register`: it registers its exports on globalThis. */
async function writeScript(name, register) {
  const { output } = await commonJsBuild('--script', name, dynamicImportPlugin, { 'import.meta.url': '__multidbImportMetaUrl', 'import.meta.resolve': '__multidbImportMetaResolve' });
  let code = output[0].code;
  // --lazy-require applies to the script's own top-level requires too (the dialects' script: the
  // PostgreSQL and MySQL locks' node:crypto, which a SQLite run would load at start for nothing).
  for (const mod of lazyRequire) code = code.replaceAll(`= require("${mod}");`, `= new Proxy({}, { get: (_target, key) => require("${mod}")[key] });`);
  if (/\bimport\.meta\b/.test(code)) throw new Error(`--script ${name}: import.meta is left in the script`);
  const left = [];
  const findImports = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(findImports);
    if (node.type === 'ImportExpression') left.push(code.slice(node.start, node.end));
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') findImports(value);
  };
  findImports(parseAst(code, { sourceType: 'script' }));
  if (left.length > 0) throw new Error(`--script ${name}: import() left in the script: ${left.join(', ')}`);
  writeFileSync(
    join(out, `${name}.script.cjs`),
    `// ${name} as a script for vm.Script with a V8 code cache (tools/build/bundle-package.mjs --script; packages/cli/src/script-cache.ts).\n` +
      `(function (exports, require, module, __filename, __dirname, __multidbImportMetaUrl, __multidbImportMetaResolve, __multidbDynamicImport) {\n${code}\n` +
      (register ? `globalThis[${registryKey('__multidbImportMetaUrl')}] = module.exports;\n` : '') +
      '})\n',
  );
}
for (const name of scripts) await writeScript(name, facade);

/** The names entry `name`'s ES module build exports (`flag`: the option that asks for its facades). */
function exportedNames(flag, name) {
  const chunk = esmOutput.find((o) => o.type === 'chunk' && o.isEntry && o.name === moduleName(name));
  if (chunk === undefined) throw new Error(`${flag}: no entry chunk ${moduleName(name)}`);
  const names = [...chunk.exports].sort();
  if (names.includes('default')) throw new Error(`${flag}: ${name} has a default export`);
  return names;
}

/**
 * Writes entry `name`'s facades, dist/bundle/ENTRY.js and ENTRY-sync.js (see --facade): `comment`,
 * then `loaded` = the expression `instance` (the bin's instance, or undefined), else the ES module
 * build, then the exports `names` of it.
 */
function writeFacades(name, comment, instance, names) {
  const build = `./${moduleName(name).split('/').at(-1)}.js`;
  const exports = `export const { ${names.join(', ')} } = loaded;\n`;
  writeFileSync(
    join(out, `${name}.js`),
    comment +
      `// Where Node can require() an ES module, the build is loaded with require() here too (one way per process: an\n` +
      `// import() of it still loading would make a require() of the package fail, "not yet fully loaded"); elsewhere import().\n` +
      `const loaded = ${instance} ?? (process.features.require_module ? process.getBuiltinModule('node:module').createRequire(import.meta.url)('${build}') : await import('${build}'));\n` +
      exports,
  );
  writeFileSync(
    join(out, `${name}-sync.js`),
    comment +
      `// This file is the one of the "module-sync" export condition (Node 20.19+, 22.12+, where require() loads an ES module):\n` +
      `// no top-level await, so that require() of the package loads it; it loads the ES module build with require() too.\n` +
      `const loaded = ${instance} ?? process.getBuiltinModule('node:module').createRequire(import.meta.url)('${build}');\n` +
      exports,
  );
}

if (facade) {
  for (const name of scripts) {
    writeFacades(
      name,
      `// The package's ES module entry (tools/build/bundle-package.mjs --facade): the instance the migrate bin\n` +
        `// loaded from ${name}.script.cjs with a V8 code cache when it did, else the ES module build: one copy per process.\n`,
      `globalThis[${registryKey(`new URL('./${name}.script.cjs', import.meta.url).href`)}]`,
      exportedNames('--facade', name),
    );
  }
}

if (sharedScript !== undefined) {
  writeFileSync(
    join(dist, `${sharedScript}.js`),
    `// Every entry's namespace, for the shared script (tools/build/bundle-package.mjs --shared-script).\n` +
      shared.map((name) => `export * as ${namespaceOf(name)} from './${name}.js';\n`).join(''),
  );
  await writeScript(sharedScript, true);
  for (const name of shared) {
    const up = '../'.repeat(name.split('/').length - 1) || './';
    writeFacades(
      name,
      `// The package's ES module entry (tools/build/bundle-package.mjs --shared-script): its namespace in the script the\n` +
        `// migrate bin loads with a V8 code cache (${sharedScript}.script.cjs, or the bin's function that loads it) when\n` +
        `// there is one, else the ES module build: one copy of the package per process.\n` +
        `const shared = globalThis[${registryKey(`new URL('${up}${sharedScript}.script.cjs', import.meta.url).href`)}];\n`,
      `(typeof shared === 'function' ? shared() : shared)?.${namespaceOf(name)}`,
      exportedNames('--shared-script', name),
    );
  }
}

for (const name of cjs) {
  // A relative dynamic import stays an import() of the ES module build's file of the same path.
  const keepDynamicImports = {
    name: 'cjs-keep-dynamic-imports',
    resolveDynamicImport(specifier, importer) {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return null;
      const entry = join(dirname(importer), specifier).slice(dist.length + 1).replace(/\\/g, '/').replace(/\.js$/, '');
      if (!entries.includes(entry)) throw new Error(`--cjs ${name}: import('${specifier}') in ${importer} is not an entry of the build`);
      return { id: specifier, external: true };
    },
  };
  const { output } = await commonJsBuild('--cjs', name, keepDynamicImports, { 'import.meta.url': '__multidbModuleUrl' });
  const code = output[0].code;
  if (/\bimport\.meta\b/.test(code)) throw new Error(`--cjs ${name}: import.meta is left in the build`);
  // The file sits one folder deeper than dist/ as dist/bundle/ENTRY.js does: same relative paths.
  writeFileSync(
    join(out, `${name}.cjs`),
    `// ${name} as CommonJS (tools/build/bundle-package.mjs --cjs).\n` +
      (code.includes('__multidbModuleUrl') ? 'const __multidbModuleUrl = require("node:url").pathToFileURL(__filename).href;\n' : '') +
      code,
  );
}
