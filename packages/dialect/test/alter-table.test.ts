// ALTERs run on a real database of each dialect, checked in its catalog (or by introspection): add,
// alter, rename and drop columns and indexes; create and drop constraints and keys; rename and
// drop tables. Each test has a database of its own; on SQLite and PostgreSQL it starts from the
// tables create-table.test.ts checks, and replays the ops of the tests before it (without their
// checks). The SQL of each op: add-column, alter-column, drop-column, rename, indexes,
// constraints, drop-table.
import { parseColumnType, type DialectConnection } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { CREATE_ARTIST_AND_ALBUM } from './support/album-tables.js';
import { DIALECTS, type PerDialect } from './support/dialects.js';
import { columnsOf, constraintsOf, indexesOf } from './support/mysql-catalog.js';
import { buildOps, context, q, runOps, type RevisionBody } from './support/op-harness.js';

const t = (s: string) => parseColumnType(s);

/** One step of a test on a database: ops to run, or checks of what they did. */
type Step = (conn: DialectConnection) => Promise<void>;

/** A step that runs a revision body's ops. */
const apply =
  (body: RevisionBody): Step =>
  (conn) =>
    runOps(conn, body);

// ---------------------------------------------------------------------------------------------
// SQLite: Artist and Album (create-table.test.ts)

