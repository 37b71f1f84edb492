// The migration lock on a real database of each dialect (DESIGN §7): while another holds it, a
// connection polls without blocking the event loop (onWait once) and times out with LOCK_TIMEOUT
// naming its bind; the lock is freed when its holder dies. SQLite: a lock file next to the
// database, held by an exclusive transaction on a connection of its own; PostgreSQL: a
// session-level advisory lock keyed by name, database and schema; MySQL: GET_LOCK, named by
// database and name (MySQL's lock names are server-wide).
import { LockTimeoutError, type DialectConnection } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mysqlLockName } from '../src/mysql/mysql-lock.js';
import { postgresLockKey } from '../src/postgres/postgres-lock.js';
import { lockFileFor } from '../src/sqlite/sqlite-lock.js';
import { sqliteDriver } from '../src/sqlite/sqlite-driver.js';
import { DIALECTS, forDialect, MYSQL, type PerDialect, type TestDatabase } from './support/dialects.js';
import { holdMysqlLock, holdPostgresLock, holdSqliteLock, type LockHolder } from './support/lock-holder.js';
import { createTestDatabase, serverConnection } from './support/mysql-database.js';
import { q } from './support/op-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a test needs to know of a dialect's lock. */
interface LockSpec {
  /** The lock name the runner uses. */
  readonly name: string;
  /** Holds the lock elsewhere: in another process (SQLite), or on another connection, returned. */
  readonly hold: (database: TestDatabase, name: string) => Promise<DialectConnection | undefined>;
  /** Holds the lock in another process until it is killed. */
  readonly holdInChild: (database: TestDatabase, name: string) => Promise<LockHolder>;
  /** What else holds after a waiter timed out. */
  readonly afterTimeout?: (ctx: { database: TestDatabase; holder?: DialectConnection; waiter: DialectConnection; error: unknown }) => Promise<void>;
  /** What else holds once a waiter took over the lock of a killed process. */
  readonly afterTakeover?: (ctx: { database: TestDatabase; waiter: DialectConnection; killedAt: number }) => Promise<void>;
}

const connectionHolder = async (database: TestDatabase, name: string) => {
  const holder = await database.connect({ bind: 'holder' });
  await holder.acquireLock({ name });
  return holder;
};

