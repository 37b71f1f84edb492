import type { RevisionScript } from '../revision.js';

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
