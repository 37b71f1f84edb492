import { describe, expect, it } from 'vitest';
import { parseTarget } from '../script/revision-target.js';
import { planDowngrade, planUpgrade, type BindState } from '../script/planner.js';
import { RevisionMap } from '../script/revision-map.js';
import { rev } from '../testing/revision-fixture.js';
import { planTargets, retryTargets } from './retry-targets.js';

/** tenant (binds t1, t2, t3): c1 <- c2 <- c3 <- c4; fork: f1 <- f2a, f1 <- f2b (two heads). */
const map = new RevisionMap([rev('c1', null, 'tenant'), rev('c2', 'c1', 'tenant'), rev('c3', 'c2', 'tenant'), rev('c4', 'c3', 'tenant'), rev('f1', null, 'fork'), rev('f2a', 'f1', 'fork'), rev('f2b', 'f1', 'fork')]);
const binds = [
  { bind: 't1', branch: 'tenant' },
  { bind: 't2', branch: 'tenant' },
  { bind: 't3', branch: 'tenant' },
  { bind: 'fk', branch: 'fork' },
];
const state = (bind: string, heads: readonly string[] = []): BindState => ({ bind, branch: binds.find((b) => b.bind === bind)!.branch, heads });
const parsed = (...texts: string[]) => texts.map((text) => ({ text, target: parseTarget(text, map, binds) }));

describe('planTargets', () => {
  it("each bind's rows after its last step, null for a bind the plan has no step for", () => {
    expect(planTargets(planUpgrade(map, [state('t1', ['c1']), state('t2', ['c4'])], ['t1@+2']))).toEqual([['t1', ['c3']]]);
    expect(planTargets(planUpgrade(map, [state('t1', ['c1']), state('t2', ['c4'])], ['head']))).toEqual([
      ['t1', ['c4']],
      ['t2', null],
    ]);
    // Two heads: both rows.
    expect(planTargets(planUpgrade(map, [state('fk')], ['heads']))).toEqual([['fk', ['f2a', 'f2b']]]);
    // A downgrade to base: no row.
    expect(planTargets(planDowngrade(map, [state('t1', ['c2'])], 't1@base'))).toEqual([['t1', []]]);
  });
});

describe('retryTargets', () => {
  it('a planned bind: its plan rows, exact whatever it ran before it stopped (not its relative target again)', () => {
    // t2 planned c1 -> c3 by '+2', failed at c3 after c2: 't2@c3' (t2@+2 would reach c4).
    const planned = new Map<string, readonly string[] | null>([
      ['t1', ['c3']],
      ['t2', ['c3']],
    ]);
    expect(retryTargets(['t2'], (b) => planned.get(b), parsed('+2'))).toEqual(['t2@c3']);
  });

  it('two heads: one target per row; none: base; at its target (null): nothing', () => {
    const planned = new Map<string, readonly string[] | null>([
      ['fk', ['f2a', 'f2b']],
      ['t1', []],
      ['t3', null],
    ]);
    expect(retryTargets(['fk', 't1', 't3'], (b) => planned.get(b), parsed('tenant@-1'))).toEqual(['fk@f2a', 'fk@f2b', 't1@base']);
  });

  it('a bind never planned (nothing read there): each target that concerns it, written for it alone', () => {
    const never = () => undefined;
    expect(retryTargets(['t2'], never, parsed('+1'))).toEqual(['t2@+1']);
    expect(retryTargets(['t2'], never, parsed('tenant@-1'))).toEqual(['t2@-1']);
    expect(retryTargets(['t2'], never, parsed('t2@+1', 't1@head'))).toEqual(['t2@+1']);
    expect(retryTargets(['t2'], never, parsed('t1@+1', 'head'))).toEqual(['t2@head']);
    expect(retryTargets(['t2'], never, parsed('t2'))).toEqual(['t2']);
    // In the order given, each once as given.
    expect(retryTargets(['t3', 't1'], never, parsed('+1'))).toEqual(['t3@+1', 't1@+1']);
  });
});
