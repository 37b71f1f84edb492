import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type RevisionWrittenJson } from '../json-output.js';

/** `migrate merge -m MSG REV...`: a revision whose down revisions are the given heads (one branch); `--json`: {@link RevisionWrittenJson}. */
export async function mergeCommand(
  ctx: CliContext,
  revisions: readonly string[],
  options: { message?: string; revId?: string; bind?: string; json?: boolean },
): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    const { json, ...rest } = options;
    const written = await commands.merge(env, revisions, rest);
    if (json) printJson(ctx.output, { revisions: [written] } satisfies RevisionWrittenJson);
    else ctx.output.out(`Generating ${written.path} ...  done`);
    return written.path;
  });
}
