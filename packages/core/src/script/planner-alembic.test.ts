// Alembic's revision-graph tests, ported as literal graphs: tests/test_version_traversal.py
// (`_assert_upgrade(destination, source, expected, expected_heads)` and `_assert_downgrade`,
// `_stamp_revs`) and tests/test_revision.py (`get_revision` of targets). Each case keeps its
// Alembic name. Our vocabulary: one version table is one bind; a bind's revisions live in one
// branch folder whose root carries the folder's name as a label, so Alembic's forests become one
// branch per tree (and one bind per branch), and a tree with a fork stays one branch.
//
// Where the order of independent steps differs from Alembic's (it runs some sibling lines in
// another order), the case asserts our order, which is also topological (every plan here is
// replayed and checked). Where we differ on purpose, a comment says why.
import { describe, expect, it } from 'vitest';
import { AmbiguousRevisionError, DependencyError, DowngradeTargetError, MultipleHeadsError, RevisionError, RevisionNotFoundError, UnknownBindError } from '../errors.js';
import { planDowngrade, planStamp, planUpgrade, type BindState, type Plan } from './planner.js';
import { RevisionMap } from './revision-map.js';
import { parseTarget } from './revision-target.js';
import { replayPlan } from '../testing/plan-replay.js';
import { branchedPathGraph, mergedPathGraph, rev } from '../testing/revision-fixture.js';

/** The outcome of a plan for one bind: its steps and its version-table rows at the end (sorted). */
interface Outcome {
  readonly steps: string[];
  readonly heads: string[];
}

function outcome(map: RevisionMap, binds: readonly BindState[], plan: Plan, bind = binds[0]!.bind): Outcome {
  const { rows, problems } = replayPlan(map, binds, plan);
  expect(problems).toEqual([]);
  return { steps: plan.steps.filter((s) => s.bind === bind).map((s) => s.revision), heads: [...rows.get(bind)!].sort() };
}

/** One bind `x` on branch `x` at `heads`. */
const at = (heads: readonly string[], bind = 'x'): BindState[] => [{ bind, branch: bind, heads }];

/** `_assert_upgrade(destination, source, …)` for one bind. */
const upgrade = (map: RevisionMap, destination: string | readonly string[], source: readonly string[]): Outcome =>
  outcome(map, at(source), planUpgrade(map, at(source), typeof destination === 'string' ? [destination] : destination));

/** `_assert_downgrade(destination, source, …)` for one bind. */
const downgrade = (map: RevisionMap, destination: string, source: readonly string[]): Outcome =>
  outcome(map, at(source), planDowngrade(map, at(source), destination));

/** The rows after `_stamp_revs(destination, source)`, sorted. */
const stamp = (map: RevisionMap, destination: string, source: readonly string[]): string[] => [...planStamp(map, at(source), [destination])[0]!.to].sort();

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe('RevisionPathTest: a <- b <- c <- d <- e', () => {
  const map = new RevisionMap([rev('a', null, 'x'), rev('b', 'a', 'x'), rev('c', 'b', 'x'), rev('d', 'c', 'x'), rev('e', 'd', 'x')]);

  it('test_downgrade_base_no_version, test_downgrade_to_existing, test_downgrade_to_existing_head', () => {
    expect(downgrade(map, 'base', [])).toEqual({ steps: [], heads: [] });
    expect(downgrade(map, 'a', ['a'])).toEqual({ steps: [], heads: ['a'] });
    expect(downgrade(map, 'e', ['e'])).toEqual({ steps: [], heads: ['e'] });
  });

  it('test_upgrade_path', () => {
    expect(upgrade(map, 'e', ['c'])).toEqual({ steps: ['d', 'e'], heads: ['e'] });
    expect(upgrade(map, 'c', [])).toEqual({ steps: ['a', 'b', 'c'], heads: ['c'] });
  });

  it('test_relative_upgrade_path', () => {
    expect(upgrade(map, '+2', ['a'])).toEqual({ steps: ['b', 'c'], heads: ['c'] });
    expect(upgrade(map, '+1', ['a'])).toEqual({ steps: ['b'], heads: ['b'] });
    expect(upgrade(map, '+3', ['b'])).toEqual({ steps: ['c', 'd', 'e'], heads: ['e'] });
    expect(upgrade(map, 'b+2', ['a'])).toEqual({ steps: ['b', 'c', 'd'], heads: ['d'] });
    expect(upgrade(map, 'd-2', ['a'])).toEqual({ steps: ['b'], heads: ['b'] });
  });

  it('test_invalid_relative_upgrade_path', () => {
    expect(() => upgrade(map, '-2', ['b'])).toThrow("'-2' steps down; use 'downgrade -2'.");
    expect(() => upgrade(map, '+5', ['b'])).toThrow(/'\+5' goes beyond the head of branch 'x' \(only 3 revision\(s\) above\)/);
  });

  it('test_downgrade_path', () => {
    expect(downgrade(map, 'c', ['e'])).toEqual({ steps: ['e', 'd'], heads: ['c'] });
    expect(downgrade(map, 'base', ['c'])).toEqual({ steps: ['c', 'b', 'a'], heads: [] });
  });

  it('test_relative_downgrade_path', () => {
    expect(downgrade(map, '-1', ['c'])).toEqual({ steps: ['c'], heads: ['b'] });
    expect(downgrade(map, '-3', ['e'])).toEqual({ steps: ['e', 'd', 'c'], heads: ['b'] });
    expect(downgrade(map, 'a+2', ['d'])).toEqual({ steps: ['d'], heads: ['c'] });
    expect(downgrade(map, 'c-2', ['d'])).toEqual({ steps: ['d', 'c', 'b'], heads: ['a'] });
  });

  it('test_invalid_relative_downgrade_path', () => {
    expect(() => downgrade(map, '-5', ['b'])).toThrow(/'-5' goes below base \(only 2 revision\(s\) to step back\)/);
    expect(() => downgrade(map, '+2', ['b'])).toThrow("'+2' steps up; use 'upgrade +2'.");
  });

  it('test_invalid_move_rev_to_none, test_invalid_move_higher_to_lower: a target above the bind is refused', () => {
    expect(() => downgrade(map, 'b', [])).toThrow(new DowngradeTargetError('b', [{ bind: 'x', heads: [] }]));
    expect(() => downgrade(map, 'c', ['b'])).toThrow(/^Bind 'x': destination 'c' is not a valid downgrade target from current head\(s\) b: it is not applied/);
    // The current revision itself: nothing to do, as in Alembic.
    expect(downgrade(map, 'b', ['b'])).toEqual({ steps: [], heads: ['b'] });
  });

  it('test_stamp_to_base', () => {
    expect(stamp(map, 'base', ['d'])).toEqual([]);
  });

  it('head-N and base+N on a line', () => {
    expect(upgrade(map, 'head-1', ['b'])).toEqual({ steps: ['c', 'd'], heads: ['d'] });
    expect(downgrade(map, 'head-3', ['e'])).toEqual({ steps: ['e', 'd', 'c'], heads: ['b'] });
    expect(upgrade(map, 'base+1', [])).toEqual({ steps: ['a'], heads: ['a'] });
    expect(downgrade(map, 'base+1', ['c'])).toEqual({ steps: ['c', 'b'], heads: ['a'] });
    expect(stamp(map, 'head-1', ['a'])).toEqual(['d']);
    expect(() => upgrade(map, 'base+6', [])).toThrow(/goes beyond the head/);
    expect(() => downgrade(map, 'head-6', ['e'])).toThrow(/goes below base/);
  });
});