const locks: PerDialect<LockSpec> = {
  sqlite: {
    name: 'multidb_version',
    hold: async (database, name) => {
      await holdSqliteLock(lockFileFor(database.name, name));
      return undefined;
    },
    holdInChild: (database, name) => holdSqliteLock(lockFileFor(database.name, name)),
    // The lock excludes a second connection until released; it does not hold the database itself.
    afterTakeover: async ({ database, waiter }) => {
      const other = await database.connect({ bind: 'other' });
      await expect(other.acquireLock({ name: 'multidb_version', timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      await other.execute({ sql: 'CREATE TABLE t (a)', parameters: [] });
      await waiter.releaseLock();
      await other.acquireLock({ name: 'multidb_version', timeoutMs: 1_000, pollMs: 10 });
      await other.releaseLock();
    },
  },
  postgres: {
    name: 'multidb::multidb_version',
    hold: connectionHolder,
    holdInChild: (database, name) => holdPostgresLock(database.url, postgresLockKey(name, database.name)),
    // A lock of another name is free; acquiring a held lock again resolves at once.
    afterTimeout: async ({ database, holder, error }) => {
      expect((error as Error).message).toMatch(/waiting for the migration lock on db2/);
      const other = await database.connect();
      await other.acquireLock({ name: 'multidb:other:multidb_version', timeoutMs: 0 });
      await holder!.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 0 });
    },
    afterTakeover: ({ waiter }) => waiter.releaseLock(),
  },
  mysql: {
    name: 'multidb::multidb_version',
    hold: connectionHolder,
    holdInChild: (database, name) => holdMysqlLock(database.name, mysqlLockName(database.name, name)),
    // Released, the lock goes to the next session; the holder may take it again at once.
    afterTimeout: async ({ holder, waiter }) => {
      const name = 'multidb::multidb_version';
      await holder!.acquireLock({ name, timeoutMs: 0 });
      await holder!.releaseLock();
      await waiter.acquireLock({ name, timeoutMs: 1_000, pollMs: 10 });
      await expect(holder!.acquireLock({ name, timeoutMs: 0 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      await waiter.close(); // close releases it
      await holder!.acquireLock({ name, timeoutMs: 1_000, pollMs: 10 });
      await holder!.releaseLock();
    },
    afterTakeover: async ({ waiter, killedAt }) => {
      expect(Date.now() - killedAt).toBeLessThan(5_000);
      await waiter.releaseLock();
    },
  },
};

/** PostgreSQL and MySQL: a session killed from another connection, and how the killed connection behaves after. */
const killSession: PerDialect<{
  readonly kill: (database: TestDatabase, holder: DialectConnection) => Promise<void>;
  readonly afterwards: (holder: DialectConnection, waiter: DialectConnection) => Promise<void>;
}> = {
  postgres: {
    kill: async (database, holder) => {
      const [{ pid }] = (await q(holder, 'SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      const admin = await database.connect({ bind: 'admin' });
      expect(await q(admin, 'SELECT pg_terminate_backend($1) AS done', pid)).toEqual([{ done: true }]);
    },
    // Releasing or closing the terminated connection does not throw.
    afterwards: async (holder) => {
      await expect(holder.releaseLock()).resolves.toBeUndefined();
      await expect(holder.close()).resolves.toBeUndefined();
    },
  },
  mysql: {
    kill: async (_database, holder) => {
      const [{ id }] = (await q(holder, 'SELECT CONNECTION_ID() AS id')) as [{ id: number }];
      const admin = await serverConnection();
      await admin.query(`KILL ${Number(id)}`);
      await admin.end();
    },
    // Rollback and close of the killed connection never throw.
    afterwards: async (holder, waiter) => {
      await holder.rollback();
      await holder.close();
      await waiter.releaseLock();
    },
  },
};

/** Tests of what only one dialect has (functions below). */
const onlyOn: PerDialect<(database: TestDatabase) => void> = { sqlite: sqliteLock, postgres: postgresLock, mysql: mysqlLock };

for (const d of DIALECTS) {
  d.describeOnDatabase(`${d.name}: migration lock`, () => {
    const database = d.useDatabase('lock');
    const spec = forDialect(d, locks);

    it('waits while another holds it (onWait once, event loop free), then times out with LOCK_TIMEOUT naming its bind', async () => {
      const holder = await spec.hold(database, spec.name);
      const waiter = await database.connect({ bind: 'db2' });
      let waits = 0;
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const started = Date.now();
      const error = await waiter.acquireLock({ name: spec.name, timeoutMs: 400, pollMs: 50, onWait: () => waits++ }).catch((e: unknown) => e);
      clearInterval(timer);
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'db2' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect(waits).toBe(1);
      // Polling never blocked the event loop: a blocking wait lets at most one 10 ms tick through in
      // 400 ms; a free loop gives ~40, and still several on a loaded machine (once 10 or fewer there).
      expect(ticks).toBeGreaterThanOrEqual(3);
      await spec.afterTimeout?.({ database, holder, waiter, error });
    });

    it('stops waiting once its signal is aborted (code ABORTED), while it sleeps or before; an aborted signal stops it before a try', async () => {
      const holder = await spec.hold(database, spec.name);
      const waiter = await database.connect({ bind: 'db2' });
      // Polling every 10 minutes: only the signal can end these waits. Aborted while it sleeps
      // (the turn after onWait), and aborted before it sleeps (in onWait).
      for (const abortIn of [(c: AbortController) => setImmediate(() => c.abort()), (c: AbortController) => c.abort()]) {
        const controller = new AbortController();
        const error = await waiter.acquireLock({ name: spec.name, pollMs: 600_000, signal: controller.signal, onWait: () => abortIn(controller) }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'ABORTED' });
      }
      const before = await waiter.acquireLock({ name: spec.name, signal: AbortSignal.abort() }).catch((e: unknown) => e);
      expect(before).toMatchObject({ code: 'ABORTED' });
      await waiter.close();
      await holder?.close();
    });

    it('is taken over when the process holding it is killed with SIGKILL', async () => {
      const waiter = await database.connect();
      const { child } = await spec.holdInChild(database, spec.name);
      let waited = false;
      const acquiring = waiter.acquireLock({ name: spec.name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
      await sleep(150);
      expect(waited).toBe(true);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await acquiring;
      await spec.afterTakeover?.({ database, waiter, killedAt });
    });

    const kill = killSession[d.name];
    if (kill) {
      it('is taken over when the holder’s session is killed from another connection', async () => {
        const holder = await connectionHolder(database, spec.name);
        const waiter = await database.connect({ bind: 'waiter' });
        let waited = false;
        const acquiring = waiter.acquireLock({ name: spec.name, timeoutMs: 10_000, pollMs: 20, onWait: () => (waited = true) });
        await sleep(100);
        await kill.kill(database, holder);
        await acquiring;
        expect(waited).toBe(true);
        // The killed connection fails its next query.
        await expect(q(holder, 'SELECT 1')).rejects.toThrow();
        await kill.afterwards(holder, waiter);
      });
    }

    onlyOn[d.name]?.(database);
  });
}

function sqliteLock(database: TestDatabase): void {
  const name = 'multidb_version';

  it('locks of different names do not exclude each other; close releases the lock', async () => {
    const conn = await database.connect();
    const other = await database.connect({ bind: 'other' });
    await conn.acquireLock({ name });
    await other.acquireLock({ name: 'another table', timeoutMs: 0 });
    await other.close();
    await conn.close();
    const third = await database.connect({ bind: 'third' });
    await third.acquireLock({ name, timeoutMs: 0 });
    await third.close();
  });

  it('is a no-op for an in-memory database', async () => {
    const conn = await sqliteDriver.connect({ bind: 'mem', url: 'sqlite::memory:', baseDir: '/' });
    await conn.acquireLock({ name, timeoutMs: 0 });
    await conn.releaseLock();
    await conn.close();
  });
}

describe('sqlite: lock file', () => {
  it('names the lock file after the database and the lock name', () => {
    expect(lockFileFor('/srv/app.db', 'multidb_version')).toBe('/srv/app.db-multidb-multidb_version.lock');
    expect(lockFileFor('/srv/app.db', 'a/b c')).toMatch(/^\/srv\/app\.db-multidb-a_b_c-[0-9a-f]{8}\.lock$/);
    // A database file name of 213 bytes (70 Japanese characters and .db): the lock file's name
    // would be 256 bytes, its journal's 264, past what file systems take; its database part is
    // cut and hashed.
    const long = `${'日'.repeat(70)}.db`;
    const lock = lockFileFor(`/srv/${long}`, 'multidb::multidb_version');
    expect(Buffer.byteLength(`${lock.slice('/srv/'.length)}-journal`)).toBeLessThanOrEqual(255);
    expect(lock).toMatch(new RegExp(`^/srv/${'日'.repeat(63)}-[0-9a-f]{8}-multidb-multidb__multidb_version-[0-9a-f]{8}\\.lock$`));
    expect(lockFileFor(`/srv/${long}`, 'multidb::multidb_version')).toBe(lock);
    expect(lockFileFor(`/srv/${'日'.repeat(69)}x.db`, 'multidb::multidb_version')).not.toBe(lock);
  });
});

function postgresLock(database: TestDatabase): void {
  const name = 'multidb::multidb_version';

  it('survives the holder\'s COMMITs and ROLLBACKs, and is free once released or closed', async () => {
    const holder = await database.connect();
    const waiter = await database.connect();
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

  it('keys the lock by the bind schema too', async () => {
    const a = await database.connect({ schema: 'tenant_a' });
    const b = await database.connect({ schema: 'tenant_b' });
    await a.acquireLock({ name });
    await b.acquireLock({ name, timeoutMs: 0 });
  });
}

describe('postgres: lock key', () => {
  it('derives a stable 64-bit key from the lock name, the database and the schema', () => {
    const name = 'multidb::multidb_version';
    const key = postgresLockKey(name, 'sales');
    expect(key).toBe(postgresLockKey(name, 'sales'));
    expect(key).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(key).toBeLessThan(2n ** 63n);
    expect(postgresLockKey(name, 'other')).not.toBe(key);
    expect(postgresLockKey(name, 'sales', 'billing')).not.toBe(key);
    expect(postgresLockKey('multidb::other_table', 'sales')).not.toBe(key);
  });
});

function mysqlLock(database: TestDatabase): void {
  const name = 'multidb::multidb_version';

  it('names locks by database and name: other databases and other names do not exclude each other', async () => {
    const other = await createTestDatabase('lock_other');
    try {
      const a = await database.connect({ bind: 'a' });
      const b = await MYSQL.connect(other.url, { bind: 'b' });
      const c = await database.connect({ bind: 'c' });
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
}
