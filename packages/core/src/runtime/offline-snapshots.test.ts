import { describe, expect, it } from 'vitest';
import type { Op } from '../operations/op-objects.js';
import { parseColumnType } from '../schema/column-type.js';
import { columnFromInput, tableFromInput } from '../schema/model-input.js';
import { DEFAULT_NAMING_CONVENTION } from '../schema/naming-convention.js';
import type { TableSnapshot } from '../schema/table-snapshot.js';
import { OfflineSnapshots } from './offline-snapshots.js';

const table = (name: string): TableSnapshot =>
  tableFromInput(
    name,
    [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'name', type: 'varchar(20)' },
      { name: 'code', type: 'varchar(3)' },
    ],
    { indexes: [{ columns: ['code'] }] },
    DEFAULT_NAMING_CONVENTION,
  );

function known(...ops: Op[]): OfflineSnapshots {
  const k = new OfflineSnapshots();
  for (const op of ops) k.observe(op);
  return k;
}

const columns = async (k: OfflineSnapshots, t: string) => (await k.snapshot(t, undefined))?.columns.map((c) => c.name);

describe('OfflineSnapshots', () => {
  it('knows only what the script created', async () => {
    const k = known({ kind: 'CreateTable', table: table('artist') });
    expect(await k.snapshot('artist', undefined)).toEqual(table('artist'));
    expect(await k.snapshot('invoice', undefined)).toBeUndefined();
    expect(known({ kind: 'CreateTable', table: table('artist'), ifNotExists: true }).knows('artist')).toBe(false);
  });

  it('follows certain changes: columns added, dropped, renamed, altered; indexes; renames of tables', async () => {
    const k = known(
      { kind: 'CreateTable', table: table('artist') },
      { kind: 'AddColumn', table: 'artist', column: columnFromInput({ name: 'born', type: 'datetime' }) },
      { kind: 'DropColumn', table: 'artist', column: 'born' },
      { kind: 'AlterColumn', table: 'artist', column: 'name', changes: { type: parseColumnType('varchar(40)'), nullable: false, newName: 'title' }, existing: {} },
      { kind: 'DropIndex', table: '', name: 'ix_artist_code' },
      { kind: 'RenameColumn', table: 'artist', column: 'code', newName: 'iso' },
      { kind: 'CreateIndex', table: 'artist', index: { name: 'ix_artist_iso', columns: ['iso'], unique: true } },
      { kind: 'RenameTable', table: 'artist', newName: 'performer' },
    );
    expect(k.knows('artist')).toBe(false);
    const t = await k.snapshot('performer', undefined);
    expect(t?.name).toBe('performer');
    expect(t?.columns.map((c) => [c.name, c.type.args, c.nullable])).toEqual([
      ['id', [], false],
      ['title', [40], false],
      ['iso', [3], true],
    ]);
    expect(t?.indexes).toEqual([{ name: 'ix_artist_iso', columns: ['iso'], unique: true }]);
  });

  it('follows a renamed index, alone or in a batch; forgets the table when the index is not known', async () => {
    const created = { kind: 'CreateTable', table: table('artist') } as const;
    const k = known(created, { kind: 'RenameIndex', table: 'artist', name: 'ix_artist_code', newName: 'ix_artist_iso' });
    expect((await k.snapshot('artist', undefined))?.indexes).toEqual([{ name: 'ix_artist_iso', columns: ['code'], unique: false }]);
    const b = known(created, { kind: 'BatchAlterTable', table: 'artist', ops: [{ kind: 'RenameIndex', table: 'artist', name: 'ix_artist_code', newName: 'ix_c' }], options: {} });
    expect((await b.snapshot('artist', undefined))?.indexes.map((i) => i.name)).toEqual(['ix_c']);
    expect(known(created, { kind: 'RenameIndex', table: 'artist', name: 'ix_nope', newName: 'ix_c' }).knows('artist')).toBe(false);
  });

  it('a batch applies its ops in order; copyFrom gives the shape of a table the script did not create', async () => {
    const k = known({
      kind: 'BatchAlterTable',
      table: 'invoice',
      ops: [{ kind: 'DropColumn', table: 'invoice', column: 'name' }],
      options: { copyFrom: table('invoice') },
    });
    expect(await columns(k, 'invoice')).toEqual(['id', 'code']);
  });

  it('forgets a table when a change is not certain', async () => {
    const created = { kind: 'CreateTable', table: table('artist') } as const;
    // The column is indexed: how a dialect drops it (and the index) differs.
    expect(known(created, { kind: 'DropColumn', table: 'artist', column: 'code' }).knows('artist')).toBe(false);
    expect(known(created, { kind: 'RenameColumn', table: 'artist', column: 'code', newName: 'c' }).knows('artist')).toBe(false);
    expect(known(created, { kind: 'CreatePrimaryKey', table: 'artist', name: 'pk', columns: ['id'] }).knows('artist')).toBe(false);
    expect(known(created, { kind: 'BatchAlterTable', table: 'artist', ops: [], options: { partialReordering: [['code', 'id']] } }).knows('artist')).toBe(false);
    expect(known(created, { kind: 'DropConstraint', table: 'artist', name: 'nope', type: 'unique' }).knows('artist')).toBe(false);
    // Raw DDL could change anything; a data change changes no table.
    expect(known(created, { kind: 'Execute', sql: 'ALTER TABLE artist ADD x int' }).knows('artist')).toBe(false);
    expect(known(created, { kind: 'Execute', sql: "UPDATE artist SET name = 'x'" }).knows('artist')).toBe(true);
    expect(known(created, { kind: 'DropTable', table: 'artist' }).knows('artist')).toBe(false);
  });

  it('a renamed table is followed by the foreign keys that refer to it; a renamed key column forgets its referrers', async () => {
    const album = tableFromInput(
      'album',
      [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'artist_id', type: 'integer' },
      ],
      { foreignKeys: [{ columns: ['artist_id'], referredTable: 'artist', referredColumns: ['id'] }] },
      DEFAULT_NAMING_CONVENTION,
    );
    const k = known({ kind: 'CreateTable', table: table('artist') }, { kind: 'CreateTable', table: album }, { kind: 'RenameTable', table: 'artist', newName: 'performer' });
    expect((await k.snapshot('album', undefined))?.foreignKeys.map((fk) => fk.referredTable)).toEqual(['performer']);
    k.observe({ kind: 'AlterColumn', table: 'performer', column: 'id', changes: { newName: 'performer_id' }, existing: {} });
    expect(k.knows('album')).toBe(false);
  });

  it("forgets a renamed table whose check, index or generated column names the table (the database rewrites the name; a rebuild from the old text fails with 'no such column: users.ratio')", async () => {
    const users = (options: Parameters<typeof tableFromInput>[2]) =>
      tableFromInput(
        'users',
        [
          { name: 'id', type: 'integer', primaryKey: true },
          { name: 'ratio', type: 'real' },
        ],
        options,
        DEFAULT_NAMING_CONVENTION,
      );
    const renamed = (t: TableSnapshot) => {
      const k = new OfflineSnapshots();
      k.following('r2');
      k.observe({ kind: 'CreateTable', table: t });
      k.observe({ kind: 'RenameTable', table: 'users', newName: 'members' });
      return k;
    };
    const checked = renamed(users({ checkConstraints: [{ name: 'ck_users_ratio', expression: '"Users"."ratio" >= 0' }] }));
    expect(checked.knows('members')).toBe(false);
    expect(checked.whyUnknown('members')).toBe("revision r2, which calls op.renameTable('users'), whose check constraint, index or generated column names the table");
    expect(renamed(users({ indexes: [{ columns: ['ratio'], where: 'users.ratio > 1' }] })).knows('members')).toBe(false);
    // Not named: followed under the new name.
    expect(renamed(users({ checkConstraints: [{ name: 'ck_ratio', expression: 'ratio >= 0' }] })).knows('members')).toBe(true);
  });

  it('says where and why a table it had known is unknown now; never for a table no op made', () => {
    const created: Op = { kind: 'CreateTable', table: table('artist') };
    const k = new OfflineSnapshots();
    k.following('r1');
    k.observe(created);
    k.observe({ kind: 'CreateTable', table: table('album') });
    expect(k.whyUnknown('artist')).toBeUndefined();
    expect(k.whyUnknown('invoice')).toBeUndefined();
    k.following('r2');
    k.observe({ kind: 'RenameColumn', table: 'artist', column: 'code', newName: 'c' });
    expect(k.whyUnknown('artist')).toBe("revision r2, which calls op.renameColumn('artist', 'code'), after which its shape is not certain");
    k.following('r3');
    k.observe({ kind: 'Execute', sql: 'CREATE INDEX ix_album_name\n  ON album (name, code, id, name, code, id, name, code, id, name)' });
    expect(k.whyUnknown('album')).toBe("revision r3, which runs op.execute('CREATE INDEX ix_album_name ON album (name, code, id, name...'), whose effect on tables offline mode does not follow");
    // What was forgotten before keeps its own reason; a rename carries it; a table made again is known.
    expect(k.whyUnknown('artist')).toMatch(/^revision r2,/);
    k.observe({ kind: 'RenameTable', table: 'artist', newName: 'performer' });
    expect(k.whyUnknown('performer')).toMatch(/^revision r2,/);
    expect(k.whyUnknown('artist')).toBeUndefined();
    k.observe({ kind: 'CreateTable', table: table('performer') });
    expect(k.whyUnknown('performer')).toBeUndefined();
    k.following(undefined);
    k.forgetAll('reads rows through op.db');
    expect(k.whyUnknown('performer')).toBe('reads rows through op.db');
    k.observe({ kind: 'DropTable', table: 'performer' });
    expect(k.whyUnknown('performer')).toBeUndefined();
  });
});
