import type { BindState, Plan } from '../script/planner.js';
import type { RevisionMap } from '../script/revision-map.js';

/** What {@link replayPlan} found. */
export interface PlanReplay {
  /** Each bind's version-table rows after the plan, in revision order. */
  readonly rows: Map<string, readonly string[]>;
  /** Each bind's applied revisions after the plan. */
  readonly applied: Map<string, ReadonlySet<string>>;
  /** What the plan got wrong (at most 10); `[]` for a valid plan. */
  readonly problems: readonly string[];
  /** How many times each `bind:revision` ran up and down. */
  readonly runs: Map<string, { up: number; down: number }>;
}

/**
 * Replays a plan against the binds' rows and checks it: each step's headsBefore is the bind's
 * rows at that point; an upgrade step's predecessors (down revisions and same-branch depends-on)
 * are applied in its bind and its cross-branch depends-on in every bind of that branch, and it is
 * not applied yet; a downgrade step removes a head no remaining revision of any bind depends on;
 * headsAfter are the heads of the applied set. Plain checks collected into a list, so a
 * 5,000-revision plan replays fast. Test support only: not part of the build.
 *
 * @example
 * ```ts
 * expect(replayPlan(map, binds, planUpgrade(map, binds, ['head'])).problems).toEqual([]);
 * ```
 */
export function replayPlan(map: RevisionMap, binds: readonly BindState[], plan: Plan): PlanReplay {
  const problems: string[] = [];
  const check = (ok: boolean, what: () => string): void => {
    if (!ok && problems.length < 10) problems.push(what());
  };
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const byIndex = (x: string, y: string): number => map.indexOf(x) - map.indexOf(y);
  const rows = new Map<string, readonly string[]>(binds.map((b) => [b.bind, [...new Set(b.heads)].sort(byIndex)]));
  const applied = new Map(binds.map((b) => [b.bind, new Set(b.heads.length ? map.ancestors(b.heads, { inclusive: true }) : [])]));
  const runs = new Map<string, { up: number; down: number }>();
  const isHead = (set: ReadonlySet<string>, id: string): boolean => set.has(id) && !map.successors(id).some((s) => set.has(s));
  for (const step of plan.steps) {
    const at = `${step.bind}:${step.revision}`;
    const count = runs.get(at) ?? { up: 0, down: 0 };
    runs.set(at, count);
    count[step.direction]++;
    check(rows.has(step.bind), () => `${at}: bind not given to the planner`);
    if (!rows.has(step.bind)) continue;
    check(same(step.headsBefore, rows.get(step.bind)!), () => `${at} headsBefore ${step.headsBefore} != ${rows.get(step.bind)}`);
    const mine = applied.get(step.bind)!;
    if (step.direction === 'up') {
      check(!mine.has(step.revision), () => `${at} applied twice`);
      for (const p of map.predecessors(step.revision)) check(mine.has(p), () => `${at} before its predecessor ${p}`);
      for (const dep of map.dependencies(step.revision)) {
        const depBranch = map.get(dep).branch;
        if (depBranch === step.script.branch) continue;
        for (const other of binds.filter((b) => b.branch === depBranch)) check(applied.get(other.bind)!.has(dep), () => `${at} before ${other.bind}:${dep}`);
      }
      mine.add(step.revision);
    } else {
      check(isHead(mine, step.revision), () => `${at} removed while not a head`);
      mine.delete(step.revision);
      for (const dependent of map.dependents(step.revision)) {
        if (map.get(dependent).branch === step.script.branch) continue;
        for (const other of binds.filter((b) => b.branch === map.get(dependent).branch)) {
          check(!applied.get(other.bind)!.has(dependent), () => `${at} removed before ${other.bind}:${dependent}`);
        }
      }
    }
    // headsAfter are heads of the applied set; in full while the set is small, else around the step.
    if (mine.size <= 200) {
      const expected = [...mine].filter((id) => isHead(mine, id)).sort(byIndex);
      check(same(step.headsAfter, expected), () => `${at} headsAfter ${step.headsAfter} != ${expected}`);
    } else {
      for (const head of step.headsAfter) check(isHead(mine, head), () => `${at} headsAfter holds ${head}, not a head`);
      for (const p of [step.revision, ...map.predecessors(step.revision)]) {
        if (isHead(mine, p)) check(step.headsAfter.includes(p), () => `${at} headsAfter misses ${p}`);
      }
    }
    rows.set(step.bind, step.headsAfter);
  }
  return { rows, applied, problems, runs };
}
