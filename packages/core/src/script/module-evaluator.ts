import { readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, extname, isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { compileEagerly } from './eager-compile.js';
import { NEEDS_BABEL, REQUIRE, sucraseToCommonJs } from './module-transform.js';
import { contentHash, fileStamp, type PlanChunk, type PlanModule, type TransformCache, type V8CodeCache } from './transform-cache.js';

/** Extensions the evaluator transforms itself; any other file goes to the fallback (jiti). */
const OWN_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/** Extensions tried, in order, for a relative import written without one (`'./helper'`). */
const TRY_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cts', '.cjs', '.json'];

/** The wrapper's first line; the module's first line follows on the same line, so no line moves. */
const WRAPPER = '(async function (exports, module, __filename, __dirname, __multidbImport) {';

const BUILTINS = new Set(builtinModules);

/**
 * The fewest modules {@link ModuleEvaluator.precompile} compiles as one script: below it, the
 * plan's own file costs about what it saves (~0.1 ms a module).
 */
const MIN_PLAN_MODULES = 10;

/**
 * Modules per script of a plan: one script of 1,000 revisions compiled eagerly from source took
 * the process's peak RSS ~13 MiB higher (the parser's memory for the whole text at once), chunks
 * of 100 about as little as one module at a time, with the same speed from their code caches.
 */
const PLAN_CHUNK = 100;

/** What a plan's key is made with besides its modules: changed whenever the plan's text would be. */
const PLAN_VERSION = `plan-2\n${PLAN_CHUNK}\n${WRAPPER}`;

/** The plan scripts compiled in this thread, by their file name (see {@link mapPlanStack}). */
const planScripts = new Map<string, readonly PlanModule[]>();

/** A plan script's file name, as a stack names it: `multidb-plan-<key>-<chunk>.js:<line>:<column>`. */
const PLAN_FRAME = /multidb-plan-[0-9a-z]+-[0-9a-f]+-\d+\.js:(\d+)(?=:\d+|\)|$)/gm;

/**
 * `export function name` / `export async function name` (also `function*`) in a module's source:
 * the names exported before its imports are evaluated. A match in a comment or string is harmless
 * (the assignment is skipped when the name is not a function declared in the module's scope).
 */
const EXPORTED_FUNCTION = /(?<![\w$.])export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/g;

/** How one import of a module is satisfied. */
type Dependency =
  | { readonly kind: 'given'; readonly namespace: object } // a module given by the caller (the loader's `modules`)
  | { readonly kind: 'native'; readonly specifier: string } // Node's own import (builtins, packages' .js)
  | { readonly kind: 'own'; readonly path: string } // this evaluator (a local .ts / .js module)
  | { readonly kind: 'fallback'; readonly path: string }; // jiti (.cjs, .json, …)

/** A module being evaluated or evaluated: its CommonJS-style exports, and when it is done. */
interface Entry {
  readonly module: { exports: Record<string, unknown> };
  done: Promise<unknown> | undefined;
}

/** The modules of one import graph (the loader's for its lifetime, or one import's without module cache). */
export type ModuleRegistry = Map<string, Entry>;

/** Options of {@link ModuleEvaluator}. */
export interface ModuleEvaluatorOptions {
  /** Module specifiers mapped to paths (the loader's `alias`; a prefix also maps `spec/sub`). */
  readonly alias: Readonly<Record<string, string>>;
  /** Module specifiers mapped to the namespaces an import of them gets (the loader's `modules`; exact specifiers only). */
  readonly modules?: Readonly<Record<string, object>>;
  /** The cache of transformed sources, if any. */
  readonly cache: TransformCache | undefined;
  /** Imports what the evaluator does not handle itself (jiti); returns the module's namespace. */
  readonly fallback: (path: string) => Promise<unknown>;
  /** The clock a file's stamp is judged by (ms since the epoch; tests move it ahead). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The module loader's fast path: a local `.ts`/`.mts`/`.js`/`.mjs` module is transformed by sucrase
 * to CommonJS (types stripped, every line kept where it was), compiled by V8 under its own path
 * (so a throw's stack names the file and line) and evaluated in an async wrapper whose imports are
 * awaited in order: a specifier of the caller's `modules` gets that namespace, an aliased specifier imports the alias target (natively when it is a `.js`
 * file, so `@multidb/core` is the caller's own copy), a builtin imports natively, a relative import
 * of a local module comes back here. A namespace keeps ESM semantics (`default` not merged).
 *
 * Anything unusual goes to the fallback, decided BEFORE the module runs (so nothing runs twice): a
 * source of its own `require(`/`import(`/`import.meta`, a package specifier that is not aliased, an
 * import that does not resolve (the fallback reports it as it always has), a source sucrase or V8
 * does not parse (ditto, with the line), another extension.
 *
 * @internal
 */
export class ModuleEvaluator {
  readonly #options: ModuleEvaluatorOptions;
  readonly #interop = new WeakMap<object, object>();
  /** Modules compiled by {@link precompile}, until imported. */
  readonly #precompiled = new Map<string, { run: Function; deps: readonly Dependency[] }>();

