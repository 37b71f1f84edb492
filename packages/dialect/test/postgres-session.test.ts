// PostgreSQL round trips per revision, on a real server: the pinned session sends BEGIN with the
// transaction's first statement and reads COMMIT's command tag instead of probing before COMMIT,
// and the version-table write travels with COMMIT (commitVersionUpdate): with execute, a revision
// costs BEGIN+DDL and write+COMMIT, two round trips (were five, then three). An op's DDL may be
// held back (executeLater) and travel with the version write and COMMIT: a revision that ends in
// DDL is then one round trip.
// The client is real; only its query method is wrapped to record what goes over the wire.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { PostgresConnection } from '../src/postgres/postgres-connection.js';
import { PipelineAbortedError, PostgresSession } from '../src/postgres/postgres-session.js';
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
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const submitted = args[0] as string | { text: string };
      sent.push(typeof submitted === 'string' ? submitted : submitted.text);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      if (typeof submitted === 'string') return (query(...args) as Promise<unknown>).finally(() => inFlight--);
      // A Query object (the session's own, for a held statement): settled through its callback.
      const callback = (submitted as unknown as { callback: (...a: unknown[]) => void }).callback;
      (submitted as unknown as { callback: (...a: unknown[]) => void }).callback = (...a: unknown[]) => {
        inFlight--;
        callback(...a);
      };
      return query(...args);
    };
    const session = new PostgresSession(client, end, pg.Query);
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

  it('a revision through execute and commitVersionUpdate: BEGIN+DDL, then the guarded UPDATE with COMMIT (two round trips)', async () => {
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
  it('executeLater in a transaction: the DDL travels with the version write and COMMIT (one round trip), or with COMMIT alone', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "h1v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "h1v" VALUES ('r1')`, parameters: [] });
    sent.length = 0;
    const errors: unknown[] = [];
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "h1a" ("a" int)', parameters: [] }, (e) => errors.push(e));
    expect(sent).toEqual([]);
    expect(await conn.commitVersionUpdate({ name: 'h1v' }, 'r1', 'r2')).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^BEGIN;CREATE TABLE "h1a" \("a" int\);WITH u AS \(UPDATE "h1v" .*;COMMIT$/s);
    sent.length = 0;
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "h1b" ("a" int)', parameters: [] }, (e) => errors.push(e));
    await conn.commit();
    expect(sent).toEqual(['BEGIN;CREATE TABLE "h1b" ("a" int);COMMIT']);
    expect(errors).toEqual([]);
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('h1a', 'h1b')", parameters: [] })).toEqual([{ n: 2 }]);
    expect(await conn.execute({ sql: 'SELECT version_num FROM "h1v"', parameters: [] })).toEqual([{ version_num: 'r2' }]);
  });

  it('a held statement goes out on its own before the next query (a statement, a Kysely query), whose rows come back as before', async () => {
    const { conn, sent } = await connect();
    const errors: unknown[] = [];
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "h2a" ("a" int)', parameters: [] }, (e) => errors.push(e));
    await conn.executeLater({ sql: 'CREATE TABLE "h2b" ("a" int)', parameters: [] }, (e) => errors.push(e));
    expect(sent).toEqual(['BEGIN;CREATE TABLE "h2a" ("a" int)']);
    expect(await conn.db.selectFrom('h2b').select((eb) => eb.fn.countAll<number>().as('n')).execute()).toEqual([{ n: '0' }]);
    expect(sent).toEqual(['BEGIN;CREATE TABLE "h2a" ("a" int)', 'CREATE TABLE "h2b" ("a" int)', 'select count(*) as "n" from "h2b"']);
    await conn.commit();
    expect(sent.at(-1)).toBe('COMMIT');
    expect(errors).toEqual([]);
  });

  it('a held statement that fails: its onError gets the error, the call that sent it rejects with it, the transaction rolls back', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "h3v" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE "h3x" ("a" int)', parameters: [] });
    // At COMMIT (with the version write): the write is not run, nothing is committed.
    let held: unknown;
    await conn.begin();
    await conn.execute({ sql: 'CREATE TABLE "h3a" ("a" int)', parameters: [] });
    await conn.executeLater({ sql: 'CREATE TABLE "h3x" ("a" int)', parameters: [] }, (e) => (held = e));
    const atCommit = await conn.commitVersionUpdate({ name: 'h3v' }, undefined, 'r1').catch((e: unknown) => e);
    expect(atCommit).toMatchObject({ code: '42P07' });
    expect(held).toBe(atCommit);
    expect(sent.at(-1)).toBe('ROLLBACK');
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'h3a'", parameters: [] })).toEqual([{ n: 0 }]);
    expect(await conn.execute({ sql: 'SELECT count(*)::int AS n FROM "h3v"', parameters: [] })).toEqual([{ n: 0 }]);
    // Sent by the next statement: that statement is not sent.
    held = undefined;
    sent.length = 0;
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "h3x" ("a" int)', parameters: [] }, (e) => (held = e));
    const atNext = await conn.execute({ sql: 'CREATE TABLE "h3b" ("a" int)', parameters: [] }).catch((e: unknown) => e);
    expect(atNext).toMatchObject({ code: '42P07' });
    expect(held).toBe(atNext);
    await conn.rollback();
    expect(sent).toEqual(['BEGIN;CREATE TABLE "h3x" ("a" int)', 'ROLLBACK']);
    // At a plain COMMIT.
    held = undefined;
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "h3x" ("a" int)', parameters: [] }, (e) => (held = e));
    const atPlainCommit = await conn.commit().catch((e: unknown) => e);
    expect(atPlainCommit).toMatchObject({ code: '42P07' });
    expect(held).toBe(atPlainCommit);
    expect(await conn.execute({ sql: 'SELECT 1 AS one', parameters: [] })).toEqual([{ one: 1 }]); // the session is usable
  });

  it('a first statement that does not parse still leaves the transaction open and aborted: what follows is not committed on its own', async () => {
    // PostgreSQL parses BEGIN;<statement> as a whole: a syntax error rejects BEGIN too.
    const { conn, sent } = await connect();
    await conn.begin();
    const direct = await conn.execute({ sql: 'SELEC 1', parameters: [] }).catch((e: unknown) => e);
    expect(direct).toMatchObject({ code: '42601', position: '1' });
    // A revision that caught the error: its next statement is refused, as after a BEGIN of its own.
    await expect(conn.execute({ sql: 'CREATE TABLE "p1" ("a" int)', parameters: [] })).rejects.toMatchObject({ code: '25P02' });
    await expect(conn.commit()).rejects.toMatchObject({ code: '25P02' });
    expect(sent).toEqual(['BEGIN;SELEC 1', 'BEGIN', 'SELEC 1', 'CREATE TABLE "p1" ("a" int)', 'COMMIT', 'ROLLBACK']);
    // A held statement that does not parse, sent by the next query.
    const bad = 'CREATE TABLE "p2" ("a" int,)';
    let held: unknown;
    await conn.begin();
    await conn.executeLater({ sql: bad, parameters: [] }, (e) => (held = e));
    const next = await conn.execute({ sql: 'CREATE TABLE "p3" ("a" int)', parameters: [] }).catch((e: unknown) => e);
    expect(next).toMatchObject({ code: '42601' });
    expect(held).toBe(next);
    expect(bad.slice(Number((next as { position: string }).position) - 1)).toBe(')');
    await expect(conn.execute({ sql: 'CREATE TABLE "p4" ("a" int)', parameters: [] })).rejects.toMatchObject({ code: '25P02' });
    await conn.rollback();
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('p1', 'p2', 'p3', 'p4')", parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('a held statement the transaction rolls back is never sent', async () => {
    const { conn, sent } = await connect();
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "h4" ("a" int)', parameters: [] }, () => undefined);
    await conn.rollback();
    expect(sent).toEqual([]);
    expect(await conn.execute({ sql: "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'h4'", parameters: [] })).toEqual([{ n: 0 }]);
  });

  it('sent at once: outside a transaction, after a savepoint, after the revision committed by itself, with parameters, several statements or a trailing line comment', async () => {
    const { conn, sent } = await connect();
    const later = (sql: string, parameters: readonly unknown[] = []) => conn.executeLater({ sql, parameters }, () => undefined);
    await later('CREATE TABLE "h5a" ("a" int)');
    expect(sent).toEqual(['CREATE TABLE "h5a" ("a" int)']);
    // A savepoint: a revision may catch an error and roll back to it, so every error must come at once.
    sent.length = 0;
    await conn.begin();
    await conn.execute({ sql: 'SAVEPOINT s1', parameters: [] });
    const caught = await later('CREATE TABLE "h5a" ("a" int)').catch((e: unknown) => e);
    expect(caught).toMatchObject({ code: '42P07' });
    await conn.execute({ sql: 'ROLLBACK TO SAVEPOINT s1', parameters: [] });
    await later('CREATE TABLE "h5b" ("a" int)');
    await conn.commit();
    expect(sent).toEqual(['BEGIN;SAVEPOINT s1', 'CREATE TABLE "h5a" ("a" int)', 'ROLLBACK TO SAVEPOINT s1', 'CREATE TABLE "h5b" ("a" int)', 'COMMIT']);
    // The next transaction holds again.
    sent.length = 0;
    await conn.begin();
    await later('CREATE TABLE "h5c" ("a" int)');
    expect(sent).toEqual([]);
    await conn.commit();
    // A revision that ended the transaction itself (COMMIT, then statements in autocommit).
    sent.length = 0;
    await conn.begin();
    await conn.execute({ sql: 'COMMIT', parameters: [] });
    await later('CREATE TABLE "h5d" ("a" int)');
    expect(sent).toEqual(['BEGIN;COMMIT', 'CREATE TABLE "h5d" ("a" int)']);
    await conn.commit();
    // What cannot be joined to other statements with ';'.
    await conn.begin();
    sent.length = 0;
    await later('CREATE TABLE "h5e" ("a" int); CREATE TABLE "h5f" ("a" int)');
    await later('CREATE TABLE "h5g" ("a" int) -- a comment');
    await later('INSERT INTO "h5g" VALUES ($1)', [1]);
    expect(sent).toEqual(['BEGIN;CREATE TABLE "h5e" ("a" int); CREATE TABLE "h5f" ("a" int)', 'CREATE TABLE "h5g" ("a" int) -- a comment', 'INSERT INTO "h5g" VALUES ($1)']);
    // A ';' inside a string or a quoted name is no statement of its own.
    await later(`COMMENT ON TABLE "h5g" IS 'a; b'`);
    expect(sent).toHaveLength(3);
    await conn.commit();
    expect(sent.at(-1)).toBe(`COMMENT ON TABLE "h5g" IS 'a; b';COMMIT`);
  });

  // Pipelined: the next transaction is begun and its statements queued while COMMIT is on the server.
  const exists = async (conn: PostgresConnection, table: string): Promise<boolean> =>
    (await conn.execute({ sql: `SELECT to_regclass('${table}') IS NOT NULL AS present`, parameters: [] }))[0]!.present === true;
  const status = (conn: PostgresConnection): Promise<readonly Record<string, unknown>[]> =>
    conn.execute({ sql: `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = pg_backend_pid() AND state LIKE 'idle in transaction%'`, parameters: [] });

  it('a pipelined commit: the next transaction goes out behind it, in order, without waiting for it', async () => {
    const { conn, sent } = await connect();
    await conn.execute({ sql: 'CREATE TABLE "pv" ("version_num" varchar(32) PRIMARY KEY)', parameters: [] });
    await conn.execute({ sql: `INSERT INTO "pv" VALUES ('r0')`, parameters: [] });
    expect(conn.pipelinesCommits).toBe(true);
    sent.length = 0;
    await conn.begin();
    await conn.executeLater({ sql: 'CREATE TABLE "p1" ("a" int)', parameters: [] }, () => undefined);
    const first = conn.commitVersionUpdate({ name: 'pv' }, 'r0', 'r1', { pipelined: true });
    let answered = false;
    void first.then(() => (answered = true));
    // The next revision, before the first COMMIT is answered: it reads p1, which the commit created.
    await conn.begin();
    const held = conn.executeLater({ sql: 'CREATE TABLE "p2" ("a" int)', parameters: [] }, () => undefined);
    const read = conn.execute({ sql: 'SELECT count(*)::int AS n FROM "p1"', parameters: [] });
    expect(answered).toBe(false);
    expect(sent).toHaveLength(1);
    expect(await read).toEqual([{ n: 0 }]); // a revision awaits its queries before its commit
    const second = conn.commitVersionUpdate({ name: 'pv' }, 'r1', 'r2', { pipelined: true });
    expect(await Promise.all([first, held, second])).toEqual([true, undefined, true]);
    expect(sent[0]).toMatch(/^BEGIN;CREATE TABLE "p1" \("a" int\);WITH u AS \(UPDATE "pv" .*E'r1'.*;COMMIT$/s);
    expect(sent.slice(1, 3)).toEqual(['BEGIN;CREATE TABLE "p2" ("a" int)', 'SELECT count(*)::int AS n FROM "p1"']);
    expect(sent[3]).toMatch(/^WITH u AS \(UPDATE "pv" .*E'r2'.*;COMMIT$/s);
    expect(sent).toHaveLength(4);
    expect(await conn.execute({ sql: 'SELECT version_num FROM "pv"', parameters: [] })).toEqual([{ version_num: 'r2' }]);
  });

  it.each([
    ['its held statement fails', 'CREATE TABLE "pv_f1" ("a" int)', undefined, 'r1', 'r2', '42P07'],
    ['the version row is not there', 'CREATE TABLE "q2" ("a" int)', undefined, 'rX', 'r2', undefined],
    ['PostgreSQL answers ROLLBACK (a caught error aborted the transaction)', 'CREATE TABLE "q3" ("a" int)', 'SELECT 1/0', 'r1', 'r2', '25P02'],
  ])('a pipelined commit that fails (%s): nothing queued behind it is sent until rollback(), and the session is usable after', async (_case, setup, failing, from, to, code) => {
    const { conn, sent } = await connect();
    const suffix = (code ?? 'conflict').toLowerCase();
    const version = `pvf_${suffix}`;
    const t = (name: string) => `"${name}_${suffix}"`;
    await conn.execute({ sql: `CREATE TABLE "${version}" ("version_num" varchar(32) PRIMARY KEY)`, parameters: [] });
    await conn.execute({ sql: `INSERT INTO "${version}" VALUES ('r1')`, parameters: [] });
    if (code === '42P07') await conn.execute({ sql: 'CREATE TABLE "pv_f1" ("a" int)', parameters: [] });
    await conn.begin();
    if (code === '25P02') {
      await conn.executeLater({ sql: setup, parameters: [] }, () => undefined);
      await expect(conn.execute({ sql: failing!, parameters: [] })).rejects.toMatchObject({ code: '22012' }); // caught by the revision
    } else {
      await conn.executeLater({ sql: `CREATE TABLE ${t('q1')} ("a" int)`, parameters: [] }, () => undefined);
      await conn.executeLater({ sql: setup, parameters: [] }, () => undefined); // held until the commit
    }
    sent.length = 0;
    const commit = conn.commitVersionUpdate({ name: version }, from, to, { pipelined: true });
    // The next revision: begun, two held statements (the second sends the first), a query, its commit.
    await conn.begin();
    const next = [
      conn.executeLater({ sql: `CREATE TABLE ${t('n1')} ("a" int)`, parameters: [] }, () => undefined),
      conn.executeLater({ sql: `CREATE TABLE ${t('n2')} ("a" int)`, parameters: [] }, () => undefined),
      conn.execute({ sql: `CREATE TABLE ${t('n3')} ("a" int)`, parameters: [] }),
      conn.commitVersionUpdate({ name: version }, to, 'r3', { pipelined: true }),
    ].map((p) => p.then(() => 'sent', (error: unknown) => error));
    if (code) await expect(commit).rejects.toMatchObject({ code });
    else expect(await commit).toBe(false);
    for (const outcome of await Promise.all(next)) {
      expect(outcome).toBeInstanceOf(PipelineAbortedError);
      expect((outcome as Error).message).toMatch(/^Not sent: the transaction before it on this connection failed to commit/);
    }
    expect(sent).toHaveLength(2); // the failed commit and the session's ROLLBACK
    expect(sent[1]).toBe('ROLLBACK');
    // Still refused until rollback(), which sends nothing (nothing is open on the server).
    await expect(conn.execute({ sql: 'SELECT 1', parameters: [] })).rejects.toBeInstanceOf(PipelineAbortedError);
    await conn.rollback();
    expect(sent).toHaveLength(2);
    // Usable again, outside a transaction, with nothing of either revision committed.
    expect(await status(conn)).toEqual([{ n: 0 }]);
    for (const name of ['q1', 'n1', 'n2', 'n3']) expect(await exists(conn, t(name))).toBe(false);
    expect(await exists(conn, setup.slice('CREATE TABLE '.length, setup.indexOf(' ('))) && code !== '42P07').toBe(false);
    expect(await conn.execute({ sql: `SELECT version_num FROM "${version}"`, parameters: [] })).toEqual([{ version_num: 'r1' }]);
    await conn.begin();
    await conn.executeLater({ sql: `CREATE TABLE ${t('n4')} ("a" int)`, parameters: [] }, () => undefined);
    expect(await conn.commitVersionUpdate({ name: version }, 'r1', 'r4')).toBe(true);
    expect(await exists(conn, t('n4'))).toBe(true);
  });
});
