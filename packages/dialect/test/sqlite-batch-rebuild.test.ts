// SQLite batch mode on a real file: table rebuilds (move and copy) that keep every row, the
// rowids, AUTOINCREMENT and sqlite_sequence, STRICT, WITHOUT ROWID and COLLATE, the indexes,
// triggers and views over the table, and the foreign keys of other tables pointing at it; and that
// change nothing when they fail. The SQL of a rebuild: sqlite-batch-compile.test.ts.
import { describe, expect, it } from 'vitest';
import { ForeignKeyCheckError } from '../src/sqlite/foreign-key-check-error.js';
import { TriggerColumnError } from '../src/sqlite/trigger-column-error.js';
import { q, runInTransaction, runOps } from './support/op-harness.js';
import { connectTemp, fingerprint, storedSql } from './support/sqlite-file.js';

/**
 * A small music schema written by hand, as an existing database would have it: unnamed
 * constraints, an AUTOINCREMENT key, a child table with ON DELETE CASCADE, indexes.
 */
async function music() {
  const { conn } = await connectTemp();
  for (const sql of [
    'CREATE TABLE "Artist" ("ArtistId" INTEGER PRIMARY KEY, "Name" nvarchar(120) COLLATE NOCASE)',
    `CREATE TABLE "Album" (
      "AlbumId" INTEGER PRIMARY KEY AUTOINCREMENT,
      "Title" nvarchar(160) NOT NULL,
      "ArtistId" integer NOT NULL REFERENCES "Artist" ("ArtistId") ON DELETE CASCADE,
      "Price" text,
      "Note" text DEFAULT 'none',
      "Code" varchar(10) UNIQUE,
      CHECK (length("Title") > 0)
    )`,
    'CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId" DESC)',
    'CREATE INDEX "ix_album_note" ON "Album" ("Note")',
    'CREATE INDEX "ix_album_title_note" ON "Album" ("Title" COLLATE NOCASE, "Note")',
    `CREATE TABLE "Track" (
      "TrackId" INTEGER PRIMARY KEY,
      "AlbumId" integer REFERENCES "Album" ("AlbumId") ON DELETE CASCADE,
      "Name" text NOT NULL
    )`,
  ]) {
    await q(conn, sql);
  }
  for (let a = 1; a <= 3; a++) await q(conn, 'INSERT INTO "Artist" VALUES (?, ?)', a, `Artist ${a}`);
  for (let i = 1; i <= 12; i++) {
    await q(conn, 'INSERT INTO "Album" ("Title", "ArtistId", "Price", "Note", "Code") VALUES (?, ?, ?, ?, ?)', `Album ${i}`, (i % 3) + 1, i % 4 === 0 ? null : `${i}.5`, i % 2 ? `n${i}` : null, `C${i}`);
  }
  await q(conn, 'DELETE FROM "Album" WHERE "AlbumId" = 12'); // sqlite_sequence stays at 12
  for (let t = 1; t <= 40; t++) await q(conn, 'INSERT INTO "Track" ("AlbumId", "Name") VALUES (?, ?)', (t % 11) + 1, `Track ${t}`);
  return conn;
}

const ALBUM_KEPT = ['AlbumId', 'Title', 'ArtistId', 'Code'];
/** A revision body. */
type Body = Parameters<typeof runInTransaction>[1];
const album = (conn: Awaited<ReturnType<typeof music>>, columns = ALBUM_KEPT) => fingerprint(conn, 'Album', columns, '"AlbumId"');
const tracks = (conn: Awaited<ReturnType<typeof music>>) => fingerprint(conn, 'Track', ['TrackId', 'AlbumId', 'Name'], '"TrackId"');
const columnsOf = async (conn: Awaited<ReturnType<typeof music>>, table: string) =>
  (await q(conn, `SELECT name FROM pragma_table_xinfo('${table}')`)).map((r) => r.name);
const indexesOf = async (conn: Awaited<ReturnType<typeof music>>, table: string) =>
  (await q(conn, `SELECT name FROM pragma_index_list('${table}') WHERE origin = 'c' ORDER BY name`)).map((r) => r.name);

