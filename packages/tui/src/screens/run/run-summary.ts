import { formatCount, formatDuration, formatRevisions, nameList } from '../../shared/format.js';
import { summarizeRun, type RunState } from './use-run-state.js';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** Failures a summary describes (where each stays) before it counts the rest. */
const FAILURES = 3;

/**
 * One line summing up a run, for the run screen and for the terminal after the TUI closes. With
 * many binds it names the first few of each kind and counts the rest, so it stays a line or two.
 * A codegen after the run that failed (`codegen: 'after-run'`) adds a sentence naming why. A run
 * stopped by ctrl+c says what to do next, as `migrate upgrade` does: binds it left are
 * `interrupted (run the upgrade again to go on)`, or, when the target counted revisions from where
 * the bind stood (a downgrade to `db2@-3`), which would step again what ran, the command that
 * finishes just what it meant (`interrupted (to go on with just what the downgrade meant: migrate
 * downgrade db2@5e5e5e5e5e02)`; also for a revision partly applied: what resumes it); when it came
 * during the last revisions, that nothing was left to run.
 * @example
 * ```ts
 * describeRun(initialRunState('up', [{ binds: ['db2'] }], 0)); // 'Upgrade finished in 2.4 s: default, db2 upgraded (3 revisions).'
 * ```
 */
export function describeRun(state: RunState): string {
  const s = summarizeRun(state);
  const verb = state.direction === 'up' ? 'upgraded' : 'downgraded';
  const command = state.direction === 'up' ? 'upgrade' : 'downgrade';
  // Relative targets stopped part way (RunState.retry): the command that finishes what they meant
  // (a downgrade takes one target: one command per target).
  const finishing = (targets: readonly string[]) => (command === 'upgrade' ? `migrate upgrade ${targets.join(' ')}` : targets.map((t) => `migrate downgrade ${t}`).join('; '));
  const retryOf = (binds: readonly string[]) => state.retry.filter((t) => binds.some((b) => t.startsWith(`${b}@`)));
  const parts: string[] = [];
  if (s.done.length) parts.push(`${nameList(s.done)} ${verb} (${plural(s.revisions, 'revision')})`);
  const failures = s.failed.length <= FAILURES + 1 ? s.failed : s.failed.slice(0, FAILURES);
  for (const bind of failures) {
    const b = state.binds[state.index.get(bind)!]!;
    const at = b.heads ? `, stays at ${formatRevisions(b.heads)}` : '';
    // A partly applied revision whose progress is recorded (MySQL/MariaDB) is in flight: running
    // again resumes it, once what failed is fixed (as it is, it fails the same way).
    const retry = retryOf([bind]);
    const resume = retry.length ? finishing(retry) : `run the ${command} again`;
    const inFlight = b.error?.partial && b.error.resumable ? ` with it partly applied (fix what failed, then ${resume} to resume)` : '';
    parts.push(b.revision ? `${bind} failed at ${b.revision}${at}${inFlight}` : `${bind} failed`);
  }
  if (failures.length < s.failed.length) parts.push(`${formatCount(s.failed.length - failures.length)} more failed`);
  if (s.stopped.length) parts.push(`${nameList(s.stopped)} not run`);
  if (s.interrupted.length) {
    const retry = retryOf(s.interrupted);
    parts.push(`${nameList(s.interrupted)} interrupted (${retry.length ? `to go on with just what the ${command} meant: ${finishing(retry)}` : `run the ${command} again to go on`})`);
  }
  if (s.unchanged.length) parts.push(`${nameList(s.unchanged)} already at target`);
  // Stopped (ctrl+c) during the last revisions, which finished: as the CLI says, nothing was left.
  if (state.interrupted && !s.interrupted.length) parts.push('interrupted during the last revision, which completed: nothing was left to run');
  const what = state.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const ended = s.interrupted.length || state.interrupted ? 'stopped' : 'finished';
  const when = state.finishedAt === undefined ? `running for ${formatDuration(s.elapsedMs)}` : `${ended} in ${formatDuration(s.elapsedMs)}`;
  // The run completed; the codegen after it did not (`codegen: 'after-run'`).
  const codegen = state.codegenFailures.map((f) => ` Types not regenerated: ${f.reason.replace(/\.?\s*$/, '')} (run 'migrate codegen' once fixed).`).join('');
  return `${what} ${when}: ${parts.join('; ') || 'nothing to run'}.${codegen}`;
}
