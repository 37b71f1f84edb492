import { describe, expect, it } from 'vitest';
import {
  AmbiguousRevisionError,
  BindRequiredError,
  DependencyError,
  DowngradeTargetError,
  MultipleHeadsError,
  RevisionError,
  RevisionNotFoundError,
  SharedBranchError,
  UnknownBindError,
  VersionTableError,
} from '../errors.js';
import { planDowngrade, planStamp, planUpgrade, type BindState, type Plan } from './planner.js';
import { RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';
import { rev, thrown } from '../testing/revision-fixture.js';
import { replayPlan } from '../testing/plan-replay.js';



const bind = (name: string, heads: readonly string[] = [], branch = name): BindState => ({ bind: name, branch, heads });

/** `bind:revision` of each step, in order. */
const steps = (plan: Plan): string[] => plan.steps.map((s) => `${s.bind}:${s.revision}`);

/** Replays a plan (see replayPlan) and expects no problem; returns the rows at the end. */
function replay(map: RevisionMap, binds: readonly BindState[], plan: Plan): Map<string, readonly string[]> {
  const { rows, problems } = replayPlan(map, binds, plan);
  expect(problems).toEqual([]);
  return rows;
}

/**
 * db1: a1 <- a2 <- a3
 * db2: b1 <- b2 (depends on a2) <- b3
 * tenant (binds t1, t2): c1 <- c2
 * fork: f1 <- f2a, f1 <- f2b (two heads)
 * merged: m1 <- m2a, m2b <- mm (merge)
 */
const scripts = (): RevisionScript[] => [
  rev('a1', null, 'db1'),
  rev('a2', 'a1', 'db1'),
  rev('a3', 'a2', 'db1'),
  rev('b1', null, 'db2'),
  rev('b2', 'b1', 'db2', { dependsOn: ['a2'] }),
  rev('b3', 'b2', 'db2'),
  rev('c1', null, 'tenant'),
  rev('c2', 'c1', 'tenant'),
  rev('f1', null, 'fork'),
  rev('f2a', 'f1', 'fork'),
  rev('f2b', 'f1', 'fork'),
  rev('m1', null, 'merged'),
  rev('m2a', 'm1', 'merged'),
  rev('m2b', 'm1', 'merged'),
  rev('mm', ['m2a', 'm2b'], 'merged'),
];
const map = new RevisionMap(scripts());

describe('planUpgrade: one bind, linear branch', () => {
  const binds = [bind('db1')];

  it('upgrades from base to head, one row per step', () => {
    const plan = planUpgrade(map, binds, ['head']);
    expect(plan.direction).toBe('up');
    expect(plan.binds).toEqual(['db1']);
    expect(steps(plan)).toEqual(['db1:a1', 'db1:a2', 'db1:a3']);
    expect(plan.steps.map((s) => [s.headsBefore, s.headsAfter])).toEqual([
      [[], ['a1']],
      [['a1'], ['a2']],
      [['a2'], ['a3']],
    ]);
    expect(plan.steps[0]!.script.path).toBe('/repo/migrations/versions/db1/a1_x.ts');
    expect(plan.steps.every((s) => s.direction === 'up')).toBe(true);
    replay(map, binds, plan);
  });

  it('takes [] as head', () => {
    expect(steps(planUpgrade(map, binds, []))).toEqual(['db1:a1', 'db1:a2', 'db1:a3']);
  });

  it('plans nothing for a target already reached', () => {
    expect(planUpgrade(map, [bind('db1', ['a3'])], ['head']).steps).toEqual([]);
    expect(planUpgrade(map, [bind('db1', ['a3'])], ['a1']).steps).toEqual([]);
    expect(planUpgrade(map, [bind('db1', ['a3'])], ['base']).steps).toEqual([]);
    expect(planUpgrade(map, [bind('db1', ['a3'])], ['head']).binds).toEqual(['db1']);
  });

  it('upgrades +N and <bind>@+N from the current revision', () => {
    expect(steps(planUpgrade(map, [bind('db1', ['a1'])], ['+1']))).toEqual(['db1:a2']);
    expect(steps(planUpgrade(map, [bind('db1')], ['+2']))).toEqual(['db1:a1', 'db1:a2']);
    expect(steps(planUpgrade(map, [bind('db1', ['a1'])], ['db1@+2']))).toEqual(['db1:a2', 'db1:a3']);
  });

  it("refuses <rev>-N and head-N that reach base, as Alembic does, but plans nothing for 'base' itself", () => {
    for (const at of [[], ['a1'], ['a3']]) {
      expect(() => planUpgrade(map, [bind('db1', at)], ['a1-1'])).toThrow(
        "'a1-1' steps below the first revision of branch 'db1', to base; an upgrade cannot go to base ('downgrade a1-1' does).",
      );
      expect(thrown(() => planUpgrade(map, [bind('db1', at)], ['a3-3']))).toBeInstanceOf(RevisionError);
      expect(() => planUpgrade(map, [bind('db1', at)], ['db1@a2-2'])).toThrow(/'db1@a2-2' steps below the first revision of branch 'db1'/);
      expect(() => planUpgrade(map, [bind('db1', at)], ['head-3'])).toThrow(
        "Bind 'db1': 'head-3' steps below the first revision of branch 'db1', to base; an upgrade cannot go to base ('downgrade head-3' does).",
      );
      expect(() => planUpgrade(map, [bind('db1', at)], ['db1@head-3'])).toThrow(/'db1@head-3' steps below/);
      expect(planUpgrade(map, [bind('db1', at)], ['base']).steps).toEqual([]);
      expect(planUpgrade(map, [bind('db1', at)], ['db1@base']).steps).toEqual([]);
    }
    // A revision below where the bind stands is reached already: nothing to do (Alembic too).
    expect(planUpgrade(map, [bind('db1', ['a3'])], ['a2-1']).steps).toEqual([]);
    expect(planUpgrade(map, [bind('db1', ['a3'])], ['head-2']).steps).toEqual([]);
    // Downgrade and stamp still go to base that way.
    expect(steps(planDowngrade(map, [bind('db1', ['a1'])], 'a1-1'))).toEqual(['db1:a1']);
  });

  // `init --multidb` makes two binds; with revisions for one of them only, `upgrade +1` failed
  // on the other: "Bind 'default': '+1' goes beyond the head of branch 'default' (already at its
  // head)". A branch with no revisions is passed over, as `head` passes over it.
  it('passes over a bind whose branch has no revisions for +N, head-N, base+N (every bind)', () => {
    const empty = bind('empty');
    expect(steps(planUpgrade(map, [empty, bind('db1', ['a1'])], ['+1']))).toEqual(['db1:a2']);
    expect(steps(planUpgrade(map, [empty, bind('db1')], ['base+2']))).toEqual(['db1:a1', 'db1:a2']);
    expect(steps(planUpgrade(map, [empty, bind('db1', ['a1'])], ['head-1']))).toEqual(['db1:a2']);
    expect(steps(planDowngrade(map, [empty, bind('db1', ['a3'])], 'head-2'))).toEqual(['db1:a3', 'db1:a2']);
    expect(planStamp(map, [empty, bind('db1', ['a3'])], ['-1'])).toEqual([{ bind: 'db1', from: ['a3'], to: ['a2'] }]);
    // A bind with revisions at its head still refuses, as Alembic; so does a lone empty bind.
    expect(() => planUpgrade(map, [empty, bind('db1', ['a3'])], ['+1'])).toThrow(/Bind 'db1': '\+1' goes beyond the head of branch 'db1'/);
    expect(() => planUpgrade(map, [empty], ['+1'])).toThrow(/Bind 'empty': '\+1' goes beyond the head of branch 'empty'/);
    expect(() => planDowngrade(map, [empty, bind('db1')], 'head-1')).toThrow(DowngradeTargetError);
  });

  it('refuses +N beyond head, and -N', () => {
    expect(() => planUpgrade(map, [bind('db1', ['a2'])], ['+2'])).toThrow(/Bind 'db1': '\+2' goes beyond the head of branch 'db1' \(only 1 revision/);
    expect(() => planUpgrade(map, [bind('db1', ['a3'])], ['db1@+1'])).toThrow(/already at its head/);
    expect(() => planUpgrade(map, [bind('db1', ['a3'])], ['-1'])).toThrow(/use 'downgrade -1'/);
  });

  it('upgrades to a revision, a partial id, <rev>+N, <rev>@head, a bind, <bind>@head', () => {
    expect(steps(planUpgrade(map, binds, ['a2']))).toEqual(['db1:a1', 'db1:a2']);
    expect(steps(planUpgrade(map, [bind('db1', ['a1'])], ['a1+1']))).toEqual(['db1:a2']);
    expect(steps(planUpgrade(map, [bind('db1', ['a1'])], ['a2@head']))).toEqual(['db1:a2', 'db1:a3']);
    expect(steps(planUpgrade(map, binds, ['db1']))).toEqual(['db1:a1', 'db1:a2', 'db1:a3']);
    expect(steps(planUpgrade(map, binds, ['db1@head']))).toEqual(['db1:a1', 'db1:a2', 'db1:a3']);
  });

  it('refuses a bind whose version table holds an unknown revision, another branch, or redundant rows', () => {
    const unknown = thrown(() => planUpgrade(map, [bind('db1', ['zz'])], ['head']));
    expect(unknown).toBeInstanceOf(VersionTableError);
    expect(unknown).toMatchObject({ bind: 'db1', revisions: ['zz'] });
    expect((unknown as Error).message).toContain("Bind 'db1' is at revision 'zz', which no script declares");
    expect(() => planUpgrade(map, [bind('db1', ['b1'])], ['head'])).toThrow(/of branch 'db2'/);
    expect(() => planUpgrade(map, [bind('db1', ['a1', 'a2'])], ['head'])).toThrow(/ancestors of other rows \(a1\)/);
  });

  it('refuses a bind at a revision no script declares when its branch has no revision at all', () => {
    const states = [bind('db1', ['a3']), bind('empty', ['710e51d49360'])];
    for (const targets of [['head'], ['empty'], ['empty@head'], ['heads'], ['base']]) {
      const error = thrown(() => planUpgrade(map, states, targets));
      expect(error, targets.join(' ')).toBeInstanceOf(VersionTableError);
      expect(error).toMatchObject({ bind: 'empty', revisions: ['710e51d49360'] });
      expect((error as Error).message).toContain("Bind 'empty' is at revision '710e51d49360', which no script declares");
    }
    // Another bind's target does not read it.
    expect(steps(planUpgrade(map, states, ['db1']))).toEqual([]);
    // Down and stamp already refuse it (stamp --purge is the way out).
    expect(() => planDowngrade(map, states, 'empty@base')).toThrow(VersionTableError);
    expect(() => planStamp(map, states, ['empty@head'])).toThrow(VersionTableError);
    expect(planStamp(map, states, ['empty@base'], { purge: true })).toEqual([{ bind: 'empty', from: ['710e51d49360'], to: [] }]);
  });

  it('freezes the plan', () => {
    const plan = planUpgrade(map, binds, ['head']);
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.steps)).toBe(true);
    expect(Object.isFrozen(plan.steps[0])).toBe(true);
    expect(Object.isFrozen(plan.steps[0]!.headsAfter)).toBe(true);
  });
});

