import { readFileSync } from 'node:fs';
import type { DialectConnection, TableSnapshot } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect, per } from '../support/dialect-databases.js';

const CHINOOK = '/work/shared/datasets/chinook';

/**
 * The schema part of a Chinook script (its CREATE TABLE, ALTER TABLE … FOREIGN KEY and CREATE
 * INDEX statements, before the first INSERT), one statement each.
 */
function chinookSchema(file: string): string[] {
  const text = readFileSync(`${CHINOOK}/${file}`, 'utf8');
  const from = text.search(/^CREATE TABLE/m);
  const to = text.search(/^INSERT INTO/m);
  return text
    .slice(from, to)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Table, column, key, foreign key and index counts of each Chinook schema (11 tables, 64 columns). */
const COLUMNS: Readonly<Record<string, number>> = {
  album: 3,
  artist: 2,
  customer: 13,
  employee: 15,
  genre: 2,
  invoice: 9,
  invoiceline: 5,
  mediatype: 2,
  playlist: 2,
  playlisttrack: 2,
  track: 9,
};

const key = (name: string) => name.replace(/_/g, '').toLowerCase();
const primaryKeyOf = (t: TableSnapshot) => t.primaryKey?.columns ?? t.columns.filter((c) => c.primaryKey).map((c) => c.name);
/** Foreign keys, table-level or on their column (PostgreSQL's `<table>_<column>_fkey` names read as column-level). */
const foreignKeysOf = (t: TableSnapshot) => [
  ...t.foreignKeys.map((f) => ({ columns: f.columns, referredTable: f.referredTable, referredColumns: f.referredColumns })),
  ...t.columns.filter((c) => c.references).map((c) => ({ columns: [c.name], referredTable: c.references!.table, referredColumns: [c.references!.column] })),
];

describeEachDialect('introspect() reads the Chinook schema', 'chinook', (db) => {
  const d = db.dialect;

  it('twice to identical snapshots, with the schema’s tables, columns, keys, foreign keys and indexes', async () => {
    const conn: DialectConnection = await db.fresh();
    for (const sql of chinookSchema(per(d, { sqlite: 'Chinook_Sqlite.sql', postgres: 'Chinook_PostgreSql.sql', mysql: 'Chinook_MySql.sql' }))) {
      await conn.execute({ sql, parameters: [] });
    }
    const first = await conn.introspect();
    const second = await conn.introspect();
    expect(second).toEqual(first);

    expect(first.tables.map((t) => key(t.name)).sort()).toEqual(Object.keys(COLUMNS).sort());
    for (const t of first.tables) expect(t.columns.length, t.name).toBe(COLUMNS[key(t.name)]);
    expect(first.tables.reduce((n, t) => n + t.columns.length, 0)).toBe(64);
    expect(first.tables.every((t) => primaryKeyOf(t).length > 0)).toBe(true);
    const playlistTrack = first.tables.find((t) => key(t.name) === 'playlisttrack')!;
    expect(primaryKeyOf(playlistTrack).map(key)).toEqual(['playlistid', 'trackid']);
    expect(first.tables.reduce((n, t) => n + foreignKeysOf(t).length, 0)).toBe(11);
    expect(first.tables.reduce((n, t) => n + t.indexes.length, 0)).toBe(11);
    expect(first.objects).toEqual([]);
    expect(first.enums).toEqual([]);

    // A foreign key as the script declares it, read as the dialect keeps it.
    const track = first.tables.find((t) => key(t.name) === 'track')!;
    const toAlbum = foreignKeysOf(track).find((f) => key(f.referredTable) === 'album');
    expect(toAlbum).toMatchObject({ columns: [per(d, { sqlite: 'AlbumId', postgres: 'album_id', mysql: 'AlbumId' })], referredColumns: [per(d, { sqlite: 'AlbumId', postgres: 'album_id', mysql: 'AlbumId' })] });
    expect(track.columns.find((c) => key(c.name) === 'unitprice')).toMatchObject({ nullable: false, type: { args: [10, 2] } });
  });
});
