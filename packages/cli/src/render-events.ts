import type { RunEvent } from '@multidb/core';
import { formatRevs, type Output } from './output.js';

/**
 * How many binds of one branch a run may have and still get one progress line per bind and
 * revision; above it, the branch's progress is summarised (see {@link renderEvents}).
 */
export const PER_BIND_LINES_MAX = 10;

/** Options of {@link renderEvents}. */
export interface RenderEventsOptions {
  /**
   * The binds the run may touch, with their branches (e.g. from `env.bindsForTargets(targets)`).
   * A branch with more than `perBindMax` of them is summarised; without this list every bind gets
   * its own lines, as for a small config.
   */
  readonly binds?: readonly { readonly bind: string; readonly branch: string }[];
  /** The threshold (default {@link PER_BIND_LINES_MAX}). */
  readonly perBindMax?: number;
}

/** A branch whose binds a command summarises: more than the threshold of them in the command. */
export interface SummarisedBranch {
  readonly branch: string;
  /** How many binds of the branch the command handles. */
  readonly total: number;
  /** What its summary lines start with: `[tenant ×2000]`. */
  readonly tag: string;
}

/**
 * The binds a command's output summarises (see {@link renderEvents}): those of each branch with
 * more than `max` binds among `binds`, each mapped to its branch's {@link SummarisedBranch} (one
 * object per branch). A bind not in the map keeps its own lines.
 * @param binds - the binds the command handles, with their branches.
 * @param max - the threshold (default {@link PER_BIND_LINES_MAX}).
 * @returns per summarised bind, its branch.
 * @example
 * ```ts
 * const summarised = summarisedBinds(Array.from({ length: 2000 }, (_, i) => ({ bind: `t${i}`, branch: 'tenant' })));
 * summarised.get('t7')?.tag; // '[tenant ×2000]'
 * ```
 */
export function summarisedBinds(binds: readonly { readonly bind: string; readonly branch: string }[], max = PER_BIND_LINES_MAX): ReadonlyMap<string, SummarisedBranch> {
  const counts = new Map<string, number>();
  for (const { branch } of binds) counts.set(branch, (counts.get(branch) ?? 0) + 1);
  const branches = new Map<string, SummarisedBranch>();
  const of = new Map<string, SummarisedBranch>();
  for (const { bind, branch } of binds) {
    const total = counts.get(branch)!;
    if (total <= max) continue;
    let summarised = branches.get(branch);
    if (!summarised) branches.set(branch, (summarised = { branch, total, tag: `[${branch} ×${total}]` }));
    of.set(bind, summarised);
  }
  return of;
}

/**
 * Binds named in a summary line: the first 20, then `…`.
 * @example
 * ```ts
 * bindNames(['t7', 't9']); // 't7, t9'
 * ```
 */
export function bindNames(binds: readonly string[]): string {
  return `${binds.slice(0, 20).join(', ')}${binds.length > 20 ? ', …' : ''}`;
}

/**
 * Binds named with why each one is, each reason said once, in the order the reasons first come:
 * `db2 (unreachable)` for a reason one bind has, `9 not up to date (t000, t001, …)` for one that
 * several share (named by {@link bindNames}).
 * @param binds - each bind with its reason, in the order to name them.
 * @returns the list, `, `-separated (`''` for none).
 * @example
 * ```ts
 * bindsByReason([{ bind: 't1', reason: 'not up to date' }, { bind: 't2', reason: 'unreachable' }, { bind: 't3', reason: 'not up to date' }]);
 * // '2 not up to date (t1, t3), t2 (unreachable)'
 * ```
 */
export function bindsByReason(binds: readonly { readonly bind: string; readonly reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const { bind, reason } of binds) addToGroup(byReason, reason, bind);
  return [...byReason].map(([reason, named]) => (named.length === 1 ? `${named[0]} (${reason})` : `${named.length} ${reason} (${bindNames(named)})`)).join(', ');
}

