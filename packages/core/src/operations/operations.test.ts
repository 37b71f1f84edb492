import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { parseColumnType } from '../schema/column-type.js';
import { OperationError } from '../errors.js';
import { tableFromInput } from '../schema/model-input.js';
import { DEFAULT_NAMING_CONVENTION, type NamingConvention } from '../schema/naming-convention.js';
import { Operations, type OpRunner } from './operations.js';
import type { Op } from './op-objects.js';
import type { TableSnapshot } from '../schema/table-snapshot.js';

const INTEGER = parseColumnType('integer');
const VARCHAR3 = parseColumnType('varchar(3)');

/** What the `op` facade needs of a dialect: its name and literal rendering. */
const DIALECT: OpRunner['dialect'] = {
  name: 'testdb',
  inlineLiteral: (value) => `<${String(value)}>`,
};

const DB = { marker: 'kysely' } as unknown as Kysely<any>;

/** An `Operations` whose runner records the op objects handed to it. */
function recording(namingConvention: NamingConvention = DEFAULT_NAMING_CONVENTION): { op: Operations; ops: Op[] } {
  const ops: Op[] = [];
  const runner: OpRunner = {
    dialect: DIALECT,
    run: async (o) => {
      ops.push(o);
    },
  };
  return { op: new Operations({ db: DB, bind: 'db2', runner, namingConvention }), ops };
}

/** Runs one call on a fresh `Operations` and returns the one op it ran. */
async function one(call: (op: Operations) => Promise<void>, convention?: NamingConvention): Promise<Op> {
  const { op, ops } = recording(convention);
  await call(op);
  expect(ops).toHaveLength(1);
  return ops[0] as Op;
}

/** Whether every nested object of a value is frozen. */
function deepFrozen(value: unknown): boolean {
  if (!value || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

/** Runs `fn` (sync throw or rejection) and returns the OperationError's message. */
async function operationError(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OperationError);
    return (error as OperationError).message;
  }
  throw new Error('expected an OperationError');
}

/** A one-column table for createTable calls. */
const COLUMNS = [{ name: 'id', type: 'integer' }] as const;

