import { describe, expect, it } from 'vitest';
import { ForeignKeyCheckError } from '../../src/sqlite/foreign-key-check-error.js';
import { connectTemp, q, runOps } from './helpers.js';

async function parentChild() {
  const { conn, path } = await connectTemp();
  await runOps(conn, async (op) => {
    await op.createTable('Parent', [{ name: 'id', type: 'integer', primaryKey: true }]);
    await op.createTable('Child', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'parentId', type: 'integer', references: { table: 'Parent', column: 'id', onDelete: 'cascade' } },
    ]);
    await op.bulkInsert('Parent', [{ id: 1 }, { id: 2 }]);
    await op.bulkInsert('Child', [{ id: 10, parentId: 1 }, { id: 20, parentId: 2 }]);
  });
  return { conn, path };
}

describe('sqlite transactions', () => {
  it('foreign keys are on outside a transaction, off inside it, and on again after commit', async () => {
    const { conn } = await parentChild();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    await conn.begin();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 0 }]);
    // With foreign keys off, dropping a parent table does not cascade (DESIGN §7) ...
    await q(conn, 'CREATE TABLE "Parent2" (id integer PRIMARY KEY)');
    await q(conn, 'INSERT INTO "Parent2" SELECT * FROM "Parent"');
    await q(conn, 'DROP TABLE "Parent"');
    await q(conn, 'ALTER TABLE "Parent2" RENAME TO "Parent"');
    await conn.commit();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // ... so the children survive a table rebuild.
    expect(await q(conn, 'SELECT count(*) AS n FROM "Child"')).toEqual([{ n: 2 }]);
  });

  it('commit fails on a foreign_key_check violation, rolls back and leaves the data unchanged', async () => {
    const { conn } = await parentChild();
    await conn.begin();
    await q(conn, 'DELETE FROM "Parent" WHERE id = 2'); // no cascade: foreign keys are off
    await q(conn, 'INSERT INTO "Child" (id, "parentId") VALUES (30, 99)');
    const error = await conn.commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignKeyCheckError);
    expect((error as ForeignKeyCheckError).violations).toEqual([
      { table: 'Child', rowid: 20, parent: 'Parent', fkid: 0 },
      { table: 'Child', rowid: 30, parent: 'Parent', fkid: 0 },
    ]);
    expect((error as Error).message).toMatch(/Child rowid 20 -> Parent; Child rowid 30 -> Parent/);
    expect(await q(conn, 'SELECT id FROM "Parent" ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await q(conn, 'SELECT id FROM "Child" ORDER BY id')).toEqual([{ id: 10 }, { id: 20 }]);
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    // The connection is usable again.
    await conn.begin();
    await q(conn, 'INSERT INTO "Parent" (id) VALUES (3)');
    await conn.commit();
    expect(await q(conn, 'SELECT count(*) AS n FROM "Parent"')).toEqual([{ n: 3 }]);
  });

  it('commit fails and rolls back when the check itself fails (a parent lost its key)', async () => {
    const { conn } = await parentChild();
    await conn.begin();
    await q(conn, 'CREATE TABLE "Parent2" AS SELECT * FROM "Parent"'); // no PRIMARY KEY
    await q(conn, 'DROP TABLE "Parent"');
    await q(conn, 'ALTER TABLE "Parent2" RENAME TO "Parent"');
    await expect(conn.commit()).rejects.toThrow(/foreign key mismatch/);
    expect((await q(conn, "SELECT pk FROM pragma_table_xinfo('Parent')")).map((r) => r.pk)).toEqual([1]);
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('rolls back DDL and data after a failing statement', async () => {
    const { conn } = await parentChild();
    await conn.begin();
    await runOps(conn, async (op) => {
      await op.addColumn('Parent', { name: 'name', type: 'text' });
      await op.bulkInsert('Parent', [{ id: 5, name: 'five' }]);
    });
    await expect(q(conn, 'INSERT INTO "Parent" (id) VALUES (1)')).rejects.toThrow(/UNIQUE constraint failed/);
    await conn.rollback();
    expect((await q(conn, "SELECT name FROM pragma_table_xinfo('Parent')")).map((r) => r.name)).toEqual(['id']);
    expect(await q(conn, 'SELECT id FROM "Parent" ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('rollback without a transaction does not throw; a rollback SQLite already did is tolerated', async () => {
    const { conn } = await parentChild();
    await expect(conn.rollback()).resolves.toBeUndefined();
    await conn.begin();
    await q(conn, 'ROLLBACK'); // e.g. SQLite rolled back by itself
    await expect(conn.rollback()).resolves.toBeUndefined();
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('a second connection sees nothing of an open transaction and everything after commit', async () => {
    const { conn, path } = await parentChild();
    const { sqliteDriver } = await import('../../src/sqlite/sqlite-driver.js');
    const other = await sqliteDriver.connect({ bind: 'other', url: `sqlite://${path}`, baseDir: '/' });
    try {
      await conn.begin();
      await q(conn, 'INSERT INTO "Parent" (id) VALUES (7)');
      expect(await q(other, 'SELECT count(*) AS n FROM "Parent"')).toEqual([{ n: 2 }]);
      await conn.commit();
      expect(await q(other, 'SELECT count(*) AS n FROM "Parent"')).toEqual([{ n: 3 }]);
    } finally {
      await other.close();
    }
  });
});
