// The liveness watch and the end of a connection given up on act only on the very session on the
// very server (review of the dead-connection change): a probe that reached another server, or a
// pid / thread id that is not the session's (a pooler's, a proxy's, one reused), concludes nothing
// ('unverified'), and pg_terminate_backend / KILL CONNECTION never reach another session. Real
// servers; the identities that do not match are the real one with one field changed. A
// PostgreSQL role that may not read pg_stat_activity (revoked from PUBLIC) connects and is named
// as any other (was: the connection's first query failed, 42501), its session identified by its
// pid alone: the watch still probes it (the server reachable or not), a probe concludes nothing
// else, and the session is never ended from a side connection.
import { Kysely, PostgresDialect } from 'kysely';
import mysql from 'mysql2';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { PostgresConnection } from '../src/postgres/postgres-connection.js';
import { PostgresSession } from '../src/postgres/postgres-session.js';
import { POSTGRES_SESSION_COLUMNS, postgresSessionState, terminatePostgresSession, type PostgresSessionIdentity, type ProbeClientClass } from '../src/postgres/postgres-session-probe.js';
import { endMysqlSession, MYSQL_SESSION_COLUMNS, mysqlSessionState, verifiedMysqlSession } from '../src/mysql/mysql-session-probe.js';
import { killQuery, KillQueryUnverifiedError } from '../src/mysql/mysql-kill-query.js';
import { serverOptions } from './support/mysql-database.js';
import { MYSQL, POSTGRES } from './support/dialects.js';
import { withAdminClient } from './support/postgres-database.js';
import type { DialectConnection } from '@multidb/core';

POSTGRES.describeOnDatabase('PostgreSQL: the liveness probe and the end of a session check its identity', () => {
  const database = POSTGRES.useDatabase('pgidentity');
  const Client = pg.Client as unknown as ProbeClientClass;
  const config = () => ({ connectionString: database.url });

  /** A connection the driver opened and its identity, read on it. */
  async function session(): Promise<{ conn: DialectConnection; identity: PostgresSessionIdentity }> {
    const conn = await database.connect();
    const [row] = await conn.execute({ sql: `SELECT extract(epoch FROM pg_postmaster_start_time())::text AS started, current_setting('port') AS port, ${POSTGRES_SESSION_COLUMNS}`, parameters: [] });
    return { conn, identity: { pid: Number(row!['pid']), backendStart: String(row!['backend_start']), serverStarted: String(row!['started']), port: String(row!['port']) } };
  }

  it("answers 'running' for the session, 'unverified' on another server, 'gone' for another session of its pid", async () => {
    const { identity } = await session();
    expect(await postgresSessionState(Client, config(), identity, 10_000)).toBe('running');
    expect(await postgresSessionState(Client, config(), { ...identity, serverStarted: '1.5' }, 10_000)).toBe('unverified');
    expect(await postgresSessionState(Client, config(), { ...identity, port: '1' }, 10_000)).toBe('unverified');
    expect(await postgresSessionState(Client, config(), { ...identity, backendStart: '1.5' }, 10_000)).toBe('gone');
  });

  it('ends the session only when its pid, its start and the server match', async () => {
    const { conn, identity } = await session();
    expect(await terminatePostgresSession(Client, config(), { ...identity, backendStart: '1.5' }, 10_000)).toBe(false);
    expect(await terminatePostgresSession(Client, config(), { ...identity, serverStarted: '1.5' }, 10_000)).toBe(false);
    expect(await conn.execute({ sql: 'SELECT 1 AS one', parameters: [] })).toEqual([{ one: 1 }]);
    expect(await terminatePostgresSession(Client, config(), identity, 10_000)).toBe(true);
    await vi.waitFor(() => expect(conn.lost?.()).toBe(true), { timeout: 30_000 });
  });

  const opened: PostgresConnection[] = [];
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
  });

  /** A connection on a real client, as the driver makes it, whose backend pid is `backendPid` (the server's, or a pooler's). */
  async function connection(backendPid: (real: number) => number, probe: () => Promise<'running'>): Promise<PostgresConnection> {
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined);
    await client.connect();
    const end = () => client.end().catch(() => undefined);
    const pgSession = new PostgresSession(client, end, pg.Query);
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pgSession.pool }) });
    const real = (client as unknown as { processID: number }).processID;
    const conn = new PostgresConnection({
      bind: 'test',
      db,
      session: pgSession,
      backendPid: backendPid(real),
      abandon: () => undefined,
      probe,
      inFlight: () => 'a statement',
      close: async () => {
        await db.destroy();
        await end();
      },
    });
    opened.push(conn);
    return conn;
  }

  it("watches only a session whose pg_backend_pid() is the client's backend pid (a pooler's pid: no watch)", async () => {
    let probes = 0;
    const probe = async () => (probes++, 'running' as const);
    const own = await connection((real) => real, probe);
    await own.identity();
    own.watchForLoss()(); // the first probe is asked at once, a statement being in flight
    expect(probes).toBe(1);
    const pooled = await connection((real) => real + 100_000, probe);
    await pooled.identity();
    pooled.watchForLoss()();
    expect(probes).toBe(1);
  });
});

