import { withEnvironment, type CliContext } from '../cli-context.js';

/**
 * `migrate current [BIND] [--verbose]`: each bind's current revision(s), Alembic style:
 * `[db2] 3f2a9c1d7b40 (head)`; a bind at base prints `[db2] <base>`.
 */
export async function currentCommand(ctx: CliContext, bind: string | undefined, options: { verbose?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const binds = bind ? [env.bind(bind).name] : env.bindNames;
    const map = await env.revisionMap();
    const heads = await env.currentHeads(binds);
    for (const name of binds) {
      const b = env.bind(name);
      if (options.verbose) ctx.output.out(`[${name}] Current revision(s) for ${b.displayUrl}:`);
      const current = heads.get(name) ?? [];
      if (current.length === 0) ctx.output.out(`[${name}] <base>`);
      const branchHeads = map.heads(b.branch);
      for (const rev of current) {
        const known = map.revisions.some((r) => r.revision === rev);
        const mark = !known ? ' (not in the scripts)' : branchHeads.includes(rev) ? ' (head)' : '';
        ctx.output.out(`[${name}] ${rev}${mark}${options.verbose && known ? `, ${map.get(rev).message}` : ''}`);
      }
    }
  });
}