describe('BranchedPathTest: a <- b <- c1 (c1branch) <- d1; b <- c2 (c2branch) <- d2', () => {
  const map = new RevisionMap(branchedPathGraph());

  it('test_stamp_down_across_multiple_branch_to_branchpoint', () => {
    expect(stamp(map, 'b', ['d1', 'c2'])).toEqual(['b']);
  });

  it('test_stamp_to_labeled_base_multiple_heads: only the line of c1branch is removed', () => {
    expect(stamp(map, 'c1branch@base', ['d1', 'c2'])).toEqual(['c2']);
    expect(stamp(map, 'c2branch@base', ['d1', 'c2'])).toEqual(['d1']);
  });

  it('test_stamp_to_labeled_head_multiple_heads: the c1branch line stays', () => {
    expect(stamp(map, 'c2branch@head', ['d1', 'c2'])).toEqual(['d1', 'd2']);
  });

  // Alembic's _stamp_revs: the heads sharing a lineage with the label or the revision of
  // `Q@<rev>` are replaced together when one of them is on <rev>'s line (checked against
  // Alembic 1.8.1 by tools/parity). The bind's name is its root's label: its whole branch.
  // _collect_downgrade_revisions: with a branch label, only the target's children on the label's
  // line come down; when none is applied and the target is not a current head, Alembic refuses
  // ("not a valid downgrade target"; checked against Alembic 1.8.1 by tools/parity).
  it('downgrade label@<rev> from off the label line is refused; from the target itself does nothing', () => {
    expect(() => downgrade(map, 'c1branch@b', ['d2'])).toThrow(
      "Bind 'x': destination 'c1branch@b' is not a valid downgrade target from current head(s) d2: nothing above it on the line of 'c1branch' is applied",
    );
    expect(() => downgrade(map, 'c1branch@base+2', ['d2'])).toThrow(/not a valid downgrade target/);
    expect(downgrade(map, 'c2branch@b', ['d2'])).toEqual({ steps: ['d2', 'c2'], heads: ['b'] });
    expect(downgrade(map, 'c1branch@b', ['b'])).toEqual({ steps: [], heads: ['b'] });
    expect(downgrade(map, 'c1branch@c1', ['c1', 'd2'])).toEqual({ steps: [], heads: ['c1', 'd2'] });
  });

  it('stamp Q@<rev> replaces the rows on the line of Q too', () => {
    expect(stamp(map, 'x@c1', ['d1', 'c2'])).toEqual(['c1']);
    expect(stamp(map, 'x@c1', ['c2'])).toEqual(['c1', 'c2']);
    expect(stamp(map, 'c1', ['d1', 'c2'])).toEqual(['c1', 'c2']);
    expect(stamp(map, 'b@d1', ['c1', 'c2'])).toEqual(['d1']);
    expect(stamp(map, 'b@d1', ['c2'])).toEqual(['c2', 'd1']);
    expect(stamp(map, 'd1', ['c1', 'c2'])).toEqual(['c2', 'd1']);
    expect(stamp(map, 'c1branch@d1', ['c1', 'c2'])).toEqual(['c2', 'd1']);
  });

  it('test_upgrade_single_branch', () => {
    expect(upgrade(map, 'd1', ['b'])).toEqual({ steps: ['c1', 'd1'], heads: ['d1'] });
  });

  it('test_upgrade_multiple_branch', () => {
    // Alembic runs c2's line first ([b, c2, d2, c1, d1]); both orders are topological.
    expect(upgrade(map, ['d1', 'd2'], ['a'])).toEqual({ steps: ['b', 'c1', 'd1', 'c2', 'd2'], heads: ['d1', 'd2'] });
  });

  it('test_downgrade_multiple_branch', () => {
    // Alembic: [d1, c1, d2, c2, b]; ours undoes in reverse revision order.
    expect(downgrade(map, 'a', ['d1', 'd2'])).toEqual({ steps: ['d2', 'c2', 'd1', 'c1', 'b'], heads: ['a'] });
  });

  it('test_relative_upgrade: c2branch@head-1', () => {
    expect(upgrade(map, 'c2branch@head-1', ['b'])).toEqual({ steps: ['c2'], heads: ['c2'] });
  });

  it('test_relative_downgrade_baseplus2: base+2 is b, everything above it goes', () => {
    expect(downgrade(map, 'base+2', ['d2', 'd1'])).toEqual({ steps: ['d2', 'c2', 'd1', 'c1'], heads: ['b'] });
  });

  it('test_relative_downgrade_branchplus2: only the c2branch line goes back to b', () => {
    expect(downgrade(map, 'c2branch@base+2', ['d2', 'd1'])).toEqual({ steps: ['d2', 'c2'], heads: ['d1'] });
  });

  it('test_relative_downgrade_branchplus3: c2branch@base+3 is c2', () => {
    expect(downgrade(map, 'c2', ['d2', 'd1'])).toEqual({ steps: ['d2'], heads: ['c2', 'd1'] });
    expect(downgrade(map, 'c2branch@base+3', ['d2', 'd1'])).toEqual({ steps: ['d2'], heads: ['c2', 'd1'] });
  });

  it('test_downgrade_once_order_right/left(_unbalanced): -1 from two heads is refused', () => {
    // On purpose: Alembic warns ("downgrade -1 from multiple heads is ambiguous; this usage will
    // be disallowed in a future release") and steps back whichever row comes first. We refuse.
    for (const heads of [['d2', 'd1'], ['c2', 'd1'], ['d1', 'd2'], ['c1', 'd2']]) {
      expect(() => downgrade(map, '-1', heads)).toThrow(MultipleHeadsError);
    }
  });

  it('test_downgrade_once_order_left_unbalanced_labelled: c1branch@-1', () => {
    expect(downgrade(map, 'c1branch@-1', ['d1', 'd2'])).toEqual({ steps: ['d1'], heads: ['c1', 'd2'] });
  });

  it('test_downgrade_relative_order_right/left: d2-1', () => {
    expect(downgrade(map, 'd2-1', ['d2', 'c1'])).toEqual({ steps: ['d2'], heads: ['c1', 'c2'] });
    expect(downgrade(map, 'd2-1', ['c1', 'd2'])).toEqual({ steps: ['d2'], heads: ['c1', 'c2'] });
  });

  it('test_downgrade_single_branch_c1branch: c1branch@b', () => {
    expect(downgrade(map, 'c1branch@b', ['c1', 'd2'])).toEqual({ steps: ['c1'], heads: ['d2'] });
  });

  it('test_downgrade_single_branch_c1branch_from_d1_head: c2branch@b', () => {
    expect(downgrade(map, 'c2branch@b', ['c1', 'd2'])).toEqual({ steps: ['d2', 'c2'], heads: ['c1'] });
  });

  it('test_downgrade_single_branch_c2, test_downgrade_single_branch_d1: <rev>@b names the line of <rev>', () => {
    expect(downgrade(map, 'c2@b', ['d1', 'd2'])).toEqual({ steps: ['d2', 'c2'], heads: ['d1'] });
    expect(downgrade(map, 'd1@b', ['d1', 'd2'])).toEqual({ steps: ['d1', 'c1'], heads: ['d2'] });
  });

  it('test_downgrade_relative_to_branch_head: c1branch@head-1', () => {
    expect(downgrade(map, 'c1branch@head-1', ['d1', 'd2'])).toEqual({ steps: ['d1'], heads: ['c1', 'd2'] });
  });

  it('test_upgrade_other_branch_from_mergepoint: c2branch@+1 from c1 starts at the fork', () => {
    expect(upgrade(map, 'c2branch@+1', ['c1'])).toEqual({ steps: ['c2'], heads: ['c1', 'c2'] });
  });

  it('test_upgrade_one_branch_of_heads: c2branch@+1 from c1, c2', () => {
    expect(upgrade(map, 'c2branch@+1', ['c1', 'c2'])).toEqual({ steps: ['d2'], heads: ['c1', 'd2'] });
  });

  it('test_ambiguous_upgrade: +1 from two lines', () => {
    expect(() => upgrade(map, '+1', ['c1', 'c2'])).toThrow(/'\+1' is ambiguous: it starts from several current revisions \(c1, c2\)/);
  });

  it('test_upgrade_from_base(_implicit)', () => {
    expect(upgrade(map, 'base+1', [])).toEqual({ steps: ['a'], heads: ['a'] });
    expect(upgrade(map, '+1', [])).toEqual({ steps: ['a'], heads: ['a'] });
  });

  it('test_downgrade_minus1_to_base, test_downgrade_minus1_from_base', () => {
    expect(downgrade(map, '-1', ['a'])).toEqual({ steps: ['a'], heads: [] });
    expect(() => downgrade(map, '-1', [])).toThrow(/'-1' goes below base \(already at base\)/);
  });

  it('test_downgrade_no_effect_branched', () => {
    expect(downgrade(map, 'c2', ['d1', 'c2'])).toEqual({ steps: [], heads: ['c2', 'd1'] });
    expect(downgrade(map, 'd1', ['d1', 'c2'])).toEqual({ steps: [], heads: ['c2', 'd1'] });
  });

  it('c1branch@-1 where no row is on that line is refused (Alembic fails an assertion there)', () => {
    expect(() => downgrade(map, 'c2branch@-1', ['d1'])).toThrow(
      "Bind 'x': 'c2branch@-1' steps back along the line of 'c2branch', but none of its current revisions (d1) is on that line. Name the revision to go back to instead (e.g. 'x@<rev>').",
    );
  });

  it('label@+N from base, label@-N past the fork, and stamp along a line', () => {
    expect(upgrade(map, 'c2branch@+3', [])).toEqual({ steps: ['a', 'b', 'c2'], heads: ['c2'] });
    expect(upgrade(map, 'c1branch@+2', ['d2'])).toEqual({ steps: ['c1', 'd1'], heads: ['d1', 'd2'] });
    // Past the fork, the trunk goes and the other line with it (as in Alembic).
    expect(downgrade(map, 'c1branch@-3', ['d1', 'd2'])).toEqual({ steps: ['d2', 'c2', 'd1', 'c1', 'b'], heads: ['a'] });
    expect(stamp(map, 'c2branch@+1', ['d1'])).toEqual(['c2', 'd1']);
    expect(stamp(map, 'c1branch@-1', ['d1', 'd2'])).toEqual(['c1', 'd2']);
    expect(stamp(map, 'c1branch@-3', ['d1', 'c2'])).toEqual(['a']);
  });
});

