import { describe, expect, it } from 'vitest';
import { independentGroups, packGroups } from './run-groups.js';

describe('independentGroups', () => {
  it('keeps unrelated binds apart, so they run in parallel', () => {
    expect(
      independentGroups([
        { target: 'default@head', binds: ['default'] },
        { target: 'db2@head', binds: ['db2'] },
      ]),
    ).toEqual([
      { binds: ['default'], targets: ['default@head'] },
      { binds: ['db2'], targets: ['db2@head'] },
    ]);
  });

  it('joins targets linked through a shared bind, transitively', () => {
    expect(
      independentGroups([
        { target: 'a@head', binds: ['a', 'x'] },
        { target: 'b@head', binds: ['b'] },
        { target: 'c@head', binds: ['c', 'y'] },
        { target: 'd@head', binds: ['y', 'x', 'd'] },
      ]),
    ).toEqual([
      { binds: ['a', 'c', 'd', 'x', 'y'], targets: ['a@head', 'c@head', 'd@head'] },
      { binds: ['b'], targets: ['b@head'] },
    ]);
  });

  it('returns nothing for no targets', () => {
    expect(independentGroups([])).toEqual([]);
  });
});

describe('packGroups', () => {
  const tenants = (n: number) => Array.from({ length: n }, (_, i) => ({ binds: [`t${i}`], targets: [`t${i}@head`] }));

  it('leaves as many parts as allowed alone', () => {
    const groups = tenants(3);
    expect(packGroups(groups, 3)).toBe(groups);
  });

  it('packs 2,000 tenants into 4 neighbouring parts of 500, every bind and target once, in order', () => {
    const packed = packGroups(tenants(2000), 4);
    expect(packed.map((g) => g.binds.length)).toEqual([500, 500, 500, 500]);
    expect(packed.flatMap((g) => g.binds)).toEqual(tenants(2000).map((t) => t.binds[0]));
    expect(packed.flatMap((g) => g.targets)).toEqual(tenants(2000).map((t) => t.targets[0]));
  });

  it('keeps a linked part whole, balancing the others around it', () => {
    const linked = { binds: ['a', 'b', 'c', 'd'], targets: ['a@head'] };
    const packed = packGroups([linked, ...tenants(4)], 2);
    expect(packed).toEqual([linked, { binds: ['t0', 't1', 't2', 't3'], targets: ['t0@head', 't1@head', 't2@head', 't3@head'] }]);
  });
});
