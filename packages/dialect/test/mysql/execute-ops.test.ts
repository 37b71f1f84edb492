import { expect, it } from 'vitest';
import { buildOps, columnsOf, context, q, runOps } from './helpers.js';
import { describeMysql, useTestDatabase } from './server.js';

const constraintsOf = async (conn: Parameters<typeof q>[0], table: string) =>
  (
    await q(
      conn,
      'SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY CONSTRAINT_TYPE, CONSTRAINT_NAME',
      table,
    )
  ).map((r) => `${r.type} ${r.name}`);

const indexesOf = async (conn: Parameters<typeof q>[0], table: string) =>
  (
    await q(
      conn,
      `SELECT INDEX_NAME AS name, MAX(NON_UNIQUE) AS nonUnique, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? GROUP BY INDEX_NAME ORDER BY INDEX_NAME`,
      table,
    )
  ).map((r) => `${Number(r.nonUnique) ? '' : 'unique '}${r.name}(${r.cols})`);

describeMysql('mysql ops executed on the real server', () => {
  const database = useTestDatabase('ops');

  it('createTable: columns, keys, foreign keys with actions, checks, indexes, comments, AUTO_INCREMENT', async () => {
    const conn = await database.connect();
    await runOps(conn, async (op) => {
      await op.createTable('Artist', [
        { name: 'ArtistId', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'Name', type: 'nvarchar(120)', comment: "the artist's name" },
      ], { comment: 'Artists' });
      await op.createTable(
        'Album',
        [
          { name: 'AlbumId', type: 'integer', primaryKey: true, autoincrement: true },
          { name: 'Title', type: 'nvarchar(160)', nullable: false },
          { name: 'ArtistId', type: 'integer', nullable: false, references: { table: 'Artist', column: 'ArtistId', onDelete: 'cascade' } },
          { name: 'Price', type: 'numeric(10,2)', default: 0.99 },
          { name: 'Released', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'Live', type: 'boolean', nullable: false, default: false },
        ],
        { indexes: [{ columns: ['Title'] }], checkConstraints: [{ name: 'ck_price', expression: '`Price` >= 0' }] },
      );
    });
    expect(await columnsOf(conn, 'Album')).toEqual([
      { name: 'AlbumId', type: 'int(11)', nullable: 'NO', dflt: null, extra: 'auto_increment', comment: '' },
      { name: 'Title', type: 'varchar(160)', nullable: 'NO', dflt: null, extra: '', comment: '' },
      { name: 'ArtistId', type: 'int(11)', nullable: 'NO', dflt: null, extra: '', comment: '' },
      { name: 'Price', type: 'decimal(10,2)', nullable: 'YES', dflt: '0.99', extra: '', comment: '' },
      { name: 'Released', type: 'datetime', nullable: 'YES', dflt: 'current_timestamp()', extra: '', comment: '' },
      { name: 'Live', type: 'tinyint(1)', nullable: 'NO', dflt: '0', extra: '', comment: '' },
    ]);
    expect((await columnsOf(conn, 'Artist'))[1]).toMatchObject({ name: 'Name', comment: "the artist's name" });
    expect(await q(conn, "SELECT TABLE_COMMENT AS c, ENGINE AS e, TABLE_COLLATION AS coll FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Artist'")).toEqual([
      { c: 'Artists', e: 'InnoDB', coll: expect.stringMatching(/^utf8mb4_/) },
    ]);
    expect(await constraintsOf(conn, 'Album')).toEqual(['CHECK ck_price', 'FOREIGN KEY fk_Album_ArtistId_Artist', 'PRIMARY KEY PRIMARY']);
    expect(await q(conn, "SELECT DELETE_RULE AS d, REFERENCED_TABLE_NAME AS r FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'Album'")).toEqual([
      { d: 'CASCADE', r: 'Artist' },
    ]);
    expect(await indexesOf(conn, 'Album')).toEqual(['fk_Album_ArtistId_Artist(ArtistId)', 'ix_Album_Title(Title)', 'unique PRIMARY(AlbumId)']);
    await q(conn, "INSERT INTO `Artist` (`Name`) VALUES ('AC/DC')");
    await expect(q(conn, "INSERT INTO `Album` (`Title`, `ArtistId`, `Price`) VALUES ('x', 1, -1)")).rejects.toThrow(/ck_price/);
    await expect(q(conn, "INSERT INTO `Album` (`Title`, `ArtistId`) VALUES ('x', 99)")).rejects.toThrow(/foreign key constraint fails/);
    await q(conn, "INSERT INTO `Album` (`Title`, `ArtistId`) VALUES ('Back in Black', 1)");
    await q(conn, 'DELETE FROM `Artist`');
    expect(await q(conn, 'SELECT COUNT(*) AS n FROM `Album`')).toEqual([{ n: 0 }]); // ON DELETE CASCADE
  });

  it('column ops: add (with a reference), rename, alter (default, type, nullability, comment), drop', async () => {
    const conn = await database.connect();
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
    const [alter] = await buildOps((op) => op.alterColumn('Invoice', 'Currency', { type: 'varchar(5)', existing: { nullable: false, comment: 'ISO 4217' } }));
    const statements = conn.dialect.compile(alter!, context());
    expect(statements.map((s) => s.sql)).toEqual(["ALTER TABLE `Invoice` MODIFY COLUMN `Currency` varchar(5) NOT NULL COMMENT 'ISO 4217'"]);
    for (const s of statements) await conn.execute(s);
    expect((await columnsOf(conn, 'Invoice'))[2]).toEqual({ name: 'Currency', type: 'varchar(5)', nullable: 'NO', dflt: null, extra: '', comment: 'ISO 4217' });

    await runOps(conn, (op) => op.alterColumn('Invoice', 'Currency', { default: null }));
    await expect(q(conn, 'INSERT INTO `Invoice` (`InvoiceId`) VALUES (1)')).rejects.toThrow(/Currency.*doesn't have a default value/);
  });

  it('alterColumn of a default with a rename, expression defaults; a renamed JSON column still reads as json', async () => {
    const conn = await database.connect();
    await runOps(conn, async (op) => {
      await op.createTable('Doc', [
        { name: 'Id', type: 'integer', primaryKey: true },
        { name: 'Created', type: 'datetime' },
        { name: 'Token', type: 'char(36)' },
        { name: 'Body', type: 'json' },
      ]);
      await op.alterColumn('Doc', 'Created', { default: { sql: 'CURRENT_TIMESTAMP' }, newName: 'CreatedAt' });
      await op.alterColumn('Doc', 'Token', { default: { sql: 'uuid()' } });
      await op.renameColumn('Doc', 'Body', 'Content');
    });
    const snapshot = await conn.introspectTable('Doc');
    expect(snapshot!.columns.map((c) => [c.name, c.type.name, c.default])).toEqual([
      ['Id', 'int', undefined],
      ['CreatedAt', 'datetime', { sql: 'current_timestamp()' }],
      ['Token', 'char', { sql: 'uuid()' }],
      ['Content', 'json', undefined],
    ]);
    expect(snapshot!.checkConstraints).toEqual([]);
    await q(conn, 'INSERT INTO `Doc` (`Id`) VALUES (1)');
    expect(await q(conn, 'SELECT `CreatedAt` IS NOT NULL AS c, CHAR_LENGTH(`Token`) AS t FROM `Doc`')).toEqual([{ c: 1, t: 36 }]);
  });

  it('indexes and constraints: create and drop each kind, rename and drop tables', async () => {
    const conn = await database.connect();
    await runOps(conn, async (op) => {
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
    });
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

    await runOps(conn, async (op) => {
      await op.dropIndex('ix_Sale_Code_Amount', { table: 'Sale' });
      await op.dropIndex('ix_code_unique', { table: 'Sale' });
      await op.dropConstraint('ck_amount', 'Sale', { type: 'check' });
      await op.dropConstraint('fk_Sale_CustomerId_Customer', 'Sale', { type: 'foreignkey' });
      await op.dropConstraint('uq_Sale_CustomerId_Code', 'Sale', { type: 'unique' });
      await op.dropConstraint('PRIMARY', 'Sale', { type: 'primary' });
    });
    expect(await constraintsOf(conn, 'Sale')).toEqual([]);
    // The foreign key used the unique index (CustomerId, Code), so InnoDB made no index of its own.
    expect(await indexesOf(conn, 'Sale')).toEqual([]);
    await q(conn, 'INSERT INTO `Sale` (`SaleId`, `CustomerId`, `Amount`) VALUES (1, 99, -5)');

    await runOps(conn, async (op) => {
      await op.renameTable('Sale', 'Purchase');
      await op.dropTable('Customer');
      await op.dropTable('Nothing', { ifExists: true });
    });
    expect((await q(conn, 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?, ?) ORDER BY 1', 'Sale', 'Purchase', 'Customer')).map((r) => r.t)).toEqual(['Purchase']);
    expect(await q(conn, 'SELECT `SaleId`, `Amount` FROM `Purchase`')).toEqual([{ SaleId: 1, Amount: '-5.00' }]);
  });

  it('batchAlterTable, execute with parameters, bulkInsert with defaults and converted values', async () => {
    const conn = await database.connect();
    await runOps(conn, async (op) => {
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
    });
    expect(await q(conn, 'SELECT `Id`, `Kind`, `At`, `Meta`, `Ok`, `Source` FROM `Event` ORDER BY `Id`')).toEqual([
      { Id: 1, Kind: 'warn', At: new Date('1947-09-19T10:20:30.456Z'), Meta: { a: [1] }, Ok: 0, Source: 'app' },
      { Id: 2, Kind: 'x\\y', At: null, Meta: null, Ok: 1, Source: 'app' },
      { Id: 3, Kind: 'info', At: null, Meta: ['k'], Ok: 0, Source: 'app' },
      { Id: 4, Kind: 'info', At: null, Meta: null, Ok: 1, Source: 'app' },
    ]);
    expect(await indexesOf(conn, 'Event')).toEqual(['ix_Event_Kind(Kind)', 'unique PRIMARY(Id)']);
    // (mysql2 parses JSON columns.) MariaDB's JSON is LONGTEXT with a json_valid check.
    await expect(q(conn, "INSERT INTO `Event` (`Meta`) VALUES ('not json')")).rejects.toThrow(/CONSTRAINT `Event.Meta` failed/);
  });
});
