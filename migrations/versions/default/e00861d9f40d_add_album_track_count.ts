import type { Operations } from '@multidb/core';

export const revision = 'e00861d9f40d';
export const downRevision = '777187012aef';
export const branchLabels = [];
export const dependsOn = [];
export const message = 'add album track count';
export const createDate = '2026-11-23T21:42:00Z';

// A schema change plus a data migration, Flask-Migrate style: add a nullable column, then fill
// it from the existing rows. The UPDATE is built with Kysely (op.db), which quotes identifiers
// for the bind's dialect:
//   UPDATE "Album" SET "TrackCount" = (SELECT count(*) FROM "Track" WHERE "Track"."AlbumId" = "Album"."AlbumId")

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('Album', { name: 'TrackCount', type: 'integer', nullable: true });
  await op.db
    .updateTable('Album')
    .set((eb) => ({
      TrackCount: eb
        .selectFrom('Track')
        .select(eb.fn.countAll().as('n'))
        .whereRef('Track.AlbumId', '=', 'Album.AlbumId'),
    }))
    .execute();
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('Album', 'TrackCount', { existing: { type: 'integer', nullable: true } });
}
