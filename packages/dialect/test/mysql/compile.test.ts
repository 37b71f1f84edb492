import { OperationError, parseColumnType, UnsupportedOperationError, type Op, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { renderMysqlType } from '../../src/mysql/mysql-type-map.js';
import { buildOps, compileOps, context, sqlOf } from './helpers.js';

const t = (s: string) => parseColumnType(s);

describe('mysql compile: exact SQL', () => {
  it('createTable: keys, column references as named FOREIGN KEYs, defaults, comments, generated columns, inline indexes, table options', async () => {
    const build = async (op: Parameters<Parameters<typeof sqlOf>[0]>[0]) =>
      op.createTable(
        'Invoice',
        [
          { name: 'InvoiceId', type: 'integer', primaryKey: true, autoincrement: true },
          { name: 'CustomerId', type: 'integer', nullable: false, references: { table: 'Customer', column: 'CustomerId', onDelete: 'cascade' } },
          { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', collation: 'utf8mb4_bin', comment: "ISO 4217 'code' \\ alpha" },
          { name: 'Total', type: 'NUMERIC(10, 2)', nullable: false, default: 0 },
          { name: 'Paid', type: 'boolean', default: false },
          { name: 'Code', type: 'nvarchar(40)', unique: true },
          { name: 'CreatedAt', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'Token', type: 'char(36)', default: { sql: 'uuid()' } },
          { name: 'Meta', type: 'json' },
          { name: 'Note', type: 'text', default: 'none' },
          { name: 'Doubled', type: 'numeric(12,2)', generated: { sql: '`Total` * 2', stored: true } },
        ],
        {
          uniqueConstraints: [['CustomerId', 'Code']],
          checkConstraints: [{ name: 'ck_total', expression: '`Total` >= 0' }],
          indexes: [{ columns: ['CustomerId'] }, { name: 'ix_code_prefix', columns: [{ sql: '`Code`(10)' }], unique: true }],
          comment: "Customers' invoices",
        },
      );
    const expected = (note: string, generatedNull: string) =>
      [
        'CREATE TABLE `Invoice` (',
        '  `InvoiceId` int NOT NULL AUTO_INCREMENT PRIMARY KEY,',
        '  `CustomerId` int NOT NULL,',
        "  `Currency` varchar(3) COLLATE utf8mb4_bin NOT NULL DEFAULT 'USD' COMMENT 'ISO 4217 ''code'' \\\\ alpha',",
        '  `Total` decimal(10,2) NOT NULL DEFAULT 0,',
        '  `Paid` tinyint(1) NULL DEFAULT 0,',
        '  `Code` varchar(40) NULL,',
        '  `CreatedAt` datetime NULL DEFAULT CURRENT_TIMESTAMP,',
        '  `Token` char(36) NULL DEFAULT (uuid()),',
        '  `Meta` json NULL,',
        `  \`Note\` text NULL DEFAULT ${note},`,
        `  \`Doubled\` decimal(12,2) GENERATED ALWAYS AS (\`Total\` * 2) STORED${generatedNull},`,
        '  CONSTRAINT `fk_Invoice_CustomerId_Customer` FOREIGN KEY (`CustomerId`) REFERENCES `Customer` (`CustomerId`) ON DELETE CASCADE,',
        '  CONSTRAINT `uq_Invoice_Code` UNIQUE (`Code`),',
        '  CONSTRAINT `uq_Invoice_CustomerId_Code` UNIQUE (`CustomerId`, `Code`),',
        '  CONSTRAINT `ck_total` CHECK (`Total` >= 0),',
        '  INDEX `ix_Invoice_CustomerId` (`CustomerId`),',
        '  UNIQUE INDEX `ix_code_prefix` (`Code`(10))',
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Customers'' invoices'",
      ].join('\n');
    // MySQL wants literal defaults of TEXT/BLOB/JSON columns in parentheses; MariaDB takes them bare.
    // MariaDB refuses NULL/NOT NULL on a generated column.
    expect(await compileOps(build, 'mysql')).toEqual([{ sql: expected("('none')", ' NULL'), parameters: [] }]);
    expect(await sqlOf(build, 'mariadb')).toEqual([expected("'none'", '')]);
  });

  it('createTable with a composite key (its columns NOT NULL, its name not written), table-level foreign keys, if not exists', async () => {
    expect(
      await sqlOf((op) =>
        op.createTable(
          'PlaylistTrack',
          [
            { name: 'PlaylistId', type: 'integer' },
            { name: 'TrackId', type: 'int unsigned' },
            { name: 'AddedAt', type: 'timestamp with time zone' },
          ],
          {
            primaryKey: { name: 'pk_pt', columns: ['PlaylistId', 'TrackId'] },
            foreignKeys: [
              { columns: ['PlaylistId'], referredTable: 'Playlist', referredColumns: ['PlaylistId'], onDelete: 'cascade', onUpdate: 'no action' },
              { name: 'fk_track', columns: ['TrackId'], referredTable: 'Track', referredSchema: 'music', referredColumns: ['TrackId'] },
            ],
            ifNotExists: true,
          },
        ),
      ),
    ).toEqual([
      [
        'CREATE TABLE IF NOT EXISTS `PlaylistTrack` (',
        '  `PlaylistId` int NOT NULL,',
        '  `TrackId` int unsigned NOT NULL,',
        '  `AddedAt` datetime NULL,',
        '  PRIMARY KEY (`PlaylistId`, `TrackId`),',
        '  CONSTRAINT `fk_PlaylistTrack_PlaylistId_Playlist` FOREIGN KEY (`PlaylistId`) REFERENCES `Playlist` (`PlaylistId`) ON DELETE CASCADE ON UPDATE NO ACTION,',
        '  CONSTRAINT `fk_track` FOREIGN KEY (`TrackId`) REFERENCES `music`.`Track` (`TrackId`)',
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
      ].join('\n'),
    ]);
  });

  it('quotes identifiers with backticks, doubling embedded ones, and qualifies databases', async () => {
    expect(await sqlOf((op) => op.renameTable('we`ird', 'new `name`'))).toEqual(['RENAME TABLE `we``ird` TO `new ``name```']);
    expect(await sqlOf((op) => op.dropTable('Invoice', { schema: 'sales', ifExists: true }))).toEqual(['DROP TABLE IF EXISTS `sales`.`Invoice`']);
    expect(mysqlDialect.quoteIdentifier('a`b')).toBe('`a``b`');
  });

  it('simple ALTERs, indexes and constraints', async () => {
    expect(
      await sqlOf(async (op) => {
        await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', comment: 'ISO' });
        await op.addColumn('Invoice', { name: 'OwnerId', type: 'integer', references: { table: 'Owner', column: 'Id', onDelete: 'set null' } });
        await op.dropColumn('Invoice', 'Currency');
        await op.renameColumn('Invoice', 'Total', 'Amount');
        await op.createIndex(null, 'Invoice', ['Amount', 'OwnerId'], { unique: true });
        await op.dropIndex('ix_x', { table: 'Invoice' });
        await op.createUniqueConstraint(null, 'Invoice', ['OwnerId']);
        await op.createCheckConstraint('ck_amount', 'Invoice', '`Amount` >= 0');
        await op.createForeignKey(null, 'Invoice', 'Customer', ['CustomerId'], ['CustomerId'], { onDelete: 'restrict', onUpdate: 'cascade' });
        await op.createPrimaryKey('pk_ignored', 'Invoice', ['InvoiceId']);
        await op.dropConstraint('uq_Invoice_OwnerId', 'Invoice', { type: 'unique' });
        await op.dropConstraint('fk_x', 'Invoice', { type: 'foreignkey' });
        await op.dropConstraint('PRIMARY', 'Invoice', { type: 'primary' });
        await op.dropConstraint('ck_amount', 'Invoice', { type: 'check' });
      }),
    ).toEqual([
      "ALTER TABLE `Invoice` ADD COLUMN `Currency` varchar(3) NOT NULL DEFAULT 'USD' COMMENT 'ISO'",
      'ALTER TABLE `Invoice` ADD COLUMN `OwnerId` int NULL, ADD CONSTRAINT `fk_Invoice_OwnerId_Owner` FOREIGN KEY (`OwnerId`) REFERENCES `Owner` (`Id`) ON DELETE SET NULL',
      'ALTER TABLE `Invoice` DROP COLUMN `Currency`',
      'ALTER TABLE `Invoice` RENAME COLUMN `Total` TO `Amount`',
      'CREATE UNIQUE INDEX `ix_Invoice_Amount_OwnerId` ON `Invoice` (`Amount`, `OwnerId`)',
      'DROP INDEX `ix_x` ON `Invoice`',
      'ALTER TABLE `Invoice` ADD CONSTRAINT `uq_Invoice_OwnerId` UNIQUE (`OwnerId`)',
      'ALTER TABLE `Invoice` ADD CONSTRAINT `ck_amount` CHECK (`Amount` >= 0)',
      'ALTER TABLE `Invoice` ADD CONSTRAINT `fk_Invoice_CustomerId_Customer` FOREIGN KEY (`CustomerId`) REFERENCES `Customer` (`CustomerId`) ON DELETE RESTRICT ON UPDATE CASCADE',
      'ALTER TABLE `Invoice` ADD PRIMARY KEY (`InvoiceId`)',
      'ALTER TABLE `Invoice` DROP INDEX `uq_Invoice_OwnerId`',
      'ALTER TABLE `Invoice` DROP FOREIGN KEY `fk_x`',
      'ALTER TABLE `Invoice` DROP PRIMARY KEY',
      'ALTER TABLE `Invoice` DROP CHECK `ck_amount`',
    ]);
  });

  it('drops a CHECK constraint per flavour: DROP CHECK on MySQL, DROP CONSTRAINT on MariaDB', async () => {
    const drop = (op: Parameters<Parameters<typeof sqlOf>[0]>[0]) => op.dropConstraint('ck_total', 'Invoice', { type: 'check' });
    expect(await sqlOf(drop, 'mysql')).toEqual(['ALTER TABLE `Invoice` DROP CHECK `ck_total`']);
    expect(await sqlOf(drop, 'mariadb')).toEqual(['ALTER TABLE `Invoice` DROP CONSTRAINT `ck_total`']);
  });

  it('alterColumn restates the whole column with MODIFY COLUMN, merging changes over existing', async () => {
    expect(
      await sqlOf(async (op) => {
        await op.alterColumn('Invoice', 'Total', { nullable: false, existing: { type: 'numeric(10,2)', default: 0, comment: 'sum' } });
        await op.alterColumn('Invoice', 'Total', { type: 'numeric(12,2)', existing: { type: 'numeric(10,2)', nullable: false, default: 0 } });
        await op.alterColumn('Invoice', 'Total', { comment: 'gross', existing: { type: 'numeric(10,2)', nullable: true } });
        await op.alterColumn('Invoice', 'Id', { type: 'bigint', existing: { nullable: false, autoincrement: true } });
        await op.alterColumn('Invoice', 'Note', { nullable: false, default: null, existing: { type: 'text', nullable: true, default: 'x' } });
        await op.alterColumn('Invoice', 'Total', { type: 'numeric(12,2)', newName: 'Amount', existing: { nullable: true, comment: 'sum' } });
      }),
    ).toEqual([
      "ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NOT NULL DEFAULT 0 COMMENT 'sum'",
      'ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(12,2) NOT NULL DEFAULT 0',
      "ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NULL COMMENT 'gross'",
      'ALTER TABLE `Invoice` MODIFY COLUMN `Id` bigint NOT NULL AUTO_INCREMENT',
      'ALTER TABLE `Invoice` MODIFY COLUMN `Note` text NOT NULL',
      "ALTER TABLE `Invoice` CHANGE COLUMN `Total` `Amount` decimal(12,2) NULL COMMENT 'sum'",
    ]);
  });

  it('alterColumn of the default or name alone uses ALTER COLUMN … SET/DROP DEFAULT and RENAME COLUMN', async () => {
    expect(
      await sqlOf(async (op) => {
        await op.alterColumn('Invoice', 'Currency', { default: 'EUR' });
        await op.alterColumn('Invoice', 'Currency', { default: null });
        await op.alterColumn('Invoice', 'Created', { default: { sql: 'CURRENT_TIMESTAMP' }, newName: 'CreatedAt' });
        await op.alterColumn('Invoice', 'Currency', { newName: 'Cur' });
      }),
    ).toEqual([
      "ALTER TABLE `Invoice` ALTER COLUMN `Currency` SET DEFAULT 'EUR'",
      'ALTER TABLE `Invoice` ALTER COLUMN `Currency` DROP DEFAULT',
      // Two statements: MariaDB refuses ALTER COLUMN and RENAME COLUMN of one column in one ALTER TABLE.
      'ALTER TABLE `Invoice` ALTER COLUMN `Created` SET DEFAULT CURRENT_TIMESTAMP',
      'ALTER TABLE `Invoice` RENAME COLUMN `Created` TO `CreatedAt`',
      'ALTER TABLE `Invoice` RENAME COLUMN `Currency` TO `Cur`',
    ]);
  });

  it('alterColumn takes the current definition from the snapshot when one is given (online), over existing', async () => {
    const snapshot: TableSnapshot = {
      name: 'Invoice',
      columns: [
        { name: 'Total', type: t('decimal(10,2)'), nullable: true, default: 0, comment: 'sum' },
        { name: 'Code', type: t('varchar(10)'), nullable: false, collation: 'utf8mb4_bin', default: 'x', unique: true },
      ],
      foreignKeys: [],
      uniqueConstraints: [],
      checkConstraints: [],
      indexes: [],
    };
    const statements = await compileOps(
      async (op) => {
        await op.alterColumn('Invoice', 'Total', { nullable: false, existing: { type: 'int' } });
        await op.alterColumn('Invoice', 'Code', { type: 'varchar(20)' });
      },
      'mysql',
      [snapshot],
    );
    expect(statements.map((s) => s.sql)).toEqual([
      "ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NOT NULL DEFAULT 0 COMMENT 'sum'",
      // The column's UNIQUE is an index of its own: a MODIFY must not add another.
      "ALTER TABLE `Invoice` MODIFY COLUMN `Code` varchar(20) COLLATE utf8mb4_bin NOT NULL DEFAULT 'x'",
    ]);
    const [alter] = await buildOps((op) => op.alterColumn('Invoice', 'Total', { nullable: false }));
    expect(mysqlDialect.requiredSnapshots(alter!)).toEqual(['Invoice']);
    const [defaultOnly] = await buildOps((op) => op.alterColumn('Invoice', 'Total', { default: 1 }));
    expect(mysqlDialect.requiredSnapshots(defaultOnly!)).toEqual([]);
  });

  it('alterColumn without the existing fields MODIFY needs says which to pass', async () => {
    await expect(sqlOf((op) => op.alterColumn('Invoice', 'Total', { nullable: false }))).rejects.toThrow(OperationError);
    await expect(sqlOf((op) => op.alterColumn('Invoice', 'Total', { nullable: false }))).rejects.toThrow(/needs its current type: pass existing: \{ type: '…' \}/);
    await expect(sqlOf((op) => op.alterColumn('Invoice', 'Total', { type: 'int' }))).rejects.toThrow(/pass existing: \{ nullable: true \} or \{ nullable: false \}/);
    await expect(sqlOf((op) => op.alterColumn('Invoice', 'Total', { comment: 'x', existing: { type: 'int' } }))).rejects.toThrow(/nullable/);
  });

  it('batchAlterTable runs its inner ops as ordinary ALTERs, in order, keeping a given snapshot current', async () => {
    const copyFrom: TableSnapshot = {
      name: 'T',
      columns: [{ name: 'a', type: t('int'), nullable: true, default: 1 }],
      foreignKeys: [],
      uniqueConstraints: [],
      checkConstraints: [],
      indexes: [],
    };
    expect(
      await sqlOf((op) =>
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
      ),
    ).toEqual([
      'ALTER TABLE `T` ADD COLUMN `b` varchar(5) NULL',
      'ALTER TABLE `T` MODIFY COLUMN `a` bigint NULL DEFAULT 1',
      'ALTER TABLE `T` MODIFY COLUMN `a` bigint NOT NULL DEFAULT 1',
      'ALTER TABLE `T` RENAME COLUMN `b` TO `c`',
      'ALTER TABLE `T` MODIFY COLUMN `c` varchar(5) NOT NULL',
      'CREATE INDEX `ix_T_c` ON `T` (`c`)',
      'ALTER TABLE `T` DROP CHECK `ck_x`',
    ]);
  });

  it('execute: one statement, parameters converted for mysql2', async () => {
    const when = new Date('2024-01-31T12:00:00.000Z');
    expect(await compileOps((op) => op.execute('UPDATE `T` SET a = ?, b = ?, c = ?, d = ? WHERE e = ?', [when, { k: [1] }, [1, 2], true, null]))).toEqual([
      { sql: 'UPDATE `T` SET a = ?, b = ?, c = ?, d = ? WHERE e = ?', parameters: ['2024-01-31 12:00:00.000', '{"k":[1]}', '[1,2]', true, null] },
    ]);
  });

  it('bulkInsert: Kysely MySQL SQL with bound parameters, grouped by key set, chunked under 65,535 parameters', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ a: i, b: `x${i}` }));
    const statements = await compileOps((op) => op.bulkInsert('T', [...rows, { a: -1 }]));
    expect(statements.map((s) => s.parameters.length)).toEqual([65_534, 80_000 - 65_534, 1]);
    expect(statements[0]!.sql.startsWith('insert into `T` (`a`, `b`) values (?, ?), (?, ?)')).toBe(true);
    expect(statements[2]).toEqual({ sql: 'insert into `T` (`a`) values (?)', parameters: [-1] });
    // Wide rows are cut by size too (mysql2 sends values inside the statement).
    const wide = Array.from({ length: 10 }, (_, i) => ({ id: i, blob: 'x'.repeat(500_000) }));
    expect((await compileOps((op) => op.bulkInsert('T', wide))).map((s) => s.parameters.length / 2)).toEqual([4, 4, 2]);
  });

  it('inlineLiteral escapes quotes and backslashes and writes MySQL literals', () => {
    expect(mysqlDialect.inlineLiteral("O'Reilly \\ Co")).toBe("'O''Reilly \\\\ Co'");
    expect(mysqlDialect.inlineLiteral(true)).toBe('1');
    expect(mysqlDialect.inlineLiteral(null)).toBe('NULL');
    expect(mysqlDialect.inlineLiteral(new Date('2024-01-31T12:00:00Z'))).toBe("'2024-01-31 12:00:00.000'");
    expect(mysqlDialect.inlineLiteral(Buffer.from([0, 255]))).toBe("X'00ff'");
    expect(mysqlDialect.inlineLiteral({ a: "it's" })).toBe(`'{"a":"it''s"}'`);
  });

  it('maps types', () => {
    const map = (s: string) => renderMysqlType(t(s));
    expect(
      ['nvarchar(40)', 'nchar(2)', 'varchar(3)', 'text', 'boolean', 'integer', 'int unsigned', 'bigserial', 'NUMERIC(10, 2)', 'real', 'double precision', 'datetime', 'datetime(3)', 'timestamp', 'timestamp(3) with time zone', 'timestamptz', 'date', 'json', 'jsonb', 'uuid', 'bytea', "enum('a','b''c')", 'tinyint(1)'].map(map),
    ).toEqual([
      'varchar(40)', 'char(2)', 'varchar(3)', 'text', 'tinyint(1)', 'int', 'int unsigned', 'bigint', 'decimal(10,2)', 'double', 'double', 'datetime', 'datetime(3)', 'timestamp', 'datetime(3)', 'datetime', 'date', 'json', 'json', 'char(36)', 'longblob', "enum('a','b''c')", 'tinyint(1)',
    ]);
    expect(() => map('text[]')).toThrow(UnsupportedOperationError);
    expect(() => map('varchar')).toThrow(/varchar\(255\)/);
  });

  it('refuses what MySQL cannot do, and dropIndex without its table', async () => {
    await expect(sqlOf((op) => op.createIndex('ix', 'T', ['a'], { where: 'a > 0' }))).rejects.toThrow(/partial index/);
    await expect(sqlOf((op) => op.createIndex('ix', 'T', ['a'], { ifNotExists: true }), 'mysql')).rejects.toBeInstanceOf(UnsupportedOperationError);
    expect(await sqlOf((op) => op.createIndex('ix', 'T', ['a'], { ifNotExists: true }), 'mariadb')).toEqual(['CREATE INDEX IF NOT EXISTS `ix` ON `T` (`a`)']);
    await expect(sqlOf((op) => op.dropIndex('ix'))).rejects.toThrow(/needs the index's table: op.dropIndex\('ix', \{ table: '…' \}\)/);
    await expect(sqlOf((op) => op.addColumn('T', { name: 'tags', type: 'text[]' }))).rejects.toBeInstanceOf(UnsupportedOperationError);
  });

  it('compiles every op kind without a connection; the flavour comes from the URL scheme offline', async () => {
    expect(mysqlDriver.dialect('mysql://u:p@h/db')).toBe(mysqlDialect);
    expect(mysqlDriver.dialect('mariadb://u:p@h/db')).toBe(mariadbDialect);
    expect(mysqlDriver.dialect()).toMatchObject({ name: 'mysql', flavour: 'mysql', capabilities: { transactionalDdl: false, maxParameters: 65_535, alterColumn: true, alterConstraints: true } });
    const ops: Op[] = await buildOps(async (op) => {
      await op.createTable('T', [{ name: 'a', type: 'int' }]);
      await op.dropTable('T');
    });
    expect(ops.flatMap((o) => mariadbDialect.compile(o, context())).length).toBe(2);
  });
});
