import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry } from '../format-revision.js';
import { printJson, showRevisionJson, type ShowJson } from '../json-output.js';

/**
 * `migrate show TARGET [--json]`: the details of the revisions a target names, as Alembic's
 * `show` (`heads`: each head; `base`: nothing; `current`: the revisions every bind is at, each
 * once per bind with its `Rev:` line after the bind's name, `[db2] Rev: 3f2a9c1d7b40 (head)`;
 * `db2@current` one bind's), each followed by a blank line: `Rev:` with
 * `(head)`, `(branchpoint)` and `(mergepoint)`, `Merges:` for a merge point (else `Parent:`),
 * `Also depends on:`, `Branches into:` for a branch point (multidb also says `Children:` for one
 * child), `Branch names:` (the labels it carries), `Path:`, then the message, id, down revisions
 * and create date indented (see `formatRevisionEntry`). `--json`: {@link ShowJson}.
 */
export async function showCommand(ctx: CliContext, rev: string, options: { json?: boolean } = {}): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const { several, revisions } = await commands.show(env, rev);
    if (options.json) return printJson(ctx.output, (several ? revisions.map(showRevisionJson) : showRevisionJson(revisions[0]!)) satisfies ShowJson);
    ctx.output.outLines(
      revisions.flatMap((entry) => {
        const lines = formatRevisionEntry(entry);
        // `current`: each revision names its bind, as `current` does (`[db2] Rev: …`).
        return entry.bind === undefined ? lines : [`[${entry.bind}] ${lines[0]!}`, ...lines.slice(1)];
      }),
    );
  });
}
