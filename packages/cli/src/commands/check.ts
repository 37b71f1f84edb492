import type { CheckBindResult } from '@multidb/autogenerate';
import { mergeHeadsCommand, oneLine } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, type CheckJson } from '../json-output.js';
import { formatMisconfigured, formatRevs, formatUnreachable } from '../output.js';
import { addToGroup, bindNames, bindsByReason, BranchGroups, groupedLines, GroupedWarnings, summarisedBinds, type SummarisedBranch } from '../render-events.js';

/** How the summary line names a failed outcome: after a bind (`db2 (failed)`) and after a count (`2 failed (db2, db3)`). */
const FAILED_AS: Readonly<Record<string, string>> = {
  'not-up-to-date': 'not up to date',
  'in-flight': 'with a revision in flight',
  unreachable: 'unreachable',
  misconfigured: 'misconfigured',
  error: 'failed',
};

/** The `ERROR:` line of a bind that could not be compared: its reason, naming the bind first. */
function failureLine(r: CheckBindResult): string {
  const reason = oneLine(r.reason ?? r.outcome);
  if (r.outcome === 'unreachable') return `ERROR: [${r.bind}] ${formatUnreachable(r.bind, reason)}`;
  if (r.outcome === 'misconfigured') return `ERROR: [${r.bind}] ${formatMisconfigured(r.bind, reason)}`;
  return `ERROR: ${reason.startsWith(`[${r.bind}] `) ? reason : `[${r.bind}] ${reason}`}`;
}

/**
 * What a summarised bind that is not at its head prints, to group it by (`Target database is not
 * up to date: at b2…, head c3…; 1 pending: c3…`, or `…: at b2…; its branch has 2 heads (c3…, d4…)`),
 * or `undefined` when it has more to say and keeps its own lines: its version table names a
 * revision no script declares. What to do is said once for the branch (see {@link behindAdvice}).
 */
function behindLabel(r: CheckBindResult): string | undefined {
  if (r.outcome !== 'not-up-to-date' || r.unknown?.length || !r.current || !r.heads || !r.pending) return undefined;
  const at = `Target database is not up to date: at ${formatRevs(r.current)}`;
  if (r.heads.length > 1) return `${at}; its branch has ${r.heads.length} heads (${r.heads.join(', ')})`;
  return `${at}, head ${formatRevs(r.heads)}; ${r.pending.length} pending: ${r.pending.map((p) => p.revision).join(', ')}`;
}

/**
 * What a summarised branch's binds that are not up to date are told to do, once for the branch, as
 * a bind's own `TargetNotUpToDateError` tells it: upgrade; or, when the branch has several heads,
 * merge them first (one merge, naming `first`, the branch's first such bind, serves the branch),
 * then upgrade. Not `upgrade heads`: it would let `check` compare, but the revision `check` asks
 * for when the models differ (`migrate migrate`) needs one head, so the heads get merged anyway.
 */
function behindAdvice(severalHeads: boolean, first: string): string {
  return severalHeads ? `merge its heads first ('${mergeHeadsCommand(first)}'), then run 'migrate upgrade'.` : "run 'migrate upgrade' first.";
}

/**
 * `migrate check [BIND...]`: whether each bind's database matches its models, for CI. Every bind
 * asked about is checked and reported: on stdout a bind's differences (`[db2] Detected added column
 * 'account.email'`) or `[db2] No changes in schema detected.`; on stderr an `ERROR: [db2] …` line
 * for each bind that could not be compared (not at its head, then `[db2] N pending: <revisions>`;
 * a revision in flight; unreachable; misconfigured; its models refused), then
 * `Differences found in …` and, with several binds checked and one of them failing,
 * `Could not compare N of M binds: db2 (not up to date), db3 (unreachable).`, each reason once
 * (`Could not compare 2000 of 2000 binds: 1999 not up to date (t0000, t0001, …), t1400 (unreachable).`)
 * (`--json`: {@link CheckJson}, every bind's result). A branch with more than
 * `PER_BIND_LINES_MAX` binds checked (tenants) gets, instead of a line per bind compared, one per
 * outcome with its count, the odd ones named (`[tenant ×2000] No changes in schema detected on 1998
 * binds`, `[tenant ×2000] Detected added column 'account.email' on 2 binds: t0007, t1400`; several
 * differences of a bind joined by `; `), each warning once with the binds that have it
 * (`[tenant ×2000] WARNING: Table 'legacy' is in the database but not in the models; … (on 2000
 * binds)`, see `GroupedWarnings`); the binds that could not be compared keep their lines,
 * but those not up to date (behind their head, or their branch at several heads), which are
 * grouped by where they stand, on stderr: `ERROR: [tenant ×2000] Target database is not up to
 * date: at 1bc5…, head 3f2a…; 1 pending: 3f2a… on 1998 binds`, the odd ones naming their binds,
 * then once what to do, `[tenant ×2000] 2000 binds not up to date: run 'migrate upgrade' first.`
 * (its branch with several heads: `…: merge its heads first ('migrate merge heads --bind t0000 -m
 * MSG'), then run 'migrate upgrade'.`, as a bind's own error line says);
 * the summary lines name the first 20 binds (`…`, then their count).
 * @returns the verdict (autogenerate's `checkVerdict`): `'failed'` (the CLI exits 1) when a bind
 *   could not be compared, else `'differs'` (exit 4, "differences found") when one differs, else `'ok'`.
 * @throws `NoModelsError` (exit 1) when none of the binds checked has models: nothing would be
 *   compared; `UnknownBindError`; a repository that cannot be read.
 */
