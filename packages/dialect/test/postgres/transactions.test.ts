import { expect, it } from 'vitest';
import { describeWithPostgres, useTestDatabase } from '../support/postgres-database.js';
import { connect, q, runOps } from './helpers.js';

const tableCount = async (conn: Awaited<ReturnType<typeof connect>>, name: string) =>
  (await q(conn, 'SELECT count(*)::int AS n FROM pg_class WHERE relname = $1', name))[0]!.n as number;

describeWithPostgres('postgres transactions', () => {
  const database = useTestDatabase('tx');

  it('a failing statement inside begin: rollback leaves nothing of the DDL or the data', async () => {
    const conn = await connect(database.url);
    await conn.begin();
    await runOps(conn, async (op) => {
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'text' }]);
      await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]);
      await op.createIndex(null, 'Genre', ['Name']);
    });
    await expect(q(conn, `INSERT INTO "Genre" ("GenreId") VALUES (1)`)).rejects.toMatchObject({ code: '23505' });
    await conn.rollback();
    expect(await tableCount(conn, 'Genre')).toBe(0);
    expect(await tableCount(conn, 'ix_Genre_Name')).toBe(0);
  });

  it('commit after a failed statement does not pass for success: it throws and rolls back', async () => {
    const conn = await connect(database.url);
    await conn.begin();
    await q(conn, 'CREATE TABLE "Half" (a int)');
    await expect(q(conn, 'SELECT * FROM "Missing"')).rejects.toMatchObject({ code: '42P01' });
    await expect(conn.commit()).rejects.toMatchObject({ code: '25P02' });
    expect(await tableCount(conn, 'Half')).toBe(0);
    // The connection is usable again.
    await conn.begin();
    await q(conn, 'CREATE TABLE "Whole" (a int)');
    await conn.commit();
    expect(await tableCount(conn, 'Whole')).toBe(1);
  });

  it('a deferred constraint failing at COMMIT: commit throws, nothing remains, the connection is usable', async () => {
    const conn = await connect(database.url);
    await q(conn, 'CREATE TABLE "P" (id int PRIMARY KEY)');
    await q(conn, 'CREATE TABLE "C" (id int, p int REFERENCES "P" (id) DEFERRABLE INITIALLY DEFERRED)');
    await conn.begin();
    await q(conn, 'INSERT INTO "C" VALUES (1, 99)');
    await expect(conn.commit()).rejects.toMatchObject({ code: '23503' });
    expect(await q(conn, 'SELECT count(*)::int AS n FROM "C"')).toEqual([{ n: 0 }]);
    await expect(conn.rollback()).resolves.toBeUndefined();
  });

  it('rollback without a transaction does not throw', async () => {
    const conn = await connect(database.url);
    await expect(conn.rollback()).resolves.toBeUndefined();
    await conn.begin();
    await conn.rollback();
    await expect(conn.rollback()).resolves.toBeUndefined();
  });

  it('a second connection sees nothing of an open transaction and everything after commit', async () => {
    const conn = await connect(database.url);
    const other = await connect(database.url);
    await conn.begin();
    await q(conn, 'CREATE TABLE "Seen" (a int)');
    expect(await tableCount(other, 'Seen')).toBe(0);
    await conn.commit();
    expect(await tableCount(other, 'Seen')).toBe(1);
  });
});
