import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionLine } from '../format-revision.js';
import { printJson, revisionJson, type BranchesJson } from '../json-output.js';

/** `migrate branches [--verbose]`: branch points (revisions with several children) and their children (`--json`: {@link BranchesJson}). */
export async function branchesCommand(ctx: CliContext, options: { verbose?: boolean; json?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const points = await commands.branches(env);
    if (options.json) return printJson(ctx.output, { branchPoints: points.map(revisionJson) } satisfies BranchesJson);
    const map = await env.revisionMap();
    for (const point of points) {
      ctx.output.out(formatRevisionLine(point, '', options.verbose ?? false, true));
      for (const child of point.children) ctx.output.out(`    -> ${child}${map.isHead(child) ? ' (head)' : ''}, ${map.get(child).message}`);
    }
  });
}
