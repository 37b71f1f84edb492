import { describe, expect, it } from 'vitest';
import {
  AmbiguousRevisionError,
  BranchError,
  CycleError,
  DuplicateRevisionError,
  MissingRevisionError,
  MultipleHeadsError,
  RevisionError,
  RevisionNotFoundError,
  UnknownBindError,
} from '../errors.js';
import { RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';
import { sampleGraph as graph, rev, thrown } from '../testing/revision-fixture.js';

function expectTopological(map: RevisionMap): void {
  for (const script of map.revisions) {
    for (const parent of [...script.downRevisions, ...script.dependsOn]) {
      expect(map.indexOf(parent)).toBeLessThan(map.indexOf(script.revision));
    }
  }
}

describe('RevisionMap: building', () => {
  it('orders revisions topologically, bases first, branches kept together', () => {
    const map = new RevisionMap(graph());
    expect(map.revisions.map((r) => r.revision)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'f1', 'f2a', 'f2b', 'fm']);
    expectTopological(map);
    expect(map.size).toBe(10);
  });

  it('gives the same order whatever the input order', () => {
    const a = new RevisionMap(graph());
    const b = new RevisionMap([...graph()].reverse());
    expect(b.revisions.map((r) => r.revision)).toEqual(a.revisions.map((r) => r.revision));
  });

  it('does not mutate its input', () => {
    const input = Object.freeze(graph().map((s) => Object.freeze(s)));
    expect(() => new RevisionMap(input)).not.toThrow();
  });

  it('interleaves branches only where depends-on requires it', () => {
    // db1's a2 depends on db2's b1, which must therefore come first.
    const map = new RevisionMap([rev('a1', null, 'db1'), rev('a2', 'a1', 'db1', { dependsOn: ['b1'] }), rev('b1', null, 'db2')]);
    expect(map.revisions.map((r) => r.revision)).toEqual(['a1', 'b1', 'a2']);
  });

  it('keeps the lines of a fork together', () => {
    const map = new RevisionMap([
      rev('r', null, 'x'),
      rev('p1', 'r', 'x'),
      rev('q1', 'r', 'x'),
      rev('p2', 'p1', 'x'),
      rev('q2', 'q1', 'x'),
    ]);
    expect(map.revisions.map((r) => r.revision)).toEqual(['r', 'p1', 'p2', 'q1', 'q2']);
  });

  it('accepts an empty repository', () => {
    const map = new RevisionMap([]);
    expect(map.revisions).toEqual([]);
    expect(map.heads()).toEqual([]);
    expect(map.branches()).toEqual([]);
  });
});