const GENRE: TableSnapshot = tableFromInput('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }], {}, DEFAULT_NAMING_CONVENTION);

describe('Operations: the facade itself', () => {
  it('exposes db, bind and the dialect name', () => {
    const { op } = recording();
    expect(op.db).toBe(DB);
    expect(op.bind).toBe('db2');
    expect(op.dialectName).toBe('testdb');
  });

  it("inlineLiteral is the dialect's, and runs nothing", () => {
    const { op, ops } = recording();
    expect(op.inlineLiteral("O'Reilly")).toBe("<O'Reilly>");
    expect(ops).toEqual([]);
  });
});

describe('Operations: op objects', () => {
  it.each<[string, (op: Operations) => Promise<void>, Op]>([
    [
      'createTable',
      (op) =>
        op.createTable('Album', [{ name: 'AlbumId', type: 'integer', primaryKey: true }, { name: 'ArtistId', type: 'integer', references: 'Artist.ArtistId' }], {
          foreignKeys: [{ columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] }],
          indexes: [{ columns: ['ArtistId'] }],
        }),
      {
        kind: 'CreateTable',
        table: {
          name: 'Album',
          columns: [
            { name: 'AlbumId', type: INTEGER, nullable: false, primaryKey: true },
            { name: 'ArtistId', type: INTEGER, nullable: true, references: { table: 'Artist', column: 'ArtistId' } },
          ],
          foreignKeys: [{ name: 'fk_Album_ArtistId_Artist', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] }],
          uniqueConstraints: [],
          checkConstraints: [],
          indexes: [{ name: 'ix_Album_ArtistId', columns: ['ArtistId'], unique: false }],
        },
      },
    ],
    [
      'createTable with ifNotExists and a schema',
      (op) => op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }], { ifNotExists: true, schema: 'music' }),
      { kind: 'CreateTable', table: { ...GENRE, schema: 'music' }, ifNotExists: true },
    ],
    ['dropTable', (op) => op.dropTable('Genre'), { kind: 'DropTable', table: 'Genre' }],
    [
      'dropTable with existing, ifExists and a schema',
      (op) => op.dropTable('Genre', { existing: GENRE, ifExists: true, schema: 'music' }),
      { kind: 'DropTable', table: 'Genre', existing: GENRE, ifExists: true, schema: 'music' },
    ],
    [
      'dropTable with existing written with type strings (no convention names, lists default to empty)',
      (op) =>
        op.dropTable('Genre', {
          existing: { columns: [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'nvarchar(120)' }], uniqueConstraints: [{ columns: ['Name'] }] },
        }),
      {
        kind: 'DropTable',
        table: 'Genre',
        existing: {
          ...GENRE,
          columns: [...GENRE.columns, { name: 'Name', type: parseColumnType('nvarchar(120)'), nullable: true }],
          uniqueConstraints: [{ columns: ['Name'] }],
        },
      },
    ],
    ['renameTable', (op) => op.renameTable('Genre', 'MusicGenre'), { kind: 'RenameTable', table: 'Genre', newName: 'MusicGenre' }],
    [
      'addColumn',
      (op) => op.addColumn('Invoice', { name: 'Currency', type: 'VARCHAR(3)', default: 'USD' }, { schema: 'billing' }),
      { kind: 'AddColumn', table: 'Invoice', schema: 'billing', column: { name: 'Currency', type: VARCHAR3, nullable: true, default: 'USD' } },
    ],
    ['dropColumn', (op) => op.dropColumn('Invoice', 'Currency'), { kind: 'DropColumn', table: 'Invoice', column: 'Currency' }],
    [
      'dropColumn with existing (type parsed, nullable defaults to true)',
      (op) => op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)', default: 'USD' } }),
      { kind: 'DropColumn', table: 'Invoice', column: 'Currency', existing: { type: VARCHAR3, nullable: true, default: 'USD' } },
    ],
    [
      'dropColumn with existing not nullable',
      (op) => op.dropColumn('Invoice', 'Currency', { existing: { type: VARCHAR3, nullable: false }, schema: 'billing' }),
      { kind: 'DropColumn', table: 'Invoice', schema: 'billing', column: 'Currency', existing: { type: VARCHAR3, nullable: false } },
    ],
    [
      'alterColumn (changes and existing parsed)',
      (op) =>
        op.alterColumn('Invoice', 'Total', {
          type: 'NUMERIC(12, 2)',
          nullable: false,
          default: null,
          comment: 'gross',
          newName: 'GrossTotal',
          existing: { type: 'numeric(10,2)', nullable: true, default: 0 },
        }),
      {
        kind: 'AlterColumn',
        table: 'Invoice',
        column: 'Total',
        changes: { type: parseColumnType('numeric(12,2)'), nullable: false, default: null, comment: 'gross', newName: 'GrossTotal' },
        existing: { type: parseColumnType('numeric(10,2)'), nullable: true, default: 0 },
      },
    ],
    [
      'alterColumn without existing, in a schema',
      (op) => op.alterColumn('Invoice', 'Total', { nullable: true, schema: 'billing' }),
      { kind: 'AlterColumn', table: 'Invoice', schema: 'billing', column: 'Total', changes: { nullable: true }, existing: {} },
    ],
    [
      'alterColumn of the ON UPDATE expression (null removes it)',
      (op) => op.alterColumn('Doc', 'Changed', { onUpdate: null, existing: { onUpdate: 'CURRENT_TIMESTAMP' } }),
      { kind: 'AlterColumn', table: 'Doc', column: 'Changed', changes: { onUpdate: null }, existing: { onUpdate: 'CURRENT_TIMESTAMP' } },
    ],
    [
      'addColumn with an ON UPDATE expression',
      (op) => op.addColumn('Invoice', { name: 'Changed', type: 'timestamp', onUpdate: 'CURRENT_TIMESTAMP' }),
      { kind: 'AddColumn', table: 'Invoice', column: { name: 'Changed', type: parseColumnType('timestamp'), nullable: true, onUpdate: 'CURRENT_TIMESTAMP' } },
    ],
    [
      'dropColumn with the whole column as existing',
      (op) =>
        op.dropColumn('Track', 'AlbumId', {
          existing: { type: 'integer', nullable: false, unique: true, collation: 'C', onUpdate: 'x', references: { table: 'Album', column: 'AlbumId', onDelete: 'cascade' } },
        }),
      {
        kind: 'DropColumn',
        table: 'Track',
        column: 'AlbumId',
        existing: { type: INTEGER, nullable: false, unique: true, collation: 'C', onUpdate: 'x', references: { table: 'Album', column: 'AlbumId', onDelete: 'cascade' } },
      },
    ],
    [
      'createIndex on an expression, with an access method (named by convention with expr)',
      (op) => op.createIndex(null, 'Track', [{ sql: 'lower("Name")' }, 'AlbumId'], { method: 'gin' }),
      { kind: 'CreateIndex', table: 'Track', index: { name: 'ix_Track_expr_AlbumId', columns: [{ sql: 'lower("Name")' }, 'AlbumId'], unique: false, method: 'gin' } },
    ],
    ['renameColumn', (op) => op.renameColumn('Invoice', 'Total', 'Amount'), { kind: 'RenameColumn', table: 'Invoice', column: 'Total', newName: 'Amount' }],
    [
      'createIndex named by convention',
      (op) => op.createIndex(null, 'Track', ['AlbumId', 'GenreId']),
      { kind: 'CreateIndex', table: 'Track', index: { name: 'ix_Track_AlbumId_GenreId', columns: ['AlbumId', 'GenreId'], unique: false } },
    ],
    [
      'createIndex named, unique, partial, ifNotExists, in a schema',
      (op) => op.createIndex('by_name', 'Track', ['Name'], { unique: true, where: '"Name" IS NOT NULL', ifNotExists: true, schema: 'music' }),
      {
        kind: 'CreateIndex',
        table: 'Track',
        schema: 'music',
        index: { name: 'by_name', columns: ['Name'], unique: true, where: '"Name" IS NOT NULL' },
        ifNotExists: true,
      },
    ],
    [
      'createIndex concurrently (carried on the op, not in the index)',
      (op) => op.createIndex(null, 'Track', ['AlbumId'], { unique: true, concurrently: true }),
      { kind: 'CreateIndex', table: 'Track', index: { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: true }, concurrently: true },
    ],
    ['createIndex concurrently: false leaves no key', (op) => op.createIndex('ix', 'Track', ['AlbumId'], { concurrently: false }), { kind: 'CreateIndex', table: 'Track', index: { name: 'ix', columns: ['AlbumId'], unique: false } }],
    ['dropIndex without table', (op) => op.dropIndex('ix_Track_AlbumId'), { kind: 'DropIndex', table: '', name: 'ix_Track_AlbumId' }],
    [
      'dropIndex concurrently, with table',
      (op) => op.dropIndex('ix_Track_AlbumId', { table: 'Track', concurrently: true }),
      { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId', concurrently: true },
    ],
    ['dropIndex ifExists', (op) => op.dropIndex('ix_gone', { table: 'Track', ifExists: true }), { kind: 'DropIndex', table: 'Track', name: 'ix_gone', ifExists: true }],
    [
      'dropIndex with table and existing',
      (op) => op.dropIndex('ix_Track_AlbumId', { table: 'Track', existing: { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: false } }),
      { kind: 'DropIndex', table: 'Track', name: 'ix_Track_AlbumId', existing: { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: false } },
    ],
    ['renameIndex', (op) => op.renameIndex('Track', 'ix_Track_AlbumId', 'ix_Track_Album'), { kind: 'RenameIndex', table: 'Track', name: 'ix_Track_AlbumId', newName: 'ix_Track_Album' }],
    [
      'renameIndex with existing, in a schema',
      (op) => op.renameIndex('Track', 'ix_a', 'ix_b', { schema: 'music', existing: { columns: [{ sql: 'lower("Name")' }], unique: true, where: '"Name" IS NOT NULL' } }),
      { kind: 'RenameIndex', table: 'Track', schema: 'music', name: 'ix_a', newName: 'ix_b', existing: { columns: [{ sql: 'lower("Name")' }], unique: true, where: '"Name" IS NOT NULL' } },
    ],
    [
      'createUniqueConstraint named by convention',
      (op) => op.createUniqueConstraint(null, 'Genre', ['Name']),
      { kind: 'CreateUniqueConstraint', table: 'Genre', name: 'uq_Genre_Name', columns: ['Name'] },
    ],
    [
      'createUniqueConstraint named',
      (op) => op.createUniqueConstraint('genre_name', 'Genre', ['Name'], { schema: 'music' }),
      { kind: 'CreateUniqueConstraint', table: 'Genre', schema: 'music', name: 'genre_name', columns: ['Name'] },
    ],
    [
      'createCheckConstraint named by convention and expression',
      (op) => op.createCheckConstraint(null, 'Track', '"Milliseconds" > 0'),
      { kind: 'CreateCheckConstraint', table: 'Track', name: 'ck_Track_fa61d845', expression: '"Milliseconds" > 0' },
    ],
    [
      'createCheckConstraint named (kept as written)',
      (op) => op.createCheckConstraint('positive_ms', 'Track', '"Milliseconds" > 0'),
      { kind: 'CreateCheckConstraint', table: 'Track', name: 'positive_ms', expression: '"Milliseconds" > 0' },
    ],
    [
      'createForeignKey named by convention',
      (op) => op.createForeignKey(null, 'Album', 'Artist', ['ArtistId'], ['ArtistId']),
      { kind: 'CreateForeignKey', table: 'Album', name: 'fk_Album_ArtistId_Artist', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'] },
    ],
    [
      'createForeignKey with actions, schema and referred schema',
      (op) => op.createForeignKey('album_artist', 'Album', 'Artist', ['ArtistId'], ['Id'], { onDelete: 'cascade', onUpdate: 'restrict', schema: 'music', referredSchema: 'people' }),
      {
        kind: 'CreateForeignKey',
        table: 'Album',
        schema: 'music',
        name: 'album_artist',
        columns: ['ArtistId'],
        referredTable: 'Artist',
        referredSchema: 'people',
        referredColumns: ['Id'],
        onDelete: 'cascade',
        onUpdate: 'restrict',
      },
    ],
    [
      'createPrimaryKey named by convention',
      (op) => op.createPrimaryKey(null, 'PlaylistTrack', ['PlaylistId', 'TrackId']),
      { kind: 'CreatePrimaryKey', table: 'PlaylistTrack', name: 'pk_PlaylistTrack', columns: ['PlaylistId', 'TrackId'] },
    ],
    [
      'dropConstraint',
      (op) => op.dropConstraint('uq_Genre_Name', 'Genre', { type: 'unique' }),
      { kind: 'DropConstraint', table: 'Genre', name: 'uq_Genre_Name', type: 'unique' },
    ],
    [
      'dropConstraint with existing and a schema',
      (op) => op.dropConstraint('ck_x', 'Track', { type: 'check', existing: { type: 'check', expression: '1 = 1' }, schema: 'music' }),
      { kind: 'DropConstraint', table: 'Track', schema: 'music', name: 'ck_x', type: 'check', existing: { type: 'check', expression: '1 = 1' } },
    ],
    ['execute', (op) => op.execute('UPDATE "Invoice" SET "Currency" = ?', ['USD']), { kind: 'Execute', sql: 'UPDATE "Invoice" SET "Currency" = ?', parameters: ['USD'] }],
    ['execute without parameters', (op) => op.execute('DELETE FROM "Genre"'), { kind: 'Execute', sql: 'DELETE FROM "Genre"', parameters: [] }],
    ['execute with null parameters (none, as before)', (op) => op.execute('DELETE FROM "Genre"', null as never), { kind: 'Execute', sql: 'DELETE FROM "Genre"', parameters: [] }],
    [
      'bulkInsert',
      (op) => op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2 }], { schema: 'music' }),
      { kind: 'BulkInsert', table: 'Genre', schema: 'music', rows: [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2 }] },
    ],
  ])('%s', async (_title, call, expected) => {
    const op = await one(call);
    expect(op).toStrictEqual(expected);
    if (op.kind !== 'BulkInsert' && op.kind !== 'Execute') expect(deepFrozen(op)).toBe(true);
  });

  it("names from the project's convention", async () => {
    const convention: NamingConvention = { ix: 'idx_%(table)s_%(column_0_name)s', uq: '%(table)s_%(columns)s_key', fk: '%(table)s_%(column_0_name)s_fkey', pk: '%(table)s_pkey', ck: '%(table)s_%(name)s_check' };
    const { op, ops } = recording(convention);
    await op.createIndex(null, 'Track', ['AlbumId', 'GenreId']);
    await op.createUniqueConstraint(null, 'Genre', ['Name']);
    await op.createForeignKey(null, 'Album', 'Artist', ['ArtistId'], ['ArtistId']);
    await op.createPrimaryKey(null, 'Genre', ['GenreId']);
    await op.createCheckConstraint(null, 'Track', '"Milliseconds" > 0');
    expect(ops.map((o) => (o.kind === 'CreateIndex' ? o.index.name : 'name' in o ? o.name : undefined))).toEqual([
      'idx_Track_AlbumId',
      'Genre_Name_key',
      'Album_ArtistId_fkey',
      'Genre_pkey',
      'Track_fa61d845_check',
    ]);
  });

  it('runs ops in call order, each once', async () => {
    const { op, ops } = recording();
    await op.renameTable('a', 'b');
    await op.renameColumn('b', 'x', 'y');
    await op.execute('SELECT 1');
    expect(ops.map((o) => o.kind)).toEqual(['RenameTable', 'RenameColumn', 'Execute']);
  });
});

