import { existsSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
// Core's own rules for its cache folder, inlined into the bin's bundle (the code cache is read
// before core is loaded).
import { changedSince, defaultCacheRoot, isPrivateCacheFolder, RACY_MS } from '@multidb/core/cache-folder';
import { isEsModuleFile } from '@multidb/core/module-format';

/** First bytes of a code cache file; a file without them is not one of ours (or of another format). */
const MAGIC = Buffer.from('MDBV8C2\n', 'latin1');

/** V8's flag that makes it write a checksum into a code cache it makes and verify it in one it is given. */
const CHECKSUM_FLAG = 'verify-snapshot-checksum';

/** The flag as one of node's own options (`--verify-snapshot-checksum` / `--verify_snapshot_checksum`): it is then on throughout. */
const CHECKSUM_FLAG_SET = /^--verify[-_]snapshot[-_]checksum$/;

/**
 * What happened to a script's V8 code cache when {@link CachedScript.load} compiled it:
 * `used` (V8 accepted it), `missing` (no file yet), `stale` (a file for another version of the
 * script file, another URL or another Node), `corrupt` (a file that is not in the cache's format: not
 * given to V8), `rejected` (V8 refused it: another V8 version or flags, or data that fails V8's
 * checksum), `off` (no usable cache folder). Every case but `used` and `off` is written afresh by
 * {@link CachedScript.saveCache}, unless the script file changed less than `RACY_MS` before it was
 * read.
 */
export type CodeCacheState = 'used' | 'missing' | 'stale' | 'corrupt' | 'rejected' | 'off';

/** Options of {@link CachedScript.load}. */
export interface CachedScriptOptions {
  /** What the script's `require(id)` returns for these ids (packages loaded before it); Node's `require` otherwise. */
  readonly modules?: Readonly<Record<string, unknown>>;
  /**
   * The script's `import.meta.resolve` (its bundle's `import.meta.resolve(specifier)` calls): the
   * ES module resolution of its package. Default: relative specifiers only, against the script's URL.
   */
  readonly resolve?: (specifier: string) => string;
  /**
   * The folder of the code cache: by default the project's cache folder, the transform cache's
   * (`<cwd>/node_modules/.cache/multidb`, else `multidb-cache-<uid>` in the OS temp folder), used
   * only when it is this user's and no one else may write it; `null`: no code cache.
   */
  readonly cacheRoot?: string | null;
  /** The clock, ms since the epoch (default `Date.now`; tests move it forward instead of waiting out {@link RACY_MS}). */
  readonly now?: () => number;
  /**
   * Where the script's `import()` of a package (not a relative specifier) resolves from: a file
   * of the script's own package, so its dependencies are found as its ES modules would find them
   * (`import('pg')` from the dialect package's folder); a CommonJS package is then required, and
   * given as its ES namespace would be (`default` and its own keys). Default: as from this module
   * (the CLI's package), by Node's `import()`.
   */
  readonly importFrom?: string;
}

/**
 * A script built by `tools/build/bundle-package.mjs --script` (a package's bundle as one CommonJS
 * body wrapped in a function), compiled with `vm.Script` and a V8 code cache kept in the project's
 * cache folder, then run.
 *
 * Why: Node 20 compiles every ES module from its source at every start (it has no compile cache
 * for them), and for a short command such as `migrate heads` compiling core's and the CLI's
 * bundles was a third of the CPU time of its own. With a code cache V8 skips the parse and the lazy
 * compiles of the functions that ran when the cache was made.
 *
 * The cache file of a script (one per script URL and cache folder) holds what it was made for:
 * the script's URL, this Node version and architecture, its file's stamp (size, modification and
 * change times, inode) and a CRC-32 of its text (V8 itself checks only the source's length),
 * checked before V8 sees the file. The stamp decides without reading the cache's CRC: when it
 * differs but the size is the same (a `node_modules` copied, restored from a CI cache or
 * extracted from an image layer gets new times and inodes), the text's CRC-32 does (node:zlib
 * loaded then only), and a cache so found is written again under the new stamp. V8 then checks
 * its own version, flags and source length, and a checksum of its data: V8 writes and verifies
 * one while its `--verify-snapshot-checksum` flag is on, which is set only while a cache is made
 * and read (on for good, each worker thread's start would verify Node's whole snapshot, ~20 ms).
 * A file that fails any check is ignored (the script compiles from source, with the same result)
 * and replaced by {@link saveCache}. A cache is made only of a script file last changed
 * {@link RACY_MS} or more before it was read (a change within the same tick of its timestamps
 * could otherwise go unseen); any later change then stamps it anew.
 * (Before, every start computed that CRC-32 and the cache file's own: loading node:zlib cost ~3 ms.)
 *
 * @example
 * ```ts
 * const script = CachedScript.load(new URL('./bundle/main.script.cjs', import.meta.url), { modules: { '@multidb/core': await import('@multidb/core') } });
 * const { main } = script.exports as { main: (argv: string[]) => Promise<number> };
 * process.exitCode = await main(process.argv.slice(2));
 * script.saveCache();
 * ```
 * @internal
 */
export class CachedScript {
  /** What the script assigned to `module.exports`. */
  readonly exports: Record<string, unknown>;
  /** What happened to its code cache (see {@link CodeCacheState}). */
  readonly cacheState: CodeCacheState;
  readonly #script: Script;
  /** Where {@link saveCache} writes: `undefined` without a cache folder, when the cache was used as it is, or when the file changed too recently to be cached. */
  readonly #cacheFile: string | undefined;
  readonly #key: string;

  private constructor(exports: Record<string, unknown>, state: CodeCacheState, script: Script, cacheFile: string | undefined, key: string) {
    this.exports = exports;
    this.cacheState = state;
    this.#script = script;
    this.#cacheFile = cacheFile;
    this.#key = key;
  }

  /**
   * Reads, compiles (with the code cache when there is a good one) and runs the script at `url`.
   * @param url - the script's `file:` URL (its `import.meta.url` is this URL).
   * @param options - see {@link CachedScriptOptions}.
   * @returns the script, run: its exports and its cache state.
   * @throws what `stat` or reading the file throws (`ENOENT` when it is missing), and what the script throws.
   */
  static load(url: string | URL, options: CachedScriptOptions = {}): CachedScript {
    const href = String(url);
    const file = fileURLToPath(href);
    // Stamped before it is read: a change while it is read then differs from the stamp kept.
    const stamp = statSync(file);
    const readAt = (options.now ?? Date.now)();
    const bytes = readFileSync(file);
    const source = bytes.toString('utf8');
    const root = options.cacheRoot === undefined ? defaultCacheRoot() : options.cacheRoot;
    const cacheFile = root !== null && isPrivateCacheFolder(root) ? join(root, `v8-${shortHash(href)}.bin`) : undefined;
    let state: CodeCacheState = cacheFile === undefined ? 'off' : 'missing';
    let cachedData: Buffer | undefined;
    // What the cache must have been made for: this script's URL, this Node, this architecture, and
    // this file as it is (its stamp; else, the same size and text, by its CRC-32).
    const identity = [href, process.version, process.arch];
    const stampOf = [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino].map(String);
    let crc: string | undefined;
    const crcOf = (): string => (crc ??= String(zlibCrc32()?.(bytes) ?? ''));
    let restamp = false;
    if (cacheFile !== undefined) {
      const read = readCacheFile(cacheFile);
      if (read.key === undefined) state = read.state;
      else if (!sameItems(read.key.slice(0, 3), identity)) state = 'stale';
      else if (sameItems(read.key.slice(3, 7), stampOf)) cachedData = read.data;
      else if (read.key[3] === stampOf[0] && read.key[7] !== '' && read.key[7] === crcOf()) {
        cachedData = read.data;
        restamp = true;
      } else state = 'stale';
    }
    const script = cachedData === undefined ? new Script(source, { filename: file }) : withChecksums(() => new Script(source, { filename: file, cachedData }));
    if (cachedData !== undefined) state = script.cachedDataRejected === true ? 'rejected' : 'used';
    const racy = bytes.length !== stamp.size || changedSince(stamp, readAt - RACY_MS);
    // Written by saveCache: a cache missing, stale, corrupt or rejected, or used under another stamp.
    const write = cacheFile !== undefined && !racy && (state !== 'used' || restamp);
    const key = write ? [...identity, ...stampOf, crcOf()].join('\n') : '';
    const modules = options.modules ?? {};
    // Node's built-ins without the CommonJS loader when Node has process.getBuiltinModule (20.16):
    // in an ES module process nothing else uses that loader, and its first require cost ~3 ms.
    let nodeRequire: ((id: string) => unknown) | undefined;
    const scriptRequire = (id: string): unknown => {
      if (Object.hasOwn(modules, id)) return modules[id];
      const builtin = id.startsWith('node:') ? process.getBuiltinModule?.(id) : undefined;
      if (builtin !== undefined) return builtin;
      nodeRequire ??= createRequire(file);
      return nodeRequire(id);
    };
    const resolve = options.resolve ?? ((specifier: string) => new URL(specifier, href).href);
    const module = { exports: {} as Record<string, unknown> };
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    // The script's `import()`s (the build made them calls of this function: in a vm.Script, Node 20
    // runs `import()` only with --experimental-vm-modules): Node's ES module loader, relative
    // specifiers against the script's URL, others as from this module (the CLI's package).
    const importFrom = options.importFrom;
    let fromRequire: NodeJS.Require | undefined;
    const importPackage = (specifier: string, importOptions?: ImportCallOptions): Promise<unknown> => {
      // A file URL (the project's own kysely, which a dialect imports as the module loader does) is no package: Node's loader takes it as it is.
      if (importFrom === undefined || specifier.startsWith('node:') || specifier.startsWith('file:') || process.getBuiltinModule?.(specifier) !== undefined) {
        return import(specifier, importOptions);
      }
      fromRequire ??= createRequire(importFrom);
      const resolved = fromRequire.resolve(specifier);
      // A CommonJS package (the drivers: better-sqlite3, pg, mysql2) is required: its namespace as
      // an ES import gives it (`default`, and its own keys), without setting up Node's ES module
      // loader (~13 ms of CPU on Node 20) for a command that needs no other ES module.
      if (resolved.endsWith('.cjs') || (resolved.endsWith('.js') && !isEsModuleFile(resolved))) {
        const value = fromRequire(resolved) as unknown;
        const named = value !== null && (typeof value === 'object' || typeof value === 'function') ? { ...(value as object) } : {};
        return Promise.resolve(Object.freeze({ ...named, default: value }));
      }
      return import(pathToFileURL(resolved).href, importOptions);
    };
    const dynamicImport = (specifier: string, importOptions?: ImportCallOptions): Promise<unknown> =>
      specifier.startsWith('.') ? import(new URL(specifier, href).href, importOptions) : importPackage(specifier, importOptions);
    run(module.exports, scriptRequire, module, file, fileURLToPath(new URL('.', href)), href, resolve, dynamicImport);
    return new CachedScript(module.exports, state, script, write ? cacheFile : undefined, key);
  }

  /**
   * Writes the script's code cache when it was not used (missing, stale, corrupt or rejected) or
   * was used under another stamp of the same text, and its file had not changed for
   * {@link RACY_MS} when it was read:
   * call it after the script's work, so the functions that ran are in the cache, compiled. Never
   * throws: a cache that cannot be written is only not written.
   * @returns whether a cache file was written.
   */
  saveCache(): boolean {
    if (this.#cacheFile === undefined) return false;
    const temp = `${this.#cacheFile}.${process.pid}.tmp`;
    try {
      // MAGIC, key length, key, V8's data (with its checksum).
      const key = Buffer.from(this.#key, 'utf8');
      const keyLength = Buffer.alloc(4);
      keyLength.writeUInt32LE(key.length);
      const data = withChecksums(() => this.#script.createCachedData());
      writeFileSync(temp, Buffer.concat([MAGIC, keyLength, key, data]), { mode: 0o600 });
      renameSync(temp, this.#cacheFile);
      return true;
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // A folder this process cannot search (its effective user is not the one the cache
        // folder was made for): nothing was written there either.
      }
      return false;
    }
  }
}

/**
 * A cache file's key (identity, stamp and CRC-32 fields: see {@link CachedScript}) and V8 data
 * when its mark and layout are right; else why not.
 */
function readCacheFile(file: string): { state: CodeCacheState; key?: readonly string[]; data?: Buffer } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { state: 'missing' };
  }
  const start = MAGIC.length + 4;
  if (bytes.length < start || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { state: 'corrupt' };
  const keyLength = bytes.readUInt32LE(MAGIC.length);
  if (start + keyLength > bytes.length) return { state: 'corrupt' };
  const key = bytes.toString('utf8', start, start + keyLength).split('\n');
  if (key.length !== 8) return { state: 'corrupt' };
  return { state: 'missing', key, data: bytes.subarray(start + keyLength) };
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** node:zlib's `crc32` (Node 20.15), loaded only when asked for; `undefined` without it (or without `process.getBuiltinModule`, Node 20.16). */
function zlibCrc32(): ((data: Uint8Array) => number) | undefined {
  const zlib = process.getBuiltinModule?.('node:zlib') as { crc32?: (data: Uint8Array) => number } | undefined;
  return zlib?.crc32;
}

/**
 * Runs `make` (a code cache's compile or creation) with V8's code cache checksums on, then turns
 * them off again unless the process was started with them on: a cache made this way carries a
 * checksum of its data, and one given to V8 this way is verified against it (a changed byte makes
 * V8 reject it: `cachedDataRejected`). The flag is part of the flags V8 checks, so a cache made
 * without it is rejected too, and made again.
 */
function withChecksums<T>(make: () => T): T {
  if (process.execArgv.some((option) => CHECKSUM_FLAG_SET.test(option))) return make();
  setFlagsFromString(`--${CHECKSUM_FLAG}`);
  try {
    return make();
  } finally {
    setFlagsFromString(`--no-${CHECKSUM_FLAG}`);
  }
}

/** A short name for a cache file (FNV-1a, 32 bits, hex): one file per script URL. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `migrate`'s `main`, and what to call once it returned. */
export interface LoadedMain {
  readonly main: (argv: readonly string[]) => Promise<number>;
  /** Writes the code caches that were not used (see {@link CachedScript.saveCache}). */
  readonly saveCaches: () => void;
}

/** Where the CLI's two builds of `main` are (tools/build/bundle-package.mjs `--script main main`). */
export interface MainFiles {
  /** `main.script.cjs`, the script. */
  readonly script: URL;
  /** `main.js`, the ES module bundle: what runs when core or the CLI has no script. */
  readonly module: URL;
}

/**
 * Loads `migrate`'s `main` the fast way: @multidb/core and the CLI as scripts with V8 code caches
 * (`index.script.cjs` beside core's entry, and `files.script`; core's instance is registered so that
 * `import '@multidb/core'` anywhere in the process gets it), the dialect registry as the CommonJS
 * file it also is. Packages are found by {@link packageFile}, not by Node's ES module resolver: in
 * the CommonJS bin nothing then sets up Node's ES module loader until a command needs it (a
 * dialect, the TUI). When core, the registry or the CLI has no such file (a build without
 * `--script`), `files.module` instead, as before.
 * @param files - the CLI's builds of `main` (see {@link MainFiles}).
 * @returns `main` and the function that saves the caches after it.
 * @throws what loading the scripts or the bundle throws (other than a script file missing).
 * @example
 * ```ts
 * const bundle = new URL('../dist/bundle/', import.meta.url);
 * const { main, saveCaches } = await loadMain({ script: new URL('main.script.cjs', bundle), module: new URL('main.js', bundle) });
 * process.exitCode = await main(process.argv.slice(2));
 * saveCaches();
 * ```
 * @internal
 */
export async function loadMain(files: MainFiles): Promise<LoadedMain> {
  const cliUrl = files.script;
  const from = fileURLToPath(new URL('.', cliUrl));
  const coreEntry = packageFile('@multidb/core', 'import', from);
  const coreUrl = coreEntry === undefined ? undefined : new URL('index.script.cjs', coreEntry);
  const registryUrl = packageFile('@multidb/dialect/registry', 'require', from);
  if (coreEntry === undefined || coreUrl === undefined || registryUrl === undefined || !existsSync(coreUrl) || !existsSync(registryUrl) || !existsSync(cliUrl)) {
    const { main } = (await import(files.module.href)) as LoadedMain;
    return { main, saveCaches: () => {} };
  }
  const resolved = new Map([['@multidb/core', coreEntry]]);
  const core = CachedScript.load(coreUrl);
  const registry: unknown = createRequire(from)(fileURLToPath(registryUrl));
  const cli = CachedScript.load(cliUrl, {
    modules: { '@multidb/core': core.exports, '@multidb/dialect/registry': registry },
    resolve: (specifier) => {
      if (specifier.startsWith('.')) return new URL(specifier, cliUrl).href;
      // Each package looked up once: the CLI resolves '@multidb/core' again for its module alias.
      let url = resolved.get(specifier);
      if (url === undefined) {
        url = packageFile(specifier, 'import', from);
        if (url === undefined) throw new Error(`migrate: cannot resolve '${specifier}' from ${from}: is the package installed?`);
        resolved.set(specifier, url);
      }
      return url.href;
    },
  });
  // The dialects and kysely: one script beside the registry, loaded by the first import of any of
  // the dialect package's ES module entries (each a facade of its namespace in it; a command that
  // connects nowhere loads none), with the code cache that spares compiling ~450 KB from source.
  const dialectUrl = new URL('shared.script.cjs', registryUrl);
  let dialect: CachedScript | undefined;
  if (existsSync(dialectUrl)) {
    const key = Symbol.for(`multidb.script:${dialectUrl.href}`);
    let failed = false;
    (globalThis as Record<symbol, unknown>)[key] = () => {
      if (failed) return undefined;
      try {
        dialect ??= CachedScript.load(dialectUrl, { modules: { '@multidb/core': core.exports }, importFrom: fileURLToPath(dialectUrl) });
        return dialect.exports;
      } catch {
        failed = true; // every entry then imports the ES module build, as without the script
        return undefined;
      }
    };
  }
  return {
    main: cli.exports['main'] as LoadedMain['main'],
    saveCaches: () => {
      core.saveCache();
      cli.saveCache();
      dialect?.saveCache();
    },
  };
}

/**
 * The file a package exports for `specifier` (`name`, `@scope/name`, either with a `/subpath`),
 * found as Node finds a package for a bare specifier (the first `node_modules/<name>` folder from
 * `from` up, then its real path) and read from its package.json: `exports[subpath]` under
 * `condition` (or `default`, and `module-sync` where Node can `require()` an ES module, as Node's
 * own resolution does there: core's file of it loads core's ES module build by `require()`, see
 * tools/build/bundle-package.mjs --facade; nested conditions and the `exports: "./x.js"` shorthand
 * too), else `main` for the package itself. A subset of Node's resolution, for the CLI's own
 * packages, whose manifests take those forms; no patterns, no `NODE_PATH`.
 * @param specifier - the bare specifier, e.g. `@multidb/dialect/registry`.
 * @param condition - `import` (the ES module file) or `require` (the CommonJS one).
 * @param from - the folder to look up from (the CLI's bundle folder).
 * @returns the file's URL; `undefined` when no such package is found or it does not export that.
 * @throws never (a manifest that does not parse counts as not found).
 * @example
 * ```ts
 * const registry = packageFile('@multidb/dialect/registry', 'require', '/app/node_modules/@multidb/cli/dist/bundle');
 * ```
 * @internal
 */
export function packageFile(specifier: string, condition: 'import' | 'require', from: string): URL | undefined {
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < nameParts || parts.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  const name = parts.slice(0, nameParts).join('/');
  const subpath = ['.', ...parts.slice(nameParts)].join('/');
  for (let dir = from; ; ) {
    if (basename(dir) !== 'node_modules') {
      const folder = join(dir, 'node_modules', name);
      if (isFile(join(folder, 'package.json'))) {
        let manifest: Manifest;
        try {
          manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as typeof manifest;
        } catch {
          return undefined;
        }
        const entry = exportedEntry(manifest, subpath, condition);
        if (entry === undefined || !entry.startsWith('./') || entry.split('/').includes('..')) return undefined;
        return pathToFileURL(join(realpathSync.native(folder), entry));
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether `path` is a file; `false` also when it cannot be looked at (a `node_modules` that is a file, a folder not to be read): Node's resolver passes over those too. */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/** What {@link packageFile} reads of a package.json. */
interface Manifest {
  readonly exports?: unknown;
  readonly main?: unknown;
}

/** The entry a manifest gives for `subpath` under `condition` (see {@link packageFile}). */
function exportedEntry(manifest: Manifest, subpath: string, condition: string): string | undefined {
  const exported = manifest.exports;
  if (exported === undefined) return subpath === '.' && typeof manifest.main === 'string' ? manifest.main : undefined;
  // `exports` without subpath keys (a path, or conditions) is the package's own entry only.
  const ownEntryOnly = exported === null || typeof exported !== 'object' || Array.isArray(exported) || Object.keys(exported).every((key) => !key.startsWith('.'));
  if (ownEntryOnly) return subpath === '.' ? conditionalTarget(exported, condition) : undefined;
  return conditionalTarget((exported as Record<string, unknown>)[subpath], condition);
}

/**
 * An `exports` target under `condition`: a string as it is, else the first matching key
 * (`condition`, `node`, `default`, and `module-sync` when `process.features.require_module`) of a
 * conditions object, in its order.
 */
function conditionalTarget(target: unknown, condition: string): string | undefined {
  if (typeof target === 'string') return target;
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return undefined;
  for (const [key, value] of Object.entries(target)) {
    if (key !== condition && key !== 'node' && key !== 'default' && (key !== 'module-sync' || process.features.require_module !== true)) continue;
    const found = conditionalTarget(value, condition);
    if (found !== undefined) return found;
  }
  return undefined;
}
