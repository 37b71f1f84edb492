import { executeRunJob, runWorkersAvailable, startRunWorker, type MigrationEnvironment, type WorkerEnvironmentSource } from '@multidb/core';
import { coreRunJob, loadJobEnvironment, toRunMessage, type RunJob } from './execute-run.js';
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
   * Abandons the part (the second ctrl+c): no revision starts after it is called, and what its
   * connections run is cancelled on the servers (PostgreSQL's cancel request, MySQL/MariaDB's
   * `KILL QUERY`), so the revision in progress fails and its database rolls it back (MySQL/MariaDB
   * keep the statements it completed, recorded as its progress, never as applied). On a worker,
   * the worker is then terminated; on this thread ({@link inProcessRunDriver}) it resolves once
   * the part has ended, a revision that could not be cancelled (SQLite's) having finished and been
   * recorded. Either way each bind is left at a revision boundary its version table records. No
   * message is delivered after it is called.
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

/** How long `stop()` lets the servers cancel what a part's connections run (as core's worker does). */
const CANCEL_WAIT_MS = 2000;

/**
 * Runs jobs on this thread. Synchronous drivers (better-sqlite3) block the screen while a
 * statement runs, so it serves tests and the fallback when the worker file is missing.
 * `stop()` cannot end the thread as {@link workerRunDriver}'s does: it aborts the part's signal (no
 * revision starts after it), cancels what its connections run on the servers
 * (`MigrationEnvironment.cancelInFlight`), and resolves once the part has ended.
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
    let env: MigrationEnvironment | undefined;
    const interrupt = new AbortController();
    // Core's executeRunJob, as the worker thread runs it; the environment kept, to cancel what it runs.
    const done = executeRunJob(
      async () => (env = await loadJobEnvironment(job)),
      coreRunJob(job),
      (message) => {
        if (!stopped) onMessage(toRunMessage(message));
      },
      { signal: interrupt.signal },
    );
    return {
      done,
      interrupt: () => interrupt.abort('SIGINT'),
      async stop() {
        if (!stopped) {
          stopped = true;
          interrupt.abort('SIGINT'); // no revision starts after this one (no-op after the first ctrl+c)
          await env?.cancelInFlight({ timeoutMs: CANCEL_WAIT_MS }).catch(() => undefined);
        }
        await done;
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
