// SQLite lets rows break foreign keys whenever they are off (its default in the sqlite3 shell,
// Python and SQLAlchemy), so a database an app wrote for years may hold orphan rows no revision
// made. `migrate upgrade` checks foreign keys before each COMMIT: it must blame a revision only
// for rows it adds, not refuse every revision of such a database. One project, tests in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, revisionSource } from '../support/project.js';

describe('SQLite: orphan rows written before multidb', () => {
  const p = new TempProject(['default']);
  afterAll(() => p.remove());
  const A1 = 'a1a1a1a1a1a1';
  const A2 = 'a2a2a2a2a2a2';
  const A3 = 'a3a3a3a3a3a3';

  beforeAll(async () => {
    p.write(
      `migrations/versions/default/${A1}_tables.ts`,
      revisionSource({
        revision: A1,
        downRevision: null,
        branchLabels: ['default'],
        upgrade: `await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
  await op.createTable('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer', references: 'parent.id' }]);`,
      }),
    );
    await p.ok('upgrade');
    // What a legacy app left: a child row whose parent does not exist.
    p.exec('default', 'PRAGMA foreign_keys = OFF; INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1), (2, 99);');
  });

  it('a revision that does not touch the orphan row is applied, and the row is left as it was', async () => {
    p.write(`migrations/versions/default/${A2}_unrelated.ts`, revisionSource({ revision: A2, downRevision: A1, upgrade: `await op.createTable('audit', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
    const out = await p.run('upgrade');
    expect(out.code, out.stderr).toBe(0);
    expect(p.versionsApplied('default')).toEqual([A2]);
    expect(p.tables('default')).toContain('audit');
    expect(p.query('default', 'SELECT id, parent_id FROM child ORDER BY id')).toEqual([{ id: 1, parent_id: 1 }, { id: 2, parent_id: 99 }]);
  });

  it('a revision that adds an orphan row fails, names only that row, and is rolled back', async () => {
    p.write(`migrations/versions/default/${A3}_orphan.ts`, revisionSource({ revision: A3, downRevision: A2, upgrade: `await op.bulkInsert('child', [{ id: 3, parent_id: 98 }]);` }));
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('Foreign key check failed: 1 row refers to missing parent rows (child rowid 3 -> parent).');
    expect(out.stderr).toContain('1 other row already broke foreign keys before it and was left as it was.');
    expect(out.stderr).not.toContain('rowid 2');
    expect(p.versionsApplied('default')).toEqual([A2]);
    expect(p.query('default', 'SELECT id FROM child ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
