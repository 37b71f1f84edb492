import type { BindProgress, RunState } from './use-run-state.js';

/**
 * How the run screen counts a bind: `done` (done, or already at its target), `running` (a
 * revision is running, it waits for its lock, or it is between two of its revisions), `failed`,
 * `pending` (not started yet), `stopped` (not run: another bind of its part failed) or
 * `interrupted` (the run was stopped, ctrl+c, before the bind reached its target).
 */
export type ProgressCategory = 'done' | 'running' | 'failed' | 'pending' | 'stopped' | 'interrupted';

/** Binds per {@link ProgressCategory}, and their total. */
export interface CategoryCounts {
  /** Binds done or already at their target. */
  readonly done: number;
  /** Binds running a revision, waiting for their lock, or between two revisions. */
  readonly running: number;
  /** Binds that failed. */
  readonly failed: number;
  /** Binds not started yet. */
  readonly pending: number;
  /** Binds not run because another bind of their part failed. */
  readonly stopped: number;
  /** Binds the run's stop (ctrl+c) left before their target. */
  readonly interrupted: number;
  /** All of them. */
  readonly total: number;
}

/** The counts of one version branch's binds (tenants sharing a history). */
export interface BranchProgress extends CategoryCounts {
  /** The branch. */
  readonly branch: string;
}

/** A run summed up for a screen too small to give each bind a line. */
export interface RunOverview {
  /** Counts over every bind. */
  readonly all: CategoryCounts;
  /** Counts per branch, in the order the branches first appear among the binds. */
  readonly branches: readonly BranchProgress[];
  /** The binds worth a line of their own: the running ones, then the failed ones (each in run order). */
  readonly attention: readonly BindProgress[];
}

/**
 * The {@link ProgressCategory} of a bind.
 * @example
 * ```ts
 * progressCategory(initialRunState('up', [{ binds: ['db2'] }], 0).binds[0]!); // 'pending'
 * ```
 */
export function progressCategory(b: BindProgress): ProgressCategory {
  switch (b.phase) {
    case 'done':
    case 'nothing-to-do':
      return 'done';
    case 'running':
    case 'waiting-lock':
      return 'running';
    case 'ready':
      return b.completed > 0 ? 'running' : 'pending';
    case 'starting':
      return 'pending';
    case 'failed':
      return 'failed';
    case 'stopped':
      return 'stopped';
    case 'interrupted':
      return 'interrupted';
  }
}

type MutableCounts = { -readonly [K in keyof CategoryCounts]: CategoryCounts[K] };
const zero = (): MutableCounts => ({ done: 0, running: 0, failed: 0, pending: 0, stopped: 0, interrupted: 0, total: 0 });

/**
 * Sums a run up by category, overall and per branch, and picks the binds to show in detail:
 * one pass over the binds, whatever their number.
 * @param state - the run.
 * @returns the counts and the running and failed binds.
 * @example
 * ```ts
 * const state = initialRunState('up', [{ binds: ['t1', 't2'] }], Date.now(), { t1: 'tenant', t2: 'tenant' });
 * const { all, branches } = runOverview(state);
 * console.log(`${all.done} of ${all.total} done`, branches.map((b) => b.branch)); // '0 of 2 done', ['tenant']
 * ```
 */
export function runOverview(state: RunState): RunOverview {
  const all = zero();
  const branches = new Map<string, MutableCounts & { branch: string }>();
  const running: BindProgress[] = [];
  const failed: BindProgress[] = [];
  for (const b of state.binds) {
    const category = progressCategory(b);
    let branch = branches.get(b.branch);
    if (!branch) branches.set(b.branch, (branch = { branch: b.branch, ...zero() }));
    all[category]++;
    all.total++;
    branch[category]++;
    branch.total++;
    if (category === 'running') running.push(b);
    else if (category === 'failed') failed.push(b);
  }
  return { all, branches: [...branches.values()], attention: [...running, ...failed] };
}
