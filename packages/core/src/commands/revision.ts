import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BindRequiredError, MultipleHeadsError, OperationError, RevisionError } from '../errors.js';
import { checkNewRevision } from '../script/new-revision-check.js';
import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { parseTarget } from '../script/revision-target.js';
import { showTarget } from '../script/show-target.js';
import { REVISION_ID_PATTERN } from '../script/revision-script.js';
import { revisionTypesName } from '../script/revision-types-name.js';
import { generateRevisionId, type RevisionTypes } from '../script/script-directory.js';

/** Options of {@link revision}. */
export interface RevisionOptions {
  /** The revision's message (`-m`); default `''`. */
  readonly message?: string;
  /** The bind whose branch gets the revision (required with several binds, unless `head` is given). */
  readonly bind?: string;
  /** Base the revision on this head, as Alembic's `--head`: `db2@head`, a branch label, `<rev>@head`, or a revision. */
  readonly head?: string;
  /**
   * With a `head` naming a revision that is not a head: start a new branch from it (Alembic's
   * `--splice`). Without it such a `head` is refused: a revision written there would add a head.
   */
  readonly splice?: boolean;
  /** Branch labels for the new revision (a branch root gets its branch's name besides). */
  readonly branchLabels?: readonly string[];
  /** Revisions it depends on, usually of other branches: ids, prefixes, targets such as `db2@head` (written as full ids) or branch labels (written as given, naming the revision that carries the label, as in Alembic). */
  readonly dependsOn?: readonly string[];
  /** The id to use instead of a generated one (`[A-Za-z0-9_]{1,32}`). */
  readonly revId?: string;
  /** Extra import lines, and the bodies of `upgrade` and `downgrade` (autogenerate fills these). */
  readonly imports?: string;
  /** Body of `upgrade` (code lines). */
  readonly upgrades?: string;
  /** Body of `downgrade` (code lines). */
  readonly downgrades?: string;
  /** Creation time (default: now). */
  readonly createDate?: Date;
}

/** The keys of {@link RevisionOptions}. */
const REVISION_OPTIONS = keysOf<RevisionOptions>({
  message: true,
  bind: true,
  head: true,
  splice: true,
  branchLabels: true,
  dependsOn: true,
  revId: true,
  imports: true,
  upgrades: true,
  downgrades: true,
  createDate: true,
});

/** Options of {@link placeRevision}: where {@link revision} puts a new revision. */
export type PlaceRevisionOptions = Pick<RevisionOptions, 'bind' | 'head' | 'splice'>;

/** The keys of {@link PlaceRevisionOptions}. */
const PLACE_REVISION_OPTIONS = keysOf<PlaceRevisionOptions>({ bind: true, head: true, splice: true });

/** A revision file written by {@link revision} or `merge`. */
export interface RevisionResult {
  /** Absolute path of the new file. */
  readonly path: string;
  /** The new revision's id. */
  readonly revision: string;
  /** Its branch. */
  readonly branch: string;
  /** Its down revisions (`[]`: a branch root; several: a merge). */
  readonly downRevisions: readonly string[];
  /** Its branch labels. */
  readonly branchLabels: readonly string[];
  /** The revisions it depends on (full ids). */
  readonly dependsOn: readonly string[];
  /** Its message. */
  readonly message: string;
}

/** Where a new revision goes: its branch and its down revisions. */
export interface RevisionPlacement {
  /** The branch (folder under `versions/`) the revision goes in. */
  readonly branch: string;
  /** Its down revisions: the head it follows, or `[]` for a branch's first revision. */
  readonly downRevisions: readonly string[];
}

/**
 * Decides where a new revision goes (Alembic's `--head`): with `head`, the head it names
 * (`db2@head`, a bind or branch label, `<rev>@head`: the head reached from that revision, or a
 * revision itself); otherwise the one head of the bind's branch (the only bind's when there is one).
 *
 * @throws {@link BindRequiredError} with several binds and neither `bind` nor `head`;
 *   {@link MultipleHeadsError} when the branch (or line) has several heads; `UnknownBindError`,
 *   `RevisionNotFoundError` and the other target errors; {@link RevisionError} for a `head` that
 *   is no head (`base`, `+1`), or a revision that has children when `splice` is not set (as
 *   Alembic: the new revision would start a new branch beside them); `UnknownOptionError` when
 *   `options` holds a key {@link PlaceRevisionOptions} does not have, before anything is read.
 * @example
 * ```ts
 * const { branch, downRevisions } = await commands.placeRevision(env, { bind: 'db2' });
 * ```
 */
export async function placeRevision(env: MigrationEnvironment, options: PlaceRevisionOptions): Promise<RevisionPlacement> {
  checkOptions('placeRevision()', options, PLACE_REVISION_OPTIONS);
  return place(env, options);
}

