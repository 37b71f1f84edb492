import { createModuleLoader, executeRunJob, loadEnvironment, type DialectRegistry, type MigrationEnvironment, type WorkerRunJob, type WorkerRunMessage } from '@multidb/core';
import { dialects as builtInDialects } from '@multidb/dialect/registry';
import { toRunFailure, toTuiEvent, type RunMessage } from './run-message.js';

/** One part of a run, as plain data (it is posted to a worker thread). */
export interface RunJob {
  /** Where the config search starts. */
  readonly cwd: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /**
   * Module specifiers the config and revisions resolve to the caller's copies, e.g.
   * `{ '@multidb/core': '/…/core/dist/bundle/index.js' }` (DESIGN §4), over the dialects' alias for
   * the project (`kysely`: see core's `EnvironmentOptions.loader`).
   */
  readonly moduleAlias?: Readonly<Record<string, string>>;
  /** `'up'` (upgrade) or `'down'` (downgrade). */
  readonly direction: 'up' | 'down';
  /** Upgrade targets (`db2@head`, …), or the one downgrade target (`db2@-1`). */
  readonly targets: readonly string[];
  /** Give up waiting for a migration lock after this many milliseconds (default: wait). */
  readonly lockTimeoutMs?: number;
  /**
   * Extra arguments for the revisions, read as `op.xArgs` (and by the config's hooks as
   * `ctx.xArgs`): Alembic's `-x`, `migrate tui -x tenant=acme`. Default `{}`.
   */
  readonly xArgs?: Readonly<Record<string, string>>;
}

/**
 * Core's job for a TUI job: its independent groups go on past a failing one (`keepGoing`); after
 * an upgrade or a downgrade that ran steps, the binds it changed whose `codegen` is `'after-run'`
 * (or `'after-upgrade'`) get their types regenerated (`@multidb/autogenerate`'s `codegenAfterRun`,
 * imported only when a bind sets `types`), as `migrate upgrade` and `migrate downgrade` do.
 * @param job - the TUI's job.
 * @returns what core's `executeRunJob` and `startRunWorker` take.
 */
export function coreRunJob(job: RunJob): WorkerRunJob {
  return {
    direction: job.direction,
    targets: job.targets,
    // A part packs independent groups (tenants) run one after the other: a failing one stops
    // only itself, as `migrate upgrade --concurrency N` does (README: a failing bind stops only itself).
    keepGoing: true,
    ...(job.lockTimeoutMs !== undefined ? { lockTimeoutMs: job.lockTimeoutMs } : {}),
    ...(job.xArgs !== undefined ? { xArgs: job.xArgs } : {}),
    afterRun: { module: import.meta.resolve('@multidb/autogenerate'), export: 'codegenAfterRun', onlyWithTypes: true },
  };
}

/**
 * Core's messages as the run screen takes them: errors as plain {@link RunFailure}s.
 * @param message - a message of core's `executeRunJob` or `startRunWorker`.
 */
export function toRunMessage(message: WorkerRunMessage): RunMessage {
  switch (message.type) {
    case 'event':
      return { type: 'event', event: toTuiEvent(message.event) };
    case 'output':
      return message;
    case 'finished':
      return { type: 'finished' };
    case 'failed':
      return { type: 'failed', error: toRunFailure(message.error) };
  }
}

/**
 * Runs one part of a run on this thread through core's public API (`executeRunJob`: loads the
 * environment, upgrades or downgrades, posts core's events, then `finished` or `failed`), as
 * {@link RunMessage}s. After an upgrade or a downgrade, binds it changed whose `codegen` is
 * `'after-run'` get their types regenerated (see {@link coreRunJob}). Never rejects. The worker
 * thread ({@link workerRunDriver}) runs the same core function on its thread.
 *
 * @param job - what to run.
 * @param post - receives each message, in order.
 * @param dialects - the dialect registry (default `@multidb/dialect/registry`).
 * @param options - `signal`: asks the run to stop after the revisions in progress (it then ends
 *   with `failed`, core's `InterruptedError`).
 * @example
 * ```ts
 * await executeRun({ cwd: '/srv/app', direction: 'up', targets: ['db2@head'] }, (m) => console.log(m.type));
 * ```
 */
export async function executeRun(
  job: RunJob,
  post: (message: RunMessage) => void,
  dialects: DialectRegistry = builtInDialects,
  options: { readonly signal?: AbortSignal } = {},
): Promise<void> {
  await executeRunJob(() => loadJobEnvironment(job, dialects), coreRunJob(job), (message) => post(toRunMessage(message)), options);
}

/**
 * Loads the environment a job runs in, from its config (modules not cached: revisions as they
 * are on disk now), as the worker thread loads it.
 * @internal
 */
export function loadJobEnvironment(job: RunJob, dialects: DialectRegistry = builtInDialects): Promise<MigrationEnvironment> {
  return loadEnvironment({
    dialects,
    cwd: job.cwd,
    loader: (alias) => createModuleLoader({ alias: { ...alias, ...job.moduleAlias }, moduleCache: false }),
    ...(job.config !== undefined ? { config: job.config } : {}),
  });
}
