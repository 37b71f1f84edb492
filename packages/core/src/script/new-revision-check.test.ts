import { describe, expect, it } from 'vitest';
import { OperationError } from '../errors.js';
import { rev, thrown } from '../testing/revision-fixture.js';
import { checkNewRevision, type NewRevision } from './new-revision-check.js';
import { RevisionMap } from './revision-map.js';

// db2: a1 <- b1, a1 <- c1 (labelled feat); default: d1. Bind db3 has no revisions yet.
const map = new RevisionMap([rev('d1', null, 'default'), rev('a1', null, 'db2'), rev('b1', 'a1', 'db2'), rev('c1', 'a1', 'db2', { branchLabels: ['feat'] })]);
const binds = [
  { bind: 'default', branch: 'default' },
  { bind: 'db2', branch: 'db2' },
  { bind: 'db3', branch: 'db3' },
];
const candidate = (extra: Partial<NewRevision>): NewRevision => ({
  revision: 'n1',
  branch: 'db2',
  downRevisions: ['b1'],
  branchLabels: [],
  dependsOn: [],
  path: '/repo/migrations/versions/db2/n1_x.ts',
  ...extra,
});
const message = (extra: Partial<NewRevision>): string => {
  const error = thrown(() => checkNewRevision(map, candidate(extra), binds));
  expect(error).toBeInstanceOf(OperationError);
  return (error as Error).message;
};

describe('checkNewRevision', () => {
  it('accepts a new revision the repository can load: a new label, a new branch root with its name', () => {
    expect(() => checkNewRevision(map, candidate({ branchLabels: ['release'] }), binds)).not.toThrow();
    expect(() => checkNewRevision(map, candidate({ branch: 'db3', downRevisions: [], branchLabels: ['db3'] }), binds)).not.toThrow();
    expect(() => checkNewRevision(map, candidate({ dependsOn: ['d1'] }), binds)).not.toThrow();
  });

  it('refuses an id that is reserved, taken, or a branch label', () => {
    expect(message({ revision: 'heads' })).toBe("Revision id 'heads' is a reserved word (head, heads, base, current are targets); choose another --rev-id.");
    expect(message({ revision: 'b1' })).toBe("Revision id 'b1' already exists.");
    expect(message({ revision: 'feat' })).toBe("Revision id 'feat' is the branch label of revision 'c1' (/repo/migrations/versions/db2/c1_x.ts); choose another --rev-id.");
  });

  it('refuses a label already carried, a revision id, its own id, malformed or reserved', () => {
    expect(message({ branchLabels: ['feat'] })).toBe(
      "Branch label 'feat' is already carried by revision 'c1' (/repo/migrations/versions/db2/c1_x.ts); labels must be unique: choose another.",
    );
    expect(message({ branchLabels: ['default'] })).toMatch(/^Branch label 'default' is already carried by revision 'd1' /);
    expect(message({ branchLabels: ['a1'] })).toBe("Branch label 'a1' is the id of revision 'a1' (/repo/migrations/versions/db2/a1_x.ts); choose another label.");
    expect(message({ branchLabels: ['n1'] })).toBe("Branch label 'n1' is the new revision's own id; choose another label (or --rev-id).");
    expect(message({ branchLabels: ['-x'] })).toMatch(/^Branch label '-x' is not allowed: use letters, digits/);
    expect(message({ branchLabels: ['current'] })).toMatch(/^Branch label 'current' is not allowed/);
  });

  it('refuses a label naming another bind or branch, even one with no revisions yet', () => {
    expect(message({ branchLabels: ['db3'] })).toBe("Branch label 'db3' names bind 'db3'; a label of branch 'db2' may not name another bind or branch: choose another.");
    // Tenants: a bind of the same branch wins over a label in a target.
    const tenants = [...binds, { bind: 't1', branch: 'db2' }];
    expect(thrown(() => checkNewRevision(map, candidate({ branchLabels: ['t1'] }), tenants))).toHaveProperty('message', "Branch label 't1' names bind 't1'; a label of branch 'db2' may not name another bind or branch: choose another.");
  });

  it('refuses what the revision map itself would refuse once written (a down revision in another branch)', () => {
    expect(message({ downRevisions: ['d1'] })).toMatch(/^Not written: Revision 'n1' \(\/repo\/migrations\/versions\/db2\/n1_x\.ts\) in branch 'db2' has down revision 'd1' of branch 'default'/);
  });
});
