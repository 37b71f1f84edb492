import { withEnvironment, type CliContext } from '../cli-context.js';
import { renderEvents } from '../render-events.js';

/** `migrate stamp TARGET... [--purge]`: sets version tables without running revisions. */
export async function stampCommand(ctx: CliContext, targets: readonly string[], options: { purge?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    await env.stamp(targets, { purge: options.purge ?? false, onEvent: renderEvents(ctx.output) });
  });
}
