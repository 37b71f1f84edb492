import type { RevisionMap } from '../script/revision-map.js';
import type { RevisionScript } from '../script/revision-script.js';

/** A revision with what listings show about its place in the graph (`history`, `heads`, `show`). */
export interface RevisionEntry {
  /** The revision's header, branch and file. */
  readonly script: RevisionScript;
  /** A head of its branch. */
  readonly isHead: boolean;
  /**
   * A head that a revision of another branch depends on: Alembic's "effective head" (a head of
   * its down revisions, not of the whole graph). Listings mark it `(effective head)` rather than
   * `(head)`; it is still its branch's head ({@link isHead}).
   */
  readonly isEffectiveHead: boolean;
  /**
   * The branch labels it carries, as Alembic lists them: its own and those spread to it
   * ({@link RevisionMap.labelsCarried}), so always its branch's name first.
   */
  readonly labels: readonly string[];
  /** It has several down revisions (a merge). */
  readonly isMergePoint: boolean;
  /** Several revisions name it as their down revision (a fork). */
  readonly isBranchPoint: boolean;
  /** Revisions whose down revisions name it. */
  readonly children: readonly string[];
}

/**
 * Describes a revision of a map as the listings show it.
 * @param map - the revision map holding it.
 * @param script - one of its revisions.
 * @returns the revision with its marks.
 * @throws `RevisionNotFoundError` when the map does not hold it.
 * @example
 * ```ts
 * revisionEntry(map, map.get('3f2a9c1d7b40')).isHead; // true
 * ```
 */
export function revisionEntry(map: RevisionMap, script: RevisionScript): RevisionEntry {
  const children = map.children(script.revision);
  const isHead = map.isHead(script.revision);
  return {
    script,
    isHead,
    isEffectiveHead: isHead && map.dependents(script.revision).length > 0,
    labels: map.labelsCarried(script.revision),
    isMergePoint: script.downRevisions.length > 1,
    isBranchPoint: children.length > 1,
    children,
  };
}
