// `show TARGET` resolves as Alembic's `show` (`get_revisions`): `heads` is every head, `base` is
// none, `head` is the one head (MultipleHeads otherwise), labels and `label@head` follow the line.
import { describe, expect, it } from 'vitest';
import { MultipleHeadsError, RevisionError, RevisionNotFoundError } from '../errors.js';
import { branchedPathGraph, rev } from '../testing/revision-fixture.js';
import { RevisionMap } from './revision-map.js';
import { showTarget } from './show-target.js';

describe('showTarget', () => {
  // a <- b <- c1 (c1branch) <- d1; b <- c2 (c2branch) <- d2; one branch 'x', two heads.
  const forked = new RevisionMap(branchedPathGraph());
  // m1 <- m2a, m2b <- mm (a merge): one head.
  const merged = new RevisionMap([rev('m1', null, 'm'), rev('m2a', 'm1', 'm'), rev('m2b', 'm1', 'm'), rev('mm', ['m2a', 'm2b'], 'm')]);
  const x = [{ bind: 'db', branch: 'x' }];

  it('heads: every head; base: none', () => {
    expect(showTarget('heads', forked)).toEqual({ several: true, revisions: ['d1', 'd2'] });
    expect(showTarget('base', forked)).toEqual({ several: true, revisions: [] });
    expect(showTarget('c2branch@heads', forked)).toEqual({ several: true, revisions: ['d2'] });
    expect(showTarget('db@heads', forked, x)).toEqual({ several: true, revisions: ['d1', 'd2'] });
  });

  it('head: the one head, refused when there are several', () => {
    expect(showTarget('head', merged)).toEqual({ several: false, revisions: ['mm'] });
    expect(() => showTarget('head', forked)).toThrow(MultipleHeadsError);
    expect(showTarget('c1branch@head', forked)).toEqual({ several: false, revisions: ['d1'] });
    expect(showTarget('c2@head', forked)).toEqual({ several: false, revisions: ['d2'] });
    expect(() => showTarget('a@head', forked)).toThrow(MultipleHeadsError);
  });

  it('a revision, prefix, label or <rev>±N: that one revision', () => {
    expect(showTarget('c1branch', forked)).toEqual({ several: false, revisions: ['c1'] });
    // A bind's name is its branch root's label.
    expect(showTarget('db', forked, x)).toEqual({ several: false, revisions: ['a'] });
    expect(() => showTarget('db', forked, [{ bind: 'db', branch: 'empty' }])).toThrow(RevisionNotFoundError);
    expect(showTarget('d2', forked).revisions).toEqual(['d2']);
    expect(showTarget('d2-1', forked).revisions).toEqual(['c2']);
    expect(showTarget('c1branch@base+3', forked).revisions).toEqual(['c1']);
    expect(showTarget('head-1', new RevisionMap([rev('a', null, 'x'), rev('b', 'a', 'x')])).revisions).toEqual(['a']);
    expect(() => showTarget('head-1', merged)).toThrow(/reaches several revisions \(m2a, m2b\)/);
    expect(() => showTarget('nope', forked)).toThrow(RevisionNotFoundError);
    expect(() => showTarget('+1', forked)).toThrow(RevisionError);
  });
});
