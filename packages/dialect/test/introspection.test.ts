// Introspection: a live table read into the snapshot shape models have (columns with types,
// defaults, collations, generated columns, comments; keys, foreign keys, unique and check
// constraints, indexes), on a real database of each dialect: a table written by hand, and tables
// made by createTable (read back, they equal their models); a missing table or a view reads as
// undefined. How catalog types and defaults become model values is checked without a database.
import { parseColumnType, type DialectConnection, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { MysqlIntrospector } from '../src/mysql/mysql-introspector.js';
import { parsePostgresDefault, postgresCatalogType } from '../src/postgres/postgres-introspector.js';
import { renderPostgresType } from '../src/postgres/postgres-type-map.js';
import { DIALECTS, hasEntry, forDialect, type PerDialect, type TestDatabase } from './support/dialects.js';
import { buildOps, context, q, runOps } from './support/op-harness.js';

const t = (s: string) => parseColumnType(s);

/** A table written by hand (with the tables it references), the snapshot it reads as, and more to check. */
interface HandWritten {
  readonly create: (conn: DialectConnection) => Promise<void>;
  readonly expected: TableSnapshot;
  readonly more: (conn: DialectConnection, database: TestDatabase, expected: TableSnapshot) => Promise<void>;
}

const handWritten: PerDialect<HandWritten> = {
  // PK, FKs, unique, index, check, collation, defaults and generated columns.
  sqlite: {
    create: async (conn) => {
      await q(conn, 'CREATE TABLE "Artist" (id INTEGER PRIMARY KEY, name TEXT)');
      await q(conn, 'CREATE TABLE "Label" (a int, b int, PRIMARY KEY (a, b))');
      await q(
        conn,
        `CREATE TABLE "Album" (
        -- a comment
        "AlbumId" INTEGER NOT NULL CONSTRAINT "pk_album" PRIMARY KEY AUTOINCREMENT,
        "Title" nvarchar(160) NOT NULL COLLATE NOCASE,
        "ArtistId" integer REFERENCES "Artist" ON DELETE CASCADE ON UPDATE SET NULL,
        "Code" varchar(10) UNIQUE,
        "Price" NUMERIC(10, 2) DEFAULT 0.99 CHECK ("Price" >= 0),
        "Paid" boolean NOT NULL DEFAULT 0,
        "Created" datetime DEFAULT CURRENT_TIMESTAMP,
        "Day" text DEFAULT (date('now')),
        "Note" text DEFAULT 'it''s',
        "Neg" int DEFAULT -1,
        "Double" real GENERATED ALWAYS AS ("Price" * 2) STORED,
        "Half" real AS ("Price" / 2),
        "LabelA" int, "LabelB" int,
        CONSTRAINT "uq_title_artist" UNIQUE ("Title", "ArtistId"),
        UNIQUE ("Code", "Paid"),
        CONSTRAINT "ck_title" CHECK (length("Title") > 0),
        CONSTRAINT "fk_label" FOREIGN KEY ("LabelA", "LabelB") REFERENCES "Label" (a, b) ON DELETE RESTRICT
      )`,
      );
      await q(conn, 'CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId")');
      await q(conn, `CREATE UNIQUE INDEX "ix_album_lower" ON "Album" (lower("Title"), "Paid" DESC) WHERE "Paid" = 1`);
    },
    expected: {
      name: 'Album',
      columns: [
        { name: 'AlbumId', type: t('integer'), nullable: false, primaryKey: true, autoincrement: true },
        { name: 'Title', type: t('nvarchar(160)'), nullable: false, collation: 'NOCASE' },
        { name: 'ArtistId', type: t('integer'), nullable: true, references: { table: 'Artist', column: 'id', onDelete: 'cascade', onUpdate: 'set null' } },
        { name: 'Code', type: t('varchar(10)'), nullable: true, unique: true },
        { name: 'Price', type: t('numeric(10,2)'), nullable: true, default: 0.99 },
        { name: 'Paid', type: t('boolean'), nullable: false, default: false },
        { name: 'Created', type: t('datetime'), nullable: true, default: { sql: 'CURRENT_TIMESTAMP' } },
        { name: 'Day', type: t('text'), nullable: true, default: { sql: "date('now')" } },
        { name: 'Note', type: t('text'), nullable: true, default: "it's" },
        { name: 'Neg', type: t('int'), nullable: true, default: -1 },
        { name: 'Double', type: t('real'), nullable: true, generated: { sql: '"Price" * 2', stored: true } },
        { name: 'Half', type: t('real'), nullable: true, generated: { sql: '"Price" / 2', stored: false } },
        { name: 'LabelA', type: t('int'), nullable: true },
        { name: 'LabelB', type: t('int'), nullable: true },
      ],
      foreignKeys: [
        { name: 'fk_label', columns: ['LabelA', 'LabelB'], referredTable: 'Label', referredColumns: ['a', 'b'], onDelete: 'restrict' },
      ],
      uniqueConstraints: [{ name: 'uq_title_artist', columns: ['Title', 'ArtistId'] }, { columns: ['Code', 'Paid'] }],
      checkConstraints: [{ expression: '"Price" >= 0' }, { name: 'ck_title', expression: 'length("Title") > 0' }],
      indexes: [
        { name: 'ix_album_artist', columns: ['ArtistId'], unique: false },
        { name: 'ix_album_lower', columns: [{ sql: 'lower("Title")' }, { name: 'Paid', order: 'desc' }], unique: true, where: '"Paid" = 1' },
      ],
      dependents: [
        { type: 'index', name: 'ix_album_artist', tableName: 'Album', sql: 'CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId")' },
        { type: 'index', name: 'ix_album_lower', tableName: 'Album', sql: `CREATE UNIQUE INDEX "ix_album_lower" ON "Album" (lower("Title"), "Paid" DESC) WHERE "Paid" = 1` },
      ],
    },
    more: async (conn) => {
      expect(await conn.introspectTable('album')).toMatchObject({ name: 'Album' });

      // INTEGER PRIMARY KEY (rowid alias) reads as NOT NULL although the pragma says nullable.
      expect(await conn.introspectTable('Artist')).toEqual({
        name: 'Artist',
        columns: [
          { name: 'id', type: t('integer'), nullable: false, primaryKey: true },
          { name: 'name', type: t('text'), nullable: true },
        ],
        foreignKeys: [],
        uniqueConstraints: [],
        checkConstraints: [],
        indexes: [],
      });
      expect(await conn.introspectTable('Label')).toMatchObject({ primaryKey: { columns: ['a', 'b'] } });
    },
  },
  // Identity, serial, collation, generated, defaults, comments, constraints, indexes.
  postgres: {
    create: async (conn) => {
      await q(conn, 'CREATE SCHEMA other');
      await q(conn, 'CREATE TABLE "Artist" (id integer PRIMARY KEY, name text)');
      await q(conn, 'CREATE TABLE other."Label" (a int, b int, PRIMARY KEY (a, b))');
      await q(
        conn,
        `CREATE TABLE "Album" (
        "AlbumId" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "Title" varchar(160) COLLATE "C" NOT NULL DEFAULT 'x''y',
        "ArtistId" integer REFERENCES "Artist" (id) ON DELETE CASCADE ON UPDATE SET NULL,
        "Code" char(4) UNIQUE,
        "Price" numeric(10,2) DEFAULT 0.99 CHECK ("Price" >= 0),
        "Qty" integer DEFAULT -1,
        "Paid" boolean NOT NULL DEFAULT false,
        "At" timestamp(3) DEFAULT CURRENT_TIMESTAMP,
        "At2" timestamptz DEFAULT now(),
        "Meta" jsonb DEFAULT '{"a": 1}',
        "Tags" text[],
        "Double" integer GENERATED ALWAYS AS ("Qty" * 2) STORED,
        "Seq" serial,
        "LabelA" int, "LabelB" int,
        CONSTRAINT uq_title_artist UNIQUE ("Title", "ArtistId"),
        UNIQUE ("Code", "Paid"),
        CONSTRAINT ck_title CHECK (length("Title") > 0),
        CONSTRAINT fk_label FOREIGN KEY ("LabelA", "LabelB") REFERENCES other."Label" (a, b) ON DELETE RESTRICT
      )`,
      );
      await q(conn, `COMMENT ON TABLE "Album" IS 'Records'`);
      await q(conn, `COMMENT ON COLUMN "Album"."Title" IS 'as printed'`);
      await q(conn, 'CREATE INDEX ix_album_artist ON "Album" ("ArtistId")');
      await q(conn, `CREATE UNIQUE INDEX ix_album_lower ON "Album" (lower("Title"), "Paid" DESC) WHERE "Paid" = false AND "Qty" > 1`);
    },
    expected: {
      name: 'Album',
      columns: [
        { name: 'AlbumId', type: t('integer'), nullable: false, primaryKey: true, autoincrement: 'always' },
        { name: 'Title', type: t('varchar(160)'), nullable: false, default: "x'y", collation: 'C', comment: 'as printed' },
        { name: 'ArtistId', type: t('integer'), nullable: true, references: { table: 'Artist', column: 'id', onDelete: 'cascade', onUpdate: 'set null' } },
        { name: 'Code', type: t('char(4)'), nullable: true, unique: true },
        { name: 'Price', type: t('numeric(10,2)'), nullable: true, default: 0.99 },
        { name: 'Qty', type: t('integer'), nullable: true, default: -1 },
        { name: 'Paid', type: t('boolean'), nullable: false, default: false },
        { name: 'At', type: t('timestamp(3)'), nullable: true, default: { sql: 'CURRENT_TIMESTAMP' } },
        { name: 'At2', type: t('timestamptz'), nullable: true, default: { sql: 'now()' } },
        { name: 'Meta', type: t('jsonb'), nullable: true, default: '{"a": 1}' },
        { name: 'Tags', type: t('text[]'), nullable: true },
        { name: 'Double', type: t('integer'), nullable: true, generated: { sql: '"Qty" * 2', stored: true } },
        { name: 'Seq', type: t('integer'), nullable: false, autoincrement: true, serialSequence: 'Album_Seq_seq' },
        { name: 'LabelA', type: t('integer'), nullable: true },
        { name: 'LabelB', type: t('integer'), nullable: true },
      ],
      foreignKeys: [{ name: 'fk_label', columns: ['LabelA', 'LabelB'], referredTable: 'Label', referredSchema: 'other', referredColumns: ['a', 'b'], onDelete: 'restrict' }],
      uniqueConstraints: [{ name: 'uq_title_artist', columns: ['Title', 'ArtistId'] }, { columns: ['Code', 'Paid'] }],
      checkConstraints: [
        { name: 'Album_Price_check', expression: '"Price" >= 0::numeric' },
        { name: 'ck_title', expression: 'length("Title"::text) > 0' },
      ],
      indexes: [
        { name: 'ix_album_artist', columns: ['ArtistId'], unique: false },
        { name: 'ix_album_lower', columns: [{ sql: 'lower("Title"::text)' }, { name: 'Paid', order: 'desc' }], unique: true, where: '"Paid" = false AND "Qty" > 1' },
      ],
      comment: 'Records',
      // PostgreSQL's default names of the keys reported without one.
      constraintNames: [
        { type: 'primary', columns: ['AlbumId'], name: 'Album_pkey' },
        { type: 'unique', columns: ['Code'], name: 'Album_Code_key' },
        { type: 'unique', columns: ['Code', 'Paid'], name: 'Album_Code_Paid_key' },
        { type: 'foreignkey', columns: ['ArtistId'], referredTable: 'Artist', name: 'Album_ArtistId_fkey' },
      ],
    },
    more: async (conn, _database, expected) => {
      expect(await conn.introspectTable('Album', 'public')).toEqual({ ...expected, schema: 'public' });
      expect(await conn.introspectTable('Label', 'other')).toMatchObject({ schema: 'other', primaryKey: { columns: ['a', 'b'] } });
      expect((await conn.introspectTable('Label', 'other'))?.primaryKey).toEqual({ columns: ['a', 'b'] }); // default name Label_pkey left out
    },
  },
  // Types, MariaDB-quoted defaults, JSON, generated columns, keys, foreign keys, checks, indexes, comments.
  mysql: {
    create: async (conn) => {
      await q(conn, 'CREATE TABLE `Label` (a int, b int, PRIMARY KEY (a, b))');
      await q(conn, 'CREATE TABLE `Artist` (id int AUTO_INCREMENT PRIMARY KEY, name varchar(10))');
      await q(
        conn,
        `CREATE TABLE \`Album\` (
        \`AlbumId\` int(11) NOT NULL AUTO_INCREMENT,
        \`Title\` varchar(160) NOT NULL DEFAULT 'it''s \\\\ "x"' COMMENT 'the ''title''',
        \`ArtistId\` int NULL,
        \`Code\` varchar(10) COLLATE utf8mb4_bin UNIQUE,
        \`Price\` decimal(10,2) DEFAULT 0.99,
        \`Paid\` tinyint(1) NOT NULL DEFAULT 1,
        \`Created\` datetime DEFAULT CURRENT_TIMESTAMP,
        \`Nul\` varchar(10) DEFAULT 'NULL',
        \`NoDefault\` int DEFAULT NULL,
        \`Expr\` int DEFAULT (1 + 2),
        \`Big\` bigint unsigned DEFAULT 18446744073709551615,
        \`Meta\` json,
        \`Kind\` enum('a','b''c') NOT NULL DEFAULT 'a',
        \`Double\` decimal(12,2) AS (\`Price\` * 2) STORED,
        \`Half\` decimal(12,2) AS (\`Price\` / 2) VIRTUAL,
        \`Positive\` int CHECK (\`Positive\` > 0),
        \`LabelA\` int, \`LabelB\` int,
        PRIMARY KEY (\`AlbumId\`),
        CONSTRAINT \`uq_title_artist\` UNIQUE (\`Title\`, \`ArtistId\`),
        CONSTRAINT \`ck_title\` CHECK (char_length(\`Title\`) > 0),
        CONSTRAINT \`fk_artist\` FOREIGN KEY (\`ArtistId\`) REFERENCES \`Artist\` (id) ON DELETE SET NULL ON UPDATE CASCADE,
        CONSTRAINT \`fk_label\` FOREIGN KEY (\`LabelA\`, \`LabelB\`) REFERENCES \`Label\` (a, b) ON DELETE RESTRICT,
        INDEX \`ix_prefix\` (\`Title\`(20), \`Paid\`),
        INDEX \`ix_price\` (\`Price\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='albums'`,
      );
    },
    expected: {
      name: 'Album',
      columns: [
        { name: 'AlbumId', type: t('int'), nullable: false, primaryKey: true, autoincrement: true },
        { name: 'Title', type: t('varchar(160)'), nullable: false, default: `it's \\ "x"`, comment: "the 'title'" },
        { name: 'ArtistId', type: t('int'), nullable: true },
        { name: 'Code', type: t('varchar(10)'), nullable: true, unique: true, collation: 'utf8mb4_bin' },
        { name: 'Price', type: t('decimal(10,2)'), nullable: true, default: 0.99 },
        { name: 'Paid', type: t('boolean'), nullable: false, default: true },
        { name: 'Created', type: t('datetime'), nullable: true, default: { sql: 'current_timestamp()' } },
        { name: 'Nul', type: t('varchar(10)'), nullable: true, default: 'NULL' },
        { name: 'NoDefault', type: t('int'), nullable: true },
        { name: 'Expr', type: t('int'), nullable: true, default: { sql: '1 + 2' } },
        { name: 'Big', type: t('bigint unsigned'), nullable: true, default: { sql: '18446744073709551615' } },
        { name: 'Meta', type: t('json'), nullable: true },
        { name: 'Kind', type: t("enum('a','b''c')"), nullable: false, default: 'a' },
        { name: 'Double', type: t('decimal(12,2)'), nullable: true, generated: { sql: '`Price` * 2', stored: true } },
        { name: 'Half', type: t('decimal(12,2)'), nullable: true, generated: { sql: '`Price` / 2', stored: false } },
        { name: 'Positive', type: t('int'), nullable: true },
        { name: 'LabelA', type: t('int'), nullable: true },
        { name: 'LabelB', type: t('int'), nullable: true },
      ],
      foreignKeys: [
        { name: 'fk_artist', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['id'], onDelete: 'set null', onUpdate: 'cascade' },
        { name: 'fk_label', columns: ['LabelA', 'LabelB'], referredTable: 'Label', referredColumns: ['a', 'b'] },
      ],
      uniqueConstraints: [{ name: 'uq_title_artist', columns: ['Title', 'ArtistId'] }],
      checkConstraints: [
        { name: 'Positive', expression: '`Positive` > 0' },
        { name: 'ck_title', expression: 'char_length(`Title`) > 0' },
      ],
      indexes: [
        { name: 'ix_prefix', columns: [{ sql: '`Title`(20)' }, 'Paid'], unique: false },
        { name: 'ix_price', columns: ['Price'], unique: false },
      ],
      comment: 'albums',
      // MySQL names a column-level UNIQUE after its column.
      constraintNames: [{ type: 'unique', columns: ['Code'], name: 'Code' }],
      // The table's default: a column with it reports no collation.
      defaultCollation: expect.stringMatching(/^utf8mb4_/),
    },
    more: async (conn, database) => {
      expect(await conn.introspectTable('Label')).toEqual({
        name: 'Label',
        columns: [
          { name: 'a', type: t('int'), nullable: false },
          { name: 'b', type: t('int'), nullable: false },
        ],
        primaryKey: { columns: ['a', 'b'] },
        foreignKeys: [],
        uniqueConstraints: [],
        checkConstraints: [],
        indexes: [],
        defaultCollation: expect.stringMatching(/^utf8mb4_/),
      });
      // Another database, by name.
      expect(await conn.introspectTable('Label', database.name)).toMatchObject({ name: 'Label', schema: database.name });
    },
  },
};

/** Tables made by createTable read back as their models (as the dialect spells their types). */
const readBack: PerDialect<(conn: DialectConnection) => Promise<void>> = {
  // The snapshot equals the model.
  sqlite: async (conn) => {
    const ops = await buildOps(conn.dialect, async (op) => {
      await op.createTable('Customer', [{ name: 'CustomerId', type: 'integer', primaryKey: true, autoincrement: true }]);
      await op.createTable(
        'Invoice',
        [
          { name: 'InvoiceId', type: 'integer', primaryKey: true },
          { name: 'CustomerId', type: 'integer', nullable: false, references: { table: 'Customer', column: 'CustomerId', onDelete: 'cascade' } },
          { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD', collation: 'NOCASE' },
          { name: 'Total', type: 'numeric(10,2)', nullable: false, default: 0 },
          { name: 'Paid', type: 'boolean', default: true },
          { name: 'Code', type: 'nvarchar(40)', unique: true },
          { name: 'CreatedAt', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'ParentId', type: 'integer' },
        ],
        {
          foreignKeys: [{ columns: ['ParentId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'], onDelete: 'set null' }],
          uniqueConstraints: [['CustomerId', 'Code']],
          checkConstraints: [{ name: 'ck_Invoice_total', expression: '"Total" >= 0' }],
          indexes: [{ columns: ['CustomerId'] }, { name: 'ix_open', columns: ['Paid', 'Total'], where: '"Paid" = 0' }],
        },
      );
      await op.createTable('Line', [{ name: 'a', type: 'integer' }, { name: 'b', type: 'text' }], { primaryKey: ['a', 'b'], strict: true });
    });
    for (const o of ops) for (const s of conn.dialect.compile(o, context())) await conn.execute(s);
    for (const o of ops) {
      if (o.kind !== 'CreateTable') continue;
      const model = o.table;
      // A STRICT table declares SQLite's own types, and makes its primary key columns NOT NULL.
      const expected = model.strict
        ? { ...model, columns: model.columns.map((c) => ({ ...c, type: t(c.type.name === 'integer' ? 'integer' : 'text'), nullable: false })) }
        : model;
      // `dependents` (stored SQL of indexes, triggers, views) is not part of the shape.
      const { dependents: _stored, ...shape } = (await conn.introspectTable(model.name))!;
      expect(shape).toEqual(expected);
    }
  },
  // Types as PostgreSQL spells them.
  postgres: async (conn) => {
    const ops = await buildOps(conn.dialect, async (op) => {
      await op.createTable('Customer', [{ name: 'CustomerId', type: 'integer', primaryKey: true, autoincrement: true }], { comment: 'People who buy' });
      await op.createTable(
        'Invoice',
        [
          { name: 'InvoiceId', type: 'bigint', primaryKey: true, autoincrement: true },
          { name: 'CustomerId', type: 'integer', nullable: false, references: { table: 'Customer', column: 'CustomerId', onDelete: 'cascade' } },
          { name: 'Currency', type: 'nvarchar(3)', nullable: false, default: 'USD', collation: 'C', comment: 'ISO 4217' },
          { name: 'Total', type: 'numeric(10,2)', nullable: false, default: 0 },
          { name: 'Paid', type: 'boolean', default: true },
          { name: 'Code', type: 'varchar(40)', unique: true },
          { name: 'CreatedAt', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'Lines', type: 'integer', nullable: false, default: 1 },
          { name: 'DoubleLines', type: 'integer', generated: { sql: '"Lines" * 2', stored: true } },
          { name: 'Blob', type: 'blob' },
          { name: 'Meta', type: 'json' },
          { name: 'Tags', type: 'varchar(20)[]' },
          { name: 'ParentId', type: 'bigint' },
        ],
        {
          // Named other than by the convention, so it reads back as a table-level foreign key.
          foreignKeys: [{ name: 'invoice_parent', columns: ['ParentId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'], onDelete: 'set null' }],
          uniqueConstraints: [['CustomerId', 'Code']],
          checkConstraints: [{ name: 'ck_Invoice_lines', expression: '"Lines" >= 0' }],
          indexes: [{ columns: ['CustomerId'] }, { name: 'ix_open', columns: ['Paid', 'Total'], where: '"Paid" = false' }],
        },
      );
      await op.createTable('Line', [{ name: 'a', type: 'integer' }, { name: 'b', type: 'text' }], { primaryKey: ['a', 'b'] });
    });
    for (const o of ops) for (const s of conn.dialect.compile(o, context())) await conn.execute(s);
    for (const o of ops) {
      if (o.kind !== 'CreateTable') continue;
      const model = o.table;
      const expected = {
        ...model,
        // Types as rendered for PostgreSQL; key columns NOT NULL (as PostgreSQL makes them).
        columns: model.columns.map((c) => ({
          ...c,
          type: t(renderPostgresType(c.type)),
          ...(model.primaryKey?.columns.includes(c.name) ? { nullable: false } : {}),
        })),
      };
      // The keys on their columns carry the convention's names (constraintNames).
      const { constraintNames, ...shape } = (await conn.introspectTable(model.name))!;
      expect(shape).toEqual(expected);
      if (model.name === 'Customer') expect(constraintNames).toEqual([{ type: 'primary', columns: ['CustomerId'], name: 'pk_Customer' }]);
    }
  },
  // Compiling the snapshot again gives the same table.
  mysql: async (conn) => {
    await runOps(conn, async (op) => {
      await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }]);
      await op.createTable(
        'Track',
        [
          { name: 'TrackId', type: 'integer', primaryKey: true, autoincrement: true },
          { name: 'Name', type: 'nvarchar(200)', nullable: false, comment: 'title' },
          { name: 'GenreId', type: 'integer' },
          { name: 'Milliseconds', type: 'integer', nullable: false, default: 0 },
          { name: 'UnitPrice', type: 'numeric(10,2)', nullable: false, default: 0.99 },
          { name: 'Explicit', type: 'boolean', nullable: false, default: false },
          { name: 'Added', type: 'datetime', default: { sql: 'CURRENT_TIMESTAMP' } },
          { name: 'Born', type: 'datetime' },
          { name: 'Tags', type: 'json' },
          { name: 'Isrc', type: 'varchar(12)', unique: true, collation: 'utf8mb4_bin' },
          { name: 'Note', type: 'text', default: "n/a 'quoted' \\ slash" },
        ],
        {
          foreignKeys: [{ columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'], onDelete: 'set null' }],
          uniqueConstraints: [['Name', 'GenreId']],
          checkConstraints: [{ name: 'ck_ms', expression: '`Milliseconds` >= 0' }],
          indexes: [{ columns: ['Milliseconds'] }],
          comment: 'tracks',
        },
      );
    });
    const snapshot = await conn.introspectTable('Track');
    expect(snapshot).toEqual({
      name: 'Track',
      columns: [
        { name: 'TrackId', type: t('int'), nullable: false, primaryKey: true, autoincrement: true },
        { name: 'Name', type: t('varchar(200)'), nullable: false, comment: 'title' },
        { name: 'GenreId', type: t('int'), nullable: true },
        { name: 'Milliseconds', type: t('int'), nullable: false, default: 0 },
        { name: 'UnitPrice', type: t('decimal(10,2)'), nullable: false, default: 0.99 },
        { name: 'Explicit', type: t('boolean'), nullable: false, default: false },
        { name: 'Added', type: t('datetime'), nullable: true, default: { sql: 'current_timestamp()' } },
        { name: 'Born', type: t('datetime'), nullable: true },
        { name: 'Tags', type: t('json'), nullable: true },
        { name: 'Isrc', type: t('varchar(12)'), nullable: true, unique: true, collation: 'utf8mb4_bin' },
        { name: 'Note', type: t('text'), nullable: true, default: "n/a 'quoted' \\ slash" },
      ],
      foreignKeys: [{ name: 'fk_Track_GenreId_Genre', columns: ['GenreId'], referredTable: 'Genre', referredColumns: ['GenreId'], onDelete: 'set null' }],
      uniqueConstraints: [{ name: 'uq_Track_Name_GenreId', columns: ['Name', 'GenreId'] }],
      checkConstraints: [{ name: 'ck_ms', expression: '`Milliseconds` >= 0' }],
      indexes: [{ name: 'ix_Track_Milliseconds', columns: ['Milliseconds'], unique: false }],
      comment: 'tracks',
      constraintNames: [{ type: 'unique', columns: ['Isrc'], name: 'uq_Track_Isrc' }],
      defaultCollation: expect.stringMatching(/^utf8mb4_/),
    });
    // The snapshot compiles back to the same table (constraint names are per table on MariaDB).
    const again = {
      ...snapshot!,
      name: 'Track2',
      checkConstraints: [{ name: 'ck_ms2', expression: '`Milliseconds` >= 0' }],
      foreignKeys: snapshot!.foreignKeys.map((fk) => ({ ...fk, name: 'fk_track2' })),
      constraintNames: [{ type: 'unique' as const, columns: ['Isrc'], name: 'uq_Track2_Isrc' }],
    };
    for (const s of conn.dialect.compile({ kind: 'CreateTable', table: again }, context())) await conn.execute(s);
    expect(await conn.introspectTable('Track2')).toEqual(again);
  },
};

/** Catalog types and defaults turned into what models write (no database). */
const catalogValues: PerDialect<() => void> = {
  postgres: () => {
    expect(postgresCatalogType('character varying(3)')).toEqual(t('varchar(3)'));
    expect(postgresCatalogType('character varying')).toEqual(t('varchar'));
    expect(postgresCatalogType('character(2)')).toEqual(t('char(2)'));
    expect(postgresCatalogType('timestamp(3) without time zone')).toEqual(t('timestamp(3)'));
    expect(postgresCatalogType('timestamp with time zone')).toEqual(t('timestamptz'));
    expect(postgresCatalogType('time without time zone')).toEqual(t('time'));
    expect(postgresCatalogType('character varying(20)[]')).toEqual(t('varchar(20)[]'));
    expect(postgresCatalogType('double precision')).toEqual(t('double precision'));
    expect(postgresCatalogType('"MyType"')).toEqual({ name: '"MyType"', args: [], modifiers: [], array: false });
    expect(parsePostgresDefault("'USD'::character varying", t('varchar(3)'))).toBe('USD');
    expect(parsePostgresDefault("'it''s'::text", t('text'))).toBe("it's");
    expect(parsePostgresDefault("'-1'::integer", t('integer'))).toBe(-1);
    expect(parsePostgresDefault('0.99', t('numeric(10,2)'))).toBe(0.99);
    expect(parsePostgresDefault('false', t('boolean'))).toBe(false);
    expect(parsePostgresDefault('NULL::character varying', t('varchar'))).toBeNull();
    expect(parsePostgresDefault('now()', t('timestamptz'))).toEqual({ sql: 'now()' });
    expect(parsePostgresDefault('99999999999999999999', t('numeric'))).toEqual({ sql: '99999999999999999999' });
    expect(parsePostgresDefault("'{}'::text[]", t('text[]'))).toBe('{}');
  },
  // MySQL: bare literals and DEFAULT_GENERATED; MariaDB: quoted literals, NULL as NULL.
  mysql: () => {
    const mysql = new MysqlIntrospector(async () => [], 'mysql');
    expect(mysql.parseDefault('USD', t('varchar(3)'), '')).toBe('USD');
    expect(mysql.parseDefault('NULL', t('varchar(4)'), '')).toBe('NULL');
    expect(mysql.parseDefault('0.99', t('decimal(10,2)'), '')).toBe(0.99);
    expect(mysql.parseDefault('1', t('boolean'), '')).toBe(true);
    expect(mysql.parseDefault('CURRENT_TIMESTAMP', t('datetime'), 'DEFAULT_GENERATED')).toEqual({ sql: 'CURRENT_TIMESTAMP' });
    expect(mysql.parseDefault('(uuid())', t('char(36)'), 'DEFAULT_GENERATED')).toEqual({ sql: 'uuid()' });
    expect(mysql.parseDefault(null, t('int'), '')).toBeUndefined();
    const mariadb = new MysqlIntrospector(async () => [], 'mariadb');
    expect(mariadb.parseDefault("'USD'", t('varchar(3)'), '')).toBe('USD');
    expect(mariadb.parseDefault('NULL', t('varchar(4)'), '')).toBeUndefined();
    expect(mariadb.parseDefault("'NULL'", t('varchar(4)'), '')).toBe('NULL');
    expect(mariadb.parseDefault("'a\\nb'", t('text'), '')).toBe('a\nb');
  },
};

/** Objects that are not tables, and names no table has: each reads as undefined. */
const notTables: PerDialect<{ readonly create: readonly string[]; readonly names: readonly string[] }> = {
  sqlite: { create: ['CREATE TABLE s (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID', 'CREATE VIEW v AS SELECT * FROM s'], names: ['missing', 'v'] },
  postgres: { create: ['CREATE TABLE "Plain" (a int)', 'CREATE VIEW "PlainView" AS SELECT * FROM "Plain"'], names: ['missing', 'PlainView'] },
  mysql: { create: ['CREATE VIEW `AlbumView` AS SELECT 1 AS x'], names: ['Nothing', 'AlbumView'] },
};

/** Tests of what only one dialect has (functions below). */
const onlyOn: PerDialect<(database: TestDatabase) => void> = { sqlite: sqliteIntrospection, postgres: postgresIntrospection };

for (const d of DIALECTS) {
  describe(`${d.name}: introspection`, () => {
    if (hasEntry(catalogValues, d)) {
      it('turns catalog types and defaults into what models write', () => forDialect(d, catalogValues)());
    }

    d.describeOnDatabase('on a real database', () => {
      const database = d.useDatabase('introspection');

      it('reads a hand-written table: types, defaults, collations, generated columns, comments, keys, foreign keys, checks, indexes', async () => {
        const conn = await database.connect();
        const { create, expected, more } = forDialect(d, handWritten);
        await create(conn);
        expect(await conn.introspectTable('Album')).toEqual(expected);
        await more(conn, database, expected);
      });

      it('returns undefined for a missing table or a view', async () => {
        const conn = await database.connect();
        const { create, names } = forDialect(d, notTables);
        for (const sql of create) await q(conn, sql);
        for (const name of names) expect(await conn.introspectTable(name), name).toBeUndefined();
      });

      it('reads back what createTable made', async () => {
        const conn = await database.connect();
        await forDialect(d, readBack)(conn);
      });

      onlyOn[d.name]?.(database);
    });
  });
}

function sqliteIntrospection(database: TestDatabase): void {
  it('detects STRICT and WITHOUT ROWID', async () => {
    const conn = await database.connect();
    await q(conn, 'CREATE TABLE s (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID');
    await q(conn, 'CREATE TABLE r (k INT) STRICT');
    expect(await conn.introspectTable('s')).toMatchObject({ strict: true, withoutRowid: true, columns: [{ name: 'k', nullable: false, primaryKey: true }, { name: 'v' }] });
    const r = await conn.introspectTable('r');
    expect(r?.strict).toBe(true);
    expect(r?.withoutRowid).toBeUndefined();
  });

  it('lists the dependents a rebuild must recreate: indexes, triggers, views naming the table (transitively), in creation order', async () => {
    const conn = await database.connect();
    for (const sql of [
      'CREATE TABLE t (id integer PRIMARY KEY, a text)',
      'CREATE TABLE other (x int)',
      'CREATE INDEX ix_t_a ON t (a COLLATE NOCASE DESC)',
      'CREATE INDEX ix_other ON other (x)',
      'CREATE VIEW v1 AS SELECT a FROM "T"',
      'CREATE VIEW v2 AS SELECT count(*) AS n FROM v1',
      'CREATE VIEW unrelated AS SELECT x FROM other',
      "CREATE VIEW literal AS SELECT 't' AS name FROM other",
      'CREATE TRIGGER tr_t AFTER DELETE ON t BEGIN DELETE FROM other; END',
      'CREATE TRIGGER tr_other AFTER INSERT ON other BEGIN INSERT INTO [t] (a) VALUES (new.x); END',
      'CREATE TRIGGER tr_v1 INSTEAD OF INSERT ON v1 BEGIN SELECT 1; END',
      'CREATE TRIGGER tr_unrelated AFTER UPDATE ON other BEGIN SELECT 1; END',
    ]) {
      await q(conn, sql);
    }
    expect((await conn.introspectTable('t'))?.dependents?.map((d) => [d.type, d.name, d.tableName])).toEqual([
      ['index', 'ix_t_a', 't'],
      ['view', 'v1', 'v1'],
      ['view', 'v2', 'v2'],
      ['trigger', 'tr_t', 't'],
      ['trigger', 'tr_other', 'other'],
      ['trigger', 'tr_v1', 'v1'],
    ]);
    expect((await conn.introspectTable('t'))?.dependents?.[0]?.sql).toBe('CREATE INDEX ix_t_a ON t (a COLLATE NOCASE DESC)');
    expect((await conn.introspectTable('other'))?.dependents?.map((d) => d.name)).toEqual(['ix_other', 'unrelated', 'literal', 'tr_t', 'tr_other', 'tr_unrelated']);
  });

  it('reads tables of an attached database through schema', async () => {
    const conn = await database.connect();
    const dir = database.name.replace(/\/[^/]*$/, '');
    await q(conn, `ATTACH DATABASE '${dir}/aux.db' AS aux`);
    await q(conn, 'CREATE TABLE aux.t (id integer PRIMARY KEY, name text UNIQUE)');
    await q(conn, 'CREATE INDEX aux.ix_t_name ON t (name)');
    expect(await conn.introspectTable('t')).toBeUndefined();
    expect(await conn.introspectTable('t', 'aux')).toMatchObject({
      name: 't',
      schema: 'aux',
      columns: [{ name: 'id', primaryKey: true }, { name: 'name', unique: true }],
      indexes: [{ name: 'ix_t_name', columns: ['name'], unique: false }],
    });
  });
}

function postgresIntrospection(database: TestDatabase): void {
  it('reads another case, or a table off the search_path, only when asked by schema; the search_path decides', async () => {
    const conn = await database.connect();
    // Tables of its own ("Plain" is the notTables case's): the cases share the database.
    await q(conn, 'CREATE TABLE "Twice" (a int)');
    await q(conn, 'CREATE SCHEMA hidden');
    await q(conn, 'CREATE TABLE hidden."Off" (a int)');
    expect(await conn.introspectTable('twice')).toBeUndefined();
    expect(await conn.introspectTable('Off')).toBeUndefined();
    expect(await conn.introspectTable('Off', 'hidden')).toMatchObject({ name: 'Off', schema: 'hidden' });
    // The search_path decides which table an unqualified name means.
    await q(conn, 'CREATE TABLE hidden."Twice" (b int)');
    await q(conn, 'SET search_path TO hidden, public');
    expect((await conn.introspectTable('Twice'))?.columns.map((c) => c.name)).toEqual(['b']);
  });
}
