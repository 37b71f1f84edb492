import { commands, oneLine, RevisionError, UnreachableBindsError, type RunEvent, type StampResult } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type StampJson } from '../json-output.js';
import { formatRevs } from '../output.js';
import { BranchGroups, renderEvents, summarisedBinds, type SummarisedBranch } from '../render-events.js';
import { commandSignalsOf, completedRun } from './stop-signals.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';
import { UsageError } from '../usage-error.js';
import { refuseBindAndStep } from './bind-step-targets.js';

/**
 * `migrate stamp TARGET... [--purge] [--all-binds] [--lock-timeout S] [--sql] [--json]`: sets version
 * tables without running revisions; `--json` prints {@link StampJson}. Each selected bind gets a
 * line on stderr: `[db2] Stamping <base> -> 3f2a9c1d7b40` as it is written, and after the stamp
 * one saying why a bind was left alone ({@link unstampedLine}). A branch with more than
 * `PER_BIND_LINES_MAX` binds in the stamp is summarised (see `renderEvents`): each change once as
 * it is first written (`[tenant ×2000] Stamping <base> -> 3f2a9c1d7b40`), a count each tenth, and
 * after the stamp its binds grouped by what became of them, the odd ones named (`[tenant ×2000]
 * Stamped <base> -> 3f2a9c1d7b40 on 1998 binds`, `[tenant ×2000] Already at 3f2a9c1d7b40: nothing
 * to stamp on 2 binds: t0007, t1400`). A bind of such a branch whose version table cannot be
 * written stops the stamp there, as for a few binds, with its own line and the branch's totals
 * (`[t0007] FAILED: not stamped, its version table is as it was: cannot update the version table …`,
 * `[tenant ×2000] 7 stamped, 1 failed (t0007), 1992 left as they were: the stamp stopped at
 * t0007`), before the error (exit 1). Ctrl-C or SIGTERM stops it
 * before the next bind is stamped (exit 130 or 143); before the stamp, or after it, it ends the
 * command with a line saying what was done (see `handleCommandSignals`). With `--sql`, a target
 * without `FROM:` starts from base: "No SQL to write" and a step below it (`db2@-1`: "already at
 * base") both say so, with the `FROM:TO` that starts elsewhere (`db2@head:-1`).
 */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean; allBinds?: boolean; lockTimeout?: number; json?: boolean } & OfflineCommandOptions): Promise<void> {
  // Offline, a target without FROM: stamps from base (no version table is read), as Alembic's.
  const bare = targets.find((t) => !t.includes(':'));
  const fromBase = bare === undefined ? '' : offlineFromBase(bare);
  // As Alembic's "Can't use --purge with --sql mode": a script does not see the rows a purge forgets.
  if (options.purge && options.sql) {
    throw new UsageError('--purge cannot be used with --sql: a purge forgets whatever rows the version table holds (and a revision in flight), which a script does not see. Run the stamp with --purge against the database, or write the SQL without --purge.');
  }
  // `stamp db2 -1` is two targets, the second moving every bind: refused (see refuseBindAndStep).
  const sql = async (env: Parameters<typeof commands.stampSql>[0]) => {
    refuseBindAndStep('stamp', targets, env.bindNames);
    try {
      return await commands.stampSql(env, targets, { allBinds: options.allBinds ?? false });
    } catch (error) {
      // `db2@-1` offline steps back from base, not from where db2 stands: "already at base" says
      // so, with the way to start elsewhere, as the line when there is no SQL to write. Only a
      // step down: `db2@+3` beyond the head from base would be beyond it from the head too.
      if (error instanceof RevisionError && error.code === 'RELATIVE_STEP') {
        const step = targets.map((t) => t.trim()).find((t) => STEP_DOWN_FROM_CURRENT.test(t) && error.message.includes(`'${t}'`));
        // A range starts one bind (`BIND@FROM:TO`): a label's or revision's step is shown on the bind it failed for.
        const bind = /^Bind '([^']+)'/.exec(error.message)?.[1];
        if (step !== undefined) throw new RevisionError(`${error.message}${offlineFromBase(step, env.bindNames, bind)}`, error.code, { cause: error });
      }
      throw error;
    }
  };
  if (await runOffline(ctx, options, sql, `No SQL to write: every selected bind is at its target.${fromBase}`)) return;
  // Ctrl-C / SIGTERM, from the config's loading on: see handleCommandSignals.
  const signals = commandSignalsOf(ctx, 'stamp', options);
  try {
    await withEnvironment(ctx, async (env) => {
      refuseBindAndStep('stamp', targets, env.bindNames);
      // Many binds on one branch (tenants) get summary lines, as for an upgrade.
      const binds = (await env.bindsForTargets(targets, 'stamp', { allBinds: options.allBinds ?? false })).map((bind) => ({ bind, branch: env.bind(bind).branch }));
      const summarised = summarisedBinds(binds);
      const render = renderEvents(ctx.output, 'upgrade', { binds });
      // A write that fails ends the stamp: the bind it failed on, and per summarised branch its binds written.
      let failedOn: string | undefined;
      const written = new Map<SummarisedBranch, number>();
      const onEvent = (event: RunEvent): void => {
        const branch = event.type === 'bind-done' ? summarised.get(event.bind) : undefined;
        if (event.type === 'bind-done' && !event.ok && event.interrupted === undefined) {
          failedOn = event.bind;
          // A summarised bind's line says so once the error is known (below), not as a run's "not run".
          if (branch) return;
        }
        if (branch && event.type === 'bind-done' && event.ok) written.set(branch, (written.get(branch) ?? 0) + 1);
        render(event);
      };
      // The stamp: no further bind is stamped (a second signal aborts at once).
      const changes = await signals
        .during(env, (stop) =>
          commands.stamp(env, targets, {
            purge: options.purge ?? false,
            allBinds: options.allBinds ?? false,
            onEvent: stop.listen(onEvent),
            ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
            ...stop.options,
          }),
        )
        .catch((error: unknown) => {
          // Its own error: an UnreachableBindsError's note (the binds stamped, not stamped) is printed with the error.
          const own = error instanceof UnreachableBindsError ? error.unreachable.find((e) => e.bind === failedOn) : error;
          if (failedOn !== undefined) printStampFailure(ctx, failedOn, env.mask(own instanceof Error ? own.message : String(own ?? error)), summarised, written);
          throw error;
        });
      signals.after(completedRun('stamp', { steps: [], heads: Object.fromEntries(changes.map((c) => [c.bind, c.to])) }, { codegen: false }));
      // Per summarised branch, its binds grouped by what became of them.
      const groups = new BranchGroups();
      for (const change of changes) {
        const branch = summarised.get(change.bind);
        if (!branch) {
          if (change.outcome !== 'stamped') ctx.output.err(`[${change.bind}] ${unstampedLine(change, env.bind(change.bind).branch)}`);
          continue;
        }
        const label = change.outcome === 'stamped' ? `Stamped ${formatRevs(change.from)} -> ${formatRevs(change.to)}` : unstampedLine(change, branch.branch);
        groups.add(branch, label, change.bind);
      }
      for (const line of groups.lines()) ctx.output.err(line);
      if (options.json) printJson(ctx.output, { changes } satisfies StampJson);
    });
  } finally {
    signals.dispose();
  }
}

