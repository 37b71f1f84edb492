import { listArgument } from './list-argument.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { revisionHistory } from '../script/revision-history.js';
import { planUpgrade } from '../script/planner.js';
import type { RevisionMap } from '../script/revision-map.js';

/** A revision of another bind's branch that a pending revision depends on. */
export interface CrossBindDependency {
  /** The revision depended on. */
  readonly revision: string;
  /** Its branch. */
  readonly branch: string;
  /** Binds on that branch (where the revision runs or has run). */
  readonly binds: readonly string[];
  /** Whether the upgrade runs it too (false: already applied). */
  readonly inPlan: boolean;
}

/** One pending revision of one bind, in run order. */
export interface ReviewStep {
  /** The bind the step runs on. */
  readonly bind: string;
  /** The revision it runs. */
  readonly revision: string;
  /** The revision's message. */
  readonly message: string;
  /** Absolute path of the revision file. */
  readonly file: string;
  /** Its down revisions. */
  readonly downRevisions: readonly string[];
  /** 1-based position among the bind's steps. */
  readonly index: number;
  /** Number of steps of the bind. */
  readonly total: number;
  /** Revisions of other branches it depends on, and whether the upgrade runs them too. */
  readonly dependsOn: readonly CrossBindDependency[];
}

/** A revision of a bind's branch in its history (newest first), with where the bind stands. */
export interface ReviewHistoryEntry {
  /** The revision id. */
  readonly revision: string;
  /** Its message. */
  readonly message: string;
  /** `current`: a version-table row; `applied`: below it; `pending`: the upgrade runs it; `other`: neither. */
  readonly state: 'current' | 'applied' | 'pending' | 'other';
  /** Whether it is a head of the branch. */
  readonly isHead: boolean;
}

/** The review of one bind. */
export interface ReviewBind {
  /** The bind's name. */
  readonly bind: string;
  /** False when the bind is in the plan only because a selected bind depends on it. */
  readonly selected: boolean;
  /** Its version-table rows (`[]`: base). */
  readonly current: readonly string[];
  /** Its pending revisions, in run order. */
  readonly steps: readonly ReviewStep[];
  /** Its branch's revisions, newest first, each with where the bind stands. */
  readonly history: readonly ReviewHistoryEntry[];
}

/** An upgrade of selected binds to their heads, planned but not run. */
export interface UpgradeReview {
  /** The targets a run is given (`db2@head`, or `db2@heads` for a branch with several heads). */
  readonly targets: readonly string[];
  /** Selected binds first (in the order given), then binds pulled in through depends-on. */
  readonly binds: readonly ReviewBind[];
  /** Number of steps of the whole upgrade, over every bind. */
  readonly totalSteps: number;
}

/** A step a downgrade will run. */
export interface DowngradeStep {
  /** The bind the step runs on. */
  readonly bind: string;
  /** The revision it downgrades. */
  readonly revision: string;
  /** The revision's message. */
  readonly message: string;
}

/** A downgrade planned for confirmation. */
export interface DowngradeReview {
  /** The downgrade target as given. */
  readonly target: string;
  /** The steps, in run order. */
  readonly steps: readonly DowngradeStep[];
}

/** `db2@head`, or `db2@heads` when the branch has several heads (each is upgraded; merge them later). */
function upgradeTarget(bind: string, heads: readonly string[]): string {
  return heads.length > 1 ? `${bind}@heads` : `${bind}@head`;
}

/** A branch's history, newest first, with where the bind stands. */
function branchHistory(map: RevisionMap, branch: string, current: readonly string[], pending: ReadonlySet<string>): ReviewHistoryEntry[] {
  const applied = new Set(current.length ? map.ancestors(current, { inclusive: true }) : []);
  return revisionHistory(map)
    .filter((s) => s.branch === branch)
    .map((s) => ({
      revision: s.revision,
      message: s.message,
      state: current.includes(s.revision) ? 'current' : applied.has(s.revision) ? 'applied' : pending.has(s.revision) ? 'pending' : 'other',
      isHead: map.isHead(s.revision),
    }));
}

/**
 * Plans the upgrade of the given binds to their heads without running it (the TUI's review
 * screen): each bind's pending revisions in run order with the revisions of other binds they
 * depend on, plus the bind's history with where it stands. Binds pulled in through depends-on
 * are listed after the selected ones. Creates nothing: a bind whose database does not exist yet
 * (a missing SQLite file, a PostgreSQL bind's missing schema) is at base.
 *
 * @param binds - the selected binds (one bind: its name).
 * @throws the planner's errors (`VersionTableError`, `RevisionError`), connection errors.
 * @example
 * ```ts
 * const review = await commands.reviewUpgrade(env, ['db2']);
 * for (const b of review.binds) console.log(b.bind, b.steps.map((s) => s.revision));
 * ```
 */
export async function reviewUpgrade(env: MigrationEnvironment, binds: string | readonly string[]): Promise<UpgradeReview> {
  const map = await env.revisionMap();
  binds = listArgument(binds, 'reviewUpgrade() binds', "'db2'");
  const targets = binds.map((b) => upgradeTarget(b, map.heads(env.bind(b).branch)));
  // Read as `current` reads, creating nothing: a bind whose database does not exist yet is at base.
  const linked = await env.bindsForTargets(targets, 'up');
  const current = await env.currentHeads(linked);
  const plan = planUpgrade(map, linked.map((bind) => ({ bind, branch: env.bind(bind).branch, heads: current.get(bind) ?? [] })), targets);
  const inPlan = new Set(plan.steps.map((s) => s.revision));
  const involved = [...new Set([...binds, ...plan.steps.map((s) => s.bind)])];
  const branchBinds = (branch: string) => env.binds.filter((x) => x.branch === branch).map((x) => x.name);
  const reviewBinds: ReviewBind[] = involved.map((bind) => {
    const own = plan.steps.filter((s) => s.bind === bind);
    const steps: ReviewStep[] = own.map((s, i) => ({
      bind,
      revision: s.revision,
      message: s.script.message,
      file: s.script.path,
      downRevisions: s.script.downRevisions,
      index: i + 1,
      total: own.length,
      dependsOn: map
        .dependencies(s.revision)
        .filter((d) => map.get(d).branch !== s.script.branch)
        .map((d) => {
          const branch = map.get(d).branch;
          return { revision: d, branch, binds: branchBinds(branch), inPlan: inPlan.has(d) };
        }),
    }));
    const heads = current.get(bind) ?? [];
    return { bind, selected: binds.includes(bind), current: heads, steps, history: branchHistory(map, env.bind(bind).branch, heads, new Set(own.map((s) => s.revision))) };
  });
  return { targets, binds: reviewBinds, totalSteps: plan.steps.length };
}

/**
 * Plans a downgrade without running it, for a confirmation that names what will run.
 *
 * @param target - a downgrade target (`db2@-1`, `db2@base`, a revision…).
 * @throws the planner's errors (`BindRequiredError`, `DependencyError`, …), connection errors.
 * @example
 * ```ts
 * const { steps } = await commands.reviewDowngrade(env, 'db2@-1');
 * ```
 */
export async function reviewDowngrade(env: MigrationEnvironment, target: string): Promise<DowngradeReview> {
  const plan = await env.planDowngrade(target);
  return { target, steps: plan.steps.map((s) => ({ bind: s.bind, revision: s.revision, message: s.script.message })) };
}
