import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LockTimeoutError } from '@multidb/core';
import { afterEach, expect, it } from 'vitest';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { mysqlLockName } from '../../src/mysql/mysql-lock.js';
import { createTestDatabase, serverConnection, serverOptions } from '../support/mysql-database.js';
import { q } from './helpers.js';
import { describeMysql, useTestDatabase } from './server.js';

const fixture = fileURLToPath(new URL('./fixtures/hold-mysql-lock.cjs', import.meta.url));
const mysql2 = createRequire(import.meta.url).resolve('mysql2');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts a process that holds the lock on its own session; resolves once it holds it. */
function holdInChild(database: string, lockName: string): Promise<ChildProcess> {
  const options = JSON.stringify({ ...serverOptions(), database });
  const child = spawn(process.execPath, [fixture, mysql2, options, lockName], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve(child));
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

const name = 'multidb::multidb_version';

describeMysql('mysql migration lock', () => {
  const database = useTestDatabase('lock');

  it('waits while another session holds it (onWait once, event loop free), then times out with LOCK_TIMEOUT', async () => {
    const holder = await database.connect('holder');
    const waiter = await database.connect('db3');
    await holder.acquireLock({ name });
    let waits = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    const error = await waiter.acquireLock({ name, timeoutMs: 400, pollMs: 50, onWait: () => waits++ }).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).code).toBe('LOCK_TIMEOUT');
    expect((error as LockTimeoutError).bind).toBe('db3');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(waits).toBe(1);
    expect(ticks).toBeGreaterThan(10);
    // Released, the lock goes to the next session; the holder may take it again at once.
    await holder.acquireLock({ name, timeoutMs: 0 });
    await holder.releaseLock();
    await waiter.acquireLock({ name, timeoutMs: 1_000, pollMs: 10 });
    await expect(holder.acquireLock({ name, timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    await waiter.close(); // close releases it
    await holder.acquireLock({ name, timeoutMs: 1_000, pollMs: 10 });
    await holder.releaseLock();
  });

  it('is freed when its holder session is KILLed from another connection', async () => {
    const holder = await database.connect('holder');
    const waiter = await database.connect('waiter');
    await holder.acquireLock({ name });
    const [{ id }] = (await q(holder, 'SELECT CONNECTION_ID() AS id')) as [{ id: number }];
    let waited = false;
    const acquiring = waiter.acquireLock({ name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 100));
    const admin = await serverConnection();
    await admin.query(`KILL ${Number(id)}`);
    await admin.end();
    await acquiring;
    expect(waited).toBe(true);
    // The killed connection fails its queries; rollback, releaseLock and close never throw.
    await expect(q(holder, 'SELECT 1')).rejects.toThrow();
    await holder.rollback();
    await holder.close();
    await waiter.releaseLock();
  });

  it('is freed when the process holding it is killed with SIGKILL', async () => {
    const waiter = await database.connect('waiter');
    await holdInChild(database.name, mysqlLockName(database.name, name));
    let waited = false;
    const acquiring = waiter.acquireLock({ name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 150));
    expect(waited).toBe(true);
    const killedAt = Date.now();
    children[0]!.kill('SIGKILL');
    await acquiring;
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    await waiter.releaseLock();
  });

  it('names locks by database and name: other databases and other names do not exclude each other', async () => {
    const other = await createTestDatabase('lock_other');
    try {
      const a = await database.connect('a');
      const b = await mysqlDriver.connect({ bind: 'b', url: other.url, baseDir: '/' });
      const c = await database.connect('c');
      await a.acquireLock({ name });
      await b.acquireLock({ name, timeoutMs: 0 });
      await c.acquireLock({ name: 'multidb:other:multidb_version', timeoutMs: 0 });
      await b.close();
      await a.releaseLock();
      await c.releaseLock();
    } finally {
      await other.drop();
    }
    const lockName = mysqlLockName('chinook', name);
    expect(lockName).toMatch(/^multidb_[0-9a-f]{40}$/);
    expect(lockName.length).toBeLessThanOrEqual(64);
    expect(mysqlLockName('chinook', name)).toBe(lockName);
    expect(mysqlLockName('chinook2', name)).not.toBe(lockName);
  });
});
