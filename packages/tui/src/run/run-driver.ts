import { runWorkersAvailable, startRunWorker, type WorkerEnvironmentSource } from '@multidb/core';
import { coreRunJob, executeRun, toRunMessage, type RunJob } from './execute-run.js';
import type { RunMessage } from './run-message.js';

/** A part of a run that has started. */
export interface RunningJob {
  /** Settles when the part has posted its last message (`finished` or `failed`). */
  readonly done: Promise<void>;
  /**
   * Asks the part to stop after the revisions in progress (core's `RunOptions.signal`): it then
   * ends with `failed` and core's `InterruptedError` (code `INTERRUPTED`), every bind at a
   * revision its version table records. Does nothing once it has ended.
   */
  interrupt(): void;
  /**
   * Abandons the part: on a worker, what its connections run is cancelled on the servers first
   * (PostgreSQL's cancel request, MySQL/MariaDB's `KILL QUERY`), then the worker is terminated;
   * the database rolls back an open transaction. No message is delivered after it is called.
   */
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
    const interrupt = new AbortController();
    const done = executeRun(
      job,
      (message) => {
        if (!stopped) onMessage(message);
      },
      undefined,
      { signal: interrupt.signal },
    );
    return {
      done,
      interrupt: () => interrupt.abort('SIGINT'),
      async stop() {
        stopped = true;
      },
    };
  },
});

/**
 * Runs each job on a worker thread of its own through core's `startRunWorker` (the same worker
 * and code `migrate upgrade --concurrency N` uses for many SQLite tenants), so the screen keeps
 * drawing while SQLite works. What the revisions print (`console.log`) arrives as `output`
 * messages instead of writing over the screen. A worker that dies without a last message yields
 * `failed`.
 *
 * @example
 * ```ts
 * const job = workerRunDriver().start({ cwd: process.cwd(), direction: 'up', targets: ['default@head'] }, (m) => console.log(m.type));
 * await job.done;
 * ```
 */
export function workerRunDriver(): RunDriver {
  return {
    kind: 'worker',
    start(job: RunJob, onMessage: (message: RunMessage) => void): RunningJob {
      const source: WorkerEnvironmentSource = {
        cwd: job.cwd,
        ...(job.config !== undefined ? { config: job.config } : {}),
        dialects: import.meta.resolve('@multidb/dialect/registry'),
        ...(job.moduleAlias ? { alias: job.moduleAlias } : {}),
      };
      return startRunWorker(source, coreRunJob(job), (message) => onMessage(toRunMessage(message)), { captureOutput: true });
    },
  };
}

/**
 * The driver `runTui` uses: worker threads when core's worker module is built
 * (`runWorkersAvailable`), else this thread.
 * @example
 * ```ts
 * const driver = defaultRunDriver(); // driver.kind === 'worker' in a built install
 * ```
 */
export function defaultRunDriver(): RunDriver {
  return runWorkersAvailable() ? workerRunDriver() : inProcessRunDriver;
}
