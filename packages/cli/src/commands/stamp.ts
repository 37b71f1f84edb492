import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { renderEvents } from '../render-events.js';

/** `migrate stamp TARGET... [--purge] [--all-binds] [--lock-timeout S]`: sets version tables without running revisions. */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean; allBinds?: boolean; lockTimeout?: number }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    await commands.stamp(env, targets, {
      purge: options.purge ?? false,
      allBinds: options.allBinds ?? false,
      onEvent: renderEvents(ctx.output),
      ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
    });
  });
}