// Checked against Alembic 1.8.1 (found by tools/parity/alembic-corpus.mjs):
// `+N` from several current revisions is refused ("Ambiguous upgrade from multiple current
// revisions"), even where only one of them goes on or both lead to one merge; `<rev>@+N` steps
// one of them. (multidb walked up from every row and went on when they met one revision.)
describe('+N from several current revisions: a <- b <- c1; a <- c2 <- d2 <- e2; m merges c1, e2', () => {
  const map = new RevisionMap([
    rev('a', null, 'x'),
    rev('b', 'a', 'x'),
    rev('c1', 'b', 'x'),
    rev('c2', 'a', 'x'),
    rev('d2', 'c2', 'x'),
    rev('e2', 'd2', 'x'),
    rev('m', ['c1', 'e2'], 'x'),
  ]);

  it('+1, +2 and x@+1 are refused from two rows; <rev>@+1 steps that row up', () => {
    expect(() => upgrade(map, '+1', ['c1', 'd2'])).toThrow(
      "Bind 'x': '+1' is ambiguous: it starts from several current revisions (c1, d2). Step one of them up with 'x@<rev>+1' (e.g. 'x@c1+1'), or name the revision to go to.",
    );
    // The hint's form names the bind: '<rev>@+1' would select every bind of the branch (tenants).
    expect(upgrade(map, 'x@c1+1', ['c1', 'd2'])).toEqual({ steps: ['e2', 'm'], heads: ['m'] });
    expect(() => upgrade(map, '+2', ['c1', 'd2'])).toThrow(/is ambiguous: it starts from several current revisions/);
    expect(() => upgrade(map, 'x@+1', ['c1', 'd2'])).toThrow(/is ambiguous: it starts from several current revisions/);
    expect(() => upgrade(map, '+1', ['c1', 'e2'])).toThrow(/is ambiguous: it starts from several current revisions/);
    expect(upgrade(map, 'd2@+1', ['c1', 'd2'])).toEqual({ steps: ['e2'], heads: ['c1', 'e2'] });
    expect(upgrade(map, 'c1@+1', ['c1', 'e2'])).toEqual({ steps: ['m'], heads: ['m'] });
    expect(upgrade(map, 'c1@+1', ['b', 'd2'])).toEqual({ steps: ['c1'], heads: ['c1', 'd2'] });
  });
});

