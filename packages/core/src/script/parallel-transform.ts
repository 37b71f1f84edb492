import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sucraseModulePath, sucraseOptions, sucraseToCommonJs } from './module-transform.js';

/** Options of {@link transformInParallel}. */
export interface ParallelTransformOptions {
  /** How many sources it takes to start a worker (default {@link PARALLEL_MIN}). */
  readonly minForWorker?: number;
  /** `false`: when a worker starts, the main thread leaves every source to it (tests). Default `true`. */
  readonly mainThread?: boolean;
}

/** One source to transform: its path (named in sucrase's errors), text, and whether it is TypeScript. */
export interface TransformItem {
  readonly path: string;
  readonly source: string;
  readonly ts: boolean;
}

/**
 * Below this many sources one thread does them all: a worker costs about 100 ms of start-up
 * (its own Node environment, loading sucrase) before it transforms anything, about what the main
 * thread spends on the first 150 to 200 revision files.
 */
export const PARALLEL_MIN = 200;

/**
 * The worker: takes the next index from the shared counter until none is left, transforms each
 * source with the same sucrase and options as the main thread, and posts `[index, code]` pairs
 * once, at the end. A source sucrase rejects gets no pair (the main thread then meets it again
 * and reports it as it always has). It loads sucrase only when work is left.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { sucrase, items, counter } = workerData;
const next = new Int32Array(counter);
const done = [];
if (Atomics.load(next, 0) < items.length) {
  const { transform } = require(sucrase);
  for (let i = Atomics.add(next, 0, 1); i < items.length; i = Atomics.add(next, 0, 1)) {
    try {
      done.push([i, transform(items[i].source, items[i].options).code]);
    } catch {}
  }
}
parentPort.postMessage(done);
`;

/**
 * Transforms many sources with sucrase (as {@link sucraseToCommonJs} does), on two threads when
 * there are at least {@link PARALLEL_MIN} of them and the machine has more than one CPU: the main
 * thread and one worker take sources from a shared counter, so neither waits for the other to
 * start, and the main thread does them all when the worker is slow to come up. What the worker
 * fails to deliver (it could not start, it stopped) is simply missing from the result.
 *
 * @param items - the sources.
 * @param options - see {@link ParallelTransformOptions}.
 * @returns each item's code by index; `undefined` where sucrase failed or no thread delivered it
 *   (the caller transforms that one itself, reporting its errors as usual).
 * @example
 * ```ts
 * const [code] = await transformInParallel([{ path: '/p/a.ts', source: 'export const a: number = 1;', ts: true }]);
 * ```
 */
export async function transformInParallel(items: readonly TransformItem[], options: ParallelTransformOptions = {}): Promise<(string | undefined)[]> {
  const codes: (string | undefined)[] = new Array<string | undefined>(items.length).fill(undefined);
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const worker = items.length >= (options.minForWorker ?? PARALLEL_MIN) && availableParallelism() > 1 ? startWorker(items, counter) : undefined;
  let mine = 0;
  const share = worker === undefined || options.mainThread !== false; // false: the worker does them all (tests)
  for (let i = share ? Atomics.add(next, 0, 1) : items.length; i < items.length; i = Atomics.add(next, 0, 1)) {
    mine++;
    const item = items[i]!;
    try {
      codes[i] = sucraseToCommonJs(item.source, item.path, item.ts);
    } catch {
      // Left to the caller, which reports the error with the file's line.
    }
  }
  if (worker === undefined) return codes;
  // Every index is taken: the worker has the ones this thread did not take (none: nothing to wait for).
  if (mine < items.length) {
    for (const [i, code] of await worker.result) codes[i] = code;
  }
  void worker.thread.terminate();
  return codes;
}

/** A worker started on `items`, and the pairs it posts (none when it fails or exits first). */
function startWorker(items: readonly TransformItem[], counter: SharedArrayBuffer): { thread: Worker; result: Promise<[number, string][]> } | undefined {
  let thread: Worker;
  try {
    thread = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sucrase: sucraseModulePath(), counter, items: items.map((item) => ({ source: item.source, options: sucraseOptions(item.path, item.ts) })) },
      // Nothing of the parent's command line (a --require hook, --cpu-prof) and no output of its own.
      execArgv: [],
      stdout: true,
      stderr: true,
    });
  } catch {
    return undefined;
  }
  const result = new Promise<[number, string][]>((resolve) => {
    thread.once('message', (pairs: [number, string][]) => resolve(pairs));
    thread.once('error', () => resolve([]));
    thread.once('exit', () => resolve([]));
  });
  return { thread, result };
}
