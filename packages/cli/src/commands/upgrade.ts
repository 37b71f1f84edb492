import type { CliContext } from '../cli-context.js';
import { withEnvironment } from '../cli-context.js';
import { renderEvents } from '../render-events.js';

/** Options shared by upgrade and downgrade. */
export interface RunCommandOptions {
  /** Seconds to wait for a bind's migration lock (default: no limit). */
  readonly lockTimeout?: number;
  /** `--concurrency N`: how many binds may run at the same time (default 1). */
  readonly concurrency?: number;
}

function runOptions(options: RunCommandOptions): { lockTimeoutMs?: number; concurrency?: number } {
  return {
    ...(options.lockTimeout === undefined ? {} : { lockTimeoutMs: options.lockTimeout * 1000 }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  };
}

/** `migrate upgrade [TARGET...]`: every bind to its head, or the given targets. */
export async function upgradeCommand(ctx: CliContext, targets: readonly string[], options: RunCommandOptions): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const result = await env.upgrade(targets, { onEvent: renderEvents(ctx.output), ...runOptions(options) });
    if (result.steps.length === 0) ctx.output.err('Nothing to upgrade: every selected bind is at its target.');
  });
}

/** `migrate downgrade [TARGET]`: `db2` steps db2 back one revision and touches no other bind. */
export async function downgradeCommand(ctx: CliContext, target: string | undefined, options: RunCommandOptions): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const result = await env.downgrade(target, { onEvent: renderEvents(ctx.output), ...runOptions(options) });
    if (result.steps.length === 0) ctx.output.err('Nothing to downgrade.');
  });
}