describe('Operations.batchAlterTable', () => {
  it('collects the inner ops into one BatchAlterTable op, in order', async () => {
    const op = await one((o) =>
      o.batchAlterTable(
        'Genre',
        (batch) => {
          batch
            .addColumn({ name: 'Code', type: 'varchar(3)' })
            .dropColumn('Old', { existing: { type: 'integer' } })
            .alterColumn('Name', { nullable: false, existing: { type: 'nvarchar(120)', nullable: true } })
            .renameColumn('Name', 'Title')
            .createIndex(null, ['Code'], { unique: true })
            .dropIndex('ix_old')
            .renameIndex('ix_a', 'ix_b', { existing: { columns: ['Code'], unique: false } })
            .createUniqueConstraint(null, ['Code'])
            .createCheckConstraint('code_len', 'length("Code") = 3')
            .createForeignKey(null, 'Code', ['Code'], ['Code'], { onDelete: 'set null' })
            .createPrimaryKey(null, ['GenreId'])
            .dropConstraint('uq_old', { type: 'unique', existing: { type: 'unique', columns: ['Old'] } });
        },
        { recreate: 'always', schema: 'music' },
      ),
    );
    const ref = { table: 'Genre', schema: 'music' };
    expect(op).toStrictEqual({
      kind: 'BatchAlterTable',
      ...ref,
      ops: [
        { kind: 'AddColumn', ...ref, column: { name: 'Code', type: VARCHAR3, nullable: true } },
        { kind: 'DropColumn', ...ref, column: 'Old', existing: { type: INTEGER, nullable: true } },
        { kind: 'AlterColumn', ...ref, column: 'Name', changes: { nullable: false }, existing: { type: parseColumnType('nvarchar(120)'), nullable: true } },
        { kind: 'RenameColumn', ...ref, column: 'Name', newName: 'Title' },
        { kind: 'CreateIndex', ...ref, index: { name: 'ix_Genre_Code', columns: ['Code'], unique: true } },
        { kind: 'DropIndex', ...ref, name: 'ix_old' },
        { kind: 'RenameIndex', ...ref, name: 'ix_a', newName: 'ix_b', existing: { columns: ['Code'], unique: false } },
        { kind: 'CreateUniqueConstraint', ...ref, name: 'uq_Genre_Code', columns: ['Code'] },
        { kind: 'CreateCheckConstraint', ...ref, name: 'code_len', expression: 'length("Code") = 3' },
        { kind: 'CreateForeignKey', ...ref, name: 'fk_Genre_Code_Code', columns: ['Code'], referredTable: 'Code', referredColumns: ['Code'], onDelete: 'set null' },
        { kind: 'CreatePrimaryKey', ...ref, name: 'pk_Genre', columns: ['GenreId'] },
        { kind: 'DropConstraint', ...ref, name: 'uq_old', type: 'unique', existing: { type: 'unique', columns: ['Old'] } },
      ],
      options: { recreate: 'always' },
    });
    expect(deepFrozen(op)).toBe(true);
  });

  it('takes copyFrom written with type strings, as dropTable takes existing', async () => {
    const op = await one((o) =>
      o.batchAlterTable('Genre', (b) => void b.renameColumn('a', 'b'), { copyFrom: { columns: [{ name: 'GenreId', type: 'integer', primaryKey: true }] } }),
    );
    expect(op).toStrictEqual({
      kind: 'BatchAlterTable',
      table: 'Genre',
      ops: [{ kind: 'RenameColumn', table: 'Genre', column: 'a', newName: 'b' }],
      options: { copyFrom: GENRE },
    });
    expect(deepFrozen(op)).toBe(true);
  });

  it('without options or schema: empty options, no schema key', async () => {
    const op = await one((o) => o.batchAlterTable('Genre', (b) => void b.renameColumn('a', 'b')));
    expect(op).toStrictEqual({
      kind: 'BatchAlterTable',
      table: 'Genre',
      ops: [{ kind: 'RenameColumn', table: 'Genre', column: 'a', newName: 'b' }],
      options: {},
    });
  });

  it('refuses concurrently on a batch index op (a batch is one block; on SQLite one rebuild) and runs nothing', async () => {
    const { op, ops } = recording();
    const options = { concurrently: true } as object;
    expect(await operationError(() => op.batchAlterTable('Genre', (b) => void b.createIndex(null, ['Code'], options)))).toMatch(
      /^batchAlterTable: createIndex on 'Genre' cannot take concurrently: .* Call op\.createIndex \/ op\.dropIndex with \{ concurrently: true \} outside the batch, in a revision with `export const transaction = false;`\.$/,
    );
    expect(await operationError(() => op.batchAlterTable('Genre', (b) => void b.dropIndex('ix_a', options)))).toMatch(/^batchAlterTable: dropIndex\('ix_a'\) on 'Genre' cannot take concurrently/);
    expect(ops).toEqual([]);
  });

  it('an invalid inner op rejects and runs nothing', async () => {
    const { op, ops } = recording();
    expect(await operationError(() => op.batchAlterTable('Genre', (b) => void b.alterColumn('Name', {})))).toBe("alterColumn('Genre', 'Name') changes nothing.");
    expect(ops).toEqual([]);
  });
});

