import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type RevisionWrittenJson } from '../json-output.js';

/** Options of `migrate revision` as the command line gives them. */
export interface RevisionCommandOptions {
  readonly message?: string;
  readonly bind?: string;
  readonly head?: string;
  readonly splice?: boolean;
  readonly branchLabel?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly revId?: string;
  /** `--json`: print {@link RevisionWrittenJson} instead of the `Generating … done` line. */
  readonly json?: boolean;
}

/**
 * `migrate revision -m MSG [--bind B] [--head H [--splice]] [--branch-label L] [--depends-on R] [--rev-id ID]`:
 * writes `versions/<branch>/<rev>_<slug>.ts` from the template (`--json`: {@link RevisionWrittenJson}).
 * @returns the path written.
 */
export async function revisionCommand(ctx: CliContext, options: RevisionCommandOptions): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    const written = await commands.revision(env, {
      ...(options.message !== undefined ? { message: options.message } : {}),
      ...(options.bind !== undefined ? { bind: options.bind } : {}),
      ...(options.head !== undefined ? { head: options.head } : {}),
      ...(options.splice === true ? { splice: true } : {}),
      ...(options.branchLabel !== undefined ? { branchLabels: options.branchLabel } : {}),
      ...(options.dependsOn !== undefined ? { dependsOn: options.dependsOn } : {}),
      ...(options.revId !== undefined ? { revId: options.revId } : {}),
    });
    if (options.json) printJson(ctx.output, { revisions: [written] } satisfies RevisionWrittenJson);
    else ctx.output.out(`Generating ${written.path} ...  done`);
    return written.path;
  });
}
