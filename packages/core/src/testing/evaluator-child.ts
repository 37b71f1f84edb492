import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'script');
const JITI = pathToFileURL(createRequire(import.meta.url).resolve('jiti')).href;

/** What {@link importInChild} reports. */
export interface ChildImport {
  /** What the modules' `upgrade(op)` pushed to `op.calls`, in order. */
  readonly calls: string[];
  /** Whether V8 rejected the code cache given to the last script compiled with one; `undefined`: none was given. */
  readonly rejected: boolean | undefined;
}

/**
 * Imports revision modules in a new Node process, as the next `migrate` would: a `ModuleEvaluator`
 * (loaded from source through jiti) over the transform cache `test-1` in the folder `root`, each
 * module imported eagerly and its `upgrade(op)` called with one `op`. Test support only.
 * @param paths - the modules, in order.
 * @param options - `precompile`: the evaluator precompiles `paths` first, with a clock 10 s ahead
 *   (no file counts as just changed); `scripts`: only scripts whose file name starts with it count
 *   for `rejected` (`'multidb-plan-'`: the plan's).
 */
export function importInChild(root: string, paths: readonly string[], options: { readonly precompile?: boolean; readonly scripts?: string; readonly stamped?: boolean } = {}): Promise<ChildImport> {
  const counted = options.scripts === undefined ? '' : ` && args[1].filename.startsWith(${JSON.stringify(options.scripts)})`;
  const script = `import vm from 'node:vm';
let rejected;
const Original = vm.Script;
vm.Script = class extends Original { constructor(...args) { super(...args); if (args[1]?.cachedData${counted}) rejected = this.cachedDataRejected; } };
(await import('node:module')).syncBuiltinESMExports();
const { createJiti } = await import(${JSON.stringify(JITI)});
const jiti = createJiti(import.meta.url);
const { ModuleEvaluator } = await jiti.import(${JSON.stringify(join(SCRIPT, 'module-evaluator.ts'))});
const { TransformCache } = await jiti.import(${JSON.stringify(join(SCRIPT, 'transform-cache.ts'))});
const cache = new TransformCache('test-1', ${JSON.stringify(root)});
const evaluator = new ModuleEvaluator({ alias: {}, cache, fallback: () => Promise.reject(new Error('fallback'))${options.precompile || options.stamped ? ', now: () => Date.now() + 10000' : ''} });
const paths = ${JSON.stringify(paths)};
${options.precompile ? 'evaluator.precompile(paths);' : ''}
const op = { calls: [] };
for (const path of paths) await (await evaluator.import(path, new Map(), undefined, true)).upgrade(op);
cache.flush();
console.log(JSON.stringify({ calls: op.calls, rejected }));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout, stderr) => {
      if (error) reject(new Error(`child failed: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildImport);
    });
  });
}
