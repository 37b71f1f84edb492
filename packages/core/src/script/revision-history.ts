import { MultipleHeadsError, RevisionError } from '../errors.js';
import { newestFirst } from './listing-order.js';
import type { RevisionMap } from './revision-map.js';
import type { RevisionScript } from './revision-script.js';
import { parseTarget, type BindBranch, type RevisionTarget, type TargetScope } from './revision-target.js';

/** What one end of a range stands for: revisions (lower: from them up; upper: up to them), or a line. */
type HistoryEnd = { readonly revisions: readonly string[] } | { readonly line: string };

/**
 * Revisions newest first, for `history [-r A:B]` (Alembic's semantics): A is the older end, B
 * the newer, both inclusive, either optional. An end may be any target that does not depend on a
 * bind's current revision: `base`, `head`, `heads`, a revision (prefix), `<rev>±N`, `head-N`,
 * `base+N`, a branch label, `<bind>`/`<bind>@head` for B, `<bind>`/`<bind>@base` for A (bind
 * names need `binds`), `Q@<rev>`. A revision is listed when it is a descendant-or-self of A and an
 * ancestor-or-self of B, within their branches. `label@base` as A lists what the B revisions on
 * that label's line need (B open: the heads of the line), as Alembic: a fork's other lines are
 * left out, the other down revisions of a merge on the line are not; B not carrying the label (off
 * the line, or at or below its fork) lists nothing. A relative end counts from the other end, as in
 * Alembic: A `-N` (`Q@-N`) is N revisions below B (B open: the one head of Q's branch, or of the
 * repository), included, as `head-N` is; past base, from base. B `+N` is N revisions above A (A
 * open or `base`: the branch's root is the first step).
 *
 * @param map - the revision map.
 * @param range - `'A:B'`, `'A:'`, `':B'`, or undefined/`''` for everything.
 * @param binds - configured binds, in config order, so bind names resolve and branches are listed
 *   in that order (default none: branches by name).
 * @param current - what an end written `current` stands for when a bind stands at several
 *   revisions (its version-table rows), as Alembic's `history -r current:` takes them all:
 *   `current:` lists them and what descends from them, `:current` what they need. Without it
 *   `current` is no target (a caller puts the one revision a bind stands at, or `base`, in the
 *   range itself).
 * @returns the scripts in range, newest first, in Alembic's walk ({@link newestFirst}).
 * @throws {@link RevisionError} for a range without `:`; two relative ends, an A that steps up
 *   (`+N:`) or a B that steps down (`:-N`), a B `+N` beyond the head; a range whose two ends bound nothing
 *   between them: inverted (`a3:a1`, the message gives the range the other way round) or
 *   unrelated (two branches, or two lines of a fork).
 * @throws {@link RevisionError} for an end A that stands for several revisions (`heads`) some of
 *   which do not lead to B (Alembic: not ancestor/descendant revisions along the same branch).
 * @throws {@link RevisionError} for an end `current` standing for several revisions while the
 *   other end is relative (`-1:current`: counted from which?).
 * @throws {@link MultipleHeadsError} for `head` where a branch (or the qualifier's line) has
 *   several heads, as in Alembic (`heads` names them all), and for `head-N` where the branch (or
 *   repository) has several heads.
 * @throws the errors of {@link parseTarget} for an end that does not resolve.
 * @example
 * ```ts
 * revisionHistory(map, 'base:db2@head', [{ bind: 'db2', branch: 'db2' }]); // branch db2, newest first
 * revisionHistory(map, '3f2a:'); // 3f2a… and everything after it in its branch
 * revisionHistory(map, 'db2@-2:', [{ bind: 'db2', branch: 'db2' }]); // the head of db2 and the two revisions below it
 * revisionHistory(map, 'current:', [{ bind: 'db2', branch: 'db2' }], ['b2', 'c1']); // b2, c1 and what descends from them
 * ```
 */
