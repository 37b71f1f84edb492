import type { SchemaObjectSnapshot } from '@multidb/core';
import { expect, it } from 'vitest';
import { describeEachDialect, per } from '../support/dialect-databases.js';

/** Objects without their SQL text (checked separately). */
const withoutSql = (objects: readonly SchemaObjectSnapshot[]) => objects.map(({ sql: _sql, ...rest }) => rest);

const VIEW_REFERENCES = [
  { table: 'Album', column: 'AlbumId' },
  { table: 'Album', column: 'Price' },
  { table: 'Album', column: 'Title' },
];

describeEachDialect('introspect() lists views, triggers, rules and domains with what they reference', 'objects', (db) => {
  const d = db.dialect;

  it('views and triggers (and on PostgreSQL a materialized view, a rule and a domain) with their tables and columns', async () => {
    const conn = await db.fresh();
    const statements = per(d, {
      sqlite: [
        'CREATE TABLE "Album" ("AlbumId" integer PRIMARY KEY, "Title" text, "Price" numeric)',
        'CREATE TABLE "Log" ("id" integer PRIMARY KEY, "note" text)',
        'CREATE VIEW "v_cheap" AS SELECT "AlbumId", "Title" FROM "Album" WHERE "Price" < 1',
        'CREATE TRIGGER "tr_album_title" AFTER UPDATE OF "Title" ON "Album" BEGIN INSERT INTO "Log" ("note") VALUES (new."Title"); END',
      ],
      postgres: [
        'CREATE TABLE "Album" ("AlbumId" integer PRIMARY KEY, "Title" text, "Price" numeric)',
        'CREATE TABLE "Log" ("id" serial PRIMARY KEY, "note" text)',
        'CREATE VIEW "v_cheap" AS SELECT "AlbumId", "Title" FROM "Album" WHERE "Price" < 1',
        'CREATE MATERIALIZED VIEW "mv_count" AS SELECT count(*) AS n FROM "Album"',
        `CREATE FUNCTION log_title() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO "Log" (note) VALUES (NEW."Title"); RETURN NEW; END $$`,
        'CREATE TRIGGER "tr_album_title" AFTER UPDATE OF "Title" ON "Album" FOR EACH ROW EXECUTE FUNCTION log_title()',
        'CREATE RULE "r_keep_log" AS ON DELETE TO "Log" DO INSTEAD NOTHING',
        'CREATE DOMAIN "positive_price" AS numeric(10,2) NOT NULL CHECK (VALUE > 0)',
        'CREATE TABLE "Offer" ("id" integer PRIMARY KEY, "price" positive_price)',
      ],
      mysql: [
        'CREATE TABLE `Album` (`AlbumId` int PRIMARY KEY, `Title` varchar(100), `Price` decimal(10,2))',
        'CREATE TABLE `Log` (`id` int AUTO_INCREMENT PRIMARY KEY, `note` varchar(100))',
        'CREATE VIEW `v_cheap` AS SELECT `AlbumId`, `Title` FROM `Album` WHERE `Price` < 1',
        'CREATE TRIGGER `tr_album_title` AFTER UPDATE ON `Album` FOR EACH ROW INSERT INTO `Log` (`note`) VALUES (NEW.`Title`)',
      ],
    });
    for (const sql of statements) await conn.execute({ sql, parameters: [] });

    const { objects, tables } = await conn.introspect();
    // Views are not tables.
    expect(tables.map((t) => t.name)).toEqual(d === 'postgres' ? ['Album', 'Log', 'Offer'] : ['Album', 'Log']);
    expect(withoutSql(objects)).toEqual(
      per(d, {
        sqlite: [
          { type: 'view', name: 'v_cheap', table: 'v_cheap', references: VIEW_REFERENCES },
          { type: 'trigger', name: 'tr_album_title', table: 'Album', references: [{ table: 'Album', column: 'Title' }, { table: 'Log', column: 'note' }] },
        ],
        postgres: [
          // pg_depend: the columns a view uses; a count(*) uses the table as a whole.
          { type: 'view', name: 'v_cheap', table: 'v_cheap', references: VIEW_REFERENCES },
          { type: 'materialized view', name: 'mv_count', table: 'mv_count', references: [{ table: 'Album' }] },
          // pg_trigger.tgattr: the columns of UPDATE OF (the function's body is not read).
          { type: 'trigger', name: 'tr_album_title', table: 'Album', references: [{ table: 'Album', column: 'Title' }] },
          { type: 'rule', name: 'r_keep_log', table: 'Log', references: [{ table: 'Log' }] },
          // A domain references the columns declared with it.
          { type: 'domain', name: 'positive_price', references: [{ table: 'Offer', column: 'price' }] },
        ],
        mysql: [
          { type: 'view', name: 'v_cheap', table: 'v_cheap', references: VIEW_REFERENCES },
          { type: 'trigger', name: 'tr_album_title', table: 'Album', references: [{ table: 'Album', column: 'Title' }, { table: 'Log', column: 'note' }] },
        ],
      }),
    );
    const sql = (name: string) => objects.find((o) => o.name === name)?.sql ?? '';
    expect(sql('v_cheap')).toMatch(/select/i);
    expect(sql('v_cheap')).toMatch(/Price/);
    expect(sql('tr_album_title')).toMatch(d === 'postgres' ? /^CREATE TRIGGER tr_album_title AFTER UPDATE OF "Title" ON "Album"/ : /INSERT INTO/i);
    if (d === 'postgres') {
      expect(sql('positive_price')).toBe('numeric(10,2) NOT NULL CONSTRAINT positive_price_check CHECK (VALUE > 0::numeric)');
      expect(sql('r_keep_log')).toMatch(/^CREATE RULE r_keep_log AS\s+ON DELETE TO "Log" DO INSTEAD NOTHING/);
      expect(tables.find((t) => t.name === 'Offer')?.columns[1]).toEqual({ name: 'price', type: expect.objectContaining({ name: 'positive_price' }), nullable: true });
    }
  });

  it('objects are left out of introspectTable, which reads a view as no table', async () => {
    const conn = await db.fresh();
    const q = (n: string) => conn.dialect.quoteIdentifier(n);
    await conn.execute({ sql: `CREATE TABLE ${q('T')} (${q('a')} integer)`, parameters: [] });
    await conn.execute({ sql: `CREATE VIEW ${q('V')} AS SELECT ${q('a')} FROM ${q('T')}`, parameters: [] });
    expect(await conn.introspectTable('V')).toBeUndefined();
    expect((await conn.introspect()).objects.map((o) => [o.type, o.name, o.references])).toEqual([['view', 'V', [{ table: 'T', column: 'a' }]]]);
  });
});
