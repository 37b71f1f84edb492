import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionLine } from '../format-revision.js';

/** `migrate heads [--verbose]`: the head revisions of every branch. */
export async function headsCommand(ctx: CliContext, options: { verbose?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    for (const entry of await commands.heads(env)) ctx.output.out(formatRevisionLine(entry, '', options.verbose ?? false));
  });
}
