// SQLite statements per revision, on a real database file: a connection multidb opened keeps
// foreign keys off from one COMMIT to the next BEGIN, so a revision costs BEGIN, its DDL, the
// version-table write, the foreign-key check and COMMIT (five statements, was seven); anything run
// outside a transaction still runs with foreign keys on. The database is real; only its prepare
// is wrapped to record what is sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { SqliteConnection } from '../src/sqlite/sqlite-connection.js';
import { sqliteDriver } from '../src/sqlite/sqlite-driver.js';
import { SqliteSession } from '../src/sqlite/sqlite-session.js';
import { SQLITE } from './support/dialects.js';

SQLITE.describeOnDatabase('SQLite session: statements per transaction', () => {
  const open: { conn: SqliteConnection; dir: string }[] = [];
  afterEach(async () => {
    for (const { conn, dir } of open.splice(0)) {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function connect(): Promise<{ conn: SqliteConnection; sent: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-sqlite-session-'));
    const raw = new Database(join(dir, 'main.db'));
    const sent: string[] = [];
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((sql: string) => {
      sent.push(sql);
      return prepare(sql);
    }) as typeof raw.prepare;
    const session = new SqliteSession(raw);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: session.database }) });
    const conn = new SqliteConnection({ bind: 'test', db, ownsDb: true, open: async () => (file, options) => new Database(file, options), session });
    open.push({ conn, dir });
    await conn.execute({ sql: 'PRAGMA foreign_keys = ON', parameters: [] }); // as the driver connects
    await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE "parent" ("id" integer PRIMARY KEY)', parameters: [] });
    sent.length = 0;
    return { conn, sent };
  }

  const revision = async (conn: SqliteConnection, n: number) => {
    await conn.begin();
    await conn.execute({ sql: `CREATE TABLE "t${n}" ("a" int)`, parameters: [] });
    await conn.execute({ sql: 'INSERT INTO "v" VALUES (?)', parameters: [`r${n}`] });
    await conn.commit();
  };

  it('consecutive revisions: foreign keys are switched off once, not on and off between them', async () => {
    const { conn, sent } = await connect();
    await revision(conn, 1);
    await revision(conn, 2);
    const rest = ['PRAGMA foreign_key_check', 'COMMIT'];
    expect(sent).toEqual([
      'PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE', 'CREATE TABLE "t1" ("a" int)', 'INSERT INTO "v" VALUES (?)', ...rest,
      'BEGIN IMMEDIATE', 'CREATE TABLE "t2" ("a" int)', 'INSERT INTO "v" VALUES (?)', ...rest,
    ]);
  });

  it('a statement outside a transaction after COMMIT runs with foreign keys on, and the next BEGIN switches them off again', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"))', parameters: [] });
    await revision(conn, 1);
    sent.length = 0;
    await expect(conn.execute({ sql: 'INSERT INTO "child" VALUES (1, 99)', parameters: [] })).rejects.toThrow(/FOREIGN KEY constraint failed/);
    expect(await conn.execute({ sql: 'PRAGMA foreign_keys', parameters: [] })).toEqual([{ foreign_keys: 1 }]);
    expect(sent.slice(0, 2)).toEqual(['PRAGMA foreign_keys = ON', 'INSERT INTO "child" VALUES (1, 99)']);
    sent.length = 0;
    await conn.begin();
    expect(await conn.execute({ sql: 'PRAGMA foreign_keys', parameters: [] })).toEqual([{ foreign_keys: 0 }]);
    await conn.rollback();
    expect(sent.slice(0, 2)).toEqual(['PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE']);
    expect(await conn.execute({ sql: 'PRAGMA foreign_keys', parameters: [] })).toEqual([{ foreign_keys: 1 }]);
  });

  it('a query issued on the connection just before begin() (an event handler not awaited) still runs with foreign keys on', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"))', parameters: [] });
    await revision(conn, 1);
    sent.length = 0;
    // Both go through Kysely's connection mutex: the insert first, then the BEGIN.
    const insert = conn.execute({ sql: 'INSERT INTO "child" VALUES (1, 99)', parameters: [] });
    const begun = conn.begin();
    await expect(insert).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await begun;
    // The revision's transaction still has them off (a batch's move-and-copy needs it).
    expect(await conn.execute({ sql: 'PRAGMA foreign_keys', parameters: [] })).toEqual([{ foreign_keys: 0 }]);
    await conn.rollback();
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM "child"', parameters: [] })).toEqual([{ n: 0 }]);
    expect(sent.slice(0, 4)).toEqual(['PRAGMA foreign_keys = ON', 'INSERT INTO "child" VALUES (1, 99)', 'PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE']);
  });

  it('a Kysely transaction of user code after COMMIT (a hook, a revision without transaction) enforces foreign keys', async () => {
    const { conn } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id") ON DELETE CASCADE)', parameters: [] });
    await conn.execute({ sql: 'INSERT INTO "parent" VALUES (1)', parameters: [] });
    await conn.execute({ sql: 'INSERT INTO "child" VALUES (1, 1)', parameters: [] });
    await revision(conn, 1);
    await conn.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('parent').where('id', '=', 1).execute(); // cascades only with foreign keys on
      await expect(trx.insertInto('child').values({ id: 2, parent_id: 99 }).execute()).rejects.toThrow(/FOREIGN KEY constraint failed/);
    });
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM "child"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('a Kysely of the caller (no session) has foreign keys on again right after each COMMIT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-sqlite-session-'));
    const mine = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'main.db')) }) });
    const conn = (await sqliteDriver.connect({ bind: 'test', kysely: mine, baseDir: '/' })) as SqliteConnection;
    open.push({ conn, dir });
    try {
      await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
      await conn.execute({ sql: 'CREATE TABLE "parent" ("id" integer PRIMARY KEY)', parameters: [] });
      await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"))', parameters: [] });
      await revision(conn, 1);
      expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(mine)).rows).toEqual([{ foreign_keys: 1 }]);
      await expect(mine.insertInto('child').values({ id: 1, parent_id: 99 }).execute()).rejects.toThrow(/FOREIGN KEY constraint failed/);
    } finally {
      await mine.destroy();
    }
  });

  it('the driver opens its databases on a session: a revision after another sends no pragma but the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-sqlite-session-'));
    const sent: string[] = [];
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (this: Database.Database, sql: string) {
      sent.push(sql);
      return prepare.call(this, sql);
    } as typeof prepare;
    try {
      const conn = (await sqliteDriver.connect({ bind: 'test', url: `sqlite://${join(dir, 'main.db')}`, baseDir: '/' })) as SqliteConnection;
      open.push({ conn, dir });
      await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
      await revision(conn, 0);
      sent.length = 0;
      await revision(conn, 1);
    } finally {
      Database.prototype.prepare = prepare;
    }
    expect(sent).toEqual(['BEGIN IMMEDIATE', 'CREATE TABLE "t1" ("a" int)', 'INSERT INTO "v" VALUES (?)', 'PRAGMA foreign_key_check', 'COMMIT']);
  });
});
