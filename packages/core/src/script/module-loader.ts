import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ScriptError } from '../errors.js';
import type { Operations } from '../operations/operations.js';
import { defaultCacheRoot, isPrivateCacheFolder } from './cache-folder.js';
import { loadJiti } from './load-jiti.js';
import { isEsModuleFile } from './module-format.js';
import { mapPlanStack, ModuleEvaluator, type ModuleRegistry } from './module-evaluator.js';
import { sucraseVersion, transformModule } from './module-transform.js';
import type { RevisionScript } from './revision-script.js';
import { sourceMayReadDb } from './source-may-read-db.js';
import { TransformCache } from './transform-cache.js';

/**
 * Imports TypeScript or JavaScript modules (configs, revision scripts) at run time, from any
 * folder, without a build step. Core's runner and config loader take one, so tests and custom
 * tooling can supply their own.
 */
export interface ModuleLoader {
  /**
   * Imports a module and returns its namespace (named exports, plus `default`).
   *
   * @param file - path of the module (relative paths resolve against the process's cwd).
   * @throws {@link ScriptError} naming the file (and the line, when known) when the module does
   *   not parse, throws while it is evaluated, or cannot be found; the original error is `cause`.
   */
  import<T = unknown>(file: string, options?: ImportOptions): Promise<T>;

  /**
   * Optional: told the modules about to be imported with `eager` (a run's revisions, in order), a
   * loader may prepare them together. The built-in loader compiles them as one script from a code
   * cache when it has seen the same files before (see `ModuleEvaluator.precompile`). Never throws:
   * what it cannot prepare is imported as usual.
   *
   * @param files - the modules' paths (relative paths resolve against the process's cwd).
   */
  precompile?(files: readonly string[]): void;
}

/** Options of one {@link ModuleLoader.import}. */
export interface ImportOptions {
  /**
   * Compile every function of the module with the module, not at each one's first call (V8's
   * default), when the loader compiles it itself (a module jiti loads is compiled as jiti does).
   * For modules whose functions run soon, one after another with other work between: the
   * revisions a run applies (35–55 µs less per revision on SQLite, where each first call came
   * right after a COMMIT). Costs the memory of functions that never run, so not for offline
   * scripts. A module imported before is returned as it is.
   */
  readonly eager?: boolean;
}

/** Options of {@link createModuleLoader}. */
export interface ModuleLoaderOptions {
  /**
   * Module specifiers mapped to paths, e.g. `{ '@multidb/core': '/…/core/dist/index.js' }` so
   * that a config or revision importing `@multidb/core` gets the caller's copy (DESIGN §4).
   */
  readonly alias?: Readonly<Record<string, string>>;
  /**
   * Modules given as they are: an import of one of these specifiers (exactly; `spec/sub` is not
   * covered) gets the object as its namespace, and nothing is loaded. Checked before `alias`. The
   * `migrate` bin gives `@multidb/core` this way, the instance it runs: a config's `import
   * { defineConfig } from '@multidb/core'` then needs neither a file lookup nor Node's ES module
   * loader (whose first use costs a short command ~10 ms). A module that jiti loads (see below)
   * gets the same object for a `require` or `import` of that exact specifier (jiti's
   * `virtualModules`, see {@link jitiVirtualModules}); give `alias` too for its subpaths.
   */
  readonly modules?: Readonly<Record<string, object>>;
  /**
   * Keep imported modules in memory, so importing a file twice returns the same module
   * (default `true`). Pass `false` in a long-running process that must see edited files.
   */
  readonly moduleCache?: boolean;
  /**
   * Keep transpiled sources on disk (default `true`): one cache file per folder of modules in
   * `node_modules/.cache/multidb` (or a private folder in the OS temp folder when the project has
   * no `node_modules`), and jiti's own cache for what jiti loads, in that folder's `jiti`. Entries are keyed by the file's path and a hash of its
   * content, so an edited file is never served stale. `false` transpiles every time.
   */
  readonly fsCache?: boolean;
}