POSTGRES.describeOnDatabase('PostgreSQL: a role that may not read pg_stat_activity', () => {
  const database = POSTGRES.useDatabase('pgnoactivity');
  const Client = pg.Client as unknown as ProbeClientClass;
  const role = `multidb_noactivity_${randomBytes(3).toString('hex')}`;
  /** The database's URL as the role. */
  const roleUrl = () => {
    const u = new URL(database.url);
    u.username = role;
    u.password = '';
    return u.toString();
  };
  beforeAll(async () => {
    await withAdminClient(async (c) => {
      await c.query('REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC');
      await c.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER`);
    }, database.url);
  });
  afterAll(async () => {
    await withAdminClient((c) => c.query('GRANT SELECT ON pg_catalog.pg_stat_activity TO PUBLIC'), database.url);
    await withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`));
  });

  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
  });

  it('connects and names the database as the server\'s superuser does, outside a transaction and in one', async () => {
    const admin = await database.connect();
    const conn = await POSTGRES.driver.connect({ bind: 'test', url: roleUrl(), baseDir: '/' });
    opened.push(conn);
    await expect(conn.execute({ sql: 'SELECT 1 FROM pg_catalog.pg_stat_activity', parameters: [] })).rejects.toMatchObject({ code: '42501' });
    expect(await conn.identity()).toBe(await admin.identity());
    const inTransaction = await POSTGRES.driver.connect({ bind: 'test', url: roleUrl(), baseDir: '/' });
    opened.push(inTransaction);
    await inTransaction.begin();
    expect(await inTransaction.identity()).toBe(await admin.identity());
    await inTransaction.commit(); // the transaction was not aborted by a refused query
  });

  it("its session, identified by its pid alone, is probed ('unverified': the server reachable) and never ended from a side connection", async () => {
    const client = new pg.Client({ connectionString: roleUrl() });
    client.on('error', () => undefined);
    await client.connect();
    const end = () => client.end().catch(() => undefined);
    const pgSession = new PostgresSession(client, end, pg.Query);
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pgSession.pool }) });
    const probed: PostgresSessionIdentity[] = [];
    const conn = new PostgresConnection({
      bind: 'test',
      db,
      session: pgSession,
      backendPid: (client as unknown as { processID: number }).processID,
      abandon: () => undefined,
      probe: async (identity) => (probed.push(identity), postgresSessionState(Client, { connectionString: roleUrl() }, identity, 10_000)),
      inFlight: () => 'a statement',
      close: async () => {
        await db.destroy();
        await end();
      },
    });
    opened.push(conn);
    await conn.identity();
    const stop = conn.watchForLoss(); // the first probe is asked at once, a statement being in flight
    stop();
    const [row] = await conn.execute({ sql: "SELECT pg_backend_pid() AS pid, extract(epoch FROM pg_postmaster_start_time())::text AS started, current_setting('port') AS port", parameters: [] });
    const identity: PostgresSessionIdentity = { pid: Number(row!['pid']), serverStarted: String(row!['started']), port: String(row!['port']) };
    expect(probed).toEqual([identity]);
    expect(await postgresSessionState(Client, { connectionString: roleUrl() }, identity, 10_000)).toBe('unverified');
    expect(await terminatePostgresSession(Client, { connectionString: roleUrl() }, identity, 10_000)).toBe(false);
    expect(await conn.execute({ sql: 'SELECT 1 AS one', parameters: [] })).toEqual([{ one: 1 }]);
  });
});

