import { describe, expect, it } from 'vitest';
import { orderByForeignKeys } from './order-by-foreign-keys.js';

function graph(edges: Record<string, string[]>) {
  return (table: string) => edges[table] ?? [];
}

/** Every dependency not deferred points backwards in the order. */
function respects(order: readonly string[], edges: Record<string, string[]>, deferred: readonly { from: string; to: string }[]) {
  const position = new Map(order.map((t, i) => [t, i]));
  for (const [from, targets] of Object.entries(edges)) {
    for (const to of targets) {
      if (from === to || !position.has(to)) continue;
      if (deferred.some((d) => d.from === from && d.to === to)) continue;
      expect(position.get(to)!, `${from} -> ${to}`).toBeLessThan(position.get(from)!);
    }
  }
}

describe('orderByForeignKeys', () => {
  it('puts referred tables first, otherwise name order, whatever the input order', () => {
    const edges = { post: ['user'], comment: ['post', 'user'], user: [], tag: [] };
    const a = orderByForeignKeys(['post', 'comment', 'user', 'tag'], graph(edges));
    const b = orderByForeignKeys(['tag', 'user', 'comment', 'post'], graph(edges));
    expect(a).toEqual(b);
    expect(a.order).toEqual(['user', 'post', 'comment', 'tag']);
    expect(a.deferred).toEqual([]);
  });

  it('ignores self references and tables outside the set', () => {
    const r = orderByForeignKeys(['node', 'leaf'], graph({ node: ['node', 'elsewhere'], leaf: ['node'] }));
    expect(r).toEqual({ order: ['node', 'leaf'], deferred: [] });
  });

  it('breaks a two-table cycle with one deferred dependency', () => {
    const edges = { a: ['b'], b: ['a'], c: ['a'] };
    const r = orderByForeignKeys(['c', 'b', 'a'], graph(edges));
    expect(r.deferred).toEqual([{ from: 'a', to: 'b' }]);
    expect(r.order).toEqual(['a', 'b', 'c']);
    respects(r.order, edges, r.deferred);
  });

  it('breaks a three-table ring once, and keeps tables waiting on the ring after it', () => {
    const edges = { x: ['y'], y: ['z'], z: ['x'], a_child: ['x', 'z'] };
    const r = orderByForeignKeys(Object.keys(edges), graph(edges));
    expect(r.deferred).toEqual([{ from: 'x', to: 'y' }]);
    expect(r.order).toEqual(['x', 'z', 'y', 'a_child']);
    respects(r.order, edges, r.deferred);
  });

  it('orders a chain of 10,000 tables without recursion', () => {
    const n = 10_000;
    const name = (i: number) => `t${String(i).padStart(5, '0')}`;
    const edges: Record<string, string[]> = {};
    // Each table refers to the next one: the last must come first.
    for (let i = 0; i < n; i++) edges[name(i)] = i + 1 < n ? [name(i + 1)] : [];
    const r = orderByForeignKeys(Object.keys(edges), graph(edges));
    expect(r.order.length).toBe(n);
    expect(r.order[0]).toBe(name(n - 1));
    expect(r.order[n - 1]).toBe(name(0));
    expect(r.deferred).toEqual([]);
  });

  it('breaks a 10,000-table ring once', () => {
    const n = 10_000;
    const name = (i: number) => `t${String(i).padStart(5, '0')}`;
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) edges[name(i)] = [name((i + 1) % n)];
    const r = orderByForeignKeys(Object.keys(edges), graph(edges));
    expect(r.deferred).toEqual([{ from: name(0), to: name(1) }]);
    expect(r.order.length).toBe(n);
    respects(r.order, edges, r.deferred);
  });
});
