import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, revisionJson, type ShowJson } from '../json-output.js';
import { formatRevs } from '../output.js';

/**
 * `migrate show TARGET [--json]`: the details of the revisions a target names, as Alembic's
 * `show` (`heads`: each head, a blank line between; `base`: nothing): `Rev:` with `(head)`,
 * `(branchpoint)` and `(mergepoint)`, then `Merges:` for a merge point (else `Parent:`) and
 * `Branches into:` for a branch point (else `Children:`, multidb's, as `Branch:`). `--json`:
 * {@link ShowJson}.
 */
export async function showCommand(ctx: CliContext, rev: string, options: { json?: boolean } = {}): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const { several, revisions } = await commands.show(env, rev);
    if (options.json) return printJson(ctx.output, (several ? revisions.map(revisionJson) : revisionJson(revisions[0]!)) satisfies ShowJson);
    const out = (line: string) => ctx.output.out(line);
    revisions.forEach(({ script, isHead, isBranchPoint, isMergePoint, children }, i) => {
      if (i > 0) out('');
      out(`Rev: ${script.revision}${isHead ? ' (head)' : ''}${isBranchPoint ? ' (branchpoint)' : ''}${isMergePoint ? ' (mergepoint)' : ''}`);
      out(`${isMergePoint ? 'Merges' : 'Parent'}: ${formatRevs(script.downRevisions)}`);
      out(`Branch: ${script.branch}`);
      if (script.branchLabels.length) out(`Branch names: ${script.branchLabels.join(', ')}`);
      if (script.dependsOn.length) out(`Also depends on: ${script.dependsOn.join(', ')}`);
      if (children.length) out(`${isBranchPoint ? 'Branches into' : 'Children'}: ${children.join(', ')}`);
      out(`Path: ${script.path}`);
      out('');
      out(`    ${script.message}`);
      out('');
      out(`    Revision ID: ${script.revision}`);
      out(`    Revises: ${formatRevs(script.downRevisions)}`);
      if (script.createDate) out(`    Create Date: ${script.createDate}`);
    });
  });
}