describe('planUpgrade: several binds', () => {
  it('upgrades every bind to its head, a bind at a time', () => {
    const binds = [bind('db1'), bind('db2')];
    const plan = planUpgrade(map, binds, ['head']);
    expect(steps(plan)).toEqual(['db1:a1', 'db1:a2', 'db1:a3', 'db2:b1', 'db2:b2', 'db2:b3']);
    expect(plan.binds).toEqual(['db1', 'db2']);
    replay(map, binds, plan);
  });

  it('selects one bind with <bind>@head and leaves the others', () => {
    const binds = [bind('db1', ['a3']), bind('db2'), bind('t1', [], 'tenant')];
    const plan = planUpgrade(map, binds, ['db2@head']);
    expect(steps(plan)).toEqual(['db2:b1', 'db2:b2', 'db2:b3']);
    expect(plan.binds).toEqual(['db2']);
  });

  it('combines several targets', () => {
    const binds = [bind('db1'), bind('db2', [], 'db2')];
    expect(steps(planUpgrade(map, binds, ['db1@+1', 'db1@+1']))).toEqual(['db1:a1']);
    expect(steps(planUpgrade(map, [bind('db1'), bind('m', [], 'merged')], ['db1@+1', 'm2a']))).toEqual(['db1:a1', 'm:m1', 'm:m2a']);
  });

  it('treats a bind name as a bind before a hex prefix', () => {
    const hex = new RevisionMap([rev('db2f01', null, 'db2'), rev('db2f02', 'db2f01', 'db2'), rev('e1', null, 'other')]);
    const binds = [bind('db2', ['db2f01']), bind('other')];
    expect(steps(planUpgrade(hex, binds, ['db2']))).toEqual(['db2:db2f02']);
    expect(steps(planUpgrade(hex, binds, ['db2f02']))).toEqual(['db2:db2f02']);
    expect(() => planUpgrade(hex, binds, ['db2f'])).toThrow(AmbiguousRevisionError);
  });

  it('refuses an unknown bind, listing the binds, and a target matching nothing', () => {
    const error = thrown(() => planUpgrade(map, [bind('db1'), bind('db2')], ['foo@head']));
    expect(error).toBeInstanceOf(UnknownBindError);
    expect((error as UnknownBindError).known).toEqual(['db1', 'db2']);
    expect(() => planUpgrade(map, [bind('db1')], ['zz'])).toThrow(RevisionNotFoundError);
  });

  it('refuses a revision of a branch no bind uses', () => {
    expect(() => planUpgrade(map, [bind('db1')], ['c2'])).toThrow(/branch 'tenant', which no bind uses/);
  });

  it('leaves a bind whose branch has no revisions at base', () => {
    const plan = planUpgrade(map, [bind('db1', ['a3']), bind('fresh')], ['head']);
    expect(plan.steps).toEqual([]);
    expect(plan.binds).toEqual(['db1', 'fresh']);
  });
});

