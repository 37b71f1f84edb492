import { MultidbError, RevisionNotFoundError } from '../errors.js';
import type { MigrationEnvironment } from '../runtime/environment.js';
import { showTarget } from '../script/show-target.js';
import { current } from './current.js';
import { revisionEntry, type RevisionEntry } from './revision-entry.js';

/** A revision `show` found: for `current`, with the bind at it. */
export interface ShowEntry extends RevisionEntry {
  /**
   * For `current` and `<bind>@current`: the bind whose version table holds the revision (a
   * revision several binds are at, tenants', comes once per bind). Absent for every other target.
   */
  readonly bind?: string;
}

/** What `show` found. */
export interface ShowResult {
  /**
   * The target names a set of revisions (`heads`, `base`, `Q@heads`, `Q@base`) rather than one;
   * the CLI's `--json` prints an array then, and the one revision's object otherwise.
   */
  readonly several: boolean;
  /**
   * The revisions, in revision order: exactly one unless `several` (`base`: none). For `current`:
   * binds in config order, each bind's revisions as `current` lists them, each with its {@link ShowEntry.bind}.
   */
  readonly revisions: readonly ShowEntry[];
}

/**
 * `migrate show TARGET`: revisions by a target read from the scripts alone, as Alembic's `show`:
 * an id or unique prefix, a branch label, `head`, `heads`, `base`, a bind (its branch's root),
 * `<bind>@head`, `<label>@heads`, `<rev>±N`, `head-N`, `base+N`. Reads script headers only, but
 * for `current` (as Alembic's `show current`): every bind's current revisions, read from their
 * version tables, each with its bind (a revision two binds share, tenants', once per bind; a bind
 * at base adds none), and `<bind>@current`, one bind's; `several` is then `true`.
 *
 * @param target - the target as written.
 * @returns the revisions it names (see {@link ShowResult}).
 * @throws `RevisionNotFoundError`, `AmbiguousRevisionError`, `MultipleHeadsError` (`head` with
 *   several heads), `RevisionError` (a target relative to a current revision); see `showTarget`.
 *   For `current`: `UnknownBindError`, a {@link MultidbError} (`BIND_DATABASE`) naming a bind
 *   whose version table cannot be read, `RevisionNotFoundError` for a current revision no script
 *   declares.
 * @example
 * ```ts
 * const { revisions } = await commands.show(env, 'heads');
 * for (const { script, isHead } of revisions) console.log(script.revision, isHead);
 * for (const { bind, script } of (await commands.show(env, 'current')).revisions) console.log(`[${bind}] ${script.revision}`);
 * ```
 */
export async function show(env: MigrationEnvironment, target: string): Promise<ShowResult> {
  const currentOf = /^(?:(.+)@)?current$/.exec(target.trim());
  if (currentOf) return showCurrent(env, currentOf[1]);
  const map = await env.revisionMap();
  const shown = showTarget(target, map, env.binds.map((b) => ({ bind: b.name, branch: b.branch })));
  return { several: shown.several, revisions: shown.revisions.map((id) => revisionEntry(map, map.get(id))) };
}

/** {@link show} of `current` (every bind) or `<bind>@current`. */
async function showCurrent(env: MigrationEnvironment, bind: string | undefined): Promise<ShowResult> {
  const binds = bind === undefined ? env.bindNames : [env.bind(bind).name];
  const map = await env.revisionMap();
  const revisions: ShowEntry[] = [];
  for (const b of await current(env, binds)) {
    if (!b.reachable) throw new MultidbError(`[${b.bind}] its current revisions cannot be read: ${b.reason ?? 'unknown reason'}`, 'BIND_DATABASE');
    for (const r of b.revisions) {
      if (!r.known) throw new RevisionNotFoundError(r.revision, `Bind '${b.bind}' is at ${r.revision}, which no revision script declares.`);
      revisions.push({ ...revisionEntry(map, map.get(r.revision)), bind: b.bind });
    }
  }
  return { several: true, revisions };
}