describe('RevisionMap: validation', () => {
  it('refuses a duplicate id, naming both files', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('a1', null, 'db2')]));
    expect(error).toBeInstanceOf(DuplicateRevisionError);
    expect((error as DuplicateRevisionError).files).toEqual(['/repo/migrations/versions/db1/a1_x.ts', '/repo/migrations/versions/db2/a1_x.ts']);
  });

  it('refuses a missing down revision', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('a2', 'zz', 'db1')]));
    expect(error).toBeInstanceOf(MissingRevisionError);
    expect(error).toMatchObject({ revision: 'a2', missing: 'zz', file: '/repo/migrations/versions/db1/a2_x.ts' });
    expect((error as Error).message).toContain('down revision');
  });

  it('refuses a missing depends-on, naming it', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('b1', null, 'db2', { dependsOn: ['zz'] })]));
    expect(error).toBeInstanceOf(MissingRevisionError);
    expect(error).toMatchObject({ revision: 'b1', missing: 'zz' });
    expect((error as Error).message).toMatch(/depends-on revision or branch label 'zz'/);
  });

  // Alembic's RevisionMap._add_depends_on: a label in depends_on names the revision that carries it.
  it('takes a branch label in depends-on as the revision that carries it, as Alembic does', () => {
    const map = new RevisionMap([
      rev('a1', null, 'db1'),
      rev('a2', 'a1', 'db1', { branchLabels: ['feature'] }),
      rev('a3', 'a2', 'db1'),
      rev('b1', null, 'db2', { dependsOn: ['feature', 'a2'] }),
      rev('b2', 'b1', 'db2', { dependsOn: ['db1'] }),
    ]);
    expect(map.get('b1').dependsOn).toEqual(['feature', 'a2']);
    expect(map.dependencies('b1')).toEqual(['a2']);
    expect(map.dependencies('b2')).toEqual(['a1']);
    expect(map.dependents('a2')).toEqual(['b1']);
    const order = map.revisions.map((r) => r.revision);
    expect(order.indexOf('a2')).toBeLessThan(order.indexOf('b1'));
  });

  it('refuses a revision that depends on its own branch label', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('a2', 'a1', 'db1', { branchLabels: ['mine'], dependsOn: ['mine'] })]));
    expect(error).toBeInstanceOf(CycleError);
  });

  it('refuses a cycle through down revisions, listing it', () => {
    const error = thrown(() => new RevisionMap([rev('x1', null, 'x'), rev('x2', 'x3', 'x'), rev('x3', 'x2', 'x')]));
    expect(error).toBeInstanceOf(CycleError);
    expect([...(error as CycleError).revisions].sort()).toEqual(['x2', 'x3']);
    expect((error as CycleError).files).toHaveLength(2);
  });

  it('refuses a revision that is its own down revision', () => {
    const error = thrown(() => new RevisionMap([rev('x1', null, 'x'), rev('x2', ['x1', 'x2'], 'x')]));
    expect(error).toBeInstanceOf(CycleError);
    expect((error as CycleError).revisions).toEqual(['x2']);
  });

  it('refuses a cycle through depends-on across branches', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          rev('a1', null, 'db1'),
          rev('a2', 'a1', 'db1', { dependsOn: ['b2'] }),
          rev('b1', null, 'db2'),
          rev('b2', 'b1', 'db2', { dependsOn: ['a2'] }),
        ]),
    );
    expect(error).toBeInstanceOf(CycleError);
    expect([...(error as CycleError).revisions].sort()).toEqual(['a2', 'b2']);
    expect((error as Error).message).toMatch(/a2 -> b2 -> a2|b2 -> a2 -> b2/);
  });

  it('refuses a branch root without its folder name as label', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1', { branchLabels: [] })]));
    expect(error).toBeInstanceOf(BranchError);
    expect((error as BranchError).file).toBe('/repo/migrations/versions/db1/a1_x.ts');
    expect((error as Error).message).toContain("branchLabels = ['db1']");
  });

  it('refuses a label that names another branch folder (folder and label disagree)', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1', { branchLabels: ['db1', 'db2'] }), rev('b1', null, 'db2')]));
    expect(error).toBeInstanceOf(BranchError);
    expect((error as Error).message).toContain("another branch's folder");
  });

  it('refuses a root filed in the wrong folder', () => {
    // The file says it is the root of db1 but sits in versions/db2 next to db2's root.
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('b1', null, 'db2'), rev('x1', null, 'db2', { branchLabels: ['db1'] })]));
    expect(error).toBeInstanceOf(BranchError);
  });

  it('refuses two roots in one branch folder', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('a9', null, 'db1', { branchLabels: [] })]));
    expect(error).toBeInstanceOf(BranchError);
    expect((error as Error).message).toMatch(/two roots/);
  });

  it('refuses a down revision in another branch (no merge across branches)', () => {
    const error = thrown(() => new RevisionMap([rev('a1', null, 'db1'), rev('b1', null, 'db2'), rev('bm', ['b1', 'a1'], 'db2')]));
    expect(error).toBeInstanceOf(BranchError);
    expect(error).toMatchObject({ revision: 'bm' });
    expect((error as Error).message).toMatch(/same branch/);
  });

  it('refuses a label used twice, a label equal to an id, and reserved or malformed labels', () => {
    expect(() => new RevisionMap([rev('a1', null, 'db1', { branchLabels: ['db1', 'v1'] }), rev('a2', 'a1', 'db1', { branchLabels: ['v1'] })])).toThrow(/used by both/);
    expect(() => new RevisionMap([rev('a1', null, 'db1'), rev('a2', 'a1', 'db1', { branchLabels: ['a1'] })])).toThrow(/equals a revision id/);
    expect(() => new RevisionMap([rev('a1', null, 'db1', { branchLabels: ['db1', 'head'] })])).toThrow(BranchError);
    expect(() => new RevisionMap([rev('a1', null, 'db1', { branchLabels: ['db1', 'x@y'] })])).toThrow(BranchError);
  });

  it('refuses a reserved revision id', () => {
    expect(() => new RevisionMap([rev('base', null, 'db1')])).toThrow(RevisionError);
  });
});

