// batchAlterTable where no table rebuild is needed: plain ALTERs, in order (PostgreSQL and MySQL
// always; SQLite when each op is natively possible). On a real database, with rows written by
// op.execute (parameters bound) and bulkInsert. SQLite's move-and-copy rebuild:
// sqlite-batch-compile.test.ts and sqlite-batch-rebuild.test.ts.
import { OperationError, parseColumnType, type DialectConnection, type Op, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { DIALECTS, forDialect, POSTGRES, type PerDialect } from './support/dialects.js';
import { indexesOf } from './support/mysql-catalog.js';
import { buildOps, context, q, runOps, type RevisionBody } from './support/op-harness.js';
import { itCompiles, type SqlCase } from './support/sql-cases.js';

const t = (s: string) => parseColumnType(s);

/** MySQL: the table's shape as given offline, kept current through the batch's ops. */
const copyFrom: TableSnapshot = {
  name: 'T',
  columns: [{ name: 'a', type: t('int'), nullable: true, default: 1 }],
  foreignKeys: [],
  uniqueConstraints: [],
  checkConstraints: [],
  indexes: [],
};

const cases: SqlCase[] = [
  {
    name: 'the inner ops as plain ALTERs, in order (PostgreSQL and MySQL whatever recreate says)',
    ops: {
      sqlite: (op) =>
        op.batchAlterTable('Invoice', (batch) => {
          batch.addColumn({ name: 'Note', type: 'text' });
          batch.renameColumn('Total', 'Amount');
          batch.createIndex('ix_note', ['Note']);
        }),
      postgres: (op) =>
        op.batchAlterTable(
          'Invoice',
          (batch) => {
            batch.addColumn({ name: 'Flag', type: 'boolean', default: true });
            batch.alterColumn('Total', { type: 'numeric(12,2)' });
            batch.createUniqueConstraint(null, ['Flag', 'Total']);
            batch.dropConstraint('ck_old', { type: 'check' });
          },
          { recreate: 'always', schema: 's' },
        ),
      // MySQL keeps a given snapshot current, so each MODIFY restates the column as it then is.
      mysql: (op) =>
        op.batchAlterTable(
          'T',
          (batch) => {
            batch.addColumn({ name: 'b', type: 'varchar(5)' });
            batch.alterColumn('a', { type: 'bigint' });
            batch.alterColumn('a', { nullable: false });
            batch.renameColumn('b', 'c');
            batch.alterColumn('c', { nullable: false });
            batch.createIndex(null, ['c']);
            batch.dropConstraint('ck_x', { type: 'check' });
          },
          { copyFrom, recreate: 'always' },
        ),
    },
    expected: {
      sqlite: ['ALTER TABLE "Invoice" ADD COLUMN "Note" text', 'ALTER TABLE "Invoice" RENAME COLUMN "Total" TO "Amount"', 'CREATE INDEX "ix_note" ON "Invoice" ("Note")'],
      postgres: [
        'ALTER TABLE "s"."Invoice" ADD COLUMN "Flag" boolean DEFAULT true',
        'ALTER TABLE "s"."Invoice" ALTER COLUMN "Total" TYPE numeric(12,2) USING "Total"::numeric(12,2)',
        'ALTER TABLE "s"."Invoice" ADD CONSTRAINT "uq_Invoice_Flag_Total" UNIQUE ("Flag", "Total")',
        'ALTER TABLE "s"."Invoice" DROP CONSTRAINT "ck_old"',
      ],
      mysql: [
        'ALTER TABLE `T` ADD COLUMN `b` varchar(5) NULL',
        'ALTER TABLE `T` MODIFY COLUMN `a` bigint NULL DEFAULT 1',
        'ALTER TABLE `T` MODIFY COLUMN `a` bigint NOT NULL DEFAULT 1',
        'ALTER TABLE `T` RENAME COLUMN `b` TO `c`',
        'ALTER TABLE `T` MODIFY COLUMN `c` varchar(5) NOT NULL',
        'CREATE INDEX `ix_T_c` ON `T` (`c`)',
        'ALTER TABLE `T` DROP CHECK `ck_x`',
      ],
    },
  },
];

/** Per dialect: a table, rows from execute (and bulkInsert), a batch of ALTERs; then what the database holds. */
const batchOnDatabase: PerDialect<{
  readonly prepare?: (conn: DialectConnection) => Promise<void>;
  readonly ops: RevisionBody;
  readonly check: (conn: DialectConnection) => Promise<void>;
}> = {
  // STRICT and WITHOUT ROWID kept; the batch's ops are native.
  sqlite: {
    ops: async (op) => {
      await op.createTable('KV', [{ name: 'k', type: 'varchar(10)', primaryKey: true }, { name: 'v', type: 'integer' }], { strict: true, withoutRowid: true });
      await op.execute('INSERT INTO "KV" (k, v) VALUES (?, ?)', ['a', 1]);
      await op.batchAlterTable('KV', (batch) => {
        batch.addColumn({ name: 'flag', type: 'boolean', default: true });
        batch.createIndex(null, ['v']);
      });
    },
    check: async (conn) => {
      expect(await q(conn, "SELECT strict, wr FROM pragma_table_list('KV')")).toEqual([{ strict: 1, wr: 1 }]);
      expect(await q(conn, 'SELECT * FROM "KV"')).toEqual([{ k: 'a', v: 1, flag: 1 }]);
      await expect(q(conn, `INSERT INTO "KV" (k, v) VALUES ('b', 'not a number')`)).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
      expect((await q(conn, "SELECT name FROM pragma_index_list('KV') WHERE origin = 'c'")).map((r) => r.name)).toEqual(['ix_KV_v']);
    },
  },
  // Ops with a schema land in that schema; execute binds $n parameters.
  postgres: {
    prepare: async (conn) => void (await q(conn, 'CREATE SCHEMA IF NOT EXISTS "Music"')),
    ops: async (op) => {
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'text' }], { schema: 'Music' });
      await op.createTable(
        'Track',
        [
          { name: 'TrackId', type: 'integer', primaryKey: true },
          { name: 'GenreId', type: 'integer', references: 'Genre.GenreId' },
        ],
        { schema: 'Music', indexes: [{ columns: ['GenreId'] }] },
      );
      await op.execute('INSERT INTO "Music"."Genre" ("GenreId", "Name") VALUES ($1, $2), ($3, $4)', [1, 'Rock', 2, "Drum 'n' Bass"]);
      await op.bulkInsert('Track', [{ TrackId: 1, GenreId: 1 }, { TrackId: 2, GenreId: 2 }], { schema: 'Music' });
      await op.batchAlterTable(
        'Track',
        (batch) => {
          batch.addColumn({ name: 'Name', type: 'nvarchar(200)', nullable: false, default: '' });
          batch.alterColumn('GenreId', { nullable: false, default: 1 });
          batch.createCheckConstraint('ck_name', 'length("Name") < 200');
          batch.dropIndex('ix_Track_GenreId');
          batch.createIndex(null, ['Name', 'GenreId']);
        },
        { schema: 'Music' },
      );
      await op.renameTable('Track', 'Song', { schema: 'Music' });
    },
    check: async (conn) => {
      expect(await q(conn, `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = 'Music' ORDER BY table_name`)).toEqual([
        { table_schema: 'Music', table_name: 'Genre' },
        { table_schema: 'Music', table_name: 'Song' },
      ]);
      expect(await conn.introspectTable('Song')).toBeUndefined(); // not on the search_path
      expect(await conn.introspectTable('Song', 'Music')).toEqual({
        name: 'Song',
        schema: 'Music',
        columns: [
          { name: 'TrackId', type: t('integer'), nullable: false },
          { name: 'GenreId', type: t('integer'), nullable: false, default: 1 },
          { name: 'Name', type: t('varchar(200)'), nullable: false, default: '' },
        ],
        // The constraints keep the names they were given under the table's old name.
        primaryKey: { name: 'pk_Track', columns: ['TrackId'] },
        foreignKeys: [{ name: 'fk_Track_GenreId_Genre', columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'] }],
        uniqueConstraints: [],
        checkConstraints: [{ name: 'ck_name', expression: 'length("Name"::text) < 200' }],
        indexes: [{ name: 'ix_Track_Name_GenreId', columns: ['Name', 'GenreId'], unique: false }],
      });
      expect(await q(conn, 'SELECT "TrackId", "GenreId", "Name" FROM "Music"."Song" ORDER BY 1')).toEqual([
        { TrackId: 1, GenreId: 1, Name: '' },
        { TrackId: 2, GenreId: 2, Name: '' },
      ]);
    },
  },
  // Defaults for missing keys, values converted (dates, JSON, backslashes).
  mysql: {
    ops: async (op) => {
      await op.createTable('Event', [
        { name: 'Id', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Kind', type: 'varchar(10)', nullable: false, default: 'info' },
        { name: 'At', type: 'datetime(3)' },
        { name: 'Meta', type: 'json' },
        { name: 'Ok', type: 'boolean', nullable: false, default: true },
      ]);
      await op.batchAlterTable('Event', (batch) => {
        batch.addColumn({ name: 'Source', type: 'varchar(20)' });
        batch.alterColumn('Source', { nullable: false, default: 'app' });
        batch.createIndex(null, ['Kind']);
      });
      await op.execute('INSERT INTO `Event` (`Kind`, `At`, `Meta`, `Ok`) VALUES (?, ?, ?, ?)', ['warn', new Date('1947-09-19T10:20:30.456Z'), { a: [1] }, false]);
      await op.bulkInsert('Event', [{ Kind: 'x\\y' }, { Meta: ['k'], Ok: false }, {}]);
    },
    check: async (conn) => {
      expect(await q(conn, 'SELECT `Id`, `Kind`, `At`, `Meta`, `Ok`, `Source` FROM `Event` ORDER BY `Id`')).toEqual([
        { Id: 1, Kind: 'warn', At: new Date('1947-09-19T10:20:30.456Z'), Meta: { a: [1] }, Ok: 0, Source: 'app' },
        { Id: 2, Kind: 'x\\y', At: null, Meta: null, Ok: 1, Source: 'app' },
        { Id: 3, Kind: 'info', At: null, Meta: ['k'], Ok: 0, Source: 'app' },
        { Id: 4, Kind: 'info', At: null, Meta: null, Ok: 1, Source: 'app' },
      ]);
      expect(await indexesOf(conn, 'Event')).toEqual(['ix_Event_Kind(Kind)', 'unique PRIMARY(Id)']);
      // (mysql2 parses JSON columns.) MariaDB's JSON is LONGTEXT with a json_valid check.
      await expect(q(conn, "INSERT INTO `Event` (`Meta`) VALUES ('not json')")).rejects.toThrow(/CONSTRAINT `Event.Meta` failed/);
    },
  },
};

for (const d of DIALECTS) {
  describe(`${d.name}: batchAlterTable without a rebuild`, () => {
    itCompiles(d, cases);

    d.describeOnDatabase('on a real database', () => {
      const database = d.useDatabase('batch');

      it('runs the batch’s ALTERs after rows written by execute (parameters bound) and bulkInsert', async () => {
        const conn = await database.connect();
        const { prepare, ops, check } = forDialect(d, batchOnDatabase);
        await prepare?.(conn);
        await runOps(conn, ops);
        await check(conn);
      });

      it('createIndex with ifNotExists leaves an index of that name as it is and creates the others (also in a rebuild)', async () => {
        const conn = await database.connect();
        const names = async () => ((await conn.introspectTable('Ix'))?.indexes ?? []).map((ix) => `${ix.name}(${ix.columns.join(',')})`).sort();
        await runOps(conn, async (op) => {
          await op.createTable('Ix', [
            { name: 'id', type: 'integer', primaryKey: true },
            { name: 'a', type: 'integer' },
            { name: 'b', type: 'integer' },
          ]);
          await op.createIndex('ix_a', 'Ix', ['a']);
          await op.batchAlterTable('Ix', (batch) => void batch.createIndex('ix_a', ['b'], { ifNotExists: true }).createIndex('ix_b', ['b'], { ifNotExists: true }));
        });
        expect(await names()).toEqual(['ix_a(a)', 'ix_b(b)']);
        if (d.name !== 'sqlite') return;
        // SQLite's move-and-copy keeps the index it finds on the table.
        await runOps(conn, (op) => op.batchAlterTable('Ix', (batch) => void batch.createIndex('ix_b', ['a'], { ifNotExists: true }).createIndex('ix_ab', ['a', 'b'], { ifNotExists: true }), { recreate: 'always' }));
        expect(await names()).toEqual(['ix_a(a)', 'ix_ab(a,b)', 'ix_b(b)']);
        await runOps(conn, (op) => op.batchAlterTable('Ix', (batch) => void batch.dropIndex('ix_nope', { ifExists: true }).dropIndex('ix_ab', { ifExists: true }), { recreate: 'always' }));
        expect(await names()).toEqual(['ix_a(a)', 'ix_b(b)']);
      });

      it('dropIndex with ifExists: no error for an index that is not there, and drops one that is (top level and in a batch)', async () => {
        const conn = await database.connect();
        const names = async () => ((await conn.introspectTable('Dx'))?.indexes ?? []).map((ix) => ix.name).sort();
        await runOps(conn, async (op) => {
          await op.createTable('Dx', [
            { name: 'id', type: 'integer', primaryKey: true },
            { name: 'a', type: 'integer' },
          ]);
          await op.createIndex('dx_a', 'Dx', ['a']);
          await op.createIndex('dx_a2', 'Dx', ['a', 'id']);
          await op.dropIndex('dx_nope', { table: 'Dx', ifExists: true });
        });
        expect(await names()).toEqual(['dx_a', 'dx_a2']);
        await runOps(conn, (op) => op.dropIndex('dx_a', { table: 'Dx', ifExists: true }));
        expect(await names()).toEqual(['dx_a2']);
        await runOps(conn, (op) => op.batchAlterTable('Dx', (batch) => void batch.dropIndex('dx_nope', { ifExists: true }).dropIndex('dx_a2', { ifExists: true })));
        expect(await names()).toEqual([]);
        await expect(runOps(conn, (op) => op.dropIndex('dx_nope', { table: 'Dx' }))).rejects.toThrow();
      });
    });
  });
}

describe('dropIndex with ifExists on MySQL', () => {
  it('is refused: MySQL has no DROP INDEX IF EXISTS (MariaDB has)', async () => {
    const mysql = DIALECTS.find((d) => d.name === 'mysql')!;
    const flavours = new Map(mysql.flavours);
    const [drop] = await buildOps(flavours.get('mysql')!, (op) => op.dropIndex('ix_a', { table: 'T', ifExists: true }));
    expect(() => flavours.get('mysql')!.compile(drop!, context())).toThrow(/MySQL has no DROP INDEX IF EXISTS \(MariaDB has\); drop ifExists\./);
    // (Without the table's shape, the statement notes that it takes no foreign key to need the index.)
    expect(flavours.get('mariadb')!.compile(drop!, context())).toEqual([{ sql: 'DROP INDEX IF EXISTS `ix_a` ON `T`', parameters: [], note: expect.stringMatching(/taken that no foreign key needs index `ix_a`/) }]);
  });
});

describe('postgres: batchAlterTable', () => {
  it('refuses an inner op on another table', async () => {
    const [batch] = await buildOps(POSTGRES.dialect, (op) => op.batchAlterTable('A', (b) => void b.dropColumn('x')));
    const foreign = { ...(batch as Extract<Op, { kind: 'BatchAlterTable' }>), ops: [{ kind: 'DropColumn' as const, table: 'B', column: 'x' }] };
    expect(() => POSTGRES.dialect.compile(foreign, context())).toThrow(OperationError);
  });
});
