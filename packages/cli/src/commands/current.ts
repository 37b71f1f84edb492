import { commands, formatLockHolder, revisionEntry, type CurrentBind } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry, formatRevisionLine } from '../format-revision.js';
import { currentBindJson, printJson, type CurrentJson } from '../json-output.js';
import { formatInFlight, formatMisconfigured, formatUnreachable, inFlightNote } from '../output.js';
import { addToGroup, BranchGroups, groupedLines, summarisedBinds, type SummarisedBranch } from '../render-events.js';

/**
 * `migrate current [BIND] [--verbose]`: each bind's current revision(s), as Alembic's `current`:
 * `[db2] 3f2a9c1d7b40 (head)` (`(head)` or `(effective head)`, `(branchpoint)`, `(mergepoint)`);
 * `--verbose`: `[db2] Current revision(s) for <masked URL>:`, then each revision in full, as `show`
 * prints it. A bind at base prints `[db2] <base>` (Alembic prints nothing); a revision no script
 * declares `[db2] feedface0000 (not in the scripts)`; a SQLite bind whose file does
 * not exist prints `[default] database file /srv/app/.data/default.db does not exist (at base)` and
 * the file is not created; an unreachable bind prints `[db2] unreachable: <masked reason>`, one whose
 * configuration was refused before connecting `[db2] misconfigured: <reason>`, and the other binds
 * are still shown. A revision in flight (MySQL/MariaDB) is marked on its row when its downgrade
 * stopped part way (`[db2] ad01 (head) (in flight: downgrade stopped after 1 write(s), last: dropTable t1)`),
 * and on a line of its own after the rows when its upgrade did. `--json`: {@link CurrentJson}.
 * `--check-heads` (Alembic 1.17's): after the rows, each reachable bind that is not on all its
 * branch's heads (core's `CurrentBind.atHeads`) gets `FAILED: [db2] Database is not on all head
 * revisions: at 1a2b; heads 3c4d` on stderr, and the command fails.
 *
 * Many binds on one branch (tenants): a branch with more than `PER_BIND_LINES_MAX` binds listed
 * gets a line per revision its binds are at, with their count, largest group first, the others
 * naming their binds (`[tenant ×2000] 3f2a9c1d7b40 (head) on 1998 binds`, `[tenant ×2000]
 * 1bc594146bb5 on 2 binds: t0007, t1400`; binds whose database does not exist yet: `<base> (no
 * database yet)`); `--verbose` prints each of those revisions in full after its line, once (each
 * bind's URL: `current <bind> -v` or `--json`). A bind with more to say (unreachable,
 * misconfigured, a revision in flight or not in the scripts, a lock held) keeps its own lines
 * after them. `--check-heads` groups its `FAILED:` lines the same way, naming every bind
 * (`FAILED: [tenant ×2000] Database is not on all head revisions: at 1a2b; heads 3c4d on 2 binds: t0007, t1400`).
 * `--json` lists every bind.
 *
 * @returns whether every bind could be read and, with `checkHeads`, is on all its heads (the CLI
 *   exits 1 otherwise, after printing them all).
 */
