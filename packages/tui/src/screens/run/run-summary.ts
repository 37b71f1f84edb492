import { formatDuration, formatRevisions } from '../../shared/format.js';
import { summarizeRun, type RunState } from './use-run-state.js';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Up to this many names, a summary lists them all; beyond, the first {@link NAMED} and a count. */
const LISTED = 8;
/** Names a summary lists before it counts the rest (`t1, t2, t3, t4, t5 and 1,995 more`). */
const NAMED = 5;
/** Failures a summary describes (where each stays) before it counts the rest. */
const FAILURES = 3;

/** `a, b, c`, or with more than {@link LISTED} names: `a, b, c, d, e and 1,995 more`. */
const names = (list: readonly string[]) =>
  list.length <= LISTED ? list.join(', ') : `${list.slice(0, NAMED).join(', ')} and ${(list.length - NAMED).toLocaleString('en-US')} more`;

/**
 * One line summing up a run, for the run screen and for the terminal after the TUI closes. With
 * many binds it names the first few of each kind and counts the rest, so it stays a line or two.
 * @example
 * ```ts
 * describeRun(initialRunState('up', [{ binds: ['db2'] }], 0)); // 'Upgrade finished in 2.4 s: default, db2 upgraded (3 revisions).'
 * ```
 */
export function describeRun(state: RunState): string {
  const s = summarizeRun(state);
  const verb = state.direction === 'up' ? 'upgraded' : 'downgraded';
  const parts: string[] = [];
  if (s.done.length) parts.push(`${names(s.done)} ${verb} (${plural(s.revisions, 'revision')})`);
  const failures = s.failed.length <= FAILURES + 1 ? s.failed : s.failed.slice(0, FAILURES);
  for (const bind of failures) {
    const b = state.binds[state.index.get(bind)!]!;
    const at = b.heads ? `, stays at ${formatRevisions(b.heads)}` : '';
    parts.push(b.revision ? `${bind} failed at ${b.revision}${at}` : `${bind} failed`);
  }
  if (failures.length < s.failed.length) parts.push(`${(s.failed.length - failures.length).toLocaleString('en-US')} more failed`);
  if (s.stopped.length) parts.push(`${names(s.stopped)} not run`);
  if (s.unchanged.length) parts.push(`${names(s.unchanged)} already at target`);
  const what = state.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const when = state.finishedAt === undefined ? `running for ${formatDuration(s.elapsedMs)}` : `finished in ${formatDuration(s.elapsedMs)}`;
  return `${what} ${when}: ${parts.join('; ') || 'nothing to run'}.`;
}