describe('Operations: freezing', () => {
  it('hands frozen ops to the run', async () => {
    const { op, ops } = recording();
    await op.createTable('Genre', [{ name: 'GenreId', type: 'integer' }]);
    await op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)' } });
    await op.createForeignKey(null, 'Album', 'Artist', ['ArtistId'], ['ArtistId']);
    expect(ops.map(deepFrozen)).toEqual([true, true, true]);
  });

  it("freezes the bulkInsert op but not the caller's rows", async () => {
    const rows = [{ GenreId: 1, Name: 'Rock' }];
    const op = await one((o) => o.bulkInsert('Genre', rows));
    expect(Object.isFrozen(op)).toBe(true);
    expect((op as { rows: unknown }).rows).toBe(rows);
    expect(Object.isFrozen(rows)).toBe(false);
    expect(Object.isFrozen(rows[0])).toBe(false);
  });

  it("freezes the execute op and its parameter list, not the caller's list or values", async () => {
    const blob = Buffer.from('abc');
    const parameters = [blob, 'x'];
    const op = await one((o) => o.execute('INSERT INTO "Blob" VALUES (?, ?)', parameters));
    expect(op).toStrictEqual({ kind: 'Execute', sql: 'INSERT INTO "Blob" VALUES (?, ?)', parameters: [blob, 'x'] });
    expect(Object.isFrozen(op)).toBe(true);
    expect(Object.isFrozen((op as { parameters: unknown }).parameters)).toBe(true);
    expect((op as { parameters: readonly unknown[] }).parameters[0]).toBe(blob);
    expect(Object.isFrozen(parameters)).toBe(false);
  });

  it("does not mutate the caller's arguments", async () => {
    const columns = ['AlbumId', 'GenreId'];
    const column = { name: 'Currency', type: 'varchar(3)' };
    const { op } = recording();
    await op.createIndex(null, 'Track', columns);
    await op.createUniqueConstraint(null, 'Track', columns);
    await op.addColumn('Invoice', column);
    expect(columns).toEqual(['AlbumId', 'GenreId']);
    expect(Object.isFrozen(columns)).toBe(false);
    expect(column).toEqual({ name: 'Currency', type: 'varchar(3)' });
    expect(Object.isFrozen(column)).toBe(false);
  });
});

