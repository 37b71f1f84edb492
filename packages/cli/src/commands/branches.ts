import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionLine } from '../format-revision.js';

/** `migrate branches [--verbose]`: branch points (revisions with several children) and their children. */
export async function branchesCommand(ctx: CliContext, options: { verbose?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const map = await env.revisionMap();
    for (const point of await commands.branches(env)) {
      ctx.output.out(formatRevisionLine(point, '', options.verbose ?? false));
      for (const child of point.children) ctx.output.out(`    -> ${child}${map.isHead(child) ? ' (head)' : ''}, ${map.get(child).message}`);
    }
  });
}