// Checked against Alembic 1.8.1 (found by tools/parity/alembic-corpus.mjs):
// _collect_downgrade_revisions keeps, of the target's children at a fork, those the labelled
// revision descends from; with the label at or below the fork none is left, and Alembic refuses
// ("Not a valid downgrade target from current heads"), even from the target itself. (multidb
// took back every line above the fork: all of them are on the label's line.)
describe('label@<rev> with the label at or below the fork: a <- b (bl) <- c1 <- d1; b <- c2; a <- al (low)', () => {
  const map = new RevisionMap([
    rev('a', null, 'x'),
    rev('b', 'a', 'x', { branchLabels: ['bl'] }),
    rev('c1', 'b', 'x'),
    rev('d1', 'c1', 'x'),
    rev('c2', 'b', 'x'),
    rev('al', 'a', 'x', { branchLabels: ['low'] }),
  ]);

  it('bl@b, bl@-1, bl@-2 and b@b are refused; above the fork the line comes down', () => {
    expect(() => downgrade(map, 'bl@b', ['c1', 'c2'])).toThrow(
      "Bind 'x': destination 'bl@b' is not a valid downgrade target: 'bl' is at or below the fork at 'b', so no line above 'b' leads to it. " +
        "Name the revision on the line to go back to (e.g. 'c1'), or 'x@b' to take back every line above 'b'.",
    );
    expect(() => downgrade(map, 'bl@b', ['b'])).toThrow(/'bl' is at or below the fork at 'b'/);
    expect(() => downgrade(map, 'bl@-1', ['c1'])).toThrow(/'bl' is at or below the fork at 'b'/);
    expect(() => downgrade(map, 'bl@-2', ['d1'])).toThrow(/'bl' is at or below the fork at 'b'/);
    expect(() => downgrade(map, 'b@b', ['c1', 'c2'])).toThrow(/'b' is at or below the fork at 'b'/);
    expect(downgrade(map, 'bl@c1', ['d1', 'c2'])).toEqual({ steps: ['d1'], heads: ['c1', 'c2'] });
    expect(downgrade(map, 'c1@b', ['d1', 'c2'])).toEqual({ steps: ['d1', 'c1'], heads: ['c2'] });
    // Alembic: [d1, c1, c2, b]; ours undoes in reverse revision order.
    expect(downgrade(map, 'b@a', ['d1', 'c2'])).toEqual({ steps: ['c2', 'd1', 'c1', 'b'], heads: ['a'] });
    expect(() => downgrade(map, 'low@a', ['d1', 'c2'])).toThrow(/not a valid downgrade target/);
  });

  it('tenants: bl@-1 with one tenant landing on the fork is refused for all, naming it (not that tenant left out unsaid)', () => {
    const tenants: BindState[] = [
      { bind: 't1', branch: 'x', heads: ['c1'] },
      { bind: 't2', branch: 'x', heads: ['d1'] },
      { bind: 't3', branch: 'x', heads: ['c1'] },
    ];
    expect(() => planDowngrade(map, tenants, 'bl@-1', { allBinds: true })).toThrow(
      /^Bind 't1' \(and 1 other bind: t3\): destination 'bl@-1' is not a valid downgrade target: 'bl' is at or below the fork at 'b'/,
    );
    // t2 alone comes down one step along the line.
    expect(planDowngrade(map, tenants.slice(1, 2), 'bl@-1', { allBinds: true }).steps.map((s) => s.revision)).toEqual(['d1']);
  });
});

