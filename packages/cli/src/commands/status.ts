import { commands, mergeHeadsCommand, type BindStatus } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type StatusJson } from '../json-output.js';
import { formatInFlight, formatMisconfigured, formatRevs, formatUnreachable } from '../output.js';

function describe(s: BindStatus): string {
  switch (s.condition.kind) {
    case 'up-to-date':
      return 'up to date';
    case 'pending':
      return `${s.pending.length} pending: ${s.pending.map((p) => p.revision).join(', ')}`;
    case 'ahead':
      return `ahead of the scripts (${s.condition.unknown.join(', ')} not in the scripts)`;
    case 'in-flight': {
      const flight = s.inFlight ? formatInFlight(s.inFlight) : `${s.condition.revision} (in flight)`;
      const pending = s.pending.length ? `; ${s.pending.length} pending: ${s.pending.map((p) => p.revision).join(', ')}` : '';
      return (
        `mid-revision, not up to date: ${flight}; run '${s.condition.resume}' to resume it, ` +
        `or repair the database by hand and run 'migrate resolve ${s.bind} --applied' or '--not-applied'${pending}`
      );
    }
    case 'multiple-heads':
      return `branch has several heads (${s.condition.heads.join(', ')}); merge them with '${mergeHeadsCommand(s.bind)}'`;
    case 'misconfigured':
      return formatMisconfigured(s.bind, s.condition.reason);
    case 'unreachable':
      return formatUnreachable(s.bind, s.condition.reason);
    case 'error':
      return `error: ${s.condition.reason}`;
  }
}

/**
 * `migrate status [BIND...]`: per bind, its dialect, current revision, head and pending revisions
 * in run order, and a revision in flight (MySQL/MariaDB) as `current` shows it
 * (`ab01 (in flight: upgrade stopped after 3 write(s), last: createTable t2)`): the bind then reads
 * `mid-revision, not up to date: ab01 (in flight: …); run 'migrate upgrade db2' to resume it, …`; an unreachable
 * bind shows `current unknown` (its version table could not be read, so nothing is known of where
 * it stands) and is marked with its (masked) reason, as is a bind whose configuration was refused
 * before connecting (`misconfigured: binds.db2.schema is not supported by mysql. …`); the others
 * still show. `--json`: {@link StatusJson}.
 *
 * @returns whether every bind could be read (the CLI exits 1 otherwise).
 */
export async function statusCommand(ctx: CliContext, binds: readonly string[], options: { json?: boolean } = {}): Promise<boolean> {
  return withEnvironment(ctx, async (env) => {
    const statuses = await commands.status(env, binds.length ? binds : undefined);
    if (options.json) printJson(ctx.output, { binds: statuses } satisfies StatusJson);
    else for (const s of statuses) {
      const missing = s.missingDatabase !== undefined ? ` (${s.missingDatabase})` : '';
      // An `in-flight` condition words the revision in flight itself.
      const flight = s.inFlight && s.condition.kind !== 'in-flight' ? `; ${formatInFlight(s.inFlight)}` : '';
      // An unreachable (or misconfigured) bind's `current` is empty because nothing was read, not because it is at base.
      const current = s.reachable ? formatRevs(s.current) : 'unknown';
      ctx.output.out(`[${s.bind}] ${s.dialect} ${s.displayUrl}: current ${current}${missing}, head ${formatRevs(s.heads)}; ${describe(s)}${flight}`);
    }
    return statuses.every((s) => s.reachable && s.condition.kind !== 'error');
  });
}
