// PostgreSQL round trips per revision, on a real server: the pinned session sends BEGIN with the
// transaction's first statement and reads COMMIT's command tag instead of probing before COMMIT,
// and the version-table write travels with COMMIT (commitVersionUpdate), so a revision costs
// BEGIN+DDL and write+COMMIT: two round trips (were five, then three).
// The client is real; only its query method is wrapped to record what goes over the wire.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { PostgresConnection } from '../src/postgres/postgres-connection.js';
import { PostgresSession } from '../src/postgres/postgres-session.js';
import { POSTGRES } from './support/dialects.js';

POSTGRES.describeOnDatabase('PostgreSQL session: round trips per transaction', () => {
  const database = POSTGRES.useDatabase('pgsession');
  const open: PostgresConnection[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  async function connect(): Promise<{ conn: PostgresConnection; sent: string[]; maxInFlight: () => number }> {
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined); // the database is dropped after the file
    await client.connect();
    let ended: Promise<void> | undefined;
    const end = () => (ended ??= client.end().catch(() => undefined));
    const sent: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      sent.push(String(args[0]));
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      return query(...args).finally(() => inFlight--);
    };
    const session = new PostgresSession(client, end);
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: session.pool }) });
    const conn = new PostgresConnection({ bind: 'test', db, session, close: async () => {
      await db.destroy();
      await end(); // Kysely ends the pool only once a query ran through it
    } });
    open.push(conn);
    return { conn, sent, maxInFlight: () => maxInFlight };
  }

  it('a revision: BEGIN travels with the DDL, then the version write and COMMIT', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    sent.length = 0;
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "t1" ("a" int)', parameters: [] });
    await conn.execute({ sql: 'INSERT INTO "v" VALUES ($1)', parameters: ['r1'] });
    await conn.commit();
    expect(sent).toEqual(['BEGIN;CREATE TABLE "t1" ("a" int)', 'INSERT INTO "v" VALUES ($1)', 'COMMIT']);
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "t1"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('a revision through commitVersionUpdate: BEGIN+DDL, then the guarded UPDATE with COMMIT (two round trips)', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "v2" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "v2" VALUES ('r1')`, parameters: [] });
    sent.length = 0;
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "t2" ("a" int)', parameters: [] });
    expect(await conn.commitVersionUpdate({ name: 'v2' }, 'r1', 'r2')).toBe(true);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe('BEGIN;CREATE TABLE "t2" ("a" int)');
    expect(sent[1]).toMatch(/^WITH u AS \(UPDATE "v2" SET "version_num" = E'r2' WHERE "version_num" = E'r1' RETURNING 1\) .*;COMMIT$/);
    expect(await conn.execute({ sql: 'SELECT version_num FROM "v2"', parameters: [] })).toEqual([{ version_num: 'r2' }]);
    // Committed: a rollback now undoes nothing, and the table is there.
    await conn.rollback();
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "t2"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('commitVersionUpdate inserts from base and deletes to base, each with COMMIT in one query', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE SCHEMA "vs"', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE "vs"."v3" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    sent.length = 0;
    await conn.begin();
    expect(await conn.commitVersionUpdate({ name: 'v3', schema: 'vs' }, undefined, 'r1')).toBe(true);
    expect(sent).toEqual([`BEGIN;INSERT INTO "vs"."v3" ("version_num") VALUES (E'r1');COMMIT`]);
    expect(await conn.execute({ sql: 'SELECT version_num FROM "vs"."v3"', parameters: [] })).toEqual([{ version_num: 'r1' }]);
    await conn.begin();
    expect(await conn.commitVersionUpdate({ name: 'v3', schema: 'vs' }, 'r1', undefined)).toBe(true);
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "vs"."v3"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('commitVersionUpdate with no row to replace commits nothing and returns false (the revision rolls back)', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "v4" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "v4" VALUES ('other')`, parameters: [] });
    for (const [from, to] of [['r1', 'r2'], ['r1', undefined]] as const) {
      sent.length = 0;
      await conn.begin();
      await conn.execute({ sql: 'CREATE TABLE "t4" ("a" int)', parameters: [] });
      expect(await conn.commitVersionUpdate({ name: 'v4' }, from, to)).toBe(false);
      expect(sent.at(-1)).toBe('ROLLBACK');
      expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname = 't4'", parameters: [] })).toEqual([{ n: 0 }]);
      expect(await conn.execute({ sql: 'SELECT version_num FROM "v4"', parameters: [] })).toEqual([{ version_num: 'other' }]);
    }
  });

  it('commitVersionUpdate after an error the revision swallowed throws and commits nothing', async () => {
    const { conn } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "v5" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "half5" ("a" int)', parameters: [] });
    await conn.execute({ sql: 'SELECT * FROM "missing"', parameters: [] }).catch(() => undefined);
    await expect(conn.commitVersionUpdate({ name: 'v5' }, undefined, 'r1')).rejects.toMatchObject({ code: '25P02' });
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'half5'", parameters: [] })).toEqual([{ n: 0 }]);
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "v5"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('commitVersionUpdate writes quotes and backslashes as they are, whatever standard_conforming_strings says', async () => {
    const { conn } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "v6" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    for (const setting of ['on', 'off']) {
      await conn.execute({ sql: `SET standard_conforming_strings = ${setting}`, parameters: [] });
      await conn.execute({ sql: 'DELETE FROM "v6"', parameters: [] });
      await conn.begin();
      expect(await conn.commitVersionUpdate({ name: 'v6' }, undefined, "a'b\\c")).toBe(true);
      await conn.begin();
      expect(await conn.commitVersionUpdate({ name: 'v6' }, "a'b\\c", "d\\'e")).toBe(true);
      expect(await conn.execute({ sql: 'SELECT version_num FROM "v6"', parameters: [] })).toEqual([{ version_num: "d\\'e" }]);
    }
  });

  it('readVersionTable: one SELECT on an own session; in a transaction or on a borrowed connection, no query that fails', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "v7" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "v7" VALUES ('r1')`, parameters: [] });
    sent.length = 0;
    expect(await conn.readVersionTable({ name: 'v7' })).toEqual(['r1']);
    expect(await conn.readVersionTable({ name: 'v7_missing' })).toBeUndefined();
    expect(sent).toEqual(['SELECT "version_num" FROM "v7"', 'SELECT "version_num" FROM "v7_missing"']);
    // In a transaction, a failing SELECT would abort it: the catalog is asked first.
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "t7" ("a" int)', parameters: [] });
    expect(await conn.readVersionTable({ name: 'v7_missing' })).toBeUndefined();
    expect(await conn.readVersionTable({ name: 'v7' })).toEqual(['r1']);
    await conn.commit();
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "t7"', parameters: [] })).toEqual([{ n: 0 }]);
    // A borrowed connection (no session): the same care outside multidb's transactions.
    const borrowed = new PostgresConnection({ bind: 'test', db: conn.db, close: async () => undefined });
    await borrowed.execute({ sql: 'BEGIN', parameters: [] }); // the tooling's own transaction
    expect(await borrowed.readVersionTable({ name: 'v7_missing' })).toBeUndefined();
    expect(await borrowed.execute({ sql: 'SELECT 1 AS one', parameters: [] })).toEqual([{ one: 1 }]);
    await borrowed.execute({ sql: 'ROLLBACK', parameters: [] });
  });

  it('a first statement with parameters gets BEGIN on its own, still inside the transaction', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "p" ("a" int)', parameters: [] });
    sent.length = 0;
    await conn.begin();
    await conn.execute({ sql: 'INSERT INTO "p" VALUES ($1)', parameters: [1] });
    await conn.rollback();
    expect(sent).toEqual(['BEGIN', 'INSERT INTO "p" VALUES ($1)', 'ROLLBACK']);
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "p"', parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('a transaction in which nothing ran sends nothing', async () => {
    const { conn, sent } = await connect();
    await conn.begin();
    await conn.commit();
    await conn.begin();
    await conn.rollback();
    expect(sent).toEqual([]);
  });

  it('COMMIT of an aborted transaction (tag ROLLBACK) throws 25P02 and leaves nothing', async () => {
    const { conn } = await connect();
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "half" ("a" int)', parameters: [] });
    await conn.execute({ sql: 'SELECT * FROM "missing"', parameters: [] }).catch(() => undefined); // swallowed by the author
    await expect(conn.commit()).rejects.toMatchObject({ code: '25P02' });
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'half'", parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('queries sent at once (Promise.all, as kysely-codegen does) reach the client one at a time, in order', async () => {
    const { conn, sent, maxInFlight } = await connect();
    const results = await Promise.all([1, 2, 3].map((n) => conn.execute({ sql: `SELECT ${n} AS n, pg_sleep(0.05)::text AS s`, parameters: [] })));
    expect(results.map((r) => (r[0] as { n: number }).n)).toEqual([1, 2, 3]);
    expect(sent).toEqual([1, 2, 3].map((n) => `SELECT ${n} AS n, pg_sleep(0.05)::text AS s`));
    expect(maxInFlight()).toBe(1);
    // A failing query does not stop the ones queued after it.
    const settled = await Promise.allSettled([conn.execute({ sql: 'SELECT * FROM "missing"', parameters: [] }), conn.execute({ sql: 'SELECT 4 AS n', parameters: [] })]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled']);
  });
});
