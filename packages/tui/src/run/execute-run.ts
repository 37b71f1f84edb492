import { createModuleLoader, loadEnvironment, type DialectRegistry, type MigrationEnvironment, type RunOptions } from '@multidb/core';
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
   * `{ '@multidb/core': '/…/core/dist/bundle/index.js', kysely: '/…/dialect/dist/bundle/kysely/index.js', … }` (DESIGN §4).
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
 * Runs one part of a run through core's public API: loads the environment, upgrades or
 * downgrades, and posts core's events, then `finished` or `failed`, as {@link RunMessage}s. After
 * an upgrade, binds it changed whose `codegen` is `'after-upgrade'` get their types regenerated.
 * Never rejects. The worker thread ({@link workerRunDriver}) and the in-process driver both call it.
 *
 * @param job - what to run.
 * @param post - receives each message, in order.
 * @param dialects - the dialect registry (default `@multidb/dialect/registry`).
 * @example
 * ```ts
 * await executeRun({ cwd: '/srv/app', direction: 'up', targets: ['db2@head'] }, (m) => console.log(m.type));
 * ```
 */
export async function executeRun(job: RunJob, post: (message: RunMessage) => void, dialects: DialectRegistry = builtInDialects): Promise<void> {
  let env: MigrationEnvironment | undefined;
  try {
    env = await loadEnvironment({
      dialects,
      cwd: job.cwd,
      loader: createModuleLoader({ ...(job.moduleAlias ? { alias: job.moduleAlias } : {}), moduleCache: false }),
      ...(job.config !== undefined ? { config: job.config } : {}),
    });
    const options: RunOptions = {
      onEvent: (event) => post({ type: 'event', event: toTuiEvent(event) }),
      ...(job.lockTimeoutMs !== undefined ? { lockTimeoutMs: job.lockTimeoutMs } : {}),
      ...(job.xArgs !== undefined ? { xArgs: job.xArgs } : {}),
    };
    if (job.direction === 'up') {
      const result = await env.upgrade(job.targets, options);
      // `codegen: 'after-upgrade'`: refresh the types files of the binds this run changed.
      if (result.steps.length > 0 && env.binds.some((b) => b.config.types !== undefined)) {
        const { codegenAfterUpgrade } = await import('@multidb/autogenerate');
        await codegenAfterUpgrade(env, result);
      }
    } else await env.downgrade(job.targets[0], options);
    post({ type: 'finished' });
  } catch (error) {
    post({ type: 'failed', error: toRunFailure(error) });
  } finally {
    await env?.close().catch(() => undefined);
  }
}
