import type { IncludeObjectContext } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../compare/compare-schemas.js';
import { col, db, options, POSTGRES_LIKE, reflected } from '../testing/snapshot-fixture.js';
import { filterByIncludeHooks } from './filter-by-include-hooks.js';

const database = db(
  [
    reflected('artist', [col('id', 'integer', { nullable: false }), col('name', 'text'), { ...col('mood', 'text'), type: { name: 'enum', args: ['a', 'b'], modifiers: [], array: false, enumName: 'mood' } }], {
      primaryKey: { columns: ['id'] },
      uniqueConstraints: [{ columns: ['name'] }],
      checkConstraints: [{ name: 'ck_artist_name', expression: "name <> ''" }],
      indexes: [{ name: 'ix_artist_mood', columns: ['mood'], unique: false }],
    }),
    reflected('album', [col('id', 'integer', { nullable: false }), col('artist_id', 'integer'), col('tmp_note', 'text')], {
      primaryKey: { columns: ['id'] },
      foreignKeys: [{ columns: ['artist_id'], referredTable: 'artist', referredColumns: ['id'] }],
      indexes: [{ name: 'search_note', columns: ['tmp_note'], unique: false }],
    }),
  ],
  [{ name: 'mood', values: ['a', 'b'] }],
);

const key = (o: IncludeObjectContext) => JSON.stringify([o.type, o.table ?? '', o.name, o.reflected, o.hasCounterpart]);

describe('filterByIncludeHooks', () => {
  it('asks each object what the comparison of the written models with the same database asks (from the models, both sides having it)', () => {
    const asked: IncludeObjectContext[] = [];
    const names: string[] = [];
    const hooks = {
      includeName: (name: string, type: string) => (names.push(`${type} ${name}`), true),
      includeObject: (o: IncludeObjectContext) => (asked.push(o), true),
    };
    const r = filterByIncludeHooks(database, options({ capabilities: POSTGRES_LIKE, ...hooks }));
    expect(r.snapshot).toEqual(database);
    expect([r.leftOut, r.keptForUse, r.dangling]).toEqual([[], [], []]);

    const compared: IncludeObjectContext[] = [];
    const comparedNames: string[] = [];
    compareSchemas(database, database, options({
      capabilities: POSTGRES_LIKE,
      includeName: (name, type) => (comparedNames.push(`${type} ${name}`), true),
      includeObject: (o) => (compared.push(o), true),
    }));
    // The comparison skips a constraint or index both sides have alike (no change to ask about);
    // every other question is the same, and those are asked with the names it gives them.
    expect(asked.map(key).sort()).toEqual(expect.arrayContaining(compared.map(key)));
    expect(asked.map(key).sort()).toEqual(
      [
        ['check_constraint', 'artist', 'ck_artist_name'],
        ['column', 'album', 'artist_id'],
        ['column', 'album', 'id'],
        ['column', 'album', 'tmp_note'],
        ['column', 'artist', 'id'],
        ['column', 'artist', 'mood'],
        ['column', 'artist', 'name'],
        ['enum', '', 'mood'],
        ['foreign_key_constraint', 'album', 'fk_album_artist_id_artist'],
        ['index', 'album', 'search_note'],
        ['index', 'artist', 'ix_artist_mood'],
        ['table', '', 'album'],
        ['table', '', 'artist'],
        ['unique_constraint', 'artist', 'uq_artist_name'],
      ].map(([type, table, name]) => JSON.stringify([type, table, name, false, true])),
    );
    expect(names.sort()).toEqual(comparedNames.sort());
  });

  it("leaves out what the hooks leave out, keeps a left-out column that a kept index uses, and names a foreign key to a left-out table; an Alembic-style hook on one side's objects leaves nothing out", () => {
    const r = filterByIncludeHooks(database, options({
      capabilities: POSTGRES_LIKE,
      includeName: (name, type) => !(type === 'table' && name === 'artist'),
      includeObject: (o) => !(o.type === 'column' && o.name.startsWith('tmp_')) && !(o.type === 'table' && o.reflected && !o.hasCounterpart),
    }));
    expect(r.snapshot.tables.map((t) => t.name)).toEqual(['album']);
    expect(r.snapshot.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'artist_id', 'tmp_note']);
    expect(r.leftOut).toEqual(['table artist']);
    expect(r.keptForUse).toEqual(['album.tmp_note (used by index search_note)']);
    expect(r.dangling).toEqual(['album (artist_id) -> artist (id)']);

    const without = filterByIncludeHooks(database, options({
      includeObject: (o) => !(o.type === 'column' && o.name.startsWith('tmp_')) && !(o.type === 'index' && o.name.startsWith('search_')) && !(o.type === 'unique_constraint'),
    }));
    const album = without.snapshot.tables.find((t) => t.name === 'album')!;
    expect(album.columns.map((c) => c.name)).toEqual(['id', 'artist_id']);
    expect(album.indexes).toEqual([]);
    expect(without.snapshot.tables.find((t) => t.name === 'artist')!.uniqueConstraints).toEqual([]);
    expect(without.leftOut).toEqual(['unique constraint uq_artist_name on artist', 'column album.tmp_note', 'index search_note on album']);
  });

  it('keeps a left-out column that a kept check constraint, an expression or predicate of a kept index, or a kept generated column names (a fresh database refuses a check naming no column)', () => {
    const scratch = db([
      reflected(
        'account',
        [
          col('id', 'integer', { nullable: false }),
          col('tmp_note', 'text'),
          col('tmp_x', 'text'),
          col('tmp_w', 'integer'),
          col('tmp_base', 'integer'),
          { ...col('tmp_double', 'integer'), generated: { sql: '"tmp_base" * 2', stored: true } },
          { ...col('doubled', 'integer'), generated: { sql: 'tmp_double + 1', stored: true } },
          col('tmp_gone', 'text'),
        ],
        {
          primaryKey: { columns: ['id'] },
          checkConstraints: [{ name: 'ck_account_note', expression: "TMP_NOTE <> 'tmp_gone'" }],
          indexes: [{ name: 'ix_account_lower', columns: [{ sql: 'lower(tmp_x)' }], unique: false, where: 'tmp_w > 0' }],
        },
      ),
    ]);
    const r = filterByIncludeHooks(scratch, options({ capabilities: POSTGRES_LIKE, includeObject: (o) => !(o.type === 'column' && o.name.startsWith('tmp_')) }));
    expect(r.snapshot.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'tmp_note', 'tmp_x', 'tmp_w', 'tmp_base', 'tmp_double', 'doubled']);
    expect(r.leftOut).toEqual(['column account.tmp_gone']);
    expect(r.keptForUse).toEqual([
      'account.tmp_note (used by check constraint ck_account_note)',
      'account.tmp_x (used by index ix_account_lower)',
      'account.tmp_w (used by index ix_account_lower)',
      'account.tmp_base (used by generated column tmp_double)',
      'account.tmp_double (used by generated column doubled)',
    ]);
  });
});