describe('sqlite batch rebuild on a real file', () => {
  it('drops a column that is in an index: the index goes with it, everything else stays', async () => {
    const conn = await music();
    const [albumBefore, tracksBefore] = [await album(conn), await tracks(conn)];
    await runInTransaction(conn, (op) => op.dropColumn('Album', 'Note'));
    expect(await columnsOf(conn, 'Album')).toEqual(['AlbumId', 'Title', 'ArtistId', 'Price', 'Code']);
    expect(await indexesOf(conn, 'Album')).toEqual(['ix_album_artist']);
    // The kept index is recreated from its stored SQL: DESC survives.
    expect(await storedSql(conn, 'ix_album_artist')).toBe('CREATE INDEX "ix_album_artist" ON "Album" ("ArtistId" DESC)');
    expect(await album(conn)).toEqual(albumBefore);
    expect(await tracks(conn)).toEqual(tracksBefore);
    expect(await q(conn, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(await q(conn, "SELECT name FROM sqlite_master WHERE name LIKE '_multidb%'")).toEqual([]);
  });

  it('drops an unindexed plain column with a native DROP COLUMN (recreate: auto)', async () => {
    const conn = await music();
    const before = await album(conn);
    const sqlBefore = await storedSql(conn, 'Album');
    await runInTransaction(conn, (op) => op.batchAlterTable('Album', (b) => b.dropColumn('Price')));
    // A native drop edits the stored CREATE TABLE in place; a rebuild would have named the constraints.
    expect(await storedSql(conn, 'Album')).toBe(sqlBefore!.replace('\n      "Price" text,', ''));
    expect(await album(conn)).toEqual(before);
  });

  it('changes a type with data that casts', async () => {
    const conn = await music();
    const before = await album(conn);
    await runInTransaction(conn, (op) => op.alterColumn('Album', 'Price', { type: 'numeric(10,2)' }));
    expect(await q(conn, 'SELECT "Price", typeof("Price") AS t FROM "Album" ORDER BY "AlbumId" LIMIT 4')).toEqual([
      { Price: 1.5, t: 'real' },
      { Price: 2.5, t: 'real' },
      { Price: 3.5, t: 'real' },
      { Price: null, t: 'null' },
    ]);
    expect((await q(conn, "SELECT type FROM pragma_table_xinfo('Album') WHERE name = 'Price'"))[0]!.type).toBe('numeric(10,2)');
    expect(await album(conn)).toEqual(before);
  });

  it('makes a column NOT NULL when no NULLs are present', async () => {
    const conn = await music();
    const before = await album(conn, [...ALBUM_KEPT, 'Price']);
    await q(conn, `UPDATE "Album" SET "Price" = '0' WHERE "Price" IS NULL`);
    const filled = await album(conn, [...ALBUM_KEPT, 'Price']);
    expect(filled).not.toEqual(before);
    await runInTransaction(conn, (op) => op.alterColumn('Album', 'Price', { nullable: false, default: '0' }));
    expect(await q(conn, "SELECT \"notnull\", dflt_value FROM pragma_table_xinfo('Album') WHERE name = 'Price'")).toEqual([{ notnull: 1, dflt_value: "'0'" }]);
    expect(await album(conn, [...ALBUM_KEPT, 'Price'])).toEqual(filled);
  });

  it('fails clearly and changes nothing when a column made NOT NULL holds NULLs', async () => {
    const conn = await music();
    const [sqlBefore, before, tracksBefore] = [await storedSql(conn, 'Album'), await album(conn, [...ALBUM_KEPT, 'Price', 'Note']), await tracks(conn)];
    await expect(runInTransaction(conn, (op) => op.alterColumn('Album', 'Price', { nullable: false }))).rejects.toThrow(
      /NOT NULL constraint failed: _multidb_tmp_Album\.Price/,
    );
    expect(await storedSql(conn, 'Album')).toBe(sqlBefore);
    expect(await album(conn, [...ALBUM_KEPT, 'Price', 'Note'])).toEqual(before);
    expect(await tracks(conn)).toEqual(tracksBefore);
    expect(await indexesOf(conn, 'Album')).toEqual(['ix_album_artist', 'ix_album_note', 'ix_album_title_note']);
    expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('adds and drops a foreign key', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Review" ("ReviewId" INTEGER PRIMARY KEY, "AlbumId" integer, "Stars" int)');
    await q(conn, 'INSERT INTO "Review" ("AlbumId", "Stars") VALUES (1, 5), (2, 3), (NULL, 1)');
    const before = await fingerprint(conn, 'Review', ['ReviewId', 'AlbumId', 'Stars'], '"ReviewId"');
    await runInTransaction(conn, (op) => op.createForeignKey(null, 'Review', 'Album', ['AlbumId'], ['AlbumId'], { onDelete: 'cascade' }));
    expect(await q(conn, `SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list('Review')`)).toEqual([
      { table: 'Album', from: 'AlbumId', to: 'AlbumId', on_delete: 'CASCADE' },
    ]);
    await expect(q(conn, 'INSERT INTO "Review" ("AlbumId", "Stars") VALUES (999, 1)')).rejects.toThrow(/FOREIGN KEY constraint failed/);
    expect(await fingerprint(conn, 'Review', ['ReviewId', 'AlbumId', 'Stars'], '"ReviewId"')).toEqual(before);

    await runInTransaction(conn, (op) => op.dropConstraint('fk_Review_AlbumId_Album', 'Review', { type: 'foreignkey' }));
    expect(await q(conn, `SELECT * FROM pragma_foreign_key_list('Review')`)).toEqual([]);
    await q(conn, 'INSERT INTO "Review" ("AlbumId", "Stars") VALUES (999, 1)');
  });

  it('refuses a new foreign key that existing rows break, listing them, and changes nothing', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Review" ("ReviewId" INTEGER PRIMARY KEY, "AlbumId" integer)');
    await q(conn, 'INSERT INTO "Review" ("AlbumId") VALUES (1), (777), (778)');
    const sqlBefore = await storedSql(conn, 'Review');
    const error = await runInTransaction(conn, (op) => op.createForeignKey(null, 'Review', 'Album', ['AlbumId'], ['AlbumId'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignKeyCheckError);
    expect((error as ForeignKeyCheckError).violations.map((v) => [v.table, v.rowid, v.parent])).toEqual([
      ['Review', 2, 'Album'],
      ['Review', 3, 'Album'],
    ]);
    expect(await storedSql(conn, 'Review')).toBe(sqlBefore);
    expect(await q(conn, 'SELECT count(*) AS n FROM "Review"')).toEqual([{ n: 3 }]);
  });

  it('adds and drops a unique constraint, and drops a reflected unnamed one by its conventional name', async () => {
    const conn = await music();
    const before = await album(conn);
    await runInTransaction(conn, (op) => op.createUniqueConstraint(null, 'Album', ['Title', 'ArtistId']));
    expect(await storedSql(conn, 'Album')).toContain('CONSTRAINT "uq_Album_Title_ArtistId" UNIQUE ("Title", "ArtistId")');
    await expect(q(conn, `INSERT INTO "Album" ("Title", "ArtistId") VALUES ('Album 1', 2)`)).rejects.toThrow(/UNIQUE constraint failed/);
    await runInTransaction(conn, (op) =>
      op.batchAlterTable('Album', (b) => {
        b.dropConstraint('uq_Album_Title_ArtistId', { type: 'unique' });
        b.dropConstraint('uq_Album_Code', { type: 'unique' }); // "Code" … UNIQUE, unnamed on its column
      }),
    );
    await q(conn, `INSERT INTO "Album" ("Title", "ArtistId", "Code") VALUES ('Album 1', 2, 'C1')`);
    await q(conn, `DELETE FROM "Album" WHERE "AlbumId" = last_insert_rowid()`);
    expect(await album(conn)).toEqual(before);
  });

  it('adds and drops a check constraint, and drops a reflected unnamed one by its conventional name', async () => {
    const conn = await music();
    const before = await album(conn);
    await runInTransaction(conn, (op) => op.createCheckConstraint('ck_Album_artist', 'Album', '"ArtistId" > 0'));
    await expect(q(conn, `INSERT INTO "Album" ("Title", "ArtistId") VALUES ('x', -1)`)).rejects.toThrow(/CHECK constraint failed: ck_Album_artist/);
    const sql = (await storedSql(conn, 'Album'))!;
    // The reflected CHECK got its name from the convention (ck_<table>_<hash of the expression>).
    const reflected = /CONSTRAINT "(ck_Album_[0-9a-f]{8})" CHECK \(length\("Title"\) > 0\)/.exec(sql)?.[1];
    expect(reflected).toBeDefined();
    await runInTransaction(conn, (op) =>
      op.batchAlterTable('Album', (b) => {
        b.dropConstraint('ck_Album_artist', { type: 'check' });
        b.dropConstraint(reflected!, { type: 'check' });
      }),
    );
    expect(await storedSql(conn, 'Album')).not.toContain('CHECK');
    await q(conn, `INSERT INTO "Album" ("Title", "ArtistId") VALUES ('', 1)`);
    await q(conn, `DELETE FROM "Album" WHERE "AlbumId" = last_insert_rowid()`);
    expect(await album(conn)).toEqual(before);
  });

  it('renames a column that another table’s foreign key points to (native rename and inside a rebuild)', async () => {
    const conn = await music();
    const [before, tracksBefore] = [await album(conn, ['AlbumId', 'Title']), await tracks(conn)];
    await runInTransaction(conn, (op) => op.renameColumn('Album', 'AlbumId', 'Id'));
    expect(await q(conn, `SELECT "table", "from", "to" FROM pragma_foreign_key_list('Track')`)).toEqual([{ table: 'Album', from: 'AlbumId', to: 'Id' }]);

    await runInTransaction(conn, (op) =>
      op.batchAlterTable(
        'Album',
        (b) => {
          b.renameColumn('Id', 'AlbumKey');
          b.alterColumn('Title', { type: 'text' });
          b.createCheckConstraint('ck_Album_key', '"AlbumKey" > 0'); // written in the new name
        },
        { recreate: 'always' },
      ),
    );
    expect(await q(conn, `SELECT "table", "from", "to" FROM pragma_foreign_key_list('Track')`)).toEqual([{ table: 'Album', from: 'AlbumId', to: 'AlbumKey' }]);
    expect(await storedSql(conn, 'Album')).toMatch(/CONSTRAINT "ck_Album_key" CHECK \("AlbumKey" > 0\)/);
    expect(await fingerprint(conn, 'Album', ['AlbumKey', 'Title'], '"AlbumKey"')).toEqual(before);
    expect(await tracks(conn)).toEqual(tracksBefore);
    expect(await q(conn, 'PRAGMA foreign_key_check')).toEqual([]);
    // Cascades still follow the renamed key.
    await q(conn, 'DELETE FROM "Album" WHERE "AlbumKey" = 2');
    expect(await q(conn, 'SELECT count(*) AS n FROM "Track" WHERE "AlbumId" = 2')).toEqual([{ n: 0 }]);
  });

  it('rebuilds a table other tables reference with ON DELETE CASCADE: every child row survives', async () => {
    const conn = await music();
    const [before, tracksBefore] = [await album(conn), await tracks(conn)];
    const artistsBefore = await fingerprint(conn, 'Artist', ['ArtistId', 'Name'], '"ArtistId"');
    // Album is a child of Artist (cascade) and the parent of Track (cascade): rebuild both parents.
    await runInTransaction(conn, async (op) => {
      await op.batchAlterTable('Artist', (b) => b.alterColumn('Name', { type: 'varchar(200)' }), { recreate: 'always' });
      await op.batchAlterTable('Album', (b) => b.alterColumn('Note', { default: 'n/a' }));
    });
    expect(await fingerprint(conn, 'Artist', ['ArtistId', 'Name'], '"ArtistId"')).toEqual(artistsBefore);
    expect(await album(conn)).toEqual(before);
    expect(await tracks(conn)).toEqual(tracksBefore);
    expect(await q(conn, 'PRAGMA foreign_key_check')).toEqual([]);
    // The references still work both ways: a cascade reaches the grandchildren.
    await q(conn, 'DELETE FROM "Artist" WHERE "ArtistId" = 1');
    expect(await q(conn, 'SELECT count(*) AS n FROM "Album" WHERE "ArtistId" = 1')).toEqual([{ n: 0 }]);
    expect(await q(conn, 'SELECT count(*) AS n FROM "Track" WHERE "AlbumId" NOT IN (SELECT "AlbumId" FROM "Album")')).toEqual([{ n: 0 }]);
    expect((await q(conn, 'SELECT count(*) AS n FROM "Track"'))[0]!.n).toBeLessThan(tracksBefore.rows);
  });

  it('recreates a trigger and views (also a view over a view and a trigger elsewhere naming the table), all working', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Log" (msg text)');
    await q(conn, `CREATE TRIGGER "tr_album_insert" AFTER INSERT ON "Album" BEGIN INSERT INTO "Log" VALUES ('album ' || new."Title"); END`);
    await q(conn, 'CREATE VIEW "AlbumView" AS SELECT a."AlbumId", a."Title", r."Name" AS "Artist" FROM "Album" a JOIN "Artist" r USING ("ArtistId")');
    await q(conn, 'CREATE VIEW "AlbumCount" AS SELECT count(*) AS n FROM "AlbumView"');
    await q(conn, `CREATE TRIGGER "tr_log" AFTER INSERT ON "Log" WHEN new.msg = 'poke' BEGIN UPDATE "Album" SET "Note" = 'poked' WHERE "AlbumId" = 1; END`);
    const before = await album(conn);
    const objects = async () => (await q(conn, "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name"));
    const objectsBefore = await objects();

    await runInTransaction(conn, (op) => op.batchAlterTable('Album', (b) => b.alterColumn('Price', { type: 'real' }), { recreate: 'always' }));
    expect(await objects()).toEqual(objectsBefore);
    expect(await album(conn)).toEqual(before);
    expect(await q(conn, 'SELECT * FROM "AlbumView" WHERE "AlbumId" = 1')).toEqual([{ AlbumId: 1, Title: 'Album 1', Artist: 'Artist 2' }]);
    expect(await q(conn, 'SELECT n FROM "AlbumCount"')).toEqual([{ n: 11 }]);
    await q(conn, `INSERT INTO "Album" ("Title", "ArtistId") VALUES ('New', 1)`);
    await q(conn, `INSERT INTO "Log" VALUES ('poke')`);
    expect(await q(conn, 'SELECT msg FROM "Log"')).toEqual([{ msg: 'album New' }, { msg: 'poke' }]);
    expect(await q(conn, 'SELECT "Note" FROM "Album" WHERE "AlbumId" = 1')).toEqual([{ Note: 'poked' }]);
  });

  it('refuses to drop a column a trigger uses, naming the trigger, and changes nothing', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Log" (msg text)');
    await q(conn, `CREATE TRIGGER "tr_note" AFTER UPDATE ON "Album" BEGIN INSERT INTO "Log" VALUES (new."Note"); END`);
    const sqlBefore = await storedSql(conn, 'Album');
    await expect(runInTransaction(conn, (op) => op.dropColumn('Album', 'Note'))).rejects.toThrow(/error in trigger tr_note: no such column: new\.Note/);
    expect(await storedSql(conn, 'Album')).toBe(sqlBefore);
    expect(await storedSql(conn, 'tr_note')).toContain('new."Note"');
  });

  // SQLite checks a trigger's expressions when a column goes, not the columns it writes: a trigger
  // writing a dropped column would stay, and every statement firing it would fail.
  const WRITING_TRIGGERS: [string, string, string][] = [
    ['UPDATE … SET (on another table)', `CREATE TRIGGER "tr_w" AFTER INSERT ON "Log" BEGIN UPDATE "Album" SET "Price" = '0' WHERE "AlbumId" = -1; END`, 'UPDATE SET'],
    ['UPDATE … SET (on the table itself)', `CREATE TRIGGER "tr_w" AFTER UPDATE OF "Title" ON "Album" BEGIN UPDATE "Album" SET "Price" = NULL WHERE "AlbumId" = -1; END`, 'UPDATE SET'],
    ['an INSERT column list', `CREATE TRIGGER "tr_w" AFTER UPDATE ON "Album" WHEN new."Title" = 'never' BEGIN INSERT INTO "Album" ("Title", "ArtistId", "Price") VALUES ('x', 1, '1'); END`, 'INSERT column list'],
    ['UPDATE OF in the event', `CREATE TRIGGER "tr_w" AFTER UPDATE OF "Price" ON "Album" BEGIN INSERT INTO "Log" VALUES ('price'); END`, 'UPDATE OF'],
    ["an upsert's DO UPDATE SET", `CREATE TRIGGER "tr_w" AFTER INSERT ON "Log" BEGIN INSERT INTO "Album" ("AlbumId", "Title", "ArtistId") VALUES (1, 't', 1) ON CONFLICT ("AlbumId") DO UPDATE SET "Price" = '2' WHERE 0; END`, 'DO UPDATE SET'],
  ];

  it.each(WRITING_TRIGGERS)('refuses to drop a column a trigger writes (%s): a TriggerColumnError naming table, column and trigger; nothing changes', async (_name, trigger, clause) => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Log" (msg text)');
    await q(conn, trigger);
    const schemaBefore = await q(conn, 'SELECT type, name, sql FROM sqlite_master ORDER BY name');
    const rowsBefore = await album(conn, [...ALBUM_KEPT, 'Price', 'Note']);
    const drops: Body[] = [(op) => op.dropColumn('Album', 'Price'), (op) => op.batchAlterTable('Album', (b) => b.dropColumn('Price'), { recreate: 'always' })];
    for (const body of drops) {
      const error = await runInTransaction(conn, body).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(TriggerColumnError);
      expect(error).toMatchObject({ table: 'Album', column: 'Price', trigger: 'tr_w', clause, code: 'OPERATION' });
      expect((error as Error).message).toMatch(/^Cannot drop column "Price" of table "Album": trigger "tr_w" names it .*Drop the trigger first \(op\.execute\('DROP TRIGGER "tr_w"'\)\).*Nothing was changed\.$/);
      expect(await q(conn, 'SELECT type, name, sql FROM sqlite_master ORDER BY name')).toEqual(schemaBefore);
      expect(await album(conn, [...ALBUM_KEPT, 'Price', 'Note'])).toEqual(rowsBefore);
    }
    // A batch that gives the name to another column leaves the trigger working (on that column).
    await runInTransaction(conn, (op) =>
      op.batchAlterTable('Album', (b) => {
        b.dropColumn('Price');
        b.renameColumn('Note', 'Price');
      }),
    );
    expect(await columnsOf(conn, 'Album')).toEqual(['AlbumId', 'Title', 'ArtistId', 'Price', 'Code']);
  });

  it('drops a column when a trigger writes a column of that name in another table only', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Log" (msg text, "Price" text)');
    await q(conn, `CREATE TRIGGER "tr_log" AFTER UPDATE ON "Album" BEGIN INSERT INTO "Log" ("msg", "Price") VALUES ('u', new."Code"); UPDATE "Log" SET "Price" = 'p'; END`);
    await runInTransaction(conn, (op) => op.dropColumn('Album', 'Price'));
    expect(await columnsOf(conn, 'Album')).not.toContain('Price');
    await q(conn, `UPDATE "Album" SET "Title" = 'x' WHERE "AlbumId" = 1`);
    expect(await q(conn, 'SELECT msg, "Price" FROM "Log"')).toEqual([{ msg: 'u', Price: 'p' }]);
  });

  it.each(WRITING_TRIGGERS)('renames a column a trigger writes (%s): SQLite rewrites the trigger, natively and after a rebuild', async (_name, trigger) => {
    const renames: Body[] = [(op) => op.renameColumn('Album', 'Price', 'Cost'), (op) => op.alterColumn('Album', 'Price', { newName: 'Cost', type: 'numeric(10,2)' })];
    for (const rename of renames) {
      const conn = await music();
      await q(conn, 'CREATE TABLE "Log" (msg text)');
      await q(conn, trigger);
      await runInTransaction(conn, rename);
      expect(await columnsOf(conn, 'Album')).toContain('Cost');
      const sql = (await storedSql(conn, 'tr_w'))!;
      expect(sql).toContain('"Cost"');
      expect(sql).not.toContain('"Price"');
      // Statements that fire it still work.
      await q(conn, `UPDATE "Album" SET "Title" = 'renamed' WHERE "AlbumId" = 2`);
      await q(conn, `UPDATE "Album" SET "Cost" = 3 WHERE "AlbumId" = 2`);
      await q(conn, `INSERT INTO "Log" VALUES ('poke')`);
      expect((await q(conn, 'SELECT "Title" FROM "Album" WHERE "AlbumId" = 2'))[0]).toEqual({ Title: 'renamed' });
    }
  });

  it("rebuilds a table that another table's trigger inserts into by column list", async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Log" (msg text)');
    await q(conn, `CREATE TRIGGER "tr_copy" AFTER INSERT ON "Log" BEGIN INSERT INTO "Album" ("Title", "ArtistId") VALUES (new.msg, 1); END`);
    await runInTransaction(conn, (op) => op.alterColumn('Album', 'Price', { type: 'real' }));
    await q(conn, `INSERT INTO "Log" VALUES ('from the log')`);
    expect(await q(conn, `SELECT count(*) AS n FROM "Album" WHERE "Title" = 'from the log'`)).toEqual([{ n: 1 }]);
  });

  it('keeps STRICT, COLLATE and the WITHOUT ROWID key', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Tag" ("Code" TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, "Weight" INTEGER, "Extra" ANY) STRICT, WITHOUT ROWID');
    await q(conn, `INSERT INTO "Tag" VALUES ('rock', 1, 'x'), ('jazz', 2, 3), ('Pop', NULL, NULL)`);
    const before = await fingerprint(conn, 'Tag', ['Code', 'Weight'], '"Code"');
    await runInTransaction(conn, (op) => op.batchAlterTable('Tag', (b) => b.dropColumn('Extra'), { recreate: 'always' }));
    expect(await q(conn, "SELECT strict, wr FROM pragma_table_list('Tag')")).toEqual([{ strict: 1, wr: 1 }]);
    expect(await storedSql(conn, 'Tag')).toBe('CREATE TABLE "Tag" (\n  "Code" TEXT NOT NULL CONSTRAINT "pk_Tag" PRIMARY KEY COLLATE NOCASE,\n  "Weight" INTEGER\n) WITHOUT ROWID, STRICT');
    expect(await fingerprint(conn, 'Tag', ['Code', 'Weight'], '"Code"')).toEqual(before);
    await expect(q(conn, `INSERT INTO "Tag" VALUES ('ROCK', 5)`)).rejects.toThrow(/UNIQUE constraint failed/); // NOCASE key
    await expect(q(conn, `INSERT INTO "Tag" VALUES ('blues', 'heavy')`)).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
    // A type change in a STRICT table casts to the STRICT type.
    await runInTransaction(conn, (op) => op.alterColumn('Tag', 'Weight', { type: 'text' }));
    expect(await q(conn, `SELECT "Weight", typeof("Weight") AS t FROM "Tag" ORDER BY "Code"`)).toEqual([
      { Weight: '2', t: 'text' },
      { Weight: null, t: 'null' },
      { Weight: '1', t: 'text' },
    ]);
  });

  it('keeps AUTOINCREMENT and its sqlite_sequence value', async () => {
    const conn = await music();
    expect(await q(conn, `SELECT seq FROM sqlite_sequence WHERE name = 'Album'`)).toEqual([{ seq: 12 }]);
    const before = await album(conn);
    await runInTransaction(conn, (op) => op.dropColumn('Album', 'Note'));
    expect(await storedSql(conn, 'Album')).toContain('"AlbumId" integer NOT NULL CONSTRAINT "pk_Album" PRIMARY KEY AUTOINCREMENT');
    expect(await q(conn, 'SELECT name, seq FROM sqlite_sequence ORDER BY name')).toEqual([{ name: 'Album', seq: 12 }]);
    expect(await album(conn)).toEqual(before);
    await q(conn, `INSERT INTO "Album" ("Title", "ArtistId") VALUES ('Next', 1)`);
    expect(await q(conn, 'SELECT max("AlbumId") AS id FROM "Album"')).toEqual([{ id: 13 }]); // 12 is not reused
  });

  it('keeps the rowids of a table without an INTEGER PRIMARY KEY', async () => {
    const conn = await music();
    await q(conn, 'CREATE TABLE "Plain" (a text, b int)');
    await q(conn, `INSERT INTO "Plain" (rowid, a, b) VALUES (10, 'x', 1), (20, 'y', 2), (35, 'z', 3)`);
    await runInTransaction(conn, (op) => op.alterColumn('Plain', 'b', { type: 'text' }));
    expect(await q(conn, 'SELECT rowid AS r, a, b FROM "Plain" ORDER BY rowid')).toEqual([
      { r: 10, a: 'x', b: '1' },
      { r: 20, a: 'y', b: '2' },
      { r: 35, a: 'z', b: '3' },
    ]);
  });

  it('runs a batch of every kind of op as one rebuild, renames last, reorders columns', async () => {
    const conn = await music();
    const before = await fingerprint(conn, 'Album', ['AlbumId', 'Title', 'ArtistId'], '"AlbumId"');
    await runInTransaction(conn, (op) =>
      op.batchAlterTable(
        'Album',
        (b) => {
          b.dropColumn('Note');
          b.renameColumn('Title', 'Name');
          b.addColumn({ name: 'Title', type: 'text', nullable: false, default: 'untitled' }); // the old name, reused
          b.addColumn({ name: 'Slug', type: 'text', unique: true });
          b.alterColumn('Price', { type: 'numeric(10,2)', newName: 'Cost' });
          b.createIndex(null, ['Name', 'Cost'], { where: '"Cost" > 0' });
          b.dropIndex('ix_album_artist');
        },
        { partialReordering: [['Name', 'Title', 'ArtistId']] }, // the new Title before ArtistId
      ),
    );
    expect(await columnsOf(conn, 'Album')).toEqual(['AlbumId', 'Name', 'Title', 'ArtistId', 'Cost', 'Code', 'Slug']);
    expect(await fingerprint(conn, 'Album', ['AlbumId', 'Name', 'ArtistId'], '"AlbumId"')).toEqual(before);
    expect(await q(conn, 'SELECT DISTINCT "Title" FROM "Album"')).toEqual([{ Title: 'untitled' }]);
    expect(await indexesOf(conn, 'Album')).toEqual(['ix_Album_Name_Cost']);
    expect(await storedSql(conn, 'ix_Album_Name_Cost')).toBe('CREATE INDEX "ix_Album_Name_Cost" ON "Album" ("Name", "Cost") WHERE "Cost" > 0');
    expect(await q(conn, 'PRAGMA foreign_key_check')).toEqual([]);
  });

  it('swaps two column names through a temporary name', async () => {
    const conn = await music();
    const before = await fingerprint(conn, 'Track', ['TrackId', 'Name'], '"TrackId"');
    await runInTransaction(conn, (op) =>
      op.batchAlterTable(
        'Track',
        (b) => {
          b.renameColumn('Name', 'tmp');
          b.renameColumn('TrackId', 'Name');
          b.renameColumn('tmp', 'TrackId');
        },
        { recreate: 'always' },
      ),
    );
    expect(await columnsOf(conn, 'Track')).toEqual(['Name', 'AlbumId', 'TrackId']);
    expect(await fingerprint(conn, 'Track', ['Name', 'TrackId'], '"Name"')).toEqual(before);
  });

  it('plain ops outside a transaction still rebuild safely when run by the runner; here: a failing op rolls back', async () => {
    const conn = await music();
    const sqlBefore = await storedSql(conn, 'Album');
    await expect(
      runInTransaction(conn, async (op) => {
        await op.dropColumn('Album', 'Note');
        await op.alterColumn('Album', 'Price', { nullable: false }); // NULLs present
      }),
    ).rejects.toThrow(/NOT NULL/);
    expect(await storedSql(conn, 'Album')).toBe(sqlBefore);
    expect(await indexesOf(conn, 'Album')).toEqual(['ix_album_artist', 'ix_album_note', 'ix_album_title_note']);
  });

  it('native ALTERs stay native on a connection without a transaction', async () => {
    const conn = await music();
    await runOps(conn, (op) =>
      op.batchAlterTable('Track', (b) => {
        b.addColumn({ name: 'Ms', type: 'integer', default: 0 });
        b.renameColumn('Name', 'Title');
        b.dropColumn('Ms');
      }),
    );
    expect(await columnsOf(conn, 'Track')).toEqual(['TrackId', 'AlbumId', 'Title']);
  });
});
