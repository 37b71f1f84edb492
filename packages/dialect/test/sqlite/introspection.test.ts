import { parseColumnType, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { buildOps, connectTemp, context, q } from './helpers.js';

const t = (s: string) => parseColumnType(s);

describe('sqlite introspection', () => {
  it('reads a hand-written table with PK, FKs, unique, index, check, collation, defaults and generated columns', async () => {
    const { conn } = await connectTemp();
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

    const expected: TableSnapshot = {
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
        { name: 'ix_album_lower', columns: [{ sql: 'lower("Title")' }, 'Paid'], unique: true, where: '"Paid" = 1' },
      ],
      dependents: [
        { type: 'index', name: 'ix_album_artist', tableName: 'Album', sql: 'CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId")' },
        { type: 'index', name: 'ix_album_lower', tableName: 'Album', sql: `CREATE UNIQUE INDEX "ix_album_lower" ON "Album" (lower("Title"), "Paid" DESC) WHERE "Paid" = 1` },
      ],
    };
    expect(await conn.introspectTable('Album')).toEqual(expected);
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
  });

  it('detects STRICT and WITHOUT ROWID, and returns undefined for a missing table or a view', async () => {
    const { conn } = await connectTemp();
    await q(conn, 'CREATE TABLE s (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID');
    await q(conn, 'CREATE TABLE r (k INT) STRICT');
    await q(conn, 'CREATE VIEW v AS SELECT * FROM s');
    expect(await conn.introspectTable('s')).toMatchObject({ strict: true, withoutRowid: true, columns: [{ name: 'k', nullable: false, primaryKey: true }, { name: 'v' }] });
    const r = await conn.introspectTable('r');
    expect(r?.strict).toBe(true);
    expect(r?.withoutRowid).toBeUndefined();
    expect(await conn.introspectTable('missing')).toBeUndefined();
    expect(await conn.introspectTable('v')).toBeUndefined();
  });

  it('reads back what createTable made: the snapshot equals the model', async () => {
    const { conn } = await connectTemp();
    const ops = await buildOps(async (op) => {
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
  });

  it('lists the dependents a rebuild must recreate: indexes, triggers, views naming the table (transitively), in creation order', async () => {
    const { conn } = await connectTemp();
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
    const { conn, dir } = await connectTemp();
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
});
