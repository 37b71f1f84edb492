import { commands, mergeHeadsCommand, type BindStatus } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type StatusJson } from '../json-output.js';
import { formatInFlight, formatMisconfigured, formatRevs, formatUnreachable } from '../output.js';
import { addToGroup, groupedLines, summarisedBinds, type SummarisedBranch } from '../render-events.js';

/** The condition of `s` as its line ends (`up to date`, `1 pending: ab01`, …); `bind` names it in the advice. */
function describe(s: BindStatus, bind = s.bind): string {
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
        `mid-revision, not up to date: ${flight}; once what stopped it is fixed, run '${s.condition.resume}' to resume it, ` +
        `or repair the database by hand and run 'migrate resolve ${s.bind} --applied' or '--not-applied'${pending}`
      );
    }
    case 'multiple-heads':
      return `branch has several heads (${s.condition.heads.join(', ')}); merge them with '${mergeHeadsCommand(bind)}'`;
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
 * `mid-revision, not up to date: ab01 (in flight: …); once what stopped it is fixed, run 'migrate upgrade db2' to resume it, …`; an unreachable
 * bind shows `current unknown` (its version table could not be read, so nothing is known of where
 * it stands) and is marked with its (masked) reason, as is a bind whose configuration was refused
 * before connecting (`misconfigured: binds.db2.schema is not supported by mysql. …`); the others
 * still show. A branch with more than `PER_BIND_LINES_MAX` binds listed (tenants) gets a line per
 * state its binds are in, with their count, largest first, the others naming their binds
 * (`[tenant ×2000] sqlite: current 1bc594146bb5, head 3f2a9c1d7b40; 1 pending: 3f2a9c1d7b40 on 1998
 * binds`, `[tenant ×2000] sqlite: current 3f2a9c1d7b40, head 3f2a9c1d7b40; up to date on 2 binds:
 * t0007, t1400`; a database that does not exist yet: `(no database yet)`); a bind with more to say
 * (unreachable, misconfigured, a revision in flight or not in the scripts, an error) keeps its own
 * line after them. `--json`: {@link StatusJson}, every bind.
 *
 * @returns whether every bind could be read (the CLI exits 1 otherwise).
 */
export async function statusCommand(ctx: CliContext, binds: readonly string[], options: { json?: boolean } = {}): Promise<boolean> {
  return withEnvironment(ctx, async (env) => {
    const statuses = await commands.status(env, binds.length ? binds : undefined);
    if (options.json) {
      printJson(ctx.output, { binds: statuses } satisfies StatusJson);
      return statuses.every((s) => s.reachable && s.condition.kind !== 'error');
    }
    // Many binds on one branch (tenants): grouped by where they stand, the odd ones on lines of their own.
    const summarised = summarisedBinds(statuses.map((s) => ({ bind: s.bind, branch: env.bind(s.bind).branch })));
    /** Per summarised branch, its binds by state, the bind its advice names (one merge serves the branch) and its odd binds. */
    const branches = new Map<SummarisedBranch, { readonly byState: Map<string, string[]>; first?: string; readonly odd: BindStatus[] }>();
    for (const s of statuses) {
      const branch = summarised.get(s.bind);
      if (!branch) continue;
      const into = branches.get(branch) ?? { byState: new Map<string, string[]>(), odd: [] };
      branches.set(branch, into);
      if (!s.reachable || s.inFlight || s.condition.kind === 'in-flight' || s.condition.kind === 'ahead' || s.condition.kind === 'error') {
        into.odd.push(s);
        continue;
      }
      into.first ??= s.bind;
      const state = `${s.dialect}: current ${formatRevs(s.current)}${s.missingDatabase !== undefined ? ' (no database yet)' : ''}, head ${formatRevs(s.heads)}; ${describe(s, into.first)}`;
      addToGroup(into.byState, state, s.bind);
    }
    const printed = new Set<SummarisedBranch>();
    for (const s of statuses) {
      const branch = summarised.get(s.bind);
      if (!branch) {
        ctx.output.out(statusLine(s));
        continue;
      }
      // A summarised branch prints where its first bind would: a line per state, largest first,
      // then its odd binds as a few binds print.
      if (printed.has(branch)) continue;
      printed.add(branch);
      const { byState, odd } = branches.get(branch)!;
      ctx.output.outLines([...groupedLines(branch.tag, byState), ...odd.map(statusLine)]);
    }
    return statuses.every((s) => s.reachable && s.condition.kind !== 'error');
  });
}

/** The line of one bind, as `status` prints it for a few binds. */
function statusLine(s: BindStatus): string {
  const missing = s.missingDatabase !== undefined ? ` (${s.missingDatabase})` : '';
  // An `in-flight` condition words the revision in flight itself.
  const flight = s.inFlight && s.condition.kind !== 'in-flight' ? `; ${formatInFlight(s.inFlight)}` : '';
  // An unreachable (or misconfigured) bind's `current` is empty because nothing was read, not because it is at base.
  const current = s.reachable ? formatRevs(s.current) : 'unknown';
  return `[${s.bind}] ${s.dialect} ${s.displayUrl}: current ${current}${missing}, head ${formatRevs(s.heads)}; ${describe(s)}${flight}`;
}
