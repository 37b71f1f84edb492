import { UnsupportedOperationError } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { compileOps } from '../support/op-harness.js';
import type { Dialect, Operations } from '@multidb/core';

const create = (op: Operations) =>
  op.createTable('Track', [{ name: 'AlbumId', type: 'integer' }], {
    foreignKeys: [{ columns: ['AlbumId'], referredTable: 'Album', referredColumns: ['AlbumId'], deferrable: true, initiallyDeferred: true }],
  });
const sqlOf = async (dialect: Dialect) => (await compileOps(dialect, create)).map((s) => s.sql);

describe('a deferrable foreign key (exact SQL per dialect)', () => {
  it('postgres and sqlite: DEFERRABLE INITIALLY DEFERRED; createForeignKey too on postgres', async () => {
    expect((await sqlOf(postgresDialect))[0]).toContain('CONSTRAINT "fk_Track_AlbumId_Album" FOREIGN KEY ("AlbumId") REFERENCES "Album" ("AlbumId") DEFERRABLE INITIALLY DEFERRED');
    expect((await sqlOf(sqliteDialect))[0]).toContain('CONSTRAINT "fk_Track_AlbumId_Album" FOREIGN KEY ("AlbumId") REFERENCES "Album" ("AlbumId") DEFERRABLE INITIALLY DEFERRED');
    const add = await compileOps(postgresDialect, (op) => op.createForeignKey(null, 'Track', 'Album', ['AlbumId'], ['AlbumId'], { deferrable: true }));
    expect(add.map((s) => s.sql)).toEqual(['ALTER TABLE "Track" ADD CONSTRAINT "fk_Track_AlbumId_Album" FOREIGN KEY ("AlbumId") REFERENCES "Album" ("AlbumId") DEFERRABLE']);
  });

  it('mysql refuses it', async () => {
    await expect(sqlOf(mysqlDialect)).rejects.toThrow(UnsupportedOperationError);
  });
});
