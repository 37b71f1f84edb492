import { expect, it } from 'vitest';
import { compileOps, q, runOps } from './helpers.js';
import { describeMysql, useTestDatabase } from './server.js';

const tablesOf = async (conn: Parameters<typeof q>[0]) =>
  (await q(conn, "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")).map((r) => r.t);

describeMysql('mysql transactions (no transactional DDL)', () => {
  const database = useTestDatabase('tx');

  it('rolls back data changes when no DDL ran since BEGIN', async () => {
    const conn = await database.connect();
    await runOps(conn, (op) => op.createTable('Kv', [{ name: 'k', type: 'varchar(10)', primaryKey: true }, { name: 'v', type: 'integer' }]));
    await conn.begin();
    await runOps(conn, (op) => op.bulkInsert('Kv', [{ k: 'a', v: 1 }]));
    await conn.rollback();
    expect(await q(conn, 'SELECT * FROM `Kv`')).toEqual([]);
    await conn.begin();
    await runOps(conn, (op) => op.bulkInsert('Kv', [{ k: 'b', v: 2 }]));
    await conn.commit();
    expect(await q(conn, 'SELECT * FROM `Kv`')).toEqual([{ k: 'b', v: 2 }]);
    // Without a transaction, ROLLBACK is harmless and never throws; neither does COMMIT.
    await conn.rollback();
    await conn.commit();
  });

  it('a revision failing half way: its DDL (and the data before it) stays; the failing statement is reported by the runner', async () => {
    const conn = await database.connect();
    await conn.begin();
    const failing = runOps(conn, async (op) => {
      await op.bulkInsert('Kv', [{ k: 'before-ddl', v: 1 }]); // in the transaction ...
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'nvarchar(120)' }]); // ... committed by this DDL
      await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]); // autocommit after the DDL's implicit commit
      await op.addColumn('Genre', { name: 'Name', type: 'text' }); // fails: duplicate column
      await op.createTable('Never', [{ name: 'id', type: 'integer' }]);
    });
    await expect(failing).rejects.toThrow(/Duplicate column name 'Name'/);
    await conn.rollback();
    // What remains: everything before the failing statement; nothing after it.
    expect(await tablesOf(conn)).toEqual(['Genre', 'Kv']);
    expect(await q(conn, 'SELECT * FROM `Genre`')).toEqual([{ GenreId: 1, Name: 'Rock' }]);
    expect(await q(conn, "SELECT * FROM `Kv` WHERE k = 'before-ddl'")).toEqual([{ k: 'before-ddl', v: 1 }]);
    // COMMIT after DDL is harmless: the connection goes on normally.
    await conn.begin();
    await runOps(conn, (op) => op.dropTable('Genre'));
    await conn.commit();
    expect(await tablesOf(conn)).toEqual(['Kv']);
  });

  it('bulkInsert beyond one statement: more than 65,535 parameters', async () => {
    const conn = await database.connect();
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ TrackId: i + 1, Name: `Track ${i + 1}`, Milliseconds: i * 10 }));
    const statements = await compileOps((op) => op.bulkInsert('Track', rows));
    expect(statements.map((s) => s.parameters.length)).toEqual([65_535, 90_000 - 65_535]);
    await runOps(conn, async (op) => {
      await op.createTable('Track', [
        { name: 'TrackId', type: 'integer', primaryKey: true },
        { name: 'Name', type: 'nvarchar(200)', nullable: false },
        { name: 'Milliseconds', type: 'integer', nullable: false },
      ]);
      await op.bulkInsert('Track', rows); // 90,000 parameters
    });
    expect(await q(conn, 'SELECT COUNT(*) AS n, SUM(`Milliseconds`) AS total, MAX(`TrackId`) AS last FROM `Track`')).toEqual([
      { n: 30_000, total: String(rows.reduce((a, r) => a + r.Milliseconds, 0)), last: 30_000 },
    ]);
  });
});
