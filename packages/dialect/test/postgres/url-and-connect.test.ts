import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { MultidbError, UrlError, VersionTable } from '@multidb/core';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresDriver } from '../../src/postgres/postgres-driver.js';
import { parsePostgresUrl } from '../../src/postgres/postgres-url.js';
import { describeWithPostgres, POSTGRES_TEST_URL, useTestDatabase, withAdminClient } from '../support/postgres-database.js';
import { connect, onCleanup, q, runOps } from './helpers.js';

describe('postgres URLs', () => {
  it('parses postgres:// and postgresql:// URLs', () => {
    expect(parsePostgresUrl('postgres://app:secret@db.internal:6432/sales')).toEqual({ host: 'db.internal', port: 6432, database: 'sales', user: 'app' });
    expect(parsePostgresUrl('postgresql://127.0.0.1/my%20db?sslmode=disable')).toEqual({ host: '127.0.0.1', port: 5432, database: 'my db' });
    expect(parsePostgresUrl('POSTGRES://app@localhost')).toEqual({ host: 'localhost', port: 5432, database: 'app', user: 'app' });
    expect(parsePostgresUrl('postgres:///sales?host=/var/run/postgresql')).toEqual({ host: '/var/run/postgresql', port: 5432, database: 'sales' });
  });

  it.each([
    ['mysql://u:secret@h/db', /scheme is 'mysql'/],
    ['postgres:relative', /does not start with postgres:\/\//],
    ['postgres://u:secret@h:99999/db', /does not parse|not a port/],
    ['postgres://u:secret@h/a/b', /just the database name/],
    ['postgres://u:secret@h/bad%zz', /malformed %-escape/],
  ])('refuses %s with a masked UrlError', (url, why) => {
    let error: unknown;
    try {
      parsePostgresUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UrlError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain('secret');
  });

  it('offers its pure dialect without connecting, and refuses a bind with no URL', async () => {
    expect(postgresDriver.dialect('postgres://h/db').name).toBe('postgres');
    await expect(postgresDriver.connect({ bind: 'x', baseDir: '/' })).rejects.toThrow(/neither a URL nor a Kysely/);
  });
});

describe('postgres connect failures', () => {
  it('an unreachable port fails in seconds with a masked CONNECT error', async () => {
    const started = Date.now();
    const error = await postgresDriver.connect({ bind: 'db2', url: 'postgres://app:s3cret-pass@127.0.0.1:1/sales', baseDir: '/' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(MultidbError);
    expect(error).toMatchObject({ code: 'CONNECT' });
    expect((error as Error).message).toMatch(/^\[db2\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/sales: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('s3cret-pass');
  });

  it('a server that never answers fails after connectTimeoutMs', async () => {
    const silent: Server = createServer(() => undefined); // accepts, never speaks
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await postgresDriver
        .connect({ bind: 'db2', url: `postgres://app:s3cret-pass@127.0.0.1:${port}/sales`, baseDir: '/', connectTimeoutMs: 300 })
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toMatchObject({ code: 'CONNECT' });
      expect((error as Error).message).toMatch(/no answer within 300 ms/);
      expect((error as Error).message).not.toContain('s3cret-pass');
    } finally {
      silent.close();
    }
  });
});

describeWithPostgres('postgres connections', () => {
  const database = useTestDatabase('connect');

  it('a refused login names the masked URL and never the password', async () => {
    const role = `multidb_app_${randomBytes(3).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE ROLE "${role}" LOGIN PASSWORD 'right-password'`));
    onCleanup(() => withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    const server = new URL(POSTGRES_TEST_URL);
    // With password authentication the wrong password is refused; where the server trusts local
    // TCP (as on the test machines) it is ignored, so the database is made missing too.
    const url = `postgres://${role}:wr0ng-s3cret@${server.host}/multidb_missing_${randomBytes(3).toString('hex')}`;
    const error = await postgresDriver.connect({ bind: 'db2', url, baseDir: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECT' });
    const message = (error as Error).message;
    expect(message).toContain(`[db2] cannot connect to postgres://${role}:***@${server.host}/multidb_missing_`);
    expect(message).toMatch(/password authentication failed|does not exist/);
    expect(message).not.toContain('wr0ng-s3cret');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('with schema: creates it, puts it first on the search_path; tables and the version table land there', async () => {
    const conn = await connect(database.url, { schema: 'Billing' });
    expect(await q(conn, 'SELECT current_schemas(false)::text[] AS path')).toEqual([{ path: ['Billing', 'public'] }]);
    await runOps(conn, (op) => op.createTable('Invoice', [{ name: 'InvoiceId', type: 'integer', primaryKey: true }]));
    await new VersionTable('multidb_version', 'Billing').ensure(conn);
    await new VersionTable('multidb_version', 'Billing').update(conn.db, [], ['3f2a9c1d7b40']);
    expect(await q(conn, `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 2`)).toEqual([
      { table_schema: 'Billing', table_name: 'Invoice' },
      { table_schema: 'Billing', table_name: 'multidb_version' },
    ]);
    expect(await new VersionTable('multidb_version', 'Billing').read(conn)).toEqual(['3f2a9c1d7b40']);
    expect(await conn.introspectTable('Invoice')).toMatchObject({ name: 'Invoice' });
    expect(await conn.introspectTable('Invoice', 'Billing')).toMatchObject({ name: 'Invoice', schema: 'Billing' });
    // A second connection with the same schema finds it in place.
    const again = await connect(database.url, { schema: 'Billing' });
    expect(await q(again, 'SELECT count(*)::int AS n FROM "Invoice"')).toEqual([{ n: 0 }]);
  });

  it('gives every connection to one database the same identity, whatever the role or schema', async () => {
    const a = await connect(database.url);
    const b = await connect(database.url, { schema: 'other' });
    const admin = await connect(POSTGRES_TEST_URL);
    const role = `multidb_plain_${randomBytes(3).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER`));
    onCleanup(() => withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    const asRole = new URL(database.url);
    asRole.username = role;
    asRole.password = '';
    const plain = await postgresDriver.connect({ bind: 'plain', url: asRole.toString(), baseDir: '/' });
    const identity = await a.identity();
    expect(identity).toMatch(new RegExp(`^postgres\\(system \\d+\\)/${database.name}$`));
    expect(await b.identity()).toBe(identity);
    try {
      expect(await plain.identity()).toBe(identity);
    } finally {
      await plain.close(); // before the role is dropped
    }
    expect(await admin.identity()).toBe(identity.replace(database.name, new URL(POSTGRES_TEST_URL).pathname.slice(1)));
    const [{ system }] = (await q(admin, 'SELECT system_identifier::text AS system FROM pg_control_system()')) as [{ system: string }];
    expect(identity).toContain(system);
  });

  it('names the server by start time and port where pg_control_system() is revoked', async () => {
    const role = `multidb_plain_${randomBytes(3).toString('hex')}`;
    const owner = await connect(database.url);
    await q(owner, 'REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC'); // in this database only
    onCleanup(() => q(owner, 'GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC').then(() => undefined));
    await withAdminClient((c) => c.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER`));
    onCleanup(() => withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    const asRole = new URL(database.url);
    asRole.username = role;
    const restricted = await postgresDriver.connect({ bind: 'plain', url: asRole.toString(), baseDir: '/', schema: 'public' });
    try {
      const identity = await restricted.identity();
      const [{ port }] = (await q(owner, "SELECT current_setting('port') AS port")) as [{ port: string }];
      expect(identity).toMatch(new RegExp(`^postgres\\(started \\d+(\\.\\d+)?, port ${port}\\)/${database.name}$`));
    } finally {
      await restricted.close();
    }
  });

  it('uses a Kysely supplied by custom tooling: pins one of its connections, leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    pool.on('error', () => undefined); // idle clients are terminated when the database is dropped
    const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    const conn = await postgresDriver.connect({ bind: 'own', kysely, baseDir: '/', schema: 'tooling' });
    try {
      // One session: its settings and its lock stay with it across queries.
      const [{ pid }] = (await q(conn, 'SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      await conn.acquireLock({ name: 'multidb:tooling:multidb_version' });
      expect(await q(conn, 'SELECT pg_backend_pid() AS pid, current_schemas(false)::text[] AS path')).toEqual([{ pid, path: ['tooling', 'public'] }]);
      expect((await conn.db.selectNoFrom((eb) => eb.fn<number>('pg_backend_pid', []).as('pid')).execute())[0]?.pid).toBe(pid);
      await conn.close();
      expect(await kysely.selectNoFrom((eb) => eb.lit(1).as('one')).execute()).toEqual([{ one: 1 }]);
    } finally {
      await conn.close(); // hands the borrowed connection back, else destroy waits for it
      await kysely.destroy();
    }
  });

  it('closing twice is harmless', async () => {
    const conn = await postgresDriver.connect({ bind: 'x', url: database.url, baseDir: '/' });
    await conn.close();
    await expect(conn.close()).resolves.toBeUndefined();
  });
});
