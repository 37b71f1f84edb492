import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { renderEvents } from '../render-events.js';
import { runOptions, type RunCommandOptions } from './run-options.js';

/** `migrate upgrade [TARGET...]`: every bind to its head, or the given targets. */
export async function upgradeCommand(ctx: CliContext, targets: readonly string[], options: RunCommandOptions): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const result = await commands.upgrade(env, targets, { onEvent: renderEvents(ctx.output), ...runOptions(options) });
    if (result.steps.length === 0) ctx.output.err('Nothing to upgrade: every selected bind is at its target.');
  });
}
