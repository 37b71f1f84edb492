import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry, formatRevisionLine } from '../format-revision.js';
import { historyRevisionJson, printJson, type HistoryJson } from '../json-output.js';
import { formatMisconfigured, formatUnreachable } from '../output.js';
import { bindNames, summarisedBinds } from '../render-events.js';

/**
 * `migrate history [BIND] [-r A:B] [--verbose] [--indicate-current]`: revisions newest first, as
 * Alembic's `history`: `[db2] 1bc594146bb5 (77aa01c3e2f0) -> 3f2a9c1d7b40 (db2) (head) (current),
 * add invoice currency` (down revisions, depends-on in parentheses, the labels it carries, `(head)`
 * or `(effective head)`, `(current)`, `(branchpoint)`, `(mergepoint)`, message); `--verbose`: each
 * revision in full, as `show` prints it (`(current)` on its `Rev:` line).
 * With `--indicate-current`, the binds at each revision are marked (reads version tables: `(current: t1, t2)`
 * where several binds share the branch; a branch with more than `PER_BIND_LINES_MAX` binds read, tenants,
 * as `show current`: the revision most of them are at counts them, `(current: 1998 binds)`, the
 * others name theirs, `(current: t0007, t1400)`, the first 20 then `…`); a bind
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
    // Many binds on one branch (tenants): the revision most of them are at counts them, the others name theirs (first 20), as `show current`.
    const read = options.indicateCurrent ? (bind !== undefined ? [env.bind(bind).name] : env.bindNames) : [];
    const summarised = new Set([...summarisedBinds(read.map((b) => ({ bind: b, branch: env.bind(b).branch }))).values()].map((s) => s.branch));
    /** Per summarised branch, the entry whose binds it counts: the first of the most binds. */
    const counted = new Map<string, (typeof revisions)[number]>();
    for (const entry of revisions) {
      const most = counted.get(entry.script.branch);
      if (summarised.has(entry.script.branch) && entry.currentBinds.length > (most?.currentBinds.length ?? 0)) counted.set(entry.script.branch, entry);
    }
    const lines: string[] = [];
    for (const entry of revisions) {
      const binds = entry.currentBinds;
      const names = !summarised.has(entry.script.branch) ? binds.join(', ') : counted.get(entry.script.branch) === entry ? `${binds.length} bind${binds.length === 1 ? '' : 's'}` : bindNames(binds);
      const current = binds.length === 0 ? '' : entry.sharedBranch ? `(current: ${names})` : '(current)';
      if (options.verbose) lines.push(...formatRevisionEntry(entry, current));
      else lines.push(`[${entry.script.branch}] ${formatRevisionLine(entry, { parents: true, labels: true, tree: true, message: true, current })}`);
    }
    for (const u of unknownCurrent) for (const revision of u.revisions) lines.push(`[${u.bind}] ${revision} (current, not in the scripts)`);
    for (const u of unreachable) lines.push(`[${u.bind}] ${u.misconfigured ? formatMisconfigured(u.bind, u.reason) : formatUnreachable(u.bind, u.reason)}`);
    ctx.output.outLines(lines);
    return unreachable.length === 0;
  });
}
