import { MultipleHeadsError, RevisionError, RevisionNotFoundError } from '../errors.js';
import { headsInOrder } from './listing-order.js';
import type { RevisionMap } from './revision-map.js';
import { parseTarget, type BindBranch } from './revision-target.js';

/** The revisions a `show` target names (see {@link showTarget}). */
export interface ShownRevisions {
  /**
   * The target names a set of revisions (`heads`, `Q@heads`: every head; `base`, `Q@base`: none)
   * rather than one; every other target names exactly one.
   */
  readonly several: boolean;
  /** The revision ids (`heads`: branches in config order, as `heads` lists them; see `headsInOrder`). */
  readonly revisions: readonly string[];
}

/**
 * Resolves a `show` target from the revision map alone, as Alembic's `show` does through
 * `get_revisions`: a revision id or prefix, a branch label, `<rev>±N`, `head` (the one head;
 * {@link MultipleHeadsError} when a branch or the qualifier's line has several), `heads` (every
 * head), `base` (no revision), a bind name (its branch's root, whose label the name is), and `Q@head`, `Q@heads`, `Q@base`,
 * `Q@<rev>`, `Q@head-N`, `Q@base+N`, `head-N`, `base+N`.
 *
 * @param text - the target as written.
 * @param map - the revision map.
 * @param binds - the configured binds with their branches (default none).
 * @returns the revisions named, and whether the target names a set of them.
 * @throws {@link MultipleHeadsError} for `head` or `head-N` on a branch (or line) with several heads.
 * @throws {@link RevisionNotFoundError} for a bind whose branch has no revisions yet.
 * @throws {@link RevisionError} for a target relative to a current revision (`+N`, `-N`, `Q@±N`:
 *   `show` reads no database), `base+N` with several branches and no qualifier, or a `head-N` or
 *   `<rev>-N` that reaches the down revisions of a merge; and the errors of {@link parseTarget}.
 * @example
 * ```ts
 * showTarget('heads', map).revisions; // every head
 * showTarget('db2@head', map, [{ bind: 'db2', branch: 'db2' }]).revisions; // ['3f2a9c1d7b40']
 * ```
 */
export function showTarget(text: string, map: RevisionMap, binds: readonly BindBranch[] = []): ShownRevisions {
  const target = parseTarget(text, map, binds);
  const t = text.trim();
  const scope = target.scope;
  const headsOf = (): readonly string[] => {
    if (scope === undefined) return headsInOrder(map, binds);
    return scope.anchor !== undefined ? map.headsFrom(scope.anchor) : map.heads(scope.branch);
  };
  const single = (): string[] => {
    const heads = headsOf();
    if (scope === undefined) {
      for (const branch of map.branches()) {
        const own = map.heads(branch);
        if (own.length > 1) throw new MultipleHeadsError(own, t, branch);
      }
      if (heads.length > 1) throw new MultipleHeadsError(heads, t, undefined, `Name one bind's head (e.g. '${binds[0]?.bind ?? '<bind>'}@head'), or use 'heads' for every one.`);
    } else if (heads.length > 1) {
      throw new MultipleHeadsError(heads, t, scope.branch);
    }
    return [...heads];
  };
  const one = (revisions: readonly string[]): ShownRevisions => {
    if (revisions.length > 1) throw new RevisionError(`'${t}' reaches several revisions (${revisions.join(', ')}), the down revisions of a merge; name one of them.`);
    return Object.freeze({ several: false, revisions: Object.freeze([...revisions]) });
  };
  switch (target.kind) {
    case 'heads':
      return Object.freeze({ several: true, revisions: Object.freeze([...headsOf()]) });
    case 'base':
      return Object.freeze({ several: true, revisions: Object.freeze([]) });
    case 'head':
      return one(single());
    case 'bind': {
      // A bind's name is its branch root's label (DESIGN §1): the root, as Alembic shows a label.
      const roots = map.bases(target.scope.branch);
      if (roots.length === 0) throw new RevisionNotFoundError(t, `Bind '${t}' (branch '${target.scope.branch}') has no revisions yet.`);
      return one(roots);
    }
    case 'revision':
      return one([target.revision]);
    case 'relative':
      throw new RevisionError(`'${t}' is relative to a current revision, which 'show' does not read; give a revision (e.g. '<rev>-1' or 'head-1').`);
    case 'offset': {
      if (target.from === 'head') {
        const heads = single();
        if (heads.length === 0) throw new RevisionError(`'${t}' counts back from a head, but there are no revisions.`);
        return one(map.walk(heads, target.steps, { branch: map.get(heads[0]!).branch, argument: t }));
      }
      const branch = scope?.branch ?? (map.branches().length === 1 ? map.branches()[0] : undefined);
      if (branch === undefined) throw new RevisionError(`'${t}' is ambiguous: the repository has several branches; name one (e.g. '<bind>@${t}').`);
      const line = scope?.anchor;
      return one(map.walk([], target.steps, { branch, argument: t, ...(line !== undefined ? { line } : {}) }));
    }
  }
}
