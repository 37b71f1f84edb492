import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LockTimeoutError } from '@multidb/core';
import { afterEach, expect, it } from 'vitest';
import { postgresLockKey } from '../../src/postgres/postgres-lock.js';
import { describeWithPostgres, useTestDatabase } from '../support/postgres-database.js';
import { connect, q } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/hold-postgres-lock.cjs', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts a process that holds the advisory lock; resolves with it and its backend pid once held. */
function holdInChild(url: string, key: bigint): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, [fixture, url, key.toString()], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /held (\d+)/.exec(d.toString());
      if (m) resolve({ child, pid: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

const name = 'multidb::multidb_version';

it('derives a stable 64-bit key from the lock name, the database and the schema', () => {
  const key = postgresLockKey(name, 'sales');
  expect(key).toBe(postgresLockKey(name, 'sales'));
  expect(key).toBeGreaterThanOrEqual(-(2n ** 63n));
  expect(key).toBeLessThan(2n ** 63n);
  expect(postgresLockKey(name, 'other')).not.toBe(key);
  expect(postgresLockKey(name, 'sales', 'billing')).not.toBe(key);
  expect(postgresLockKey('multidb::other_table', 'sales')).not.toBe(key);
});

describeWithPostgres('postgres migration lock', () => {
  const database = useTestDatabase('lock');

  it('a second connection waits (onWait once, event loop free), then times out with LOCK_TIMEOUT naming its bind', async () => {
    const holder = await connect(database.url);
    const waiter = await connect(database.url, { bind: 'db2' });
    await holder.acquireLock({ name });
    let waits = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    const error = await waiter.acquireLock({ name, timeoutMs: 400, pollMs: 50, onWait: () => waits++ }).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'db2' });
    expect((error as Error).message).toMatch(/waiting for the migration lock on db2/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(waits).toBe(1);
    expect(ticks).toBeGreaterThan(10);
    // A lock of another name is free; acquiring a held lock again resolves at once.
    const other = await connect(database.url);
    await other.acquireLock({ name: 'multidb:other:multidb_version', timeoutMs: 0 });
    await holder.acquireLock({ name, timeoutMs: 0 });
  });

  it('survives the holder\'s COMMITs and ROLLBACKs, and is free once released or closed', async () => {
    const holder = await connect(database.url);
    const waiter = await connect(database.url);
    await holder.acquireLock({ name });
    await holder.begin();
    await holder.rollback();
    await holder.begin();
    await holder.commit();
    await expect(waiter.acquireLock({ name, timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    await holder.releaseLock();
    await waiter.acquireLock({ name, timeoutMs: 0 });
    await expect(holder.acquireLock({ name, timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    await waiter.close();
    await holder.acquireLock({ name, timeoutMs: 1_000, pollMs: 10 });
  });

  it('is taken over when the holder\'s session is terminated (pg_terminate_backend from a third connection)', async () => {
    const holder = await connect(database.url);
    const waiter = await connect(database.url);
    const admin = await connect(database.url);
    await holder.acquireLock({ name });
    const [{ pid }] = (await q(holder, 'SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
    let waited = false;
    const acquiring = waiter.acquireLock({ name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 100));
    expect(await q(admin, 'SELECT pg_terminate_backend($1) AS done', pid)).toEqual([{ done: true }]);
    await acquiring;
    expect(waited).toBe(true);
    // The terminated connection fails its next query, and releasing or closing it does not throw.
    await expect(q(holder, 'SELECT 1')).rejects.toThrow();
    await expect(holder.releaseLock()).resolves.toBeUndefined();
    await expect(holder.close()).resolves.toBeUndefined();
  });

  it('is taken over when the holding process is killed with SIGKILL', async () => {
    const waiter = await connect(database.url);
    const { child } = await holdInChild(database.url, postgresLockKey(name, database.name));
    let waited = false;
    const acquiring = waiter.acquireLock({ name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 150));
    expect(waited).toBe(true);
    child.kill('SIGKILL');
    await acquiring;
    await waiter.releaseLock();
  });

  it('keys the lock by the bind schema too', async () => {
    const a = await connect(database.url, { schema: 'tenant_a' });
    const b = await connect(database.url, { schema: 'tenant_b' });
    await a.acquireLock({ name });
    await b.acquireLock({ name, timeoutMs: 0 });
  });
});
