// The steps a concurrent run cannot run when some binds are unreachable: pure, from plan literals.
import { describe, expect, it } from 'vitest';
import { planUpgrade, type BindState } from './planner.js';
import { RevisionMap } from './revision-map.js';
import { stepsWaitingOn } from './steps-waiting-on.js';
import { rev } from '../testing/revision-fixture.js';

const bind = (name: string, heads: readonly string[] = []): BindState => ({ bind: name, branch: name, heads });

describe('stepsWaitingOn', () => {
  const map = new RevisionMap([
    rev('c1', null, 'c'),
    rev('c2', 'c1', 'c'),
    rev('w1', null, 'w'),
    rev('w2', 'w1', 'w', { dependsOn: ['c1'] }),
    rev('w3', 'w2', 'w'),
    rev('y1', null, 'y', { dependsOn: ['w2'] }),
    rev('z1', null, 'z'),
  ]);
  const name = (plan: ReturnType<typeof planUpgrade>, list: number[]) => list.map((i) => `${plan.steps[i]!.bind}:${plan.steps[i]!.revision}`);

  it("the binds' own steps, what waits on them (transitively), and the later steps of a bind stopped", () => {
    const plan = planUpgrade(map, [bind('c'), bind('w'), bind('y'), bind('z')], []);
    expect(name(plan, stepsWaitingOn(map, plan, ['c'])).sort()).toEqual(['c:c1', 'c:c2', 'w:w2', 'w:w3', 'y:y1']);
  });

  it('a dependency already applied stops nothing; no binds, no steps', () => {
    const plan = planUpgrade(map, [bind('c', ['c1']), bind('w'), bind('y'), bind('z')], []);
    expect(name(plan, stepsWaitingOn(map, plan, ['c']))).toEqual(['c:c2']);
    expect(stepsWaitingOn(map, plan, [])).toEqual([]);
  });
});