export async function checkCommand(ctx: CliContext, binds: readonly string[], options: { json?: boolean } = {}): Promise<'ok' | 'differs' | 'failed'> {
  const { check, checkVerdict, isCheckFailure } = await import('@multidb/autogenerate');
  return withEnvironment(ctx, async (env) => {
    const results = await check(env, binds);
    if (options.json) {
      printJson(ctx.output, { binds: results } satisfies CheckJson);
      return checkVerdict(results);
    }
    // Many binds on one branch (tenants): those compared are grouped by what they print.
    const summarised = summarisedBinds(results);
    const groups = new BranchGroups();
    const warnings = new GroupedWarnings();
    // Summarised binds not up to date, by branch then state (the bind the merge advice names first).
    const behind = new Map<SummarisedBranch, { readonly byState: Map<string, string[]>; readonly first: string; severalHeads: boolean }>();
    for (const r of results) {
      const branch = summarised.get(r.bind);
      for (const warning of r.warnings) {
        if (branch) warnings.add(branch, r.bind, warning);
        else ctx.output.err(`[${r.bind}] WARNING: ${warning.replace(/^\[[^\]]+\] /, '')}`);
      }
      const state = branch && behindLabel(r);
      if (branch && state !== undefined) {
        const into = behind.get(branch) ?? { byState: new Map<string, string[]>(), first: r.bind, severalHeads: false };
        behind.set(branch, into);
        into.severalHeads ||= (r.heads?.length ?? 0) > 1;
        addToGroup(into.byState, state, r.bind);
      } else if (isCheckFailure(r)) {
        ctx.output.err(failureLine(r));
        if (r.outcome === 'not-up-to-date' && r.pending?.length) ctx.output.err(`[${r.bind}] ${r.pending.length} pending: ${r.pending.map((p) => p.revision).join(', ')}`);
      }
      if (branch && (r.outcome === 'match' || r.outcome === 'differs')) {
        const label = r.outcome === 'match' ? 'No changes in schema detected' : r.changes.map((c) => c.line).join('; ');
        groups.add(branch, label, r.bind);
        continue;
      }
      if (r.outcome === 'match') ctx.output.out(`[${r.bind}] No changes in schema detected.`);
      for (const change of r.changes) ctx.output.out(`[${r.bind}] ${change.line}`);
    }
    for (const [branch, { byState, first, severalHeads }] of behind) {
      for (const line of groupedLines(branch.tag, byState, { prefix: 'ERROR: ' })) ctx.output.err(line);
      const count = [...byState.values()].reduce((n, binds) => n + binds.length, 0);
      ctx.output.err(`${branch.tag} ${count} bind${count === 1 ? '' : 's'} not up to date: ${behindAdvice(severalHeads, first)}`);
    }
    for (const line of warnings.lines()) ctx.output.err(line);
    for (const line of groups.lines()) ctx.output.out(line);
    const differs = results.filter((r) => r.outcome === 'differs');
    const names = (binds: readonly string[]) => (binds.length > 20 ? `${bindNames(binds)} (${binds.length} binds)` : binds.join(', '));
    if (differs.length) ctx.output.err(`Differences found in ${names(differs.map((r) => r.bind))}: run 'migrate migrate -m <message>' to write a revision.`);
    const failed = results.filter(isCheckFailure);
    if (failed.length && results.length > 1) {
      const named = bindsByReason(failed.map((r) => ({ bind: r.bind, reason: FAILED_AS[r.outcome] ?? r.outcome })));
      ctx.output.err(`Could not compare ${failed.length} of ${results.length} binds: ${named}.`);
    }
    return checkVerdict(results);
  });
}
