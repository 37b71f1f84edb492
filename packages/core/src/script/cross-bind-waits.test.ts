// Cross-bind waits of a plan (DESIGN §8, option `concurrency`): pure, from plan literals.
import { describe, expect, it } from 'vitest';
import { crossBindWaits, planDowngrade, planUpgrade, type BindState, type Plan } from './planner.js';
import { RevisionMap } from './revision-map.js';
import { rev } from '../testing/revision-fixture.js';

const bind = (name: string, heads: readonly string[] = [], branch = name): BindState => ({ bind: name, branch, heads });

/** Each step as `bind:revision <- [bind:revision, ...]` (the steps it waits for). */
function waits(map: RevisionMap, plan: Plan): string[] {
  const name = (i: number) => `${plan.steps[i]!.bind}:${plan.steps[i]!.revision}`;
  return crossBindWaits(map, plan).map((list, i) => `${name(i)} <- [${list.map(name).join(', ')}]`);
}

describe('crossBindWaits', () => {
  it('independent binds wait for nothing', () => {
    const map = new RevisionMap([rev('a1', null, 'a'), rev('a2', 'a1', 'a'), rev('b1', null, 'b'), rev('b2', 'b1', 'b'), rev('c1', null, 'c')]);
    const plan = planUpgrade(map, [bind('a'), bind('b'), bind('c')], []);
    expect(waits(map, plan)).toEqual(['a:a1 <- []', 'a:a2 <- []', 'b:b1 <- []', 'b:b2 <- []', 'c:c1 <- []']);
  });

  it('upgrade: a step waits for the step of another bind it depends on (not for earlier or later ones)', () => {
    const map = new RevisionMap([
      rev('a1', null, 'a'),
      rev('a2', 'a1', 'a'),
      rev('a3', 'a2', 'a'),
      rev('b1', null, 'b'),
      rev('b2', 'b1', 'b', { dependsOn: ['a2'] }),
    ]);
    const plan = planUpgrade(map, [bind('a'), bind('b')], []);
    // a2 and its ancestry a1 (transitive), not a3.
    expect(waits(map, plan)).toEqual(['a:a1 <- []', 'a:a2 <- []', 'a:a3 <- []', 'b:b1 <- []', 'b:b2 <- [a:a1, a:a2]']);
  });

  it('upgrade: depends-on is followed transitively across branches', () => {
    const map = new RevisionMap([rev('x1', null, 'x'), rev('y1', null, 'y', { dependsOn: ['x1'] }), rev('z1', null, 'z', { dependsOn: ['y1'] })]);
    const plan = planUpgrade(map, [bind('z'), bind('y'), bind('x')], []);
    expect(waits(map, plan)).toEqual(['x:x1 <- []', 'y:y1 <- [x:x1]', 'z:z1 <- [x:x1, y:y1]']);
  });

  it('upgrade: an applied dependency gives no wait', () => {
    const map = new RevisionMap([rev('a1', null, 'a'), rev('b1', null, 'b', { dependsOn: ['a1'] })]);
    const plan = planUpgrade(map, [bind('a', ['a1']), bind('b')], []);
    expect(waits(map, plan)).toEqual(['b:b1 <- []']);
  });

  it('binds sharing a branch do not wait for each other through ancestry, but both satisfy a depends-on', () => {
    const map = new RevisionMap([
      rev('r1', null, 'main'),
      rev('c1', null, 'tenant'),
      rev('c2', 'c1', 'tenant', { dependsOn: ['r1'] }),
    ]);
    const plan = planUpgrade(map, [bind('main'), bind('t1', [], 'tenant'), bind('t2', [], 'tenant')], []);
    expect(waits(map, plan)).toEqual(['main:r1 <- []', 't1:c1 <- []', 't1:c2 <- [main:r1]', 't2:c1 <- []', 't2:c2 <- [main:r1]']);
  });

  it('downgrade: a step waits for the removal of its dependents in other binds', () => {
    const map = new RevisionMap([
      rev('a1', null, 'a'),
      rev('a2', 'a1', 'a'),
      rev('b1', null, 'b'),
      rev('b2', 'b1', 'b', { dependsOn: ['a1'] }),
      rev('c1', null, 'c', { dependsOn: ['b1'] }),
    ]);
    const plan = planDowngrade(map, [bind('a', ['a2']), bind('b', ['b2']), bind('c', ['c1'])], 'base');
    const w = waits(map, plan);
    // a1 waits for b2 (its dependent) only: c1 depends on b1, which does not descend from a1.
    expect(w).toContain('a:a1 <- [b:b2]');
    expect(w).toContain('a:a2 <- []');
    expect(w).toContain('b:b2 <- []');
    expect(w).toContain('b:b1 <- [c:c1]');
    expect(w).toContain('c:c1 <- []');
  });

  it('only lists earlier steps, so the waits follow the plan order', () => {
    const map = new RevisionMap([rev('x1', null, 'x'), rev('y1', null, 'y', { dependsOn: ['x1'] }), rev('z1', null, 'z', { dependsOn: ['y1'] })]);
    const plan = planUpgrade(map, [bind('x'), bind('y'), bind('z')], []);
    crossBindWaits(map, plan).forEach((list, i) => list.forEach((w) => expect(w).toBeLessThan(i)));
  });
});
