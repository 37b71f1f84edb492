import {
  BindRequiredError,
  MultipleHeadsError,
  REVISION_ID_PATTERN,
  OperationError,
  generateRevisionId,
  type MigrationEnvironment,
} from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';

/** Options of `migrate revision`. */
export interface RevisionOptions {
  readonly message?: string;
  readonly bind?: string;
  /** Base the revision on this head (`db2@head`, a revision id), as Alembic's `--head`. */
  readonly head?: string;
  readonly branchLabel?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly revId?: string;
}

/** Resolves which branch a new revision goes to and what it revises. */
async function placeRevision(env: MigrationEnvironment, options: RevisionOptions): Promise<{ branch: string; downRevisions: string[] }> {
  const map = await env.revisionMap();
  if (options.head) {
    const [name, suffix] = options.head.split('@');
    const bind = env.binds.find((b) => b.name === name || b.branch === name);
    if (bind && (suffix === undefined || suffix === 'head')) {
      const heads = map.heads(bind.branch);
      if (heads.length > 1) throw new MultipleHeadsError(heads, options.head, bind.branch);
      return { branch: bind.branch, downRevisions: heads };
    }
    const rev = map.resolve(suffix === 'head' ? name! : options.head);
    return { branch: rev.branch, downRevisions: [rev.revision] };
  }
  let bindName = options.bind;
  if (bindName === undefined) {
    if (env.binds.length > 1) throw new BindRequiredError("'revision'", env.bindNames, `'--bind ${env.bindNames[0]}'`);
    bindName = env.binds[0]!.name;
  }
  const branch = env.bind(bindName).branch;
  const heads = map.heads(branch);
  if (heads.length > 1) throw new MultipleHeadsError(heads, `${bindName}@head`, branch);
  return { branch, downRevisions: heads };
}

/**
 * `migrate revision -m MSG [--bind B] [--head H] [--branch-label L] [--depends-on R] [--rev-id ID]`:
 * writes `versions/<branch>/<rev>_<slug>.ts` from the template. The branch's first revision gets
 * the branch name as its branch label.
 */
export async function revisionCommand(ctx: CliContext, options: RevisionOptions): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    if (options.revId !== undefined && !REVISION_ID_PATTERN.test(options.revId)) {
      throw new OperationError(`--rev-id '${options.revId}' is invalid: use 1 to 32 of A-Z, a-z, 0-9 and _.`);
    }
    const map = await env.revisionMap();
    const { branch, downRevisions } = await placeRevision(env, options);
    const revision = options.revId ?? generateRevisionId();
    if (map.revisions.some((r) => r.revision === revision)) throw new OperationError(`Revision id '${revision}' already exists.`);
    const labels = [...(downRevisions.length === 0 ? [branch] : []), ...(options.branchLabel ?? [])];
    const dependsOn = (options.dependsOn ?? []).map((d) => map.resolve(d).revision);
    const dir = await env.scriptDirectory();
    const path = await dir.writeRevision({
      branch,
      revision,
      downRevisions,
      branchLabels: [...new Set(labels)],
      dependsOn,
      message: options.message ?? '',
      createDate: new Date(),
    });
    ctx.output.out(`Generating ${path} ...  done`);
    return path;
  });
}

/** `migrate merge -m MSG REV...`: a revision whose down revisions are the given heads (one branch). */
export async function mergeCommand(ctx: CliContext, revisions: readonly string[], options: { message?: string; revId?: string; bind?: string }): Promise<string> {
  return withEnvironment(ctx, async (env) => {
    const map = await env.revisionMap();
    let ids: string[];
    if (revisions.length === 1 && revisions[0] === 'heads') {
      const branches = options.bind ? [env.bind(options.bind).branch] : map.branches().filter((b) => map.heads(b).length > 1);
      if (branches.length !== 1) throw new OperationError(`'merge heads' needs one branch with several heads; name it with --bind (branches with several heads: ${branches.join(', ') || 'none'}).`);
      ids = map.heads(branches[0]!);
    } else {
      ids = revisions.map((r) => map.resolve(r).revision);
    }
    if (ids.length < 2) throw new OperationError('merge needs at least two revisions.');
    const branches = [...new Set(ids.map((id) => map.get(id).branch))];
    if (branches.length > 1) {
      throw new OperationError(`Cannot merge across branches (${branches.join(', ')}): a branch belongs to its bind. Use --depends-on to order work across binds.`);
    }
    const revision = options.revId ?? generateRevisionId();
    const dir = await env.scriptDirectory();
    const path = await dir.writeRevision({
      branch: branches[0]!,
      revision,
      downRevisions: ids,
      branchLabels: [],
      dependsOn: [],
      message: options.message ?? 'merge',
      createDate: new Date(),
    });
    ctx.output.out(`Generating ${path} ...  done`);
    return path;
  });
}