export function revisionHistory(map: RevisionMap, range?: string, binds: readonly BindBranch[] = [], current?: readonly string[]): RevisionScript[] {
  const order = map.revisions;
  if (range === undefined || range.trim() === '') return newestFirst(map, order.map((s) => s.revision), binds).map((id) => map.get(id));
  const colon = range.indexOf(':');
  if (colon < 0) {
    const end = range.trim();
    throw new RevisionError(`History range '${range}' needs a ':': '${end}:' lists ${end} and what comes after it, ':${end}' what leads to it, 'base:heads' everything.`);
  }
  const lowerText = range.slice(0, colon).trim();
  const upperText = range.slice(colon + 1).trim();
  // `current` standing for several revisions is that set, at either end.
  const lowerCurrent = current !== undefined && lowerText === 'current' ? current : undefined;
  const upperCurrent = current !== undefined && upperText === 'current' ? current : undefined;
  const lowerTarget = lowerText === '' || lowerCurrent ? undefined : parseTarget(lowerText, map, binds);
  const upperTarget = upperText === '' || upperCurrent ? undefined : parseTarget(upperText, map, binds);
  if (lowerTarget?.kind === 'relative' && upperTarget?.kind === 'relative') {
    throw new RevisionError(`History range '${range}': both ends are relative; give one of them as a revision (e.g. '${lowerText}:head' or '<rev>:${upperText}').`);
  }
  const several = lowerCurrent ?? upperCurrent;
  const relative = lowerTarget?.kind === 'relative' ? lowerText : upperTarget?.kind === 'relative' ? upperText : undefined;
  if (several !== undefined && relative !== undefined) {
    throw new RevisionError(
      `History range '${range}': 'current' stands for several revisions (${several.join(', ')}), and '${relative}' counts from one; give one of them instead of 'current'.`,
    );
  }
  const upper = upperCurrent ? { revisions: upperCurrent } : upperTarget === undefined ? undefined : historyEnd(map, upperTarget, 'upper', lowerTarget);
  const lower = lowerCurrent
    ? { revisions: lowerCurrent }
    : lowerTarget === undefined
      ? undefined
      : lowerTarget.kind === 'relative'
        ? belowUpper(map, range, lowerTarget, upperTarget, upper)
        : historyEnd(map, lowerTarget, 'lower');
  // `Q@base:base`: from base up to base lists nothing, as in Alembic (no inverted range).
  if (lowerTarget?.kind === 'base' && upper !== undefined && !('line' in upper) && upper.revisions.length === 0) return [];
  let allowed: Set<string> | undefined;
  if (upper !== undefined) {
    const revisions = 'line' in upper ? [] : upper.revisions;
    allowed = new Set(revisions.length ? map.ancestors(revisions, { inclusive: true }) : []);
  }
  if (lower !== undefined && 'line' in lower) {
    // As Alembic's `label@base:B`: what the B revisions on the label's line need (B open: the
    // heads on it), with the other down revisions of a merge; nothing when B is off the line.
    const labelled = carriers(map, lower.line);
    const tops = (upper === undefined ? map.headsFrom(lower.line) : 'line' in upper ? [] : upper.revisions).filter((id) => labelled.has(id));
    allowed = new Set(tops.length ? map.ancestors(tops, { inclusive: true }) : []);
  } else if (lower !== undefined) {
    const from = lower.revisions.length ? map.descendants(lower.revisions, { inclusive: true }) : [];
    const above = new Set(from);
    allowed = allowed === undefined ? above : new Set([...allowed].filter((id) => above.has(id)));
    if (upper !== undefined && allowed.size === 0) throw emptyRange(map, range, lowerText, upperText, lower, upper);
    if (upper !== undefined) {
      // As Alembic: every revision A stands for must lead to B, not only one of them.
      const below = new Set(map.ancestors('line' in upper ? [] : upper.revisions, { inclusive: true }));
      const outside = lower.revisions.filter((id) => !below.has(id));
      if (outside.length) throw partlyUnrelated(range, lowerText, upperText, lower.revisions, outside, upper);
    }
  }
  const keep = allowed;
  const ids = keep === undefined ? order.map((s) => s.revision) : order.filter((s) => keep.has(s.revision)).map((s) => s.revision);
  return newestFirst(map, ids, binds).map((id) => map.get(id));
}

/**
 * The revisions that carry the label of `anchor` in Alembic's sense: it, its descendants, and its
 * ancestors down to the nearest fork or merge (that one excluded).
 */
function carriers(map: RevisionMap, anchor: string): Set<string> {
  const out = new Set(map.descendants(anchor, { inclusive: true }));
  let down = map.get(anchor).downRevisions;
  while (down.length === 1 && map.children(down[0]!).length === 1) {
    out.add(down[0]!);
    down = map.get(down[0]!).downRevisions;
  }
  return out;
}

