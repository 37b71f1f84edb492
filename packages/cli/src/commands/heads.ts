import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionLine } from '../format-revision.js';
import { printJson, revisionJson, type HeadsJson } from '../json-output.js';

/** `migrate heads [--verbose] [--json]`: the head revisions of every branch (`--json`: {@link HeadsJson}). */
export async function headsCommand(ctx: CliContext, options: { verbose?: boolean; json?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const heads = await commands.heads(env);
    if (options.json) return printJson(ctx.output, { heads: heads.map(revisionJson) } satisfies HeadsJson);
    for (const entry of heads) ctx.output.out(formatRevisionLine(entry, '', options.verbose ?? false, true));
  });
}