export async function currentCommand(ctx: CliContext, bind: string | undefined, options: { verbose?: boolean; json?: boolean; checkHeads?: boolean }): Promise<boolean> {
  return withEnvironment(ctx, async (env) => {
    const binds = await commands.current(env, bind !== undefined ? [bind] : undefined);
    const map = await env.revisionMap();
    // Many binds on one branch (tenants): grouped by revision, the odd ones on lines of their own.
    const summarised = summarisedBinds(binds);
    const onHeads = (): boolean => {
      if (!options.checkHeads) return true;
      const off = binds.filter((b) => b.reachable && !b.atHeads);
      const groups = new BranchGroups();
      for (const b of off) {
        const at = b.revisions.map((r) => r.revision).join(', ') || '<base>';
        const flight = b.inFlight ? ` (${b.inFlight.revision} in flight)` : '';
        const line = `Database is not on all head revisions: at ${at}${flight}; heads ${map.heads(b.branch).join(', ') || '<base>'}`;
        const branch = summarised.get(b.bind);
        if (!branch) {
          ctx.output.err(`FAILED: [${b.bind}] ${line}`);
          continue;
        }
        groups.add(branch, line, b.bind);
      }
      for (const line of groups.lines({ prefix: 'FAILED: ', nameAll: true })) ctx.output.err(line);
      return off.length === 0;
    };
    if (options.json) {
      printJson(ctx.output, { binds: binds.map(currentBindJson) } satisfies CurrentJson);
      return onHeads() && binds.every((b) => b.reachable);
    }
    /** The lines of one bind, as `current` prints them for a few binds. */
    const bindLines = (b: CurrentBind): string[] => {
      const lines: string[] = [];
      if (options.verbose) lines.push(`[${b.bind}] Current revision(s) for ${b.displayUrl}:`);
      if (!b.reachable) {
        const reason = b.reason ?? 'unknown reason';
        lines.push(`[${b.bind}] ${b.misconfigured ? formatMisconfigured(b.bind, reason) : formatUnreachable(b.bind, reason)}`);
        return lines;
      }
      if (b.missingDatabase !== undefined) lines.push(`[${b.bind}] ${b.missingDatabase} (at base)`);
      else if (b.revisions.length === 0) lines.push(`[${b.bind}] <base>`);
      const f = b.inFlight;
      for (const r of b.revisions) {
        // A row whose downgrade stopped part way is no longer where the database is: its mark says so.
        const flight = r.inFlight && f ? `(${inFlightNote(f)})` : '';
        if (!r.known) {
          lines.push(`[${b.bind}] ${r.revision} (not in the scripts)${flight ? ` ${flight}` : ''}`);
          continue;
        }
        const entry = revisionEntry(map, map.get(r.revision));
        if (options.verbose) lines.push(...formatRevisionEntry(entry, flight));
        else lines.push(`[${b.bind}] ${formatRevisionLine(entry, { tree: true })}${flight ? ` ${flight}` : ''}`);
      }
      // A revision in flight with no row (its upgrade stopped part way) gets a line of its own.
      if (f && !b.revisions.some((r) => r.inFlight)) lines.push(`[${b.bind}] ${formatInFlight(f)}`);
      const h = b.lockHolder;
      if (h) {
        // A lease: its holder, when it was taken and until when; a session's lock: the session (formatLockHolder).
        const until = h.expiresAt ? (h.expired ? `, expired ${h.expiresAt.toISOString()}: the next run takes it over` : `, until ${h.expiresAt.toISOString()} unless renewed`) : '';
        const held = h.session ? formatLockHolder(h) : `${h.holder}${h.acquiredAt ? ` since ${h.acquiredAt.toISOString()}` : ''}${until}`;
        lines.push(`[${b.bind}] migration lock held by ${held}`);
      }
      return lines;
    };
    /** A summarised bind's group: the revisions it is at, when nothing else is to be said of it (else it keeps its own lines). */
    const groupOf = (b: CurrentBind): string | undefined => {
      if (!b.reachable || b.inFlight || b.lockHolder || b.revisions.some((r) => !r.known)) return undefined;
      if (b.revisions.length === 0) return b.missingDatabase !== undefined ? '<base> (no database yet)' : '<base>';
      return b.revisions.map((r) => formatRevisionLine(revisionEntry(map, map.get(r.revision)), { tree: true })).join(', ');
    };
    /** Per summarised branch, its grouped binds (by group) and its odd ones. */
    const branches = new Map<SummarisedBranch, { readonly groups: Map<string, string[]>; readonly revisions: Map<string, readonly string[]>; readonly odd: CurrentBind[] }>();
    for (const b of binds) {
      const branch = summarised.get(b.bind);
      if (!branch) continue;
      const into = branches.get(branch) ?? { groups: new Map<string, string[]>(), revisions: new Map<string, readonly string[]>(), odd: [] };
      branches.set(branch, into);
      const group = groupOf(b);
      if (group === undefined) into.odd.push(b);
      else {
        addToGroup(into.groups, group, b.bind);
        into.revisions.set(group, b.revisions.map((r) => r.revision));
      }
    }
    let ok = binds.every((b) => b.reachable);
    const printed = new Set<SummarisedBranch>();
    for (const b of binds) {
      const branch = summarised.get(b.bind);
      if (!branch) {
        ctx.output.outLines(bindLines(b));
        continue;
      }
      // A summarised branch prints where its first bind would: a line per group (with -v, its
      // revisions in full after it), then its odd binds as a few binds print.
      if (printed.has(branch)) continue;
      printed.add(branch);
      const { groups, revisions, odd } = branches.get(branch)!;
      const lines = groupedLines(branch.tag, groups);
      for (const [i, [group]] of [...groups].sort((x, y) => y[1].length - x[1].length).entries()) {
        ctx.output.out(lines[i]!);
        if (options.verbose) for (const r of revisions.get(group)!) ctx.output.outLines(formatRevisionEntry(revisionEntry(map, map.get(r))));
      }
      for (const o of odd) ctx.output.outLines(bindLines(o));
    }
    ok = onHeads() && ok;
    return ok;
  });
}
