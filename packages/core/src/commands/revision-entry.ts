import type { RevisionMap } from '../script/revision-map.js';
import type { RevisionScript } from '../script/revision-script.js';

/** A revision with what listings show about its place in the graph (`history`, `heads`, `show`). */
export interface RevisionEntry {
  /** The revision's header, branch and file. */
  readonly script: RevisionScript;
  /** A head of its branch. */
  readonly isHead: boolean;
  /** It has several down revisions (a merge). */
  readonly isMergePoint: boolean;
  /** Several revisions name it as their down revision (a fork). */
  readonly isBranchPoint: boolean;
  /** Revisions whose down revisions name it. */
  readonly children: readonly string[];
}

/**
 * Describes a revision of a map as the listings show it.
 * @example
 * ```ts
 * revisionEntry(map, map.get('3f2a9c1d7b40')).isHead; // true
 * ```
 */
export function revisionEntry(map: RevisionMap, script: RevisionScript): RevisionEntry {
  const children = map.children(script.revision);
  return {
    script,
    isHead: map.isHead(script.revision),
    isMergePoint: script.downRevisions.length > 1,
    isBranchPoint: children.length > 1,
    children,
  };
}
