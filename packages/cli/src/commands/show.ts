import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry } from '../format-revision.js';
import { printJson, showRevisionJson, type ShowJson } from '../json-output.js';
import { bindNames, BranchGroups, summarisedBinds } from '../render-events.js';

/**
 * `migrate show TARGET [--json]`: the details of the revisions a target names, as Alembic's
 * `show` (`heads`: each head; `base`: nothing; `current`: the revisions every bind is at, each
 * once per bind with its `Rev:` line after the bind's name, `[db2] Rev: 3f2a9c1d7b40 (head)`;
 * `db2@current` one bind's; a branch with more than `PER_BIND_LINES_MAX` binds, tenants, shows
 * each revision its binds are at once, `[tenant ×2000] Rev: 3f2a9c1d7b40 (head) (current: 1998
 * binds)`, the revisions of fewer binds than the most naming them, `(current: t0007, t1400)`;
 * `--json` lists every bind's), each followed by a blank line: `Rev:` with
 * `(head)`, `(branchpoint)` and `(mergepoint)`, `Merges:` for a merge point (else `Parent:`),
 * `Also depends on:`, `Branches into:` for a branch point (multidb also says `Children:` for one
 * child), `Branch names:` (the labels it carries), `Path:`, then the message, id, down revisions
 * and create date indented (see `formatRevisionEntry`). `--json`: {@link ShowJson}.
 */
export async function showCommand(ctx: CliContext, rev: string, options: { json?: boolean } = {}): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const { revisions } = await commands.show(env, rev);
    if (options.json) return printJson(ctx.output, { revisions: revisions.map(showRevisionJson) } satisfies ShowJson);
    // `current` of many binds on one branch (tenants): each of their revisions once, marked with its binds.
    // Counted among every bind for `current` (a bind at base has no entry), as `current` counts them.
    const binds = rev.trim() === 'current' ? env.bindNames : [...new Set(revisions.flatMap((entry) => (entry.bind === undefined ? [] : [entry.bind])))];
    const summarised = summarisedBinds(binds.map((bind) => ({ bind, branch: env.bind(bind).branch })));
    /** Per summarised branch and revision, the binds at it, in the order first shown. */
    const at = new BranchGroups();
    for (const entry of revisions) {
      const branch = entry.bind === undefined ? undefined : summarised.get(entry.bind);
      if (!branch) continue;
      at.add(branch, entry.script.revision, entry.bind!);
    }
    ctx.output.outLines(
      revisions.flatMap((entry) => {
        const branch = entry.bind === undefined ? undefined : summarised.get(entry.bind);
        if (branch) {
          // Once, where its first bind would show it; the largest group counted, the others named.
          const byRevision = at.of(branch)!;
          const binds = byRevision.get(entry.script.revision)!;
          if (binds[0] !== entry.bind) return [];
          const largest = Math.max(...[...byRevision.values()].map((b) => b.length));
          const largestFirst = [...byRevision.values()].find((b) => b.length === largest);
          const mark = binds === largestFirst ? `(current: ${binds.length} bind${binds.length === 1 ? '' : 's'})` : `(current: ${bindNames(binds)})`;
          const lines = formatRevisionEntry(entry, mark);
          return [`${branch.tag} ${lines[0]!}`, ...lines.slice(1)];
        }
        const lines = formatRevisionEntry(entry);
        // `current`: each revision names its bind, as `current` does (`[db2] Rev: …`).
        return entry.bind === undefined ? lines : [`[${entry.bind}] ${lines[0]!}`, ...lines.slice(1)];
      }),
    );
  });
}
