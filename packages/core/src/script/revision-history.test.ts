import { describe, expect, it } from 'vitest';
import { AmbiguousRevisionError, MultipleHeadsError, UnknownBindError } from '../errors.js';
import { branchedPathGraph, mergedPathGraph, rev, sampleGraph as graph } from '../testing/revision-fixture.js';
import { revisionHistory } from './revision-history.js';
import { RevisionMap } from './revision-map.js';

describe('revisionHistory', () => {
  const map = new RevisionMap(graph());
  const ids = (range?: string, binds: { bind: string; branch: string }[] = []): string[] => revisionHistory(map, range, binds).map((s) => s.revision);

  // Orders below are Alembic 1.8.1's `iterate_revisions` over the same graph, its revisions given
  // in the map's order (Alembic sorts the heads it starts from by load order): a3 first, but a2
  // only after b2, which depends on it; a merge's first down revision before its second.
  it('lists everything newest first, as Alembic walks it', () => {
    expect(revisionHistory(new RevisionMap([]))).toEqual([]);
    expect(ids()).toEqual(['a3', 'b3', 'b2', 'b1', 'a2', 'a1', 'fm', 'f2a', 'f2b', 'f1']);
    expect(ids('')).toEqual(ids());
    expect(ids('base:head')).toEqual(ids());
    expect(ids('base:heads')).toEqual(ids());
    expect(ids(':')).toEqual(ids());
  });

  it('takes A:B inclusive, either side optional', () => {
    expect(ids('a1:a2')).toEqual(['a2', 'a1']);
    expect(ids('a2:')).toEqual(['a3', 'a2']);
    expect(ids(':a2')).toEqual(['a2', 'a1']);
    expect(ids('f2b:fm')).toEqual(['fm', 'f2b']);
    expect(ids('a2:a2')).toEqual(['a2']);
  });

  it('refuses an inverted range, giving it the other way round', () => {
    expect(() => ids('a3:a1')).toThrow("History range 'a3:a1' is inverted: a1 comes before a3. The older end comes first: 'a1:a3'.");
    expect(() => ids('fm:f1')).toThrow(/inverted.*'f1:fm'/);
    expect(() => ids('a2:db1@base')).toThrow(/inverted: base comes before a2/);
  });

  it('refuses an unrelated range: two branches, or two lines of a fork', () => {
    expect(() => ids('a1:b3')).toThrow(
      "History range 'a1:b3' lists nothing: no revision descends from a1 and leads to b3 (different branches, or different lines of a fork). Give two ends on one line, e.g. 'a1:' and ':b3'.",
    );
    expect(() => ids('f2a:f2b')).toThrow(/lists nothing/);
    expect(() => ids('db1@base:db2@head')).toThrow(/no revision descends from a1 and leads to b3/);
  });

  it('takes head-N and base+N', () => {
    expect(ids('db1@base+2:', [])).toEqual(['a3', 'a2']);
    expect(ids(':db2@head-1')).toEqual(['b2', 'b1']);
    // One step below the merge fm: both of its down revisions.
    expect(ids('f@head-1:')).toEqual(['fm', 'f2a', 'f2b']);
    expect(() => ids('head-1:')).toThrow(MultipleHeadsError);
    expect(() => ids('base+1:')).toThrow(/several branches; name one \(e\.g\. '<bind>@base\+1'\)/);
  });

  it('takes labels, bind names and bind-qualified ends', () => {
    expect(ids(':db2@head')).toEqual(['b3', 'b2', 'b1']);
    expect(ids('db2@base:')).toEqual(['b3', 'b2', 'b1']);
    expect(ids('db1:')).toEqual(['a3', 'a2', 'a1']);
    expect(ids(':db1')).toEqual(['a3', 'a2', 'a1']);
    expect(ids('side:')).toEqual(['fm', 'f2b']);
    expect(ids('tenant1@base:tenant1@head', [{ bind: 'tenant1', branch: 'f' }])).toEqual(['fm', 'f2a', 'f2b', 'f1']);
    expect(ids('a1+1:')).toEqual(['a3', 'a2']);
    expect(ids(':a3-1')).toEqual(['a2', 'a1']);
    expect(ids('head:')).toEqual(['a3', 'b3', 'fm']);
    expect(ids(':base')).toEqual([]);
    expect(ids('db1@base:base')).toEqual([]);
    expect(ids('side@base:base')).toEqual([]);
    expect(ids('base:base')).toEqual([]);
  });

  it('takes a lower end -N below the upper end, and an upper end +N above the lower end (Alembic: history -r-3:current)', () => {
    // -N: N revisions below the upper end, that one listed too (as head-N: is).
    expect(ids('db1@-1:')).toEqual(['a3', 'a2']);
    expect(ids('db1@-2:')).toEqual(ids('db1@head-2:'));
    expect(ids('-1:a3')).toEqual(['a3', 'a2']);
    expect(ids('-2:db2@head')).toEqual(['b3', 'b2', 'b1']);
    // Past base: from base (Alembic lists down to base too).
    expect(ids('-9:a3')).toEqual(['a3', 'a2', 'a1']);
    expect(ids('-1:base')).toEqual([]);
    // One step below a merge: both of its down revisions; a second step from two is ambiguous.
    expect(ids('f@-1:')).toEqual(['fm', 'f2a', 'f2b']);
    // (It was a MultipleHeadsError about "a relative downgrade", with no merge nor history in it.)
    expect(() => ids('f@-2:')).toThrow(
      "History range 'f@-2:': 'f@-2' is ambiguous: 1 step(s) down from fm, a merge leads to f2a, f2b. Give the lower end as a revision (e.g. 'f2a:').",
    );
    // +N: N revisions above the lower end (from base: the branch's root first).
    expect(ids('a1:+1')).toEqual(['a2', 'a1']);
    expect(ids('db1@base:+2')).toEqual(['a2', 'a1']);
    expect(() => ids('a2:+5')).toThrow(/goes beyond the head/);
    expect(() => ids('base:+1')).toThrow(/several branches; name one/);
  });

  it('refuses a range without a colon, relative ends and unknown binds', () => {
    expect(() => revisionHistory(map, 'a1')).toThrow(/needs a ':'/);
    expect(() => revisionHistory(map, '-2:')).toThrow(MultipleHeadsError); // several branches: whose head?
    // Heads of several branches cannot be merged (a merge across branches is refused): qualify the end.
    expect(() => revisionHistory(new RevisionMap(graph().filter((r) => r.branch !== 'f')), '-2:')).toThrow(
      "Multiple heads for target '-2': a3, b3. They are the heads of several branches (db1, db2): qualify the end with one (e.g. 'db1@-2'), or name a bind of one ('migrate history <bind> -r …').",
    );
    expect(() => revisionHistory(map, '-1:+1')).toThrow("History range '-1:+1': both ends are relative; give one of them as a revision (e.g. '-1:head' or '<rev>:+1').");
    expect(() => revisionHistory(map, '+1:a3')).toThrow(/a lower end relative to the upper one steps down \('-1'\), not up \('\+1'\)/);
    expect(() => revisionHistory(map, 'a1:-1')).toThrow(/an upper end relative to the lower one steps up/);
    expect(() => revisionHistory(map, 'nope@head:')).toThrow(UnknownBindError);
    expect(() => revisionHistory(map, 'f2:')).toThrow(AmbiguousRevisionError);
  });
});