describe('BranchFromMergepointTest: two lines merge into d1, and c2 goes on into d2', () => {
  // Alembic's two roots a1 and a2 hang off one root r here: a branch has one root.
  const map = new RevisionMap([
    rev('r', null, 'x'),
    rev('a1', 'r', 'x'),
    rev('b1', 'a1', 'x'),
    rev('c1', 'b1', 'x'),
    rev('a2', 'r', 'x'),
    rev('b2', 'a2', 'x'),
    rev('c2', 'b2', 'x'),
    rev('d1', ['c1', 'c2'], 'x'),
    rev('d2', 'c2', 'x'),
  ]);

  it('test_mergepoint_to_only_one_side_upgrade', () => {
    expect(upgrade(map, 'd1', ['d2', 'b1'])).toEqual({ steps: ['c1', 'd1'], heads: ['d1', 'd2'] });
  });

  it('test_mergepoint_to_only_one_side_downgrade', () => {
    expect(downgrade(map, 'b1', ['d2', 'd1'])).toEqual({ steps: ['d1', 'c1'], heads: ['b1', 'd2'] });
  });
});

describe('BranchFrom3WayMergepointTest: three lines merge into d1; c2 and c3 go on', () => {
  const map = new RevisionMap([
    rev('r', null, 'x'),
    ...['1', '2', '3'].flatMap((n) => [rev(`a${n}`, 'r', 'x'), rev(`b${n}`, `a${n}`, 'x'), rev(`c${n}`, `b${n}`, 'x')]),
    rev('d1', ['c1', 'c2', 'c3'], 'x'),
    rev('d2', 'c2', 'x'),
    rev('d3', 'c3', 'x'),
  ]);

  it('test_mergepoint_to_only_one_side_upgrade/downgrade', () => {
    expect(upgrade(map, 'd1', ['d3', 'd2', 'b1'])).toEqual({ steps: ['c1', 'd1'], heads: ['d1', 'd2', 'd3'] });
    expect(downgrade(map, 'b1', ['d3', 'd2', 'd1'])).toEqual({ steps: ['d1', 'c1'], heads: ['b1', 'd2', 'd3'] });
  });

  it('test_mergepoint_to_two_sides_upgrade', () => {
    // Alembic: [c2, c1, d1]; ours runs c1 first.
    expect(upgrade(map, 'd1', ['d3', 'b2', 'b1'])).toEqual({ steps: ['c1', 'c2', 'd1'], heads: ['d1', 'd3'] });
    expect(upgrade(map, 'd2', ['d3', 'd1'])).toEqual({ steps: ['d2'], heads: ['d1', 'd2', 'd3'] });
  });
});

describe('TwinMergeTest, NotQuiteTwinMergeTest: two merges of the same lines', () => {
  it('test_upgrade (twin): the rows after each step', () => {
    const map = new RevisionMap([
      rev('a', null, 'x'),
      rev('b1', 'a', 'x'),
      rev('b2', 'a', 'x'),
      rev('b3', 'a', 'x'),
      rev('c1', ['b1', 'b2', 'b3'], 'x'),
      rev('c2', ['b1', 'b2', 'b3'], 'x'),
      rev('d1', 'c1', 'x'),
      rev('d2', 'c2', 'x'),
    ]);
    const plan = planUpgrade(map, at(['a']), ['heads']);
    expect(outcome(map, at(['a']), plan).heads).toEqual(['d1', 'd2']);
    // Alembic's order is b3, b1, b2, c2, d2, c1, d1; the rows follow the same rule in ours.
    expect(plan.steps.map((s) => [s.revision, sorted(s.headsAfter)])).toEqual([
      ['b1', ['b1']],
      ['b2', ['b1', 'b2']],
      ['b3', ['b1', 'b2', 'b3']],
      ['c1', ['c1']],
      ['d1', ['d1']],
      ['c2', ['c2', 'd1']],
      ['d2', ['d1', 'd2']],
    ]);
  });

  it('test_upgrade (not quite twin)', () => {
    const map = new RevisionMap([
      rev('a', null, 'x'),
      rev('b1', 'a', 'x'),
      rev('b2', 'a', 'x'),
      rev('b3', 'a', 'x'),
      rev('c1', ['b1', 'b2'], 'x'),
      rev('c2', ['b2', 'b3'], 'x'),
      rev('d1', 'c1', 'x'),
      rev('d2', 'c2', 'x'),
    ]);
    const plan = planUpgrade(map, at(['a']), ['heads']);
    expect(plan.steps.map((s) => [s.revision, sorted(s.headsAfter)])).toEqual([
      ['b1', ['b1']],
      ['b2', ['b1', 'b2']],
      ['c1', ['c1']],
      ['d1', ['d1']],
      ['b3', ['b3', 'd1']],
      ['c2', ['c2', 'd1']],
      ['d2', ['d1', 'd2']],
    ]);
    expect(outcome(map, at(['a']), plan).heads).toEqual(['d1', 'd2']);
  });
});

