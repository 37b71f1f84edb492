import { OperationError, RevisionError } from '../errors.js';
import { LABEL_PATTERN, RESERVED_TARGET_NAMES, RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';
import type { BindBranch } from './revision-target.js';

/** The header of a revision about to be written (`revision`, `merge`), as {@link checkNewRevision} checks it. */
export interface NewRevision {
  /** Its id (`--rev-id` or generated). */
  readonly revision: string;
  /** The branch folder it goes in. */
  readonly branch: string;
  /** Its down revisions (`[]`: the branch's root). */
  readonly downRevisions: readonly string[];
  /** Its branch labels (a root's include its branch's name). */
  readonly branchLabels: readonly string[];
  /** The revisions it depends on: full ids or branch labels. */
  readonly dependsOn: readonly string[];
  /** The file it would be written to (named in messages only). */
  readonly path: string;
}

/**
 * Refuses, before anything is written, a new revision that would leave the repository unreadable
 * (every later command failing on the file just written) or a label that targets could not reach:
 * an id that is a reserved word (`head`, `heads`, `base`, `current`), an existing id or an existing
 * branch label; a branch label with characters targets cannot hold or a reserved word, one that an
 * existing revision already carries, one equal to a revision id, or one naming another bind or
 * branch (a bind name wins over a label in a target, and that branch's root will carry it). Then
 * the repository with the new revision is built once, so no other rule of {@link RevisionMap} can
 * fail on the written file.
 *
 * @param map - the repository's revisions as they are.
 * @param candidate - the new revision.
 * @param binds - the configured binds and their branches (their names may not be labels elsewhere).
 * @throws {@link OperationError} naming the id or label and what it clashes with.
 * @example
 * ```ts
 * checkNewRevision(map, { revision: 'b2', branch: 'db2', downRevisions: ['b1'], branchLabels: ['feature'], dependsOn: [], path: '/app/migrations/versions/db2/b2_x.ts' }, [{ bind: 'db2', branch: 'db2' }]);
 * ```
 */
export function checkNewRevision(map: RevisionMap, candidate: NewRevision, binds: readonly BindBranch[]): void {
  const id = candidate.revision;
  if (RESERVED_TARGET_NAMES.includes(id)) {
    throw new OperationError(`Revision id '${id}' is a reserved word (${RESERVED_TARGET_NAMES.join(', ')} are targets); choose another --rev-id.`);
  }
  if (map.has(id)) throw new OperationError(`Revision id '${id}' already exists.`);
  const labelled = map.byLabel(id);
  if (labelled !== undefined) {
    throw new OperationError(`Revision id '${id}' is the branch label of revision '${labelled.revision}' (${labelled.path}); choose another --rev-id.`);
  }
  const others = new Map<string, string>();
  for (const b of binds) {
    if (b.branch !== candidate.branch) others.set(b.branch, `branch '${b.branch}'`);
    if (b.bind !== candidate.branch) others.set(b.bind, `bind '${b.bind}'`);
  }
  for (const branch of map.branches()) if (branch !== candidate.branch) others.set(branch, `branch '${branch}'`);
  for (const label of candidate.branchLabels) {
    if (!LABEL_PATTERN.test(label) || RESERVED_TARGET_NAMES.includes(label)) {
      throw new OperationError(
        `Branch label '${label}' is not allowed: use letters, digits, '_', '.', '-' (not first), and none of ${RESERVED_TARGET_NAMES.join(', ')}.`,
      );
    }
    if (label === id) throw new OperationError(`Branch label '${label}' is the new revision's own id; choose another label (or --rev-id).`);
    if (map.has(label)) throw new OperationError(`Branch label '${label}' is the id of revision '${label}' (${map.get(label).path}); choose another label.`);
    const owner = map.byLabel(label);
    if (owner !== undefined) {
      throw new OperationError(`Branch label '${label}' is already carried by revision '${owner.revision}' (${owner.path}); labels must be unique: choose another.`);
    }
    const clash = others.get(label);
    if (clash !== undefined) {
      throw new OperationError(`Branch label '${label}' names ${clash}; a label of branch '${candidate.branch}' may not name another bind or branch: choose another.`);
    }
  }
  // Whatever else the map would refuse once the file is there, refuse now.
  const script: RevisionScript = { ...candidate, message: '' };
  try {
    new RevisionMap([...map.revisions, script]);
  } catch (error) {
    if (!(error instanceof RevisionError)) throw error;
    throw new OperationError(`Not written: ${error.message}`);
  }
}
