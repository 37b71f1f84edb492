import type { AutogenerateBindResult } from './autogenerate.js';

/**
 * One warning per rename decision that matched no rename candidate in any bind a run compared:
 * the same `--rename`/`--no-rename` decisions go to every bind, so a decision matched in one bind
 * is expected to match nothing in the others. The warning names the binds searched and carries no
 * bind prefix. Results of binds not compared (no models, `unmatchedRenames` absent) are left out;
 * when no bind was compared, there is nothing to warn about (each skipped bind says why).
 *
 * @param results - what `autogenerate` returned.
 * @returns the warnings, in the order the decisions were given.
 * @example
 * ```ts
 * const results = await autogenerate(env, { message: 'memo', renames: { accept: ['txn.note=txn.memo'] } });
 * for (const w of unmatchedRenameWarnings(results)) console.warn(`WARNING: ${w}`);
 * // nothing when a bind has txn.note; else "--rename txn.note=txn.memo matches no rename candidate in binds default, db2; ignored."
 * ```
 */
export function unmatchedRenameWarnings(results: readonly Pick<AutogenerateBindResult, 'bind' | 'unmatchedRenames'>[]): string[] {
  const compared = results.filter((r): r is typeof r & { unmatchedRenames: readonly string[] } => r.unmatchedRenames !== undefined);
  const [first, ...others] = compared;
  if (!first) return [];
  const binds = compared.map((r) => r.bind).join(', ');
  return first.unmatchedRenames
    .filter((d) => others.every((r) => r.unmatchedRenames.includes(d)))
    .map((d) => `${d} matches no rename candidate in ${compared.length === 1 ? 'bind' : 'binds'} ${binds}; ignored.`);
}
