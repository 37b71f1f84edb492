import { RevisionError } from '../errors.js';
import type { RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';
import { parseTarget, type BindBranch, type RevisionTarget } from './revision-target.js';

/**
 * Revisions newest first, for `history [-r A:B]` (Alembic's semantics): A is the older end, B
 * the newer, both inclusive, either optional. An end may be any target: `base`, `head`,
 * `heads`, a revision (prefix), `<rev>±N`, a branch label, `<bind>`/`<bind>@head` for B,
 * `<bind>`/`<bind>@base` for A (bind names need `binds`). A revision is listed when it is
 * a descendant-or-self of A and an ancestor-or-self of B, within their branches.
 *
 * @param map - the revision map.
 * @param range - `'A:B'`, `'A:'`, `':B'`, or undefined/`''` for everything.
 * @param binds - configured binds, so bind names resolve (default none).
 * @returns the scripts in range, newest first.
 * @throws {@link RevisionError} for a range without `:`, or an end relative to the current
 *   revision (`+N`, `-N`, `<bind>@±N`: the map does not know it).
 * @throws the errors of {@link parseTarget} for an end that does not resolve.
 * @example
 * ```ts
 * revisionHistory(map, 'base:db2@head', [{ bind: 'db2', branch: 'db2' }]); // branch db2, newest first
 * revisionHistory(map, '3f2a:'); // 3f2a… and everything after it in its branch
 * ```
 */
export function revisionHistory(map: RevisionMap, range?: string, binds: readonly BindBranch[] = []): RevisionScript[] {
  const order = map.revisions;
  if (range === undefined || range.trim() === '') return [...order].reverse();
  const colon = range.indexOf(':');
  if (colon < 0) throw new RevisionError(`History range '${range}' needs a ':' (e.g. 'base:head', 'ae10:', ':db2@head').`);
  const lowerText = range.slice(0, colon).trim();
  const upperText = range.slice(colon + 1).trim();
  const lower = lowerText === '' ? undefined : historyEnd(map, parseTarget(lowerText, map, binds), 'lower');
  const upper = upperText === '' ? undefined : historyEnd(map, parseTarget(upperText, map, binds), 'upper');
  let allowed: Set<string> | undefined;
  if (upper !== undefined) allowed = new Set(upper.length ? map.ancestors(upper, { inclusive: true }) : []);
  if (lower !== undefined) {
    const below = new Set(lower.length ? map.descendants(lower, { inclusive: true }) : []);
    allowed = allowed === undefined ? below : new Set([...allowed].filter((id) => below.has(id)));
  }
  const out: RevisionScript[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const script = order[i]!;
    if (allowed === undefined || allowed.has(script.revision)) out.push(script);
  }
  return out;
}

/** Revisions an end of a history range stands for; undefined = unbounded. */
function historyEnd(map: RevisionMap, target: RevisionTarget, end: 'lower' | 'upper'): readonly string[] | undefined {
  const headsOf = (scope: { branch: string; anchor: string | undefined }): readonly string[] =>
    scope.anchor !== undefined ? map.headsFrom(scope.anchor) : map.heads(scope.branch);
  switch (target.kind) {
    case 'heads':
    case 'head':
      if (target.scope === undefined) return end === 'upper' ? undefined : map.heads();
      return headsOf(target.scope);
    case 'base':
      if (end === 'upper') return [];
      return target.scope === undefined ? undefined : map.bases(target.scope.branch);
    case 'bind':
      return end === 'upper' ? headsOf(target.scope) : map.bases(target.scope.branch);
    case 'revision':
      return [target.revision];
    case 'relative':
      throw new RevisionError(
        `History range end '${target.text}' is relative to a current revision, which history does not read; give a revision (e.g. '<rev>-2').`,
      );
  }
}
