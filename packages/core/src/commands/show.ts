import type { MigrationEnvironment } from '../runtime/environment.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/**
 * `migrate show REV`: one revision, by id or unique prefix. Reads script headers only.
 *
 * @param revision - a revision id or unique prefix.
 * @throws `RevisionNotFoundError`, `AmbiguousRevisionError`.
 * @example
 * ```ts
 * const { script, children } = await show(env, '3f2a');
 * ```
 */
export async function show(env: MigrationEnvironment, revision: string): Promise<RevisionEntry> {
  const map = await env.revisionMap();
  return revisionEntry(map, map.resolve(revision));
}
