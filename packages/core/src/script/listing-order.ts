import type { RevisionMap } from './revision-map.js';
import type { BindBranch } from './revision-target.js';

/**
 * The order the listings (`heads`, `branches`, `history`, `show heads`) take branches in: the
 * order of the config's binds, a branch at the place of its first bind (Alembic lists in the order
 * of its `version_locations`, which a multidb project's config takes the place of), then any
 * branch no bind follows, by name. `current` and `status` list binds in config order too.
 *
 * @param map - the revision map.
 * @param binds - the configured binds, in config order (none: every branch by name).
 * @returns branch names, each once: those with revisions and those binds name.
 * @example
 * ```ts
 * branchOrder(map, [{ bind: 'sales', branch: 'sales' }, { bind: 'catalog', branch: 'catalog' }]); // ['sales', 'catalog']
 * ```
 */
export function branchOrder(map: RevisionMap, binds: readonly BindBranch[] = []): string[] {
  const order = [...new Set(binds.map((b) => b.branch))];
  const named = new Set(order);
  for (const branch of map.branches()) if (!named.has(branch)) order.push(branch);
  return order;
}

/**
 * Head revisions branch by branch in {@link branchOrder}, each branch's heads in revision order:
 * what `heads` and `show heads` list.
 *
 * @param map - the revision map.
 * @param binds - the configured binds, in config order.
 * @returns head ids.
 * @example
 * ```ts
 * headsInOrder(map, env.binds.map((b) => ({ bind: b.name, branch: b.branch })));
 * ```
 */
export function headsInOrder(map: RevisionMap, binds: readonly BindBranch[] = []): string[] {
  return branchOrder(map, binds).flatMap((branch) => map.heads(branch));
}

/**
 * Revisions newest first, as Alembic's `history` walks them (`RevisionMap._topological_sort`):
 * from the heads of the set (revisions nothing in it revises or depends on), taken in
 * {@link branchOrder} and revision order, down each head's line to its base, following a merge's
 * first down revision before its others; a revision another listed line still leads to (a fork, a
 * revision a depends-on names) waits until that line has been walked down to it, so every revision
 * comes after all the revisions of the set above it.
 *
 * @param map - the revision map.
 * @param ids - the revisions to order (any order; ids the map holds).
 * @param binds - the configured binds, in config order (for {@link branchOrder}).
 * @returns the same ids, newest first.
 * @throws `RevisionNotFoundError` for an id the map does not hold.
 * @example
 * ```ts
 * // one branch: a <- b <- c1, b <- c2, m merges c1 and c2
 * newestFirst(map, ['a', 'b', 'c1', 'c2', 'm']); // ['m', 'c1', 'c2', 'b', 'a']
 * ```
 */
export function newestFirst(map: RevisionMap, ids: Iterable<string>, binds: readonly BindBranch[] = []): string[] {
  const todo = new Set(ids);
  const rank = new Map(branchOrder(map, binds).map((branch, i) => [branch, i]));
  const above = (id: string): readonly string[] => {
    const children = map.children(id);
    const dependents = map.dependents(id);
    return dependents.length === 0 ? children : [...children, ...dependents];
  };
  // Down revisions, then the depends-on no revision below it (through down revisions) also
  // declares: Alembic's `_normalized_down_revisions`.
  const below = (id: string): readonly string[] => {
    const down = map.get(id).downRevisions;
    const deps = map.dependencies(id).filter((d) => !down.includes(d));
    if (deps.length === 0) return down;
    const declared = new Set<string>();
    const seen = new Set<string>();
    const stack = [...down];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const d of map.dependencies(next)) declared.add(d);
      stack.push(...map.get(next).downRevisions);
    }
    return [...down, ...deps.filter((d) => !declared.has(d))];
  };
  const heads = [...todo]
    .filter((id) => !above(id).some((a) => todo.has(a)))
    .sort((a, b) => (rank.get(map.get(a).branch) ?? 0) - (rank.get(map.get(b).branch) ?? 0) || map.indexOf(a) - map.indexOf(b));
  // Every revision of the map listed, none revised by or depended on by two others: no revision
  // lies below two lines, so none ever waits, and the sets below are not needed (a history of
  // straight branches, the usual one, costs O(n)).
  const waits = todo.size !== map.size || map.revisions.some((s) => map.children(s.revision).length + map.dependents(s.revision).length > 1);
  // The ancestors (inclusive) of each head, and in how many of those sets each revision is, so a
  // revision's check costs O(1) rather than one look-up per head (2,000 branches: 2,000 heads).
  const ancestors: Set<string>[] = [];
  const covered = new Map<string, number>();
  const count = (set: ReadonlySet<string>, by: number): void => {
    for (const id of set) covered.set(id, (covered.get(id) ?? 0) + by);
  };
  const setAncestors = (i: number, id: string): void => {
    if (!waits) return;
    if (ancestors[i] !== undefined) count(ancestors[i]!, -1);
    const set = new Set(map.ancestors(id, { inclusive: true, crossBranch: true }));
    ancestors[i] = set;
    count(set, 1);
  };
  heads.forEach((head, i) => setAncestors(i, head));
  const isHead = new Set(heads);
  const out: string[] = [];
  let at = 0;
  while (heads.length) {
    const candidate = heads[at]!;
    // Another line still leads down to it (its own set holds it once): walk that one first.
    if (waits && covered.get(candidate)! > 1) {
      at = ancestors.findIndex((set, i) => i !== at && set.has(candidate));
      continue;
    }
    if (todo.delete(candidate)) out.push(candidate);
    const down = below(candidate);
    const next = down.filter((id) => todo.has(id) && !isHead.has(id));
    isHead.delete(candidate);
    for (const id of next) isHead.add(id);
    if (next.length === 0) {
      if (waits) count(ancestors[at]!, -1);
      heads.splice(at, 1);
      if (waits) ancestors.splice(at, 1);
      at = Math.max(at - 1, 0);
    } else if (down.length === 1) {
      heads[at] = next[0]!;
      if (waits) {
        ancestors[at]!.delete(candidate);
        covered.set(candidate, covered.get(candidate)! - 1);
      }
    } else {
      heads[at] = next[0]!;
      setAncestors(at, next[0]!);
      for (const id of next.slice(1)) {
        heads.push(id);
        setAncestors(heads.length - 1, id);
      }
    }
  }
  return out;
}
