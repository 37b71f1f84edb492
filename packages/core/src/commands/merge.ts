import { BindRequiredError, OperationError } from '../errors.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { checkNewRevision } from '../script/new-revision-check.js';
import { generateRevisionId } from '../script/script-directory.js';
import { showTarget } from '../script/show-target.js';
import { revisionTypes, type RevisionResult } from './revision.js';

/** Options of {@link merge}. */
export interface MergeOptions {
  /** Default `'merge'`. */
  readonly message?: string;
  /** The id to use instead of a generated one (`[A-Za-z0-9_]{1,32}`). */
  readonly revId?: string;
  /** Whose branch `heads` means, when several branches have several heads. */
  readonly bind?: string;
  /** Branch labels for the merge revision (Alembic's `merge --branch-label`); default none. */
  readonly branchLabels?: readonly string[];
}

/** The keys of {@link MergeOptions}. */
const MERGE_OPTIONS = keysOf<MergeOptions>({ message: true, revId: true, bind: true, branchLabels: true });

/**
 * The command that joins a bind's heads, as messages suggest it (`status`, the TUI, autogenerate's
 * "not up to date"), so each spells it the same way.
 *
 * @param bind - the bind whose branch has several heads.
 * @returns e.g. `migrate merge heads --bind db2 -m MSG`.
 * @example
 * ```ts
 * console.log(`merge them with '${mergeHeadsCommand('db2')}'`);
 * ```
 */
export function mergeHeadsCommand(bind: string): string {
  return `migrate merge heads --bind ${bind} -m MSG`;
}

/**
 * `migrate merge`: writes a revision whose down revisions are the given heads, joining them. All
 * of them must be in one branch: a branch belongs to its bind, so work across binds is ordered
 * with depends-on instead. Its `op` is typed as `migrate revision` types it (`Operations<Db2>`
 * when a bind of the branch names `types` and the file exists).
 *
 * @param revisions - heads, as Alembic's `merge` takes them: ids or prefixes, labels, `Q@head`,
 *   `Q@heads`; or `['heads']` for the heads of the one branch that has several (or of `bind`'s
 *   branch).
 * @throws {@link OperationError} for fewer than two revisions, one named twice, revisions of
 *   several branches, a revision that is not a head (as Alembic), or `heads` when no branch has
 *   several, and before anything is written for an id or branch label the repository could not
 *   load (reserved, existing, clashing: see `revision`); `BindRequiredError` (the CLI's exit 2) for `heads` when several branches have several
 *   and no `bind` names one; `RevisionNotFoundError`, `MultipleHeadsError` (`head` with several);
 *   `UnknownOptionError` when `options` holds a key {@link MergeOptions} does not have (`msg`),
 *   before anything is read.
 * @example
 * ```ts
 * await commands.merge(env, ['heads'], { message: 'merge db2 heads', bind: 'db2' });
 * await commands.merge(env, ['b2', 'c2'], { message: 'merge features', branchLabels: ['release'] });
 * ```
 */
export async function merge(env: MigrationEnvironment, revisions: readonly string[], options: MergeOptions = {}): Promise<RevisionResult> {
  checkOptions('merge()', options, MERGE_OPTIONS);
  const map = await env.revisionMap();
  let ids: string[];
  if (revisions.length === 1 && revisions[0] === 'heads') {
    const branches = options.bind ? [env.bind(options.bind).branch] : map.branches().filter((b) => map.heads(b).length > 1);
    if (branches.length === 0) throw new OperationError("No branch has several heads: nothing to merge. 'migrate heads' lists the heads of every branch.");
    if (branches.length > 1) {
      // As `revision` without --bind: a usage error (exit 2) naming the binds to choose from, in
      // config order (a branch no bind follows, after them).
      const binds = env.binds.filter((b) => branches.includes(b.branch));
      const unfollowed = branches.filter((branch) => !binds.some((b) => b.branch === branch));
      const names = [...binds.map((b) => b.name), ...unfollowed];
      const ordered = [...new Set([...binds.map((b) => b.branch), ...unfollowed])];
      throw new BindRequiredError(`'merge heads' (branches with several heads: ${ordered.join(', ')})`, names, `--bind ${names[0]}`);
    }
    ids = map.heads(branches[0]!);
    if (ids.length < 2) {
      throw new OperationError(`Branch '${branches[0]}' has ${ids.length ? `one head (${ids[0]})` : 'no revisions'}: nothing to merge. 'migrate heads' lists the heads of every branch.`);
    }
  } else {
    const binds = env.binds.map((b) => ({ bind: b.name, branch: b.branch }));
    ids = revisions.flatMap((r) => showTarget(r, map, binds).revisions);
  }
  if (ids.length < 2) throw new OperationError('merge needs at least two revisions.');
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) {
    throw new OperationError(`'merge ${revisions.join(' ')}' names ${[...new Set(repeated)].join(', ')} more than once; give each head once.`);
  }
  const branches = [...new Set(ids.map((id) => map.get(id).branch))];
  if (branches.length > 1) {
    throw new OperationError(`Cannot merge across branches (${branches.join(', ')}): a branch belongs to its bind. Use --depends-on to order work across binds.`);
  }
  // As Alembic: a merge joins heads. A revision with children would leave its line's head apart.
  const notHeads = ids.filter((id) => !map.isHead(id));
  if (notHeads.length) {
    const heads = map.heads(branches[0]!);
    throw new OperationError(
      `Cannot merge ${notHeads.join(', ')}: not a head of branch '${branches[0]}' (heads: ${heads.join(', ')}). ` +
        `Merge heads only ('migrate heads' lists them); to start a line from a revision, use 'migrate revision --head <rev> --splice'.`,
    );
  }
  const id = options.revId ?? generateRevisionId();
  const message = options.message ?? 'merge';
  const branchLabels = [...new Set(options.branchLabels ?? [])];
  const dir = await env.scriptDirectory();
  // As `revision`: a file the repository cannot load (an id or label that clashes) is not written.
  const path = dir.revisionPath({ branch: branches[0]!, revision: id, message });
  checkNewRevision(map, { revision: id, branch: branches[0]!, downRevisions: ids, branchLabels, dependsOn: [], path }, env.binds.map((b) => ({ bind: b.name, branch: b.branch })));
  await dir.writeRevision({
    branch: branches[0]!,
    revision: id,
    downRevisions: ids,
    branchLabels,
    dependsOn: [],
    message,
    createDate: new Date(),
    // Typed as `migrate revision` types a revision (`Operations<Db2>`): a merge's upgrade may
    // reconcile the two lines with `op.db`.
    ...revisionTypes(env, branches[0]!, options.bind),
  });
  env.invalidate();
  return { path, revision: id, branch: branches[0]!, downRevisions: ids, branchLabels, dependsOn: [], message };
}
