import { MultipleHeadsError, RevisionError, UnknownBindError } from '../errors.js';
import type { BindState } from '../script/planner.js';
import type { RevisionMap } from '../script/revision-map.js';
import type { BindBranch } from '../script/revision-target.js';
import type { MigrationEnvironment } from './environment.js';

/** Where a range's binds start: `base`, their branch's head or heads, or given revisions. */
export type OfflineStart =
  | { readonly kind: 'base' }
  | { readonly kind: 'head' }
  | { readonly kind: 'heads' }
  | { readonly kind: 'revisions'; readonly revisions: readonly string[] };

/**
 * A range of an offline command (`migrate upgrade --sql [BIND@]FROM:TO`), parsed. Offline there
 * is no version table to read, so a bind starts where `FROM` says, or at base.
 */
export interface OfflineRange {
  /** The range as written. */
  readonly text: string;
  /** The bind named before `@`, if any. */
  readonly bind: string | undefined;
  /** The branch `FROM`'s revisions belong to, when they name one and no bind is given. */
  readonly branch: string | undefined;
  /** `FROM`; `undefined` when the range is a bare target (its binds start at base). */
  readonly from: OfflineStart | undefined;
  /**
   * The target for the planner: `TO` as written, qualified with the range's bind (or branch) when
   * it is a global form (`head`, `heads`, `base`, `+N`, `-N`): `db2@fd24:head` gives `db2@head`.
   */
  readonly target: string;
}

const GLOBAL_TARGET = /^(head|heads|base|[+-]\d+)$/;

/**
 * Parses one range of an offline command: `[BIND@]FROM:TO` or a bare target (`head`, `db2@head`,
 * a revision…). `FROM` is `base`, `head`, `heads`, or revision ids or prefixes separated by commas
 * (several heads of one branch); without `BIND@`, revisions select the binds of their branch.
 *
 * @param text - the range as written.
 * @param map - the revision map.
 * @param binds - the configured binds and their branches.
 * @returns the parsed range.
 * @throws {@link UnknownBindError} for `x@FROM:TO` when `x` is no bind; {@link RevisionError} for
 *   an empty `FROM` or `TO`, or `FROM` revisions of several branches; the errors of
 *   `RevisionMap.resolve` (`RevisionNotFoundError`, `AmbiguousRevisionError`).
 * @example
 * ```ts
 * parseOfflineRange('db2@4fcf:head', map, [{ bind: 'db2', branch: 'db2' }]);
 * // { bind: 'db2', from: { kind: 'revisions', revisions: ['4fcf6e3a8f8c'] }, target: 'db2@head', … }
 * ```
 */
export function parseOfflineRange(text: string, map: RevisionMap, binds: readonly BindBranch[]): OfflineRange {
  const t = text.trim();
  const colon = t.indexOf(':');
  if (colon < 0) return Object.freeze({ text, bind: undefined, branch: undefined, from: undefined, target: t });
  let left = t.slice(0, colon).trim();
  const to = t.slice(colon + 1).trim();
  if (to === '') throw new RevisionError(`'${text}': give a target after ':' (e.g. '${left || 'db2@base'}:head').`);
  let bind: string | undefined;
  const at = left.indexOf('@');
  if (at >= 0) {
    bind = left.slice(0, at);
    left = left.slice(at + 1);
    if (!binds.some((b) => b.bind === bind)) throw new UnknownBindError(bind, binds.map((b) => b.bind));
  }
  if (left === '') throw new RevisionError(`'${text}': give where the bind starts before ':' (base, head, or a revision), e.g. 'db2@base:${to}'.`);
  let from: OfflineStart;
  let branch: string | undefined;
  if (left === 'base' || left === 'head' || left === 'heads') {
    from = { kind: left };
  } else {
    const revisions = left.split(',').map((r) => map.resolve(r.trim()).revision);
    const branches = [...new Set(revisions.map((r) => map.get(r).branch))];
    if (branches.length > 1) throw new RevisionError(`'${text}': the revisions before ':' are of several branches (${branches.join(', ')}); give one range per bind.`);
    from = { kind: 'revisions', revisions };
    if (bind === undefined) branch = branches[0];
  }
  let qualifier = bind;
  if (qualifier === undefined && branch !== undefined) {
    const onBranch = binds.filter((b) => b.branch === branch);
    // One bind: its name. Tenants sharing the branch: the branch's label (its root carries it).
    qualifier = onBranch.length === 1 ? onBranch[0]!.bind : branch;
  }
  const target = qualifier !== undefined && GLOBAL_TARGET.test(to) ? `${qualifier}@${to}` : to;
  return Object.freeze({ text, bind, branch, from, target });
}

