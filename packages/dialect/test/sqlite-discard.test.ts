// SqliteConnection.discard (DialectConnection.discard): a SQLite file that connecting created is
// removed again only while it holds nothing (no schema object but the bind's version table
// without rows) and no other connection uses it; anything else is closed and left as it is. The
// other connections here are real better-sqlite3 connections to the same file, as another
// `migrate` process would hold.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VersionTable } from '@multidb/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteDriver } from '../src/sqlite/sqlite-driver.js';
import { onCleanup } from './support/cleanup.js';
import { tempDir } from './support/sqlite-file.js';

const versionTable = new VersionTable('multidb_version');

/** Connects to `data/sub/app.db` in a new temporary folder (creating the file and both folders). */
async function connectNew() {
  const dir = tempDir();
  const conn = await sqliteDriver.connect({ bind: 'app', url: 'sqlite:data/sub/app.db', baseDir: dir, versionTable: versionTable.reference });
  return { conn, dir, file: join(dir, 'data', 'sub', 'app.db') };
}

/** A second connection to the file, as another process would open it; closed after the test. */
function other(file: string): Database.Database {
  const db = new Database(file, { timeout: 0 });
  onCleanup(() => {
    db.close();
  });
  return db;
}

describe('SqliteConnection.discard', () => {
  it('removes a created file that holds nothing, with the folders made for it', async () => {
    const { conn, dir } = await connectNew();
    await conn.discard!();
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('removes a created file whose only table is the version table, without rows (made before a first step that failed)', async () => {
    const { conn, dir, file } = await connectNew();
    await versionTable.ensure(conn, false);
    await conn.discard!();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('keeps a created file whose version table has a row', async () => {
    const { conn, file } = await connectNew();
    await versionTable.ensure(conn, false);
    await conn.execute({ sql: `INSERT INTO "multidb_version" ("version_num") VALUES ('aa1')`, parameters: [] });
    await conn.discard!();
    expect(other(file).prepare('SELECT version_num FROM multidb_version').pluck().all()).toEqual(['aa1']);
  });

  it('keeps a created file to which another connection committed a table (another process, at the same instant)', async () => {
    const { conn, file } = await connectNew();
    other(file).exec('CREATE TABLE "t" ("id" integer PRIMARY KEY)');
    await conn.discard!();
    expect(other(file).prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['t']);
  });

  it('keeps a created file whose user_version another connection set', async () => {
    const { conn, file } = await connectNew();
    other(file).pragma('user_version = 7');
    await conn.discard!();
    expect(other(file).pragma('user_version', { simple: true })).toBe(7);
  });

  it('keeps a created file another connection is reading or writing (its lock: nothing is waited for)', async () => {
    const { conn, file } = await connectNew();
    const reader = other(file);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sqlite_master').get(); // a SHARED lock, held
    const started = Date.now();
    await conn.discard!();
    expect(Date.now() - started).toBeLessThan(1000); // busy_timeout 0: no wait on the event loop
    expect(existsSync(file)).toBe(true);
    reader.exec('COMMIT');
    reader.exec('CREATE TABLE "t" ("id" integer PRIMARY KEY)'); // still the file at its path
    expect(existsSync(file)).toBe(true);
  });

  it('keeps a file put at the path since connecting (not the one it made)', async () => {
    const { conn, dir, file } = await connectNew();
    renameSync(file, join(dir, 'moved.db'));
    writeFileSync(file, ''); // another process's new file: empty, but not ours
    await conn.discard!();
    expect(existsSync(file)).toBe(true);
  });

  it('keeps a file that existed before connecting, empty as it is', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'app.db'), '');
    const conn = await sqliteDriver.connect({ bind: 'app', url: 'sqlite:data/app.db', baseDir: dir, versionTable: versionTable.reference });
    await conn.discard!();
    expect(existsSync(join(dir, 'data', 'app.db'))).toBe(true);
  });

  it('removes a created file switched to WAL when no other connection is open', async () => {
    const { conn, file } = await connectNew();
    await conn.execute({ sql: 'PRAGMA journal_mode = WAL', parameters: [] });
    await conn.discard!();
    expect(['', '-wal', '-shm'].filter((s) => existsSync(`${file}${s}`))).toEqual([]);
  });

  it('keeps a created WAL file that holds a table as it was, in WAL mode', async () => {
    const { conn, file } = await connectNew();
    await conn.execute({ sql: 'PRAGMA journal_mode = WAL', parameters: [] });
    await conn.execute({ sql: 'CREATE TABLE "t" ("id" integer PRIMARY KEY)', parameters: [] });
    await conn.discard!();
    expect(other(file).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('keeps a created WAL file another connection has open', async () => {
    const { conn, file } = await connectNew();
    await conn.execute({ sql: 'PRAGMA journal_mode = WAL', parameters: [] });
    const idle = other(file);
    idle.prepare('SELECT count(*) FROM sqlite_master').get();
    await conn.discard!();
    expect(existsSync(file)).toBe(true);
  });

  // SQLite checks, before a write, that the file it opened is still at its path.
  const REFUSED = expect.objectContaining({ code: expect.stringMatching(/^SQLITE_(READONLY_DBMOVED|IOERR)/) });

  it('the window left: a connection opened before the removal cannot write while nothing is at the path', async () => {
    const dir = tempDir(); // the folder exists: only the file is removed
    const file = join(dir, 'app.db');
    const conn = await sqliteDriver.connect({ bind: 'app', url: 'sqlite:app.db', baseDir: dir, versionTable: versionTable.reference });
    const early = other(file); // opened, idle: holds no lock
    await conn.discard!();
    expect(existsSync(file)).toBe(false);
    expect(early.prepare('SELECT count(*) AS n FROM sqlite_master').get()).toEqual({ n: 0 });
    expect(() => early.exec('CREATE TABLE "t" ("id" integer PRIMARY KEY)')).toThrow(REFUSED);
    // What the TSDoc owns up to: once a third connection made a new file at the path, the early
    // connection's write succeeds, into the removed file, and is lost.
    other(file).exec('CREATE TABLE "u" ("id" integer PRIMARY KEY)');
    early.exec('CREATE TABLE "t" ("id" integer PRIMARY KEY)');
    expect(other(file).prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['u']);
  });

  it('the same with the folder made for it removed too', async () => {
    const { conn, file } = await connectNew();
    const early = other(file);
    await conn.discard!();
    expect(() => early.exec('CREATE TABLE "t" ("id" integer PRIMARY KEY)')).toThrow(REFUSED);
    expect(existsSync(file)).toBe(false);
  });

  it('an open transaction of the connection itself: the file stays (closing rolls it back)', async () => {
    const { conn, file } = await connectNew();
    await conn.begin();
    await conn.discard!();
    expect(existsSync(file)).toBe(true);
  });
});
