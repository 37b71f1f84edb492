import type { MigrationEnvironment } from '../runtime/environment.js';
import { newestFirst } from '../script/listing-order.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/**
 * `migrate branches`: the branch points (revisions with several children), each with its children,
 * in `history`'s order (newest first, branches in config order), as Alembic's `branches`. Reads
 * script headers only.
 *
 * @returns one entry per branch point; `children` has the revisions it forks into.
 * @example
 * ```ts
 * for (const point of await commands.branches(env)) console.log(point.script.revision, '->', point.children.join(', '));
 * ```
 */
export async function branches(env: MigrationEnvironment): Promise<RevisionEntry[]> {
  const map = await env.revisionMap();
  const all = newestFirst(
    map,
    map.revisions.map((s) => s.revision),
    env.binds.map((b) => ({ bind: b.name, branch: b.branch })),
  );
  return all.filter((id) => map.isBranchPoint(id)).map((id) => revisionEntry(map, map.get(id)));
}
