import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type StampJson } from '../json-output.js';
import { renderEvents } from '../render-events.js';
import { stopSignalsOf } from './stop-signals.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';

/**
 * `migrate stamp TARGET... [--purge] [--all-binds] [--lock-timeout S] [--sql] [--json]`: sets version
 * tables without running revisions; `--json` prints {@link StampJson}. Ctrl-C or SIGTERM stops it
 * before the next bind is stamped (exit 130 or 143).
 */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean; allBinds?: boolean; lockTimeout?: number; json?: boolean } & OfflineCommandOptions): Promise<void> {
  if (await runOffline(ctx, options, (env) => commands.stampSql(env, targets, { purge: options.purge ?? false }))) return;
  await withEnvironment(ctx, async (env) => {
    // Ctrl-C / SIGTERM: no further bind is stamped (a second one aborts at once).
    const stop = stopSignalsOf(ctx, env, 'stamp', options);
    let changes;
    try {
      changes = await stop.run(
        commands.stamp(env, targets, {
          purge: options.purge ?? false,
          allBinds: options.allBinds ?? false,
          onEvent: stop.listen(renderEvents(ctx.output)),
          ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
          ...stop.options,
        }),
      );
    } finally {
      stop.dispose();
    }
    if (options.json) printJson(ctx.output, { changes } satisfies StampJson);
  });
}
