import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';

/** Options of `migrate revision` as the command line gives them. */
export interface RevisionCommandOptions {
  readonly message?: string;
  readonly bind?: string;
  readonly head?: string;
  readonly splice?: boolean;
  readonly branchLabel?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly revId?: string;
}

/**
 * `migrate revision -m MSG [--bind B] [--head H [--splice]] [--branch-label L] [--depends-on R] [--rev-id ID]`:
 * writes `versions/<branch>/<rev>_<slug>.ts` from the template.
 * @returns the path written.
 */
export async function revisionCommand(ctx: CliContext, options: RevisionCommandOptions): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    const { path } = await commands.revision(env, {
      ...(options.message !== undefined ? { message: options.message } : {}),
      ...(options.bind !== undefined ? { bind: options.bind } : {}),
      ...(options.head !== undefined ? { head: options.head } : {}),
      ...(options.splice === true ? { splice: true } : {}),
      ...(options.branchLabel !== undefined ? { branchLabels: options.branchLabel } : {}),
      ...(options.dependsOn !== undefined ? { dependsOn: options.dependsOn } : {}),
      ...(options.revId !== undefined ? { revId: options.revId } : {}),
    });
    ctx.output.out(`Generating ${path} ...  done`);
    return path;
  });
}
