import type { MigrationEnvironment } from '../runtime/environment.js';
import { headsInOrder } from '../script/listing-order.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/**
 * `migrate heads`: the head revisions of every branch, branch by branch. Reads script headers
 * only: no driver loads, no module runs, no database is opened.
 *
 * @returns one entry per head: branches in config order (a branch at its first bind's place; a
 *   branch no bind follows after them, by name), a branch's heads in revision order.
 * @throws `ConfigError` when the repository is missing; `RevisionError`s of a broken graph.
 * @example
 * ```ts
 * for (const head of await heads(env)) console.log(head.script.branch, head.script.revision);
 * ```
 */
export async function heads(env: MigrationEnvironment): Promise<RevisionEntry[]> {
  const map = await env.revisionMap();
  return headsInOrder(map, env.binds.map((b) => ({ bind: b.name, branch: b.branch }))).map((head) => revisionEntry(map, map.get(head)));
}
