// One MigrationEnvironment, two commands at once (an app that upgrades at start-up while a health
// check asks for `status`, or a second `upgrade` called before the first settled). The environment
// keeps one connection per bind, and the migration lock is that connection's (PostgreSQL's
// advisory lock, MySQL's GET_LOCK are per session and re-entrant): the second command ran on the
// first one's connection, inside its transaction, instead of waiting for the lock (on PostgreSQL
// both runs failed on the first revision; on MariaDB both ran it, the second failing on the
// progress table with the revision left partly applied). Now a command naming a bind that a
// writing command of the same environment is using is refused (EnvironmentBusyError, nothing
// done); `current` and `status` report the bind as unreachable saying so. A second environment
// still waits for the lock. Real databases: a SQLite file, the PostgreSQL and MariaDB servers.
//
// The other way round: a read of the environment in flight (`status` of every bind, held on a
// PostgreSQL bind whose version table another session has locked) when an upgrade of another of
// its binds starts. The upgrade used to go ahead at once: `status` then found that bind busy half
// way and reported it unreachable (and a read already past that check sent its queries between
// the run's, inside its transaction). Now the upgrade waits for the read to end: `status` reports
// every bind as it was, then the upgrade runs.
import { commands, createModuleLoader, EnvironmentBusyError, InterruptedError, loadEnvironment, type MigrationEnvironment, type RunEvent } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, useDatabases, versionsAt, withPostgres } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

/** The gate the first revision waits at (set by the test on globalThis, which revisions share). */
interface Gate {
  reached: () => void;
  open: Promise<void>;
}
const gates = globalThis as { multidbBusyGate?: Gate };

