import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { finishRun } from './support/finish-run.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

describe('EnvironmentBackend on SQLite', () => {
  // A project of its own for each test, at base: a test that needs a bind further runs it there.
  let p: SampleProject;
  let backend: EnvironmentBackend;
  beforeEach(async () => {
    p = new SampleProject({ default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db', db3: 'sqlite:.data/db3.db' });
    p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], message: 'create artist', upgrade: `await op.createTable('Artist', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Artist');` });
    p.revision('default', { revision: 'a2', downRevision: 'a1', message: 'add artist name', upgrade: `await op.addColumn('Artist', { name: 'Name', type: 'varchar(40)', nullable: true }); await op.db.updateTable('Artist').set({ Name: 'x' }).execute();`, downgrade: `await op.dropColumn('Artist', 'Name');` });
    p.revision('db2', { revision: 'b1', downRevision: null, branchLabels: ['db2'], dependsOn: ['a1'], message: 'create invoice', upgrade: `await op.createTable('Invoice', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Invoice');` });
    p.revision('db3', { revision: 'c1', downRevision: null, branchLabels: ['db3'], message: 'create log', upgrade: `await op.createTable('Log', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Log');` });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterEach(async () => {
    await backend.close();
    p.remove();
  });

  it('lists binds before connecting, then loads each one', async () => {
    expect(backend.listBinds().map((b) => [b.name, b.dialect, b.displayUrl, b.status.kind])).toEqual([
      ['default', 'sqlite', 'sqlite:.data/default.db', 'loading'],
      ['db2', 'sqlite', 'sqlite:.data/db2.db', 'loading'],
      ['db3', 'sqlite', 'sqlite:.data/db3.db', 'loading'],
    ]);
    const row = await backend.loadBind('default');
    expect(row).toMatchObject({ current: [], heads: ['a2'], pending: 2, status: { kind: 'pending' } });
    expect(await backend.loadBind('db2')).toMatchObject({ heads: ['b1'], pending: 1 });
  });

  it('reload() reads the config file again; a read in progress on the environment it replaces still ends well', async () => {
    // default's onConnect waits at a gate (files), so its read is in progress while the config is read again.
    const [started, go] = [join(p.dir, 'connect.started'), join(p.dir, 'connect.go')];
    const gate = `async () => { const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(started)}, ''); while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20)); }`;
    p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db', onConnect: ${gate} } } });\n`);
    await backend.reload();
    p.stamp('default', []); // a file to connect to (reading creates none)
    const gated = backend.env;
    expect(backend.listBinds().map((b) => b.name)).toEqual(['default']);
    const reading = backend.loadBind('default');
    await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 20_000, interval: 20 });

    // A bind added (db4), one removed (db2), a URL changed through a variable of the config.
    p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nconst data = '.data/moved';\nexport default defineConfig({ binds: { default: { url: 'sqlite:' + data + '/default.db' }, db3: { url: 'sqlite:.data/db3.db' }, db4: { url: 'sqlite:.data/db4.db' } } });\n`);
    await backend.reload();
    expect(backend.env).not.toBe(gated);
    expect(backend.listBinds().map((b) => [b.name, b.displayUrl])).toEqual([
      ['default', 'sqlite:.data/moved/default.db'],
      ['db3', 'sqlite:.data/db3.db'],
      ['db4', 'sqlite:.data/db4.db'],
    ]);
    // The replaced environment is closed only once its read has ended: it ends as without the reload.
    writeFileSync(go, '');
    expect(await reading).toMatchObject({ name: 'default', heads: ['a2'], pending: 2, status: { kind: 'pending' } });
    expect(await backend.loadBind('db4')).toMatchObject({ heads: [], status: { kind: 'up-to-date' } });
    expect(backend.configPath).toBe(join(p.dir, 'migrate.config.ts'));
  });

  it('reload() of a config that no longer loads rejects with a ConfigError naming the file; the environment loaded before stays, its scripts read again', async () => {
    const before = backend.env;
    const config = join(p.dir, 'migrate.config.ts');
    p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' }, }, nope: 1 });\n`);
    p.revision('default', { revision: 'a3', downRevision: 'a2', message: 'add genre', upgrade: `await op.createTable('Genre', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    const error: unknown = await backend.reload().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(config);
    expect(backend.env).toBe(before);
    expect(backend.listBinds().map((b) => b.name)).toEqual(['default', 'db2', 'db3']);
    expect(await backend.loadBind('default')).toMatchObject({ heads: ['a3'], pending: 3 });
    // Corrected, it loads.
    p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' } } });\n`);
    await backend.reload();
    expect(backend.listBinds().map((b) => b.name)).toEqual(['default']);
  });

  it('reviews pending revisions in run order, with the bind they depend on pulled in', async () => {
    const review = await backend.review(['db2']);
    expect(review.targets).toEqual(['db2@head']);
    expect(review.binds.map((b) => [b.bind, b.selected, b.steps.map((s) => s.revision)])).toEqual([
      ['db2', true, ['b1']],
      ['default', false, ['a1']],
    ]);
    expect(review.binds[0]!.steps[0]!.dependsOn).toEqual([{ revision: 'a1', branch: 'default', binds: ['default'], inPlan: true }]);
    expect(review.binds[1]!.history.map((h) => [h.revision, h.state])).toEqual([
      ['a2', 'other'],
      ['a1', 'pending'],
    ]);
  });

  it('previews the SQL of a revision without changing the database', async () => {
    const preview = await backend.preview('default', 'a1', 'up');
    expect(preview).toMatchObject({ message: 'create artist', dialect: 'sqlite' });
    expect(preview.statements.map((s) => s.sql)).toEqual(['CREATE TABLE "Artist" (\n  "id" integer NOT NULL CONSTRAINT "pk_Artist" PRIMARY KEY\n)']);
    expect(preview.source).toContain(`export const revision = 'a1';`);
    // No bind has run yet: reading (binds, review, preview) created no database file or folder.
    expect(preview.notes).toEqual([`The bind's database file ${join(p.dir, '.data', 'default.db')} does not exist yet: it is at base, with no tables (the first upgrade creates it).`]);
    expect(existsSync(join(p.dir, '.data'))).toBe(false);
  });

  it('runs independent binds as separate parts and linked ones together', async () => {
    const session = await backend.startRun({ direction: 'up', targets: ['db3@head', 'db2@head'] });
    expect(session.groups).toEqual([
      { binds: ['db3'], targets: ['db3@head'] },
      { binds: ['db2', 'default'], targets: ['db2@head'] },
    ]);
    const messages = await finishRun(session);
    expect(messages.filter(([, m]) => m.type === 'finished').map(([g]) => g).sort()).toEqual([0, 1]);
    expect(p.versions('db3')).toEqual(['c1']);
    expect(p.versions('db2')).toEqual(['b1']);
    expect(p.versions('default')).toEqual(['a1']);
  });

  it('previews op.db queries compiled, not run', async () => {
    await finishRun(await backend.startRun({ direction: 'up', targets: ['a1'] }));
    expect(p.versions('default')).toEqual(['a1']);
    const preview = await backend.preview('default', 'a2', 'up');
    expect(preview.statements).toEqual([
      { sql: 'ALTER TABLE "Artist" ADD COLUMN "Name" varchar(40)', parameters: [], source: 'op', write: 1 },
      { sql: 'update "Artist" set "Name" = ?', parameters: ['x'], source: 'query-builder', write: 2 },
    ]);
    expect(preview.notes).toEqual(['op.db queries are compiled, not run: in the preview they return no rows.']);
    expect(p.columns('default', 'Artist')).toEqual(['id']);
  });

  it('offers downgrade targets and plans them for the confirmation', async () => {
    const done = await backend.startRun({ direction: 'up', targets: ['default@head'] });
    await finishRun(done);
    expect(await backend.downgradeChoices('default')).toEqual([
      { target: 'default@-1', label: 'a1 create artist (one step back)', revision: 'a1' },
      { target: 'default@base', label: 'base (every revision of the bind undone)', revision: undefined },
    ]);
    expect(await backend.planDowngrade('default', 'default@-1')).toEqual({
      bind: 'default',
      target: 'default@-1',
      steps: [{ bind: 'default', revision: 'a2', message: 'add artist name' }],
    });
  });

  it('reports a failing revision with its statement, leaving the other part going', async () => {
    p.revision('db3', { revision: 'c2', downRevision: 'c1', message: 'broken', upgrade: `await op.execute('INSERT INTO Nope VALUES (1)');` });
    p.revision('default', { revision: 'a3', downRevision: 'a2', message: 'add genre', upgrade: `await op.createTable('Genre', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    backend.refresh();
    const session = await backend.startRun({ direction: 'up', targets: ['db3@head', 'default@head'] });
    const messages = await finishRun(session);
    const failed = messages.find(([, m]) => m.type === 'failed')!;
    expect(failed[0]).toBe(0);
    expect(failed[1]).toMatchObject({ type: 'failed', error: { name: 'MigrationError', bind: 'db3', revision: 'c2', statement: 'INSERT INTO Nope VALUES (1)', reason: 'no such table: Nope' } });
    expect(p.versions('db3')).toEqual(['c1']);
    expect(p.versions('default')).toEqual(['a3']);
  });
});

describe('EnvironmentBackend statuses', () => {
  const p = new SampleProject({
    default: 'sqlite:.data/default.db',
    fork: 'sqlite:.data/fork.db',
    tenant: 'sqlite:.data/tenant.db',
    down: 'mysql://root:secret@127.0.0.1:1/nothing',
    odd: 'nosuch://user:secret@host/db',
  });
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    // `down` shares the tenant branch: its being unreachable must not hide the tenant's state.
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';
export default defineConfig({ binds: {
  default: { url: 'sqlite:.data/default.db' },
  fork: { url: 'sqlite:.data/fork.db' },
  tenant: { url: 'sqlite:.data/tenant.db' },
  down: { url: 'mysql://root:secret@127.0.0.1:1/nothing', branch: 'tenant' },
  odd: { url: 'nosuch://user:secret@host/db', branch: 'default' },
} });
`,
    );
    p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'] });
    p.revision('fork', { revision: 'f1', downRevision: null, branchLabels: ['fork'] });
    p.revision('fork', { revision: 'f2', downRevision: 'f1' });
    p.revision('fork', { revision: 'f3', downRevision: 'f1' });
    p.revision('tenant', { revision: 't1', downRevision: null, branchLabels: ['tenant'] });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
    // Runs of `default` and `tenant` would need `odd` and `down` (same branches): set the version tables by hand.
    p.stamp('default', ['a1']);
    p.stamp('tenant', ['t1']);
    p.stamp('fork', ['f1']);
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it('tells up to date, pending, multiple heads, ahead of the scripts, unreachable and misconfigured apart', async () => {
    expect(await backend.loadBind('tenant')).toMatchObject({ current: ['t1'], pending: 0, status: { kind: 'up-to-date' } });
    expect(await backend.loadBind('fork')).toMatchObject({ current: ['f1'], heads: ['f2', 'f3'], pending: 2, status: { kind: 'multiple-heads', heads: ['f2', 'f3'] } });
    const down = await backend.loadBind('down');
    expect(down).toMatchObject({ displayUrl: 'mysql://root:***@127.0.0.1:1/nothing', status: { kind: 'unreachable' } });
    expect(JSON.stringify(down)).not.toContain('secret');
    const odd = await backend.loadBind('odd');
    // A URL no dialect takes: nothing was tried on the network, the config is wrong.
    expect(odd).toMatchObject({ dialect: '?', status: { kind: 'misconfigured', reason: expect.stringMatching(/^Bind 'odd': no dialect for URL 'nosuch:\/\/user:\*\*\*@host\/db'/) } });
    expect(JSON.stringify(odd)).not.toContain('secret');

    p.exec('default', `UPDATE multidb_version SET version_num = 'ffffeeee0000'`);
    expect(await backend.loadBind('default')).toMatchObject({ current: ['ffffeeee0000'], status: { kind: 'ahead', unknown: ['ffffeeee0000'] } });
  });

  it('reviews a branch with two heads as an upgrade of both', async () => {
    const review = await backend.review(['fork']);
    expect(review.targets).toEqual(['fork@heads']);
    expect(review.binds[0]!.steps.map((s) => s.revision)).toEqual(['f2', 'f3']);
  });
});

describe('EnvironmentBackend with -x arguments and tenants sharing a branch', () => {
  const tenants = ['t1', 't2', 't3', 't4', 't5', 't6'];
  const p = new SampleProject({});
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
    );
    p.revision('tenant', {
      revision: 'x1',
      downRevision: null,
      branchLabels: ['tenant'],
      message: 'record the tenant',
      upgrade: `await op.createTable('who', [{ name: 'name', type: 'varchar(20)', primaryKey: true }]); await op.db.insertInto('who').values({ name: op.xArgs.tenant ?? 'none' }).execute();`,
    });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, xArgs: { tenant: 'acme' }, maxParts: 2 });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it('previews with the -x arguments as op.xArgs', async () => {
    const preview = await backend.preview('t1', 'x1', 'up');
    expect(preview.statements.at(-1)).toEqual({ sql: 'insert into "who" ("name") values (?)', parameters: ['acme'], source: 'query-builder', write: 2 });
  });

  it('packs independent tenants into at most maxParts parts, names their branch, and runs them with op.xArgs', async () => {
    const session = await backend.startRun({ direction: 'up', targets: tenants.map((t) => `${t}@head`) });
    expect(session.groups.map((g) => g.binds)).toEqual([
      ['t1', 't2', 't3'],
      ['t4', 't5', 't6'],
    ]);
    expect(session.branches).toEqual(Object.fromEntries(tenants.map((t) => [t, 'tenant'])));
    const messages = await finishRun(session);
    expect(messages.filter(([, m]) => m.type === 'failed')).toEqual([]);
    for (const t of tenants) expect(p.query(t, 'SELECT name FROM who')).toEqual([{ name: 'acme' }]);
  });
});

describe('EnvironmentBackend of an environment loaded from a configObject', () => {
  it('is refused up front, naming the config object: each run loads the project again from a config file, which it has not', async () => {
    const env = await loadEnvironment({ dialects, baseDir: tmpdir(), configObject: { binds: { main: { url: 'sqlite::memory:' } } } });
    const error = (() => {
      try {
        return new EnvironmentBackend(env, { driver: inProcessRunDriver });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "The TUI needs a config file: each run loads the project again from it, and the configObject given to loadEnvironment has none. Load the environment with loadEnvironment's `config` or `cwd`, or use EnvironmentBackend.open.",
    );
    await env.close();
  });
});
