import { MultidbError, RevisionError } from '../errors.js';
import { RevisionMap } from '../script/revision-map.js';
import type { RevisionScript } from '../script/revision-script.js';

/**
 * Refuses, before its file is written, a new revision (of `revision` or `merge`) that the
 * repository's revision map would refuse once the file exists: an id that is a reserved word
 * (`head`, `heads`, `base`, `current`) or equals a branch label, a branch label that is malformed
 * (`x y`, `café`, `''`), reserved, already carried by another revision, equal to a revision id or
 * to another branch's folder, an id declared already. Such a file would make every later command
 * fail on the repository until it is deleted by hand.
 *
 * @param map - the repository's revision map, before the new revision.
 * @param script - the new revision as it would be listed (its `path` the file it would be written to).
 * @throws {@link RevisionError} `Revision not written: <why>`, with the `code` of the rule broken
 *   (`RESERVED_REVISION_ID`, `BRANCH`, `DUPLICATE_REVISION`, …) and the map's error as `cause`.
 * @example
 * ```ts
 * checkNewRevision(map, { revision: 'head', downRevisions: [], branchLabels: ['db2'], dependsOn: [], message: '', branch: 'db2', path: '/m/versions/db2/head.ts' });
 * // throws RevisionError: Revision not written: Revision id 'head' (…) is a reserved word; choose another id.
 * ```
 */
export function checkNewRevision(map: RevisionMap, script: RevisionScript): void {
  try {
    new RevisionMap([...map.revisions, script]);
  } catch (error) {
    if (!(error instanceof MultidbError)) throw error;
    throw new RevisionError(`Revision not written: ${error.message}`, error.code, { cause: error });
  }
}