/** The project of the cases: bind `app` at `url` (two revisions, the first waiting at the gate); with `slow`, a bind `slow` before it, at that URL. */
function project(url: string, slow?: string): TempProject {
  const binds = `${slow !== undefined ? `slow: { url: ${JSON.stringify(slow)} }, ` : ''}app: { url: ${JSON.stringify(url)} }`;
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { ${binds} } });\n` });
  if (slow !== undefined) {
    p.write('migrations/versions/slow/sl01_slow.ts', revisionSource({ revision: 'sl01', downRevision: null, branchLabels: ['slow'], upgrade: "await op.createTable('s1', [{ name: 'id', type: 'integer', primaryKey: true }]);" }));
  }
  p.write(
    'migrations/versions/app/bz01_first.ts',
    revisionSource({
      revision: 'bz01',
      downRevision: null,
      branchLabels: ['app'],
      upgrade:
        "await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);\n" +
        '  const gate = (globalThis as { multidbBusyGate?: { reached: () => void; open: Promise<void> } }).multidbBusyGate;\n' +
        '  gate?.reached();\n  await gate?.open;',
      downgrade: "await op.dropTable('t1');",
    }),
  );
  p.write('migrations/versions/app/bz02_second.ts', revisionSource({ revision: 'bz02', downRevision: 'bz01', upgrade: "await op.createTable('t2', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('t2');" }));
  return p;
}

const open: { env: MigrationEnvironment; p: TempProject }[] = [];
afterEach(async () => {
  for (const { env, p } of open.splice(0)) {
    await env.close();
    p.remove();
  }
  delete gates.multidbBusyGate;
});

function suite(url: () => string): void {
  it('a second command on a bind the first is upgrading is refused, nothing done; the first completes; after it, the commands work again', async () => {
    const p = project(url());
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    open.push({ env, p });
    let release!: () => void;
    let reached!: () => void;
    const inRevision = new Promise<void>((resolve) => (reached = resolve));
    gates.multidbBusyGate = { reached, open: new Promise<void>((resolve) => (release = resolve)) };

    const first = commands.upgrade(env);
    await inRevision; // the first revision of the first run is in progress, in its transaction
    const refused = await Promise.allSettled([
      commands.upgrade(env),
      commands.downgrade(env, 'app@base'),
      commands.stamp(env, 'app@base'),
      env.connection('app'),
      env.currentHeads(['app']),
      // A read of its own: the bind held is left out of it, so what it reads there is refused.
      env.reading('app', () => env.currentHeads(['app'])),
    ]);
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason as EnvironmentBusyError;
      expect(error).toBeInstanceOf(EnvironmentBusyError);
      expect(error).toMatchObject({ code: 'ENVIRONMENT_BUSY', bind: 'app' });
      expect(error.message).toMatch(/^\[app\] is in use by another command of this environment/);
    }
    const [current] = await commands.current(env, ['app']);
    expect(current).toMatchObject({ bind: 'app', reachable: false, reason: expect.stringMatching(/^\[app\] is in use by another command of this environment/) });
    const [status] = await commands.status(env, ['app']);
    expect(status!.condition.kind).toBe('unreachable');

    release();
    expect((await first).steps.map((s) => s.revision)).toEqual(['bz01', 'bz02']);
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual(['bz02']);
    // Free again.
    expect((await commands.current(env, ['app']))[0]!.revisions.map((r) => r.revision)).toEqual(['bz02']);
    expect((await commands.downgrade(env, 'app@base')).steps.map((s) => s.revision)).toEqual(['bz02', 'bz01']);
  });

  it('a second environment waits for the migration lock instead, then finds nothing to do', async () => {
    const p = project(url());
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    const other = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    open.push({ env, p }, { env: other, p });
    let release!: () => void;
    let reached!: () => void;
    const inRevision = new Promise<void>((resolve) => (reached = resolve));
    gates.multidbBusyGate = { reached, open: new Promise<void>((resolve) => (release = resolve)) };
    const first = commands.upgrade(env);
    await inRevision;
    const waits: string[] = [];
    const second = commands.upgrade(other, [], { onEvent: (e) => e.type === 'lock-wait' && waits.push(e.bind) });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (waits.length) resolve(clearInterval(poll));
      }, 10);
    });
    release();
    expect((await first).steps.map((s) => s.revision)).toEqual(['bz01', 'bz02']);
    expect((await second).steps).toEqual([]);
    expect(waits).toEqual(['app']);
  });
}

/**
 * Holds a read of `slow`'s version table: another session takes an ACCESS EXCLUSIVE lock on it,
 * which a SELECT waits for. `release` commits that session (the SELECT then goes on); `blocked`
 * resolves once a session of the server waits for that lock (the read is held on it).
 */
async function lockVersionTable(slowUrl: string): Promise<{ blocked: () => Promise<void>; release: () => Promise<void> }> {
  const holder = new pg.Client({ connectionString: slowUrl });
  holder.on('error', () => undefined);
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE multidb_version IN ACCESS EXCLUSIVE MODE');
  const database = new URL(slowUrl).pathname.slice(1);
  return {
    blocked: async () => {
      for (;;) {
        const waiting = await withPostgres(async (c) => (await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%multidb_version%'", [database])).rows[0].n as number);
        if (waiting > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    release: async () => {
      await holder.query('COMMIT');
      await holder.end();
    },
  };
}

function readSuite(url: () => string, slowUrl: () => string): void {
  it('an upgrade started while a status of the environment is in flight waits for it: status reports every bind as it was, then the upgrade runs', async () => {
    const p = project(url(), slowUrl());
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    open.push({ env, p });
    await commands.upgrade(env, ['slow@head']); // slow has its version table
    let release!: () => void;
    let reached!: () => void;
    const inRevision = new Promise<void>((resolve) => (reached = resolve));
    gates.multidbBusyGate = { reached, open: new Promise<void>((resolve) => (release = resolve)) };
    let statusDone = false;
    let revisionBeforeStatus = false;
    void inRevision.then(() => (revisionBeforeStatus = !statusDone));

    const lock = await lockVersionTable(slowUrl());
    const reading = commands.status(env).finally(() => (statusDone = true));
    await lock.blocked(); // status is held on slow's version table; app is not read yet
    const events: RunEvent['type'][] = [];
    const run = commands.upgrade(env, ['app@head'], { onEvent: (e) => events.push(e.type) });
    // A read of app started while the upgrade waits is part of the reads in flight there: answered.
    expect(await env.currentHeads(['app'])).toEqual(new Map([['app', []]]));
    await lock.release();

    const rows = await reading;
    expect(rows.map((r) => [r.bind, r.reachable, r.condition.kind, r.current])).toEqual([
      ['slow', true, 'up-to-date', ['sl01']],
      ['app', true, 'pending', []],
    ]);
    expect(revisionBeforeStatus).toBe(false); // the upgrade had not started its first revision
    await inRevision;
    // Now the upgrade holds app: a read that starts is refused, as before.
    await expect(env.currentHeads(['app'])).rejects.toBeInstanceOf(EnvironmentBusyError);
    release();
    expect((await run).steps.map((s) => s.revision)).toEqual(['bz01', 'bz02']);
    expect(events.filter((e) => e === 'lock-acquired')).toEqual(['lock-acquired']);
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual(['bz02']);
    expect((await commands.status(env, ['app']))[0]!.condition.kind).toBe('up-to-date');
    await commands.downgrade(env, 'app@base'); // the server databases serve the next case
  });

  it('an upgrade waiting for a read in flight stops when its signal is aborted: InterruptedError, nothing started; the read completes', async () => {
    const p = project(url(), slowUrl());
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    open.push({ env, p });
    await commands.upgrade(env, ['slow@head']);
    const lock = await lockVersionTable(slowUrl());
    const reading = commands.current(env);
    await lock.blocked();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    gates.multidbBusyGate = { reached: () => undefined, open: Promise.resolve() };
    const run = commands.upgrade(env, ['app@head'], { signal: controller.signal, onEvent: (e) => events.push(e) });
    // A read of app meanwhile opens its connection (what the upgrade needs first): the upgrade is
    // then waiting for the reads in flight there, having taken no lock.
    expect(await env.currentHeads(['app'])).toEqual(new Map([['app', []]]));
    controller.abort('SIGTERM');
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error).toMatchObject({ reason: 'SIGTERM', completed: [], pending: [], notStarted: ['app'] });
    expect(events).toEqual([
      { type: 'bind-done', bind: 'app', ok: false, heads: [], interrupted: 'not-started' },
      { type: 'run-done', ok: false, elapsedMs: expect.any(Number) },
    ]);
    await lock.release();
    expect((await reading).map((b) => [b.bind, b.reachable, b.revisions.map((r) => r.revision)])).toEqual([
      ['slow', true, ['sl01']],
      ['app', true, []],
    ]);
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([]);
  });
}

describe('one environment, two commands at once: SQLite', () => {
  suite(() => 'sqlite:.data/app.db');
});

describeWithServers('one environment, two commands at once: PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('environment_busy', { db: 'postgres' });
  suite(() => dbs.db.url);
});

describeWithServers('one environment, two commands at once: MariaDB', ['mysql'], () => {
  const dbs = useDatabases('environment_busy', { db: 'mysql' });
  suite(() => dbs.db.url);
});

// The read is held on a PostgreSQL bind (`slow`) in each case; the upgrade is of `app`.
describeWithServers('one environment, a read in flight when an upgrade starts: SQLite', ['postgres'], () => {
  const dbs = useDatabases('environment_busy_reads', { slow: 'postgres' });
  readSuite(() => 'sqlite:.data/app.db', () => dbs.slow.url);
});

describeWithServers('one environment, a read in flight when an upgrade starts: PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('environment_busy_reads', { slow: 'postgres', db: 'postgres' });
  readSuite(() => dbs.db.url, () => dbs.slow.url);
});

describeWithServers('one environment, a read in flight when an upgrade starts: MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('environment_busy_reads', { slow: 'postgres', db: 'mysql' });
  readSuite(() => dbs.db.url, () => dbs.slow.url);
});