describe('RevisionMap: look-ups', () => {
  const map = new RevisionMap(graph());

  it('gets, resolves full ids, labels and unique prefixes', () => {
    expect(map.get('a2').message).toBe('message of a2');
    expect(map.resolve('a2').revision).toBe('a2');
    expect(map.resolve('db2').revision).toBe('b1');
    expect(map.resolve('side').revision).toBe('f2b');
    expect(map.resolve('f2a').revision).toBe('f2a');
    expect(map.resolve('fm').revision).toBe('fm');
    expect(map.byLabel('db1')?.revision).toBe('a1');
    expect(map.byLabel('nope')).toBeUndefined();
    expect(() => map.get('zz')).toThrow(RevisionNotFoundError);
  });

  it('lists every candidate of an ambiguous prefix', () => {
    const error = thrown(() => map.resolve('f2'));
    expect(error).toBeInstanceOf(AmbiguousRevisionError);
    expect((error as AmbiguousRevisionError).candidates).toEqual(['f2a', 'f2b']);
    expect(thrown(() => map.resolve('a'))).toMatchObject({ candidates: ['a1', 'a2', 'a3'] });
  });

  it('reports a prefix that matches nothing', () => {
    expect(() => map.resolve('zz')).toThrow(RevisionNotFoundError);
    expect(() => map.resolve('')).toThrow(RevisionNotFoundError);
  });

  it('knows heads, bases, branches, children and points', () => {
    expect(map.heads()).toEqual(['a3', 'b3', 'fm']);
    expect(map.heads('f')).toEqual(['fm']);
    expect(map.heads('nope')).toEqual([]);
    expect(map.bases()).toEqual(['a1', 'b1', 'f1']);
    expect(map.bases('db2')).toEqual(['b1']);
    expect(map.bases('nope')).toEqual([]);
    expect(map.branches()).toEqual(['db1', 'db2', 'f']);
    expect(map.children('f1')).toEqual(['f2a', 'f2b']);
    expect(map.isBranchPoint('f1')).toBe(true);
    expect(map.isBranchPoint('a1')).toBe(false);
    expect(map.isMergePoint('fm')).toBe(true);
    expect(map.isMergePoint('f2a')).toBe(false);
    expect(map.isHead('a3')).toBe(true);
    expect(map.isHead('a2')).toBe(false);
    expect(map.isBase('b1')).toBe(true);
    expect(map.dependencies('b2')).toEqual(['a2']);
    expect(map.dependents('a2')).toEqual(['b2']);
    expect(map.predecessors('b2')).toEqual(['b1']);
    expect(map.successors('a2')).toEqual(['a3']);
    expect(map.headsFrom('f2a')).toEqual(['fm']);
    expect(map.headsFrom('a1')).toEqual(['a3']);
  });

  // Expected labels from Alembic 1.8.1's RevisionMap over the same graph (`branch_labels` of each
  // revision): a label spreads up through descendants, and down to the revisions below until a
  // fork (a2 is also depended on by b2) or a merge.
  it('knows the labels each revision carries, as Alembic spreads them', () => {
    const labelled = new RevisionMap([
      ...graph().map((s) => (s.revision === 'a3' ? { ...s, branchLabels: ['late'] } : s)),
      rev('x1', null, 'x'),
      rev('x2', 'x1', 'x'),
      rev('x3', 'x2', 'x', { branchLabels: ['mid'] }),
      rev('x4', 'x3', 'x'),
    ]);
    const carried = Object.fromEntries(labelled.revisions.map((s) => [s.revision, labelled.labelsCarried(s.revision)]));
    expect(carried).toEqual({
      a1: ['db1'],
      a2: ['db1'],
      a3: ['db1', 'late'],
      b1: ['db2'],
      b2: ['db2'],
      b3: ['db2'],
      f1: ['f'],
      f2a: ['f'],
      f2b: ['f', 'side'],
      fm: ['f', 'side'],
      x1: ['x', 'mid'],
      x2: ['x', 'mid'],
      x3: ['x', 'mid'],
      x4: ['x', 'mid'],
    });
    expect(() => labelled.labelsCarried('zz')).toThrow(RevisionNotFoundError);
  });

  it('sees two heads on an unmerged fork', () => {
    const fork = new RevisionMap([rev('f1', null, 'f'), rev('f2a', 'f1', 'f'), rev('f2b', 'f1', 'f')]);
    expect(fork.heads('f')).toEqual(['f2a', 'f2b']);
    expect(fork.headsFrom('f2b')).toEqual(['f2b']);
  });

  it('treats a same-branch depends-on as ancestry for heads', () => {
    const map2 = new RevisionMap([rev('r', null, 'x'), rev('p', 'r', 'x'), rev('q', 'r', 'x', { dependsOn: ['p'] })]);
    expect(map2.heads('x')).toEqual(['q']);
    expect(map2.predecessors('q')).toEqual(['r', 'p']);
    expect(map2.isBranchPoint('r')).toBe(true);
  });

  // Alembic's `<rev>@head` (get_current_head: the heads that share its lineage through down
  // revisions only): a revision that merely depends on the line is not on it, and the line's last
  // revision is its head even when another line depends on it (checked with Alembic 1.8.1).
  it('headsFrom follows down revisions only, as Alembic\'s <rev>@head', () => {
    // r <- p <- p2; r <- q (depends on p) <- q2
    const deps = new RevisionMap([rev('r', null, 'x'), rev('p', 'r', 'x'), rev('p2', 'p', 'x'), rev('q', 'r', 'x', { dependsOn: ['p'] }), rev('q2', 'q', 'x')]);
    expect(deps.heads('x')).toEqual(['p2', 'q2']);
    expect(deps.headsFrom('p')).toEqual(['p2']);
    expect(deps.headsFrom('q')).toEqual(['q2']);
    expect(deps.headsFrom('r')).toEqual(['p2', 'q2']);
    // r <- p; r <- q (depends on p): p is no head of the branch, but it is the head of its line.
    const top = new RevisionMap([rev('r', null, 'x'), rev('p', 'r', 'x'), rev('q', 'r', 'x', { dependsOn: ['p'] })]);
    expect(top.headsFrom('p')).toEqual(['p']);
    expect(top.headsFrom('q')).toEqual(['q']);
  });

  it('walks ancestors and descendants, in or across branches', () => {
    expect(map.ancestors('b3')).toEqual(['b1', 'b2']);
    expect(map.ancestors('b3', { crossBranch: true })).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(map.ancestors(['fm'], { inclusive: true })).toEqual(['f1', 'f2a', 'f2b', 'fm']);
    expect(map.descendants('a2')).toEqual(['a3']);
    expect(map.descendants('a2', { crossBranch: true })).toEqual(['a3', 'b2', 'b3']);
    expect(map.descendants('f2b', { inclusive: true })).toEqual(['f2b', 'fm']);
  });
});

