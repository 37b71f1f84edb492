import { commands, revisionEntry } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry, formatRevisionLine } from '../format-revision.js';
import { printJson, revisionJson, type BranchesJson } from '../json-output.js';

/**
 * `migrate branches [--verbose]`: each branch point (a revision with several children), as
 * Alembic's `branches`: `[db2] 1bc594146bb5 (db2) (branchpoint)`, then one line per child, its
 * arrow under the end of the id (`                      -> 3f2a9c1d7b40 (db2) (head)`), then a
 * blank line. `--verbose`: the branch point in full, as `show` prints it, then each child with its
 * message (`             -> 3f2a9c1d7b40 (db2) (head), add invoice currency`).
 * `--json`: {@link BranchesJson}.
 */
export async function branchesCommand(ctx: CliContext, options: { verbose?: boolean; json?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const points = await commands.branches(env);
    if (options.json) return printJson(ctx.output, { branchPoints: points.map(revisionJson) } satisfies BranchesJson);
    const map = await env.revisionMap();
    const lines: string[] = [];
    for (const point of points) {
      const prefix = `[${point.script.branch}] `;
      if (options.verbose) lines.push(...formatRevisionEntry(point));
      else lines.push(`${prefix}${formatRevisionLine(point, { labels: true, tree: true })}`);
      // Under the end of the id, as Alembic (after the `[branch] ` that starts the line, unless verbose).
      const indent = ' '.repeat((options.verbose ? 0 : prefix.length) + point.script.revision.length);
      for (const child of point.children) {
        lines.push(`${indent} -> ${formatRevisionLine(revisionEntry(map, map.get(child)), { labels: true, tree: true, message: options.verbose ?? false })}`);
      }
      lines.push('');
    }
    ctx.output.outLines(lines);
  });
}
