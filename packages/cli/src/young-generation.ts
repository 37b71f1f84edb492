import { setFlagsFromString } from 'node:v8';
import type { ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Set on `globalThis` once {@link limitYoungGeneration} has set its flag. A process-wide mark, not
 * module state: the bin loads this module on its own, before the CLI's bundle, which has its own
 * copy of this code.
 */
const LIMITED = Symbol.for('multidb.cli.youngGenerationLimited');
const marks = globalThis as { [LIMITED]?: true };

/** A V8 flag that sizes the young generation or times its collections; when the user set one, theirs is kept. */
const SIZING_FLAG = /--(?:max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor|--max[-_]heap[-_]size|--(?:no[-_])?minor[-_]gc[-_]task(?![-_\w])/;

/**
 * The flag {@link limitYoungGeneration} sets. Set again once each worker thread is online: V8
 * raises a growth factor below its default when it sets up a new isolate's heap, and the flag is
 * process-wide, so starting a worker would otherwise let the main thread's semi-spaces grow to
 * 16 MiB each again (measured: new space 2 -> 32 MiB after a worker started; tools/bench/RESULTS.md,
 * 2026-12-05, "the first run after a checkout"). A young collection of the main thread between a
 * worker's heap set-up and its `online` event can still double the semi-spaces once.
 */
const GROWTH_FACTOR_ONE = '--semi-space-growth-factor=1';

/**
 * The other flag {@link limitYoungGeneration} sets: a young collection only when the young
 * generation is full. By default V8 also schedules one as a task once it is 80 % full, which in a
 * short command is often one more collection just before the process ends (2–3 ms of `migrate
 * heads`, tools/bench/RESULTS.md, 2026-12-05); in a long one it is a fifth more collections.
 */
const NO_MINOR_GC_TASK = '--no-minor-gc-task';

/**
 * Keeps V8's young generation at its starting size (two 1 MiB semi-spaces on 64-bit Node 20)
 * for the rest of the process, by setting `--semi-space-growth-factor=1`, and collects it only
 * when it is full (`--no-minor-gc-task`, see {@link NO_MINOR_GC_TASK}).
 *
 * Why: V8 doubles the semi-spaces after each young collection whose survivors fill them, up to
 * 16 MiB each, and keeps what it grew until the process ends. A `migrate` command is a short
 * process whose peak RSS is mostly that growth: on 500 SQLite revisions it went from about
 * 90 to 74 MiB, on 200 tenants from about 106 to 80 MiB (tools/bench/RESULTS.md, 2026-12-05).
 * The price is more young collections, each small.
 *
 * `--max-semi-space-size` cannot do this at run time: V8 reads it once, when the heap is set up,
 * and ignores a later change. The growth factor is read each time the young generation would
 * grow, so setting it before the first collection keeps the size. Call this first thing in an
 * executable (the `migrate` bin does, before importing the CLI), never from a library: the flag
 * holds for the whole process. A worker thread's heap is sized by its own `resourceLimits`
 * (measured: without them, a worker's young generation still grew to 16–32 MiB), see
 * {@link workerResourceLimits}. Starting a worker resets the flag for the whole process, so it is
 * set again as each worker comes online (Node's `process` `'worker'` event).
 *
 * @param execArgv - the process's Node options (default: `process.execArgv` and `NODE_OPTIONS`);
 *   when one of them sizes the young generation or the heap, nothing is changed.
 * @returns `true` when the flag was set, `false` when the user's own sizing was kept.
 * @example
 * ```ts
 * import { limitYoungGeneration } from '@multidb/cli/young-generation';
 * limitYoungGeneration();
 * const { main } = await import('@multidb/cli');
 * ```
 */
export function limitYoungGeneration(execArgv: string = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`): boolean {
  if (SIZING_FLAG.test(execArgv)) return false;
  setFlagsFromString(GROWTH_FACTOR_ONE);
  setFlagsFromString(NO_MINOR_GC_TASK);
  if (marks[LIMITED] !== true) process.on('worker', (worker: Worker) => worker.once('online', () => setFlagsFromString(GROWTH_FACTOR_ONE)));
  marks[LIMITED] = true;
  return true;
}

/**
 * The `resourceLimits` for this process's worker threads (core's `RunWorkersOptions.resourceLimits`)
 * that keep their young generation as {@link limitYoungGeneration} keeps the main thread's: at most
 * 3 MiB, which Node 20's V8 sizes as two 1 MiB semi-spaces (measured: a new space of 2 MiB, as on
 * the main thread).
 * Measured on 200 SQLite tenants × 20 revisions on two workers: peak RSS 125–132 → 105–107 MiB,
 * CPU time unchanged (tools/bench/RESULTS.md, 2026-12-05).
 *
 * @returns the limits, or `undefined` when {@link limitYoungGeneration} has not set its flag in
 *   this process (not called, or the user sized the heap: workers then keep Node's defaults).
 * @example
 * ```ts
 * import { limitYoungGeneration, workerResourceLimits } from '@multidb/cli/young-generation';
 * limitYoungGeneration();
 * const resourceLimits = workerResourceLimits(); // { maxYoungGenerationSizeMb: 3 }
 * ```
 */
export function workerResourceLimits(): ResourceLimits | undefined {
  return marks[LIMITED] === true ? { maxYoungGenerationSizeMb: 3 } : undefined;
}
