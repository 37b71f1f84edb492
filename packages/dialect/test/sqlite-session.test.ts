// SQLite statements per revision, on a real database file: a connection multidb opened keeps
// foreign keys off from one COMMIT to the next BEGIN, so a revision costs BEGIN, its DDL, the
// version-table write, the foreign-key check and COMMIT (five statements, was seven); anything run
// outside a transaction still runs with foreign keys on. The session prepares the connection's
// constant statements once (BEGIN, COMMIT, the check, the version-table write) and reuses them.
// On a database of 16 MiB or more, the check covers what the revision may have broken: the
// counters (rows changed, schema version) after BEGIN and before COMMIT tell what that is.
// The database is real; only better-sqlite3's statements are wrapped to record what runs (and
// its prepare, to record what is prepared).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteConnection } from '../src/sqlite/sqlite-connection.js';
import { sqliteDriver } from '../src/sqlite/sqlite-driver.js';
import { SqliteSession } from '../src/sqlite/sqlite-session.js';
import { SqliteSchemaDefinitions } from '../src/sqlite/sqlite-schema-definitions.js';
import { SQLITE } from './support/dialects.js';
import { recordKyselyQueries } from './support/kysely-queries.js';

/** The statements run on any better-sqlite3 database of this process (its `source`), in order. */
const ran: string[] = [];
const STATEMENT = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<'run' | 'all' | 'get' | 'iterate', (...args: unknown[]) => unknown>;
const METHODS = ['run', 'all', 'get', 'iterate'] as const;
const originals = Object.fromEntries(METHODS.map((m) => [m, STATEMENT[m]])) as typeof STATEMENT;

/** What the connection reads at its first BEGIN (and, when the check is scoped, at each BEGIN and before each COMMIT). */
const COUNTERS =
  'SELECT total_changes() AS "changes", "s"."schema_version" AS "schema", "c"."page_count" * "z"."page_size" AS "bytes" ' +
  'FROM main.pragma_schema_version AS "s", main.pragma_page_count AS "c", main.pragma_page_size AS "z"';
/** The schema's definitions (read when a scoped check finds the schema changed). */
const DEFINITIONS = SqliteSchemaDefinitions.SQL;