/** {@link placeRevision}, for options already checked (those of {@link revision}). */
async function place(env: MigrationEnvironment, options: PlaceRevisionOptions): Promise<RevisionPlacement> {
  const map = await env.revisionMap();
  if (options.head !== undefined) {
    const target = parseTarget(options.head, map, env.binds.map((b) => ({ bind: b.name, branch: b.branch })));
    switch (target.kind) {
      case 'head':
      case 'bind': {
        if (target.scope === undefined) break;
        const scope = target.scope;
        const heads = scope.anchor !== undefined ? map.headsFrom(scope.anchor) : map.heads(scope.branch);
        if (heads.length > 1) throw new MultipleHeadsError(heads, options.head, scope.branch);
        return { branch: scope.branch, downRevisions: heads };
      }
      case 'revision': {
        const children = map.children(target.revision);
        if (children.length > 0 && options.splice !== true) {
          throw new RevisionError(
            `--head '${options.head}': revision ${target.revision} is not a head (${children.join(', ')} ${children.length === 1 ? 'follows' : 'follow'} it). ` +
              `Give --splice to start a new branch from it (the branch then has one head more, to merge later), or --head ${map.get(target.revision).branch}@head to follow its head.`,
          );
        }
        return { branch: map.get(target.revision).branch, downRevisions: [target.revision] };
      }
      default:
        break;
    }
    throw new RevisionError(`--head '${options.head}' names no head: give '<bind>@head', a branch label, '<rev>@head' or a revision id.`);
  }
  let bind = options.bind;
  if (bind === undefined) {
    if (env.binds.length > 1) throw new BindRequiredError("'revision'", env.bindNames, `'--bind ${env.bindNames[0]}'`);
    bind = env.binds[0]!.name;
  }
  const branch = env.bind(bind).branch;
  const heads = map.heads(branch);
  if (heads.length > 1) throw new MultipleHeadsError(heads, `${bind}@head`, branch);
  return { branch, downRevisions: heads };
}

/**
 * `migrate revision`: writes `versions/<branch>/<rev>_<slug>.ts` from the repository's template.
 * The first revision of a branch carries the branch name as its branch label. When the bind (or
 * another bind of its branch) names `types` and that file exists, the template's
 * `${operationsType}` becomes `Operations<Db2>` with an import of the file; otherwise `Operations`.
 *
 * @returns what was written.
 * @throws {@link OperationError} before anything is written, for an invalid, reserved (`head`) or
 *   existing `revId`, an id that is a branch label, or a branch label the repository could not
 *   load or a target could not reach (malformed, already carried, a revision id, another bind's
 *   or branch's name; see `checkNewRevision`); the errors of
 *   {@link placeRevision}; `RevisionNotFoundError` for an unknown `dependsOn` (a branch label is
 *   written as given, as Alembic does; a partial id or a target such as `db2@head` as the full id);
 *   `UnknownOptionError` when `options` holds a key {@link RevisionOptions} does not have
 *   (`branchLabel`, `depends_on`), before anything is read or written.
 * @example
 * ```ts
 * const { path } = await commands.revision(env, { message: 'add invoice currency', bind: 'db2' });
 * ```
 */
export async function revision(env: MigrationEnvironment, options: RevisionOptions = {}): Promise<RevisionResult> {
  checkOptions('revision()', options, REVISION_OPTIONS);
  if (options.revId !== undefined && !REVISION_ID_PATTERN.test(options.revId)) {
    throw new OperationError(`--rev-id '${options.revId}' is invalid: use 1 to 32 of A-Z, a-z, 0-9 and _.`);
  }
  const map = await env.revisionMap();
  const { branch, downRevisions } = await place(env, options);
  const id = options.revId ?? generateRevisionId();
  const branchLabels = [...new Set([...(downRevisions.length === 0 ? [branch] : []), ...(options.branchLabels ?? [])])];
  // As Alembic writes them: a branch label kept as given (it names the revision carrying it), any other
  // reference (a partial id, `db2@head`, `head-1`) resolved to one full id, as `show` resolves it.
  const bindBranches = env.binds.map((b) => ({ bind: b.name, branch: b.branch }));
  const dependsOn = (options.dependsOn ?? []).map((d) => {
    if (map.byLabel(d) !== undefined) return d;
    const named = showTarget(d, map, bindBranches);
    if (named.several || named.revisions.length !== 1) {
      throw new OperationError(`--depends-on '${d}' names ${named.revisions.length === 0 ? 'no revision' : `several revisions (${named.revisions.join(', ')})`}; give one revision, branch label or target such as 'db2@head'.`);
    }
    return named.revisions[0]!;
  });
  const message = options.message ?? '';
  const dir = await env.scriptDirectory();
  // A file the repository cannot load would break every later command: refuse it unwritten.
  const path = dir.revisionPath({ branch, revision: id, message });
  checkNewRevision(map, { revision: id, branch, downRevisions, branchLabels, dependsOn, path }, bindBranches);
  await dir.writeRevision({
    branch,
    revision: id,
    downRevisions,
    branchLabels,
    dependsOn,
    message,
    createDate: options.createDate ?? new Date(),
    ...(options.imports !== undefined ? { imports: options.imports } : {}),
    ...(options.upgrades !== undefined ? { upgrades: options.upgrades } : {}),
    ...(options.downgrades !== undefined ? { downgrades: options.downgrades } : {}),
    ...revisionTypes(env, branch, options.bind),
  });
  env.invalidate();
  return { path, revision: id, branch, downRevisions, branchLabels, dependsOn, message };
}

/**
 * The generated types a new revision of `branch` imports: those of `bind` when it names `types`
 * and uses the branch, else of the first bind on the branch that names them (binds sharing a
 * branch share a schema), else none. None either while that file does not exist yet (a new
 * project's first revisions, written before any upgrade and `migrate codegen`): an import of a
 * missing file would not compile, so such a revision takes plain `Operations`. Also used by
 * `merge`, whose revision is typed as one `revision` writes.
 * @example
 * ```ts
 * const { types } = revisionTypes(env, 'db2', 'db2'); // { file: '/app/src/db/db2-types.ts', name: 'Db2' } once the file exists
 * ```
 */
export function revisionTypes(env: MigrationEnvironment, branch: string, bind: string | undefined): { types?: RevisionTypes } {
  const onBranch = env.binds.filter((b) => b.branch === branch && b.config.types !== undefined);
  const chosen = onBranch.find((b) => b.name === bind) ?? onBranch[0];
  if (!chosen) return {};
  const file = resolve(env.loaded.baseDir, chosen.config.types!);
  if (!existsSync(file)) return {};
  return { types: { file, name: revisionTypesName(chosen.name) } };
}
