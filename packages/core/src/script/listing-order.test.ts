import { describe, expect, it } from 'vitest';
import { rev } from '../testing/revision-fixture.js';
import { branchOrder, headsInOrder, newestFirst } from './listing-order.js';
import { RevisionMap } from './revision-map.js';

// Two roots, configured sales before catalog (names sort the other way). Expected orders are
// Alembic 1.8.1's (`RevisionMap.heads`, `iterate_revisions('heads', 'base')`) with the sales
// revisions loaded first, as `version_locations = sales catalog` loads them.
describe('listing order: config order, as Alembic lists in load order', () => {
  const binds = [
    { bind: 'sales', branch: 'sales' },
    { bind: 'catalog', branch: 'catalog' },
  ];
  const graph = (dependsOn: string[]) =>
    new RevisionMap([rev('s1', null, 'sales'), rev('s2', 's1', 'sales'), rev('k1', null, 'catalog'), rev('k2', 'k1', 'catalog', { dependsOn })]);

  it('branches in config order, then branches no bind follows by name', () => {
    const map = new RevisionMap([rev('s1', null, 'sales'), rev('k1', null, 'catalog'), rev('z1', null, 'zeta'), rev('o1', null, 'orphan')]);
    expect(branchOrder(map, [...binds, { bind: 'tenant', branch: 'zeta' }])).toEqual(['sales', 'catalog', 'zeta', 'orphan']);
    expect(branchOrder(map)).toEqual(['catalog', 'orphan', 'sales', 'zeta']);
  });

  it('heads in config order (Alembic: s2, k2)', () => {
    expect(headsInOrder(graph([]), binds)).toEqual(['s2', 'k2']);
    expect(headsInOrder(graph(['s2']), binds)).toEqual(['s2', 'k2']);
    expect(headsInOrder(graph([]))).toEqual(['k2', 's2']);
  });

  it('history: each head down to its base in config order (Alembic: s2, s1, k2, k1)', () => {
    const map = graph([]);
    expect(newestFirst(map, map.revisions.map((s) => s.revision), binds)).toEqual(['s2', 's1', 'k2', 'k1']);
  });

  it('history: a revision another branch depends on waits for it (Alembic: k2, k1, s2, s1)', () => {
    const map = graph(['s2']);
    expect(newestFirst(map, map.revisions.map((s) => s.revision), binds)).toEqual(['k2', 'k1', 's2', 's1']);
  });

  it('history: a merge follows its first down revision, then the second (Alembic: m, c1, c2, b, a)', () => {
    const map = new RevisionMap([rev('a', null, 'x'), rev('b', 'a', 'x'), rev('c1', 'b', 'x'), rev('c2', 'b', 'x'), rev('m', ['c1', 'c2'], 'x')]);
    expect(newestFirst(map, ['a', 'b', 'c1', 'c2', 'm'])).toEqual(['m', 'c1', 'c2', 'b', 'a']);
    // A part of it: what is given, in the same walk.
    expect(newestFirst(map, ['c2', 'b', 'c1'])).toEqual(['c1', 'c2', 'b']);
  });
});