describe('RevisionMap: walk', () => {
  const map = new RevisionMap(graph());
  const db1 = { branch: 'db1', argument: 'x' };

  it('walks up from base and from a revision', () => {
    expect(map.walk([], 1, db1)).toEqual(['a1']);
    expect(map.walk([], 3, db1)).toEqual(['a3']);
    expect(map.walk(['a1'], 2, db1)).toEqual(['a3']);
    // From two revisions, even the down revisions of one merge, Alembic refuses too.
    expect(() => map.walk(['f2a', 'f2b'], 1, { branch: 'f', argument: '+1' })).toThrow("'+1' is ambiguous: it starts from several current revisions (f2a, f2b).");
  });

  it('walks down to a revision or to base', () => {
    expect(map.walk(['a3'], -1, db1)).toEqual(['a2']);
    expect(map.walk(['a3'], -3, db1)).toEqual([]);
    expect(map.walk(['fm'], -1, { branch: 'f', argument: '-1' })).toEqual(['f2a', 'f2b']);
  });

  it('refuses to go beyond head or below base', () => {
    expect(() => map.walk(['a3'], 1, db1)).toThrow(/beyond the head.*already at its head/);
    expect(() => map.walk(['a2'], 2, db1)).toThrow(/only 1 revision\(s\) above/);
    expect(() => map.walk(['a3'], -4, db1)).toThrow(/below base/);
    expect(() => map.walk([], -1, { ...db1, bind: 'db1' })).toThrow(/Bind 'db1'.*already at base/);
  });

  it('refuses an ambiguous walk at a branch point or merge point', () => {
    expect(() => map.walk(['f1'], 1, { branch: 'f', argument: '+1' })).toThrow(/forks into f2a, f2b/);
    expect(() => map.walk(['fm'], -2, { branch: 'f', argument: '-2' })).toThrow(/merges f2a, f2b/);
    expect(() => map.walk(['f2a', 'f2b'], -1, { branch: 'f', argument: '-1' })).toThrow(MultipleHeadsError);
  });
});

