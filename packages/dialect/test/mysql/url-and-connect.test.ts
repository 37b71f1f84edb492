import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultidbError, UrlError } from '@multidb/core';
import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { parseMysqlUrl } from '../../src/mysql/mysql-url.js';
import { serverConnection, serverOptions } from '../support/mysql-database.js';
import { q } from './helpers.js';
import { describeMysql, useTestDatabase } from './server.js';

describe('mysql URLs', () => {
  it('parses mysql:// and mariadb:// URLs, decoding every part', () => {
    expect(parseMysqlUrl('mysql://root@127.0.0.1:3306/chinook')).toEqual({ flavour: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database: 'chinook' });
    expect(parseMysqlUrl('MariaDB://app:s%40cret%2F@db.internal/my%20db?ssl=true')).toEqual({
      flavour: 'mariadb',
      host: 'db.internal',
      port: 3306,
      user: 'app',
      password: 's@cret/',
      database: 'my db',
      ssl: true,
    });
    expect(parseMysqlUrl('mysql://u@[::1]:3307/d?socket=/run/mysqld/mysqld.sock')).toMatchObject({ host: '::1', port: 3307, socketPath: '/run/mysqld/mysqld.sock' });
  });

  it.each([
    ['postgres://u:secret@h/db', /scheme is 'postgres'/],
    ['mysql://u:secret@h:3306/', /names no database/],
    ['mysql://u:secret@h', /names no database/],
    ['mysql:h/db', /lacks '\/\/'/],
    ['mysql://u:secret@h:99999/db', /not a URL|port/],
    ['mysql://u:secret@h/db?charset=latin1', /unknown option 'charset'/],
    ['mysql://u:secret@h/db?ssl=yes', /ssl must be true or false/],
    ['mysql://u:secret@h/bad%zz', /malformed %-escape/],
  ])('refuses %s with a UrlError that masks the password', (url, why) => {
    let error: unknown;
    try {
      parseMysqlUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UrlError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain('secret');
  });

  it('the package folder loads no driver until connect (mysql2 is imported dynamically)', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const staticImports = (file: string, seen = new Set<string>()): Set<string> => {
      const out = new Set<string>();
      if (seen.has(file)) return out;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.')) for (const s of staticImports(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen)) out.add(s);
        else out.add(spec);
      }
      return out;
    };
    expect([...staticImports(join(src, 'mysql/index.ts'))].filter((m) => m !== '@multidb/core' && m !== 'kysely' && !m.startsWith('node:'))).toEqual([]);
  });
});

describe('mysql connect failures (no server needed)', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('an unreachable host fails in seconds with one masked line', async () => {
    const started = Date.now();
    const error = await mysqlDriver.connect({ bind: 'db3', url: 'mysql://app:Sup3rSecret@127.0.0.1:1/chinook', baseDir: '/' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(MultidbError);
    expect((error as MultidbError).code).toBe('CONNECT');
    expect((error as Error).message).toMatch(/^\[db3\] cannot connect to mysql:\/\/app:\*\*\*@127\.0\.0\.1:1\/chinook: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('Sup3rSecret');
  });

  it('a server that accepts but never answers fails after connectTimeoutMs', async () => {
    const silent = createServer((socket) => void sockets.push(socket));
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const error = await mysqlDriver
      .connect({ bind: 'db3', url: `mariadb://app:Sup3rSecret@127.0.0.1:${port}/chinook`, baseDir: '/', connectTimeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((error as Error).message).toMatch(/cannot connect to mariadb:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/chinook: .*(ETIMEDOUT|timed? ?out)/i);
  });

  it('refuses a bind with neither URL nor Kysely', async () => {
    await expect(mysqlDriver.connect({ bind: 'x', baseDir: '/' })).rejects.toThrow(/neither a URL nor a Kysely/);
    await expect(mysqlDriver.connect({ bind: 'x', url: 'mysql://root@127.0.0.1', baseDir: '/' })).rejects.toBeInstanceOf(UrlError);
  });
});

describeMysql('mysql connect on the real server', () => {
  const database = useTestDatabase('connect');

  it('detects the flavour from VERSION() over the URL scheme, and gives a stable identity per database', async () => {
    const a = await database.connect('a');
    const [{ version }] = (await q(a, 'SELECT VERSION() AS version')) as [{ version: string }];
    const flavour = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    expect(a.flavour).toBe(flavour);
    expect(a.dialect.flavour).toBe(flavour);
    expect(a.dialect.name).toBe('mysql');
    const viaOtherScheme = await mysqlDriver.connect({ bind: 'b', url: database.url.replace(/^mysql:/, 'mariadb:').replace('127.0.0.1', 'localhost'), baseDir: '/' }).catch(() => undefined);
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

  it('a wrong password gives one line naming the bind, with the password masked', async () => {
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
      const error = await mysqlDriver.connect({ bind: 'db3', url, baseDir: '/' }).catch((e: unknown) => e);
      expect((error as MultidbError).code).toBe('CONNECT');
      expect((error as Error).message).toContain(`[db3] cannot connect to mysql://${user}:***@${host}:${port}/${database.name}: Access denied for user '${user}'`);
      expect((error as Error).message).not.toContain(wrong);
      expect((error as Error).message.split('\n')).toHaveLength(1);
      // The right password connects.
      const conn = await mysqlDriver.connect({ bind: 'db3', url: `mysql://${user}:${password}@${host}:${port}/${database.name}`, baseDir: '/' });
      expect(await q(conn, 'SELECT CURRENT_USER() AS u')).toEqual([{ u: expect.stringContaining(user) }]);
      await conn.close();
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
      await admin.end();
    }
  });

  it('an unknown database fails with CONNECT', async () => {
    const { host, port } = serverOptions();
    await expect(mysqlDriver.connect({ bind: 'db3', url: `mysql://root@${host}:${port}/multidb_no_such_db`, baseDir: '/' })).rejects.toMatchObject({
      code: 'CONNECT',
      message: expect.stringMatching(/Unknown database 'multidb_no_such_db'/),
    });
  });

  it('pins one connection of a Kysely supplied by custom tooling, and leaves the Kysely open on close', async () => {
    const pool = createPool({ ...serverOptions(), database: database.name, connectionLimit: 3 });
    const kysely = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
    try {
      const conn = await mysqlDriver.connect({ bind: 'own', kysely, baseDir: '/' });
      expect(conn.db).not.toBe(kysely);
      const [{ id: first }] = (await q(conn, 'SELECT CONNECTION_ID() AS id')) as [{ id: number }];
      await conn.acquireLock({ name: 'multidb::multidb_version' });
      // Every statement runs on the pinned session (the lock belongs to it).
      for (let i = 0; i < 5; i++) expect(await q(conn, 'SELECT CONNECTION_ID() AS id')).toEqual([{ id: first }]);
      const other = await database.connect('other');
      await expect(other.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      await conn.close();
      await other.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 1_000, pollMs: 10 });
      await other.releaseLock();
      expect((await kysely.selectNoFrom((eb) => eb.lit(1).as('one')).execute())).toEqual([{ one: 1 }]);
    } finally {
      await kysely.destroy();
    }
  });
});
