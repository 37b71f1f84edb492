import { checkOptions, keysOf } from '../option-keys.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { headsInOrder } from '../script/listing-order.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/** Options of {@link heads}. */
export interface HeadsOptions {
  /**
   * Treat depends-on as down revisions (Alembic's `heads --resolve-dependencies`): leave out a
   * head that a revision of another branch depends on (an "effective head"). Default `false`:
   * every branch's heads. (Within one branch a depends-on already orders like a down revision.)
   */
  readonly resolveDependencies?: boolean;
}

/** The keys of {@link HeadsOptions}. */
const HEADS_OPTIONS = keysOf<HeadsOptions>({ resolveDependencies: true });

/**
 * `migrate heads`: the head revisions of every branch, branch by branch. Reads script headers
 * only: no driver loads, no module runs, no database is opened.
 *
 * @returns one entry per head: branches in config order (a branch at its first bind's place; a
 *   branch no bind follows after them, by name), a branch's heads in revision order; with
 *   `resolveDependencies`, without the heads another branch's revision depends on.
 * @throws `ConfigError` when the repository is missing; `RevisionError`s of a broken graph;
 *   `UnknownOptionError` when `options` holds a key {@link HeadsOptions} does not have.
 * @example
 * ```ts
 * for (const head of await commands.heads(env)) console.log(head.script.branch, head.script.revision);
 * const independent = await commands.heads(env, { resolveDependencies: true });
 * ```
 */
export async function heads(env: MigrationEnvironment, options: HeadsOptions = {}): Promise<RevisionEntry[]> {
  checkOptions('heads()', options, HEADS_OPTIONS);
  const map = await env.revisionMap();
  const entries = headsInOrder(map, env.binds.map((b) => ({ bind: b.name, branch: b.branch }))).map((head) => revisionEntry(map, map.get(head)));
  return options.resolveDependencies ? entries.filter((entry) => !entry.isEffectiveHead) : entries;
}
