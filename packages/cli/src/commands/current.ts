import { commands, revisionEntry } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { formatRevisionEntry, formatRevisionLine } from '../format-revision.js';
import { printJson, type CurrentJson } from '../json-output.js';
import { formatInFlight, formatMisconfigured, formatUnreachable, inFlightNote } from '../output.js';

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
 * @returns whether every bind could be read and, with `checkHeads`, is on all its heads (the CLI
 *   exits 1 otherwise, after printing them all).
 */
export async function currentCommand(ctx: CliContext, bind: string | undefined, options: { verbose?: boolean; json?: boolean; checkHeads?: boolean }): Promise<boolean> {
  return withEnvironment(ctx, async (env) => {
    const binds = await commands.current(env, bind !== undefined ? [bind] : undefined);
    const map = await env.revisionMap();
    const onHeads = (): boolean => {
      if (!options.checkHeads) return true;
      const off = binds.filter((b) => b.reachable && !b.atHeads);
      for (const b of off) {
        const at = b.revisions.map((r) => r.revision).join(', ') || '<base>';
        const flight = b.inFlight ? ` (${b.inFlight.revision} in flight)` : '';
        ctx.output.err(`FAILED: [${b.bind}] Database is not on all head revisions: at ${at}${flight}; heads ${map.heads(b.branch).join(', ') || '<base>'}`);
      }
      return off.length === 0;
    };
    if (options.json) {
      printJson(ctx.output, { binds } satisfies CurrentJson);
      return onHeads() && binds.every((b) => b.reachable);
    }
    let ok = true;
    for (const b of binds) {
      if (options.verbose) ctx.output.out(`[${b.bind}] Current revision(s) for ${b.displayUrl}:`);
      if (!b.reachable) {
        ok = false;
        const reason = b.reason ?? 'unknown reason';
        ctx.output.out(`[${b.bind}] ${b.misconfigured ? formatMisconfigured(b.bind, reason) : formatUnreachable(b.bind, reason)}`);
        continue;
      }
      if (b.missingDatabase !== undefined) ctx.output.out(`[${b.bind}] ${b.missingDatabase} (at base)`);
      else if (b.revisions.length === 0) ctx.output.out(`[${b.bind}] <base>`);
      const f = b.inFlight;
      for (const r of b.revisions) {
        // A row whose downgrade stopped part way is no longer where the database is: its mark says so.
        const flight = r.inFlight && f ? `(${inFlightNote(f)})` : '';
        if (!r.known) {
          ctx.output.out(`[${b.bind}] ${r.revision} (not in the scripts)${flight ? ` ${flight}` : ''}`);
          continue;
        }
        const entry = revisionEntry(map, map.get(r.revision));
        if (options.verbose) ctx.output.outLines(formatRevisionEntry(entry, flight));
        else ctx.output.out(`[${b.bind}] ${formatRevisionLine(entry, { tree: true })}${flight ? ` ${flight}` : ''}`);
      }
      // A revision in flight with no row (its upgrade stopped part way) gets a line of its own.
      if (f && !b.revisions.some((r) => r.inFlight)) ctx.output.out(`[${b.bind}] ${formatInFlight(f)}`);
      const h = b.lockHolder;
      if (h) {
        const until = h.expiresAt ? (h.expired ? `, expired ${h.expiresAt.toISOString()}: the next run takes it over` : `, until ${h.expiresAt.toISOString()} unless renewed`) : '';
        ctx.output.out(`[${b.bind}] migration lock held by ${h.holder} since ${h.acquiredAt.toISOString()}${until}`);
      }
    }
    return onHeads() && ok;
  });
}