describe('MergedPathTest: a <- b <- c1 <- d1; b <- c2 (c2branch) <- d2; e merges d1, d2; f', () => {
  const map = new RevisionMap(mergedPathGraph());

  it('test_stamp_down_across_merge_point_branch, test_stamp_down_across_merge_prior_branching', () => {
    expect(stamp(map, 'c2', ['e'])).toEqual(['c2']);
    expect(stamp(map, 'a', ['e'])).toEqual(['a']);
  });

  it('test_stamp_up_across_merge_from_single_branch, _from_multiple_branch, _prior_branching', () => {
    expect(stamp(map, 'e', ['c2'])).toEqual(['e']);
    expect(stamp(map, 'e', ['d1', 'c2'])).toEqual(['e']);
    expect(stamp(map, 'e', ['b'])).toEqual(['e']);
  });

  it('test_stamp_labeled_head_across_merge_from_multiple_branch: c2branch@head is f', () => {
    expect(stamp(map, 'c2branch@head', ['d1', 'c2'])).toEqual(['f']);
  });

  it('test_upgrade_across_merge_point', () => {
    // Alembic: [c2, d2, c1, d1, e, f].
    expect(upgrade(map, 'f', ['b'])).toEqual({ steps: ['c1', 'd1', 'c2', 'd2', 'e', 'f'], heads: ['f'] });
  });

  it('test_downgrade_across_merge_point', () => {
    // Alembic: [f, e, d1, c1, d2, c2].
    expect(downgrade(map, 'b', ['f'])).toEqual({ steps: ['f', 'e', 'd2', 'c2', 'd1', 'c1'], heads: ['b'] });
  });
});

describe('BranchedPathTestCrossDependencies: d2 (c2branch) depends on c1 (c1branch)', () => {
  const map = new RevisionMap([
    rev('a', null, 'x'),
    rev('b', 'a', 'x'),
    rev('c1', 'b', 'x', { branchLabels: ['c1branch'] }),
    rev('d1', 'c1', 'x'),
    rev('c2', 'b', 'x', { branchLabels: ['c2branch'] }),
    rev('d2', 'c2', 'x', { dependsOn: ['c1'] }),
  ]);

  it('test_downgrade_independent_branch: c2branch@b takes down only its line', () => {
    expect(downgrade(map, 'c2branch@b', ['d1', 'd2'])).toEqual({ steps: ['d2', 'c2'], heads: ['d1'] });
  });

  it('test_downgrade_branch_dependency: c1branch@b also takes down d2, which depends on c1', () => {
    const result = downgrade(map, 'c1branch@b', ['d1', 'd2']);
    expect(sorted(result.steps)).toEqual(['c1', 'd1', 'd2']);
    expect(result.steps.indexOf('d1')).toBeLessThan(result.steps.indexOf('c1'));
    expect(result.steps.indexOf('d2')).toBeLessThan(result.steps.indexOf('c1'));
    expect(result.heads).toEqual(['c2']);
  });

  // Checked with Alembic 1.8.1 (_collect_downgrade_revisions): a downgrade to c1 starts at c1's
  // children (down revisions); d2, which only depends on c1, stays, as c1 does. (multidb took
  // d2 back too, and with it the c2branch line's work.)
  it('a downgrade to c1 leaves d2, which depends on c1, applied', () => {
    expect(downgrade(map, 'c1', ['d1', 'd2'])).toEqual({ steps: ['d1'], heads: ['d2'] });
    expect(downgrade(map, 'c1branch@c1', ['d1', 'd2'])).toEqual({ steps: ['d1'], heads: ['d2'] });
    const toB = downgrade(map, 'b', ['d1', 'd2']);
    expect(sorted(toB.steps)).toEqual(['c1', 'c2', 'd1', 'd2']);
    expect(toB.heads).toEqual(['b']);
  });
});

// Checked with Alembic 1.8.1 (tools/parity, seed 11 with --deps): `<rev>@head` follows the down
// revisions up from <rev>; y, which only depends on c, is on another line. (multidb found two
// heads, e and y, and refused.)
describe('<rev>@head with a revision of another line depending on the line', () => {
  // a <- b <- c <- d <- e; a <- y (depends on c)
  const map = new RevisionMap([rev('a', null, 'x'), rev('b', 'a', 'x'), rev('c', 'b', 'x'), rev('d', 'c', 'x'), rev('e', 'd', 'x'), rev('y', 'a', 'x', { dependsOn: ['c'] })]);

  it('upgrade c@head goes up c\'s line only; stamp c@head stamps its end', () => {
    expect(upgrade(map, 'c@head', [])).toEqual({ steps: ['a', 'b', 'c', 'd', 'e'], heads: ['e'] });
    expect(upgrade(map, 'y@head', [])).toEqual({ steps: ['a', 'b', 'c', 'y'], heads: ['y'] });
    expect(stamp(map, 'c@head', ['y'])).toEqual(['e', 'y']);
  });
});

// Checked with Alembic 1.8.1: t depends on s, its sibling; at t (s applied with it), `downgrade -1`
// takes back t alone and leaves s. (multidb stepped back to r, the down revision, and took s back
// too.) `-2` goes to base in both.
describe('a relative downgrade of a revision that depends on its sibling', () => {
  // r <- s; r <- t (depends on s) <- u
  const map = new RevisionMap([rev('r', null, 'x'), rev('s', 'r', 'x'), rev('t', 'r', 'x', { dependsOn: ['s'] }), rev('u', 't', 'x')]);

  it('-1 and a bare bind take back the revision only; -2 from t reaches base, as in Alembic', () => {
    expect(downgrade(map, '-1', ['t'])).toEqual({ steps: ['t'], heads: ['s'] });
    expect(downgrade(map, 'x', ['t'])).toEqual({ steps: ['t'], heads: ['s'] });
    expect(downgrade(map, 'x@-1', ['t'])).toEqual({ steps: ['t'], heads: ['s'] });
    expect(downgrade(map, 't@-1', ['t'])).toEqual({ steps: ['t'], heads: ['s'] });
    expect(downgrade(map, '-2', ['u'])).toEqual({ steps: ['u', 't'], heads: ['s'] });
    const toBase = downgrade(map, '-2', ['t']);
    expect(sorted(toBase.steps)).toEqual(['r', 's', 't']);
    expect(toBase.heads).toEqual([]);
    expect(stamp(map, '-1', ['t'])).toEqual(['s']);
  });
});

