import type { Operations } from '@multidb/core';

export const revision = '54aab5d7fb66';
export const downRevision = null;
export const branchLabels = ['default'];
export const dependsOn = [];
export const message = 'create catalog tables';
export const createDate = '2026-11-23T21:40:00Z';

// The music catalog of Chinook, with its column types. Constraint and index names come from the
// naming convention in migrate.config.ts (fk_Album_ArtistId_Artist, ix_Album_ArtistId; a column-level primary key too: pk_Album).

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('Artist', [
    { name: 'ArtistId', type: 'integer', primaryKey: true },
    { name: 'Name', type: 'nvarchar(120)' },
  ]);

  await op.createTable(
    'Album',
    [
      { name: 'AlbumId', type: 'integer', primaryKey: true },
      { name: 'Title', type: 'nvarchar(160)', nullable: false },
      { name: 'ArtistId', type: 'integer', nullable: false },
    ],
    { foreignKeys: [{ columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] }] },
  );
  await op.createIndex(null, 'Album', ['ArtistId']);

  await op.createTable('Genre', [
    { name: 'GenreId', type: 'integer', primaryKey: true },
    { name: 'Name', type: 'nvarchar(120)' },
  ]);

  await op.createTable('MediaType', [
    { name: 'MediaTypeId', type: 'integer', primaryKey: true },
    { name: 'Name', type: 'nvarchar(120)' },
  ]);

  await op.createTable(
    'Track',
    [
      { name: 'TrackId', type: 'integer', primaryKey: true },
      { name: 'Name', type: 'nvarchar(200)', nullable: false },
      { name: 'AlbumId', type: 'integer' },
      { name: 'MediaTypeId', type: 'integer', nullable: false },
      { name: 'GenreId', type: 'integer' },
      { name: 'Composer', type: 'nvarchar(220)' },
      { name: 'Milliseconds', type: 'integer', nullable: false },
      { name: 'Bytes', type: 'integer' },
      { name: 'UnitPrice', type: 'numeric(10,2)', nullable: false },
    ],
    {
      foreignKeys: [
        { columns: ['AlbumId'], referredTable: 'Album', referredColumns: ['AlbumId'] },
        { columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'] },
        { columns: ['MediaTypeId'], referredTable: 'MediaType', referredColumns: ['MediaTypeId'] },
      ],
    },
  );
  await op.createIndex(null, 'Track', ['AlbumId']);
  await op.createIndex(null, 'Track', ['GenreId']);
  await op.createIndex(null, 'Track', ['MediaTypeId']);

  await op.createTable('Playlist', [
    { name: 'PlaylistId', type: 'integer', primaryKey: true },
    { name: 'Name', type: 'nvarchar(120)' },
  ]);

  await op.createTable(
    'PlaylistTrack',
    [
      { name: 'PlaylistId', type: 'integer', nullable: false },
      { name: 'TrackId', type: 'integer', nullable: false },
    ],
    {
      primaryKey: ['PlaylistId', 'TrackId'],
      foreignKeys: [
        { columns: ['PlaylistId'], referredTable: 'Playlist', referredColumns: ['PlaylistId'] },
        { columns: ['TrackId'], referredTable: 'Track', referredColumns: ['TrackId'] },
      ],
    },
  );
  // Chinook indexes both foreign key columns, although the primary key already leads with PlaylistId.
  await op.createIndex(null, 'PlaylistTrack', ['PlaylistId']);
  await op.createIndex(null, 'PlaylistTrack', ['TrackId']);
}

export async function downgrade(op: Operations): Promise<void> {
  // Children first; a table's indexes go with it.
  await op.dropTable('PlaylistTrack');
  await op.dropTable('Playlist');
  await op.dropTable('Track');
  await op.dropTable('MediaType');
  await op.dropTable('Genre');
  await op.dropTable('Album');
  await op.dropTable('Artist');
}
