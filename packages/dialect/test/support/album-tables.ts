// The Artist and Album tables the tests that run DDL on a real database start from: created by
// create-table.test.ts (and checked in the catalog), altered by alter-table.test.ts. Written per
// dialect: each shows what its dialect has (SQLite collations, PostgreSQL comments and bytea,
// MySQL booleans and comments).
import type { PerDialect } from './dialects.js';
import type { RevisionBody } from './op-harness.js';

/** Creates `Artist` (AUTOINCREMENT key) and `Album` (foreign key with ON DELETE CASCADE, an index, a CHECK). */
export const CREATE_ARTIST_AND_ALBUM: PerDialect<RevisionBody> = {
  sqlite: async (op) => {
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
  },
  postgres: async (op) => {
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
  },
  mysql: async (op) => {
    await op.createTable('Artist', [
      { name: 'ArtistId', type: 'integer', primaryKey: true, autoincrement: true },
      { name: 'Name', type: 'nvarchar(120)', comment: "the artist's name" },
    ], { comment: 'Artists' });
    await op.createTable(
      'Album',
      [
        { name: 'AlbumId', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Title', type: 'nvarchar(160)', nullable: false },
        { name: 'ArtistId', type: 'integer', nullable: false, references: { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' } },
        { name: 'Price', type: 'numeric(10,2)', default: 0.99 },
        { name: 'Released', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
        { name: 'Live', type: 'boolean', nullable: false, default: false },
      ],
      { indexes: [{ columns: ['Title'] }], checkConstraints: [{ name: 'ck_price', expression: '`Price` >= 0' }] },
    );
  },
};
