import type { RevisionEntry } from '@multidb/core';
import { formatRevs } from './output.js';

/**
 * One revision line as `history`, `heads` and `branches` print it, Alembic style:
 * `[db2] 1bc594146bb5 -> 3f2a9c1d7b40 (head) (current), add column`; with `verbose`, the path,
 * depends-on and create date follow on their own lines.
 *
 * @param current - the marker for binds at this revision (`'(current)'`, `'(current: t1, t2)'`) or ''.
 * @example
 * ```ts
 * for (const entry of await commands.heads(env)) console.log(formatRevisionLine(entry, '', false));
 * ```
 */
export function formatRevisionLine(entry: RevisionEntry, current: string, verbose: boolean): string {
  const { script } = entry;
  const marks: string[] = [];
  if (script.branchLabels.length) marks.push(`(${script.branchLabels.join(', ')})`);
  if (entry.isHead) marks.push('(head)');
  if (entry.isMergePoint) marks.push('(mergepoint)');
  if (entry.isBranchPoint) marks.push('(branchpoint)');
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