  constructor(options: ModuleEvaluatorOptions) {
    this.#options = options;
  }

  /**
   * Compiles the modules a run is about to import eagerly (a plan's revisions, in its order) as ONE
   * script, an array of their wrappers, from V8's code cache of it when the cache folder holds one
   * for exactly these files (by each one's stamp: see `fileStamp`): compiling 1,000 revisions that
   * way took 10–12 ms against 30–80 ms as 1,000 scripts, and spares each its own cache lookup,
   * hash and flag switch (~0.1 ms a module; tools/bench/RESULTS.md, 2026-12-06). Each later
   * {@link import} of one of `paths` evaluates its compiled wrapper (once; a second import compiles
   * it as usual).
   *
   * A plan is stored by the first process that finds every module of it in the transform cache by
   * its stamp (the plan's second run: a plan seen once, a deploy's, costs nothing more), and read
   * by the next ones (a test suite's or a CI job's upgrade from base, tenants upgraded one by one).
   * Nothing is precompiled, and every module is imported as before, when: there is no cache, fewer
   * than {@link MIN_PLAN_MODULES} modules, a file changed in the last 2 s or is not the
   * evaluator's, a module was never transformed, V8 does not parse the plan, or a debugger may
   * attach (breakpoints are set by a module's own file). A throw's stack names the plan script's
   * lines: {@link mapPlanStack} gives back each module's file and line.
   *
   * @param paths - absolute paths of the modules, in the order they will be imported.
   */
  precompile(paths: readonly string[]): void {
    const cache = this.#options.cache;
    const unique = [...new Set(paths)];
    if (cache === undefined || unique.length < MIN_PLAN_MODULES || debuggerMayAttach()) return;
    const now = (this.#options.now ?? Date.now)();
    const stamps: string[] = [];
    for (const path of unique) {
      if (!OWN_EXTENSIONS.has(extname(path)) || this.#precompiled.has(path)) return;
      let stamp: string | undefined;
      try {
        const stats = statSync(path, { throwIfNoEntry: false });
        stamp = stats === undefined ? undefined : fileStamp(stats, now);
      } catch {
        return;
      }
      if (stamp === undefined) return;
      // A first module the transform cache has no entry of by this stamp (the first run after a
      // checkout or an edit): no plan is stored or made of it; no more stats.
      if (stamps.length === 0 && cache.find(path, { stamp }) === undefined) return;
      stamps.push(stamp);
    }
    const key = contentHash(`${PLAN_VERSION}\n${unique.map((path, i) => `${path}\t${stamps[i]}`).join('\n')}`).replace(':', '-');
    const stored = cache.readPlan(key);
    let chunks = stored?.chunks;
    if (chunks !== undefined && chunks.flatMap((c) => c.modules.map((m) => m.path)).join('\n') !== unique.join('\n')) chunks = undefined;
    let compiled = chunks === undefined ? undefined : compileChunks(chunks, key, true);
    const fromCache = compiled !== undefined && chunks!.every((c, i) => c.v8 !== undefined && compiled![i]!.script.cachedDataRejected !== true);
    if (compiled === undefined) {
      chunks = planOf(cache, unique, stamps);
      if (chunks === undefined) return;
      compiled = compileChunks(chunks, key, false);
      if (compiled === undefined) return; // a module V8 does not parse: each is imported on its own (and fails there, with its file)
    }
    if (!fromCache) {
      const made = compiled;
      cache.writePlan(key, { chunks: chunks!.map((c, i) => ({ ...c, v8: compileEagerly(() => made[i]!.script.createCachedData()) })) });
    }
    chunks!.forEach((chunk, c) => {
      planScripts.set(compiled![c]!.filename, chunk.modules);
      chunk.modules.forEach((module, i) => {
        const deps: Dependency[] = [];
        for (const specifier of module.imports) {
          const dep = this.#resolve(specifier, module.path);
          if (dep === undefined) return; // imported on its own, which hands it to the fallback
          deps.push(dep);
        }
        this.#precompiled.set(module.path, { run: compiled![c]!.wrappers[i] as Function, deps });
      });
    });
  }

  /**
   * Imports `path` (absolute) through `modules`: its CommonJS exports object (with `__esModule`),
   * or what the fallback returned. A module already in `modules` is not evaluated again; one that
   * imports itself through `chain` (an import cycle) gets its exports so far, as CommonJS does.
   * With `eager`, the module's own functions are compiled with it (see {@link compileEagerly}),
   * not those of its imports.
   */
  import(path: string, modules: ModuleRegistry, chain: ReadonlySet<string> = new Set(), eager = false): Promise<unknown> {
    const known = modules.get(path);
    if (known !== undefined) {
      return chain.has(path) || known.done === undefined ? Promise.resolve(known.module.exports) : known.done;
    }
    const plan = this.#prepare(path, eager);
    if (plan === undefined) return this.#options.fallback(path);
    // `__esModule` from the start: a module of an import cycle is seen before its body runs, and
    // sucrase's interop then reads it as the ES module it is (sucrase's own define is the same).
    const entry: Entry = { module: { exports: Object.defineProperty({}, '__esModule', { value: true }) }, done: undefined };
    modules.set(path, entry);
    const done = this.#evaluate(path, plan, entry, modules, new Set(chain).add(path));
    entry.done = done;
    done.catch(() => modules.delete(path));
    return done;
  }

  /** The compiled wrapper and the module's dependencies, or `undefined` to leave it to the fallback. */
  #prepare(path: string, eager: boolean): { run: Function; deps: readonly Dependency[] } | undefined {
    if (!OWN_EXTENSIONS.has(extname(path))) return undefined;
    const precompiled = this.#precompiled.get(path);
    if (precompiled !== undefined) {
      this.#precompiled.delete(path);
      return precompiled;
    }
    const cache = this.#options.cache;
    // The file's stamp, taken before it is read: an entry stored with it was made of this very file,
    // which then need not be read at all (as the header cache does). Only for a module compiled
    // eagerly (a revision a run applies): stamps make the cache's index larger, which offline
    // scripts of thousands of revisions would carry in memory (P2': +1.8 MiB of 102).
    let stamp: string | undefined;
    if (cache !== undefined && eager) {
      try {
        const stats = statSync(path, { throwIfNoEntry: false });
        if (stats === undefined) return undefined;
        stamp = fileStamp(stats, (this.#options.now ?? Date.now)());
      } catch {
        return undefined;
      }
    }
    let cached = stamp !== undefined ? cache!.find(path, { stamp }) : undefined;
    let source: string | undefined;
    let hash: string;
    // The names of the functions the module exports (read from its source, or stored with its entry).
    let exported: readonly string[];
    if (cached !== undefined) {
      hash = cached.hash;
      exported = cached.extra === '' ? [] : cached.extra.split(',');
    } else {
      try {
        source = readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
      if (NEEDS_BABEL.test(source)) return undefined; // an unusual module: jiti's
      hash = contentHash(source);
      cached = cache?.find(path, { hash });
      exported = Array.from(source.matchAll(EXPORTED_FUNCTION), (m) => m[1]!);
    }
    let code = cached?.code;
    if (code === undefined) {
      try {
        code = sucraseToCommonJs(source!, path, path.endsWith('ts'));
      } catch {
        return undefined;
      }
    }
    const made = code;
    // A new transform, or an entry without the file's stamp, is stored: with a new code cache
    // when compiled eagerly, else at once (and when the module goes to the fallback after all).
    let unstored = cached === undefined || (stamp !== undefined && cached.stamp !== stamp);
    const store = (v8: V8CodeCache | undefined): undefined => {
      if (unstored) cache?.store(path, { hash, code: made, v8, stamp, extra: exported.join(',') });
      unstored = false;
      return undefined;
    };
    // A module compiled eagerly is compiled from V8's code cache of it, when the cache has one.
    // `cached.v8` is a view of the cache's read buffer: used before the cache reads anything else.
    if (!eager) store(cached?.v8);
    const fallBack = (): undefined => store(cached?.v8);
    const { text: wrapper, imports } = wrapped(code, exported);
    const deps: Dependency[] = [];
    for (const specifier of imports) {
      const dep = this.#resolve(specifier, path);
      if (dep === undefined) return fallBack();
      deps.push(dep);
    }
    try {
      if (!eager) return { run: new Script(wrapper, { filename: path }).runInThisContext() as Function, deps };
      // Its own text (a last line more): a lazy compile of the same module earlier in this process,
      // which V8 would hand back from its compilation cache, is not taken for the eager one.
      const eagerText = `${wrapper}\n// compiled eagerly`;
      // V8 accepts a code cache for any text of the same length: it is used only for the text it was made of.
      const textHash = contentHash(eagerText);
      const usable = cached?.v8 !== undefined && cached.v8.text === textHash ? cached.v8 : undefined;
      const script = compileEagerly(() => new Script(eagerText, { filename: path, ...(usable !== undefined ? { cachedData: usable.data } : {}) }));
      // Stored with its code: made now when the cache had none for this text, or one V8 rejected
      // (another Node, other flags, bytes changed); not for a module transformed just now, whose
      // process may be the only one to see it (a deploy's fresh container: ~20 µs a module and a
      // cache file twice the size, for nothing), but by the next process that finds it cached.
      if (cache !== undefined && cached !== undefined && (usable === undefined || script.cachedDataRejected === true)) {
        unstored = true;
        store({ text: textHash, data: compileEagerly(() => script.createCachedData()) });
      } else store(usable);
      return { run: script.runInThisContext() as Function, deps };
    } catch {
      return fallBack();
    }
  }

  async #evaluate(
    path: string,
    plan: { run: Function; deps: readonly Dependency[] },
    entry: Entry,
    modules: ModuleRegistry,
    chain: ReadonlySet<string>,
  ): Promise<unknown> {
    const importDep = async (index: number): Promise<unknown> => {
      const dep = plan.deps[index]!;
      if (dep.kind === 'own') return this.import(dep.path, modules, chain);
      if (dep.kind === 'given') return this.#esModule(dep.namespace);
      const imported = dep.kind === 'native' ? await import(dep.specifier) : await this.#options.fallback(dep.path);
      // A JSON file's default import is its whole value: jiti gives the parsed value, whose own key
      // named `default` (`{ "default": "light", … }`) would be taken for it.
      if (dep.kind === 'fallback' && extname(dep.path) === '.json') return this.#esModule(imported, true);
      return this.#esModule(imported);
    };
    // As in ESM, a module's imports are evaluated, in order, before its body (sucrase leaves each
    // `require` where its `import` was, so an import below code would otherwise run after it).
    const imported: unknown[] = [];
    const importAll = async (): Promise<void> => {
      for (let i = 0; i < plan.deps.length; i++) imported.push(await importDep(i));
    };
    await plan.run.call(undefined, entry.module.exports, entry.module, path, dirname(path), (i: number) => (i < 0 ? importAll() : imported[i]));
    return entry.module.exports;
  }

  /**
   * A native ES namespace, or what jiti gave, as sucrase's interop reads it (`__esModule`,
   * `default` as the default export). `default` is kept when the value has one that is not
   * enumerable: jiti gives a JSON file as its parsed value with such a `default` (itself), and
   * `import data from './seed.json'` was `undefined`. With `json`, `default` is the value itself.
   */
  #esModule(value: unknown, json = false): unknown {
    if (value === null || typeof value !== 'object' || (!json && (value as { __esModule?: unknown }).__esModule)) return value;
    let copy = this.#interop.get(value);
    if (copy === undefined) {
      const made: Record<string, unknown> = { ...value, __esModule: true };
      if (json) made['default'] = value;
      else if (!Object.hasOwn(made, 'default') && 'default' in value) made['default'] = value.default;
      copy = made;
      this.#interop.set(value, copy);
    }
    return copy;
  }

  /** How `specifier`, imported by `parent`, is satisfied; `undefined` to leave the parent to the fallback. */
  #resolve(specifier: string, parent: string): Dependency | undefined {
    const given = this.#options.modules;
    if (given !== undefined && Object.hasOwn(given, specifier)) return { kind: 'given', namespace: given[specifier]! };
    const aliased = this.#aliased(specifier);
    if (aliased !== undefined) {
      const file = resolveFile(aliased);
      if (file === undefined) return undefined;
      return /\.m?ts$/.test(file) ? { kind: 'own', path: file } : { kind: 'native', specifier: pathToFileURL(file).href };
    }
    if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return { kind: 'native', specifier };
    if (!specifier.startsWith('.') && !isAbsolute(specifier)) return undefined; // a package: jiti resolves it
    const file = resolveFile(resolve(dirname(parent), specifier));
    if (file === undefined) return undefined;
    if (file.includes(`${sep}node_modules${sep}`)) return /\.m?js$/.test(file) ? { kind: 'native', specifier: pathToFileURL(file).href } : undefined;
    return OWN_EXTENSIONS.has(extname(file)) ? { kind: 'own', path: file } : { kind: 'fallback', path: file };
  }

  #aliased(specifier: string): string | undefined {
    const alias = this.#options.alias;
    if (Object.hasOwn(alias, specifier)) return alias[specifier];
    for (const [from, to] of Object.entries(alias)) {
      if (specifier.startsWith(`${from}/`)) return `${to}${specifier.slice(from.length)}`;
    }
    return undefined;
  }
}

/**
 * A plan's chunks made from the transform cache's entries of its modules, found by their stamps;
 * `undefined` when a module has none (never transformed, or changed since).
 */
function planOf(cache: TransformCache, paths: readonly string[], stamps: readonly string[]): PlanChunk[] | undefined {
  const chunks: PlanChunk[] = [];
  for (let from = 0; from < paths.length; from += PLAN_CHUNK) {
    const modules: PlanModule[] = [];
    const parts: string[] = [];
    let line = 2; // the text's first line is its array's `[`
    for (let i = from; i < Math.min(paths.length, from + PLAN_CHUNK); i++) {
      const cached = cache.find(paths[i]!, { stamp: stamps[i]! });
      if (cached === undefined) return undefined;
      const { text, imports } = wrapped(cached.code, cached.extra === '' ? [] : cached.extra.split(','));
      modules.push({ path: paths[i]!, line, imports });
      parts.push(text);
      let newlines = 0;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) newlines++;
      line += newlines + 1; // and the `,` line break after it
    }
    const text = `[\n${parts.join(',\n')}\n]`;
    chunks.push({ modules, text, textHash: contentHash(text), v8: undefined });
  }
  return chunks;
}

