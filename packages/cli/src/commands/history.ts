import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry, formatRevisionLine } from '../format-revision.js';
import { historyRevisionJson, printJson, type HistoryJson } from '../json-output.js';
import { formatMisconfigured, formatUnreachable } from '../output.js';

/**
 * `migrate history [BIND] [-r A:B] [--verbose] [--indicate-current]`: revisions newest first, as
 * Alembic's `history`: `[db2] 1bc594146bb5 (77aa01c3e2f0) -> 3f2a9c1d7b40 (db2) (head) (current),
 * add invoice currency` (down revisions, depends-on in parentheses, the labels it carries, `(head)`
 * or `(effective head)`, `(current)`, `(branchpoint)`, `(mergepoint)`, message); `--verbose`: each
 * revision in full, as `show` prints it (`(current)` on its `Rev:` line).
 * With `--indicate-current`, the binds at each revision are marked (reads version tables: `(current: t1, t2)`
 * where several binds share the branch); a bind
 * that cannot be read is listed after the revisions as `[db2] unreachable: <masked reason>` (or
 * `[db2] misconfigured: <reason>` when its configuration was refused before connecting), as
 * `current` shows it, and a bind at a revision no script declares as
 * `[db2] feedface0000 (current, not in the scripts)` (exit 0, as `current`). `--json`: {@link HistoryJson}.
 *
 * @returns whether every bind asked about could be read (the CLI exits 1 otherwise, after printing).
 */
export async function historyCommand(
  ctx: CliContext,
  bind: string | undefined,
  options: { rev?: string; verbose?: boolean; indicateCurrent?: boolean; json?: boolean },
): Promise<boolean> {
  return withEnvironment(ctx, async (env) => {
    const { revisions, unreachable, unknownCurrent } = await commands.history(env, {
      ...(bind !== undefined ? { bind } : {}),
      ...(options.rev !== undefined ? { range: options.rev } : {}),
      indicateCurrent: options.indicateCurrent ?? false,
    });
    if (options.json) {
      printJson(ctx.output, { revisions: revisions.map(historyRevisionJson), ...(options.indicateCurrent ? { unreachable, unknownCurrent } : {}) } satisfies HistoryJson);
      return unreachable.length === 0;
    }
    const lines: string[] = [];
    for (const entry of revisions) {
      const binds = entry.currentBinds;
      const current = binds.length === 0 ? '' : entry.sharedBranch ? `(current: ${binds.join(', ')})` : '(current)';
      if (options.verbose) lines.push(...formatRevisionEntry(entry, current));
      else lines.push(`[${entry.script.branch}] ${formatRevisionLine(entry, { parents: true, labels: true, tree: true, message: true, current })}`);
    }
    for (const u of unknownCurrent) for (const revision of u.revisions) lines.push(`[${u.bind}] ${revision} (current, not in the scripts)`);
    for (const u of unreachable) lines.push(`[${u.bind}] ${u.misconfigured ? formatMisconfigured(u.bind, u.reason) : formatUnreachable(u.bind, u.reason)}`);
    ctx.output.outLines(lines);
    return unreachable.length === 0;
  });
}
