import { commands, MultidbError } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { renderEvents } from '../render-events.js';

/**
 * `migrate resolve BIND --applied | --not-applied [--lock-timeout S]`: records a bind's partly
 * applied revision (a MySQL/MariaDB run killed or failed part way, repaired by hand) as applied or
 * as not applied, and forgets its progress. Prints `[db2] Resolved <rev> (upgrade) as not applied:
 * version table <from> -> <to>`.
 */
export async function resolveCommand(ctx: CliContext, bind: string, options: { applied?: boolean; notApplied?: boolean; lockTimeout?: number }): Promise<void> {
  if (!!options.applied === !!options.notApplied) {
    throw new MultidbError(`migrate resolve ${bind}: give exactly one of --applied (the revision is in the database now) or --not-applied (it is not).`, 'USAGE');
  }
  await withEnvironment(ctx, async (env) => {
    const r = await commands.resolve(env, bind, {
      applied: !!options.applied,
      onEvent: renderEvents(ctx.output),
      ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
    });
    const rows = (heads: readonly string[]) => (heads.length ? heads.join(', ') : '<base>');
    ctx.output.out(
      `[${r.bind}] Resolved ${r.revision} (${r.direction === 'up' ? 'upgrade' : 'downgrade'} in flight) as ${r.applied ? 'applied' : 'not applied'}: version table ${rows(r.from)} -> ${rows(r.to)}`,
    );
  });
}