/**
 * Each chunk compiled (see {@link compilePlan}) as `multidb-plan-<key>-<n>.js`; `undefined` when one
 * of them does not compile, or its array is not one wrapper per module.
 */
function compileChunks(chunks: readonly PlanChunk[], key: string, read: boolean): { script: Script; wrappers: unknown[]; filename: string }[] | undefined {
  const compiled: { script: Script; wrappers: unknown[]; filename: string }[] = [];
  for (const [n, chunk] of chunks.entries()) {
    const filename = `multidb-plan-${key}-${n}.js`;
    const one = compilePlan(chunk, filename, read);
    if (one === undefined || !Array.isArray(one.wrappers) || one.wrappers.length !== chunk.modules.length) return undefined;
    compiled.push({ script: one.script, wrappers: one.wrappers, filename });
  }
  return compiled;
}

/**
 * A plan's chunk compiled eagerly as `filename`, from its code cache when it has one, and run (which
 * makes its array of module wrappers, running no module); `undefined` when V8 does not parse it, or
 * when V8 compiled a text `read` from a plan's file (no code cache, or one V8 rejected) that is not
 * the text stored (a code cache V8 accepts carries a checksum V8 verified).
 */
function compilePlan(chunk: PlanChunk, filename: string, read: boolean): { script: Script; wrappers: unknown } | undefined {
  try {
    const script = compileEagerly(() => new Script(chunk.text, { filename, ...(chunk.v8 !== undefined ? { cachedData: chunk.v8 } : {}) }));
    if (read && (chunk.v8 === undefined || script.cachedDataRejected === true) && contentHash(chunk.text) !== chunk.textHash) return undefined;
    return { script, wrappers: script.runInThisContext() };
  } catch {
    return undefined;
  }
}

