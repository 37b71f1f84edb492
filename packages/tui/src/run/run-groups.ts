import type { RunGroup } from '../backend/tui-backend.js';

/** A target of a run and the binds it may touch (core's `bindsForTargets`). */
export interface LinkedTarget {
  /** The target as given (`db2@head`). */
  readonly target: string;
  /** The binds the target may touch: its own plus those linked to it through depends-on. */
  readonly binds: readonly string[];
}

/**
 * Splits a run into independent parts: targets whose binds overlap (a depends-on links them)
 * share a part, so core orders their steps; parts touch disjoint binds, so they can run at the
 * same time, take their locks without waiting for each other, and one failing leaves the
 * others going. Parts keep the order of their first target; binds within a part are sorted.
 *
 * @param targets - each target with the binds it may touch.
 * @returns the parts, each with its binds and targets.
 * @example
 * ```ts
 * independentGroups([
 *   { target: 'default@head', binds: ['default'] },
 *   { target: 'db2@head', binds: ['db2', 'db3'] },
 *   { target: 'db3@head', binds: ['db3'] },
 * ]);
 * // [{ binds: ['default'], targets: ['default@head'] }, { binds: ['db2', 'db3'], targets: ['db2@head', 'db3@head'] }]
 * ```
 */
export function independentGroups(targets: readonly LinkedTarget[]): RunGroup[] {
  const parent = targets.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  targets.forEach((t, i) => {
    for (const bind of t.binds) {
      const other = owner.get(bind);
      if (other === undefined) owner.set(bind, i);
      else {
        const [a, b] = [find(other), find(i)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const groups = new Map<number, { binds: Set<string>; targets: string[] }>();
  targets.forEach((t, i) => {
    const root = find(i);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { binds: new Set(), targets: [] }));
    t.binds.forEach((b) => group.binds.add(b));
    group.targets.push(t.target);
  });
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, g]) => Object.freeze({ binds: Object.freeze([...g.binds].sort()), targets: Object.freeze(g.targets) }));
}

/**
 * Packs independent parts into at most `maxParts`, so a run over thousands of tenant binds starts
 * a few workers rather than one per tenant. Neighbouring parts are joined (order kept), each
 * packed part getting about the same number of binds. Binds of a packed part run in one core
 * run, one after the other; a failing group of it stops only itself (core's `keepGoing`).
 *
 * @param groups - independent parts ({@link independentGroups}).
 * @param maxParts - the most parts to return (at least 1).
 * @returns `groups` itself when there are no more than `maxParts`, else the packed parts.
 * @example
 * ```ts
 * packGroups([{ binds: ['t1'], targets: ['t1@head'] }, { binds: ['t2'], targets: ['t2@head'] }, { binds: ['t3'], targets: ['t3@head'] }], 2);
 * // [{ binds: ['t1', 't2'], targets: ['t1@head', 't2@head'] }, { binds: ['t3'], targets: ['t3@head'] }]
 * ```
 */
export function packGroups(groups: readonly RunGroup[], maxParts: number): readonly RunGroup[] {
  const parts = Math.max(1, Math.floor(maxParts));
  if (groups.length <= parts) return groups;
  const total = groups.reduce((n, g) => n + g.binds.length, 0);
  const packed = new Map<number, { binds: string[]; targets: string[] }>();
  let before = 0;
  for (const g of groups) {
    // The part by where the group starts among all binds: contiguous, about equal in binds.
    const at = Math.min(parts - 1, Math.floor((before * parts) / Math.max(1, total)));
    let part = packed.get(at);
    if (!part) packed.set(at, (part = { binds: [], targets: [] }));
    part.binds.push(...g.binds);
    part.targets.push(...g.targets);
    before += g.binds.length;
  }
  return [...packed.values()].map((g) => Object.freeze({ binds: Object.freeze(g.binds), targets: Object.freeze(g.targets) }));
}
