import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type StampJson } from '../json-output.js';
import { renderEvents } from '../render-events.js';
import { commandSignalsOf, completedRun } from './stop-signals.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';

/**
 * `migrate stamp TARGET... [--purge] [--all-binds] [--lock-timeout S] [--sql] [--json]`: sets version
 * tables without running revisions; `--json` prints {@link StampJson}. Ctrl-C or SIGTERM stops it
 * before the next bind is stamped (exit 130 or 143); before the stamp, or after it, it ends the
 * command with a line saying what was done (see `handleCommandSignals`).
 */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean; allBinds?: boolean; lockTimeout?: number; json?: boolean } & OfflineCommandOptions): Promise<void> {
  // Offline, a target without FROM: stamps from base (no version table is read), as Alembic's.
  const fromBase = targets.some((t) => !t.includes(':'))
    ? ` Offline, a stamp starts from base (nothing connects to read a version table): to write the SQL that moves a bind from where it stands, give FROM:TO (e.g. '${targets[0]?.includes('@') ? targets[0].split('@')[0] : '<bind>'}@head:base').`
    : '';
  if (await runOffline(ctx, options, (env) => commands.stampSql(env, targets, { purge: options.purge ?? false }), `No SQL to write: every selected bind is at its target.${fromBase}`)) return;
  // Ctrl-C / SIGTERM, from the config's loading on: see handleCommandSignals.
  const signals = commandSignalsOf(ctx, 'stamp', options);
  try {
    await withEnvironment(ctx, async (env) => {
      // The stamp: no further bind is stamped (a second signal aborts at once).
      const changes = await signals.during(env, (stop) =>
        commands.stamp(env, targets, {
          purge: options.purge ?? false,
          allBinds: options.allBinds ?? false,
          onEvent: stop.listen(renderEvents(ctx.output)),
          ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
          ...stop.options,
        }),
      );
      signals.after(completedRun('stamp', { steps: [], heads: Object.fromEntries(changes.map((c) => [c.bind, c.to])) }, { codegen: false }));
      if (options.json) printJson(ctx.output, { changes } satisfies StampJson);
    });
  } finally {
    signals.dispose();
  }
}