SQLITE.describeOnDatabase('SQLite session: statements per transaction', () => {
  const open: { conn: SqliteConnection; dir: string }[] = [];
  beforeEach(() => {
    ran.length = 0;
    for (const m of METHODS) {
      STATEMENT[m] = function (this: { source: string }, ...args: unknown[]) {
        ran.push(this.source);
        return originals[m].apply(this, args);
      };
    }
  });
  afterEach(async () => {
    for (const m of METHODS) STATEMENT[m] = originals[m];
    for (const { conn, dir } of open.splice(0)) {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /**
   * A connection on a session; `sent`: the statements run since it was set up (`exec <sql>` for
   * those run through better-sqlite3's `exec`); `prepared`: those prepared. `direct`: its Kysely is
   * made with the session's dialect, as the driver makes it, so statements run without Kysely
   * while no Kysely query is in flight.
   */
  async function connect(direct = false, scopedForeignKeyCheckFrom?: number): Promise<{ conn: SqliteConnection; sent: string[]; prepared: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-sqlite-session-'));
    const raw = new Database(join(dir, 'main.db'));
    const prepared: string[] = [];
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof raw.prepare;
    const exec = raw.exec.bind(raw);
    raw.exec = ((sql: string) => {
      ran.push(`exec ${sql}`);
      return exec(sql);
    }) as typeof raw.exec;
    const session = new SqliteSession(raw);
    const db = new Kysely<any>({ dialect: direct ? session.kyselyDialect() : new SqliteDialect({ database: session.database }) });
    const conn = new SqliteConnection({ bind: 'test', db, ownsDb: true, open: async () => (file, options) => new Database(file, options), session, scopedForeignKeyCheckFrom });
    open.push({ conn, dir });
    await conn.execute({ sql: 'PRAGMA foreign_keys = ON', parameters: [] }); // as the driver connects
    await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE "parent" ("id" integer PRIMARY KEY)', parameters: [] });
    ran.length = 0;
    prepared.length = 0;
    return { conn, sent: ran, prepared };
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
      // The connection's first transaction starts with the check's baseline (rows that broke foreign keys before it).
      // It reads the database's size there too: below 16 MiB, every check reads every table.
      'PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE', 'PRAGMA foreign_key_check', COUNTERS, 'CREATE TABLE "t1" ("a" int)', 'INSERT INTO "v" VALUES (?)', ...rest,
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
    const conn = (await sqliteDriver.connect({ bind: 'test', url: `sqlite://${join(dir, 'main.db')}`, baseDir: '/' })) as SqliteConnection;
    open.push({ conn, dir });
    await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await revision(conn, 0);
    ran.length = 0;
    await revision(conn, 1);
    expect(ran).toEqual(['BEGIN IMMEDIATE', 'CREATE TABLE "t1" ("a" int)', 'INSERT INTO "v" VALUES (?)', 'PRAGMA foreign_key_check', 'COMMIT']);
  });

  it('a connection the driver opened runs its statements without Kysely while no Kysely query is in flight, in the order sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-sqlite-session-'));
    const conn = (await sqliteDriver.connect({ bind: 'test', url: `sqlite://${join(dir, 'main.db')}`, baseDir: '/' })) as SqliteConnection;
    open.push({ conn, dir });
    const throughKysely = recordKyselyQueries(conn.db);
    await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "v" VALUES ('r0')`, parameters: [] });
    ran.length = 0;
    // A revision: none of its five statements goes through Kysely (nor, at the connection's first
    // transaction, the journal mode's look and switch, see sqlite-journal.test.ts).
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "t1" ("a" int)', parameters: [] });
    expect(await conn.commitVersionUpdate({ name: 'v' }, 'r0', 'r1')).toBe(true);
    expect(ran).toEqual(['PRAGMA main.journal_mode', 'PRAGMA main.journal_mode = PERSIST', 'PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE', 'PRAGMA foreign_key_check', COUNTERS, 'CREATE TABLE "t1" ("a" int)', 'UPDATE "v" SET "version_num" = ? WHERE "version_num" = ?', 'PRAGMA foreign_key_check', 'COMMIT']);
    expect(throughKysely).toEqual([]);
    // A Kysely query of user code issued and not awaited: what the connection sends next waits behind it, through Kysely.
    ran.length = 0;
    const users = conn.db.selectFrom('v').select('version_num').execute();
    const mine = conn.execute({ sql: 'SELECT count(*) AS n FROM "t1"', parameters: [] });
    expect(await mine).toEqual([{ n: 0 }]);
    expect(await users).toEqual([{ version_num: 'r1' }]);
    expect(ran).toEqual(['PRAGMA foreign_keys = ON', 'select "version_num" from "v"', 'SELECT count(*) AS n FROM "t1"']);
    expect(throughKysely).toEqual(['SELECT count(*) AS n FROM "t1"']);
    // Inside a Kysely transaction of user code (the connection held), too.
    throughKysely.length = 0;
    let sent: Promise<readonly Record<string, unknown>[]> | undefined;
    await conn.db.transaction().execute(async (trx) => {
      await trx.insertInto('t1').values({ a: 1 }).execute();
      sent = conn.execute({ sql: 'SELECT count(*) AS n FROM "t1"', parameters: [] });
      expect(throughKysely).toEqual(['SELECT count(*) AS n FROM "t1"']);
      await trx.insertInto('t1').values({ a: 2 }).execute();
    });
    // Queued behind the transaction: it ran after it, and saw both rows.
    expect(await sent).toEqual([{ n: 2 }]);
  });

  it('SqliteSession.run leaves a statement to Kysely until its driver is initialized, and while a Kysely query is queued', async () => {
    const session = new SqliteSession(new Database(':memory:'));
    const db = new Kysely<any>({ dialect: session.kyselyDialect() });
    try {
      // The first Kysely query waits for the driver's initialization before it is counted.
      const first = db.executeQuery(CompiledQuery.raw('CREATE TABLE "t" ("a" int)'));
      expect(session.run('INSERT INTO "t" VALUES (1)', [])).toBeUndefined();
      await first;
      expect(session.run('INSERT INTO "t" VALUES (?)', [2])).toEqual({ rows: [], changes: 1 });
      const queued = db.executeQuery(CompiledQuery.raw('SELECT count(*) AS n FROM "t"'));
      expect(session.run('INSERT INTO "t" VALUES (3)', [])).toBeUndefined();
      expect((await queued).rows).toEqual([{ n: 1 }]);
      expect(session.run('SELECT count(*) AS n FROM "t"', [])).toEqual({ rows: [{ n: 1 }], changes: 0 });
    } finally {
      await db.destroy();
    }
    expect(session.run('SELECT 1', [])).toBeUndefined();
  });

  it("the connection's constant statements are prepared once and still run after each revision changed the schema", async () => {
    const { conn, sent, prepared } = await connect();
    await conn.execute({ sql: `INSERT INTO "v" VALUES ('r0')`, parameters: [] });
    prepared.length = 0;
    for (let n = 1; n <= 3; n++) {
      await conn.begin();
      await conn.execute({ sql: `CREATE TABLE "t${n}" ("a" int)`, parameters: [] });
      expect(await conn.commitVersionUpdate({ name: 'v' }, `r${n - 1}`, `r${n}`)).toBe(true);
    }
    const write = 'UPDATE "v" SET "version_num" = ? WHERE "version_num" = ?';
    expect(prepared).toEqual([
      'PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE', 'PRAGMA foreign_key_check', COUNTERS, 'CREATE TABLE "t1" ("a" int)', write, 'COMMIT',
      'CREATE TABLE "t2" ("a" int)',
      'CREATE TABLE "t3" ("a" int)',
    ]);
    expect(sent.filter((s) => s === 'COMMIT')).toHaveLength(3);
    expect(await conn.execute({ sql: 'SELECT version_num FROM "v"', parameters: [] })).toEqual([{ version_num: 'r3' }]);
    expect(await conn.execute({ sql: `SELECT count(*) AS n FROM sqlite_master WHERE name IN ('t1', 't2', 't3')`, parameters: [] })).toEqual([{ n: 3 }]);
    // A kept statement that failed (COMMIT with no transaction open) runs again afterwards.
    await expect(conn.execute({ sql: 'COMMIT', parameters: [] })).rejects.toThrow(/no transaction is active/);
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "t4" ("a" int)', parameters: [] });
    await conn.commit();
    expect(await conn.execute({ sql: `SELECT count(*) AS n FROM sqlite_master WHERE name = 't4'`, parameters: [] })).toEqual([{ n: 1 }]);
  });

  it('commitVersionUpdate: the write, the foreign-key check and COMMIT; no row to replace rolls the revision back and returns false', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"))', parameters: [] });
    await conn.begin();
    expect(await conn.commitVersionUpdate({ name: 'v' }, undefined, 'r1')).toBe(true);
    expect(sent.slice(-3)).toEqual(['INSERT INTO "v" ("version_num") VALUES (?)', 'PRAGMA foreign_key_check', 'COMMIT']);
    // No row holds 'r9': the DDL before it is rolled back, the table keeps its row.
    for (const [from, to] of [['r9', 'r2'], ['r9', undefined]] as const) {
      await conn.begin();
      await conn.execute({ sql: 'CREATE TABLE "half" ("a" int)', parameters: [] });
      expect(await conn.commitVersionUpdate({ name: 'v' }, from, to)).toBe(false);
      expect(await conn.execute({ sql: `SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'`, parameters: [] })).toEqual([{ n: 0 }]);
      expect(await conn.execute({ sql: 'SELECT version_num FROM "v"', parameters: [] })).toEqual([{ version_num: 'r1' }]);
    }
    // An orphan row: the check fails, nothing is committed, the write included.
    await conn.begin();
    await conn.execute({ sql: 'INSERT INTO "child" VALUES (1, 99)', parameters: [] });
    await expect(conn.commitVersionUpdate({ name: 'v' }, 'r1', 'r2')).rejects.toThrow(/foreign key/i);
    expect(await conn.execute({ sql: 'SELECT version_num FROM "v"', parameters: [] })).toEqual([{ version_num: 'r1' }]);
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM "child"', parameters: [] })).toEqual([{ n: 0 }]);
    // An INSERT of a revision already there fails with the driver's error, rolled back.
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "half" ("a" int)', parameters: [] });
    await expect(conn.commitVersionUpdate({ name: 'v' }, undefined, 'r1')).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await conn.execute({ sql: `SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'`, parameters: [] })).toEqual([{ n: 0 }]);
    // Down to base: the row is deleted and committed.
    await conn.begin();
    expect(await conn.commitVersionUpdate({ name: 'v' }, 'r1', undefined)).toBe(true);
    await conn.rollback();
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM "v"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('a scoped check (a large database): nothing for a new table without foreign keys, the new child table alone, the children of a dropped table, every table after a row or an unknown DROP', async () => {
    const { conn, sent } = await connect(false, 0);
    await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"))', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "v" VALUES ('r0')`, parameters: [] });
    const write = 'UPDATE "v" SET "version_num" = ? WHERE "version_num" = ?';
    const step = async (n: number, sql: string) => {
      await conn.begin();
      sent.length = 0;
      await conn.execute({ sql, parameters: [] });
      expect(await conn.commitVersionUpdate({ name: 'v' }, `r${n - 1}`, `r${n}`)).toBe(true);
      return [...sent];
    };
    expect(await step(1, 'CREATE TABLE "t1" ("a" int)')).toEqual(['CREATE TABLE "t1" ("a" int)', write, COUNTERS, DEFINITIONS, 'COMMIT']);
    // No statement reads the definitions at BEGIN: they were read before the last COMMIT.
    sent.length = 0;
    await conn.begin();
    expect(sent).toEqual(['BEGIN IMMEDIATE', COUNTERS]);
    await conn.rollback();
    expect(await step(2, 'CREATE TABLE "t2" ("p" integer REFERENCES "parent" ("id"))')).toEqual([
      'CREATE TABLE "t2" ("p" integer REFERENCES "parent" ("id"))', write, COUNTERS, DEFINITIONS,
      `SELECT "f".* FROM (VALUES (?)) AS "t", pragma_foreign_key_check("t"."column1", 'main') AS "f"`, 'COMMIT',
    ]);
    expect(await step(3, 'CREATE INDEX "ix_child" ON "child" ("parent_id")')).toEqual(['CREATE INDEX "ix_child" ON "child" ("parent_id")', write, COUNTERS, DEFINITIONS, 'COMMIT']);
    expect(await step(4, `INSERT INTO "t1" VALUES (1)`)).toEqual([`INSERT INTO "t1" VALUES (1)`, write, COUNTERS, 'PRAGMA foreign_key_check', 'COMMIT']);
    expect(await step(5, 'DROP INDEX "ix_child"')).toEqual(['DROP INDEX "ix_child"', write, COUNTERS, DEFINITIONS, 'COMMIT']);
    // Neither rows nor the schema changed but the version row: nothing to check.
    expect(await step(6, 'SELECT 1')).toEqual(['SELECT 1', write, COUNTERS, 'COMMIT']);
    expect(await step(7, 'DROP TABLE "t1"')).toEqual(['DROP TABLE "t1"', write, COUNTERS, DEFINITIONS, 'COMMIT']);
    expect(await step(8, 'DROP TABLE "parent"')).toEqual([
      'DROP TABLE "parent"', write, COUNTERS, DEFINITIONS,
      `SELECT "f".* FROM (VALUES (?), (?)) AS "t", pragma_foreign_key_check("t"."column1", 'main') AS "f"`, 'COMMIT',
    ]);
    // The word DROP where what it drops cannot be told: every table.
    expect(await step(9, 'CREATE TABLE "dropped" ("a" int)')).toEqual(['CREATE TABLE "dropped" ("a" int)', write, COUNTERS, 'PRAGMA foreign_key_check', 'COMMIT']);
  });

  it("executeLater (an op's DDL) runs a statement without parameters through exec, without preparing it, and in the order sent", async () => {
    const { conn, sent, prepared } = await connect(true);
    await conn.execute({ sql: `INSERT INTO "v" VALUES ('r0')`, parameters: [] });
    await conn.begin();
    sent.length = 0;
    prepared.length = 0;
    await conn.executeLater({ sql: 'CREATE TABLE "t1" ("a" int)', parameters: [] }, () => undefined);
    await conn.executeLater({ sql: 'INSERT INTO "t1" VALUES (?)', parameters: [7] }, () => undefined);
    expect(await conn.commitVersionUpdate({ name: 'v' }, 'r0', 'r1')).toBe(true);
    expect(sent).toEqual(['exec CREATE TABLE "t1" ("a" int)', 'INSERT INTO "t1" VALUES (?)', 'UPDATE "v" SET "version_num" = ? WHERE "version_num" = ?', 'PRAGMA foreign_key_check', 'COMMIT']);
    // The check was prepared by begin() (its baseline), before the lists were emptied.
    expect(prepared).toEqual(['INSERT INTO "t1" VALUES (?)', 'UPDATE "v" SET "version_num" = ? WHERE "version_num" = ?', 'COMMIT']);
    expect(await conn.execute({ sql: 'SELECT a FROM "t1"', parameters: [] })).toEqual([{ a: 7 }]);
  });

  it('executeLater: a text with ";" is prepared as before, so a second statement in it is refused, not run', async () => {
    const { conn, sent } = await connect(true);
    await conn.begin();
    sent.length = 0;
    await conn.executeLater({ sql: `CREATE TABLE "t1" ("a" text DEFAULT ';')`, parameters: [] }, () => undefined);
    await expect(conn.executeLater({ sql: 'CREATE TABLE "t2" ("a" int); DROP TABLE "t1"', parameters: [] }, () => undefined)).rejects.toThrow(/more than one statement/);
    await conn.executeLater({ sql: 'CREATE TABLE "t3" ("a" int)', parameters: [] }, () => undefined);
    await conn.commit();
    expect(sent.slice(0, 3)).toEqual([`CREATE TABLE "t1" ("a" text DEFAULT ';')`, 'exec CREATE TABLE "t3" ("a" int)', 'PRAGMA foreign_key_check']);
    expect(await conn.execute({ sql: `SELECT name FROM sqlite_master WHERE name LIKE 't_' ORDER BY name`, parameters: [] })).toEqual([{ name: 't1' }, { name: 't3' }]);
  });

  it('executeLater: a failing statement rejects with the driver\'s error, and the transaction rolls back as before', async () => {
    const { conn } = await connect(true);
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "t1" ("a" int)', parameters: [] }, () => undefined);
    await expect(conn.executeLater({ sql: 'CREATE TABLE "t1" ("a" int)', parameters: [] }, () => undefined)).rejects.toThrow(/table "t1" already exists/);
    await conn.rollback();
    expect(await conn.execute({ sql: `SELECT count(*) AS n FROM sqlite_master WHERE name = 't1'`, parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('executeLater outside a transaction after COMMIT (a revision without transaction) runs with foreign keys on', async () => {
    const { conn, sent } = await connect(true);
    await conn.execute({ sql: 'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id") ON DELETE CASCADE)', parameters: [] });
    await conn.execute({ sql: 'INSERT INTO "parent" VALUES (1)', parameters: [] });
    await conn.execute({ sql: 'INSERT INTO "child" VALUES (1, 1)', parameters: [] });
    await revision(conn, 1);
    sent.length = 0;
    await conn.executeLater({ sql: 'DELETE FROM "parent"', parameters: [] }, () => undefined); // cascades only with foreign keys on
    expect(sent).toEqual(['PRAGMA foreign_keys = ON', 'exec DELETE FROM "parent"']);
    expect(await conn.execute({ sql: 'SELECT count(*) AS n FROM "child"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('SqliteSession.exec leaves a statement to run() or Kysely while a Kysely query is queued, and for kept texts', async () => {
    const session = new SqliteSession(new Database(':memory:'));
    const db = new Kysely<any>({ dialect: session.kyselyDialect() });
    try {
      const first = db.executeQuery(CompiledQuery.raw('CREATE TABLE "t" ("a" int)'));
      expect(session.exec('INSERT INTO "t" VALUES (1)')).toBe(false);
      await first;
      expect(session.exec('INSERT INTO "t" VALUES (2)')).toBe(true);
      const queued = db.executeQuery(CompiledQuery.raw('SELECT count(*) AS n FROM "t"'));
      expect(session.exec('INSERT INTO "t" VALUES (3)')).toBe(false);
      expect((await queued).rows).toEqual([{ n: 1 }]);
      expect(session.exec('BEGIN IMMEDIATE')).toBe(false);
      expect(session.exec('INSERT INTO "t" VALUES (4); INSERT INTO "t" VALUES (5)')).toBe(false);
      expect(session.run('SELECT count(*) AS n FROM "t"', [])).toEqual({ rows: [{ n: 1 }], changes: 0 });
    } finally {
      await db.destroy();
    }
    expect(session.exec('SELECT 1')).toBe(false);
  });
});
