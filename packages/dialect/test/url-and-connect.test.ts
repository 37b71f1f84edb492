// Bind URLs and connections of each dialect: URLs parsed per scheme (a refused URL is a UrlError
// that never shows the password), connect failures (fast, one masked line), the identity that
// tells two binds on one physical database apart, a Kysely supplied by custom tooling, and what
// is particular to each (SQLite paths, PostgreSQL schemas and roles, MySQL flavours).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { DatabaseNotFoundError, MultidbError, UrlError, VersionTable } from '@multidb/core';
import Database from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { MysqlConnection } from '../src/mysql/mysql-connection.js';
import { parseMysqlUrl } from '../src/mysql/mysql-url.js';
import { parsePostgresUrl } from '../src/postgres/postgres-url.js';
import { parseSqliteUrl } from '../src/sqlite/sqlite-url.js';
import { onCleanup } from './support/cleanup.js';
import { DIALECTS, hasEntry, dialectsIn, forDialect, MYSQL, POSTGRES, SQLITE, type PerDialect, type TestDatabase } from './support/dialects.js';
import { serverConnection, serverOptions } from './support/mysql-database.js';
import { q, runOps } from './support/op-harness.js';
import { POSTGRES_TEST_URL, withAdminClient } from './support/postgres-database.js';
import { tempDir } from './support/sqlite-file.js';

// ---------------------------------------------------------------------------------------------
// URLs

/** A dialect's URL parser, URLs with what they parse to (`partial`: only these fields checked), and URLs it refuses. */
interface UrlSpec {
  readonly parse: (url: string) => unknown;
  readonly parsed: readonly (readonly [string, object, 'partial'?])[];
  readonly refused: readonly (readonly [string, RegExp])[];
}

