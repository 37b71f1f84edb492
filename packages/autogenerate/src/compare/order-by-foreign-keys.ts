import { compareText } from './match-objects.js';

/** A foreign-key dependency between two tables: `from` refers to `to`. */
export interface TableDependency {
  readonly from: string;
  readonly to: string;
}

/** The outcome of {@link orderByForeignKeys}. */
export interface ForeignKeyOrder {
  /** Every table, each after the tables it refers to (except through {@link deferred}). */
  readonly order: readonly string[];
  /**
   * Dependencies left out to break cycles: create these foreign keys after both tables (and drop
   * them before either).
   */
  readonly deferred: readonly TableDependency[];
}

/**
 * Orders tables so that each comes after the tables its foreign keys refer to (the order to
 * create them; reversed, the order to drop them). Iterative throughout (no recursion), linear in
 * tables plus foreign keys, so a chain of thousands of tables is fine.
 *
 * Cycles are broken as few times as a simple rule allows: the strongly connected components
 * (Tarjan's algorithm, with an explicit stack) come out dependencies first; inside a component
 * with a cycle, tables are taken when their dependencies are met, and when none is ready the
 * first remaining table by name has its dependencies on the component's remaining tables deferred.
 * A table that refers to itself needs no break. The result depends only on the names, never on
 * input order.
 *
 * @param tables - table keys (any order, no duplicates).
 * @param dependencies - for a table, the keys of the tables it refers to (others are ignored).
 * @returns the creation order and the deferred dependencies.
 */
export function orderByForeignKeys(tables: readonly string[], dependencies: (table: string) => readonly string[]): ForeignKeyOrder {
  const nodes = [...tables].sort(compareText);
  const known = new Set(nodes);
  const edges = new Map<string, string[]>();
  for (const node of nodes) {
    const targets = [...new Set(dependencies(node))].filter((t) => t !== node && known.has(t)).sort(compareText);
    edges.set(node, targets);
  }

  // Tarjan's strongly connected components, iterative. A component is emitted once everything it
  // refers to is emitted: dependencies first.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string, work: [string, number][]) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    work.push([node, 0]);
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: [string, number][] = [];
    visit(root, work);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const node = frame[0];
      const targets = edges.get(node)!;
      if (frame[1] < targets.length) {
        const target = targets[frame[1]++]!;
        if (!index.has(target)) visit(target, work);
        else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(node)!));
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }

  const order: string[] = [];
  const deferred: TableDependency[] = [];
  for (const component of components) {
    if (component.length === 1) order.push(component[0]!);
    else orderCycle(component, edges, order, deferred);
  }
  return { order, deferred };
}

/** Orders the tables of one strongly connected component, deferring dependencies to break its cycles. */
function orderCycle(component: string[], edges: ReadonlyMap<string, readonly string[]>, order: string[], deferred: TableDependency[]): void {
  const members = new Set(component);
  const sorted = [...component].sort(compareText);
  const unmet = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const node of sorted) {
    const inside = edges.get(node)!.filter((t) => members.has(t));
    unmet.set(node, new Set(inside));
    for (const t of inside) {
      let list = dependents.get(t);
      if (!list) dependents.set(t, (list = []));
      list.push(node);
    }
  }
  const done = new Set<string>();
  let ready = sorted.filter((n) => unmet.get(n)!.size === 0);
  let cursor = 0; // sorted[0..cursor) are all done: the first remaining table by name is at or after it
  while (done.size < sorted.length) {
    if (!ready.length) {
      while (done.has(sorted[cursor]!)) cursor++;
      const pick = sorted[cursor]!;
      const waits = unmet.get(pick)!;
      for (const to of [...waits].sort(compareText)) deferred.push({ from: pick, to });
      waits.clear();
      ready = [pick];
    }
    const next: string[] = [];
    for (const node of ready) {
      if (done.has(node)) continue;
      done.add(node);
      order.push(node);
      for (const dependent of dependents.get(node) ?? []) {
        const waits = unmet.get(dependent)!;
        if (waits.delete(node) && waits.size === 0 && !done.has(dependent)) next.push(dependent);
      }
    }
    ready = next.sort(compareText);
  }
}