/**
 * Adds `bind` to the group `key` of `groups` (made on first use), in place: grouping thousands of
 * tenants stays linear.
 * @param groups - per key, its binds, in the order first added.
 * @param key - the group (a branch, or the line its binds would print).
 * @param bind - the bind to add.
 * @returns the group's binds.
 * @example
 * ```ts
 * const groups = new Map<string, string[]>();
 * addToGroup(groups, 'a1 (head)', 't1');
 * addToGroup(groups, 'a1 (head)', 't2'); // ['t1', 't2']
 * ```
 */
export function addToGroup<K>(groups: Map<K, string[]>, key: K, bind: string): string[] {
  const binds = groups.get(key);
  if (binds) binds.push(bind);
  else groups.set(key, [bind]);
  return binds ?? groups.get(key)!;
}

/**
 * The lines of a summarised branch's binds grouped by what each would print (`label`): per
 * group, largest first, `[tenant ×2000] <label> on 1998 binds`; every group but the largest (the
 * odd ones) also names its binds, `[tenant ×2000] <label> on 2 binds: t0007, t1400` (with
 * `nameAll`, the largest too: failures).
 * @param tag - the branch's tag (`SummarisedBranch.tag`).
 * @param groups - per label, its binds, in the order to print groups of equal size.
 * @param options - `prefix` before the tag (`'FAILED: '`); `nameAll`: name the binds of every group.
 * @returns the lines.
 * @example
 * ```ts
 * groupedLines('[tenant ×3]', new Map([['a1 (head)', ['t1', 't2']], ['<base>', ['t3']]]));
 * // ['[tenant ×3] a1 (head) on 2 binds', '[tenant ×3] <base> on 1 bind: t3']
 * ```
 */
export function groupedLines(tag: string, groups: ReadonlyMap<string, readonly string[]>, options: { readonly prefix?: string; readonly nameAll?: boolean } = {}): string[] {
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
  return sorted.map(([label, binds], i) => {
    const names = i > 0 || options.nameAll ? `: ${bindNames(binds)}` : '';
    return `${options.prefix ?? ''}${tag} ${label} on ${binds.length} bind${binds.length === 1 ? '' : 's'}${names}`;
  });
}

/**
 * The binds of summarised branches grouped by the line each would print (see {@link groupedLines}),
 * per branch in the order first added.
 * @example
 * ```ts
 * const tenant = { branch: 'tenant', total: 3, tag: '[tenant ×3]' };
 * const groups = new BranchGroups();
 * for (const bind of ['t1', 't2']) groups.add(tenant, 'a1 (head)', bind);
 * groups.add(tenant, '<base>', 't3');
 * groups.lines(); // ['[tenant ×3] a1 (head) on 2 binds', '[tenant ×3] <base> on 1 bind: t3']
 * ```
 */
export class BranchGroups {
  readonly #groups = new Map<SummarisedBranch, Map<string, string[]>>();

  /** Adds `bind` to the group `label` of `branch`. */
  add(branch: SummarisedBranch, label: string, bind: string): void {
    let byLabel = this.#groups.get(branch);
    if (!byLabel) this.#groups.set(branch, (byLabel = new Map()));
    addToGroup(byLabel, label, bind);
  }

  /** The groups of `branch` (per label, its binds), if any bind of it was added. */
  of(branch: SummarisedBranch): ReadonlyMap<string, readonly string[]> | undefined {
    return this.#groups.get(branch);
  }