MYSQL.describeOnDatabase('MariaDB/MySQL: the liveness probe and the end of a session check its identity', () => {
  const database = MYSQL.useDatabase('myidentity');
  const config = () => ({ ...serverOptions(database.url), database: database.name });

  async function session() {
    const conn = await database.connect();
    const [row] = await conn.execute({ sql: `SELECT DATABASE() AS db, ${MYSQL_SESSION_COLUMNS}`, parameters: [] });
    const identity = verifiedMysqlSession(row, Number(row!['connection_id']))!;
    expect(identity).toBeDefined();
    return { conn, identity };
  }

  it("answers 'running' for the session, 'unverified' on another server or for another user's id, 'gone' for an id the server does not have", async () => {
    const { identity } = await session();
    expect(await mysqlSessionState(mysql, config(), identity, 10_000)).toBe('running');
    expect(await mysqlSessionState(mysql, config(), { ...identity, hostname: 'another-node' }, 10_000)).toBe('unverified');
    expect(await mysqlSessionState(mysql, config(), { ...identity, serverId: `${identity.serverId}9` }, 10_000)).toBe('unverified');
    expect(await mysqlSessionState(mysql, config(), { ...identity, user: 'someone_else' }, 10_000)).toBe('unverified');
    expect(await mysqlSessionState(mysql, config(), { ...identity, threadId: 4_000_000_000 }, 10_000)).toBe('gone');
  });

  it('kills the session only when the same server has the id with the same user and database', async () => {
    const { conn, identity } = await session();
    expect(await endMysqlSession(mysql, config(), { ...identity, hostname: 'another-node' }, 10_000)).toBe(false);
    expect(await endMysqlSession(mysql, config(), { ...identity, user: 'someone_else' }, 10_000)).toBe(false);
    expect(await endMysqlSession(mysql, config(), { ...identity, database: 'another_db' }, 10_000)).toBe(false);
    expect(await conn.execute({ sql: 'SELECT 1 AS one', parameters: [] })).toEqual([{ one: 1 }]);
    expect(await endMysqlSession(mysql, config(), identity, 10_000)).toBe(true);
    await vi.waitFor(() => expect(conn.lost?.()).toBe(true), { timeout: 30_000 });
  });

  /** Another session, of no database, running `SELECT SLEEP(30)`: its thread id, and how its statement ends. */
  async function sleeper() {
    const raw = mysql.createConnection(serverOptions(database.url));
    raw.on('error', () => undefined);
    const id = await new Promise<number>((resolve, reject) => raw.query('SELECT CONNECTION_ID() AS id', (e, rows) => (e ? reject(e) : resolve(Number((rows as { id: number }[])[0]!.id)))));
    const ended = new Promise<{ errno?: number }>((resolve) => raw.query('SELECT SLEEP(30) AS s', (e) => resolve(e ? { errno: e.errno } : {})));
    opened.push({ close: async () => raw.destroy() });
    return { id, ended };
  }

  /** Whether session `id` is running a statement, as `observer` reads it from the server. */
  async function running(observer: DialectConnection, id: number): Promise<boolean> {
    const [row] = await observer.execute({ sql: "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ? AND COMMAND = 'Query'", parameters: [id] });
    return Number(row!['n']) === 1;
  }

  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
  });

  // The second Ctrl-C's KILL QUERY: on MariaDB one guarded statement, on MySQL the check then the
  // kill; both paths run here, against MariaDB.
  for (const flavour of ['mariadb', 'mysql'] as const) {
    it(`KILL QUERY (the ${flavour} path) spares another session's statement: another server, or the id of another user's or database's session`, async () => {
      const { conn: observer, identity } = await session();
      const other = await sleeper();
      await vi.waitFor(async () => expect(await running(observer, other.id)).toBe(true), { timeout: 30_000 });
      // The run's identity with the other session's thread id (the id another node gives someone
      // else): the other session is of no database, so not the run's.
      expect(await killQuery(mysql, config(), { ...identity, threadId: other.id }, flavour)).toBe(false);
      expect(await killQuery(mysql, config(), { ...identity, threadId: other.id, database: null, user: 'someone_else' }, flavour)).toBe(false);
      // The other session's own user and database, but on another server (a proxy reached another node).
      const others = { ...identity, threadId: other.id, database: null };
      expect(await killQuery(mysql, config(), { ...others, serverId: `${identity.serverId}9` }, flavour)).toBe(false);
      expect(await killQuery(mysql, config(), { ...others, hostname: 'another-node' }, flavour)).toBe(false);
      expect(await killQuery(mysql, config(), { ...others, port: '1' }, flavour)).toBe(false);
      expect(await running(observer, other.id)).toBe(true);
      // Its very identity: interrupted (error 1317).
      expect(await killQuery(mysql, config(), others, flavour)).toBe(true);
      expect(await other.ended).toEqual({ errno: 1317 });
    });
  }

  it("cancel(): a session the side connection cannot verify (its database changed since the connect) is not killed; the statement runs on; cancel rejects 'CANCEL_UNCONFIRMED'", async () => {
    const conn = await database.connect();
    const observer = await database.connect({ bind: 'observer' });
    const [row] = await conn.execute({ sql: 'SELECT CONNECTION_ID() AS id', parameters: [] });
    const id = Number(row!['id']);
    await conn.execute({ sql: 'USE information_schema', parameters: [] });
    const sleeping = conn.execute({ sql: 'SELECT SLEEP(30) AS s', parameters: [] }).then(
      () => ({}),
      (e: { errno?: number }) => ({ errno: e.errno }),
    );
    await vi.waitFor(async () => expect(await running(observer, id)).toBe(true), { timeout: 30_000 });
    const refused = await conn.cancel!().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KillQueryUnverifiedError);
    expect(refused).toMatchObject({ code: 'CANCEL_UNCONFIRMED', bind: 'test' });
    expect(await running(observer, id)).toBe(true);
    // The test ends it itself.
    await observer.execute({ sql: `KILL QUERY ${id}`, parameters: [] });
    expect(await sleeping).toEqual({ errno: 1317 });
  });

  it("takes no identity from a session whose CONNECTION_ID() is not the handshake's thread id (a proxy's)", () => {
    const row = { connection_id: 42, server_id: 1, hostname: 'db1', port: 3306, user_name: 'app', db: 'shop' };
    expect(verifiedMysqlSession(row, 42)).toEqual({ threadId: 42, serverId: '1', hostname: 'db1', port: '3306', user: 'app', database: 'shop' });
    expect(verifiedMysqlSession(row, 7)).toBeUndefined();
    expect(verifiedMysqlSession(row, 0)).toBeUndefined();
  });
});
