import { commands } from '@multidb/core';
import { openEnvironment, withEnvironment, type CliContext } from '../cli-context.js';
import { codegenAfterRunCommand, noteStaleTypesOf } from './codegen-after-run.js';
import { printJson, runJson, type RunJson } from '../json-output.js';
import { renderEvents } from '../render-events.js';
import { commandSignalsOf, completedRun } from './stop-signals.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';
import { runOptions, type RunCommandOptions } from './run-options.js';
import { UsageError } from '../usage-error.js';
import { bindsBesideStep } from './bind-step-targets.js';

/**
 * The one target of `migrate downgrade` from its arguments as given (`undefined` for none).
 * Several are refused: a downgrade takes one target, and `downgrade db2 -1` or `downgrade -1 db2`
 * (Alembic's `downgrade -1`, with a bind beside it) is written `db2@-1`, which the error says when
 * `db2` is a configured bind's name (see `bindsBesideStep`; `downgrade bb01 -1`, a revision beside
 * the step, gets no such hint); `downgrade db2 +1` (or `+1 db2`), a step up, is told a downgrade
 * cannot go up and that it is written `upgrade db2@+1`.
 * @param args - the arguments as given on the command line.
 * @param binds - the configured binds' names.
 * @throws {@link UsageError} for more than one argument.
 * @example
 * ```ts
 * downgradeTarget(['db2@-1'], ['default', 'db2']); // 'db2@-1'
 * downgradeTarget(['-1', 'db2'], ['default', 'db2']); // throws: … write 'db2@-1' …
 * downgradeTarget(['db2', '+1'], ['default', 'db2']); // throws: … a downgrade cannot go up; … write 'upgrade db2@+1' …
 * ```
 */
export function downgradeTarget(args: readonly string[], binds: readonly string[]): string | undefined {
  if (args.length <= 1) return args[0];
  const beside = args.length === 2 ? bindsBesideStep(args, binds) : undefined;
  const bind = beside?.named.length === 1 ? beside.named[0] : undefined;
  // A step up (`downgrade db2 +1`) is an upgrade's: say so, and how it is written there.
  const hint =
    bind === undefined ? '' : beside!.step.startsWith('-') ? `: to step '${bind}' back, write '${bind}@${beside!.step}'` : `: a downgrade cannot go up; to step '${bind}' up, write 'upgrade ${bind}@${beside!.step}'`;
  throw new UsageError(`'downgrade' takes one target, not ${args.length} (${args.map((a) => `'${a}'`).join(' ')})${hint}.`);
}

/**
 * {@link downgradeTarget} with the binds of the project's config: for more than one argument,
 * the config is read for its binds' names (a config that does not load gives the error without
 * the hint), then the usage error is thrown.
 * @param ctx - the command's context (where the config is found).
 * @param args - the arguments as given on the command line.
 * @returns the one target, `undefined` for none.
 * @throws {@link UsageError} for more than one argument.
 */
export async function downgradeTargetOf(ctx: CliContext, args: readonly string[]): Promise<string | undefined> {
  if (args.length <= 1) return args[0];
  const binds = await openEnvironment(ctx).then(
    async (env) => {
      await env.close();
      return env.bindNames;
    },
    () => [],
  );
  return downgradeTarget(args, binds);
}

/**
 * `migrate downgrade [TARGET] [--all-binds] [--sql]`: `db2` steps db2 back one revision and touches
 * no other bind; `--all-binds` lets a revision or label of a shared branch act on all its binds;
 * `--sql`: the SQL of a `[BIND@]FROM:TO` range, without connecting. Progress goes to stderr,
 * summarised for a branch with more than `PER_BIND_LINES_MAX` binds in the run (see
 * `renderEvents`). `--json` prints {@link RunJson}. Afterwards, binds the run changed whose
 * `codegen` is `'after-run'` (or `'after-upgrade'`) get their types file regenerated, as after an
 * upgrade (see `codegenAfterRunCommand`); `--sql` regenerates nothing. Ctrl-C or SIGTERM stops the
 * run after the revisions in progress (exit 130 or 143); before the run, or after it, it ends the
 * command with a line saying what was done (during the codegen: that the types may be stale; see
 * `handleCommandSignals`).
 */
export async function downgradeCommand(ctx: CliContext, target: string | undefined, options: RunCommandOptions & OfflineCommandOptions & { allBinds?: boolean }): Promise<void> {
  if (await runOffline(ctx, options, (env) => commands.downgradeSql(env, target ?? '', ctx.xArgs ? { xArgs: ctx.xArgs } : {}))) return;
  // Ctrl-C / SIGTERM, from the config's loading on: see handleCommandSignals.
  const signals = commandSignalsOf(ctx, 'downgrade', options);
  try {
    await withEnvironment(ctx, async (env) => {
      const allBinds = options.allBinds ?? false;
      // Many binds on one branch (tenants) get summary lines, as for an upgrade.
      const binds = (await env.bindsForDowngrade(target, { allBinds })).map((bind) => ({ bind, branch: env.bind(bind).branch }));
      // The run: stop after the revisions in progress (a second signal aborts at once).
      // An interrupted run notes the binds whose types it left stale (main says so under its summary).
      const result = await noteStaleTypesOf(env, signals.during(env, (stop) =>
        commands.downgrade(env, target, { onEvent: stop.listen(renderEvents(ctx.output, 'downgrade', { binds })), ...runOptions(options, ctx.xArgs), allBinds, ...stop.options }),
      ));
      signals.after(completedRun('downgrade', runJson(result), { codegen: false }));
      if (result.steps.length === 0) ctx.output.err('Nothing to downgrade.');
      // `codegen: 'after-run'`: the types of the binds this run changed follow them down too.
      await codegenAfterRunCommand(ctx, env, 'downgrade', result, signals, options);
      if (options.json) printJson(ctx.output, runJson(result) satisfies RunJson);
    });
  } finally {
    signals.dispose();
  }
}
