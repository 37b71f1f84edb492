import { enumType, type Op, type TableSnapshot } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect, per } from '../support/dialect-databases.js';
import { buildOps, runOps, type RevisionBody } from '../support/op-harness.js';
import { tableShape } from '../support/table-shape.js';

const RATING = ['G', 'PG', 'NC-17'];

/**
 * The tables the ops declared: each CreateTable's table, with the indexes later CreateIndex ops
 * added. (What `op.createTable` builds is what a bind's models resolve to.)
 */
function declaredTables(ops: readonly Op[]): Map<string, TableSnapshot> {
  const tables = new Map<string, TableSnapshot>();
  for (const op of ops) {
    if (op.kind === 'CreateTable') tables.set(op.table.name, op.table);
    if (op.kind === 'CreateIndex') {
      const t = tables.get(op.table)!;
      tables.set(op.table, { ...t, indexes: [...t.indexes, op.index] });
    }
  }
  return tables;
}

describeEachDialect('introspect() gives back every feature the ops declared', 'roundtrip', (db) => {
  const d = db.dialect;

  it('columns, keys, composite foreign key with actions, uniques, checks, indexes, enum, comments: equal through the comparator', async () => {
    const conn = await db.fresh();
    const q = (name: string) => conn.dialect.quoteIdentifier(name);
    const body: RevisionBody = async (op) => {
      await op.createEnum('rating', RATING);
      await op.createTable(
        'Artist',
        [
          { name: 'ArtistId', type: 'integer', primaryKey: true, autoincrement: true },
          { name: 'Name', type: 'varchar(120)', nullable: false, comment: 'as credited' },
          { name: 'Code', type: 'varchar(10)', unique: true, collation: per(d, { sqlite: 'NOCASE', postgres: 'C', mysql: 'utf8mb4_bin' }) },
        ],
        { comment: 'Performers' },
      );
      await op.createTable(
        'Album',
        [
          { name: 'AlbumId', type: 'integer', nullable: false },
          { name: 'Disc', type: 'smallint', nullable: false, default: 1 },
          { name: 'ArtistId', type: 'integer', nullable: false, references: { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' } },
          { name: 'Title', type: 'varchar(160)', nullable: false, default: 'Untitled' },
          { name: 'Price', type: 'numeric(10,2)', nullable: false, default: 0.99 },
          { name: 'PriceCents', type: 'numeric(12,2)', generated: { sql: `${q('Price')} * 100`, stored: true } },
          { name: 'Released', type: 'boolean', default: false },
          { name: 'Rating', type: enumType('rating', RATING), default: 'PG' },
          { name: 'Created', type: per(d, { sqlite: 'timestamp', postgres: 'timestamp', mysql: 'datetime' }), default: { sql: 'CURRENT_TIMESTAMP' } },
          ...(d === 'mysql'
            ? [{ name: 'Updated', type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' }, onUpdate: 'CURRENT_TIMESTAMP' }]
            : [{ name: 'Tags', type: per(d, { sqlite: 'text', postgres: 'jsonb', mysql: 'json' }) }]),
        ],
        {
          primaryKey: ['AlbumId', 'Disc'],
          uniqueConstraints: [['ArtistId', 'Title']],
          checkConstraints: [
            { name: 'ck_Album_price', expression: `${q('Price')} >= 0` },
            { name: 'ck_Album_disc', expression: `${q('Disc')} BETWEEN 1 AND 9` },
          ],
          indexes: [
            { columns: ['Released', 'Price'] },
            // An expression index (MariaDB has none: a prefix part is its expression entry).
            { name: 'ix_Album_title_expr', columns: [{ sql: d === 'mysql' ? `${q('Title')}(20)` : `lower(${q('Title')})` }] },
          ],
          comment: 'Records',
        },
      );
      await op.createTable(
        'Track',
        [
          { name: 'TrackId', type: 'bigint', primaryKey: true },
          { name: 'AlbumId', type: 'integer' },
          { name: 'Disc', type: 'smallint' },
          { name: 'Name', type: 'varchar(200)', nullable: false, comment: "it's the title" },
          { name: 'Milliseconds', type: 'integer', nullable: false },
          { name: 'Kind', type: 'varchar(5)', default: 'audio' },
        ],
        {
          foreignKeys: [{ columns: ['AlbumId', 'Disc'], referredTable: 'Album', referredColumns: ['AlbumId', 'Disc'], onDelete: 'set null', onUpdate: 'cascade' }],
          checkConstraints: [{ name: 'ck_Track_kind', expression: `${q('Kind')} IN ('audio', 'video')` }],
        },
      );
      await op.createIndex(null, 'Track', ['Milliseconds'], { unique: true });
      if (d !== 'mysql') await op.createIndex('ix_Track_long', 'Track', ['Milliseconds'], { where: `${q('Milliseconds')} > 600000` });
      if (d === 'postgres') await op.createIndex('ix_Album_tags', 'Album', ['Tags'], { method: 'gin' });
      if (d === 'mysql') await op.createIndex('ft_Track_Name', 'Track', ['Name'], { method: 'fulltext' });
    };
    await runOps(conn, body);
    const ops = await buildOps(conn.dialect, body);

    const snapshot = await conn.introspect();
    const declared = declaredTables(ops);
    expect(snapshot.tables.map((t) => t.name)).toEqual(['Album', 'Artist', 'Track']);
    const options = { comments: d !== 'sqlite', primaryKeyNames: d !== 'mysql', uniqueIndexesAreConstraints: d === 'mysql' };
    for (const table of snapshot.tables) {
      expect(tableShape(table, conn.dialect.comparator, options), table.name).toEqual(tableShape(declared.get(table.name)!, conn.dialect.comparator, options));
    }
    // The features the comparison rests on are really there, read as the dialect has them.
    const album = snapshot.tables.find((t) => t.name === 'Album')!;
    const track = snapshot.tables.find((t) => t.name === 'Track')!;
    expect(album.columns.find((c) => c.name === 'Rating')?.type).toEqual(
      per(d, { sqlite: expect.objectContaining({ name: 'varchar', args: [5] }), postgres: enumType('rating', RATING), mysql: expect.objectContaining({ name: 'enum', args: RATING }) }),
    );
    expect(snapshot.enums).toEqual(d === 'postgres' ? [{ name: 'rating', values: RATING }] : []);
    expect(track.foreignKeys).toEqual([
      { name: 'fk_Track_AlbumId_Disc_Album', columns: ['AlbumId', 'Disc'], referredTable: 'Album', referredColumns: ['AlbumId', 'Disc'], onDelete: 'set null', onUpdate: 'cascade' },
    ]);
    if (d === 'postgres') expect(album.indexes.find((i) => i.name === 'ix_Album_tags')).toEqual({ name: 'ix_Album_tags', columns: ['Tags'], unique: false, method: 'gin' });
    if (d === 'mysql') {
      expect(track.indexes.find((i) => i.name === 'ft_Track_Name')).toEqual({ name: 'ft_Track_Name', columns: ['Name'], unique: false, method: 'fulltext' });
      expect(album.columns.find((c) => c.name === 'Updated')?.onUpdate).toMatch(/^current_timestamp(\(\))?$/i);
    }
    if (d !== 'mysql') expect(track.indexes.find((i) => i.name === 'ix_Track_long')?.where).toBeDefined();
  });
});