/** The planner's input for offline ranges: targets, and the binds with the heads they start at. */
export interface OfflinePlanInput {
  /** The targets for the planner, one per range (`db2@fd24:head` gives `db2@head`). */
  readonly targets: readonly string[];
  /** The binds concerned, in config order, each at its `FROM` (or base). */
  readonly states: readonly BindState[];
}

/**
 * Turns the ranges of an offline command into the planner's input, from the revision graph and
 * the config alone (no database is read): each range selects the binds its target selects (its
 * bind alone when `BIND@` is given, plus binds linked through depends-on), and its binds start at
 * `FROM`; every other bind starts at base.
 *
 * @param ranges - the ranges as written (`[]`: every bind from base to its head).
 * @param direction - `'up'`, `'down'` or `'stamp'` (which binds depends-on pulls in).
 * @param options - `allBinds`: a target naming a revision or label of a branch several binds
 *   share (tenants) selects all of them, as `--all-binds` online; without it such a target is
 *   refused (see `MigrationEnvironment.bindsForTargets`).
 * @throws the errors of {@link parseOfflineRange}; {@link MultipleHeadsError} for a `head` start on
 *   a branch with several heads; {@link RevisionError} when two ranges start one bind at different
 *   revisions.
 * @example
 * ```ts
 * const { targets, states } = await offlinePlanInput(env, ['db2@4fcf:head'], 'up');
 * const plan = planUpgrade(await env.revisionMap(), states, targets);
 * ```
 */
export async function offlinePlanInput(env: MigrationEnvironment, ranges: readonly string[], direction: 'up' | 'down' | 'stamp', options: { readonly allBinds?: boolean } = {}): Promise<OfflinePlanInput> {
  const map = await env.revisionMap();
  const bindBranches = env.binds.map((b) => ({ bind: b.name, branch: b.branch }));
  const parsed = (ranges.length ? ranges : ['head']).map((r) => parseOfflineRange(r, map, bindBranches));
  const selected = new Set<string>();
  const starts = new Map<string, { heads: readonly string[]; range: string }>();
  for (const range of parsed) {
    let binds = await env.bindsForTargets([range.target], direction, options);
    if (range.bind !== undefined) {
      // Other binds on the bind's branch (tenants) are not part of this range.
      const branch = env.bind(range.bind).branch;
      binds = binds.filter((b) => b === range.bind || env.bind(b).branch !== branch);
    }
    for (const b of binds) selected.add(b);
    if (range.from === undefined) continue;
    const startsHere = range.bind !== undefined ? [range.bind] : range.branch !== undefined ? binds.filter((b) => env.bind(b).branch === range.branch) : binds;
    for (const bind of startsHere) {
      const heads = startHeads(map, env.bind(bind).branch, range.from, range.text);
      const earlier = starts.get(bind);
      if (earlier && [...earlier.heads].sort().join() !== [...heads].sort().join()) {
        throw new RevisionError(`Ranges '${earlier.range}' and '${range.text}' start bind '${bind}' at different revisions; give one start per bind.`);
      }
      starts.set(bind, { heads, range: range.text });
    }
  }
  const states = env.binds
    .filter((b) => selected.has(b.name))
    .map((b) => ({ bind: b.name, branch: b.branch, heads: starts.get(b.name)?.heads ?? [] }));
  return { targets: parsed.map((r) => r.target), states };
}

function startHeads(map: RevisionMap, branch: string, from: OfflineStart, text: string): readonly string[] {
  switch (from.kind) {
    case 'base':
      return [];
    case 'revisions':
      return from.revisions;
    case 'heads':
      return map.heads(branch);
    case 'head': {
      const heads = map.heads(branch);
      if (heads.length > 1) throw new MultipleHeadsError(heads, text, branch);
      return heads;
    }
  }
}
