import { commands, type StampResult } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type StampJson } from '../json-output.js';
import { formatRevs } from '../output.js';
import { renderEvents } from '../render-events.js';
import { commandSignalsOf, completedRun } from './stop-signals.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';
import { UsageError } from '../usage-error.js';

/**
 * `migrate stamp TARGET... [--purge] [--all-binds] [--lock-timeout S] [--sql] [--json]`: sets version
 * tables without running revisions; `--json` prints {@link StampJson}. Each selected bind gets a
 * line on stderr: `[db2] Stamping <base> -> 3f2a9c1d7b40` as it is written, and after the stamp
 * one saying why a bind was left alone ({@link unstampedLine}). Ctrl-C or SIGTERM stops it
 * before the next bind is stamped (exit 130 or 143); before the stamp, or after it, it ends the
 * command with a line saying what was done (see `handleCommandSignals`).
 */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean; allBinds?: boolean; lockTimeout?: number; json?: boolean } & OfflineCommandOptions): Promise<void> {
  // Offline, a target without FROM: stamps from base (no version table is read), as Alembic's.
  const fromBase = targets.some((t) => !t.includes(':'))
    ? ` Offline, a stamp starts from base (nothing connects to read a version table): to write the SQL that moves a bind from where it stands, give FROM:TO (e.g. '${targets[0]?.includes('@') ? targets[0].split('@')[0] : '<bind>'}@head:base').`
    : '';
  // As Alembic's "Can't use --purge with --sql mode": a script does not see the rows a purge forgets.
  if (options.purge && options.sql) {
    throw new UsageError('--purge cannot be used with --sql: a purge forgets whatever rows the version table holds (and a revision in flight), which a script does not see. Run the stamp with --purge against the database, or write the SQL without --purge.');
  }
  if (await runOffline(ctx, options, (env) => commands.stampSql(env, targets), `No SQL to write: every selected bind is at its target.${fromBase}`)) return;
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
      for (const change of changes) {
        if (change.outcome !== 'stamped') ctx.output.err(unstampedLine(change, env.bind(change.bind).branch));
      }
      if (options.json) printJson(ctx.output, { changes } satisfies StampJson);
    });
  } finally {
    signals.dispose();
  }
}

/**
 * The line of a bind a stamp did not write (`outcome` `unchanged` or `no-revisions`), naming the
 * bind and where it stays: `[db2] Already at 3f2a9c1d7b40: nothing to stamp`, `[db2] Nothing to
 * stamp: branch 'db2' has no revisions yet, so it stays at <base>`.
 */
function unstampedLine(change: StampResult, branch: string): string {
  return change.outcome === 'no-revisions'
    ? `[${change.bind}] Nothing to stamp: branch '${branch}' has no revisions yet, so it stays at ${formatRevs(change.to)}`
    : `[${change.bind}] Already at ${formatRevs(change.to)}: nothing to stamp`;
}
