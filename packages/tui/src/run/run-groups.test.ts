import { describe, expect, it } from 'vitest';
import { independentGroups } from './run-groups.js';

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
