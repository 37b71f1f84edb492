import { describe, expect, it } from 'vitest';
import { connectTemp, q, runInTransaction, runOps } from './helpers.js';

describe('sqlite ops executed on a real file', () => {
  it('createTable, indexes, add/rename/drop column, rename table, drop index, drop table', async () => {
    const { conn } = await connectTemp();
    await runOps(conn, async (op) => {
      await op.createTable('Artist', [
        { name: 'ArtistId', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Name', type: 'nvarchar(120)', collation: 'NOCASE' },
      ]);
      await op.createTable(
        'Album',
        [
          { name: 'AlbumId', type: 'integer', primaryKey: true },
          { name: 'Title', type: 'nvarchar(160)', nullable: false },
          { name: 'ArtistId', type: 'integer', nullable: false, references: { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' } },
          { name: 'Price', type: 'numeric(10,2)', default: 0.99 },
        ],
        { indexes: [{ columns: ['ArtistId'] }], checkConstraints: [{ name: 'ck_price', expression: '"Price" >= 0' }] },
      );
    });
    const albumSql = (await q(conn, "SELECT sql FROM sqlite_master WHERE name = 'Album'"))[0]!.sql as string;
    expect(albumSql).toContain('CONSTRAINT "ck_price" CHECK ("Price" >= 0)');
    expect(await q(conn, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo('Album')")).toEqual([
      { name: 'AlbumId', type: 'INTEGER', notnull: 1, dflt_value: null, pk: 1 },
      { name: 'Title', type: 'nvarchar(160)', notnull: 1, dflt_value: null, pk: 0 },
      { name: 'ArtistId', type: 'INTEGER', notnull: 1, dflt_value: null, pk: 0 },
      { name: 'Price', type: 'numeric(10,2)', notnull: 0, dflt_value: '0.99', pk: 0 },
    ]);
    expect(await q(conn, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('Album')")).toEqual([
      { table: 'Artist', from: 'ArtistId', to: 'ArtistId', on_delete: 'CASCADE' },
    ]);
    expect((await q(conn, "SELECT name FROM pragma_index_list('Album') WHERE origin = 'c'")).map((r) => r.name)).toEqual(['ix_Album_ArtistId']);
    await expect(q(conn, `INSERT INTO "Album" ("Title", "ArtistId", "Price") VALUES ('x', 1, -1)`)).rejects.toThrow(/CHECK constraint failed: ck_price/);

    await runOps(conn, async (op) => {
      await op.addColumn('Album', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
      await op.addColumn('Album', { name: 'Note', type: 'text' });
      await op.renameColumn('Album', 'Title', 'Name');
      await op.alterColumn('Album', 'Name', { newName: 'Title' });
      await op.createIndex('ix_title', 'Album', ['Title'], { unique: true, where: '"Price" > 0' });
      await op.dropColumn('Album', 'Note');
      await op.renameTable('Album', 'Record');
      await op.dropIndex('ix_Album_ArtistId');
    });
    expect((await q(conn, "SELECT name, dflt_value FROM pragma_table_xinfo('Record')")).map((r) => [r.name, r.dflt_value])).toEqual([
      ['AlbumId', null],
      ['Title', null],
      ['ArtistId', null],
      ['Price', '0.99'],
      ['Currency', "'USD'"],
    ]);
    expect(await q(conn, "SELECT name, \"unique\", partial FROM pragma_index_list('Record') WHERE origin = 'c'")).toEqual([
      { name: 'ix_title', unique: 1, partial: 1 },
    ]);
    // The rename followed the foreign key; AUTOINCREMENT created sqlite_sequence.
    expect((await q(conn, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name)).toEqual([
      'Artist',
      'Record',
      'sqlite_sequence',
    ]);

    await runOps(conn, async (op) => {
      await op.dropTable('Record');
      await op.dropTable('Nothing', { ifExists: true });
    });
    expect(await q(conn, "SELECT name FROM sqlite_master WHERE name = 'Record'")).toEqual([]);
  });

  it('createTable with STRICT and WITHOUT ROWID, execute with parameters, batch of native ops', async () => {
    const { conn } = await connectTemp();
    await runOps(conn, async (op) => {
      await op.createTable('KV', [{ name: 'k', type: 'varchar(10)', primaryKey: true }, { name: 'v', type: 'integer' }], { strict: true, withoutRowid: true });
      await op.execute('INSERT INTO "KV" (k, v) VALUES (?, ?)', ['a', 1]);
      await op.batchAlterTable('KV', (batch) => {
        batch.addColumn({ name: 'flag', type: 'boolean', default: true });
        batch.createIndex(null, ['v']);
      });
    });
    expect(await q(conn, "SELECT strict, wr FROM pragma_table_list('KV')")).toEqual([{ strict: 1, wr: 1 }]);
    expect(await q(conn, 'SELECT * FROM "KV"')).toEqual([{ k: 'a', v: 1, flag: 1 }]);
    await expect(q(conn, `INSERT INTO "KV" (k, v) VALUES ('b', 'not a number')`)).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
    expect((await q(conn, "SELECT name FROM pragma_index_list('KV') WHERE origin = 'c'")).map((r) => r.name)).toEqual(['ix_KV_v']);
  });

  it('dropping an indexed column rebuilds the table (in a transaction), where SQLite’s DROP COLUMN refuses', async () => {
    const { conn } = await connectTemp();
    await runOps(conn, (op) => op.createTable('T', [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }], { indexes: [{ columns: ['a'] }] }));
    await expect(q(conn, 'ALTER TABLE "T" DROP COLUMN "a"')).rejects.toThrow(/error in index ix_T_a after drop column/);
    await runInTransaction(conn, (op) => op.dropColumn('T', 'a'));
    expect((await q(conn, "SELECT name FROM pragma_table_xinfo('T')")).map((r) => r.name)).toEqual(['b']);
  });
});
