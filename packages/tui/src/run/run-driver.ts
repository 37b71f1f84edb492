import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { executeRun, type RunJob } from './execute-run.js';
import { toRunFailure, type RunMessage } from './run-message.js';

/** A part of a run that has started. */
export interface RunningJob {
  /** Settles when the part has posted its last message (`finished` or `failed`). */
  readonly done: Promise<void>;
  /** Stops the part (terminates its worker); the database rolls back an open transaction. */
  stop(): Promise<void>;
}

/** Starts parts of a run somewhere: a worker thread, or this thread. */
export interface RunDriver {
  /** `'worker'` or `'in-process'`, for the run screen's footnote. */
  readonly kind: 'worker' | 'in-process';
  /**
   * Starts a job.
   * @param onMessage - every message of the job, in order; the last is `finished` or `failed`.
   */
  start(job: RunJob, onMessage: (message: RunMessage) => void): RunningJob;
}

/**
 * Runs jobs on this thread. Synchronous drivers (better-sqlite3) block the screen while a
 * statement runs, so it serves tests and the fallback when the worker file is missing.
 *
 * @example
 * ```ts
 * inProcessRunDriver.start({ cwd: process.cwd(), direction: 'up', targets: ['db2@head'] }, (m) => console.log(m));
 * ```
 */
export const inProcessRunDriver: RunDriver = Object.freeze({
  kind: 'in-process' as const,
  start(job: RunJob, onMessage: (message: RunMessage) => void): RunningJob {
    let stopped = false;
    const done = executeRun(job, (message) => {
      if (!stopped) onMessage(message);
    });
    return {
      done,
      async stop() {
        stopped = true;
      },
    };
  },
});

/** The built worker's file next to this module (absent when running from TypeScript sources). */
export const RUN_WORKER_URL = new URL('./run-worker.js', import.meta.url);

/**
 * Runs each job in a worker thread (`run-worker.js`), so the screen keeps drawing while SQLite
 * works. What the revisions print (`console.log`) arrives as `output` messages instead of
 * writing over the screen. A worker that dies without a last message yields `failed`.
 *
 * @param workerUrl - the worker module (default {@link RUN_WORKER_URL}).
 * @example
 * ```ts
 * const job = workerRunDriver().start({ cwd: process.cwd(), direction: 'up', targets: ['default@head'] }, (m) => console.log(m.type));
 * await job.done;
 * ```
 */
export function workerRunDriver(workerUrl: URL = RUN_WORKER_URL): RunDriver {
  return {
    kind: 'worker',
    start(job: RunJob, onMessage: (message: RunMessage) => void): RunningJob {
      const worker = new Worker(workerUrl, { workerData: job, stdout: true, stderr: true });
      let ended = false;
      let stopped = false;
      const deliver = (message: RunMessage) => {
        if (ended || stopped) return;
        if (message.type === 'finished' || message.type === 'failed') ended = true;
        onMessage(message);
      };
      const output = (chunk: Buffer | string) => {
        for (const line of String(chunk).split('\n')) if (line.trim() !== '') deliver({ type: 'output', text: line });
      };
      worker.stdout.on('data', output);
      worker.stderr.on('data', output);
      const done = new Promise<void>((resolve) => {
        worker.on('message', (message: RunMessage) => deliver(message));
        worker.on('error', (error) => deliver({ type: 'failed', error: toRunFailure(error) }));
        worker.on('exit', (code) => {
          deliver({ type: 'failed', error: toRunFailure(new Error(`The run's worker thread stopped unexpectedly (exit code ${code}).`)) });
          resolve();
        });
      });
      return {
        done,
        async stop() {
          stopped = true;
          await worker.terminate();
        },
      };
    },
  };
}

/**
 * The driver `runTui` uses: worker threads when the built worker file exists, else this thread.
 * @example
 * ```ts
 * const driver = defaultRunDriver(); // driver.kind === 'worker' in a built install
 * ```
 */
export function defaultRunDriver(): RunDriver {
  return existsSync(fileURLToPath(RUN_WORKER_URL)) ? workerRunDriver() : inProcessRunDriver;
}
