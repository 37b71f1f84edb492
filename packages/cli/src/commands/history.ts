import { revisionHistory, type RevisionMap, type RevisionScript } from '@multidb/core';
import { formatRevs } from '../output.js';
import { withEnvironment, type CliContext } from '../cli-context.js';

/**
 * One history line: `[db2] 1bc594146bb5 -> 3f2a9c1d7b40 (head) (current), add column`.
 * @param current - the marker for binds at this revision (`'(current)'`, `'(current: t1, t2)'`) or ''.
 */
export function formatHistoryLine(map: RevisionMap, script: RevisionScript, current: string, verbose: boolean): string {
  const marks: string[] = [];
  if (script.branchLabels.length) marks.push(`(${script.branchLabels.join(', ')})`);
  if (map.heads(script.branch).includes(script.revision)) marks.push('(head)');
  if (script.downRevisions.length > 1) marks.push('(mergepoint)');
  if (map.children(script.revision).length > 1) marks.push('(branchpoint)');
  if (current) marks.push(current);
  const head = `[${script.branch}] ${formatRevs(script.downRevisions)} -> ${script.revision}${marks.length ? ` ${marks.join(' ')}` : ''}, ${script.message}`;
  if (!verbose) return head;
  return [
    head,
    `    Path: ${script.path}`,
    ...(script.dependsOn.length ? [`    Depends on: ${script.dependsOn.join(', ')}`] : []),
    ...(script.createDate ? [`    Create Date: ${script.createDate}`] : []),
  ].join('\n');
}

/**
 * `migrate history [BIND] [-r A:B] [--verbose] [--indicate-current]`: revisions newest first.
 * With `--indicate-current`, the current revision of each bind is marked (reads version tables).
 */
export async function historyCommand(
  ctx: CliContext,
  bind: string | undefined,
  options: { rev?: string; verbose?: boolean; indicateCurrent?: boolean },
): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const map = await env.revisionMap();
    const branch = bind ? env.bind(bind).branch : undefined;
    let scripts = revisionHistory(map, options.rev, env.binds.map((b) => ({ bind: b.name, branch: b.branch })));
    if (branch) scripts = scripts.filter((s) => s.branch === branch);
    const currentBy = new Map<string, string[]>(); // revision -> binds whose version table holds it
    if (options.indicateCurrent) {
      const heads = await env.currentHeads(bind ? [bind] : env.bindNames);
      for (const [name, revs] of heads) for (const rev of revs) currentBy.set(rev, [...(currentBy.get(rev) ?? []), name]);
    }
    for (const script of scripts) {
      const binds = currentBy.get(script.revision) ?? [];
      const sharedBranch = env.binds.filter((b) => b.branch === script.branch).length > 1;
      const marker = binds.length === 0 ? '' : sharedBranch ? `(current: ${binds.join(', ')})` : '(current)';
      ctx.output.out(formatHistoryLine(map, script, marker, options.verbose ?? false));
    }
  });
}

/** `migrate heads [--verbose]`: the head revisions of every branch. */
export async function headsCommand(ctx: CliContext, options: { verbose?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const map = await env.revisionMap();
    for (const branch of map.branches()) {
      for (const head of map.heads(branch)) ctx.output.out(formatHistoryLine(map, map.get(head), '', options.verbose ?? false));
    }
  });
}

/** `migrate branches [--verbose]`: branch points (revisions with several children) and their children. */
export async function branchesCommand(ctx: CliContext, options: { verbose?: boolean }): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const map = await env.revisionMap();
    for (const script of map.revisions) {
      const children = map.children(script.revision);
      if (children.length < 2) continue;
      ctx.output.out(formatHistoryLine(map, script, '', options.verbose ?? false));
      for (const child of children) ctx.output.out(`    -> ${child}${map.heads(script.branch).includes(child) ? ' (head)' : ''}, ${map.get(child).message}`);
    }
  });
}

/** `migrate show REV`: one revision's details, as Alembic's `show`. */
export async function showCommand(ctx: CliContext, rev: string): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const map = await env.revisionMap();
    const script = map.resolve(rev);
    const isHead = map.heads(script.branch).includes(script.revision);
    ctx.output.out(`Rev: ${script.revision}${isHead ? ' (head)' : ''}`);
    ctx.output.out(`Parent: ${formatRevs(script.downRevisions)}`);
    ctx.output.out(`Branch: ${script.branch}`);
    if (script.branchLabels.length) ctx.output.out(`Branch names: ${script.branchLabels.join(', ')}`);
    if (script.dependsOn.length) ctx.output.out(`Also depends on: ${script.dependsOn.join(', ')}`);
    const children = map.children(script.revision);
    if (children.length) ctx.output.out(`Children: ${children.join(', ')}`);
    ctx.output.out(`Path: ${script.path}`);
    ctx.output.out('');
    ctx.output.out(`    ${script.message}`);
    ctx.output.out('');
    ctx.output.out(`    Revision ID: ${script.revision}`);
    ctx.output.out(`    Revises: ${formatRevs(script.downRevisions)}`);
    if (script.createDate) ctx.output.out(`    Create Date: ${script.createDate}`);
  });
}
