import { parseColumnType, type TableSnapshot } from '@multidb/core';
import { expect, it } from 'vitest';
import { parsePostgresDefault, postgresCatalogType } from '../../src/postgres/postgres-introspector.js';
import { renderPostgresType } from '../../src/postgres/postgres-type-map.js';
import { describeWithPostgres, useTestDatabase } from '../support/postgres-database.js';
import { buildOps, connect, context, q } from './helpers.js';

const t = (s: string) => parseColumnType(s);

it('turns catalog types and defaults into what models write', () => {
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
});

describeWithPostgres('postgres introspection', () => {
  const database = useTestDatabase('introspection');

  it('reads a hand-written table: identity, serial, collation, generated, defaults, comments, constraints, indexes', async () => {
    const conn = await connect(database.url);
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

    const expected: TableSnapshot = {
      name: 'Album',
      columns: [
        { name: 'AlbumId', type: t('integer'), nullable: false, primaryKey: true, autoincrement: true },
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
        { name: 'Seq', type: t('integer'), nullable: false, autoincrement: true },
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
        { name: 'ix_album_lower', columns: [{ sql: 'lower("Title"::text)' }, 'Paid'], unique: true, where: '"Paid" = false AND "Qty" > 1' },
      ],
      comment: 'Records',
    };
    expect(await conn.introspectTable('Album')).toEqual(expected);
    expect(await conn.introspectTable('Album', 'public')).toEqual({ ...expected, schema: 'public' });
    expect(await conn.introspectTable('Label', 'other')).toMatchObject({ schema: 'other', primaryKey: { columns: ['a', 'b'] } });
    expect((await conn.introspectTable('Label', 'other'))?.primaryKey).toEqual({ columns: ['a', 'b'] }); // default name Label_pkey left out
  });

  it('returns undefined for a missing table, a view, another case, or a table off the search_path', async () => {
    const conn = await connect(database.url);
    await q(conn, 'CREATE TABLE "Plain" (a int)');
    await q(conn, 'CREATE VIEW "PlainView" AS SELECT * FROM "Plain"');
    await q(conn, 'CREATE SCHEMA hidden');
    await q(conn, 'CREATE TABLE hidden."Off" (a int)');
    expect(await conn.introspectTable('missing')).toBeUndefined();
    expect(await conn.introspectTable('PlainView')).toBeUndefined();
    expect(await conn.introspectTable('plain')).toBeUndefined();
    expect(await conn.introspectTable('Off')).toBeUndefined();
    expect(await conn.introspectTable('Off', 'hidden')).toMatchObject({ name: 'Off', schema: 'hidden' });
    // The search_path decides which table an unqualified name means.
    await q(conn, 'CREATE TABLE hidden."Plain" (b int)');
    await q(conn, 'SET search_path TO hidden, public');
    expect((await conn.introspectTable('Plain'))?.columns.map((c) => c.name)).toEqual(['b']);
  });

  it('reads back what createTable made: the snapshot equals the model (types as PostgreSQL spells them)', async () => {
    const conn = await connect(database.url);
    const ops = await buildOps(async (op) => {
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
          foreignKeys: [{ columns: ['ParentId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'], onDelete: 'set null' }],
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
      expect(await conn.introspectTable(model.name)).toEqual(expected);
    }
  });
});
