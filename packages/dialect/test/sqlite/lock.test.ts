import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LockTimeoutError } from '@multidb/core';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFileFor } from '../../src/sqlite/sqlite-lock.js';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';
import { connectTemp } from './helpers.js';

const fixture = fileURLToPath(new URL('../fixtures/hold-sqlite-lock.cjs', import.meta.url));
const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts a process that holds the lock file; resolves once it holds it. */
function holdInChild(lockFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture, betterSqlite3, lockFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve(child));
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

const name = 'multidb_version';

describe('sqlite migration lock', () => {
  it('waits while another process holds it (onWait once, event loop free), then times out with LOCK_TIMEOUT', async () => {
    const { conn, path } = await connectTemp();
    await holdInChild(lockFileFor(path, name));
    let waits = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    const error = await conn.acquireLock({ name, timeoutMs: 400, pollMs: 50, onWait: () => waits++ }).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as { code: string }).code).toBe('LOCK_TIMEOUT');
    expect((error as LockTimeoutError).bind).toBe('test');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(waits).toBe(1);
    expect(ticks).toBeGreaterThan(10); // polling never blocked the event loop
  });

  it('is acquired once the holder dies (SIGKILL), and excludes a second connection until released', async () => {
    const { conn, path } = await connectTemp();
    const child = await holdInChild(lockFileFor(path, name));
    let waited = false;
    const acquiring = conn.acquireLock({ name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await acquiring;
    expect(waited).toBe(true);

    const other = await sqliteDriver.connect({ bind: 'other', url: `sqlite://${path}`, baseDir: '/' });
    try {
      await expect(other.acquireLock({ name, timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      // The lock does not hold the database itself: the other connection can still write.
      await other.execute({ sql: 'CREATE TABLE t (a)', parameters: [] });
      await conn.releaseLock();
      await other.acquireLock({ name, timeoutMs: 1_000, pollMs: 10 });
      await other.releaseLock();
    } finally {
      await other.close();
    }
  });

  it('locks of different names do not exclude each other; close releases the lock', async () => {
    const { conn, path } = await connectTemp();
    const other = await sqliteDriver.connect({ bind: 'other', url: `sqlite://${path}`, baseDir: '/' });
    await conn.acquireLock({ name });
    await other.acquireLock({ name: 'another table', timeoutMs: 0 });
    await other.close();
    await conn.close();
    const third = await sqliteDriver.connect({ bind: 'third', url: `sqlite://${path}`, baseDir: '/' });
    await third.acquireLock({ name, timeoutMs: 0 });
    await third.close();
  });

  it('is a no-op for an in-memory database', async () => {
    const conn = await sqliteDriver.connect({ bind: 'mem', url: 'sqlite::memory:', baseDir: '/' });
    await conn.acquireLock({ name, timeoutMs: 0 });
    await conn.releaseLock();
    await conn.close();
  });

  it('names the lock file after the database and the lock name', () => {
    expect(lockFileFor('/srv/app.db', 'multidb_version')).toBe('/srv/app.db-multidb-multidb_version.lock');
    expect(lockFileFor('/srv/app.db', 'a/b c')).toMatch(/^\/srv\/app\.db-multidb-a_b_c-[0-9a-f]{8}\.lock$/);
  });
});
