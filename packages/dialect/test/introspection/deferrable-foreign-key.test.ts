import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialect-databases.js';
import { runOps } from '../support/op-harness.js';

describeEachDialect(
  'a deferrable foreign key is read back as deferrable (and kept by a SQLite rebuild)',
  'deferrable',
  (db) => {
    it('DEFERRABLE INITIALLY DEFERRED survives introspection, and a batch rebuild of the table', async () => {
      const conn = await db.fresh();
      await runOps(conn, async (op) => {
        await op.createTable('Album', [{ name: 'AlbumId', type: 'integer', primaryKey: true }]);
        await op.createTable('Track', [{ name: 'TrackId', type: 'integer', primaryKey: true }, { name: 'AlbumId', type: 'integer' }, { name: 'Note', type: 'text' }], {
          foreignKeys: [{ columns: ['AlbumId'], referredTable: 'Album', referredColumns: ['AlbumId'], deferrable: true, initiallyDeferred: true }],
        });
      });
      const expected = [{ name: 'fk_Track_AlbumId_Album', columns: ['AlbumId'], referredTable: 'Album', referredColumns: ['AlbumId'], deferrable: true, initiallyDeferred: true }];
      expect((await conn.introspectTable('Track'))!.foreignKeys).toEqual(expected);
      // A rebuild (SQLite) or a plain ALTER (PostgreSQL) elsewhere in the table keeps it.
      await conn.begin();
      await runOps(conn, (op) => op.batchAlterTable('Track', (b) => b.dropColumn('Note'), { recreate: 'always' }));
      await conn.commit();
      expect((await conn.introspect()).tables.find((t) => t.name === 'Track')!.foreignKeys).toEqual(expected);
      // A child row before its parent, in one transaction: PostgreSQL checks the deferred key at
      // COMMIT (SQLite checks every key before COMMIT anyway, foreign_key_check).
      await conn.begin();
      await conn.execute({ sql: 'INSERT INTO "Track" ("TrackId", "AlbumId") VALUES (1, 7)', parameters: [] });
      await conn.execute({ sql: 'INSERT INTO "Album" ("AlbumId") VALUES (7)', parameters: [] });
      await conn.commit();
    });
  },
  ['sqlite', 'postgres'],
);
