import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printCodegenResults } from './codegen.js';
import { renderEvents } from '../render-events.js';
import { runOffline, type OfflineCommandOptions } from './offline-output.js';
import { runOptions, type RunCommandOptions } from './run-options.js';

/**
 * `migrate upgrade [TARGET...]`: every bind to its head, or the given targets; `--sql`: the SQL of
 * `[BIND@]FROM:TO` ranges. Afterwards, binds the run changed whose `codegen` is `'after-upgrade'`
 * get their types file regenerated (`[db2] Wrote …` on stdout).
 */
export async function upgradeCommand(ctx: CliContext, targets: readonly string[], options: RunCommandOptions & OfflineCommandOptions): Promise<void> {
  if (await runOffline(ctx, options, (env) => commands.upgradeSql(env, targets))) return;
  await withEnvironment(ctx, async (env) => {
    const result = await commands.upgrade(env, targets, { onEvent: renderEvents(ctx.output), ...runOptions(options) });
    if (result.steps.length === 0) ctx.output.err('Nothing to upgrade: every selected bind is at its target.');
    // `codegen: 'after-upgrade'`: refresh the types of the binds this run changed.
    if (result.steps.length > 0 && env.binds.some((b) => b.config.types !== undefined)) {
      const { codegenAfterUpgrade } = await import('@multidb/autogenerate');
      printCodegenResults(ctx, await codegenAfterUpgrade(env, result));
    }
  });
}
