import type { StampChange } from '../script/planner.js';

/**
 * What a stamp did on one bind (`StampResult.outcome`):
 * - `stamped`: its version table was written, from `from` to `to` (with `purge`, even when they are
 *   the same rows);
 * - `unchanged`: it was already at the target (`from` holds the rows of `to`): nothing was written,
 *   and a database that did not exist (at base) was not created;
 * - `no-revisions`: as `unchanged`, its branch having no revision yet, so every target there is base
 *   (`stamp db2@head` on a new branch).
 */
export type StampOutcome = 'stamped' | 'unchanged' | 'no-revisions';

/**
 * One bind a stamp selected: the planned change (`bind`, `from`, `to`) and what became of it.
 * @example
 * ```ts
 * const results: StampResult[] = await env.stamp(['db2@head']);
 * for (const r of results) if (r.outcome !== 'stamped') console.error(`[${r.bind}] nothing stamped (${r.outcome})`);
 * ```
 */
export interface StampResult extends StampChange {
  /** What the stamp did there (see {@link StampOutcome}). */
  readonly outcome: StampOutcome;
}
