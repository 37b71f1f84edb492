import { enumType, reverseOp, type Op } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialect-databases.js';
import { buildOps, runOps, type RevisionBody } from '../support/op-harness.js';

const RATINGS = ['G', 'PG', 'NC-17'];

describeEachDialect('alterColumn changes only what it is asked to (the column is restated exactly)', 'altercolumn', (db) => {
  const d = db.dialect;

  it('an enum column made NOT NULL keeps its members and its stored values, case included; the downgrade too', async () => {
    const conn = await db.fresh();
    const q = (n: string) => conn.dialect.quoteIdentifier(n);
    await runOps(conn, async (op) => {
      await op.createEnum('rating', RATINGS);
      await op.createTable('Film', [
        { name: 'FilmId', type: 'integer', primaryKey: true },
        { name: 'Rating', type: enumType('rating', RATINGS), comment: 'MPA rating' },
      ]);
    });
    await conn.execute({ sql: `INSERT INTO ${q('Film')} (${q('FilmId')}, ${q('Rating')}) VALUES (1, 'PG'), (2, 'NC-17'), (3, 'G')`, parameters: [] });
    const ratings = async () => (await conn.execute({ sql: `SELECT ${q('Rating')} AS r FROM ${q('Film')} ORDER BY ${q('FilmId')}`, parameters: [] })).map((r) => r.r);
    const before = (await conn.introspectTable('Film'))!.columns[1]!;

    const upgrade: RevisionBody = (op) => op.alterColumn('Film', 'Rating', { nullable: false, existing: { type: enumType('rating', RATINGS), nullable: true, comment: 'MPA rating' } });
    await runOps(conn, upgrade);
    const after = (await conn.introspectTable('Film'))!.columns[1]!;
    expect(after).toEqual({ ...before, nullable: false });
    expect(after.type.args).toEqual(d === 'sqlite' ? [5] : RATINGS);
    expect(await ratings()).toEqual(['PG', 'NC-17', 'G']);
    await expect(conn.execute({ sql: `INSERT INTO ${q('Film')} (${q('FilmId')}, ${q('Rating')}) VALUES (4, NULL)`, parameters: [] })).rejects.toThrow();

    // The downgrade derived from the upgrade restores the column as it was.
    const [op] = await buildOps(conn.dialect, upgrade);
    const reversed = reverseOp(op as Op);
    expect(reversed.kind).toBe('AlterColumn');
    await runOps(conn, async (o) => {
      const r = reversed as Extract<Op, { kind: 'AlterColumn' }>;
      await o.alterColumn(r.table, r.column, { ...r.changes, existing: r.existing });
    });
    expect((await conn.introspectTable('Film'))!.columns[1]).toEqual(before);
    expect(await ratings()).toEqual(['PG', 'NC-17', 'G']);
  });

  if (d === 'mysql') {
    it('MySQL/MariaDB: a column with ON UPDATE CURRENT_TIMESTAMP keeps it through MODIFY COLUMN (and its collation and comment)', async () => {
      const conn = await db.fresh();
      await runOps(conn, (op) =>
        op.createTable('Doc', [
          { name: 'DocId', type: 'integer', primaryKey: true },
          { name: 'Title', type: 'varchar(40)', collation: 'utf8mb4_bin', comment: 'as typed' },
          { name: 'Changed', type: 'timestamp', nullable: true, default: { sql: 'CURRENT_TIMESTAMP' }, onUpdate: 'CURRENT_TIMESTAMP', comment: 'last edit' },
        ]),
      );
      const before = (await conn.introspectTable('Doc'))!;
      expect(before.columns[2]!.onUpdate).toMatch(/^current_timestamp(\(\))?$/i);

      await runOps(conn, async (op) => {
        await op.alterColumn('Doc', 'Changed', { nullable: false, existing: { type: 'timestamp', nullable: true } });
        await op.alterColumn('Doc', 'Title', { type: 'varchar(80)', existing: { type: 'varchar(40)', nullable: true } });
      });
      const after = (await conn.introspectTable('Doc'))!;
      expect(after.columns[2]).toEqual({ ...before.columns[2], nullable: false });
      expect(after.columns[1]).toEqual({ ...before.columns[1], type: expect.objectContaining({ name: 'varchar', args: [80] }) });

      // ON UPDATE still fires.
      await conn.execute({ sql: "INSERT INTO `Doc` (`DocId`, `Title`, `Changed`) VALUES (1, 'a', '2001-01-01 00:00:00')", parameters: [] });
      await conn.execute({ sql: "UPDATE `Doc` SET `Title` = 'b' WHERE `DocId` = 1", parameters: [] });
      const [row] = await conn.execute({ sql: 'SELECT YEAR(`Changed`) AS y FROM `Doc`', parameters: [] });
      expect(Number(row?.y)).toBeGreaterThan(2001);
    });
  }
});