const urls: PerDialect<UrlSpec> = {
  // Relative paths resolve against the config's folder (here /srv/app).
  sqlite: {
    parse: (url) => parseSqliteUrl(url, '/srv/app', '/home/ana'),
    parsed: [
      ['sqlite:.data/db2.db', { kind: 'file', path: '/srv/app/.data/db2.db' }],
      // A leading '~/' is the home folder, as in a shell (was: a folder named '~' in /srv/app).
      ['sqlite:~/data/app.db', { kind: 'file', path: '/home/ana/data/app.db' }],
      ['sqlite:~//app.db', { kind: 'file', path: '/home/ana/app.db' }],
      ['sqlite:./~/app.db', { kind: 'file', path: '/srv/app/~/app.db' }],
      ['sqlite:%7E/app.db', { kind: 'file', path: '/srv/app/~/app.db' }],
      ['sqlite:data/~/app.db', { kind: 'file', path: '/srv/app/data/~/app.db' }],
      ['sqlite:../shared/x.db', { kind: 'file', path: '/srv/shared/x.db' }],
      ['sqlite:///var/lib/app.db', { kind: 'file', path: '/var/lib/app.db' }],
      ['SQLite:///var/lib/my%20app.db', { kind: 'file', path: '/var/lib/my app.db' }],
      ['sqlite::memory:', { kind: 'memory' }],
      ['sqlite:data dir/tenant 01 é 日本.db', { kind: 'file', path: '/srv/app/data dir/tenant 01 é 日本.db' }],
      ["sqlite:///srv/My%20Proj%C3%A9ct%20%231%2050%25%20it's%3F/x.db", { kind: 'file', path: "/srv/My Projéct #1 50% it's?/x.db" }],
    ],
    refused: [
      ['postgres://u:secret@h/db', /scheme is 'postgres'/],
      ['sqlite:', /path is empty/],
      ['sqlite:///', /path is empty/],
      ['sqlite://host/x.db', /host is not allowed/],
      ['sqlite:x.db?mode=ro', /takes no query string or fragment/],
      ['sqlite:///srv/My #1 app/x.db', /takes no query string or fragment \(a '\?' or '#' in the path is written %3F or %23\)/],
      ['sqlite:bad%zz.db', /malformed %-escape/],
      ['sqlite:data/50%.db', /malformed %-escape \(a '%' in the path is written %25\)/],
      ['sqlite:~', /a leading '~' is expanded only as '~\/' \(your home folder\)/],
      ['sqlite:~bob/app.db', /a leading '~' is expanded only as '~\/'.*sqlite:\.\/~name\.db/],
      ['sqlite:~/', /path is empty/],
      ['no scheme', /no scheme/],
    ],
  },
  postgres: {
    parse: parsePostgresUrl,
    parsed: [
      ['postgres://app:secret@db.internal:6432/sales', { host: 'db.internal', port: 6432, database: 'sales', user: 'app' }],
      ['postgresql://127.0.0.1/my%20db?sslmode=disable', { host: '127.0.0.1', port: 5432, database: 'my db' }],
      ['postgres://app@db/sales?sslmode=verify-full&application_name=migrate', { host: 'db', port: 5432, database: 'sales', user: 'app' }],
      ['POSTGRES://app@localhost', { host: 'localhost', port: 5432, database: 'app', user: 'app' }],
      ['postgres:///sales?host=/var/run/postgresql', { host: '/var/run/postgresql', port: 5432, database: 'sales' }],
    ],
    refused: [
      ['mysql://u:secret@h/db', /scheme is 'mysql'/],
      ['postgres:relative', /does not start with postgres:\/\//],
      ['postgres://u:secret@h:99999/db', /does not parse|not a port/],
      ['postgres://u:secret@h/a/b', /just the database name/],
      ['postgres://u:secret@h/bad%zz', /malformed %-escape/],
      // Raw passwords with `/`, `?` or `#`: no part of the URL is quoted.
      ['postgres://u:p/secret@h/db', /^Invalid PostgreSQL URL '<unparsable postgres URL>': it does not parse as a URL \(percent-encode/],
      ['postgres://u:12/secret@h/db', /'<unparsable postgres URL>'/],
      ['postgres://u:p?secret@h/db', /'<unparsable postgres URL>'/],
      // pg requires SSL for any other sslmode: a misspelt 'disable' failed at connect, 'The server does not support SSL connections'.
      ['postgres://u:secret@h/db?sslmode=disabled', /sslmode must be one of disable, prefer, require, verify-ca, verify-full, no-verify, not 'disabled'/],
    ],
  },
  // mysql:// and mariadb://, decoding every part.
  mysql: {
    parse: parseMysqlUrl,
    parsed: [
      ['mysql://root@127.0.0.1:3306/chinook', { flavour: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database: 'chinook' }],
      ['MariaDB://app:s%40cret%2F@db.internal/my%20db?ssl=true', { flavour: 'mariadb', host: 'db.internal', port: 3306, user: 'app', password: 's@cret/', database: 'my db', ssl: true }],
      ['mysql://u@[::1]:3307/d?socket=/run/mysqld/mysqld.sock', { host: '::1', port: 3307, socketPath: '/run/mysqld/mysqld.sock' }, 'partial'],
    ],
    refused: [
      ['postgres://u:secret@h/db', /scheme is 'postgres'/],
      ['mysql://u:secret@h:3306/', /names no database/],
      ['mysql://u:secret@h', /names no database/],
      ['mysql:h/db', /lacks '\/\/'/],
      ['mysql://u:secret@h:99999/db', /does not parse as a URL|port/],
      ['mysql://u:secret@h/db?charset=latin1', /unknown option 'charset'/],
      ['mysql://u:secret@h/db?ssl=yes', /ssl must be true or false/],
      ['mysql://u:secret@h/bad%zz', /malformed %-escape/],
      ['mysql://u:p/secret@h/db', /^Invalid MySQL URL '<unparsable mysql URL>': it does not parse as a URL \(percent-encode/],
      ['mysql://u:12/secret@h/db', /'<unparsable mysql URL>'/],
      ['mysql://u@h/db?password=secret', /^Invalid MySQL URL 'mysql:\/\/u@h\/db\?password=\*\*\*': unknown option 'password'/],
    ],
  },
};

/** A URL of the dialect (for its pure dialect), and a URL its driver refuses at connect. */
const connectUrls: PerDialect<{ readonly url: string; readonly bad?: string }> = {
  sqlite: { url: 'sqlite:x.db', bad: 'sqlite://host/db' },
  postgres: { url: 'postgres://h/db' },
  mysql: { url: 'mysql://u:p@h/db', bad: 'mysql://root@127.0.0.1' },
};

for (const d of DIALECTS) {
  describe(`${d.name}: URLs`, () => {
    const spec = forDialect(d, urls);

    it('parses its URLs', () => {
      for (const [url, expected, partial] of spec.parsed) {
        if (partial) expect(spec.parse(url), url).toMatchObject(expected);
        else expect(spec.parse(url), url).toEqual(expected);
      }
    });

    it.each(spec.refused)('refuses %s with a UrlError that masks the password', (url, why) => {
      let error: unknown;
      try {
        spec.parse(url);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UrlError);
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).not.toContain('secret');
    });

    it('offers its pure dialect without connecting', () => {
      expect(d.driver.dialect(forDialect(d, connectUrls).url).name).toBe(d.name);
    });

    it('refuses a bad URL with a UrlError, and a bind with neither a URL nor a Kysely', async () => {
      const { bad } = forDialect(d, connectUrls);
      if (bad) await expect(d.driver.connect({ bind: 'x', url: bad, baseDir: '/' })).rejects.toBeInstanceOf(UrlError);
      await expect(d.driver.connect({ bind: 'x', baseDir: '/' })).rejects.toThrow(/neither a URL nor a Kysely/);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Connect failures (no server needed)

/** A URL nothing listens on, its password, and the one line the error must be. */
const unreachable: PerDialect<{ readonly bind: string; readonly url: string; readonly password: string; readonly message: RegExp }> = {
  postgres: { bind: 'db2', url: 'postgres://app:s3cret-pass@127.0.0.1:1/sales', password: 's3cret-pass', message: /^\[db2\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/sales: .*ECONNREFUSED/ },
  mysql: { bind: 'db3', url: 'mysql://app:Sup3rSecret@127.0.0.1:1/chinook', password: 'Sup3rSecret', message: /^\[db3\] cannot connect to mysql:\/\/app:\*\*\*@127\.0\.0\.1:1\/chinook: .*ECONNREFUSED/ },
};

/** A URL of a server that accepts and never answers (at `port`), and what the error must say. */
const silent: PerDialect<{ readonly url: (port: number) => string; readonly check: (error: unknown) => void }> = {
  postgres: {
    url: (port) => `postgres://app:s3cret-pass@127.0.0.1:${port}/sales`,
    check: (error) => {
      expect(error).toMatchObject({ code: 'CONNECT' });
      expect((error as Error).message).toMatch(/no answer within 300 ms/);
      expect((error as Error).message).not.toContain('s3cret-pass');
    },
  },
  mysql: {
    url: (port) => `mariadb://app:Sup3rSecret@127.0.0.1:${port}/chinook`,
    check: (error) => expect((error as Error).message).toMatch(/cannot connect to mariadb:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/chinook: .*(ETIMEDOUT|timed? ?out)/i),
  },
};

for (const d of dialectsIn(unreachable)) {
  describe(`${d.name}: connect failures (no server needed)`, () => {
    const servers: Server[] = [];
    const sockets: Socket[] = [];
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    });

    it('an unreachable port fails in seconds with one masked line (CONNECT)', async () => {
      const { bind, url, password, message } = forDialect(d, unreachable);
      const started = Date.now();
      const error = await d.driver.connect({ bind, url, baseDir: '/' }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toBeInstanceOf(MultidbError);
      expect(error).toMatchObject({ code: 'CONNECT' });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(password);
    });

    it('a server that accepts but never answers fails after connectTimeoutMs', async () => {
      const server = createServer((socket) => void sockets.push(socket));
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const { url, check } = forDialect(d, silent);
      const started = Date.now();
      const error = await d.driver.connect({ bind: 'db2', url: url(port), baseDir: '/', connectTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3_000);
      check(error);
    });

    // ConnectOptions.signal (Ctrl-C during `migrate upgrade`): the handshake is not waited for.
    it('a connect to a server that never answers ends when its signal is aborted: ABORTED, the socket closed, long before connectTimeoutMs', async () => {
      const held: Socket[] = [];
      const accepted = new Promise<Socket>((resolve) =>
        servers.push(
          createServer((socket) => {
            socket.resume(); // what the driver sends is read (and dropped): its closing then surfaces as 'close'
            held.push(socket);
            sockets.push(socket);
            resolve(socket);
          }),
        ),
      );
      const server = servers.at(-1)!;
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const controller = new AbortController();
      const connecting = d.driver.connect({ bind: 'db2', url: forDialect(d, silent).url(port), baseDir: '/', connectTimeoutMs: 60_000, signal: controller.signal }).catch((e: unknown) => e);
      const socket = await accepted; // the driver's socket reached the server, which never answers
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      controller.abort('SIGINT');
      // A generous bound, far below the 60 s the connect would otherwise wait.
      const bound = (what: Promise<unknown>) => Promise.race([what, new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000).unref())]);
      const error = await bound(connecting);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: 'ABORTED', message: '[db2] stopped connecting: the command was asked to stop.' });
      expect(await bound(closed)).toBeUndefined(); // the driver closed its socket: nothing left open
      expect(held).toHaveLength(1);
    });

    it('a signal aborted before the connect: rejects with ABORTED', async () => {
      const { bind, url } = forDialect(d, unreachable);
      const error = await d.driver.connect({ bind, url, baseDir: '/', signal: AbortSignal.abort('SIGTERM') }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ABORTED' });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Connections

/** Two URLs (or roles, or schemas) of one database: one identity. */
const sameIdentity: PerDialect<(database: TestDatabase) => Promise<void>> = {
  sqlite: async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const a = await SQLITE.driver.connect({ bind: 'a', url: 'sqlite:real/x.db', baseDir: dir });
    const b = await SQLITE.driver.connect({ bind: 'b', url: `sqlite://${dir}/link/x.db`, baseDir: '/' });
    try {
      expect(await a.identity()).toBe(await b.identity());
    } finally {
      await a.close();
      await b.close();
    }
  },
  // Whatever the role or schema; the server is named by its system identifier.
  postgres: async (database) => {
    const a = await database.connect();
    const b = await database.connect({ schema: 'other' });
    const admin = await POSTGRES.connect(POSTGRES_TEST_URL);
    const role = `multidb_plain_${randomBytes(3).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER`));
    onCleanup(() => withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    const asRole = new URL(database.url);
    asRole.username = role;
    asRole.password = '';
    const plain = await POSTGRES.driver.connect({ bind: 'plain', url: asRole.toString(), baseDir: '/' });
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
  },
};

/** A Kysely that custom tooling made: the connection uses it and leaves it open on close. */
const suppliedKysely: PerDialect<(database: TestDatabase) => Promise<void>> = {
  sqlite: async () => {
    const dir = tempDir();
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'own.db')) }) });
    const conn = await SQLITE.driver.connect({ bind: 'own', kysely: db, baseDir: '/' });
    expect(conn.db).toBe(db);
    expect(await conn.identity()).toBe(realpathSync(join(dir, 'own.db')));
    await conn.execute({ sql: 'CREATE TABLE t (a)', parameters: [] });
    await conn.close();
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([]);
    await db.destroy();
  },
  // One of its pool's connections is pinned: its settings and its lock stay with it across queries.
  postgres: async (database) => {
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    pool.on('error', () => undefined); // idle clients are terminated when the database is dropped
    const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    const conn = await POSTGRES.driver.connect({ bind: 'own', kysely, baseDir: '/', schema: 'tooling' });
    try {
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
  },
  // Every statement runs on the pinned session (the lock belongs to it).
  mysql: async (database) => {
    const pool = createPool({ ...serverOptions(), database: database.name, connectionLimit: 3 });
    const kysely = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
    try {
      const conn = await MYSQL.driver.connect({ bind: 'own', kysely, baseDir: '/' });
      expect(conn.db).not.toBe(kysely);
      const [{ id: first }] = (await q(conn, 'SELECT CONNECTION_ID() AS id')) as [{ id: number }];
      await conn.acquireLock({ name: 'multidb::multidb_version' });
      for (let i = 0; i < 5; i++) expect(await q(conn, 'SELECT CONNECTION_ID() AS id')).toEqual([{ id: first }]);
      const other = await database.connect({ bind: 'other' });
      await expect(other.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      await conn.close();
      await other.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 1_000, pollMs: 10 });
      await other.releaseLock();
      expect(await kysely.selectNoFrom((eb) => eb.lit(1).as('one')).execute()).toEqual([{ one: 1 }]);
    } finally {
      await kysely.destroy();
    }
  },
};

/** A login refused (wrong password, or a missing database): one line naming the bind, the password masked. */
const refusedLogin: PerDialect<(database: TestDatabase) => Promise<void>> = {
  postgres: async () => {
    const role = `multidb_app_${randomBytes(3).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE ROLE "${role}" LOGIN PASSWORD 'right-password'`));
    onCleanup(() => withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    const server = new URL(POSTGRES_TEST_URL);
    // With password authentication the wrong password is refused; where the server trusts local
    // TCP (as on the test machines) it is ignored, so the database is made missing too.
    const url = `postgres://${role}:wr0ng-s3cret@${server.host}/multidb_missing_${randomBytes(3).toString('hex')}`;
    const error = await POSTGRES.driver.connect({ bind: 'db2', url, baseDir: '/' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECT' });
    const message = (error as Error).message;
    expect(message).toContain(`[db2] cannot connect to postgres://${role}:***@${server.host}/multidb_missing_`);
    expect(message).toMatch(/password authentication failed|does not exist/);
    expect(message).not.toContain('wr0ng-s3cret');
    expect(message.split('\n')).toHaveLength(1);
  },
  // The right password connects.
  mysql: async (database) => {
    const user = `multidb_pw_${randomBytes(3).toString('hex')}`;
    const password = `Pw_${randomBytes(6).toString('hex')}`;
    const admin = await serverConnection();
    try {
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
      await admin.query(`GRANT ALL ON \`${database.name}\`.* TO '${user}'@'%'`);
      await admin.query(`GRANT ALL ON \`${database.name}\`.* TO '${user}'@'localhost'`);
      const { host, port } = serverOptions();
      const wrong = `Wrong_${password}`;
      const url = `mysql://${user}:${wrong}@${host}:${port}/${database.name}`;
      const error = await MYSQL.driver.connect({ bind: 'db3', url, baseDir: '/' }).catch((e: unknown) => e);
      expect((error as MultidbError).code).toBe('CONNECT');
      expect((error as Error).message).toContain(`[db3] cannot connect to mysql://${user}:***@${host}:${port}/${database.name}: Access denied for user '${user}'`);
      expect((error as Error).message).not.toContain(wrong);
      expect((error as Error).message.split('\n')).toHaveLength(1);
      const conn = await MYSQL.driver.connect({ bind: 'db3', url: `mysql://${user}:${password}@${host}:${port}/${database.name}`, baseDir: '/' });
      expect(await q(conn, 'SELECT CURRENT_USER() AS u')).toEqual([{ u: expect.stringContaining(user) }]);
      await conn.close();
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
      await admin.end();
    }
  },
};

/** Tests of what only one dialect has (functions below). */
const onlyOn: PerDialect<(database: TestDatabase) => void> = { sqlite: sqliteConnections, postgres: postgresConnections, mysql: mysqlConnections };

for (const d of DIALECTS) {
  d.describeOnDatabase(`${d.name}: connections`, () => {
    const database = d.useDatabase('connect');

    if (hasEntry(sameIdentity, d)) {
      it('gives every URL of one database the same identity', () => forDialect(d, sameIdentity)(database));
    }
    it('uses a Kysely supplied by custom tooling, and leaves it open on close', () => forDialect(d, suppliedKysely)(database));
    if (hasEntry(refusedLogin, d)) {
      it('a refused login gives one line naming the bind and the masked URL, never the password', () => forDialect(d, refusedLogin)(database));
    }

    onlyOn[d.name]?.(database);
  });
}

function sqliteConnections(): void {
  it('resolves a relative URL against baseDir, creating missing parent folders', async () => {
    const dir = tempDir();
    const conn = await SQLITE.driver.connect({ bind: 'db2', url: 'sqlite:.data/nested/db2.db', baseDir: dir });
    try {
      expect(existsSync(join(dir, '.data/nested/db2.db'))).toBe(true);
      expect(await conn.identity()).toBe(realpathSync(join(dir, '.data/nested/db2.db')));
      expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await conn.close();
    }
  });

  it('with create: false, a missing file is a DatabaseNotFoundError and neither it nor its folder is created', async () => {
    const dir = tempDir();
    const attempt = SQLITE.driver.connect({ bind: 'db2', url: 'sqlite:.data/nested/db2.db', baseDir: dir, create: false });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseNotFoundError);
    await expect(attempt).rejects.toThrow(`[db2] database file ${join(dir, '.data/nested/db2.db')} does not exist`);
    expect(existsSync(join(dir, '.data'))).toBe(false);
    // An existing file opens as usual (read and write: the option only forbids creating it).
    mkdirSync(join(dir, '.data/nested'), { recursive: true });
    new Database(join(dir, '.data/nested/db2.db')).close();
    const conn = await SQLITE.driver.connect({ bind: 'db2', url: 'sqlite:.data/nested/db2.db', baseDir: dir, create: false });
    try {
      await conn.execute({ sql: 'CREATE TABLE t (id integer)', parameters: [] });
    } finally {
      await conn.close();
    }
  });

  it('gives each in-memory connection its own identity', async () => {
    const a = await SQLITE.driver.connect({ bind: 'a', url: 'sqlite::memory:', baseDir: '/' });
    const b = await SQLITE.driver.connect({ bind: 'b', url: 'sqlite::memory:', baseDir: '/' });
    expect(await a.identity()).not.toBe(await b.identity());
    expect(await a.identity()).toBe(await a.identity());
    await a.close();
    await b.close();
  });
}

function postgresConnections(database: TestDatabase): void {
  it('with schema: creates it, puts it first on the search_path; tables and the version table land there', async () => {
    const conn = await database.connect({ schema: 'Billing' });
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
    const again = await database.connect({ schema: 'Billing' });
    expect(await q(again, 'SELECT count(*)::int AS n FROM "Invoice"')).toEqual([{ n: 0 }]);
  });

  it('a URL with spaces or a line break around it (as a secret or a YAML value may have) connects to the database it names', async () => {
    // pg alone would read ' postgres://…' as a relative URL (host 'base', "getaddrinfo ENOTFOUND base").
    const conn = await POSTGRES.driver.connect({ bind: 'db2', url: ` ${database.url}\n`, baseDir: '/' });
    try {
      expect(await q(conn, 'SELECT current_database() AS db')).toEqual([{ db: database.name }]);
    } finally {
      await conn.close();
    }
  });

  it('with schema and create: false, a missing schema is a DatabaseNotFoundError and is not created', async () => {
    const attempt = database.connect({ schema: 'Absent', create: false });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseNotFoundError);
    await expect(attempt).rejects.toThrow(/^\[test\] schema "Absent" on postgres:\/\/.* does not exist$/);
    const conn = await database.connect();
    expect(await q(conn, `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'Absent'`)).toEqual([{ n: 0 }]);
  });

  it('names the server by start time and port where pg_control_system() is revoked', async () => {
    const role = `multidb_plain_${randomBytes(3).toString('hex')}`;
    const owner = await POSTGRES.connect(database.url); // closed after the cleanup that uses it
    await q(owner, 'REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC'); // in this database only
    onCleanup(() => q(owner, 'GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC').then(() => undefined));
    await withAdminClient((c) => c.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER`));
    onCleanup(() => withAdminClient((c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).then(() => undefined));
    const asRole = new URL(database.url);
    asRole.username = role;
    const restricted = await POSTGRES.driver.connect({ bind: 'plain', url: asRole.toString(), baseDir: '/', schema: 'public' });
    try {
      const identity = await restricted.identity();
      const [{ port }] = (await q(owner, "SELECT current_setting('port') AS port")) as [{ port: string }];
      expect(identity).toMatch(new RegExp(`^postgres\\(started \\d+(\\.\\d+)?, port ${port}\\)/${database.name}$`));
    } finally {
      await restricted.close();
    }
  });

  it('closing twice is harmless', async () => {
    const conn = await POSTGRES.driver.connect({ bind: 'x', url: database.url, baseDir: '/' });
    await conn.close();
    await expect(conn.close()).resolves.toBeUndefined();
  });
}

function mysqlConnections(database: TestDatabase): void {
  it('detects the flavour from VERSION() over the URL scheme, and gives a stable identity per database', async () => {
    const a = (await database.connect({ bind: 'a' })) as MysqlConnection;
    const [{ version }] = (await q(a, 'SELECT VERSION() AS version')) as [{ version: string }];
    const flavour = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    expect(a.flavour).toBe(flavour);
    expect(a.dialect.flavour).toBe(flavour);
    expect(a.dialect.name).toBe('mysql');
    const viaOtherScheme = await MYSQL.driver.connect({ bind: 'b', url: database.url.replace(/^mysql:/, 'mariadb:').replace('127.0.0.1', 'localhost'), baseDir: '/' }).catch(() => undefined);
    const identity = await a.identity();
    expect(identity).toMatch(flavour === 'mariadb' ? /^mariadb:\/\/.+:\d+\/multidb_connect_\w+ \(datadir .+\)$/ : /^mysql:\/\/[0-9a-f-]{36}\/multidb_connect_\w+$/);
    expect(identity).toContain(database.name);
    if (viaOtherScheme) {
      // Another URL text for the same server and database: the same physical database.
      expect(viaOtherScheme.dialect.flavour).toBe(flavour);
      expect(await viaOtherScheme.identity()).toBe(identity);
      await viaOtherScheme.close();
    }
    // Dates round-trip as UTC; one statement per query.
    expect(await q(a, 'SELECT @@session.time_zone AS tz, CAST(? AS DATETIME(3)) AS d', new Date('1947-09-19T10:20:30.456Z'))).toEqual([
      { tz: '+00:00', d: new Date('1947-09-19T10:20:30.456Z') },
    ]);
    await expect(q(a, 'SELECT 1; SELECT 2')).rejects.toThrow(/SQL syntax/);
  });

  it('an unknown database fails with CONNECT', async () => {
    const { host, port } = serverOptions();
    await expect(MYSQL.driver.connect({ bind: 'db3', url: `mysql://root@${host}:${port}/multidb_no_such_db`, baseDir: '/' })).rejects.toMatchObject({
      code: 'CONNECT',
      message: expect.stringMatching(/Unknown database 'multidb_no_such_db'/),
    });
  });
}
