import { parseColumnType } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeWithPostgres, useTestDatabase } from '../support/postgres-database.js';
import { connect, q, runOps } from './helpers.js';

const t = (s: string) => parseColumnType(s);

describeWithPostgres('postgres ops executed on a real server', () => {
  const database = useTestDatabase('ops');

  it('createTable, add/alter/rename/drop column, indexes, constraints, rename and drop table (checked in the catalog)', async () => {
    const conn = await connect(database.url);
    await runOps(conn, async (op) => {
      await op.createTable('Artist', [
        { name: 'ArtistId', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Name', type: 'nvarchar(120)' },
      ]);
      await op.createTable(
        'Album',
        [
          { name: 'AlbumId', type: 'integer', primaryKey: true },
          { name: 'Title', type: 'nvarchar(160)', nullable: false, comment: 'as printed' },
          { name: 'ArtistId', type: 'integer', nullable: false, references: { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' } },
          { name: 'Price', type: 'numeric(10,2)', default: 0.99 },
          { name: 'Cover', type: 'blob' },
          { name: 'Released', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
        ],
        { indexes: [{ columns: ['ArtistId'] }], checkConstraints: [{ name: 'ck_price', expression: '"Price" >= 0' }], comment: 'Records' },
      );
    });
    expect(
      await q(
        conn,
        `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default, is_identity, identity_generation
         FROM information_schema.columns WHERE table_name = 'Album' ORDER BY ordinal_position`,
      ),
    ).toEqual([
      { column_name: 'AlbumId', data_type: 'integer', len: null, is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'Title', data_type: 'character varying', len: 160, is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'ArtistId', data_type: 'integer', len: null, is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'Price', data_type: 'numeric', len: null, is_nullable: 'YES', column_default: '0.99', is_identity: 'NO', identity_generation: null },
      { column_name: 'Cover', data_type: 'bytea', len: null, is_nullable: 'YES', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'Released', data_type: 'timestamp without time zone', len: null, is_nullable: 'YES', column_default: 'CURRENT_TIMESTAMP', is_identity: 'NO', identity_generation: null },
    ]);
    expect(await q(conn, `SELECT is_identity, identity_generation FROM information_schema.columns WHERE table_name = 'Artist' AND column_name = 'ArtistId'`)).toEqual([
      { is_identity: 'YES', identity_generation: 'BY DEFAULT' },
    ]);
    expect(await q(conn, `SELECT conname, contype FROM pg_constraint WHERE conrelid = '"Album"'::regclass ORDER BY conname`)).toEqual([
      { conname: 'Album_ArtistId_fkey', contype: 'f' },
      { conname: 'ck_price', contype: 'c' },
      { conname: 'pk_Album', contype: 'p' },
    ]);
    expect(await q(conn, `SELECT obj_description('"Album"'::regclass, 'pg_class') AS t, col_description('"Album"'::regclass, 2) AS c`)).toEqual([{ t: 'Records', c: 'as printed' }]);
    await expect(q(conn, `INSERT INTO "Album" ("AlbumId", "Title", "ArtistId", "Price") VALUES (1, 'x', 1, -1)`)).rejects.toMatchObject({ code: '23514' });
    // Explicit ids go into a BY DEFAULT identity column.
    await q(conn, `INSERT INTO "Artist" ("ArtistId", "Name") VALUES (7, 'AC/DC')`);

    await runOps(conn, async (op) => {
      await op.addColumn('Album', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', comment: 'ISO' });
      await op.addColumn('Album', { name: 'Note', type: 'text' });
      await op.addColumn('Album', { name: 'Code', type: 'varchar(10)' });
      await op.alterColumn('Album', 'Price', { type: 'numeric(12,3)', nullable: false, default: 1, comment: 'gross' });
      await op.alterColumn('Album', 'Note', { type: 'varchar(50)', default: "it's", newName: 'Remark' });
      await op.renameColumn('Album', 'Title', 'Name');
      await op.alterColumn('Album', 'Name', { newName: 'Title', comment: null });
      await op.createIndex('ix_title', 'Album', ['Title'], { unique: true, where: '"Price" > 0' });
      await op.createUniqueConstraint(null, 'Album', ['Code']);
      await op.createCheckConstraint('ck_currency', 'Album', 'length("Currency") = 3');
      await op.dropConstraint('ck_price', 'Album', { type: 'check' });
      await op.dropColumn('Album', 'Cover');
      await op.dropIndex('ix_Album_ArtistId');
      await op.renameTable('Album', 'Record');
    });
    const record = await conn.introspectTable('Record');
    expect(record).toEqual({
      name: 'Record',
      columns: [
        { name: 'AlbumId', type: t('integer'), nullable: false },
        { name: 'Title', type: t('varchar(160)'), nullable: false },
        { name: 'ArtistId', type: t('integer'), nullable: false },
        { name: 'Price', type: t('numeric(12,3)'), nullable: false, default: 1, comment: 'gross' },
        { name: 'Released', type: t('timestamp'), nullable: true, default: { sql: 'CURRENT_TIMESTAMP' } },
        { name: 'Currency', type: t('varchar(3)'), nullable: false, default: 'USD', comment: 'ISO' },
        { name: 'Remark', type: t('varchar(50)'), nullable: true, default: "it's" },
        { name: 'Code', type: t('varchar(10)'), nullable: true },
      ],
      // Renaming the table keeps the constraint names given under the old name.
      primaryKey: { name: 'pk_Album', columns: ['AlbumId'] },
      foreignKeys: [{ name: 'Album_ArtistId_fkey', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'], onDelete: 'cascade' }],
      uniqueConstraints: [{ name: 'uq_Album_Code', columns: ['Code'] }],
      checkConstraints: [{ name: 'ck_currency', expression: 'length("Currency"::text) = 3' }],
      indexes: [{ name: 'ix_title', columns: ['Title'], unique: true, where: '"Price" > 0::numeric' }],
      comment: 'Records',
    });

    await runOps(conn, async (op) => {
      await op.dropConstraint('uq_Album_Code', 'Record', { type: 'unique' });
      await op.dropConstraint('Album_ArtistId_fkey', 'Record', { type: 'foreignkey' });
      await op.dropConstraint('pk_Album', 'Record', { type: 'primary' });
      await op.createPrimaryKey('pk_Record', 'Record', ['AlbumId', 'ArtistId']);
      await op.createForeignKey(null, 'Record', 'Artist', ['ArtistId'], ['ArtistId'], { onDelete: 'set null', onUpdate: 'restrict' });
    });
    expect(await conn.introspectTable('Record')).toMatchObject({
      primaryKey: { name: 'pk_Record', columns: ['AlbumId', 'ArtistId'] },
      foreignKeys: [{ name: 'fk_Record_ArtistId_Artist', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'], onDelete: 'set null', onUpdate: 'restrict' }],
      uniqueConstraints: [],
    });

    await runOps(conn, async (op) => {
      await op.dropTable('Record');
      await op.dropTable('Nothing', { ifExists: true });
    });
    expect(await conn.introspectTable('Record')).toBeUndefined();
    expect(await q(conn, `SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('Record', 'Album')`)).toEqual([{ n: 0 }]);
  });

  it('ops with a schema land in that schema; batchAlterTable runs its ALTERs; execute binds $n parameters', async () => {
    const conn = await connect(database.url);
    await q(conn, 'CREATE SCHEMA IF NOT EXISTS "Music"');
    await runOps(conn, async (op) => {
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'text' }], { schema: 'Music' });
      await op.createTable(
        'Track',
        [
          { name: 'TrackId', type: 'integer', primaryKey: true },
          { name: 'GenreId', type: 'integer', references: 'Genre.GenreId' },
        ],
        { schema: 'Music', indexes: [{ columns: ['GenreId'] }] },
      );
      await op.execute('INSERT INTO "Music"."Genre" ("GenreId", "Name") VALUES ($1, $2), ($3, $4)', [1, 'Rock', 2, "Drum 'n' Bass"]);
      await op.bulkInsert('Track', [{ TrackId: 1, GenreId: 1 }, { TrackId: 2, GenreId: 2 }], { schema: 'Music' });
      await op.batchAlterTable(
        'Track',
        (batch) => {
          batch.addColumn({ name: 'Name', type: 'nvarchar(200)', nullable: false, default: '' });
          batch.alterColumn('GenreId', { nullable: false, default: 1 });
          batch.createCheckConstraint('ck_name', 'length("Name") < 200');
          batch.dropIndex('ix_Track_GenreId');
          batch.createIndex(null, ['Name', 'GenreId']);
        },
        { schema: 'Music' },
      );
      await op.renameTable('Track', 'Song', { schema: 'Music' });
    });
    expect(await q(conn, `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = 'Music' ORDER BY table_name`)).toEqual([
      { table_schema: 'Music', table_name: 'Genre' },
      { table_schema: 'Music', table_name: 'Song' },
    ]);
    expect(await conn.introspectTable('Song')).toBeUndefined(); // not on the search_path
    expect(await conn.introspectTable('Song', 'Music')).toEqual({
      name: 'Song',
      schema: 'Music',
      columns: [
        { name: 'TrackId', type: t('integer'), nullable: false },
        { name: 'GenreId', type: t('integer'), nullable: false, default: 1 },
        { name: 'Name', type: t('varchar(200)'), nullable: false, default: '' },
      ],
      // The constraints keep the names they were given under the table's old name.
      primaryKey: { name: 'pk_Track', columns: ['TrackId'] },
      foreignKeys: [{ name: 'Track_GenreId_fkey', columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'] }],
      uniqueConstraints: [],
      checkConstraints: [{ name: 'ck_name', expression: 'length("Name"::text) < 200' }],
      indexes: [{ name: 'ix_Track_Name_GenreId', columns: ['Name', 'GenreId'], unique: false }],
    });
    expect(await q(conn, 'SELECT "TrackId", "GenreId", "Name" FROM "Music"."Song" ORDER BY 1')).toEqual([
      { TrackId: 1, GenreId: 1, Name: '' },
      { TrackId: 2, GenreId: 2, Name: '' },
    ]);
  });
});
