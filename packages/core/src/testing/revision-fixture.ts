import type { RevisionScript } from '../script/revision-script.js';

/**
 * A revision script literal for graph tests: the branch root (no down revision) gets its branch
 * as its label unless `extra.branchLabels` says otherwise; the message is `message of <id>`.
 * Test support only: not part of the build.
 */
export function rev(revision: string, down: string | readonly string[] | null, branch: string, extra: Partial<RevisionScript> = {}): RevisionScript {
  const downRevisions = down === null ? [] : typeof down === 'string' ? [down] : [...down];
  return {
    revision,
    downRevisions,
    branchLabels: downRevisions.length === 0 ? [branch] : [],
    dependsOn: [],
    message: `message of ${revision}`,
    branch,
    path: `/repo/migrations/versions/${branch}/${revision}_x.ts`,
    ...extra,
  };
}

/** Runs `fn` and returns what it throws; fails when it does not throw. Test support only. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** db1: a1 <- a2 <- a3; db2: b1 <- b2 (depends on a2) <- b3; f: f1 <- f2a, f2b <- fm (merge). */
export const sampleGraph = (): RevisionScript[] => [
  rev('a1', null, 'db1'),
  rev('a2', 'a1', 'db1'),
  rev('a3', 'a2', 'db1'),
  rev('b1', null, 'db2'),
  rev('b2', 'b1', 'db2', { dependsOn: ['a2'] }),
  rev('b3', 'b2', 'db2'),
  rev('f1', null, 'f'),
  rev('f2a', 'f1', 'f'),
  rev('f2b', 'f1', 'f', { branchLabels: ['side'] }),
  rev('fm', ['f2a', 'f2b'], 'f'),
];

/**
 * Alembic's BranchedPathTest graph (one branch 'x', two heads): a <- b <- c1 (c1branch) <- d1;
 * b <- c2 (c2branch) <- d2.
 */
export const branchedPathGraph = (): RevisionScript[] => [
  rev('a', null, 'x'),
  rev('b', 'a', 'x'),
  rev('c1', 'b', 'x', { branchLabels: ['c1branch'] }),
  rev('d1', 'c1', 'x'),
  rev('c2', 'b', 'x', { branchLabels: ['c2branch'] }),
  rev('d2', 'c2', 'x'),
];

/**
 * Alembic's MergedPathTest graph (one branch 'x', one head): a <- b <- c1 <- d1;
 * b <- c2 (c2branch) <- d2; e merges d1 and d2; f <- e.
 */
export const mergedPathGraph = (): RevisionScript[] => [
  rev('a', null, 'x'),
  rev('b', 'a', 'x'),
  rev('c1', 'b', 'x'),
  rev('d1', 'c1', 'x'),
  rev('c2', 'b', 'x', { branchLabels: ['c2branch'] }),
  rev('d2', 'c2', 'x'),
  rev('e', ['d1', 'd2'], 'x'),
  rev('f', 'e', 'x'),
];