describe('planUpgrade: a branch shared by several binds', () => {
  const binds = [bind('t1', ['c1'], 'tenant'), bind('t2', [], 'tenant')];

  it('gives every bind its own steps', () => {
    const plan = planUpgrade(map, binds, ['head']);
    expect(steps(plan)).toEqual(['t1:c2', 't2:c1', 't2:c2']);
    expect(plan.steps.map((s) => s.headsBefore)).toEqual([['c1'], [], ['c1']]);
    replay(map, binds, plan);
  });

  it('selects every bind of the branch through its label, or one bind by name', () => {
    expect(steps(planUpgrade(map, binds, ['tenant@head']))).toEqual(['t1:c2', 't2:c1', 't2:c2']);
    expect(steps(planUpgrade(map, binds, ['tenant']))).toEqual(['t1:c2', 't2:c1', 't2:c2']);
    expect(steps(planUpgrade(map, binds, ['t2@head']))).toEqual(['t2:c1', 't2:c2']);
    expect(steps(planUpgrade(map, binds, ['c1']))).toEqual(['t2:c1']);
  });

  it('fans out a revision or label target to every bind of the branch, and says so in the plan', () => {
    expect(planUpgrade(map, binds, ['tenant@head']).fanOut).toEqual([{ target: 'tenant@head', branch: 'tenant', binds: ['t1', 't2'] }]);
    expect(planUpgrade(map, binds, [' c2 ']).fanOut).toEqual([{ target: 'c2', branch: 'tenant', binds: ['t1', 't2'] }]);
    expect(planUpgrade(map, binds, ['t2@head']).fanOut).toEqual([]);
    expect(planUpgrade(map, binds, ['t2@c2']).fanOut).toEqual([]);
    expect(planUpgrade(map, binds, ['head']).fanOut).toEqual([]);
    expect(planUpgrade(map, [...binds, bind('db1')], ['a1']).fanOut).toEqual([]);
  });
});