/** The error for `A:B` with nothing between: inverted (B below A) or unrelated. */
function emptyRange(map: RevisionMap, range: string, lowerText: string, upperText: string, lower: HistoryEnd, upper: HistoryEnd): RevisionError {
  const lows = 'line' in lower ? [lower.line] : lower.revisions;
  const ups = 'line' in upper ? [] : upper.revisions;
  const inverted = ups.length === 0 || ups.some((u) => lows.some((l) => map.ancestors(l, { inclusive: true }).includes(u)));
  const name = (ids: readonly string[]): string => (ids.length ? ids.join(', ') : 'base');
  if (inverted) {
    return new RevisionError(
      `History range '${range}' is inverted: ${name(ups)} comes before ${name(lows)}. The older end comes first: '${upperText}:${lowerText}'.`,
    );
  }
  return new RevisionError(
    `History range '${range}' lists nothing: no revision descends from ${name(lows)} and leads to ${name(ups)} ` +
      `(different branches, or different lines of a fork). Give two ends on one line, e.g. '${lowerText}:' and ':${upperText}'.`,
  );
}

/** The error for `A:B` where A stands for several revisions and some of them do not lead to B. */
function partlyUnrelated(range: string, lowerText: string, upperText: string, lows: readonly string[], outside: readonly string[], upper: HistoryEnd): RevisionError {
  const ups = 'line' in upper ? [] : upper.revisions;
  const inside = lows.find((id) => !outside.includes(id))!;
  return new RevisionError(
    `History range '${range}' is not one line: '${lowerText}' stands for ${lows.join(', ')}, and ${outside.join(', ')} ${outside.length > 1 ? 'do' : 'does'} not lead to ${ups.join(', ')}. ` +
      `Give a lower end that does, e.g. '${inside}:${upperText}'.`,
  );
}

/**
 * The error for an end that counts from one head while `heads` are several. Heads of several
 * branches (an unqualified `-3:` in a repository of several binds) cannot be merged: the end is
 * to be qualified with one of them (`db2@-3`), or the bind named. Heads of one branch get the
 * usual advice (name one, `@heads`, `merge`).
 */
function severalHeads(map: RevisionMap, heads: readonly string[], text: string, branch: string | undefined): MultipleHeadsError {
  const branches = [...new Set(heads.map((id) => map.get(id).branch))];
  if (branches.length < 2) return new MultipleHeadsError(heads, text, branch ?? branches[0]);
  return new MultipleHeadsError(
    heads,
    text,
    undefined,
    `They are the heads of several branches (${branches.join(', ')}): qualify the end with one (e.g. '${branches[0]}@${text}'), ` +
      `or name a bind of one ('migrate history <bind> -r …').`,
  );
}

/** The heads `head` stands for, refused when one branch (or the scope's line) has several. */
function singleHeads(map: RevisionMap, target: Extract<RevisionTarget, { kind: 'head' }>): readonly string[] {
  const text = target.text.trim();
  if (target.scope !== undefined) {
    const heads = headsOf(map, target.scope);
    if (heads.length > 1) throw new MultipleHeadsError(heads, text, target.scope.branch);
    return heads;
  }
  for (const branch of map.branches()) {
    const heads = map.heads(branch);
    if (heads.length > 1) throw new MultipleHeadsError(heads, text, branch);
  }
  return map.heads();
}

function headsOf(map: RevisionMap, scope: TargetScope): readonly string[] {
  return scope.anchor !== undefined ? map.headsFrom(scope.anchor) : map.heads(scope.branch);
}

/** `head-N` / `base+N` resolved from the graph alone (one head, or one root, where there is no scope). */
function offsetEnd(map: RevisionMap, target: Extract<RevisionTarget, { kind: 'offset' }>): readonly string[] {
  const scope = target.scope;
  if (target.from === 'head') {
    const heads = scope ? headsOf(map, scope) : map.heads();
    if (heads.length > 1) throw severalHeads(map, heads, target.text.trim(), scope?.branch);
    if (heads.length === 0) return [];
    return map.walk(heads, target.steps, { branch: map.get(heads[0]!).branch, argument: target.text.trim() });
  }
  const branch = scope?.branch ?? (map.branches().length === 1 ? map.branches()[0] : undefined);
  if (branch === undefined) {
    throw new RevisionError(`History range end '${target.text.trim()}' is ambiguous: the repository has several branches; name one (e.g. '<bind>@${target.text.trim()}').`);
  }
  const line = scope?.anchor;
  return map.walk([], target.steps, { branch, argument: target.text.trim(), ...(line !== undefined ? { line } : {}) });
}

/**
 * A lower end `-N` (`Q@-N`): N revisions below the upper end, as Alembic's `history -r-3:head`
 * resolves it (from the upper end's revision, or the one head the end stands for when it is
 * open); stepping past base stops there (the range then starts at base).
 */