describe('DependsOnOwnDownrevTest: a2 revises a1 and depends on it', () => {
  const map = new RevisionMap([rev('a1', null, 'x'), rev('a2', 'a1', 'x', { dependsOn: ['a1'] })]);

  it('test_traverse, test_traverse_down', () => {
    expect(upgrade(map, 'a2', [])).toEqual({ steps: ['a1', 'a2'], heads: ['a2'] });
    expect(downgrade(map, 'a1', ['a2'])).toEqual({ steps: ['a2'], heads: ['a1'] });
  });
});

// Alembic's forests keep several trees in one version table; here each tree is a branch with its
// own bind, and depends-on orders work across binds.
describe('depends-on across trees: one bind per tree', () => {
  const states = (rows: Record<string, readonly string[]>): BindState[] => Object.entries(rows).map(([bind, heads]) => ({ bind, branch: bind, heads }));
  const rowsAfter = (map: RevisionMap, binds: readonly BindState[], plan: Plan): Record<string, string[]> => {
    const { rows, problems } = replayPlan(map, binds, plan);
    expect(problems).toEqual([]);
    return Object.fromEntries([...rows].map(([b, r]) => [b, sorted(r)]));
  };
  const steps = (plan: Plan): string[] => plan.steps.map((s) => `${s.bind}:${s.revision}`);

  it('DependsOnBranchTestOne.test_downgrade_to_dependency: c2 depends on c1, which stays', () => {
    const map = new RevisionMap([
      rev('a1', null, 'lib1'),
      rev('b1', 'a1', 'lib1'),
      rev('c1', 'b1', 'lib1'),
      rev('d1', 'c1', 'lib1'),
      rev('e1', 'd1', 'lib1'),
      rev('f1', 'e1', 'lib1'),
      rev('a2', null, 'two'),
      rev('b2', 'a2', 'two'),
      rev('c2', 'b2', 'two', { dependsOn: ['c1'] }),
    ]);
    const binds = states({ lib1: ['d1'], two: ['c2'] });
    const plan = planDowngrade(map, binds, 'lib1@-1');
    expect(steps(plan)).toEqual(['lib1:d1']);
    expect(rowsAfter(map, binds, plan)).toEqual({ lib1: ['c1'], two: ['c2'] });
    // On purpose: going below c1 would break two's c2; Alembic takes c2 down too, we refuse.
    expect(() => planDowngrade(map, binds, 'lib1@b1')).toThrow(DependencyError);
    // test_stamp_across_dependency: stamp sets one bind; it does not check depends-on.
    expect(planStamp(map, states({ lib1: ['e1'], two: ['c2'] }), ['lib1@b1'])).toEqual([{ bind: 'lib1', from: ['e1'], to: ['b1'] }]);
  });

  it('DependsOnBranchTestThree.test_downgrade_over_crisscross (#377)', () => {
    const map = new RevisionMap([
      rev('a1', null, 'a'),
      rev('a2', 'a1', 'a'),
      rev('a3', 'a2', 'a', { dependsOn: ['b1'] }),
      rev('b1', null, 'b'),
      rev('b2', 'b1', 'b', { dependsOn: ['a2'] }),
      rev('b3', 'b2', 'b'),
    ]);
    const binds = states({ a: ['a3'], b: ['b2'] });
    const plan = planDowngrade(map, binds, 'b1');
    expect(steps(plan)).toEqual(['b:b2']);
    expect(rowsAfter(map, binds, plan)).toEqual({ a: ['a3'], b: ['b1'] });
  });

  it('DependsOnBranchTestFour.test_dependencies_are_normalized (#789)', () => {
    const map = new RevisionMap([
      rev('a1', null, 'a'),
      rev('a2', 'a1', 'a'),
      rev('a3', 'a2', 'a'),
      rev('b1', null, 'b'),
      rev('b2', 'b1', 'b', { dependsOn: ['a3'] }),
      rev('b3', 'b2', 'b'),
      rev('b4', 'b3', 'b', { dependsOn: ['a3'] }),
    ]);
    const binds = states({ a: ['a3'], b: ['b4'] });
    const plan = planDowngrade(map, binds, 'b3');
    expect(steps(plan)).toEqual(['b:b4']);
    expect(rowsAfter(map, binds, plan)).toEqual({ a: ['a3'], b: ['b3'] });
  });

  it('DependsOnBranchLabelTest.test_upgrade_path: the dependency is upgraded first', () => {
    // Alembic's dependsOn names the label 'c1lib'; ours may too (the map resolves a label to the
    // revision carrying it), and this case names the revision, which is the same dependency.
    const map = new RevisionMap([
      rev('a1', null, 'lib1'),
      rev('b1', 'a1', 'lib1'),
      rev('c1', 'b1', 'lib1', { branchLabels: ['c1lib'] }),
      rev('d1', 'c1', 'lib1'),
      rev('a2', null, 'two'),
      rev('b2', 'a2', 'two'),
      rev('c2', 'b2', 'two', { dependsOn: ['c1'] }),
    ]);
    const binds = states({ lib1: [], two: ['a2'] });
    const plan = planUpgrade(map, binds, ['c2']);
    expect(steps(plan)).toEqual(['lib1:a1', 'lib1:b1', 'lib1:c1', 'two:b2', 'two:c2']);
    expect(rowsAfter(map, binds, plan)).toEqual({ lib1: ['c1'], two: ['c2'] });
  });

  it('MultipleBranchEffectiveHead: x@-1 from x2 steps x back; from x1 it would break y2', () => {
    const map = new RevisionMap([
      rev('y1', null, 'y'),
      rev('x1', null, 'x'),
      rev('y2', 'y1', 'y', { dependsOn: ['x1'] }),
      rev('x2', 'x1', 'x'),
    ]);
    // test_other_downgrade
    expect(steps(planDowngrade(map, states({ x: ['x2'], y: ['y2'] }), 'x@-1'))).toEqual(['x:x2']);
    // test_use_all_current, test_effective_head: Alembic takes y2 down with x1. On purpose we refuse
    // to undo another bind's revision implicitly, naming it.
    const error = (() => {
      try {
        planDowngrade(map, states({ x: ['x1'], y: ['y2'] }), 'x@-1');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DependencyError);
    expect(error).toMatchObject({ revision: 'x1', dependent: 'y2', dependentBind: 'y', bind: 'x' });
  });

  it('ForestTest: test_base_to_heads, test_stamp_to_heads(_no_moves_needed)', () => {
    const map = new RevisionMap([rev('a1', null, 't1'), rev('b1', 'a1', 't1'), rev('a2', null, 't2'), rev('b2', 'a2', 't2')]);
    const fresh = states({ t1: [], t2: [] });
    expect(steps(planUpgrade(map, fresh, ['heads']))).toEqual(['t1:a1', 't1:b1', 't2:a2', 't2:b2']);
    expect(planStamp(map, fresh, ['heads'])).toEqual([
      { bind: 't1', from: [], to: ['b1'] },
      { bind: 't2', from: [], to: ['b2'] },
    ]);
    const done = states({ t1: ['b1'], t2: ['b2'] });
    expect(planStamp(map, done, ['heads']).every((c) => c.from.join() === c.to.join())).toBe(true);
  });
});

describe('test_revision.py LabeledBranchTest: resolving targets', () => {
  // Two trees: 'abranch' labels the root a; 'ebranch' labels e, above the root d (folder 'dtree').
  const map = new RevisionMap([
    rev('a', null, 'abranch'),
    rev('b', 'a', 'abranch'),
    rev('somelongername', 'b', 'abranch'),
    rev('c', 'somelongername', 'abranch'),
    rev('d', null, 'dtree'),
    rev('e', 'd', 'dtree', { branchLabels: ['ebranch'] }),
    rev('someothername', 'e', 'dtree'),
    rev('f', 'someothername', 'dtree'),
  ]);
  const parse = (text: string) => parseTarget(text, map);
  /** The revisions `text` stands for on a fresh bind of its branch: what an upgrade to it reaches. */
  const reached = (text: string, branch: string): readonly string[] => {
    const binds = at([], branch);
    return planUpgrade(map, binds, [text]).steps.at(-1)?.headsAfter ?? [];
  };

  it('test_get_current_named_rev, test_branch_at_syntax, test_branch_at_heads', () => {
    expect(reached('ebranch@head', 'dtree')).toEqual(['f']);
    expect(reached('abranch@head', 'abranch')).toEqual(['c']);
    expect(reached('abranch@heads', 'abranch')).toEqual(['c']);
    expect(parse('abranch@base')).toMatchObject({ kind: 'base', scope: { branch: 'abranch' } });
    expect(parse('ebranch@d')).toMatchObject({ kind: 'revision', revision: 'd' });
  });

  it('test_branch_at_self, test_retrieve_branch_revision, test_actually_short_rev_name', () => {
    expect(parse('ebranch@ebranch')).toMatchObject({ kind: 'revision', revision: 'e' });
    expect(parse('abranch')).toMatchObject({ kind: 'bind', scope: { anchor: 'a' } });
    expect(parse('ebranch')).toMatchObject({ kind: 'revision', revision: 'e' });
    expect(parse('e')).toMatchObject({ kind: 'revision', revision: 'e' });
  });

  it('test_partial_id_resolve: a prefix is matched within the label\'s line', () => {
    expect(() => parse('some')).toThrow(AmbiguousRevisionError);
    expect(parse('ebranch@some')).toMatchObject({ kind: 'revision', revision: 'someothername' });
    expect(parse('abranch@some')).toMatchObject({ kind: 'revision', revision: 'somelongername' });
  });

  it('test_partial_id_resolve_too_short, test_no_revision_exists', () => {
    // Alembic matches prefixes of 4 characters or more; any prefix matches here (DESIGN §2).
    expect(() => parse('ebranch@sos')).toThrow(RevisionNotFoundError);
    expect(() => parse('abranch@qprstuv')).toThrow("'abranch@qprstuv': no revision of branch 'abranch' matches 'qprstuv'.");
  });

  it('test_rev_not_in_branch', () => {
    expect(() => parse('ebranch@b')).toThrow("'ebranch@b': revision 'b' (branch 'abranch') is not in the line of 'ebranch' (branch 'dtree').");
    expect(() => parse('abranch@d')).toThrow("'abranch@d': revision 'd' (branch 'dtree') is not in branch 'abranch'.");
  });

  it('test_not_actually_a_branch(_partial_resolution): a revision qualifier', () => {
    expect(parse('e@d')).toMatchObject({ kind: 'revision', revision: 'd', scope: { via: 'revision', anchor: 'e' } });
    expect(parse('someoth@d')).toMatchObject({ kind: 'revision', revision: 'd', scope: { via: 'revision', anchor: 'someothername' } });
  });

  it('test_no_such_branch', () => {
    expect(() => parse('x@d')).toThrow(UnknownBindError);
  });

  it('test_branch_w_down_relative, test_branch_w_up_relative', () => {
    const binds = at(['f'], 'dtree');
    expect(planDowngrade(map, binds, 'ebranch@-2').steps.map((s) => s.revision)).toEqual(['f', 'someothername']);
    expect(planUpgrade(map, at([], 'dtree'), ['ebranch@+2']).steps.map((s) => s.revision)).toEqual(['d', 'e']);
  });

  it('test_get_revision_head_multiple: head on a forked branch', () => {
    const forked = new RevisionMap([rev('a', null, 'x'), rev('b', 'a', 'x'), rev('c1', 'b', 'x'), rev('c2', 'b', 'x')]);
    expect(() => planUpgrade(forked, at([]), ['head'])).toThrow(MultipleHeadsError);
    expect(planUpgrade(forked, at([]), ['heads']).steps.at(-1)!.headsAfter).toEqual(['c1', 'c2']);
  });

  it('refuses a revision id that is no revision (a RevisionError, not a silent no-op)', () => {
    expect(() => parse('zz')).toThrow(RevisionError);
  });
});

