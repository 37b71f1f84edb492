import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TransformOptions } from 'jiti';
import { loadJiti } from './load-jiti.js';
import type * as Sucrase from 'sucrase';

/** What jiti passes to a custom transform: source, filename, `ts`, `async` (import, not require), `jsx`. */
export type ModuleTransformInput = TransformOptions;

/**
 * Source text that sucrase's output cannot express the way jiti (or the module loader's own
 * evaluation) runs it: a `require(` or a dynamic `import(` of the author's own (the output's
 * `require(` calls are rewritten into awaited imports, so the author's must not be among them),
 * `import.meta`, a helper name of ours (`__multidbImport`, `__multidbImported`), or a TypeScript
 * `namespace` (or `module X {`) that is not `declare`d: sucrase drops a namespace with values
 * silently (`export namespace Tables { … }` exported nothing), Babel compiles it.
 *
 * @internal
 */
export const NEEDS_BABEL =
  /(?<![\w$.])require\s*\(|(?<![\w$.])import\s*\(|\bimport\s*\.\s*meta\b|__multidbImport|(?<![\w$.]|\bdeclare\s+(?:export\s+)?)(?:namespace|module)\s+[A-Za-z_$][\w$.]*\s*\{/;

/**
 * Makes an imported module read the way an ES module import sees it: jiti's own modules come back
 * with `__esModule`; a native ES module's namespace is copied into an object that has it, so
 * sucrase's interop helpers read `default` as the default export. (jitiImport itself is called
 * on the import's own line, so a failing import's stack names that line.)
 */
const PRELUDE =
  'const __multidbImported = (m) => m !== null && typeof m === "object" && !m.__esModule ? { ...m, __esModule: true } : m;';

/**
 * A `require('…')` that sucrase wrote for an import (its argument is always one string literal).
 *
 * @internal
 */
export const REQUIRE = /(?<![\w$.])require\(('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\)/g;

let babelJiti: ReturnType<ReturnType<typeof loadJiti>> | undefined;
let sucraseModule: typeof Sucrase | undefined;

/**
 * sucrase as one file, beside core's bundle (written by core's build: tools/build/bundle-dependency.mjs);
 * its first line names the version bundled. Absent when core runs from its sources (tests).
 */
const BUNDLED_SUCRASE = './sucrase.cjs';

/**
 * sucrase, loaded on the first module to transform (a command that imports none never loads it):
 * the bundled file when there is one (Node then reads and compiles one file instead of ~100: ~40
 * instead of ~50 ms of CPU, tools/bench/RESULTS.md, 2026-12-05), else the `sucrase` package.
 */
function sucrase(): typeof Sucrase {
  if (sucraseModule === undefined) {
    const require = createRequire(import.meta.url);
    try {
      sucraseModule = require(BUNDLED_SUCRASE) as typeof Sucrase;
    } catch (error) {
      if (!isMissing(error, BUNDLED_SUCRASE)) throw error;
      sucraseModule = require('sucrase') as typeof Sucrase;
    }
  }
  return sucraseModule;
}

/** Whether `error` is Node's "cannot find module" for `specifier` itself (not for a module it requires). */
function isMissing(error: unknown, specifier: string): boolean {
  return (error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${specifier}'`);
}

/**
 * The version of the sucrase that {@link sucraseToCommonJs} uses, read without loading it (the
 * bundle's first line, else the package's `package.json`): the transform cache keys its entries
 * with it, so a cache made by another sucrase is not used. `'unknown'` when neither can be read.
 *
 * @returns e.g. `'3.35.1'`.
 * @internal
 */
export function sucraseVersion(): string {
  const require = createRequire(import.meta.url);
  let bundled: string | undefined;
  try {
    bundled = require.resolve(BUNDLED_SUCRASE);
  } catch {
    // Not built: the package.
  }
  try {
    if (bundled === undefined) return (JSON.parse(readFileSync(require.resolve('sucrase/package.json'), 'utf8')) as { version: string }).version;
    const fd = openSync(bundled, 'r');
    const head = Buffer.alloc(128);
    let read: number;
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    return /^\/\/ sucrase@(\S+)/.exec(head.toString('utf8', 0, read))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * A module's source turned into CommonJS by sucrase: TypeScript types stripped (when `ts`), each
 * `import`/`export` turned into `require`/`exports`, every line kept where it was.
 *
 * @param source - the module's source.
 * @param filename - its path (named in sucrase's errors).
 * @param ts - whether it is TypeScript.
 * @returns the CommonJS code.
 * @throws sucrase's error when the source does not parse.
 * @internal
 */
export function sucraseToCommonJs(source: string, filename: string, ts: boolean): string {
  return sucrase().transform(source, { transforms: ts ? ['typescript', 'imports'] : ['imports'], filePath: filename }).code;
}

/** jiti's own transform (Babel, bundled with jiti), loaded only when first needed. */
function babelTransform(input: ModuleTransformInput): string {
  babelJiti ??= loadJiti()(import.meta.url, { fsCache: false, moduleCache: false });
  return babelJiti.transform(input);
}

/**
 * The transform the module loader gives jiti: TypeScript types stripped and ES module syntax
 * turned into jiti's CommonJS form by sucrase, which is many times faster than jiti's bundled
 * Babel (loading Babel alone costs more than transforming a thousand revision files with
 * sucrase) and keeps every line where it was, so error lines stay right. Each `import` becomes an
 * awaited jiti import, as with Babel. Babel still handles what sucrase's output cannot express
 * here (see {@link NEEDS_BABEL}), modules loaded by a synchronous `require`, JSX, and a source
 * sucrase fails to parse (so syntax errors read as they always have).
 *
 * @param input - what jiti passes: source, filename, `ts`, `async`.
 * @returns `{ code }`: the module body jiti evaluates inside its async module wrapper.
 * @example
 * ```ts
 * const { code } = transformModule({ source: "export const a: number = 1;", filename: 'a.ts', ts: true, async: true });
 * ```
 */
export function transformModule(input: ModuleTransformInput): { code: string } {
  if (!input.async || input.jsx || NEEDS_BABEL.test(input.source)) return { code: babelTransform(input) };
  let code: string;
  try {
    code = sucraseToCommonJs(input.source, input.filename ?? '', input.ts === true);
  } catch {
    return { code: babelTransform(input) };
  }
  const body = code.replace(REQUIRE, '__multidbImported(await jitiImport($1))');
  // The prelude goes on the first line, after a "use strict" directive, so no line moves.
  const strict = '"use strict";';
  return { code: body.startsWith(strict) ? `${strict}${PRELUDE}${body.slice(strict.length)}` : `${PRELUDE}${body}` };
}