const sqliteAlters: RevisionBody = async (op) => {
  await op.addColumn('Album', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
  await op.addColumn('Album', { name: 'Note', type: 'text' });
  await op.renameColumn('Album', 'Title', 'Name');
  await op.alterColumn('Album', 'Name', { newName: 'Title' });
  await op.createIndex('ix_title', 'Album', ['Title'], { unique: true, where: '"Price" > 0' });
  await op.dropColumn('Album', 'Note');
  await op.renameTable('Album', 'Record');
  await op.dropIndex('ix_Album_ArtistId');
};

const sqliteAltered: Step = async (conn) => {
  expect((await q(conn, "SELECT name, dflt_value FROM pragma_table_xinfo('Record')")).map((r) => [r.name, r.dflt_value])).toEqual([
    ['AlbumId', null],
    ['Title', null],
    ['ArtistId', null],
    ['Price', '0.99'],
    ['Currency', "'USD'"],
  ]);
  expect(await q(conn, "SELECT name, \"unique\", partial FROM pragma_index_list('Record') WHERE origin = 'c'")).toEqual([
    { name: 'ix_title', unique: 1, partial: 1 },
  ]);
  // The rename followed the foreign key; AUTOINCREMENT created sqlite_sequence.
  expect((await q(conn, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name)).toEqual([
    'Artist',
    'Record',
    'sqlite_sequence',
  ]);
};

const sqliteDrops: RevisionBody = async (op) => {
  await op.dropTable('Record');
  await op.dropTable('Nothing', { ifExists: true });
};

const sqliteDropped: Step = async (conn) => {
  expect(await q(conn, "SELECT name FROM sqlite_master WHERE name = 'Record'")).toEqual([]);
};

// ---------------------------------------------------------------------------------------------
// PostgreSQL: Artist and Album (create-table.test.ts)

const postgresAlters: RevisionBody = async (op) => {
  await op.addColumn('Album', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', comment: 'ISO' });
  await op.addColumn('Album', { name: 'Note', type: 'text' });
  await op.addColumn('Album', { name: 'Code', type: 'varchar(10)' });
  await op.alterColumn('Album', 'Price', { type: 'numeric(12,3)', nullable: false, default: 1, comment: 'gross' });
  await op.alterColumn('Album', 'Note', { type: 'varchar(50)', default: "it's", newName: 'Remark' });
  await op.renameColumn('Album', 'Title', 'Name');
  await op.alterColumn('Album', 'Name', { newName: 'Title', comment: null });
  await op.createIndex('ix_title', 'Album', ['Title'], { unique: true, where: '"Price" > 0' });
  await op.createUniqueConstraint(null, 'Album', ['Code']);
  await op.createCheckConstraint('ck_currency', 'Album', 'length("Currency") = 3');
  await op.dropConstraint('ck_price', 'Album', { type: 'check' });
  await op.dropColumn('Album', 'Cover');
  await op.dropIndex('ix_Album_ArtistId');
  await op.renameTable('Album', 'Record');
};

const postgresAltered: Step = async (conn) => {
  expect(await conn.introspectTable('Record')).toEqual({
    name: 'Record',
    columns: [
      { name: 'AlbumId', type: t('integer'), nullable: false },
      { name: 'Title', type: t('varchar(160)'), nullable: false },
      { name: 'ArtistId', type: t('integer'), nullable: false },
      { name: 'Price', type: t('numeric(12,3)'), nullable: false, default: 1, comment: 'gross' },
      { name: 'Released', type: t('timestamp'), nullable: true, default: { sql: 'CURRENT_TIMESTAMP' } },
      { name: 'Currency', type: t('varchar(3)'), nullable: false, default: 'USD', comment: 'ISO' },
      { name: 'Remark', type: t('varchar(50)'), nullable: true, default: "it's" },
      { name: 'Code', type: t('varchar(10)'), nullable: true },
    ],
    // Renaming the table keeps the constraint names given under the old name.
    primaryKey: { name: 'pk_Album', columns: ['AlbumId'] },
    foreignKeys: [{ name: 'fk_Album_ArtistId_Artist', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'], onDelete: 'cascade' }],
    uniqueConstraints: [{ name: 'uq_Album_Code', columns: ['Code'] }],
    checkConstraints: [{ name: 'ck_currency', expression: 'length("Currency"::text) = 3' }],
    indexes: [{ name: 'ix_title', columns: ['Title'], unique: true, where: '"Price" > 0::numeric' }],
    comment: 'Records',
  });
};

const postgresConstraints: RevisionBody = async (op) => {
  await op.dropConstraint('uq_Album_Code', 'Record', { type: 'unique' });
  await op.dropConstraint('fk_Album_ArtistId_Artist', 'Record', { type: 'foreignkey' });
  await op.dropConstraint('pk_Album', 'Record', { type: 'primary' });
  await op.createPrimaryKey('pk_Record', 'Record', ['AlbumId', 'ArtistId']);
  await op.createForeignKey(null, 'Record', 'Artist', ['ArtistId'], ['ArtistId'], { onDelete: 'set null', onUpdate: 'restrict' });
};

const postgresConstrained: Step = async (conn) => {
  const record = await conn.introspectTable('Record');
  expect(record).toMatchObject({ primaryKey: { name: 'pk_Record', columns: ['AlbumId', 'ArtistId'] }, foreignKeys: [], uniqueConstraints: [] });
  // A single-column foreign key named by the convention reads back on its column (the naming rule).
  expect(record?.columns.find((c) => c.name === 'ArtistId')?.references).toEqual({ table: 'Artist', column: 'ArtistId', onDelete: 'set null', onUpdate: 'restrict' });
};

const postgresDrops: RevisionBody = async (op) => {
  await op.dropTable('Record');
  await op.dropTable('Nothing', { ifExists: true });
};

const postgresDropped: Step = async (conn) => {
  expect(await conn.introspectTable('Record')).toBeUndefined();
  expect(await q(conn, `SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('Record', 'Album')`)).toEqual([{ n: 0 }]);
};

// ---------------------------------------------------------------------------------------------
// MySQL: tables of its own

/** Add (with a reference), rename, alter (default, type, nullability, comment), drop; MODIFY online and offline. */
const mysqlColumns: Step = async (conn) => {
  await runOps(conn, async (op) => {
    await op.createTable('Owner', [{ name: 'Id', type: 'integer', primaryKey: true }]);
    await op.createTable('Invoice', [
      { name: 'InvoiceId', type: 'integer', primaryKey: true },
      { name: 'Total', type: 'numeric(10,2)', default: 0, comment: 'gross' },
    ]);
    await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
    await op.addColumn('Invoice', { name: 'OwnerId', type: 'integer', references: { table: 'Owner', column: 'Id', onDelete: 'set null' } });
    await op.addColumn('Invoice', { name: 'Note', type: 'text' });
    await op.renameColumn('Invoice', 'Note', 'Remark');
    await op.alterColumn('Invoice', 'Currency', { default: 'EUR' });
    // Online, MODIFY restates what the database holds: the default and comment of Total survive.
    await op.alterColumn('Invoice', 'Total', { nullable: false });
    await op.alterColumn('Invoice', 'Total', { type: 'numeric(12,2)', newName: 'Amount' });
    await op.dropColumn('Invoice', 'Remark');
  });
  expect(await columnsOf(conn, 'Invoice')).toEqual([
    { name: 'InvoiceId', type: 'int(11)', nullable: 'NO', dflt: null, extra: '', comment: '' },
    { name: 'Amount', type: 'decimal(12,2)', nullable: 'NO', dflt: '0.00', extra: '', comment: 'gross' },
    { name: 'Currency', type: 'varchar(3)', nullable: 'NO', dflt: "'EUR'", extra: '', comment: '' },
    { name: 'OwnerId', type: 'int(11)', nullable: 'YES', dflt: 'NULL', extra: '', comment: '' },
  ]);
  expect(await constraintsOf(conn, 'Invoice')).toEqual(['FOREIGN KEY fk_Invoice_OwnerId_Owner', 'PRIMARY KEY PRIMARY']);

  // Offline (no snapshot), MODIFY is built from `existing` alone: what it does not say is dropped.
  const [alter] = await buildOps(conn.dialect, (op) => op.alterColumn('Invoice', 'Currency', { type: 'varchar(5)', existing: { nullable: false, comment: 'ISO 4217' } }));
  const statements = conn.dialect.compile(alter!, context());
  expect(statements.map((s) => s.sql)).toEqual(["ALTER TABLE `Invoice` MODIFY COLUMN `Currency` varchar(5) NOT NULL COMMENT 'ISO 4217'"]);
  for (const s of statements) await conn.execute(s);
  expect((await columnsOf(conn, 'Invoice'))[2]).toEqual({ name: 'Currency', type: 'varchar(5)', nullable: 'NO', dflt: null, extra: '', comment: 'ISO 4217' });

  await runOps(conn, (op) => op.alterColumn('Invoice', 'Currency', { default: null }));
  await expect(q(conn, 'INSERT INTO `Invoice` (`InvoiceId`) VALUES (1)')).rejects.toThrow(/Currency.*doesn't have a default value/);
};

const mysqlConstraints: RevisionBody = async (op) => {
  await op.createTable('Customer', [{ name: 'CustomerId', type: 'integer', primaryKey: true }]);
  await op.createTable('Sale', [
    { name: 'SaleId', type: 'integer', nullable: false },
    { name: 'CustomerId', type: 'integer' },
    { name: 'Code', type: 'varchar(20)' },
    { name: 'Amount', type: 'numeric(10,2)' },
  ]);
  await op.createPrimaryKey(null, 'Sale', ['SaleId']);
  await op.createIndex(null, 'Sale', ['Code', 'Amount']);
  await op.createIndex('ix_code_unique', 'Sale', ['Code'], { unique: true });
  await op.createUniqueConstraint(null, 'Sale', ['CustomerId', 'Code']);
  await op.createCheckConstraint('ck_amount', 'Sale', '`Amount` >= 0');
  await op.createForeignKey(null, 'Sale', 'Customer', ['CustomerId'], ['CustomerId'], { onDelete: 'cascade' });
};

const mysqlConstrained: Step = async (conn) => {
  expect(await constraintsOf(conn, 'Sale')).toEqual([
    'CHECK ck_amount',
    'FOREIGN KEY fk_Sale_CustomerId_Customer',
    'PRIMARY KEY PRIMARY',
    'UNIQUE ix_code_unique',
    'UNIQUE uq_Sale_CustomerId_Code',
  ]);
  expect(await indexesOf(conn, 'Sale')).toEqual([
    'unique ix_code_unique(Code)',
    'ix_Sale_Code_Amount(Code,Amount)',
    'unique PRIMARY(SaleId)',
    'unique uq_Sale_CustomerId_Code(CustomerId,Code)',
  ]);
  await expect(q(conn, 'INSERT INTO `Sale` (`SaleId`, `Amount`) VALUES (1, -5)')).rejects.toThrow(/ck_amount/);
};

const mysqlDropConstraints: RevisionBody = async (op) => {
  await op.dropIndex('ix_Sale_Code_Amount', { table: 'Sale' });
  await op.dropIndex('ix_code_unique', { table: 'Sale' });
  await op.dropConstraint('ck_amount', 'Sale', { type: 'check' });
  await op.dropConstraint('fk_Sale_CustomerId_Customer', 'Sale', { type: 'foreignkey' });
  await op.dropConstraint('uq_Sale_CustomerId_Code', 'Sale', { type: 'unique' });
  await op.dropConstraint('PRIMARY', 'Sale', { type: 'primary' });
};

const mysqlUnconstrained: Step = async (conn) => {
  expect(await constraintsOf(conn, 'Sale')).toEqual([]);
  // The foreign key used the unique index (CustomerId, Code), so InnoDB made no index of its own.
  expect(await indexesOf(conn, 'Sale')).toEqual([]);
};

/** A row that every dropped constraint would have refused. */
const mysqlBreakingRow: Step = async (conn) => {
  await q(conn, 'INSERT INTO `Sale` (`SaleId`, `CustomerId`, `Amount`) VALUES (1, 99, -5)');
};

const mysqlTables: RevisionBody = async (op) => {
  await op.renameTable('Sale', 'Purchase');
  await op.dropTable('Customer');
  await op.dropTable('Nothing', { ifExists: true });
};

const mysqlTablesChanged: Step = async (conn) => {
  expect((await q(conn, 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?, ?) ORDER BY 1', 'Sale', 'Purchase', 'Customer')).map((r) => r.t)).toEqual(['Purchase']);
  expect(await q(conn, 'SELECT `SaleId`, `Amount` FROM `Purchase`')).toEqual([{ SaleId: 1, Amount: '-5.00' }]);
};

// ---------------------------------------------------------------------------------------------

/** The tests: a title, and per dialect the steps it takes on a fresh database. */
const tests: readonly (readonly [string, PerDialect<readonly Step[]>])[] = [
  [
    'adds, alters, renames and drops columns and indexes (PostgreSQL: constraints too), renames the table',
    {
      sqlite: [apply(CREATE_ARTIST_AND_ALBUM.sqlite!), apply(sqliteAlters), sqliteAltered],
      postgres: [apply(CREATE_ARTIST_AND_ALBUM.postgres!), apply(postgresAlters), postgresAltered],
      mysql: [mysqlColumns],
    },
  ],
  [
    'drops and creates unique, check, foreign key and primary key constraints and indexes',
    {
      postgres: [apply(CREATE_ARTIST_AND_ALBUM.postgres!), apply(postgresAlters), apply(postgresConstraints), postgresConstrained],
      mysql: [apply(mysqlConstraints), mysqlConstrained, apply(mysqlDropConstraints), mysqlUnconstrained, mysqlBreakingRow],
    },
  ],
  [
    'renames and drops tables (IF EXISTS: one that is not there)',
    {
      sqlite: [apply(CREATE_ARTIST_AND_ALBUM.sqlite!), apply(sqliteAlters), apply(sqliteDrops), sqliteDropped],
      postgres: [apply(CREATE_ARTIST_AND_ALBUM.postgres!), apply(postgresAlters), apply(postgresConstraints), apply(postgresDrops), postgresDropped],
      mysql: [apply(mysqlConstraints), apply(mysqlDropConstraints), mysqlBreakingRow, apply(mysqlTables), mysqlTablesChanged],
    },
  ],
];

for (const d of DIALECTS) {
  describe(`${d.name}: ALTERs on a real database`, () => {
    tests.forEach(([title, perDialect], i) => {
      const steps = perDialect[d.name];
      if (!steps) return;
      d.describeOnDatabase(`test ${i + 1}, on a database of its own`, () => {
        const database = d.useDatabase(`alter_table_${i + 1}`);
        it(title, async () => {
          const conn = await database.connect();
          for (const step of steps) await step(conn);
        });
      });
    });
  });
}
