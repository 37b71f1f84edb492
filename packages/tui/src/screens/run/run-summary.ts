import type { RetryByHand } from '../../run/run-message.js';
import { formatCount, formatDuration, formatRevisions, nameList } from '../../shared/format.js';
import { summarizeRun, type RunState } from './use-run-state.js';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** Failures a summary describes (where each stays) before it counts the rest. */
const FAILURES = 3;

/**
 * Targets the command that finishes a stopped run names before it counts the rest, as core's
 * messages name them (its `LIST_MAX`); `RunState.retry` keeps them all.
 */
const TARGETS_SHOWN = 20;

/**
 * What no command finishes: a downgrade of one line of a branch with several heads, stopped part
 * way (`RunState.relative` without `retry`), as core's message says it.
 */
const NO_DOWNGRADE =
  "no downgrade of each bind left to one of its revisions takes it just where the run meant (a revision of another line of its branch would stay applied): 'migrate current' shows where each stands";

/** How a run ended, in two sentences: what it did, and what to do next. */
export interface RunDescription {
  /**
   * What the run did, per kind of bind (upgraded, failed and where it stays, not run,
   * interrupted, already at target), and why the types were not regenerated when the codegen
   * after it failed: `'Upgrade finished in 2.4 s: default upgraded (1 revision); db2 failed at
   * b2, stays at b1.'`.
   */
  readonly outcome: string;
  /**
   * How to finish a run that a failure or a ctrl+c stopped part way, as `migrate upgrade` and
   * `migrate downgrade` say it: the same run again (`'Running the upgrade again, once what failed
   * is fixed, runs only what is left.'`, `'Run the upgrade again to go on.'`); for targets that
   * count revisions from where each bind stands (the downgrade screen's `db2@-2`), which would
   * step again the binds that ran, the commands that finish just what they meant (their errors'
   * `retry`) and the binds to give their revision by hand (`retryByHand`), or, when no command
   * finishes it (a downgrade of one line of a branch with several heads: their errors' `relative`
   * alone), that `migrate current` shows where each bind stands. `undefined` when nothing is left
   * to do (every bind at its target).
   */
  readonly next: string | undefined;
}

/** Options of {@link describeRunParts} and {@link describeRun}. */
export interface DescribeRunOptions {
  /**
   * Name every target of the command that finishes a stopped run (default `false`: the first 20,
   * then `(and N more)`, which is what fits a screen). The summary the TUI prints when it closes
   * names them all: nothing else shows the rest (the CLI's error has them in `--json`).
   */
  readonly allTargets?: boolean;
}

/**
 * How a run ended, as {@link describeRun} says it, in its two parts: the run screen shows
 * {@link RunDescription.next} whole under the outcome, however narrow the terminal.
 * @param state - the run (finished, or running: then the outcome says so).
 * @param options - {@link DescribeRunOptions} (`allTargets`).
 * @returns the outcome and what to do next.
 * @example
 * ```ts
 * const { outcome, next } = describeRunParts(initialRunState('down', [{ binds: ['db2'] }], 0));
 * console.log(outcome); // 'Downgrade running for 0.0 s: nothing to run.'
 * // A downgrade to db2@-2 that failed at its second step: 'Running the downgrade again would step
 * // again the binds that ran; to finish just what it meant, once what failed is fixed, run instead:
 * // migrate downgrade db2@5e5e5e5e5e02.'
 * if (next !== undefined) console.log(next);
 * ```
 */
export function describeRunParts(state: RunState, options: DescribeRunOptions = {}): RunDescription {
  const s = summarizeRun(state);
  const verb = state.direction === 'up' ? 'upgraded' : 'downgraded';
  const command = state.direction === 'up' ? 'upgrade' : 'downgrade';
  // Relative targets stopped part way (RunState.retry): the command that finishes what they meant
  // (a downgrade takes one target: one command per target), the first 20 targets then how many
  // more, as the CLI says it (2,000 tenants make no 2,000-target line).
  const finishing = (targets: readonly string[]) => {
    const shown = options.allTargets ? targets : targets.slice(0, TARGETS_SHOWN);
    const run = command === 'upgrade' ? `migrate upgrade ${shown.join(' ')}` : shown.map((t) => `migrate downgrade ${t}`).join('; ');
    return targets.length > shown.length ? `${run} (and ${formatCount(targets.length - shown.length)} more)` : run;
  };
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
  if (s.interrupted.length) parts.push(`${nameList(s.interrupted)} interrupted`);
  if (s.unchanged.length) parts.push(`${nameList(s.unchanged)} already at target`);
  // Stopped (ctrl+c) during the last revisions, which finished: as the CLI says, nothing was left.
  if (state.interrupted && !s.interrupted.length) parts.push('interrupted during the last revision, which completed: nothing was left to run');
  const what = state.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const ended = s.interrupted.length || state.interrupted ? 'stopped' : 'finished';
  const when = state.finishedAt === undefined ? `running for ${formatDuration(s.elapsedMs)}` : `${ended} in ${formatDuration(s.elapsedMs)}`;
  // The run completed; the codegen after it did not (`codegen: 'after-run'`).
  const codegen = state.codegenFailures.map((f) => ` Types not regenerated: ${f.reason.replace(/\.?\s*$/, '')} (run 'migrate codegen' once fixed).`).join('');
  const outcome = `${what} ${when}: ${parts.join('; ') || 'nothing to run'}.${codegen}`;

  // What to do next, read from the errors that stopped the parts, as the CLI's last line says it.
  const failed = s.failed.length > 0 || s.stopped.length > 0;
  let next: string | undefined;
  if (state.relative.length || state.retry.length || state.retryByHand.length) {
    const fixed = failed ? 'once what failed is fixed, ' : '';
    const steps = [`Running the ${command} again would step again the binds that ran`];
    if (state.retry.length) steps.push(`to finish just what it meant, ${fixed}run instead: ${finishing(state.retry)}`);
    steps.push(...byHandSteps(command, state.retryByHand));
    // No command finishes it, as core's message says (a downgrade of one line of a branch with
    // several heads: no `<bind>@<revision>` takes a bind just there).
    if (steps.length === 1) steps.push(command === 'downgrade' ? NO_DOWNGRADE : 'give each bind left the revision the run planned for it instead');
    next = `${steps.join('; ')}.`;
  } else if (failed) next = `Running the ${command} again, once what failed is fixed, runs only what is left.`;
  else if (s.interrupted.length) next = `Run the ${command} again to go on.`;
  return { outcome, next };
}

