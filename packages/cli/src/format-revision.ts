import type { RevisionEntry } from '@multidb/core';
import { formatRevs } from './output.js';

/** What {@link formatRevisionLine} includes besides the revision and its head mark (Alembic's `_head_only` flags). */
export interface RevisionLineOptions {
  /** The down revisions and depends-on before it: `a1 (b2) -> c3` (Alembic's `include_parents`). */
  readonly parents?: boolean;
  /** The branch labels it carries: `(db2, c2branch)` (Alembic's `include_branches`). */
  readonly labels?: boolean;
  /** `(branchpoint)` and `(mergepoint)` (Alembic's `tree_indicators`). */
  readonly tree?: boolean;
  /** `, <message>` at the end (Alembic's `include_doc`). */
  readonly message?: boolean;
  /** The mark of the binds at it (`'(current)'`, `'(current: t1, t2)'`), or none. */
  readonly current?: string;
}

/** `(head)`, or `(effective head)` for a head another branch's revision depends on (Alembic's marks). */
function headMark(entry: RevisionEntry): string {
  return entry.isEffectiveHead ? ' (effective head)' : entry.isHead ? ' (head)' : '';
}

/**
 * One revision on one line, in Alembic's order: `[down (depends-on) -> ]rev[ (labels)][ (head) |
 * (effective head)][ (current)][ (branchpoint)][ (mergepoint)][, message]`. `history` prints it
 * with everything, `heads` with the labels, `current` with the tree marks, `branches` with the
 * labels and tree marks; callers put the `[branch]` or `[bind]` before it.
 *
 * @param entry - the revision (from core's `heads`, `history`, `branches`, or `revisionEntry`).
 * @param options - what to include besides the revision and its head mark.
 * @returns the line, without a line break.
 * @example
 * ```ts
 * for (const entry of await commands.heads(env)) console.log(`[${entry.script.branch}] ${formatRevisionLine(entry, { labels: true })}`);
 * ```
 */
export function formatRevisionLine(entry: RevisionEntry, options: RevisionLineOptions = {}): string {
  const { script } = entry;
  let text = script.revision;
  if (options.parents) {
    const deps = script.dependsOn.length ? ` (${script.dependsOn.join(', ')})` : '';
    text = `${formatRevs(script.downRevisions)}${deps} -> ${text}`;
  }
  if (options.labels && entry.labels.length) text += ` (${entry.labels.join(', ')})`;
  text += headMark(entry);
  if (options.current) text += ` ${options.current}`;
  if (options.tree) text += `${entry.isBranchPoint ? ' (branchpoint)' : ''}${entry.isMergePoint ? ' (mergepoint)' : ''}`;
  if (options.message) text += `, ${script.message}`;
  return text;
}

/**
 * One revision in full, as Alembic's `show` (and every `--verbose` listing) prints it, ending
 * with a blank line:
 * ```
 * Rev: 3f2a9c1d7b40 (head) (branchpoint) (mergepoint) (current)
 * Parent: 1bc594146bb5                 (a merge: Merges: a, b; a branch root: Parent: <base>)
 * Also depends on: 77aa01c3e2f0        (when it depends on any)
 * Branches into: c1, c2                (a branch point; multidb: Children: c1 for one child)
 * Branch names: db2, c2branch          (the labels it carries)
 * Path: /srv/app/migrations/versions/db2/3f2a9c1d7b40_add_invoice_currency.ts
 *
 *     add invoice currency
 *
 *     Revision ID: 3f2a9c1d7b40
 *     Revises: 1bc594146bb5            (nothing after the colon for a branch root)
 *     Create Date: 2026-11-23T10:04:00Z
 *
 * ```
 * The indented part is what Alembic prints of a revision's docstring, which its template fills
 * with the message, id, down revisions and date; the blank line inside it is indented too (four
 * spaces), as Alembic prints it.
 *
 * @param entry - the revision.
 * @param marks - more marks for the `Rev:` line (`'(current)'`, `'(in flight: …)'`), or none.
 * @returns the lines, the last one empty.
 * @example
 * ```ts
 * for (const entry of (await commands.show(env, 'heads')).revisions) console.log(formatRevisionEntry(entry).join('\n'));
 * ```
 */
export function formatRevisionEntry(entry: RevisionEntry, marks = ''): string[] {
  const { script } = entry;
  const tree = `${entry.isHead ? ' (head)' : ''}${entry.isBranchPoint ? ' (branchpoint)' : ''}${entry.isMergePoint ? ' (mergepoint)' : ''}`;
  const lines = [`Rev: ${script.revision}${tree}${marks ? ` ${marks}` : ''}`, `${entry.isMergePoint ? 'Merges' : 'Parent'}: ${formatRevs(script.downRevisions)}`];
  if (script.dependsOn.length) lines.push(`Also depends on: ${script.dependsOn.join(', ')}`);
  if (entry.children.length) lines.push(`${entry.isBranchPoint ? 'Branches into' : 'Children'}: ${entry.children.join(', ')}`);
  if (entry.labels.length) lines.push(`Branch names: ${entry.labels.join(', ')}`);
  lines.push(`Path: ${script.path}`, '', ...script.message.split('\n').map((line) => `    ${line}`), '    ', `    Revision ID: ${script.revision}`, `    Revises: ${script.downRevisions.join(', ')}`);
  if (script.createDate) lines.push(`    Create Date: ${script.createDate}`);
  lines.push('');
  return lines;
}