/** A target that steps down from where a bind stands (`-1`, `db2@-1`): offline, from base. */
const STEP_DOWN_FROM_CURRENT = /^(?:[^@:]+@)?-\d+$/;

/**
 * What an offline stamp adds to a message about where a bind is (`No SQL to write: every selected
 * bind is at its target`, `'db2@-1' goes below base (already at base)`) for `target`, a target
 * without FROM: offline it starts from base, not from where the database stands, and FROM:TO
 * starts elsewhere (for `db2@-1`: `'db2@head:-1'`).
 */
function offlineFromBase(target: string, binds: readonly string[] = [], failed?: string): string {
  const at = target.indexOf('@');
  const qualifier = at >= 0 ? target.slice(0, at) : undefined;
  const step = at >= 0 ? target.slice(at + 1) : target;
  // An offline range names a bind before `@`: a label or revision there (tenants) is not one, and
  // the bind it failed for is shown instead (`binds` empty: not known yet, the qualifier is kept).
  const bind = qualifier !== undefined && (binds.length === 0 || binds.includes(qualifier)) ? qualifier : (failed ?? '<bind>');
  const example = `${bind}@head:${step}`;
  return ` Offline, a stamp starts from base (nothing connects to read a version table): to write the SQL that moves a bind from where it stands, give FROM:TO (e.g. '${example}').`;
}

/**
 * The line of a bind a stamp did not write (`outcome` `unchanged` or `no-revisions`), saying where
 * it stays (the caller puts `[db2] ` before it): `Already at 3f2a9c1d7b40: nothing to stamp`,
 * `Nothing to stamp: branch 'db2' has no revisions yet, so it stays at <base>`.
 */
function unstampedLine(change: StampResult, branch: string): string {
  return change.outcome === 'no-revisions'
    ? `Nothing to stamp: branch '${branch}' has no revisions yet, so it stays at ${formatRevs(change.to)}`
    : `Already at ${formatRevs(change.to)}: nothing to stamp`;
}

/**
 * After a stamp whose write failed on `bind` (the stamp stops there): when its branch is
 * summarised, its `FAILED` line with the error on one line (the CLI prints the error itself at the
 * end); and each summarised branch's totals, the binds after it left as they were.
 */
function printStampFailure(ctx: CliContext, bind: string, message: string, summarised: ReadonlyMap<string, SummarisedBranch>, written: ReadonlyMap<SummarisedBranch, number>): void {
  const failedBranch = summarised.get(bind);
  if (failedBranch) ctx.output.err(`[${bind}] FAILED: not stamped, its version table is as it was: ${oneLine(message).replace(`[${bind}] `, '')}`);
  for (const branch of new Set(summarised.values())) {
    const done = written.get(branch) ?? 0;
    const failed = branch === failedBranch ? 1 : 0;
    ctx.output.err(`${branch.tag} ${done} stamped, ${failed} failed${failed ? ` (${bind})` : ''}, ${branch.total - done - failed} left as they were: the stamp stopped at ${bind}`);
  }
}