describe('planUpgrade: branch point and merge', () => {
  it('raises MultipleHeadsError only for the bind whose branch has two heads', () => {
    const binds = [bind('db1'), bind('fork')];
    const error = thrown(() => planUpgrade(map, binds, ['head']));
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error).toMatchObject({ heads: ['f2a', 'f2b'], argument: 'head', branch: 'fork' });
    expect((error as Error).message).toMatch(/'heads'.*merge/);
    expect(steps(planUpgrade(map, binds, ['db1@head']))).toEqual(['db1:a1', 'db1:a2', 'db1:a3']);
    expect(() => planUpgrade(map, binds, ['fork@head'])).toThrow(MultipleHeadsError);
    expect(() => planUpgrade(map, binds, ['fork'])).toThrow(MultipleHeadsError);
  });

  it('reaches every head with heads', () => {
    const binds = [bind('fork')];
    const plan = planUpgrade(map, binds, ['heads']);
    expect(steps(plan)).toEqual(['fork:f1', 'fork:f2a', 'fork:f2b']);
    expect(plan.steps.at(-1)!.headsAfter).toEqual(['f2a', 'f2b']);
    replay(map, binds, plan);
  });

  it('reaches one line with its revision, or <rev>@head', () => {
    expect(steps(planUpgrade(map, [bind('fork')], ['f2b']))).toEqual(['fork:f1', 'fork:f2b']);
    expect(steps(planUpgrade(map, [bind('fork', ['f1'])], ['f2a@head']))).toEqual(['fork:f2a']);
    expect(steps(planUpgrade(map, [bind('fork', ['f2a'])], ['f2b']))).toEqual(['fork:f2b']);
  });

  it('refuses +1 at a branch point', () => {
    expect(() => planUpgrade(map, [bind('fork', ['f1'])], ['+1'])).toThrow(/forks into f2a, f2b/);
  });

  it('upgrades through a merge, rows going from two heads to one', () => {
    const binds = [bind('m', ['m2a'], 'merged')];
    const plan = planUpgrade(map, binds, ['head']);
    expect(steps(plan)).toEqual(['m:m2b', 'm:mm']);
    expect(plan.steps.map((s) => [s.headsBefore, s.headsAfter])).toEqual([
      [['m2a'], ['m2a', 'm2b']],
      [['m2a', 'm2b'], ['mm']],
    ]);
    // From the merge's two down revisions, `+1` is refused as in Alembic; `<rev>@+1` steps one up.
    expect(() => planUpgrade(map, [bind('m', ['m2a', 'm2b'], 'merged')], ['+1'])).toThrow(/starts from several current revisions \(m2a, m2b\)/);
    expect(steps(planUpgrade(map, [bind('m', ['m2a', 'm2b'], 'merged')], ['m2a@+1']))).toEqual(['m:mm']);
    replay(map, binds, plan);
  });
});

describe('planUpgrade: depends-on across binds', () => {
  it('pulls in the revisions another bind needs first, ordered before the dependent', () => {
    const binds = [bind('db2'), bind('db1')]; // db2 first in config order
    const plan = planUpgrade(map, binds, ['db2@head']);
    expect(steps(plan)).toEqual(['db2:b1', 'db1:a1', 'db1:a2', 'db2:b2', 'db2:b3']);
    expect(plan.binds).toEqual(['db2', 'db1']);
    replay(map, binds, plan);
  });

  it('pulls in nothing when the dependency is applied already', () => {
    const plan = planUpgrade(map, [bind('db1', ['a2']), bind('db2', ['b1'])], ['db2@head']);
    expect(steps(plan)).toEqual(['db2:b2', 'db2:b3']);
    expect(plan.binds).toEqual(['db2']);
  });

  it('pulls a dependency into every bind of a shared branch', () => {
    const shared = new RevisionMap([
      rev('c1', null, 'tenant'),
      rev('c2', 'c1', 'tenant'),
      rev('r1', null, 'main'),
      rev('r2', 'r1', 'main', { dependsOn: ['c2'] }),
    ]);
    const binds = [bind('main'), bind('t1', ['c1'], 'tenant'), bind('t2', [], 'tenant')];
    const plan = planUpgrade(shared, binds, ['main@head']);
    expect(steps(plan)).toEqual(['main:r1', 't1:c2', 't2:c1', 't2:c2', 'main:r2']);
    expect(plan.binds).toEqual(['main', 't1', 't2']);
    replay(shared, binds, plan);
  });

  it('pulls in transitively (a dependency that itself depends on a third bind)', () => {
    const chain = new RevisionMap([
      rev('x1', null, 'x'),
      rev('y1', null, 'y', { dependsOn: ['x1'] }),
      rev('z1', null, 'z', { dependsOn: ['y1'] }),
    ]);
    const binds = [bind('z'), bind('y'), bind('x')];
    const plan = planUpgrade(chain, binds, ['z@head']);
    expect(steps(plan)).toEqual(['x:x1', 'y:y1', 'z:z1']);
    replay(chain, binds, plan);
  });

  it('refuses a dependency in a branch no bind uses', () => {
    expect(() => planUpgrade(map, [bind('db2')], ['head'])).toThrow(/depends on 'a2' of branch 'db1', which no bind uses/);
  });
});