function belowUpper(
  map: RevisionMap,
  range: string,
  target: Extract<RevisionTarget, { kind: 'relative' }>,
  upperTarget: RevisionTarget | undefined,
  upper: HistoryEnd | undefined,
): HistoryEnd | undefined {
  const text = target.text.trim();
  if (target.steps > 0) {
    throw new RevisionError(`History range '${range}': a lower end relative to the upper one steps down ('-${target.steps}'), not up ('${text}').`);
  }
  if (upper !== undefined && 'line' in upper) throw new RevisionError(`History range '${range}': '${text}' steps down from a revision; give the upper end as one.`);
  const from = upper !== undefined ? upper.revisions : singleHeads(map, { kind: 'head', text, scope: target.scope });
  if (from.length > 1) throw severalHeads(map, from, upperTarget?.text.trim() ?? text, target.scope?.branch);
  let position = from;
  for (let i = 0; i < -target.steps && position.length > 0; i++) {
    if (position.length > 1) {
      // Below a merge the count splits (Alembic: "Ambiguous walk"); the next step back is not one revision.
      throw new RevisionError(
        `History range '${range}': '${text}' is ambiguous: ${i} step(s) down from ${from.join(', ')}, a merge leads to ${position.join(', ')}. ` +
          `Give the lower end as a revision (e.g. '${position[0]}:').`,
      );
    }
    position = map.walk(position, -1, { branch: map.get(position[0]!).branch, argument: text });
  }
  return position.length === 0 ? undefined : { revisions: position };
}

/**
 * An upper end `+N` (`Q@+N`): N revisions above the lower end (its one revision; base: the
 * branch's root is the first step), as `history -r current:+1` reads.
 */
function aboveLower(map: RevisionMap, target: Extract<RevisionTarget, { kind: 'relative' }>, lowerTarget: RevisionTarget | undefined): HistoryEnd {
  const text = target.text.trim();
  if (target.steps < 0) throw new RevisionError(`History range end '${text}': an upper end relative to the lower one steps up ('+${-target.steps}'), not down.`);
  // From base (`base:+2`, `db2@base:+1`): the first step is the branch's root.
  const fromBase = lowerTarget === undefined || lowerTarget.kind === 'base';
  const lower = fromBase ? undefined : historyEnd(map, lowerTarget, 'lower');
  if (lower !== undefined && 'line' in lower) throw new RevisionError(`History range end '${text}' steps up from a revision; give the lower end as one.`);
  const from = lower?.revisions ?? [];
  if (from.length > 1) throw new MultipleHeadsError(from, lowerTarget!.text.trim(), target.scope?.branch);
  const scoped = lowerTarget?.scope?.branch ?? target.scope?.branch;
  const branch = from.length ? map.get(from[0]!).branch : (scoped ?? (map.branches().length === 1 ? map.branches()[0] : undefined));
  if (branch === undefined) {
    throw new RevisionError(`History range end '${text}' is ambiguous: the repository has several branches; name one (e.g. '<bind>@${text}').`);
  }
  return { revisions: map.walk(from, target.steps, { branch, argument: text }) };
}

/** What an end of a history range stands for; undefined = unbounded. `lowerTarget`: the other end, for an upper end `+N`. */
function historyEnd(map: RevisionMap, target: RevisionTarget, end: 'lower' | 'upper', lowerTarget?: RevisionTarget): HistoryEnd | undefined {
  const revisions = (ids: readonly string[]): HistoryEnd => ({ revisions: ids });
  switch (target.kind) {
    case 'heads':
      if (target.scope === undefined) return end === 'upper' ? undefined : revisions(map.heads());
      return revisions(headsOf(map, target.scope));
    case 'head': {
      const heads = singleHeads(map, target);
      return target.scope === undefined && end === 'upper' ? undefined : revisions(heads);
    }
    case 'base':
      if (end === 'upper') return revisions([]);
      if (target.scope === undefined) return undefined;
      if (target.scope.anchor !== undefined && !map.isBase(target.scope.anchor)) return { line: target.scope.anchor };
      return revisions(map.bases(target.scope.branch));
    case 'bind':
      return revisions(end === 'upper' ? headsOf(map, target.scope) : map.bases(target.scope.branch));
    case 'revision':
      return revisions([target.revision]);
    case 'offset':
      return revisions(offsetEnd(map, target));
    case 'relative':
      // `-N:…` is resolved against the upper end (belowUpper); `…:+N` against the lower one.
      if (end === 'upper') return aboveLower(map, target, lowerTarget);
      throw new RevisionError(`History range end '${target.text}' is relative to the other end; give that end as a revision (e.g. '${target.text}:<rev>').`);
  }
}
