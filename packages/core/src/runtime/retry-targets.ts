import type { Plan } from '../script/planner.js';
import type { RevisionTarget } from '../script/revision-target.js';

/**
 * Where a plan leads each bind it concerns: the version-table rows after the bind's last step
 * (`[]`: base), or `null` for a bind it has no step for (at its target already).
 * @param plan - a plan, as the planner made it.
 * @returns `[bind, rows | null]` per bind of the plan, in the plan's order of binds, then binds
 *   that only its steps name.
 * @example
 * ```ts
 * planTargets(planUpgrade(map, states, ['+2'])); // [['t1', ['7a7a7a7a7a03']], ['t2', null]]
 * ```
 * @internal
 */
export function planTargets(plan: Plan): [string, readonly string[] | null][] {
  const after = new Map<string, readonly string[] | null>(plan.binds.map((b) => [b, null]));
  for (const step of plan.steps) after.set(step.bind, step.headsAfter);
  return [...after];
}

/**
 * The targets that finish what a run's targets meant for the binds it left short of them,
 * without stepping again the binds that ran (what running targets that count revisions from
 * where each bind stands, `+2`, `tenant@-1`, again would do). Per bind, in the order given:
 * `'<bind>@<revision>'` for each row its plan led to (`'<bind>@base'` for none): exact, whatever
 * the bind ran before it stopped; a bind planned without steps (at its target) gets none. A bind
 * that was never planned (nothing was read there: it could not be reached, or its group stopped
 * before its turn's plan and was not planned ahead) ran nothing, so the targets that concern it
 * still mean what they meant, written for that bind alone: a target naming it as is (`'t2@+1'`),
 * another one scoped to it (`'+1'` → `'t2@+1'`, `'tenant@head'` → `'t2@head'`).
 * @param short - the binds the run left short of their targets (each once, in run order).
 * @param targetOf - where a bind's plan led it, as {@link planTargets} says (`undefined`: never planned).
 * @param targets - the run's targets, as parsed (the text as written and its target).
 * @returns the targets, as `migrate upgrade`/`downgrade` and `MigrationEnvironment.upgrade` take them.
 * @example
 * ```ts
 * retryTargets(['t2'], (b) => (b === 't2' ? ['7a7a7a7a7a02'] : undefined), []); // ['t2@7a7a7a7a7a02']
 * ```
 * @internal
 */
export function retryTargets(
  short: readonly string[],
  targetOf: (bind: string) => readonly string[] | null | undefined,
  targets: readonly { readonly text: string; readonly target: RevisionTarget }[],
): string[] {
  return short.flatMap((bind) => {
    const planned = targetOf(bind);
    if (planned === null) return [];
    if (planned !== undefined) return planned.length ? planned.map((revision) => `${bind}@${revision}`) : [`${bind}@base`];
    return targets
      .filter(({ target }) => target.scope === undefined || target.scope.binds.includes(bind))
      .map(({ text, target }) => {
        const written = text.trim();
        return target.scope?.via === 'bind' ? written : `${bind}@${written.slice(written.lastIndexOf('@') + 1)}`;
      });
  });
}
