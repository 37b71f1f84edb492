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
import { commands, createModuleLoader, EnvironmentBusyError, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, useDatabases, versionsAt } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

/** The gate the first revision waits at (set by the test on globalThis, which revisions share). */
interface Gate {
  reached: () => void;
  open: Promise<void>;
}
const gates = globalThis as { multidbBusyGate?: Gate };

function project(url: string): TempProject {
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
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
    const refused = await Promise.allSettled([commands.upgrade(env), commands.downgrade(env, 'app@base'), commands.stamp(env, 'app@base'), env.connection('app'), env.currentHeads(['app'])]);
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
