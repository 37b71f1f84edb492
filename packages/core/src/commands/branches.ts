import type { MigrationEnvironment } from '../runtime/environment.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/**
 * `migrate branches`: the branch points (revisions with several children), in revision order, each
 * with its children. Reads script headers only.
 *
 * @returns one entry per branch point; `children` has the revisions it forks into.
 * @example
 * ```ts
 * for (const point of await branches(env)) console.log(point.script.revision, '->', point.children.join(', '));
 * ```
 */
export async function branches(env: MigrationEnvironment): Promise<RevisionEntry[]> {
  const map = await env.revisionMap();
  return map.revisions.filter((script) => map.children(script.revision).length > 1).map((script) => revisionEntry(map, script));
}
