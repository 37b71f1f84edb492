import { unsupportedNode } from './node-version.js';
import { raiseOptimizationBudget } from './optimization-budget.js';
import { loadMain, type MainFiles } from './script-cache.js';
import { limitYoungGeneration } from './young-generation.js';

/**
 * Runs `migrate` as its bin does: on a Node.js older than the CLI needs (20.12) prints why and
 * sets exit code 1 (see {@link unsupportedNode}); else sets V8's flags first (a small young generation, a higher
 * optimization budget: see {@link limitYoungGeneration} and {@link raiseOptimizationBudget}), loads
 * `main` with the code caches ({@link loadMain}), runs it, sets `process.exitCode`, then writes the
 * caches that were not used. When Node's event loop empties before `main` returned (it awaits a
 * promise nothing can settle), the exit code is 13 with a message on stderr, not 0.
 *
 * Why one file, and CommonJS: the bin requires this file's CommonJS build (dist/bundle/start.cjs,
 * tools/build/bundle-package.mjs --cjs), one file to load instead of three, and no ES module: Node
 * 20 sets up its ES module loader on first use (~13 ms of CPU), which `migrate heads` needs none of.
 * @param argv - the arguments after the program name.
 * @param files - the CLI's builds of `main` (see {@link MainFiles}).
 * @returns when `main` returned (its exit code is in `process.exitCode`).
 * @example
 * ```ts
 * // bin/migrate.cjs
 * import { join } from 'node:path';
 * import { pathToFileURL } from 'node:url';
 * const bundle = join(__dirname, '..', 'dist', 'bundle');
 * void start(process.argv.slice(2), { script: pathToFileURL(join(bundle, 'main.script.cjs')), module: pathToFileURL(join(bundle, 'main.js')) });
 * ```
 * @internal
 */
export async function start(argv: readonly string[], files: MainFiles): Promise<void> {
  // Before anything is loaded: an older Node would fail part way, with an error about an API it lacks.
  const unsupported = unsupportedNode(process.versions.node);
  if (unsupported !== undefined) {
    process.stderr.write(`${unsupported}\n`);
    process.exitCode = 1;
    return;
  }
  limitYoungGeneration();
  raiseOptimizationBudget();
  let finished = false;
  process.once('beforeExit', () => {
    if (finished) return;
    // Node's event loop is empty and `main` has not returned: something it awaits (a revision's or
    // the config's promise) can never settle. The ES module bin exited 13 here (Node's unsettled
    // top-level await); a CommonJS bin would exit 0 as if the command had done its work.
    process.exitCode = UNFINISHED_EXIT_CODE;
    process.stderr.write(
      'migrate: the command stopped before it finished: it awaits a promise that nothing can settle any more ' +
        "(a revision's or the config's `await` of a promise that never resolves?); what comes after that point did not run.\n",
    );
  });
  const { main, saveCaches } = await loadMain(files);
  process.exitCode = await main(argv);
  finished = true;
  saveCaches();
}

/** The exit code of a run whose `main` never returned (Node's own for an unsettled top-level await). */
const UNFINISHED_EXIT_CODE = 13;