describe('Operations: invalid calls', () => {
  it('bulkInsert with no rows runs nothing', async () => {
    const { op, ops } = recording();
    await op.bulkInsert('Genre', []);
    expect(ops).toEqual([]);
  });

  it.each<[string, (op: Operations) => Promise<void>, string]>([
    ["execute('')", (op) => op.execute(''), 'execute() needs one SQL statement.'],
    ['execute of blanks', (op) => op.execute('  \n '), 'execute() needs one SQL statement.'],
    ['alterColumn with no change', (op) => op.alterColumn('Invoice', 'Total', { existing: { type: 'integer' } }), "alterColumn('Invoice', 'Total') changes nothing."],
    [
      'alterColumn with an empty collation',
      (op) => op.alterColumn('Doc', 'Title', { collation: '' }),
      `alterColumn('Doc', 'Title'): collation must be a collation's name, or null for the default; not "".`,
    ],
    [
      'alterColumn with an empty onUpdate',
      (op) => op.alterColumn('Doc', 'Changed', { onUpdate: ' ' }),
      `alterColumn('Doc', 'Changed'): onUpdate must be an SQL expression such as 'CURRENT_TIMESTAMP', or null to remove it; not " ".`,
    ],
    ['alterColumn with an invalid table', (op) => op.alterColumn('', 'Total', { nullable: true }), 'Invalid table name "".'],
    ['alterColumn with an invalid type', (op) => op.alterColumn('Invoice', 'Total', { type: 'varchar(x)' }), "Invalid column type 'varchar(x)': bad argument list '(x)'."],
    [
      'dropConstraint without a type',
      (op) => op.dropConstraint('uq', 'Genre', {} as never),
      "dropConstraint('uq') needs type: one of unique, check, foreignkey, primary.",
    ],
    [
      'dropConstraint without options',
      (op) => (op.dropConstraint as (name: string, table: string) => Promise<void>)('uq', 'Genre'),
      "dropConstraint('uq') needs type: one of unique, check, foreignkey, primary.",
    ],
    [
      'dropConstraint with an unknown type',
      (op) => op.dropConstraint('uq', 'Genre', { type: 'index' as never }),
      "dropConstraint('uq') needs type: one of unique, check, foreignkey, primary.",
    ],
    ['dropConstraint with an invalid table', (op) => op.dropConstraint('uq', ' Genre', { type: 'unique' }), 'Invalid table name " Genre".'],
    ['createTable without columns', (op) => op.createTable('Genre', []), "createTable('Genre') needs at least one column."],
    ['createIndex without columns', (op) => op.createIndex(null, 'Track', []), "createIndex on 'Track' needs at least one column."],
    [
      'createForeignKey with mismatched columns',
      (op) => op.createForeignKey(null, 'Album', 'Artist', ['ArtistId', 'x'], ['ArtistId']),
      "createForeignKey on 'Album' needs as many local as remote columns (got 2 and 1).",
    ],
    ['dropTable with an empty name', (op) => op.dropTable(''), 'Invalid table name "".'],
    ['renameColumn to an invalid name', (op) => op.renameColumn('Invoice', 'Total', 'Total '), 'Invalid column name "Total ".'],
    ['bulkInsert of a non-array', (op) => op.bulkInsert('Genre', { GenreId: 1 } as never), "bulkInsert('Genre') takes its rows as an array of objects (one per row, keyed by column), not one object: write [{ GenreId: 1 }]."],
    // An explicit index or constraint name is checked as the drop side checks it (which would refuse it when reversed).
    ['createIndex with an empty name', (op) => op.createIndex('', 'Track', ['AlbumId']), `Invalid index name "" in createIndex on 'Track'.`],
    ['createIndex with a name in spaces', (op) => op.createIndex(' ix_Track ', 'Track', ['AlbumId']), `Invalid index name " ix_Track " in createIndex on 'Track'.`],
    ['createIndex with a non-string name', (op) => op.createIndex(7 as never, 'Track', ['AlbumId']), `Invalid index name 7 in createIndex on 'Track'.`],
    ['createUniqueConstraint with an empty name', (op) => op.createUniqueConstraint('', 'Customer', ['Email']), `Invalid unique constraint name "" in createUniqueConstraint on 'Customer'.`],
    ['createPrimaryKey with a NUL in the name', (op) => op.createPrimaryKey('pk\0', 'PlaylistTrack', ['PlaylistId']), `Invalid primary key name "pk\\u0000" in createPrimaryKey on 'PlaylistTrack'.`],
    ['createCheckConstraint with an empty name', (op) => op.createCheckConstraint('', 'Invoice', '"Total" >= 0'), `Invalid check constraint name "" in createCheckConstraint on 'Invoice'.`],
    ['createForeignKey with an empty name', (op) => op.createForeignKey('', 'Album', 'Artist', ['ArtistId'], ['ArtistId']), `Invalid foreign key name "" in createForeignKey on 'Album'.`],
    ['createTable with an empty index name', (op) => op.createTable('Track', COLUMNS, { indexes: [{ name: '', columns: ['id'] }] }), `Invalid index name "" in createTable('Track').`],
    ['createTable with an empty primary key name', (op) => op.createTable('Track', COLUMNS, { primaryKey: { name: '', columns: ['id'] } }), `Invalid primary key name "" in createTable('Track').`],
    ['createTable with an empty unique constraint name', (op) => op.createTable('Track', COLUMNS, { uniqueConstraints: [{ name: '', columns: ['id'] }] }), `Invalid unique constraint name "" in createTable('Track').`],
    ['createTable with an empty check constraint name', (op) => op.createTable('Track', COLUMNS, { checkConstraints: [{ name: ' ', expression: 'id > 0' }] }), `Invalid check constraint name " " in createTable('Track').`],
    [
      'createTable with an empty foreign key name',
      (op) => op.createTable('Track', COLUMNS, { foreignKeys: [{ name: '', columns: ['id'], referredTable: 'Album', referredColumns: ['id'] }] }),
      `Invalid foreign key name "" in createTable('Track').`,
    ],
    ['batch createIndex with an empty name', (op) => op.batchAlterTable('Track', (b) => b.createIndex('', ['AlbumId'])), `Invalid index name "" in createIndex on 'Track'.`],
    ['batch dropIndex with an empty name', (op) => op.batchAlterTable('Track', (b) => b.dropIndex('')), `Invalid index name "" in dropIndex on 'Track'.`],
    ['renameIndex to an invalid name', (op) => op.renameIndex('Track', 'ix_a', ' ix_b'), `Invalid index name " ix_b" in renameIndex on 'Track'.`],
    ['renameIndex on an invalid table', (op) => op.renameIndex('', 'ix_a', 'ix_b'), 'Invalid table name "".'],
    ['batch renameIndex with an empty name', (op) => op.batchAlterTable('Track', (b) => b.renameIndex('', 'ix_b')), `Invalid index name "" in renameIndex on 'Track'.`],
    ['batch createUniqueConstraint with an empty name', (op) => op.batchAlterTable('Track', (b) => b.createUniqueConstraint('', ['Name'])), `Invalid unique constraint name "" in createUniqueConstraint on 'Track'.`],
    ['batch createPrimaryKey with an empty name', (op) => op.batchAlterTable('Track', (b) => b.createPrimaryKey('', ['TrackId'])), `Invalid primary key name "" in createPrimaryKey on 'Track'.`],
    ['batch createCheckConstraint with an empty name', (op) => op.batchAlterTable('Track', (b) => b.createCheckConstraint('', 'x > 0')), `Invalid check constraint name "" in createCheckConstraint on 'Track'.`],
    ['batch createForeignKey with an empty name', (op) => op.batchAlterTable('Track', (b) => b.createForeignKey('', 'Album', ['AlbumId'], ['AlbumId'])), `Invalid foreign key name "" in createForeignKey on 'Track'.`],
  ])('%s throws OperationError and runs nothing', async (_title, call, message) => {
    const { op, ops } = recording();
    expect(await operationError(() => call(op))).toBe(message);
    expect(ops).toEqual([]);
  });
});

