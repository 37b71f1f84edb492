import { setFlagsFromString } from 'node:v8';

/** A V8 flag that chooses when or whether functions are optimized; when the user set one, theirs is kept. */
const TIERING_FLAG = /--(?:no[-_])?(?:interrupt[-_]budget|max[-_]opt|opt|turbofan|maglev|sparkplug|always[-_](?:opt|turbofan|sparkplug))\b|--jitless/;

/** V8's budget in Node 20 (`--interrupt-budget=67584`, bytecodes run before a function is considered for TurboFan), times ten. */
export const OPTIMIZATION_BUDGET = 10 * 67584;

/**
 * Makes V8 optimize a function (TurboFan) only after ten times the usual amount of its bytecode
 * has run, for the rest of the process, by setting `--interrupt-budget` to
 * {@link OPTIMIZATION_BUDGET}.
 *
 * Why: a `migrate` command is a short process that runs each of many functions (the runner, op
 * builders, dialect compilers, Kysely, the driver) a few hundred to a few thousand times. With
 * V8's budget most of them reach TurboFan, whose compiling (on a second thread, so it counts as
 * the process's CPU) costs more than the optimized code then saves before the process ends:
 * `migrate upgrade` of 1,000 SQLite revisions spent about a fifth less CPU with the larger budget
 * (tools/bench/RESULTS.md, 2026-12-05, P3). Functions that run hot for long (a 5,000-revision
 * `--sql` run) are still optimized, a little later.
 *
 * The budget is read when a function's counters are set up, so it applies to code that runs
 * after the call. Call this first thing in an executable (the `migrate` bin does), never from a
 * library: the flag holds for the whole process, worker threads included.
 *
 * @param execArgv - the process's Node options (default: `process.execArgv` and `NODE_OPTIONS`);
 *   when one of them sets V8's tiering (`--interrupt-budget`, `--max-opt`, `--no-opt`,
 *   `--jitless`, …), nothing is changed (Node accepts these on its command line only, not in
 *   `NODE_OPTIONS`).
 * @returns `true` when the flag was set, `false` when the user's own tiering was kept.
 * @example
 * ```ts
 * import { raiseOptimizationBudget } from '@multidb/cli/optimization-budget';
 * raiseOptimizationBudget();
 * const { main } = await import('@multidb/cli');
 * ```
 */
export function raiseOptimizationBudget(execArgv: string = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`): boolean {
  if (TIERING_FLAG.test(execArgv)) return false;
  setFlagsFromString(`--interrupt-budget=${OPTIMIZATION_BUDGET}`);
  return true;
}
