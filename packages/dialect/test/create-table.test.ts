// createTable: the exact SQL of each dialect (columns, keys, foreign keys, defaults, collations,
// generated columns, comments, table options, indexes), and the tables it makes on a real database.
import type { DialectConnection } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { CREATE_ARTIST_AND_ALBUM } from './support/album-tables.js';
import { DIALECTS, forDialect, type PerDialect } from './support/dialects.js';
import { columnsOf, constraintsOf, indexesOf } from './support/mysql-catalog.js';
import { q, runOps, type RevisionBody } from './support/op-harness.js';
import { itCompiles, type SqlCase } from './support/sql-cases.js';

const invoiceMysql: RevisionBody = (op) =>
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
/** MariaDB refuses NULL/NOT NULL on a generated column: `generatedNull` is ' NULL' on MySQL, '' on MariaDB. */
const invoiceMysqlSql = (note: string, generatedNull: string) =>
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

const cases: SqlCase[] = [
  {
    // SQLite: AUTOINCREMENT keys, COLLATE, VIRTUAL generated columns; comments are ignored.
    // PostgreSQL: identity columns, types of other databases mapped, comments as COMMENT ON.
    // MySQL: column references as named FOREIGN KEYs, inline indexes, table options; MySQL wants
    // literal defaults of TEXT/BLOB/JSON columns in parentheses, MariaDB takes them bare.
    name: 'a table with column constraints, table constraints, defaults, generated columns, comments and indexes',
    ops: {
      sqlite: (op) =>
        op.createTable(
          'Invoice',
          [
            { name: 'InvoiceId', type: 'integer', primaryKey: true, autoincrement: true },
            { name: 'CustomerId', type: 'integer', nullable: false, references: { table: 'Customer', column: 'CustomerId', onDelete: 'cascade' } },
            { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', collation: 'NOCASE' },
            { name: 'Total', type: 'NUMERIC(10, 2)', nullable: false, default: 0, comment: 'ignored on SQLite' },
            { name: 'Paid', type: 'boolean', default: false },
            { name: 'Code', type: 'nvarchar(40)', unique: true },
            { name: 'CreatedAt', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
            { name: 'Day', type: 'text', default: { sql: "date('now')" } },
            { name: 'Doubled', type: 'numeric', generated: { sql: '"Total" * 2', stored: false } },
          ],
          {
            uniqueConstraints: [['CustomerId', 'Code']],
            checkConstraints: [{ name: 'positive', expression: '"Total" >= 0' }],
            indexes: [{ columns: ['CustomerId'] }, { name: 'ix_open', columns: ['Paid'], where: '"Paid" = 0', unique: false }],
          },
        ),
      postgres: (op) =>
        op.createTable(
          'Invoice',
          [
            { name: 'InvoiceId', type: 'integer', primaryKey: true, autoincrement: true },
            { name: 'CustomerId', type: 'integer', nullable: false, references: { table: 'Customer', column: 'CustomerId', onDelete: 'cascade' } },
            { name: 'Currency', type: 'nvarchar(3)', nullable: false, default: 'USD', collation: 'C', comment: "ISO 4217 'code'" },
            { name: 'Total', type: 'NUMERIC(10, 2)', nullable: false, default: 0 },
            { name: 'Paid', type: 'tinyint(1)', default: false },
            { name: 'CreatedAt', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
            { name: 'Doubled', type: 'numeric', generated: { sql: '"Total" * 2', stored: true } },
            { name: 'Code', type: 'varchar(10)', unique: true },
          ],
          {
            comment: 'Bills',
            uniqueConstraints: [['CustomerId', 'Currency']],
            checkConstraints: [{ name: 'positive', expression: '"Total" >= 0' }],
            indexes: [{ columns: ['CustomerId'] }, { name: 'ix_open', columns: ['Paid'], where: '"Paid" = false' }],
          },
        ),
      mysql: invoiceMysql,
    },
    expected: {
      sqlite: [
        {
          sql: [
            'CREATE TABLE "Invoice" (',
            '  "InvoiceId" integer NOT NULL CONSTRAINT "pk_Invoice" PRIMARY KEY AUTOINCREMENT,',
            '  "CustomerId" integer NOT NULL CONSTRAINT "fk_Invoice_CustomerId_Customer" REFERENCES "Customer" ("CustomerId") ON DELETE CASCADE,',
            `  "Currency" varchar(3) NOT NULL DEFAULT 'USD' COLLATE NOCASE,`,
            '  "Total" numeric(10,2) NOT NULL DEFAULT 0,',
            '  "Paid" boolean DEFAULT 0,',
            '  "Code" nvarchar(40) CONSTRAINT "uq_Invoice_Code" UNIQUE,',
            '  "CreatedAt" datetime DEFAULT CURRENT_TIMESTAMP,',
            `  "Day" text DEFAULT (date('now')),`,
            '  "Doubled" numeric GENERATED ALWAYS AS ("Total" * 2) VIRTUAL,',
            '  CONSTRAINT "uq_Invoice_CustomerId_Code" UNIQUE ("CustomerId", "Code"),',
            '  CONSTRAINT "positive" CHECK ("Total" >= 0)',
            ')',
          ].join('\n'),
          parameters: [],
        },
        { sql: 'CREATE INDEX "ix_Invoice_CustomerId" ON "Invoice" ("CustomerId")', parameters: [] },
        { sql: 'CREATE INDEX "ix_open" ON "Invoice" ("Paid") WHERE "Paid" = 0', parameters: [] },
      ],
      postgres: [
        [
          'CREATE TABLE "Invoice" (',
          '  "InvoiceId" integer GENERATED BY DEFAULT AS IDENTITY NOT NULL CONSTRAINT "pk_Invoice" PRIMARY KEY,',
          '  "CustomerId" integer NOT NULL CONSTRAINT "fk_Invoice_CustomerId_Customer" REFERENCES "Customer" ("CustomerId") ON DELETE CASCADE,',
          `  "Currency" varchar(3) COLLATE "C" NOT NULL DEFAULT 'USD',`,
          '  "Total" numeric(10,2) NOT NULL DEFAULT 0,',
          '  "Paid" boolean DEFAULT false,',
          '  "CreatedAt" timestamp DEFAULT CURRENT_TIMESTAMP,',
          '  "Doubled" numeric GENERATED ALWAYS AS ("Total" * 2) STORED,',
          '  "Code" varchar(10) CONSTRAINT "uq_Invoice_Code" UNIQUE,',
          '  CONSTRAINT "uq_Invoice_CustomerId_Currency" UNIQUE ("CustomerId", "Currency"),',
          '  CONSTRAINT "positive" CHECK ("Total" >= 0)',
          ')',
        ].join('\n'),
        'CREATE INDEX "ix_Invoice_CustomerId" ON "Invoice" ("CustomerId")',
        'CREATE INDEX "ix_open" ON "Invoice" ("Paid") WHERE "Paid" = false',
        `COMMENT ON TABLE "Invoice" IS 'Bills'`,
        `COMMENT ON COLUMN "Invoice"."Currency" IS 'ISO 4217 ''code'''`,
      ],
      mysql: [{ sql: invoiceMysqlSql("('none')", ' NULL'), parameters: [] }],
      mariadb: [invoiceMysqlSql("'none'", '')],
    },
  },
  {
    // SQLite: STRICT and WITHOUT ROWID (STRICT tables declare SQLite's own types). PostgreSQL: in a
    // schema, which the references share unless they name their own. MySQL: the key's columns NOT
    // NULL, its name not written.
    name: 'a composite key, table-level foreign keys (named and by convention), a unique index, IF NOT EXISTS',
    ops: {
      sqlite: (op) =>
        op.createTable(
          'PlaylistTrack',
          [
            { name: 'PlaylistId', type: 'integer', nullable: false },
            { name: 'TrackId', type: 'integer', nullable: false },
            { name: 'Note', type: 'varchar(20)' },
          ],
          {
            primaryKey: ['PlaylistId', 'TrackId'],
            foreignKeys: [
              { columns: ['PlaylistId'], referredTable: 'Playlist', referredColumns: ['PlaylistId'], onDelete: 'cascade', onUpdate: 'no action' },
              { name: 'fk_track', columns: ['TrackId'], referredTable: 'Track', referredColumns: ['TrackId'] },
            ],
            strict: true,
            withoutRowid: true,
            indexes: [{ columns: ['TrackId'], unique: true }],
            ifNotExists: true,
          },
        ),
      postgres: (op) =>
        op.createTable(
          'PlaylistTrack',
          [
            { name: 'PlaylistId', type: 'bigint', nullable: false },
            { name: 'TrackId', type: 'int(11) unsigned', nullable: false },
            { name: 'Position', type: 'integer', autoincrement: true, nullable: false },
          ],
          {
            schema: 'music',
            primaryKey: ['PlaylistId', 'TrackId'],
            foreignKeys: [
              { columns: ['PlaylistId'], referredTable: 'Playlist', referredColumns: ['PlaylistId'], onDelete: 'cascade', onUpdate: 'no action' },
              { name: 'fk_track', columns: ['TrackId'], referredTable: 'Track', referredSchema: 'catalog', referredColumns: ['TrackId'], onDelete: 'set null' },
            ],
            indexes: [{ columns: ['TrackId'], unique: true }],
            ifNotExists: true,
          },
        ),
      mysql: (op) =>
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
    },
    expected: {
      sqlite: [
        [
          'CREATE TABLE IF NOT EXISTS "PlaylistTrack" (',
          '  "PlaylistId" INTEGER NOT NULL,',
          '  "TrackId" INTEGER NOT NULL,',
          '  "Note" TEXT,',
          '  CONSTRAINT "pk_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"),',
          '  CONSTRAINT "fk_PlaylistTrack_PlaylistId_Playlist" FOREIGN KEY ("PlaylistId") REFERENCES "Playlist" ("PlaylistId") ON DELETE CASCADE ON UPDATE NO ACTION,',
          '  CONSTRAINT "fk_track" FOREIGN KEY ("TrackId") REFERENCES "Track" ("TrackId")',
          ') WITHOUT ROWID, STRICT',
        ].join('\n'),
        'CREATE UNIQUE INDEX IF NOT EXISTS "ix_PlaylistTrack_TrackId" ON "PlaylistTrack" ("TrackId")',
      ],
      postgres: [
        [
          'CREATE TABLE IF NOT EXISTS "music"."PlaylistTrack" (',
          '  "PlaylistId" bigint NOT NULL,',
          '  "TrackId" bigint NOT NULL,',
          '  "Position" integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,',
          '  CONSTRAINT "pk_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"),',
          '  CONSTRAINT "fk_PlaylistTrack_PlaylistId_Playlist" FOREIGN KEY ("PlaylistId") REFERENCES "music"."Playlist" ("PlaylistId") ON DELETE CASCADE ON UPDATE NO ACTION,',
          '  CONSTRAINT "fk_track" FOREIGN KEY ("TrackId") REFERENCES "catalog"."Track" ("TrackId") ON DELETE SET NULL',
          ')',
        ].join('\n'),
        'CREATE UNIQUE INDEX IF NOT EXISTS "ix_PlaylistTrack_TrackId" ON "music"."PlaylistTrack" ("TrackId")',
      ],
      mysql: [
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
      ],
    },
  },
  {
    name: 'several flagged key columns become one table-level key',
    ops: (op) =>
      op.createTable('B', [
        { name: 'a', type: 'integer', primaryKey: true },
        { name: 'b', type: 'text', primaryKey: true },
      ]),
    expected: {
      sqlite: ['CREATE TABLE "B" (\n  "a" integer NOT NULL,\n  "b" text NOT NULL,\n  CONSTRAINT "pk_B" PRIMARY KEY ("a", "b")\n)'],
      postgres: ['CREATE TABLE "B" (\n  "a" integer NOT NULL,\n  "b" text NOT NULL,\n  CONSTRAINT "pk_B" PRIMARY KEY ("a", "b")\n)'],
    },
  },
  {
    name: 'a table-level single-column AUTOINCREMENT key',
    ops: (op) => op.createTable('A', [{ name: 'id', type: 'int', autoincrement: true }, { name: 'x', type: 'text' }], { primaryKey: { name: 'pk_a', columns: ['id'] } }),
    expected: {
      sqlite: ['CREATE TABLE "A" (\n  "id" integer,\n  "x" text,\n  CONSTRAINT "pk_a" PRIMARY KEY ("id" AUTOINCREMENT)\n)'],
    },
  },
];

/** What each database's catalog shows after {@link CREATE_ARTIST_AND_ALBUM}, and what the tables refuse. */
const createdTables: PerDialect<(conn: DialectConnection) => Promise<void>> = {
  sqlite: async (conn) => {
    const albumSql = (await q(conn, "SELECT sql FROM sqlite_master WHERE name = 'Album'"))[0]!.sql as string;
    expect(albumSql).toContain('CONSTRAINT "ck_price" CHECK ("Price" >= 0)');
    expect(await q(conn, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo('Album')")).toEqual([
      { name: 'AlbumId', type: 'INTEGER', notnull: 1, dflt_value: null, pk: 1 },
      { name: 'Title', type: 'nvarchar(160)', notnull: 1, dflt_value: null, pk: 0 },
      { name: 'ArtistId', type: 'INTEGER', notnull: 1, dflt_value: null, pk: 0 },
      { name: 'Price', type: 'numeric(10,2)', notnull: 0, dflt_value: '0.99', pk: 0 },
    ]);
    expect(await q(conn, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('Album')")).toEqual([
      { table: 'Artist', from: 'ArtistId', to: 'ArtistId', on_delete: 'CASCADE' },
    ]);
    expect((await q(conn, "SELECT name FROM pragma_index_list('Album') WHERE origin = 'c'")).map((r) => r.name)).toEqual(['ix_Album_ArtistId']);
    await expect(q(conn, `INSERT INTO "Album" ("Title", "ArtistId", "Price") VALUES ('x', 1, -1)`)).rejects.toThrow(/CHECK constraint failed: ck_price/);
  },
  postgres: async (conn) => {
    expect(
      await q(
        conn,
        `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default, is_identity, identity_generation
         FROM information_schema.columns WHERE table_name = 'Album' ORDER BY ordinal_position`,
      ),
    ).toEqual([
      { column_name: 'AlbumId', data_type: 'integer', len: null, is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'Title', data_type: 'character varying', len: 160, is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'ArtistId', data_type: 'integer', len: null, is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'Price', data_type: 'numeric', len: null, is_nullable: 'YES', column_default: '0.99', is_identity: 'NO', identity_generation: null },
      { column_name: 'Cover', data_type: 'bytea', len: null, is_nullable: 'YES', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'Released', data_type: 'timestamp without time zone', len: null, is_nullable: 'YES', column_default: 'CURRENT_TIMESTAMP', is_identity: 'NO', identity_generation: null },
    ]);
    expect(await q(conn, `SELECT is_identity, identity_generation FROM information_schema.columns WHERE table_name = 'Artist' AND column_name = 'ArtistId'`)).toEqual([
      { is_identity: 'YES', identity_generation: 'BY DEFAULT' },
    ]);
    expect(await q(conn, `SELECT conname, contype FROM pg_constraint WHERE conrelid = '"Album"'::regclass ORDER BY conname`)).toEqual([
      { conname: 'ck_price', contype: 'c' },
      { conname: 'fk_Album_ArtistId_Artist', contype: 'f' },
      { conname: 'pk_Album', contype: 'p' },
    ]);
    expect(await q(conn, `SELECT obj_description('"Album"'::regclass, 'pg_class') AS t, col_description('"Album"'::regclass, 2) AS c`)).toEqual([{ t: 'Records', c: 'as printed' }]);
    await expect(q(conn, `INSERT INTO "Album" ("AlbumId", "Title", "ArtistId", "Price") VALUES (1, 'x', 1, -1)`)).rejects.toMatchObject({ code: '23514' });
    // Explicit ids go into a BY DEFAULT identity column.
    await q(conn, `INSERT INTO "Artist" ("ArtistId", "Name") VALUES (7, 'AC/DC')`);
  },
  mysql: async (conn) => {
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
  },
};

for (const d of DIALECTS) {
  describe(`${d.name}: createTable`, () => {
    itCompiles(d, cases);

    d.describeOnDatabase('on a real database', () => {
      const database = d.useDatabase('create_table');

      it('makes the columns, keys, foreign keys (with their actions), checks, indexes and comments, as the catalog shows', async () => {
        const conn = await database.connect();
        await runOps(conn, forDialect(d, CREATE_ARTIST_AND_ALBUM));
        await forDialect(d, createdTables)(conn);
      });
    });
  });
}
