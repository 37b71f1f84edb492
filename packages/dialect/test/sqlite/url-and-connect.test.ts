import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UrlError } from '@multidb/core';
import { Kysely, SqliteDialect } from 'kysely';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';
import { parseSqliteUrl } from '../../src/sqlite/sqlite-url.js';
import { q, tempDir } from './helpers.js';

describe('sqlite URLs', () => {
  it('parses relative, absolute and in-memory URLs', () => {
    expect(parseSqliteUrl('sqlite:.data/db2.db', '/srv/app')).toEqual({ kind: 'file', path: '/srv/app/.data/db2.db' });
    expect(parseSqliteUrl('sqlite:../shared/x.db', '/srv/app')).toEqual({ kind: 'file', path: '/srv/shared/x.db' });
    expect(parseSqliteUrl('sqlite:///var/lib/app.db', '/srv/app')).toEqual({ kind: 'file', path: '/var/lib/app.db' });
    expect(parseSqliteUrl('SQLite:///var/lib/my%20app.db', '/srv/app')).toEqual({ kind: 'file', path: '/var/lib/my app.db' });
    expect(parseSqliteUrl('sqlite::memory:', '/srv/app')).toEqual({ kind: 'memory' });
  });

  it.each([
    ['postgres://u:secret@h/db', /scheme is 'postgres'/],
    ['sqlite:', /path is empty/],
    ['sqlite:///', /path is empty/],
    ['sqlite://host/x.db', /host is not allowed/],
    ['sqlite:x.db?mode=ro', /query strings/],
    ['sqlite:bad%zz.db', /malformed %-escape/],
    ['no scheme', /no scheme/],
  ])('refuses %s with a UrlError', (url, why) => {
    let error: unknown;
    try {
      parseSqliteUrl(url, '/srv/app');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UrlError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('sqlite driver connect', () => {
  it('resolves a relative URL against baseDir, creating missing parent folders', async () => {
    const dir = tempDir();
    const conn = await sqliteDriver.connect({ bind: 'db2', url: 'sqlite:.data/nested/db2.db', baseDir: dir });
    try {
      expect(existsSync(join(dir, '.data/nested/db2.db'))).toBe(true);
      expect(await conn.identity()).toBe(realpathSync(join(dir, '.data/nested/db2.db')));
      expect(await q(conn, 'PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await conn.close();
    }
  });

  it('gives the same identity to two URLs of the same file (real path)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const a = await sqliteDriver.connect({ bind: 'a', url: 'sqlite:real/x.db', baseDir: dir });
    const b = await sqliteDriver.connect({ bind: 'b', url: `sqlite://${dir}/link/x.db`, baseDir: '/' });
    try {
      expect(await a.identity()).toBe(await b.identity());
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('gives each in-memory connection its own identity', async () => {
    const a = await sqliteDriver.connect({ bind: 'a', url: 'sqlite::memory:', baseDir: '/' });
    const b = await sqliteDriver.connect({ bind: 'b', url: 'sqlite::memory:', baseDir: '/' });
    expect(await a.identity()).not.toBe(await b.identity());
    expect(await a.identity()).toBe(await a.identity());
    await a.close();
    await b.close();
  });

  it('refuses a bad URL or a missing one with a UrlError', async () => {
    await expect(sqliteDriver.connect({ bind: 'x', url: 'sqlite://host/db', baseDir: '/' })).rejects.toBeInstanceOf(UrlError);
    await expect(sqliteDriver.connect({ bind: 'x', baseDir: '/' })).rejects.toThrow(/neither a URL nor a Kysely/);
  });

  it('uses a Kysely instance given by custom tooling, and leaves it open on close', async () => {
    const dir = tempDir();
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'own.db')) }) });
    const conn = await sqliteDriver.connect({ bind: 'own', kysely: db, baseDir: '/' });
    expect(conn.db).toBe(db);
    expect(await conn.identity()).toBe(realpathSync(join(dir, 'own.db')));
    await conn.execute({ sql: 'CREATE TABLE t (a)', parameters: [] });
    await conn.close();
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([]);
    await db.destroy();
  });

  it('offers its pure dialect without connecting', () => {
    expect(sqliteDriver.dialect('sqlite:x.db').name).toBe('sqlite');
  });
});