/** Whether node runs with a debugger, or may get one (`--inspect*` given), which sets breakpoints by a module's own file. */
function debuggerMayAttach(): boolean {
  const inspects = (options: readonly string[]): boolean => options.some((o) => o.startsWith('--inspect'));
  return inspects(process.execArgv) || (process.env['NODE_OPTIONS']?.includes('--inspect') ?? false);
}

/**
 * A stack with each frame in a plan script (see {@link ModuleEvaluator.precompile}) naming the
 * module's own file and line instead (`multidb-plan-<key>.js:1042:9` → `/app/migrations/versions/
 * db2/ab12_add.ts:3:9`); any other stack is returned as it is.
 *
 * @param stack - an error's `stack`.
 * @returns the stack, its plan frames mapped.
 * @example
 * ```ts
 * if (error instanceof Error && error.stack) error.stack = mapPlanStack(error.stack);
 * ```
 * @internal
 */
export function mapPlanStack(stack: string): string {
  if (planScripts.size === 0 || !stack.includes('multidb-plan-')) return stack;
  return stack.replace(PLAN_FRAME, (frame, lineText: string) => {
    const modules = planScripts.get(frame.slice(0, frame.indexOf('.js:') + 3));
    const line = Number(lineText);
    if (modules === undefined) return frame;
    // The last module starting at or before the line (they are in the order of their lines).
    let lo = 0;
    let hi = modules.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (modules[mid]!.line <= line) lo = mid;
      else hi = mid - 1;
    }
    const module = modules[lo]!;
    return line < module.line ? frame : `${module.path}:${line - module.line + 1}`;
  });
}