/**
 * Creates a {@link ModuleLoader}: TypeScript (`.ts`, `.mts`) and JavaScript (ESM or CommonJS) files
 * load from anywhere, transpiled on the fly. A local `.ts`/`.js` module (a config, a revision, a
 * helper it imports) is transpiled by sucrase to CommonJS and evaluated by Node itself; jiti loads
 * what that path does not handle (a module of its own `require(`, dynamic `import(` or
 * `import.meta`, one importing a package that is not aliased, CommonJS and JSON files, JSX), and
 * reports syntax errors and missing imports. Module namespaces keep ESM semantics: a default
 * export is `mod.default`, it is not merged into the named exports.
 *
 * @param options - `alias`, `modules`, `moduleCache`, `fsCache` (see {@link ModuleLoaderOptions}).
 * @returns the loader.
 * @example
 * ```ts
 * const loader = createModuleLoader({ alias: { '@multidb/core': '/opt/migrate/core/dist/index.js' } });
 * const mod = await loader.import<{ default: MultidbConfig }>('migrate.config.ts');
 * ```
 */
export function createModuleLoader(options: ModuleLoaderOptions = {}): ModuleLoader {
  const alias = options.alias ? { alias: { ...options.alias } } : {};
  const moduleCache = options.moduleCache ?? true;
  // jiti is created on first use, so a loader whose modules all take the fast path never loads it.
  let jiti: Promise<ReturnType<ReturnType<typeof loadJiti>>> | undefined;
  const jitiImport = async (path: string): Promise<unknown> => {
    jiti ??= jitiVirtualModules(options).then((virtualModules) =>
      loadJiti()(import.meta.url, {
        interopDefault: false,
        moduleCache,
        fsCache: options.fsCache === false ? false : jitiCacheFolder(),
        transform: transformModule,
        ...alias,
        virtualModules,
      }),
    );
    return (await jiti).import(path);
  };
  const evaluator = new ModuleEvaluator({
    alias: options.alias ?? {},
    ...(options.modules ? { modules: { ...options.modules } } : {}),
    cache: options.fsCache === false ? undefined : sharedTransformCache(),
    fallback: jitiImport,
  });
  const modules: ModuleRegistry = new Map();
  // Imports made at once run one after the other: two graphs evaluated together through one
  // registry could each wait on a module the other is evaluating (helpers importing each other).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    precompile(files: readonly string[]): void {
      try {
        // Modules this loader evaluated already are not imported again (a tenant's run after another's).
        evaluator.precompile(files.map((file) => resolve(file)).filter((path) => !moduleCache || !modules.has(path)));
      } catch {
        /* each module is imported as usual */
      }
    },
    async import<T = unknown>(file: string, importOptions?: ImportOptions): Promise<T> {
      const path = resolve(file);
      const eager = importOptions?.eager === true;
      // Without the module cache, each import evaluates its module graph afresh (edited files seen).
      const imported = moduleCache ? queue.then(() => evaluator.import(path, modules, undefined, eager)) : evaluator.import(path, new Map(), undefined, eager);
      if (moduleCache) queue = imported.catch(() => undefined);
      try {
        return (await imported) as T;
      } catch (error) {
        throw importError(path, error);
      }
    },
  };
}

/**
 * What jiti gets as `virtualModules` when a loader first needs it: the loader's `modules`, and the
 * target of each other alias that is an ES module (`.mjs`, or `.js` under a package.json of
 * `"type": "module"`), imported natively: the instance the evaluator's own imports of it get. jiti
 * would load such a file itself, as CommonJS: a second instance (a `.cjs` helper's `require('kysely')`
 * was not the dialects' copy, `op.db instanceof Kysely` false), or a failure on a top-level await
 * (core's build: "Unexpected identifier 'Promise'" for a `.cjs` config requiring `@multidb/core`).
 * A target that does not import is left to jiti's alias, which reports it.
 */
async function jitiVirtualModules(options: ModuleLoaderOptions): Promise<Record<string, object>> {
  const given: Record<string, object> = { ...options.modules };
  for (const [specifier, file] of Object.entries(options.alias ?? {})) {
    if (Object.hasOwn(given, specifier) || !isEsModuleFile(file)) continue;
    try {
      given[specifier] = (await import(pathToFileURL(file).href)) as object;
    } catch {
      /* left to jiti's alias */
    }
  }
  return given;
}

