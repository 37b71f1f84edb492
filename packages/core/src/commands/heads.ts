import type { MigrationEnvironment } from '../runtime/environment.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/**
 * `migrate heads`: the head revisions of every branch, branch by branch. Reads script headers
 * only: no driver loads, no module runs, no database is opened.
 *
 * @returns one entry per head, branches in name order.
 * @throws `ConfigError` when the repository is missing; `RevisionError`s of a broken graph.
 * @example
 * ```ts
 * for (const head of await heads(env)) console.log(head.script.branch, head.script.revision);
 * ```
 */
export async function heads(env: MigrationEnvironment): Promise<RevisionEntry[]> {
  const map = await env.revisionMap();
  return map.branches().flatMap((branch) => map.heads(branch).map((head) => revisionEntry(map, map.get(head))));
}