describe('RevisionMap: lines of a fork and prefixes', () => {
  // a <- b <- c1 (c1branch) <- d1; b <- c2 (c2branch) <- d2 (depends on c1); e merges d1 and x1.
  const map = new RevisionMap([
    rev('a', null, 'x'),
    rev('b', 'a', 'x'),
    rev('c1', 'b', 'x', { branchLabels: ['c1branch'] }),
    rev('d1', 'c1', 'x'),
    rev('c2', 'b', 'x', { branchLabels: ['c2branch'] }),
    rev('d2', 'c2', 'x', { dependsOn: ['c1'] }),
    rev('x1', 'b', 'x'),
    rev('e', ['d1', 'x1'], 'x'),
  ]);

  it('gives the line of a revision: its ancestors and descendants (same-branch depends-on too)', () => {
    expect(map.lineage('c2')).toEqual(['a', 'b', 'c2', 'd2']);
    // d2 depends on c1, so it descends from c1 as a version table sees it; e merges d1's line in.
    expect(map.lineage('c1')).toEqual(['a', 'b', 'c1', 'd1', 'd2', 'e']);
    expect(map.lineage('x1')).toEqual(['a', 'b', 'x1', 'e']);
    expect(map.lineage('a')).toEqual(map.revisions.map((r) => r.revision));
    expect(() => map.lineage('zz')).toThrow(RevisionNotFoundError);
  });

  it('walks up along a line: the fork off the line does not count', () => {
    expect(map.walk(['b'], 1, { branch: 'x', argument: 'c2branch@+1', line: 'c2' })).toEqual(['c2']);
    expect(map.walk([], 3, { branch: 'x', argument: 'c2branch@base+3', line: 'c2' })).toEqual(['c2']);
    expect(map.walk(['c1'], 2, { branch: 'x', argument: 'c1branch@+2', line: 'c1' })).toEqual(['e']);
    expect(() => map.walk(['b'], 1, { branch: 'x', argument: '+1' })).toThrow(/forks into c1, c2, x1/);
    // Walking follows down revisions: d2 depends on c1 but revises c2, so from c1 the one step is d1.
    expect(map.walk(['c1'], 1, { branch: 'x', argument: 'c1branch@+1', line: 'c1' })).toEqual(['d1']);
    expect(() => map.walk(['d2'], 1, { branch: 'x', argument: 'c2branch@+1', line: 'c2' })).toThrow(
      "'c2branch@+1' goes beyond the head of the line of 'c2' in branch 'x' (already at its head).",
    );
  });

  it('lists the ids a prefix matches', () => {
    expect(map.matching('c')).toEqual(['c1', 'c2']);
    expect(map.matching('d2')).toEqual(['d2']);
    expect(map.matching('q')).toEqual([]);
    expect(map.matching('')).toEqual([]);
  });
});