/**
 * Where jiti keeps what it transforms: `jiti` in multidb's own cache folder (`node_modules/.cache/
 * multidb`, else a private folder in the OS temp folder), not jiti's default `<tmp>/jiti`, which
 * every user of a shared machine may write (and so plant code a config or revision would run);
 * `false` (no cache) when that folder is not private to this user.
 */
function jitiCacheFolder(): string | false {
  const root = defaultCacheRoot();
  return isPrivateCacheFolder(root) ? join(root, 'jiti') : false;
}

/** The transform's version: the cache entries of another sucrase or evaluator are not used. */
const TRANSFORM_VERSION = 'evaluator-1';

const transformCaches = new Map<string, TransformCache>();

/** The process's transform cache (one per cache folder, i.e. per cwd), shared by its loaders. */
function sharedTransformCache(): TransformCache {
  const key = process.cwd();
  let cache = transformCaches.get(key);
  if (cache === undefined) {
    // 'unknown' when sucrase's version cannot be read: entries are still keyed by each source's hash.
    cache = new TransformCache(`${TRANSFORM_VERSION}+sucrase@${sucraseVersion()}`);
    transformCaches.set(key, cache);
  }
  return cache;
}

/** Turns what the import threw (the evaluated module, or jiti) into a {@link ScriptError} with the line when jiti or the stack gives it. */
function importError(path: string, error: unknown): ScriptError {
  if (error instanceof Error && typeof error.stack === 'string') error.stack = mapPlanStack(error.stack);
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' && reason.includes(`'${path}'`)) {
    return new ScriptError(`${path}: file not found`, path, undefined, { cause: error });
  }
  const line = lineIn(path, reason) ?? (error instanceof Error ? lineIn(path, error.stack ?? '') : undefined);
  const where = line === undefined ? path : `${path}:${line}`;
  // jiti reports a parse error as "ParseError: <message>  \n <file>:<line>:<column>".
  const firstLine = (reason.split('\n')[0] ?? reason).trim();
  // Node's "Require stack:" list after a missing module is noise here: the file is named already.
  const thrownAt = line === undefined && error instanceof Error ? firstLocalFrame(error.stack ?? '') : undefined;
  const what = firstLine.startsWith('ParseError:')
    ? `syntax error: ${firstLine.slice(11).trim()}`
    : `failed to import: ${reason.split('\nRequire stack:')[0]}${thrownAt ? ` (thrown at ${thrownAt})` : ''}`;
  return new ScriptError(`${where}: ${what}`, path, line, { cause: error });
}

/**
 * `<file>:<line>` of a stack's first frame in a project file (not in `node_modules`, not Node's
 * own): where a module that the imported one imports threw while it was evaluated.
 */
/** This package's folder (its own frames are not where a module threw). */
const OWN_PACKAGE = fileURLToPath(new URL('../..', import.meta.url));

function firstLocalFrame(stack: string): string | undefined {
  for (const match of stack.matchAll(/^\s+at (?:.*? \()?((?:\/|[A-Za-z]:\\)[^()\n]*?):(\d+):\d+\)?$/gm)) {
    const file = match[1]!;
    if (!/[\\/]node_modules[\\/]/.test(file) && !file.startsWith(OWN_PACKAGE)) return `${file}:${match[2]}`;
  }
  return undefined;
}