  /** Every branch's {@link groupedLines}, a branch after the other. */
  lines(options: { readonly prefix?: string; readonly nameAll?: boolean } = {}): string[] {
    return [...this.#groups].flatMap(([branch, byLabel]) => groupedLines(branch.tag, byLabel, options));
  }
}

/**
 * A warning of one bind as a summarised branch groups it: without the `[bind] ` it may start with,
 * and with the bind's own name, where the text quotes it (`bind 't0007'`, `binds.t0007.models`),
 * written `<bind>`, so that the same warning of every tenant reads the same.
 * @param warning - the warning as the bind's own line would print it (after `WARNING: `).
 * @param bind - the bind it is about.
 * @returns the text to group by.
 * @example
 * ```ts
 * warningText("[t7] has no models (binds.t7.models): skipped.", 't7'); // 'has no models (binds.<bind>.models): skipped.'
 * ```
 */
export function warningText(warning: string, bind: string): string {
  const text = warning.startsWith(`[${bind}] `) ? warning.slice(bind.length + 3) : warning;
  return text.split(`bind '${bind}'`).join("bind '<bind>'").split(`binds.${bind}.`).join('binds.<bind>.');
}

/**
 * The warnings of summarised branches' binds, each text once per branch (see {@link warningText}),
 * in the order first given: `[tenant ×2000] WARNING: <text> (on 2000 binds)` when every bind of
 * the branch the command handles has it, else naming them (`(on 2 binds: t0007, t1400)`, the first
 * 20 then `…`). A bind of a branch not summarised keeps its own `[db2] WARNING: …` lines: the
 * caller prints those.
 * @example
 * ```ts
 * const warnings = new GroupedWarnings();
 * const branch = { branch: 'tenant', total: 2, tag: '[tenant ×2]' };
 * warnings.add(branch, 't1', 'Table x left alone');
 * warnings.add(branch, 't2', 'Table x left alone');
 * warnings.lines(); // ['[tenant ×2] WARNING: Table x left alone (on 2 binds)']
 * ```
 */
export class GroupedWarnings {
  /** Per branch, per text, the binds that have it. */
  readonly #groups = new Map<SummarisedBranch, Map<string, Set<string>>>();

  /**
   * Adds a warning of `bind`, of the summarised branch `branch`.
   * @param branch - the bind's branch, as {@link summarisedBinds} maps it.
   * @param bind - the bind.
   * @param warning - its warning (see {@link warningText}).
   */
  add(branch: SummarisedBranch, bind: string, warning: string): void {
    const byText = this.#groups.get(branch) ?? new Map<string, Set<string>>();
    this.#groups.set(branch, byText);
    const text = warningText(warning, bind);
    byText.set(text, (byText.get(text) ?? new Set<string>()).add(bind));
  }

