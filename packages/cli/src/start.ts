import { raiseOptimizationBudget } from './optimization-budget.js';
import { loadMain, type MainFiles } from './script-cache.js';
import { limitYoungGeneration } from './young-generation.js';

/**
 * Runs `migrate` as its bin does: sets V8's flags first (a small young generation, a higher
 * optimization budget: see {@link limitYoungGeneration} and {@link raiseOptimizationBudget}), loads
 * `main` with the code caches ({@link loadMain}), runs it, sets `process.exitCode`, then writes the
 * caches that were not used.
 *
 * Why one module: the bin imports this file's bundle (tools/build/bundle-package.mjs --one-file),
 * one ES module to load instead of three.
 * @param argv - the arguments after the program name.
 * @param files - the CLI's builds of `main` (see {@link MainFiles}).
 * @returns when `main` returned (its exit code is in `process.exitCode`).
 * @example
 * ```ts
 * const bundle = new URL('../dist/bundle/', import.meta.url);
 * await start(process.argv.slice(2), { script: new URL('main.script.cjs', bundle), module: new URL('main.js', bundle) });
 * ```
 * @internal
 */
export async function start(argv: readonly string[], files: MainFiles): Promise<void> {
  limitYoungGeneration();
  raiseOptimizationBudget();
  const { main, saveCaches } = await loadMain(files);
  process.exitCode = await main(argv);
  saveCaches();
}
