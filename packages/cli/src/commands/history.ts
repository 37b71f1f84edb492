import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionLine } from '../format-revision.js';
import { historyRevisionJson, printJson, type HistoryJson } from '../json-output.js';

/**
 * `migrate history [BIND] [-r A:B] [--verbose] [--indicate-current]`: revisions newest first.
 * With `--indicate-current`, the binds at each revision are marked (reads version tables).
 * `--json`: {@link HistoryJson}.
 */
export async function historyCommand(ctx: CliContext, bind: string | undefined, options: { rev?: string; verbose?: boolean; indicateCurrent?: boolean; json?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const entries = await commands.history(env, {
      ...(bind !== undefined ? { bind } : {}),
      ...(options.rev !== undefined ? { range: options.rev } : {}),
      indicateCurrent: options.indicateCurrent ?? false,
    });
    if (options.json) return printJson(ctx.output, { revisions: entries.map(historyRevisionJson) } satisfies HistoryJson);
    for (const entry of entries) {
      const binds = entry.currentBinds;
      const marker = binds.length === 0 ? '' : entry.sharedBranch ? `(current: ${binds.join(', ')})` : '(current)';
      ctx.output.out(formatRevisionLine(entry, marker, options.verbose ?? false));
    }
  });
}
