import type { RevisionEntry } from '@multidb/core';
import { formatRevs } from './output.js';

/**
 * One revision line as `history`, `heads` and `branches` print it, Alembic style:
 * `[db2] 1bc594146bb5 -> 3f2a9c1d7b40 (head) (current), add column`; with `short` (what Alembic's
 * `heads` and `branches` print), only the revision and its marks: `[db2] 3f2a9c1d7b40 (db2) (head)`.
 * With `verbose`, the full line, then the path, depends-on and create date on their own lines.
 *
 * @param current - the marker for binds at this revision (`'(current)'`, `'(current: t1, t2)'`) or ''.
 * @param short - without the down revisions and the message (ignored with `verbose`).
 * @example
 * ```ts
 * for (const entry of await commands.heads(env)) console.log(formatRevisionLine(entry, '', false));
 * ```
 */
export function formatRevisionLine(entry: RevisionEntry, current: string, verbose: boolean, short = false): string {
  const { script } = entry;
  const marks: string[] = [];
  if (script.branchLabels.length) marks.push(`(${script.branchLabels.join(', ')})`);
  if (entry.isHead) marks.push('(head)');
  if (entry.isMergePoint) marks.push('(mergepoint)');
  if (entry.isBranchPoint) marks.push('(branchpoint)');
  if (current) marks.push(current);
  const tail = marks.length ? ` ${marks.join(' ')}` : '';
  if (short && !verbose) return `[${script.branch}] ${script.revision}${tail}`;
  const head = `[${script.branch}] ${formatRevs(script.downRevisions)} -> ${script.revision}${tail}, ${script.message}`;
  if (!verbose) return head;
  return [
    head,
    `    Path: ${script.path}`,
    ...(script.dependsOn.length ? [`    Depends on: ${script.dependsOn.join(', ')}`] : []),
    ...(script.createDate ? [`    Create Date: ${script.createDate}`] : []),
  ].join('\n');
}
