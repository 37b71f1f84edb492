import { crossBindWaits, type Plan } from './planner.js';
import type { RevisionMap } from './revision-map.js';

/**
 * The steps of a plan that cannot run when no step of `binds` runs (binds that cannot be
 * connected): each step of those binds, every step that waits on one of them (through
 * {@link crossBindWaits}, transitively), and every later step of a bind one of them stops (a
 * bind's steps run in order). What a concurrent run skips when those binds fail before their
 * first step; a step of another bind that fails at run time stops more.
 *
 * @param map - the revision map the plan was made from.
 * @param plan - an upgrade or downgrade plan.
 * @param binds - the binds none of whose steps runs.
 * @returns the indexes of the steps that cannot run, in plan order.
 * @throws {@link RevisionNotFoundError} when a step's revision is not in the map.
 * @example
 * ```ts
 * // b1 depends on a1; bind a cannot be connected:
 * stepsWaitingOn(map, planUpgrade(map, [{ bind: 'a', branch: 'a', heads: [] }, { bind: 'b', branch: 'b', heads: [] }], []), ['a']);
 * // [0, 1]: a's step a1, and b's step b1 that waits on it
 * ```
 */
export function stepsWaitingOn(map: RevisionMap, plan: Plan, binds: readonly string[]): number[] {
  if (binds.length === 0) return [];
  const down = new Set(binds);
  const waits = crossBindWaits(map, plan);
  const stopped = new Set<string>(down); // binds whose next steps cannot run
  const out = new Set<number>();
  // Plan order: every step a step waits on comes before it.
  plan.steps.forEach((step, i) => {
    if (stopped.has(step.bind) || waits[i]!.some((w) => out.has(w))) {
      stopped.add(step.bind);
      out.add(i);
    }
  });
  return [...out];
}
