import { commands } from '@multidb/core';
import { withEnvironment, type CliContext } from '../cli-context.js';
import { printJson, revisionJson, type ShowJson } from '../json-output.js';
import { formatRevs } from '../output.js';

/** `migrate show REV [--json]`: one revision's details, as Alembic's `show` (`--json`: {@link ShowJson}). */
export async function showCommand(ctx: CliContext, rev: string, options: { json?: boolean } = {}): Promise<void> {
  await withEnvironment(ctx, async (env) => {
    const entry = await commands.show(env, rev);
    if (options.json) return printJson(ctx.output, revisionJson(entry) satisfies ShowJson);
    const { script, isHead, children } = entry;
    const out = (line: string) => ctx.output.out(line);
    out(`Rev: ${script.revision}${isHead ? ' (head)' : ''}`);
    out(`Parent: ${formatRevs(script.downRevisions)}`);
    out(`Branch: ${script.branch}`);
    if (script.branchLabels.length) out(`Branch names: ${script.branchLabels.join(', ')}`);
    if (script.dependsOn.length) out(`Also depends on: ${script.dependsOn.join(', ')}`);
    if (children.length) out(`Children: ${children.join(', ')}`);
    out(`Path: ${script.path}`);
    out('');
    out(`    ${script.message}`);
    out('');
    out(`    Revision ID: ${script.revision}`);
    out(`    Revises: ${formatRevs(script.downRevisions)}`);
    if (script.createDate) out(`    Create Date: ${script.createDate}`);
  });
}
