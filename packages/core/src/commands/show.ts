import type { MigrationEnvironment } from '../runtime/environment.js';
import { showTarget } from '../script/show-target.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/** What `show` found. */
export interface ShowResult {
  /**
   * The target names a set of revisions (`heads`, `base`, `Q@heads`, `Q@base`) rather than one;
   * the CLI's `--json` prints an array then, and the one revision's object otherwise.
   */
  readonly several: boolean;
  /** The revisions, in revision order: exactly one unless `several` (`base`: none). */
  readonly revisions: readonly RevisionEntry[];
}

/**
 * `migrate show TARGET`: revisions by a target read from the scripts alone, as Alembic's `show`:
 * an id or unique prefix, a branch label, `head`, `heads`, `base`, a bind (its branch's root),
 * `<bind>@head`, `<label>@heads`, `<rev>±N`, `head-N`, `base+N`. Reads script headers only.
 *
 * @param target - the target as written.
 * @returns the revisions it names (see {@link ShowResult}).
 * @throws `RevisionNotFoundError`, `AmbiguousRevisionError`, `MultipleHeadsError` (`head` with
 *   several heads), `RevisionError` (a target relative to a current revision); see `showTarget`.
 * @example
 * ```ts
 * const { revisions } = await show(env, 'heads');
 * for (const { script, isHead } of revisions) console.log(script.revision, isHead);
 * ```
 */
export async function show(env: MigrationEnvironment, target: string): Promise<ShowResult> {
  const map = await env.revisionMap();
  const shown = showTarget(target, map, env.binds.map((b) => ({ bind: b.name, branch: b.branch })));
  return { several: shown.several, revisions: shown.revisions.map((id) => revisionEntry(map, map.get(id))) };
}