describe('planDowngrade', () => {
  it('refuses a target the bind has not applied (above it, or on another line), naming bind, target and current heads', () => {
    for (const [binds, target, heads] of [
      [[bind('db1', ['a1'])], 'a2', ['a1']],
      [[bind('db1', ['a1'])], 'db1@a3', ['a1']],
      [[bind('db1', [])], 'a1', []],
      [[bind('db1', ['a1'])], 'db1@head', ['a1']],
      [[bind('db1', ['a1'])], 'db1@base+2', ['a1']],
      [[bind('fork', ['f2a'])], 'f2b', ['f2a']],
      // `heads` as `head`: below the head, or at one of two heads, it would go up (Alembic: 'Nothing to drop' / multiple heads).
      [[bind('db1', ['a2'])], 'heads', ['a2']],
      [[bind('db1', [])], 'db1@heads', []],
      [[bind('fork', ['f2a'])], 'heads', ['f2a']],
    ] as const) {
      const error = thrown(() => planDowngrade(map, binds, target));
      expect(error, target).toBeInstanceOf(DowngradeTargetError);
      expect(error).toMatchObject({ code: 'DOWNGRADE_TARGET', target, binds: [{ bind: binds[0]!.bind, heads }] });
      expect((error as Error).message).toContain(`Bind '${binds[0]!.bind}': destination '${target}' is not a valid downgrade target from current head(s) ${heads.join(', ') || '<base>'}: `);
    }
  });

  it('plans nothing for the current revision itself; of tenants, leaves one below the target alone while another comes down', () => {
    expect(steps(planDowngrade(map, [bind('db1', ['a2'])], 'a2'))).toEqual([]);
    expect(steps(planDowngrade(map, [bind('db1', ['a3'])], 'db1@head'))).toEqual([]);
    const tenants = [bind('t1', ['c2'], 'tenant'), bind('t2', [], 'tenant')];
    expect(steps(planDowngrade(map, tenants, 'c1', { allBinds: true }))).toEqual(['t1:c2']);
    expect(steps(planDowngrade(map, [bind('t1', ['c2'], 'tenant'), bind('t2', ['c1'], 'tenant')], 'heads', { allBinds: true }))).toEqual([]);
    const error = thrown(() => planDowngrade(map, [bind('t1', ['c1'], 'tenant'), bind('t2', [], 'tenant')], 'c2', { allBinds: true }));
    expect(error).toMatchObject({ binds: [{ bind: 't1', heads: ['c1'] }, { bind: 't2', heads: [] }] });
    expect((error as Error).message).toMatch(/^Binds 't1', 't2': destination 'c2' is not a valid downgrade target from current head\(s\) t1: c1; t2: <base>: /);
  });

  it('refuses a bind alone on its branch below the target, though another branch\'s bind is at it (only tenants of one branch leave one alone)', () => {
    const error = thrown(() => planDowngrade(map, [bind('db1', ['a3']), bind('fork', ['f2a'])], 'heads'));
    expect(error).toBeInstanceOf(DowngradeTargetError);
    expect(error).toMatchObject({ binds: [{ bind: 'fork', heads: ['f2a'] }] });
  });

  it('steps one bind back: bare with one bind, -N, <bind>, <bind>@-N', () => {
    const binds = [bind('db1', ['a3'])];
    expect(steps(planDowngrade(map, binds, undefined))).toEqual(['db1:a3']);
    expect(steps(planDowngrade(map, binds, '-2'))).toEqual(['db1:a3', 'db1:a2']);
    expect(steps(planDowngrade(map, binds, 'db1'))).toEqual(['db1:a3']);
    const plan = planDowngrade(map, binds, 'db1@-3');
    expect(plan.direction).toBe('down');
    expect(plan.steps.map((s) => [s.revision, s.headsBefore, s.headsAfter])).toEqual([
      ['a3', ['a3'], ['a2']],
      ['a2', ['a2'], ['a1']],
      ['a1', ['a1'], []],
    ]);
    replay(map, binds, plan);
  });

  it('needs a bind for a bare downgrade or -N with several binds', () => {
    const binds = [bind('db1', ['a3']), bind('db2', ['b1'])];
    const bare = thrown(() => planDowngrade(map, binds, undefined));
    expect(bare).toBeInstanceOf(BindRequiredError);
    expect((bare as BindRequiredError).binds).toEqual(['db1', 'db2']);
    expect(() => planDowngrade(map, binds, '-1')).toThrow(BindRequiredError);
    expect(steps(planDowngrade(map, binds, 'db1@-1'))).toEqual(['db1:a3']);
    // The example names a bind with something to take back (it named the first, at base).
    const atBase = [bind('db1'), bind('db2', ['b2'])];
    expect(() => planDowngrade(map, atBase, '-2')).toThrow("'downgrade -2' needs a bind: name one of db1, db2 (e.g. 'db2' or 'db2@-2').");
    expect(() => planDowngrade(map, atBase, undefined)).toThrow("'downgrade' needs a bind: name one of db1, db2 (e.g. 'db2' or 'db2@-1').");
  });

  it('downgrades every bind with base, dependents first', () => {
    const binds = [bind('db1', ['a3']), bind('db2', ['b3'])];
    const plan = planDowngrade(map, binds, 'base');
    expect(steps(plan)).toEqual(['db1:a3', 'db2:b3', 'db2:b2', 'db2:b1', 'db1:a2', 'db1:a1']);
    expect(plan.binds).toEqual(['db1', 'db2']);
    expect(replay(map, binds, plan)).toEqual(new Map([['db1', []], ['db2', []]]));
  });

  it('downgrades one bind with <bind>@base', () => {
    const binds = [bind('db1', ['a3']), bind('db2', ['b3'])];
    expect(steps(planDowngrade(map, binds, 'db2@base'))).toEqual(['db2:b3', 'db2:b2', 'db2:b1']);
  });

  it('downgrades to a revision, removing what descends from it', () => {
    const binds = [bind('db1', ['a3']), bind('db2', ['b1'])];
    expect(steps(planDowngrade(map, binds, 'a1'))).toEqual(['db1:a3', 'db1:a2']);
    expect(steps(planDowngrade(map, binds, 'a3-2'))).toEqual(['db1:a3', 'db1:a2']);
    expect(planDowngrade(map, binds, 'a3').steps).toEqual([]);
  });

  it('refuses to remove a revision another bind depends on, naming it and the bind', () => {
    const binds = [bind('db1', ['a3']), bind('db2', ['b2'])];
    const error = thrown(() => planDowngrade(map, binds, 'db1@-2'));
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ revision: 'a2', dependent: 'b2', dependentBind: 'db2', bind: 'db1' });
    expect((error as Error).message).toContain("Cannot downgrade 'a2' on bind 'db1': applied revision 'b2' of bind 'db2' depends on it");
    expect(() => planDowngrade(map, binds, 'a1')).toThrow(DependencyError);
    expect(steps(planDowngrade(map, binds, 'db1@-1'))).toEqual(['db1:a3']);
  });

  it('names the tenant that holds the dependent', () => {
    const shared = new RevisionMap([
      rev('r1', null, 'main'),
      rev('r2', 'r1', 'main'),
      rev('c1', null, 'tenant'),
      rev('c2', 'c1', 'tenant', { dependsOn: ['r2'] }),
    ]);
    const binds = [bind('main', ['r2']), bind('t1', ['c1'], 'tenant'), bind('t2', ['c2'], 'tenant')];
    expect(thrown(() => planDowngrade(shared, binds, 'main@-1'))).toMatchObject({ revision: 'r2', dependent: 'c2', dependentBind: 't2' });
    const all = planDowngrade(shared, binds, 'base');
    expect(steps(all)).toEqual(['t1:c1', 't2:c2', 't2:c1', 'main:r2', 'main:r1']);
    replay(shared, binds, all);
  });

  it('refuses -N below base and an upgrade target', () => {
    expect(() => planDowngrade(map, [bind('db1', ['a1'])], '-2')).toThrow(/below base/);
    expect(() => planDowngrade(map, [bind('db1')], 'db1')).toThrow(/already at base/);
    expect(() => planDowngrade(map, [bind('db1', ['a1'])], '+1')).toThrow(/use 'upgrade \+1'/);
  });

  it('downgrades through a merge and refuses -1 from two heads', () => {
    const binds = [bind('m', ['mm'], 'merged')];
    const plan = planDowngrade(map, binds, '-1');
    expect(plan.steps.map((s) => [s.revision, s.headsAfter])).toEqual([['mm', ['m2a', 'm2b']]]);
    expect(() => planDowngrade(map, [bind('m', ['m2a', 'm2b'], 'merged')], '-1')).toThrow(MultipleHeadsError);
    expect(() => planDowngrade(map, binds, '-2')).toThrow(/merges m2a, m2b/);
    const toRoot = planDowngrade(map, binds, 'm1');
    expect(toRoot.steps.map((s) => [s.revision, s.headsAfter])).toEqual([
      ['mm', ['m2a', 'm2b']],
      ['m2b', ['m2a']],
      ['m2a', ['m1']],
    ]);
    replay(map, binds, toRoot);
    expect(steps(planDowngrade(map, binds, 'm2a'))).toEqual(['m:mm']);
  });

  it('refuses a revision or label of a shared branch, listing its binds and the two ways out', () => {
    const binds = [bind('db1', ['a1']), bind('t1', ['c2'], 'tenant'), bind('t2', ['c1'], 'tenant')];
    for (const [target, example] of [
      ['c1', 't1@c1'],
      ['c2-1', 't1@c1'],
      ['tenant', 't1'],
      ['tenant@base', 't1@base'],
      ['tenant@-1', 't1@-1'],
      ['c1@head', 't1@head'],
      ['c2@base', 't1@<rev>'],
    ] as const) {
      const error = thrown(() => planDowngrade(map, binds, target));
      expect(error, target).toBeInstanceOf(SharedBranchError);
      expect(error).toMatchObject({ command: 'downgrade', target, branch: 'tenant', binds: ['t1', 't2'] });
      expect((error as Error).message).toBe(
        `'downgrade ${target}' would downgrade every bind of branch 'tenant' (t1, t2), which share it. ` +
          `Name one bind (e.g. '${example}'), or add --all-binds to downgrade all 2.`,
      );
    }
  });

  it('caps the binds a refusal names at 20 with 2,000 tenants, keeping all of them on the error', () => {
    const tenants = Array.from({ length: 2000 }, (_, i) => `t${i + 1}`);
    const binds = tenants.map((t) => bind(t, ['c2'], 'tenant'));
    const shared = thrown(() => planDowngrade(map, binds, 'c1')) as SharedBranchError;
    expect(shared).toBeInstanceOf(SharedBranchError);
    expect(shared.binds).toEqual(tenants);
    expect(shared.message).toContain(`(${tenants.slice(0, 20).join(', ')} and 1980 more), which share it.`);
    expect(shared.message).not.toContain('t21,');
    expect(shared.message).toContain('downgrade all 2000.');
    const bare = thrown(() => planDowngrade(map, binds, '-1')) as BindRequiredError;
    expect(bare).toBeInstanceOf(BindRequiredError);
    expect(bare.binds).toHaveLength(2000);
    expect(bare.message).toContain(`name one of ${tenants.slice(0, 20).join(', ')} and 1980 more (e.g.`);
    const unknown = thrown(() => planDowngrade(map, binds, 'nosuch@-1')) as Error;
    expect(unknown.message.length).toBeLessThan(1000);
  });

  it('downgrades every bind of a shared branch with allBinds, and one bind named with <bind>@<rev>', () => {
    const binds = [bind('t1', ['c2'], 'tenant'), bind('t2', ['c1'], 'tenant')];
    const all = { allBinds: true };
    const plan = planDowngrade(map, binds, 'c1', all);
    expect(steps(plan)).toEqual(['t1:c2']);
    expect(plan.fanOut).toEqual([{ target: 'c1', branch: 'tenant', binds: ['t1', 't2'] }]);
    expect(steps(planDowngrade(map, binds, 'tenant@base', all))).toEqual(['t1:c2', 't1:c1', 't2:c1']);
    expect(steps(planDowngrade(map, binds, 'tenant', all))).toEqual(['t1:c2', 't2:c1']);
    expect(() => planDowngrade(map, [bind('t1', [], 'tenant')], 'tenant')).toThrow(/Bind 't1'.*already at base/);
    // Naming the bind: no refusal, no fan-out, the other tenant untouched.
    const one = planDowngrade(map, binds, 't1@c1');
    expect(steps(one)).toEqual(['t1:c2']);
    expect(one.binds).toEqual(['t1']);
    expect(one.fanOut).toEqual([]);
    expect(steps(planDowngrade(map, binds, 't2@base'))).toEqual(['t2:c1']);
    // Ordinary binds (each on its own branch) keep global targets: base downgrades every bind.
    expect(steps(planDowngrade(map, [bind('db1', ['a1']), ...binds], 'base'))).toEqual(['db1:a1', 't1:c2', 't1:c1', 't2:c1']);
  });

  it('steps back from a merge whose down revisions are linked through depends-on, keeping what they need', () => {
    // Found by the property tests: b depends on c, which revises a, so a leads to b; m merges a and b.
    const linked = new RevisionMap([rev('r', null, 'x'), rev('a', 'r', 'x'), rev('c', 'a', 'x'), rev('b', 'r', 'x', { dependsOn: ['c'] }), rev('m', ['a', 'b'], 'x')]);
    const binds = [bind('x', ['m'])];
    const plan = planDowngrade(linked, binds, '-1');
    expect(steps(plan)).toEqual(['x:m']);
    expect(plan.steps[0]!.headsAfter).toEqual(['b']);
    replay(linked, binds, plan);
  });

  it('refuses a bind at an unknown revision', () => {
    expect(() => planDowngrade(map, [bind('db1', ['gone'])], 'base')).toThrow(VersionTableError);
  });
});

