// Models of the `default` bind (the music catalog), for autogenerate: what its database should look
// like at head. Change a table here, then `migrate migrate -m "…"` writes the revision that gets it
// there, and `migrate check` (exit 4) tells CI when a revision is missing.
import { defineModels } from '@multidb/core';

const nameColumn = { name: 'Name', type: 'nvarchar(120)' } as const;

export default defineModels({
  tables: [
    { name: 'Artist', columns: [{ name: 'ArtistId', type: 'integer', primaryKey: true }, nameColumn] },
    {
      name: 'Album',
      columns: [
        { name: 'AlbumId', type: 'integer', primaryKey: true },
        { name: 'Title', type: 'nvarchar(160)', nullable: false },
        { name: 'ArtistId', type: 'integer', nullable: false },
        // Filled by revision e00861d9f40d from the Track table.
        { name: 'TrackCount', type: 'integer' },
      ],
      foreignKeys: [{ columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] }],
      indexes: [{ columns: ['ArtistId'] }],
    },
    { name: 'Genre', columns: [{ name: 'GenreId', type: 'integer', primaryKey: true }, nameColumn] },
    { name: 'MediaType', columns: [{ name: 'MediaTypeId', type: 'integer', primaryKey: true }, nameColumn] },
    {
      name: 'Track',
      columns: [
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
      foreignKeys: [
        { columns: ['AlbumId'], referredTable: 'Album', referredColumns: ['AlbumId'] },
        { columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'] },
        { columns: ['MediaTypeId'], referredTable: 'MediaType', referredColumns: ['MediaTypeId'] },
      ],
      indexes: [{ columns: ['AlbumId'] }, { columns: ['GenreId'] }, { columns: ['MediaTypeId'] }],
    },
    { name: 'Playlist', columns: [{ name: 'PlaylistId', type: 'integer', primaryKey: true }, nameColumn] },
    {
      name: 'PlaylistTrack',
      columns: [
        { name: 'PlaylistId', type: 'integer', nullable: false },
        { name: 'TrackId', type: 'integer', nullable: false },
      ],
      primaryKey: ['PlaylistId', 'TrackId'],
      foreignKeys: [
        { columns: ['PlaylistId'], referredTable: 'Playlist', referredColumns: ['PlaylistId'] },
        { columns: ['TrackId'], referredTable: 'Track', referredColumns: ['TrackId'] },
      ],
      indexes: [{ columns: ['PlaylistId'] }, { columns: ['TrackId'] }],
    },
  ],
});