// Ported from Alembic's tests/test_revision.py (LabeledBranchTest, MultipleBranchTest): what
// `iterate_revisions(upper, lower)` lists is what `history -r lower:upper` lists here.
describe('revisionHistory: Alembic cases', () => {
  // LabeledBranchTest: two trees; 'abranch' labels the root a, 'ebranch' labels e (not its root).
  // One root per branch folder here, so the second tree's folder is 'dtree' (root label 'dtree').
  const labelled = new RevisionMap([
    rev('a', null, 'abranch'),
    rev('b', 'a', 'abranch'),
    rev('somelongername', 'b', 'abranch'),
    rev('c', 'somelongername', 'abranch'),
    rev('d', null, 'dtree'),
    rev('e', 'd', 'dtree', { branchLabels: ['ebranch'] }),
    rev('someothername', 'e', 'dtree'),
    rev('f', 'someothername', 'dtree'),
  ]);
  const ids = (range: string) => revisionHistory(labelled, range).map((s) => s.revision);

  it('test_iterate_head_to_named_base, test_iterate_named_head_to_base', () => {
    expect(ids('ebranch@base:heads')).toEqual(['f', 'someothername', 'e', 'd']);
    expect(ids('abranch@base:heads')).toEqual(['c', 'somelongername', 'b', 'a']);
    expect(ids('base:ebranch@head')).toEqual(['f', 'someothername', 'e', 'd']);
    expect(ids('base:abranch@head')).toEqual(['c', 'somelongername', 'b', 'a']);
  });

  it('test_iterate_named_head_to_heads, test_iterate_named_rev_to_heads, test_iterate_to_branch_at_rev', () => {
    expect(ids('ebranch@head:heads')).toEqual(['f']);
    expect(ids('ebranch@d:heads')).toEqual(['f', 'someothername', 'e', 'd']);
  });

  it('test_iterate_head_to_version_specific_base: <rev>@base is the line of that revision', () => {
    expect(ids('e@base:heads')).toEqual(['f', 'someothername', 'e', 'd']);
    expect(ids('c@base:heads')).toEqual(['c', 'somelongername', 'b', 'a']);
  });

  // Checked against Alembic 1.8.1 (tools/parity): `label@base:B` lists the ancestors of the B
  // revisions that carry the label (below it only down to the fork), merges' other sides too.
  it('label@base:B lists what the B revisions carrying the label need', () => {
    const branched = new RevisionMap(branchedPathGraph());
    const inBranched = (r: string) => revisionHistory(branched, r).map((s) => s.revision);
    expect(inBranched('c1branch@base:')).toEqual(['d1', 'c1', 'b', 'a']);
    expect(inBranched('c1branch@base:d2')).toEqual([]);
    expect(inBranched('c1branch@base:b')).toEqual([]);
    const merged = new RevisionMap(mergedPathGraph());
    const inMerged = (r: string) => revisionHistory(merged, r).map((s) => s.revision);
    expect(inMerged('c2branch@base:')).toEqual(['f', 'e', 'd1', 'c1', 'd2', 'c2', 'b', 'a']);
    expect(inMerged('c2branch@base:d2')).toEqual(['d2', 'c2', 'b', 'a']);
  });

  it('test_branch_w_up_relative: ebranch@base+2 is e', () => {
    expect(ids('base:ebranch@base+2')).toEqual(['e', 'd']);
  });

  // MultipleBranchTest: a <- b1 <- cb1 <- d1cb1, d2cb1; a <- b2 <- cb2 <- d1cb2, d2cb2, d3cb2;
  // d1d2cb2 merges d1cb2 and d2cb2.
  const forks = new RevisionMap([
    rev('a', null, 'x'),
    rev('b1', 'a', 'x'),
    rev('b2', 'a', 'x'),
    rev('cb1', 'b1', 'x'),
    rev('cb2', 'b2', 'x'),
    rev('d1cb1', 'cb1', 'x'),
    rev('d2cb1', 'cb1', 'x'),
    rev('d1cb2', 'cb2', 'x'),
    rev('d2cb2', 'cb2', 'x'),
    rev('d3cb2', 'cb2', 'x'),
    rev('d1d2cb2', ['d1cb2', 'd2cb2'], 'x'),
  ]);
  const range = (r: string) => revisionHistory(forks, r).map((s) => s.revision);

  it('test_iterate_from_merge_point, test_iterate_single_branch(_to_base)', () => {
    // Alembic's order, its revisions given in the map's order.
    expect(range('a:d1d2cb2')).toEqual(['d1d2cb2', 'd1cb2', 'd2cb2', 'cb2', 'b2', 'a']);
    expect(range('a:d3cb2')).toEqual(['d3cb2', 'cb2', 'b2', 'a']);
    expect(range('base:d3cb2')).toEqual(['d3cb2', 'cb2', 'b2', 'a']);
    expect(range('b2:')).toEqual(['d1d2cb2', 'd1cb2', 'd3cb2', 'd2cb2', 'cb2', 'b2']);
    expect(range('')).toEqual(['d1cb1', 'd2cb1', 'cb1', 'b1', 'd1d2cb2', 'd1cb2', 'd3cb2', 'd2cb2', 'cb2', 'b2', 'a']);
  });

  it('test_same_branch_wrong_direction, test_distinct_branches, test_wrong_direction_to_base', () => {
    expect(() => range('d1cb1:b1')).toThrow("History range 'd1cb1:b1' is inverted: b1 comes before d1cb1. The older end comes first: 'b1:d1cb1'.");
    expect(() => range('b1:d2cb2')).toThrow(/lists nothing: no revision descends from b1 and leads to d2cb2/);
    expect(() => range('d1cb1:x@base')).toThrow(/inverted: base comes before d1cb1/);
  });

  it("refuses 'head' on a branch with several heads, as Alembic's MultipleHeads", () => {
    expect(() => range('base:head')).toThrow(MultipleHeadsError);
    expect(() => range('head:')).toThrow(MultipleHeadsError);
    expect(() => range('head:head')).toThrow("Multiple heads on branch 'x' for target 'head': d1cb1, d2cb1, d1d2cb2, d3cb2.");
    expect(() => range('x@head:')).toThrow(MultipleHeadsError);
    expect(range('base:heads')).toHaveLength(11);
    expect(range('heads:')).toEqual(['d1cb1', 'd2cb1', 'd1d2cb2', 'd3cb2']);
  });

  it('refuses a lower end of several revisions when some do not lead to the upper end (RangeNotAncestorError)', () => {
    expect(() => range('heads:d3cb2')).toThrow(
      "History range 'heads:d3cb2' is not one line: 'heads' stands for d1cb1, d2cb1, d1d2cb2, d3cb2, and d1cb1, d2cb1, d1d2cb2 do not lead to d3cb2. Give a lower end that does, e.g. 'd3cb2:d3cb2'.",
    );
    expect(() => range('heads:d1d2cb2')).toThrow(/is not one line/);
    expect(range('heads:heads')).toEqual(['d1cb1', 'd2cb1', 'd1d2cb2', 'd3cb2']);
  });

  // A bind standing at two revisions (d1cb1, cb2): Alembic's `history -r current:` passes them
  // all to iterate_revisions (checked with Alembic 1.8.1; its order aside, the same revisions).
  it("takes 'current' standing for several revisions as that set, at either end", () => {
    const current = ['d1cb1', 'cb2'];
    const at = (r: string) => revisionHistory(forks, r, [], current).map((s) => s.revision);
    expect(at('current:')).toEqual(['d1cb1', 'd1d2cb2', 'd1cb2', 'd3cb2', 'd2cb2', 'cb2']);
    expect(at(':current')).toEqual(['d1cb1', 'cb1', 'b1', 'cb2', 'b2', 'a']);
    expect(at('b1:current')).toEqual(['d1cb1', 'cb1', 'b1']);
    expect(at('b2:current')).toEqual(['cb2', 'b2']);
    expect(at('current:heads')).toEqual(at('current:'));
    // As Alembic's RangeNotAncestorError: d1cb1 does not lead to d3cb2.
    expect(() => at('current:d3cb2')).toThrow(
      "History range 'current:d3cb2' is not one line: 'current' stands for d1cb1, cb2, and d1cb1 does not lead to d3cb2. Give a lower end that does, e.g. 'cb2:d3cb2'.",
    );
    expect(() => at('-1:current')).toThrow(
      "History range '-1:current': 'current' stands for several revisions (d1cb1, cb2), and '-1' counts from one; give one of them instead of 'current'.",
    );
    expect(() => at('current:+1')).toThrow(/'current' stands for several revisions \(d1cb1, cb2\), and '\+1' counts from one/);
    // Without the set, 'current' is no target: the caller gives one revision in the range itself.
    expect(() => range('current:')).toThrow(/current/);
  });
});
