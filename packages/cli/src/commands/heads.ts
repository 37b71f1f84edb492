import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry, formatRevisionLine } from '../format-revision.js';
import { printJson, revisionJson, type HeadsJson } from '../json-output.js';

/**
 * `migrate heads [--verbose] [--resolve-dependencies] [--json]`: the head revisions of every
 * branch, as Alembic's `heads`: `[db2] 3f2a9c1d7b40 (db2) (head)` (the labels it carries, then
 * `(head)`, or `(effective head)` for a head another branch's revision depends on, which
 * `--resolve-dependencies` leaves out); `--verbose`: each head in full, as `show` prints it.
 * `--json`: {@link HeadsJson}.
 */
export async function headsCommand(ctx: CliContext, options: { verbose?: boolean; resolveDependencies?: boolean; json?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const heads = await commands.heads(env, options.resolveDependencies === true ? { resolveDependencies: true } : {});
    if (options.json) return printJson(ctx.output, { heads: heads.map(revisionJson) } satisfies HeadsJson);
    ctx.output.outLines(
      heads.flatMap((entry) => (options.verbose ? formatRevisionEntry(entry) : [`[${entry.script.branch}] ${formatRevisionLine(entry, { labels: true })}`])),
    );
  });
}