  /**
   * The lines, a branch after the other, each warning once.
   * @returns the lines (without `WARNING` lines of binds not summarised).
   */
  lines(): string[] {
    const lines: string[] = [];
    for (const [branch, byText] of this.#groups) for (const [text, binds] of byText) lines.push(warningLine(branch.tag, branch.total, text, binds));
    return lines;
  }
}

/** The line of a warning of a summarised branch (see {@link GroupedWarnings}): `tag` its tag, `total` its binds in the command. */
function warningLine(tag: string, total: number, text: string, binds: ReadonlySet<string>): string {
  const on = `${binds.size} bind${binds.size === 1 ? '' : 's'}`;
  return `${tag} WARNING: ${text} (on ${binds.size === total ? on : `${on}: ${bindNames([...binds])}`})`;
}

/** Progress of one summarised branch. */
interface BranchSummary {
  readonly branch: string;
  readonly total: number;
  /** Per `direction revision`: its line, and on how many binds it completed. */
  readonly revisions: Map<string, { readonly line: string; done: number }>;
  /** The stamps (`from -> to`) announced. */
  readonly stamps: Set<string>;
  /** Per warning (its {@link warningText}), the binds that had it: printed once, counted at the end. */
  readonly warnings: Map<string, Set<string>>;
  done: number;
  readonly failed: Set<string>;
  /** Binds the run's signal stopped after their revisions in progress (`bind-done` `interrupted: 'stopped'`). */
  stopped: number;
  /** Binds the run's signal kept from starting (`interrupted: 'not-started'`). */
  notReached: number;
  nextMark: number;
}

/**
 * Turns run events into Alembic-style progress lines on stderr, prefixed by bind: `[db2] Running
 * upgrade 1bc594146bb5 -> 3f2a9c1d7b40, add column`, `[db2] Waiting for the migration lock on
 * db2...`, `[db2] Stamping <base> -> 3f2a9c1d7b40`, `[db2] WARNING: …` (a `warning` event: an op
 * whose name PostgreSQL truncates; of a summarised branch, see below). A target that fans out to every bind of a
 * shared branch is announced first: `Upgrading 3 binds on branch tenant: t1, t2, t3`. Other events
 * print nothing.
 *
 * Many binds on one branch (tenants): when `options.binds` gives a branch more than
 * `perBindMax` (default {@link PER_BIND_LINES_MAX}, 10) binds in the run, that branch's binds get
 * no line per bind and revision. Instead: each revision once, when it first starts on one of them
 * (`[tenant ×2000] Running upgrade a -> b, msg`); a count each time another tenth of the binds is
 * done (`[tenant ×2000] 400/2000 binds done`); one line per failing bind, naming its revision and
 * where it stays (`[t57] FAILED upgrade a -> b, msg (stays at a): boom`; a bind that could not be
 * reached: `[t58] FAILED: not run (see the errors at the end)`); and at the end, per
 * revision, on how many binds it ran (`[tenant ×2000] Ran upgrade a -> b, msg on 1999 binds`),
 * each warning that more than one bind had, with those binds (see {@link GroupedWarnings}: `[tenant ×2000] WARNING:
 * … of bind '<bind>' … (on 2000 binds)`; a warning is printed as it comes the first time only,
 * `[t0000] WARNING: …`), then the branch's totals; a run stopped by Ctrl-C or SIGTERM counts the binds it stopped part
 * way and those it did not reach (`[tenant ×2000] 400 upgraded, 0 failed, 1600 interrupted (2
 * stopped part way, 1598 not reached), 0 unchanged`), from their `bind-done` `interrupted`. The fan-out line then gives the count without the names.
 * A stamp's `stamp` events of such a branch print each change once (`[tenant ×2000] Stamping
 * <base> -> 3f2a9c1d7b40`), its `bind-done` the tenths (the stamp command prints the totals).
 * @param output - where the lines go (`err`).
 * @param command - the run's command, for the fan-out line (default `'upgrade'`).
 * @param options - the run's binds and the threshold (see {@link RenderEventsOptions}).
 * @returns a listener (core's `RunListener`) to pass as `onEvent`.
 * @example
 * ```ts
 * const binds = (await env.bindsForTargets([])).map((bind) => ({ bind, branch: env.bind(bind).branch }));
 * await env.upgrade([], { onEvent: renderEvents(processOutput, 'upgrade', { binds }) });
 * ```
 */
export function renderEvents(output: Output, command: 'upgrade' | 'downgrade' = 'upgrade', options: RenderEventsOptions = {}): (event: RunEvent) => void {
  const verb = command === 'upgrade' ? 'Upgrading' : 'Downgrading';
  const max = options.perBindMax ?? PER_BIND_LINES_MAX;
  // The summarised branches, and the branch of each of their binds.
  const summaries = new Map<string, BranchSummary>();
  const summaryOf = new Map<string, BranchSummary>();
  for (const [bind, { branch, total }] of summarisedBinds(options.binds ?? [], max)) {
    let summary = summaries.get(branch);
    if (!summary) summaries.set(branch, (summary = { branch, total, revisions: new Map(), stamps: new Set(), warnings: new Map(), done: 0, failed: new Set(), stopped: 0, notReached: 0, nextMark: Math.ceil(total / 10) }));
    summaryOf.set(bind, summary);
  }
  const tag = (s: BranchSummary) => `[${s.branch} ×${s.total}]`;
  const running = (event: { direction: 'up' | 'down'; revision: string; downRevisions: readonly string[]; message: string }) =>
    event.direction === 'up'
      ? `upgrade ${formatRevs(event.downRevisions)} -> ${event.revision}, ${event.message}`
      : `downgrade ${event.revision} -> ${formatRevs(event.downRevisions)}, ${event.message}`;
  const failed = (s: BranchSummary, bind: string) => {
    if (s.failed.has(bind)) return false;
    s.failed.add(bind);
    return true;
  };

  return (event) => {
    switch (event.type) {
      case 'plan':
        for (const f of event.fanOut ?? []) {
          output.err(summaries.has(f.branch) ? `${verb} ${f.binds.length} binds on branch ${f.branch}` : `${verb} ${f.binds.length} binds on branch ${f.branch}: ${f.binds.join(', ')}`);
        }
        break;
      case 'lock-wait':
        output.err(`[${event.bind}] Waiting for the migration lock on ${event.bind}...`);
        break;
      case 'step-start': {
        const s = summaryOf.get(event.bind);
        if (!s) {
          output.err(`[${event.bind}] Running ${running(event)}`);
          break;
        }
        const key = `${event.direction} ${event.revision}`;
        if (!s.revisions.has(key)) {
          const line = running(event);
          s.revisions.set(key, { line, done: 0 });
          output.err(`${tag(s)} Running ${line}`);
        }
        break;
      }
      case 'step-done': {
        const s = summaryOf.get(event.bind);
        const revision = s?.revisions.get(`${event.direction} ${event.revision}`);
        if (revision) revision.done++;
        break;
      }
      case 'step-failed': {
        const s = summaryOf.get(event.bind);
        if (!s || !failed(s, event.bind)) break;
        const reason = (event.error.message.split('\n')[0] ?? '').replace(/^\[[^\]]*\] revision \S+ failed: /, '');
        const at = (event.error as { readonly at?: readonly string[] }).at ?? event.from;
        output.err(`[${event.bind}] FAILED ${running(event)} (stays at ${formatRevs(at)}): ${reason}`);
        break;
      }
      case 'bind-done': {
        const s = summaryOf.get(event.bind);
        if (!s) break;
        if (event.interrupted) {
          // The run's signal stopped it (or kept it from starting): counted at the end.
          if (event.interrupted === 'stopped') s.stopped++;
          else s.notReached++;
          break;
        }
        if (!event.ok) {
          // Without a step-failed: the bind could not be reached, or waited on a bind that failed.
          if (failed(s, event.bind)) output.err(`[${event.bind}] FAILED: not run (see the errors at the end)`);
          break;
        }
        s.done++;
        if (s.done >= s.nextMark) {
          output.err(`${tag(s)} ${s.done}/${s.total} binds done`);
          while (s.nextMark <= s.done) s.nextMark += Math.ceil(s.total / 10);
        }
        break;
      }
      case 'run-done':
        for (const s of summaries.values()) {
          const interrupted = s.stopped + s.notReached;
          if (!s.revisions.size && !s.failed.size && !interrupted) continue;
          for (const { line, done } of s.revisions.values()) output.err(`${tag(s)} Ran ${line} on ${done} bind${done === 1 ? '' : 's'}`);
          // A warning of one bind was printed whole as it came: counted only when others had it too.
          for (const [text, binds] of s.warnings) if (binds.size > 1) output.err(warningLine(tag(s), s.total, text, binds));
          const verbed = command === 'upgrade' ? 'upgraded' : 'downgraded';
          const failedPart = `${s.failed.size} failed${s.failed.size ? ` (${bindNames([...s.failed].sort())})` : ''}`;
          const rest = s.total - s.done - s.failed.size - interrupted;
          // Interrupted (Ctrl-C, SIGTERM): every bind of the run ended with an event but those with nothing to do.
          const tail = interrupted
            ? `${interrupted} interrupted (${s.stopped} stopped part way, ${s.notReached} not reached), ${rest} unchanged`
            : `${rest} unchanged or not reached`;
          output.err(`${tag(s)} ${s.done} ${verbed}, ${failedPart}, ${tail}`);
        }
        break;
      case 'warning': {
        // It names the op and file the user may have to change: printed as it comes. A summarised
        // branch's binds run the same revisions, so each of its warnings is printed the first
        // time only, and counted at the end.
        const s = summaryOf.get(event.bind);
        const text = s && warningText(event.message, event.bind);
        const binds = s && text !== undefined ? s.warnings.get(text) : undefined;
        if (binds) binds.add(event.bind);
        else {
          if (s && text !== undefined) s.warnings.set(text, new Set([event.bind]));
          output.err(`[${event.bind}] WARNING: ${event.message}`);
        }
        break;
      }
      case 'stamp': {
        const s = summaryOf.get(event.bind);
        const line = `Stamping ${formatRevs(event.from)} -> ${formatRevs(event.to)}`;
        if (!s) output.err(`[${event.bind}] ${line}`);
        else if (!s.stamps.has(line)) {
          // Summarised: each change once, when it is first written (the stamp command counts them at the end).
          s.stamps.add(line);
          output.err(`${tag(s)} ${line}`);
        }
        break;
      }
      default:
        break;
    }
  };
}
