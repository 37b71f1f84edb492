/**
 * The six header fields of a revision file (DESIGN §5), read statically without running it.
 */
export interface RevisionHeader {
  /** The revision id (`[A-Za-z0-9_]{1,32}`; generated ids are 12 hex characters). */
  readonly revision: string;
  /** Parents: empty for a branch root, two or more for a merge. */
  readonly downRevisions: readonly string[];
  /** Labels; a branch root carries its branch's name. */
  readonly branchLabels: readonly string[];
  /** Revisions (usually of other branches) that must be applied first. */
  readonly dependsOn: readonly string[];
  /** The revision's message (`-m`; `''` when not written). */
  readonly message: string;
  /** ISO 8601 creation time, when written. */
  readonly createDate?: string;
}

/** A revision as found in the repository: its header, its branch (folder) and file. */
export interface RevisionScript extends RevisionHeader {
  /** The branch: the name of the folder under `versions/` that holds the file. */
  readonly branch: string;
  /** Absolute path of the file. */
  readonly path: string;
}

/** Characters allowed in a revision id (`--rev-id`). */
export const REVISION_ID_PATTERN = /^[A-Za-z0-9_]{1,32}$/;
