import { setFlagsFromString } from 'node:v8';

/** Node was started with V8's `--no-lazy` (every function is compiled eagerly already): the flag is then left alone. */
const STARTED_EAGER = process.execArgv.some((option) => option === '--no-lazy' || option === '--no_lazy');

/**
 * Runs `compile` (a `new vm.Script(…)`) with V8's lazy compilation off, so every function of the
 * script gets its bytecode now rather than at its first call, then turns it back on.
 *
 * Why: V8 compiles a function the first time it is called. A revision's `upgrade` is first
 * called inside the run's loop, right after the previous revision's COMMIT waited on the disk,
 * and compiling it there cost 35–55 µs per revision on SQLite (against ~7 µs compiled with its
 * module: the compiler's code and data are out of the CPU's caches by then). Eager bytecode costs
 * memory for functions that never run (a revision's `downgrade` during an upgrade: ~1.5 MiB over
 * 5,000 revisions), so only a run about to call them asks for it. The flag is process-wide but
 * set only for the synchronous call: a worker thread compiling at that instant compiles eagerly
 * too, which changes its speed, never its behaviour.
 *
 * @param compile - the synchronous compile to run.
 * @returns what `compile` returns.
 * @throws what `compile` throws (lazy compilation is back on either way).
 * @example
 * ```ts
 * import { Script } from 'node:vm';
 * const script = compileEagerly(() => new Script('(function () { function upgrade() {} return upgrade; })', { filename: 'rev.ts' }));
 * ```
 */
export function compileEagerly<T>(compile: () => T): T {
  if (STARTED_EAGER) return compile();
  setFlagsFromString('--no-lazy');
  try {
    return compile();
  } finally {
    setFlagsFromString('--lazy');
  }
}
