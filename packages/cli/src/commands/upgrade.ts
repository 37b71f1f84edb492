import { commands } from '@multidb/core';
import { cliModuleAlias, withEnvironment, type CliContext } from '../cli-context.js';
import { codegenAfterRunCommand, noteStaleTypesOf } from './codegen-after-run.js';
import { printJson, runJson, type RunJson } from '../json-output.js';
import { renderEvents } from '../render-events.js';
import { commandSignalsOf, completedRun } from './stop-signals.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';
import { runOptions, type RunCommandOptions } from './run-options.js';
import { workerResourceLimits } from '../young-generation.js';
import { refuseBindAndStep } from './bind-step-targets.js';

/**
 * `migrate upgrade [TARGET...]`: every bind to its head, or the given targets; `--sql`: the SQL of
 * `[BIND@]FROM:TO` ranges. Progress goes to stderr (summarised for a branch with more than
 * `PER_BIND_LINES_MAX` binds in the run, see `renderEvents`); `--json` prints {@link RunJson} on stdout.
 * Afterwards, binds the run changed whose `codegen` is `'after-run'` (or `'after-upgrade'`) get
 * their types file regenerated (`[db2] Wrote …`; on stderr with `--json`; see
 * `codegenAfterRunCommand`). With `--concurrency N` > 1, a run of many independent SQLite binds
 * (tenants) runs on up to min(N, cores) worker threads (see core's
 * `RunOptions.workers`). Ctrl-C or SIGTERM stops the run after the revisions in progress (exit
 * 130 or 143); before the run it ends the command saying nothing was changed, during the codegen
 * after it saying the upgrade completed and the types may be stale (see `handleCommandSignals`).
 */
export async function upgradeCommand(ctx: CliContext, targets: readonly string[], options: RunCommandOptions & OfflineCommandOptions): Promise<void> {
  const xArgs = ctx.xArgs ? { xArgs: ctx.xArgs } : {};
  // `upgrade analytics +1` is two targets, the second moving every bind: refused (see refuseBindAndStep).
  const sql = async (env: Parameters<typeof commands.upgradeSql>[0]) => {
    refuseBindAndStep('upgrade', targets, env.bindNames);
    return commands.upgradeSql(env, targets, xArgs);
  };
  if (await runOffline(ctx, options, sql)) return;
  // Ctrl-C / SIGTERM, from the config's loading on: see handleCommandSignals.
  const signals = commandSignalsOf(ctx, 'upgrade', options);
  try {
    await withEnvironment(ctx, async (env) => {
      refuseBindAndStep('upgrade', targets, env.bindNames);
      // Many binds on one branch (tenants) get summary lines instead of one line per bind and revision.
      const binds = (await env.bindsForTargets(targets, 'up')).map((bind) => ({ bind, branch: env.bind(bind).branch }));
      // Many SQLite tenants with --concurrency run on worker threads (core decides when they pay),
      // their young generation kept small as this thread's (when the bin limited it).
      const resourceLimits = workerResourceLimits();
      const workers = { dialects: import.meta.resolve('@multidb/dialect/registry'), alias: cliModuleAlias(), ...(resourceLimits ? { resourceLimits } : {}) };
      // The run: stop after the revisions in progress (a second signal aborts at once).
      // An interrupted run notes the binds whose types it left stale (main says so under its summary).
      const result = await noteStaleTypesOf(env, signals.during(env, (stop) =>
        commands.upgrade(env, targets, { onEvent: stop.listen(renderEvents(ctx.output, 'upgrade', { binds })), ...runOptions(options, ctx.xArgs), workers, ...stop.options }),
      ));
      signals.after(completedRun('upgrade', runJson(result), { codegen: false }));
      if (result.steps.length === 0) ctx.output.err('Nothing to upgrade: every selected bind is at its target.');
      // `codegen: 'after-run'`: refresh the types of the binds this run changed.
      await codegenAfterRunCommand(ctx, env, 'upgrade', result, signals, options);
      if (options.json) printJson(ctx.output, runJson(result) satisfies RunJson);
    });
  } finally {
    signals.dispose();
  }
}
