import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';

/** `migrate merge -m MSG REV...`: a revision whose down revisions are the given heads (one branch). */
export async function mergeCommand(ctx: CliContext, revisions: readonly string[], options: { message?: string; revId?: string; bind?: string }): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    const { path } = await commands.merge(env, revisions, options);
    ctx.output.out(`Generating ${path} ...  done`);
    return path;
  });
}