describe('planStamp', () => {
  it('stamps head, base, a revision and relative targets', () => {
    const binds = [bind('db1', ['a1']), bind('db2')];
    expect(planStamp(map, binds, ['db1@head'])).toEqual([{ bind: 'db1', from: ['a1'], to: ['a3'] }]);
    expect(planStamp(map, binds, ['db1@base'])).toEqual([{ bind: 'db1', from: ['a1'], to: [] }]);
    expect(planStamp(map, binds, ['b2'])).toEqual([{ bind: 'db2', from: [], to: ['b2'] }]);
    expect(planStamp(map, binds, ['db1@+1'])).toEqual([{ bind: 'db1', from: ['a1'], to: ['a2'] }]);
    expect(planStamp(map, [bind('db1', ['a3'])], ['-1'])).toEqual([{ bind: 'db1', from: ['a3'], to: ['a2'] }]);
    expect(planStamp(map, binds, ['db1'])).toEqual([{ bind: 'db1', from: ['a1'], to: ['a3'] }]);
    expect(planStamp(map, binds, ['head', 'db2@base'])).toEqual([
      { bind: 'db1', from: ['a1'], to: ['a3'] },
      { bind: 'db2', from: [], to: [] },
    ]);
  });

  it('keeps rows of other lines and replaces rows on the stamped line', () => {
    const binds = [bind('fork', ['f2a'])];
    expect(planStamp(map, binds, ['f2b'])).toEqual([{ bind: 'fork', from: ['f2a'], to: ['f2a', 'f2b'] }]);
    expect(planStamp(map, binds, ['f1'])).toEqual([{ bind: 'fork', from: ['f2a'], to: ['f1'] }]);
    expect(planStamp(map, [bind('fork')], ['heads'])).toEqual([{ bind: 'fork', from: [], to: ['f2a', 'f2b'] }]);
    expect(() => planStamp(map, binds, ['head'])).toThrow(MultipleHeadsError);
  });

  it('refuses an unknown current revision without purge and ignores it with purge', () => {
    const binds = [bind('db1', ['gone'])];
    expect(() => planStamp(map, binds, ['head'])).toThrow(/which no script declares/);
    expect(planStamp(map, binds, ['head'], { purge: true })).toEqual([{ bind: 'db1', from: ['gone'], to: ['a3'] }]);
    expect(planStamp(map, binds, ['a2'], { purge: true })).toEqual([{ bind: 'db1', from: ['gone'], to: ['a2'] }]);
    expect(planStamp(map, [bind('db1', ['a1', 'a3'])], ['a2'], { purge: true })).toEqual([{ bind: 'db1', from: ['a1', 'a3'], to: ['a2'] }]);
  });

  it('repairs redundant rows without purge', () => {
    expect(planStamp(map, [bind('db1', ['a1', 'a2'])], ['db1@head'])).toEqual([{ bind: 'db1', from: ['a1', 'a2'], to: ['a3'] }]);
  });

  it('refuses a revision of a shared branch unless allBinds, and does not check depends-on', () => {
    const binds = [bind('db1'), bind('db2'), bind('t1', ['c1'], 'tenant'), bind('t2', [], 'tenant')];
    expect(thrown(() => planStamp(map, binds, ['c2']))).toMatchObject({ command: 'stamp', branch: 'tenant', binds: ['t1', 't2'] });
    expect(() => planStamp(map, binds, ['c2'])).toThrow("Name one bind (e.g. 't1@c2'), or add --all-binds to stamp all 2.");
    expect(planStamp(map, binds, ['c2'], { allBinds: true })).toEqual([
      { bind: 't1', from: ['c1'], to: ['c2'] },
      { bind: 't2', from: [], to: ['c2'] },
    ]);
    expect(planStamp(map, binds, ['t2@c2'])).toEqual([{ bind: 't2', from: [], to: ['c2'] }]);
    expect(planStamp(map, binds, ['db2@head'])).toEqual([{ bind: 'db2', from: [], to: ['b3'] }]);
    // b2 depends on a2, which db1 does not hold: stamp does not care.
    expect(planStamp(map, binds, ['b2'])).toEqual([{ bind: 'db2', from: [], to: ['b2'] }]);
  });

  it('needs a target', () => {
    expect(() => planStamp(map, [bind('db1')], [])).toThrow(RevisionError);
  });
});

