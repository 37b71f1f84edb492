import { formatDuration, formatRevisions } from '../../shared/format.js';
import { summarizeRun, type RunState } from './use-run-state.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One line summing up a run, for the run screen and for the terminal after the TUI closes.
 * @example
 * ```ts
 * describeRun(initialRunState('up', [{ binds: ['db2'] }], 0)); // 'Upgrade finished in 2.4 s: default, db2 upgraded (3 revisions).'
 * ```
 */
export function describeRun(state: RunState): string {
  const s = summarizeRun(state);
  const verb = state.direction === 'up' ? 'upgraded' : 'downgraded';
  const parts: string[] = [];
  if (s.done.length) parts.push(`${s.done.join(', ')} ${verb} (${plural(s.revisions, 'revision')})`);
  for (const bind of s.failed) {
    const b = state.binds.find((x) => x.bind === bind)!;
    const at = b.heads ? `, stays at ${formatRevisions(b.heads)}` : '';
    parts.push(b.revision ? `${bind} failed at ${b.revision}${at}` : `${bind} failed`);
  }
  if (s.stopped.length) parts.push(`${s.stopped.join(', ')} not run`);
  if (s.unchanged.length) parts.push(`${s.unchanged.join(', ')} already at target`);
  const what = state.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const when = state.finishedAt === undefined ? `running for ${formatDuration(s.elapsedMs)}` : `finished in ${formatDuration(s.elapsedMs)}`;
  return `${what} ${when}: ${parts.join('; ') || 'nothing to run'}.`;
}