/** The first `<path>:<line>:<column>` in a text, as a 1-based line. */
function lineIn(path: string, text: string): number | undefined {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+):\\d+`).exec(text);
  return match ? Number(match[1]) : undefined;
}

/** A revision script, imported: its functions and options, with the script it came from. */
export interface RevisionModule {
  /** Runs the revision's `upgrade(op)` (a synchronous function is awaited just the same). */
  upgrade(op: Operations): Promise<void>;
  /** Runs the revision's `downgrade(op)`. */
  downgrade(op: Operations): Promise<void>;
  /**
   * Whether the revision runs inside a transaction: `false` when the module exports
   * `transaction = false` (e.g. PostgreSQL `CREATE INDEX CONCURRENTLY`), else `true`.
   */
  readonly transaction: boolean;
  /** The script as read statically (header, branch, path). */
  readonly script: RevisionScript;
}

/**
 * Imports a revision script and checks its exports.
 *
 * @param loader - the module loader (see {@link createModuleLoader}).
 * @param script - the script as listed by `ScriptDirectory.scripts()`.
 * @param options - how it is imported: `eager` for a module about to run (see {@link ImportOptions}).
 * @returns the frozen {@link RevisionModule}.
 * @throws {@link ScriptError} naming the file when it does not import (syntax error, throw at
 *   import), when `upgrade` or `downgrade` is missing or not a function, when `transaction` is
 *   exported but not a boolean, or when an exported `revision` differs from the header read
 *   statically.
 * @example
 * ```ts
 * const mod = await loadRevisionModule(createModuleLoader(), script);
 * if (mod.transaction) await mod.upgrade(op);
 * ```
 */
export async function loadRevisionModule(loader: ModuleLoader, script: RevisionScript, options?: ImportOptions): Promise<RevisionModule> {
  const file = script.path;
  const mod = await loader.import<Record<string, unknown>>(file, options);
  if (mod === null || typeof mod !== 'object') {
    throw new ScriptError(`${file}: not a module with named exports`, file);
  }
  const fn = (name: 'upgrade' | 'downgrade'): ((op: Operations) => unknown) => {
    const value = mod[name];
    if (typeof value !== 'function') {
      throw new ScriptError(
        `${file}: ${value === undefined ? 'missing' : 'invalid'} '${name}' export: expected 'export async function ${name}(op: Operations): Promise<void>'`,
        file,
      );
    }
    return value as (op: Operations) => unknown;
  };
  const upgrade = fn('upgrade');
  const downgrade = fn('downgrade');

  const transaction = mod['transaction'];
  if (transaction !== undefined && typeof transaction !== 'boolean') {
    throw new ScriptError(`${file}: 'transaction' must be exported as a boolean (export const transaction = false;)`, file);
  }
  const revision = mod['revision'];
  if (revision !== undefined && revision !== script.revision) {
    throw new ScriptError(
      `${file}: the module exports revision ${JSON.stringify(revision)} but its header reads '${script.revision}'; ` +
        `the revision must be a plain literal (export const revision = '${script.revision}';)`,
      file,
    );
  }
  const loaded: RevisionModule = Object.freeze({
    async upgrade(op: Operations): Promise<void> {
      await upgrade(op);
    },
    async downgrade(op: Operations): Promise<void> {
      await downgrade(op);
    },
    transaction: transaction ?? true,
    script,
  });
  exportedFunctions.set(loaded, { up: upgrade, down: downgrade });
  return loaded;
}

/** The revision's own `upgrade` and `downgrade` of each {@link RevisionModule} made by {@link loadRevisionModule}. */
const exportedFunctions = new WeakMap<RevisionModule, { readonly up: Function; readonly down: Function }>();

/**
 * Whether a revision's function of `direction` may read `op.db`: its source names `db` (`op.db`,
 * `const { db } = op`) or hands `op` on (`seed(op)`: a helper module it calls may read it; the
 * helper's source is not read), see {@link sourceMayReadDb}. A module not made by
 * {@link loadRevisionModule}: false.
 *
 * @param module - the imported revision.
 * @param direction - `'up'` (its `upgrade`) or `'down'` (its `downgrade`).
 * @returns true when it may.
 * @throws never.
 * @internal
 * @example
 * ```ts
 * const mod = await loadRevisionModule(createModuleLoader(), script);
 * if (mayReadDb(mod, 'up')) void connection.db; // made before the step
 * ```
 */
export function mayReadDb(module: RevisionModule, direction: 'up' | 'down'): boolean {
  const fn = exportedFunctions.get(module)?.[direction];
  if (fn === undefined) return false;
  let reads = readsDb.get(fn);
  if (reads === undefined) readsDb.set(fn, (reads = sourceMayReadDb(Function.prototype.toString.call(fn))));
  return reads;
}

/** {@link mayReadDb}'s answer per function (a module's functions are asked about once per step). */
const readsDb = new WeakMap<Function, boolean>();
