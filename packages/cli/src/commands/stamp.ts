import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { renderEvents } from '../render-events.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';

/** `migrate stamp TARGET... [--purge] [--all-binds] [--lock-timeout S] [--sql]`: sets version tables without running revisions. */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean; allBinds?: boolean; lockTimeout?: number } & OfflineCommandOptions): Promise<void> {
  if (await runOffline(ctx, options, (env) => commands.stampSql(env, targets, { purge: options.purge ?? false }))) return;
  await withEnvironment(ctx, async (env) => {
    await commands.stamp(env, targets, {
      purge: options.purge ?? false,
      allBinds: options.allBinds ?? false,
      onEvent: renderEvents(ctx.output),
      ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
    });
  });
}