/**
 * A module's transformed code as the text V8 compiles, `(async function (exports, module, …) {…})`,
 * and its import specifiers: each import becomes `(await __multidbImport(i))`, i its index in
 * `imports`, resolved before the module runs; first, as ESM's instantiation does, the exported
 * function declarations (hoisted, so a module of an import cycle can call them before its body
 * runs), then every import, in order. The module's first line is the wrapper's (no line moves).
 */
function wrapped(code: string, exported: readonly string[]): { text: string; imports: string[] } {
  const imports = Array.from(code.matchAll(REQUIRE), (match) => unquote(match[1]!));
  let i = 0;
  const body = code.replace(REQUIRE, () => `(await __multidbImport(${i++}))`);
  const hoisted = exported.map((name) => `try { exports.${name} = ${name}; } catch {}`).join('');
  const prologue = `${hoisted}await __multidbImport(-1);`;
  const strict = '"use strict";';
  const text = body.startsWith(strict) ? `${strict}${prologue}${body.slice(strict.length)}` : `${prologue}${body}`;
  return { text: `${WRAPPER}${text}\n})`, imports };
}

/**
 * The text of a string literal sucrase wrote (`'x'` or `"x"`); a literal with an escape other than
 * JSON's gives `''`, which resolves to nothing (so the module goes to the fallback).
 */
function unquote(literal: string): string {
  const inner = literal.slice(1, -1);
  try {
    return JSON.parse(`"${literal.startsWith("'") ? inner.replace(/\\'/g, "'").replace(/"/g, '\\"') : inner}"`) as string;
  } catch {
    return '';
  }
}

/**
 * The file a path names: itself, the `.ts` file a `.js` import names (TypeScript's convention),
 * the path with one of {@link TRY_EXTENSIONS}, or its `index` with one; `undefined` when none is a file.
 */
function resolveFile(path: string): string | undefined {
  if (isFile(path)) return path;
  const candidates: string[] = [];
  const ext = extname(path);
  if (ext === '.js' || ext === '.mjs') candidates.push(`${path.slice(0, -ext.length)}${ext === '.js' ? '.ts' : '.mts'}`);
  for (const e of TRY_EXTENSIONS) candidates.push(`${path}${e}`);
  for (const e of TRY_EXTENSIONS) candidates.push(`${path}${sep}index${e}`);
  return candidates.find(isFile);
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
