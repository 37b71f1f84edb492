import { expect, it } from 'vitest';
import { describeEachDialect, per } from '../support/dialect-databases.js';

describeEachDialect(
  'keys reported without a name carry the name the database has in constraintNames',
  'connames',
  (db) => {
    const d = db.dialect;

    it('a table made by plain SQL (the database names its keys): its keys on their columns, their names in constraintNames', async () => {
      const conn = await db.fresh();
      const run = (sql: string) => conn.execute({ sql, parameters: [] });
      await run('CREATE TABLE artist (artist_id integer PRIMARY KEY)');
      await run(
        per(d, {
          sqlite: '',
          postgres:
            'CREATE TABLE album (album_id integer PRIMARY KEY, code varchar(10) UNIQUE, a integer, b integer, ' +
            'artist_id integer REFERENCES artist (artist_id), UNIQUE (a, b))',
          mysql: 'CREATE TABLE album (album_id integer PRIMARY KEY, code varchar(10) UNIQUE, a integer, b integer, artist_id integer)',
        }),
      );
      const album = (await conn.introspectTable('album'))!;
      expect(album.columns.map((c) => [c.name, !!c.primaryKey, !!c.unique, !!c.references])).toEqual([
        ['album_id', true, false, false],
        ['code', false, true, false],
        ['a', false, false, false],
        ['b', false, false, false],
        ['artist_id', false, false, d === 'postgres'],
      ]);
      expect(album.constraintNames).toEqual(
        per(d, {
          sqlite: undefined,
          postgres: [
            { type: 'primary', columns: ['album_id'], name: 'album_pkey' },
            { type: 'unique', columns: ['code'], name: 'album_code_key' },
            { type: 'unique', columns: ['a', 'b'], name: 'album_a_b_key' },
            { type: 'foreignkey', columns: ['artist_id'], referredTable: 'artist', name: 'album_artist_id_fkey' },
          ],
          // MySQL calls a column-level UNIQUE after its column (and every primary key PRIMARY, which no statement names).
          mysql: [{ type: 'unique', columns: ['code'], name: 'code' }],
        }),
      );
      // The whole-schema read says the same.
      expect((await conn.introspect()).tables.find((t) => t.name === 'album')!.constraintNames).toEqual(album.constraintNames);
      // Keys named otherwise carry their names themselves.
      if (d === 'postgres') {
        await run('CREATE TABLE named (id integer CONSTRAINT named_id PRIMARY KEY, code text CONSTRAINT named_code UNIQUE)');
        const named = (await conn.introspectTable('named'))!;
        expect(named.constraintNames).toBeUndefined();
        expect(named.primaryKey).toEqual({ name: 'named_id', columns: ['id'] });
        expect(named.uniqueConstraints).toEqual([{ name: 'named_code', columns: ['code'] }]);
      }
    });
  },
  ['postgres', 'mysql'],
);