describe('edge targets', () => {
  it('upgrades <bind>@heads and leaves downgrade head/heads without steps', () => {
    expect(steps(planUpgrade(map, [bind('fork', ['f1'])], ['fork@heads']))).toEqual(['fork:f2a', 'fork:f2b']);
    expect(planDowngrade(map, [bind('db1', ['a3'])], 'head').steps).toEqual([]);
    expect(planDowngrade(map, [bind('fork', ['f2a', 'f2b'])], 'heads').steps).toEqual([]);
  });

  it('replays only valid plans (the checker itself)', () => {
    const binds = [bind('db2'), bind('db1')];
    const plan = planUpgrade(map, binds, ['db2@head']);
    const reversed: Plan = { ...plan, steps: [...plan.steps].reverse() };
    expect(() => replay(map, binds, reversed)).toThrow();
  });
});

describe('a large repository', () => {
  it('builds a 5,000-revision map and plans a full upgrade and downgrade', () => {
    const n = 5000;
    const list: RevisionScript[] = [];
    // Four branches of 1,250 revisions; every 100th revision of branches 1..3 depends on branch 0.
    const id = (branch: number, i: number): string => `r${branch}_${String(i).padStart(4, '0')}`;
    for (let b = 0; b < 4; b++) {
      for (let i = 0; i < n / 4; i++) {
        const dependsOn = b > 0 && i % 100 === 50 ? [id(0, i)] : [];
        list.push(rev(id(b, i), i === 0 ? null : id(b, i - 1), `br${b}`, { dependsOn }));
      }
    }
    const big = new RevisionMap(list.reverse());
    expect(big.size).toBe(n);
    expect(big.heads()).toHaveLength(4);
    expectTopologicalOrder(big);

    const binds = [bind('br3'), bind('br2'), bind('br1'), bind('br0'), bind('tenant', [], 'br1')];
    const up = planUpgrade(big, binds, []);
    expect(up.steps).toHaveLength(n + n / 4);
    const finalRows = replay(big, binds, up);
    expect(finalRows.get('br0')).toEqual([id(0, n / 4 - 1)]);
    expect(finalRows.get('tenant')).toEqual([id(1, n / 4 - 1)]);

    const atHead = binds.map((b) => ({ ...b, heads: finalRows.get(b.bind)! }));
    const down = planDowngrade(big, atHead, 'base');
    expect(down.steps).toHaveLength(n + n / 4);
    replay(big, atHead, down);
    expect(big.revisions.length).toBe(n);
  });
});

function expectTopologicalOrder(m: RevisionMap): void {
  for (const script of m.revisions) {
    for (const parent of [...script.downRevisions, ...script.dependsOn]) expect(m.indexOf(parent)).toBeLessThan(m.indexOf(script.revision));
  }
}
