import type { MigrationEnvironment } from '../runtime/environment.js';
import { revisionHistory } from '../script/revision-history.js';

/** A revision a bind can be downgraded to. */
export interface DowngradeChoice {
  /** What a run is given: `db2@-1`, `db2@-3`, `db2@base`. */
  readonly target: string;
  /** What the choice reads as (`one step back`, `6cd0a1d092b6 load sales data`, `base`). */
  readonly label: string;
  /** The revision the bind ends at (`undefined` for base). */
  readonly revision: string | undefined;
}

/**
 * Where a bind can be downgraded to: each applied revision below where it stands (newest first,
 * as `<bind>@-N`), one step back, and base. A bind at base has none.
 *
 * @throws `UnknownBindError`; connection errors.
 * @example
 * ```ts
 * const choices = await commands.downgradeChoices(env, 'db2'); // [{ target: 'db2@-1', … }, …, { target: 'db2@base', … }]
 * ```
 */
export async function downgradeChoices(env: MigrationEnvironment, bind: string): Promise<DowngradeChoice[]> {
  const map = await env.revisionMap();
  const branch = env.bind(bind).branch;
  const current = (await env.currentHeads([bind])).get(bind) ?? [];
  if (current.length === 0) return [];
  const applied = new Set(map.ancestors(current, { inclusive: true }));
  // Newest first; the current revisions themselves are where the bind is, not a choice.
  const below = revisionHistory(map).filter((s) => s.branch === branch && applied.has(s.revision) && !current.includes(s.revision));
  const choices: DowngradeChoice[] = below.map((script) => {
    const keep = new Set(map.ancestors(script.revision, { inclusive: true }));
    const steps = [...applied].filter((r) => !keep.has(r)).length;
    return { target: `${bind}@-${steps}`, label: `${script.revision} ${script.message}${steps === 1 ? ' (one step back)' : ''}`, revision: script.revision };
  });
  if (below.length && !choices.some((c) => c.target === `${bind}@-1`)) choices.unshift({ target: `${bind}@-1`, label: 'one step back', revision: undefined });
  choices.push({ target: `${bind}@base`, label: 'base (every revision of the bind undone)', revision: undefined });
  return choices;
}