// An object, a single column object or a string where an op takes an array is an easy mistake from
// JavaScript (or through a cast): `createTable('t', { id: { type: 'integer' } })` said "needs at
// least one column", createPrimaryKey(null, 't', 'id') made a key of the columns 'i' and 'd', and
// createUniqueConstraint / createForeignKey failed with "columns.join is not a function". Each
// message says what was given and what to write, rewritten from it.
describe('Operations: an object or a string where an array is taken', () => {
  const COLUMNS_TAKEN = "takes its columns as an array of { name, type, ... }";
  it.each<[string, (op: Operations) => Promise<unknown>, string]>([
    [
      'createTable with an object keyed by column name',
      (op) => op.createTable('account', { id: { type: 'integer', primaryKey: true }, email: { type: 'varchar(255)', nullable: false } } as never),
      `createTable('account') ${COLUMNS_TAKEN}, not an object keyed by name: write [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(255)', nullable: false }].`,
    ],
    [
      'createTable with more columns than the message shows',
      (op) => op.createTable('t', { a: { type: 'integer' }, b: { type: 'text' }, "c'd": { type: 'text' }, e: { type: 'text' } } as never),
      `createTable('t') ${COLUMNS_TAKEN}, not an object keyed by name: write [{ name: 'a', type: 'integer' }, { name: 'b', type: 'text' }, { name: 'c\\'d', type: 'text' }, …].`,
    ],
    ['createTable with one column object', (op) => op.createTable('account', { name: 'id', type: 'integer' } as never), `createTable('account') ${COLUMNS_TAKEN}, not one object: write [{ name: 'id', type: 'integer' }].`],
    [
      'createTable with a string',
      (op) => op.createTable('account', 'id integer' as never),
      `createTable('account') ${COLUMNS_TAKEN}, not a string ('id integer'): write e.g. [{ name: 'id', type: 'integer', primaryKey: true }].`,
    ],
    [
      'createTable with indexes as one object',
      (op) => op.createTable('account', [{ name: 'email', type: 'text' }], { indexes: { columns: ['email'] } as never }),
      "createTable('account') takes indexes as an array, not one object: write indexes: [{ columns: ['email'] }].",
    ],
    [
      'createTable with a primary key of one name',
      (op) => op.createTable('account', [{ name: 'id', type: 'integer' }], { primaryKey: 'id' as never }),
      "createTable('account') takes primaryKey as an array of column names (or { name, columns }), not a string ('id'): write primaryKey: ['id'].",
    ],
    [
      "createTable with an index's columns as one name",
      (op) => op.createTable('account', [{ name: 'email', type: 'text' }], { indexes: [{ name: 'ix_email', columns: 'email' as never }] }),
      "createTable('account') takes the columns of index 'ix_email' as an array, not a string ('email'): write columns: ['email'].",
    ],
    [
      'createIndex with a string',
      (op) => op.createIndex(null, 'Track', 'AlbumId' as never),
      "createIndex on 'Track' takes its columns as an array of column names or { sql: '…' } expressions, not a string ('AlbumId'): write ['AlbumId'].",
    ],
    [
      'createIndex with an object of columns',
      (op) => op.createIndex(null, 'Track', { AlbumId: 1, Name: 1 } as never),
      "createIndex on 'Track' takes its columns as an array of column names or { sql: '…' } expressions, not an object: write ['AlbumId', 'Name'].",
    ],
    [
      'createIndex with one expression',
      (op) => op.createIndex('ix_lower', 'Customer', { sql: 'lower("Email")' } as never),
      `createIndex on 'Customer' takes its columns as an array of column names or { sql: '…' } expressions, not one expression object: write [{ sql: 'lower("Email")' }].`,
    ],
    [
      'batch createIndex with a string',
      (op) => op.batchAlterTable('Track', (b) => b.createIndex(null, 'AlbumId' as never)),
      "createIndex on 'Track' takes its columns as an array of column names or { sql: '…' } expressions, not a string ('AlbumId'): write ['AlbumId'].",
    ],
    ['createPrimaryKey with a string', (op) => op.createPrimaryKey(null, 'Track', 'TrackId' as never), "createPrimaryKey on 'Track' takes its columns as an array of names, not a string ('TrackId'): write ['TrackId']."],
    ['batch createPrimaryKey with a string', (op) => op.batchAlterTable('Track', (b) => b.createPrimaryKey(null, 'TrackId' as never)), "createPrimaryKey on 'Track' takes its columns as an array of names, not a string ('TrackId'): write ['TrackId']."],
    ['createUniqueConstraint with a string', (op) => op.createUniqueConstraint(null, 'Customer', 'Email' as never), "createUniqueConstraint on 'Customer' takes its columns as an array of names, not a string ('Email'): write ['Email']."],
    [
      'createForeignKey with strings',
      (op) => op.createForeignKey(null, 'Invoice', 'Customer', 'CustomerId' as never, 'CustomerId' as never),
      "createForeignKey on 'Invoice' takes its local columns as an array of names, not a string ('CustomerId'): write ['CustomerId'].",
    ],
    [
      'createForeignKey with a string for the remote columns',
      (op) => op.createForeignKey(null, 'Invoice', 'Customer', ['CustomerId'], 'CustomerId' as never),
      "createForeignKey on 'Invoice' takes its remote columns as an array of names, not a string ('CustomerId'): write ['CustomerId'].",
    ],
    ['bulkInsert of one row', (op) => op.bulkInsert('Genre', { GenreId: 1, Name: 'Rock' } as never), "bulkInsert('Genre') takes its rows as an array of objects (one per row, keyed by column), not one object: write [{ GenreId: 1, Name: 'Rock' }]."],
    ['createEnum with a string', (op) => op.createEnum('mood', 'sad' as never), "createEnum('mood') takes its members as an array of strings, not a string ('sad'): write ['sad']."],
    // 'Cannot read properties of undefined (reading 'map')' before.
    [
      'createTable with an index written as its column',
      (op) => op.createTable('account', [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }], { indexes: ['email'] as never }),
      "createTable('account') takes each index as an object { columns, name?, unique?, ... }, not a string ('email'): write indexes: [{ columns: ['email'] }].",
    ],
    [
      'createTable with an index written as its columns, beside an index object',
      (op) => op.createTable('account', [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }], { indexes: [{ columns: ['id'] }, ['id', 'email']] as never }),
      "createTable('account') takes each index as an object { columns, name?, unique?, ... }, not an array (['id', 'email']): write indexes: [{ columns: ['id'] }, { columns: ['id', 'email'] }].",
    ],
    [
      'createTable with a check constraint written as its expression',
      (op) => op.createTable('account', [{ name: 'id', type: 'integer' }], { checkConstraints: ['id > 0'] as never }),
      "createTable('account') takes each check constraint as an object { expression, name? }, not a string ('id > 0'): write checkConstraints: [{ expression: 'id > 0' }].",
    ],
    [
      'createTable with a foreign key written as its column',
      (op) => op.createTable('account', [{ name: 'id', type: 'integer' }], { foreignKeys: ['id'] as never }),
      "createTable('account') takes each foreign key as an object { columns, referredTable, referredColumns, ... }, not a string ('id'): write e.g. foreignKeys: [{ columns: ['owner_id'], referredTable: 'user', referredColumns: ['id'] }].",
    ],
    // "The definition of table 'account' needs a columns array." before.
    [
      "dropTable with existing's columns keyed by name",
      (op) => op.dropTable('account', { existing: { columns: { id: { type: 'integer', primaryKey: true } } } as never }),
      "dropTable('account') takes the columns of existing as an array of { name, type, ... }, not an object keyed by name: write columns: [{ name: 'id', type: 'integer', primaryKey: true }].",
    ],
    [
      "batchAlterTable with copyFrom's columns keyed by name",
      (op) => op.batchAlterTable('account', (b) => b.dropColumn('email'), { copyFrom: { columns: { id: { type: 'integer' }, email: { type: 'text' } } } as never }),
      "batchAlterTable('account') takes the columns of copyFrom as an array of { name, type, ... }, not an object keyed by name: write columns: [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }].",
    ],
    // "(op.parameters ?? []) is not iterable" before; a string was spread into one parameter per character.
    ['execute with one parameter not in an array', (op) => op.execute('SELECT ?', 1 as never), 'execute() takes its parameters as an array, one value per placeholder, not a number (1): write [1].'],
    ['execute with a string for its parameters', (op) => op.execute('SELECT ?, ?', 'ab' as never), "execute() takes its parameters as an array, one value per placeholder, not a string ('ab'): write ['ab']."],
    ['execute with an object for its parameters', (op) => op.execute('SELECT ?', { a: 1 } as never), "execute() takes its parameters as an array, one value per placeholder, not an object: write e.g. ['USD']."],
    ['createTable with no columns at all', (op) => (op.createTable as (name: string) => Promise<void>)('account'), `createTable('account') ${COLUMNS_TAKEN}, not undefined: write e.g. [{ name: 'id', type: 'integer', primaryKey: true }].`],
  ])('%s: an OperationError saying what to write; nothing runs', async (_title, call, message) => {
    const { op, ops } = recording();
    expect(await operationError(() => call(op))).toBe(message);
    expect(ops).toEqual([]);
  });
});
