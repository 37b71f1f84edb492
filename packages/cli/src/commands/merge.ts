import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type RevisionWrittenJson } from '../json-output.js';

/**
 * `migrate merge -m MSG [--branch-label L] [--rev-id ID] REV...`: a revision whose down revisions
 * are the given heads (one branch); `--json`: {@link RevisionWrittenJson}.
 */
export async function mergeCommand(
  ctx: CliContext,
  revisions: readonly string[],
  options: { message?: string; revId?: string; bind?: string; branchLabel?: readonly string[]; json?: boolean },
): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    // Core's options only (it refuses any other key): not --json, nor what commander may add.
    const written = await commands.merge(env, revisions, {
      ...(options.message !== undefined ? { message: options.message } : {}),
      ...(options.revId !== undefined ? { revId: options.revId } : {}),
      ...(options.bind !== undefined ? { bind: options.bind } : {}),
      ...(options.branchLabel !== undefined ? { branchLabels: options.branchLabel } : {}),
    });
    if (options.json) printJson(ctx.output, { revisions: [written] } satisfies RevisionWrittenJson);
    else ctx.output.out(`Generating ${written.path} ...  done`);
    return written.path;
  });
}