/**
 * What to do by hand for binds a relative run never reached whose targets follow a line of a
 * forked branch (see {@link RunState.retryByHand}), as core's message says it: binds given the
 * same targets together, `for t3 (nothing was read there), 'fa@+1' moves along the line of 'fa'
 * on a forked branch, …`.
 */
function byHandSteps(command: 'upgrade' | 'downgrade', byHand: readonly RetryByHand[]): string[] {
  const groups = new Map<string, { readonly targets: readonly string[]; readonly binds: string[] }>();
  for (const { bind, targets } of byHand) {
    const key = targets.join('\u0000');
    const group = groups.get(key);
    if (group) group.binds.push(bind);
    else groups.set(key, { targets, binds: [bind] });
  }
  return [...groups.values()].map(({ targets, binds }) => {
    const one = binds.length === 1;
    const quoted = targets.map((t) => `'${t}'`).join(' ');
    // One target: the line it names (`fa@+1`: the line of 'fa').
    const qualifier = targets.length === 1 && targets[0]!.includes('@') ? targets[0]!.slice(0, targets[0]!.indexOf('@')) : undefined;
    const follows = qualifier !== undefined ? `moves along the line of '${qualifier}' on a forked branch` : targets.length === 1 ? 'moves along a line of a forked branch' : 'move along lines of a forked branch';
    const leads = targets.length === 1 ? 'leads' : 'lead';
    const bind = one ? binds[0]! : '<bind>';
    return (
      `for ${nameList(binds)} (nothing was read there), ${quoted} ${follows}, which no target says for one bind alone: ` +
      `once ${one ? 'it' : 'each'} can be reached, ${command} it to the revision that ${quoted} ${leads} it to from where it stands ` +
      `(migrate current ${bind} shows where; then migrate ${command} ${bind}@<revision>)`
    );
  });
}

/**
 * One line summing up a run, for the terminal after the TUI closes: what it did
 * ({@link RunDescription.outcome}), then, for a run a failure or a ctrl+c stopped part way, how
 * to finish it ({@link RunDescription.next}). With many binds it names the first few of each kind
 * and counts the rest. A codegen after the run that failed (`codegen: 'after-run'`) adds a
 * sentence naming why. How to finish is what `migrate upgrade` and `migrate downgrade` say: run it
 * again (`Running the upgrade again, once what failed is fixed, runs only what is left.`, `Run the
 * downgrade again to go on.`); or, when its targets counted revisions from where each bind stood
 * (a downgrade to `db2@-3`), which would step again what ran, the commands that finish just what
 * they meant (`… run instead: migrate downgrade db2@5e5e5e5e5e02.`; the first 20 targets, then
 * `(and 5 more)`, as the CLI names them, or every one with `allTargets`, as the TUI prints it when
 * it closes; {@link RunState.retry} has them all) and what to give by
 * hand to a bind never reached whose target follows a line of a forked branch, or that no command
 * does (a downgrade of one line of a branch with several heads, `fa@-2`); for a revision partly
 * applied, the failed bind's part also says what resumes it. Stopped during the last revisions:
 * that nothing was left to run.
 * @param state - the run (finished, or running: then it says so).
 * @param options - {@link DescribeRunOptions} (`allTargets`: name every target).
 * @returns one line: the outcome, then what to do next, if anything.
 * @example
 * ```ts
 * describeRun(initialRunState('up', [{ binds: ['db2'] }], 0)); // 'Upgrade running for 0.0 s: nothing to run.'
 * // Once finished, after a failure: 'Upgrade finished in 2.4 s: default upgraded (1 revision); db2 failed
 * // at b2, stays at b1. Running the upgrade again, once what failed is fixed, runs only what is left.'
 * ```
 */
export function describeRun(state: RunState, options: DescribeRunOptions = {}): string {
  const { outcome, next } = describeRunParts(state, options);
  return next === undefined ? outcome : `${outcome} ${next}`;
}
