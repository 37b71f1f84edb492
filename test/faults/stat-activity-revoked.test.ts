// Every command works for a role that may not read the server's session list: on PostgreSQL, a
// database where SELECT on pg_stat_activity is revoked from PUBLIC (hardened servers do so); on
// MariaDB, a user without the PROCESS privilege. Was (PostgreSQL): every command failed with
// "[app] cannot identify the database of …: permission denied for view pg_stat_activity": the
// connection's first query read the session's backend_start from the view (for the liveness watch
// of a run asked to stop). Now that query reads the view only where the role may read it; the
// database is named as before (pg_control_system(), else the server's start time and port, which
// need no privilege), and the migration lock's holder is named by its pid alone (pg_locks). The
// revoke is the test database's own (pg_stat_activity is a view in each database's catalog),
// granted back after.
import { commands, createModuleLoader, loadEnvironment, type DialectConnection } from '@multidb/core';
import type { CheckJson, CurrentJson, ErrorJson } from '@multidb/cli';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource, TempProject, type RunOutput } from '../support/project.js';
import { createLoginRole, describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt, withPostgres, type LoginRole, type ServerDatabase, type ServerKind } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const LOCK = { name: 'multidb::multidb_version' };

/** A models module: table `note(id, title)`. */
const MODELS =
  `import { defineModels } from '@multidb/core';\n` +
  `export default defineModels({ tables: [{ name: 'note', columns: ${JSON.stringify([{ name: 'id', type: 'integer', primaryKey: true }, { name: 'title', type: 'varchar(50)', nullable: false }])} }] });\n`;

/** A project of one bind `app` at `url`, with its models. */
function project(url: string): TempProject {
  const p = new InProcessProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models/app.ts' } } });\n`,
  });
  p.write('models/app.ts', MODELS);
  return p;
}

/**
 * Runs every command that connects, as `role`, on a project whose database the role may use: each
 * exits 0, does what it says, and never prints the password.
 */
function everyCommand(kind: ServerKind, db: () => ServerDatabase, role: () => LoginRole): void {
  it(`${kind}: migrate, upgrade, current, status, history -i, check, stamp, downgrade: each works, no password in the output`, async () => {
    const p = project(role().url());
    const outputs: RunOutput[] = [];
    const ok = async (...args: string[]): Promise<RunOutput> => {
      const out = await p.run(...args);
      outputs.push(out);
      expect(out.code, `migrate ${args.join(' ')}\n${out.stdout}\n${out.stderr}`).toBe(0);
      return out;
    };
    try {
      await ok('init', '--multidb');
      await ok('migrate', '-m', 'initial');
      const [file] = p.versions('app');
      const revision = /^export const revision = '([^']+)';$/m.exec(p.read(`migrations/versions/app/${file!}`))![1]!;

      await ok('upgrade');
      expect(await versionsAt(db().url)).toEqual([revision]);
      expect(await tablesAt(db().url)).toContain('note');

      expect((await ok('current')).stdout).toContain(`[app] ${revision} (head)`);
      const current = JSON.parse((await ok('current', '--json')).stdout) as CurrentJson;
      expect(current.binds).toEqual([expect.objectContaining({ bind: 'app', reachable: true, revisions: [expect.objectContaining({ revision, isHead: true })] })]);
      expect(current.binds[0]).not.toHaveProperty('lockHolder');
      await ok('status');
      await ok('history', '-i');

      expect((await ok('check')).stdout).toContain('[app] No changes in schema detected.');
      expect((JSON.parse((await ok('check', '--json')).stdout) as CheckJson).binds.map((b) => [b.bind, b.outcome])).toEqual([['app', 'match']]);

      await ok('stamp', 'base');
      expect(await versionsAt(db().url)).toEqual([]);
      await ok('stamp', 'heads');
      expect(await versionsAt(db().url)).toEqual([revision]);

      await ok('downgrade', 'app@base');
      expect(await versionsAt(db().url)).toEqual([]);
      expect(await tablesAt(db().url)).not.toContain('note');
    } finally {
      p.remove();
    }
    for (const out of outputs) expect(out.stdout + out.stderr).not.toContain(role().password);
  });
}

describeWithServers('a PostgreSQL role that may not read pg_stat_activity', ['postgres'], () => {
  const dbs = useDatabases('stat_revoked', { app: 'postgres' });
  let role: LoginRole | undefined;
  beforeAll(async () => {
    await withPostgres(async (c) => {
      await c.query('REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC');
      await c.query('GRANT CREATE ON SCHEMA public TO PUBLIC'); // PostgreSQL 15+ no longer grants it
    }, dbs.app.url);
    role = await createLoginRole(dbs.app);
    const [{ readable }] = (await queryUrl(role.url(), "SELECT has_table_privilege('pg_catalog.pg_stat_activity', 'SELECT') AS readable")) as [{ readable: boolean }];
    expect(readable).toBe(false);
  });
  afterAll(async () => {
    await withPostgres(async (c) => {
      if (role) await c.query(`DROP OWNED BY "${role.user}"`); // the version table it made
      await c.query('GRANT SELECT ON pg_catalog.pg_stat_activity TO PUBLIC');
    }, dbs.app.url);
    await role?.drop();
  });

  everyCommand('postgres', () => dbs.app, () => role!);

  it("postgres: the migration lock's holder is named by its pid alone (pg_locks): the timeout's message and --json, and migrate current", async () => {
    const holder = project(dbs.app.url);
    const runner = project(role!.url());
    runner.write(
      'migrations/versions/app/10c4000000a1_t.ts',
      revisionSource({ revision: '10c4000000a1', downRevision: null, branchLabels: ['app'], upgrade: "await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('t');" }),
    );
    const env = await loadEnvironment({ dialects, cwd: holder.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    try {
      const conn: DialectConnection = await env.connection('app');
      await conn.acquireLock(LOCK);
      const [row] = await conn.execute({ sql: 'SELECT pg_backend_pid() AS id', parameters: [] });
      const id = Number(row!['id']);
      try {
        const out = await runner.run('upgrade', '--lock-timeout', '1', '--json');
        expect(out.code, out.stderr).toBe(3);
        const { error } = JSON.parse(out.stdout) as ErrorJson;
        expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'app' });
        expect(error.holder).toEqual({ holder: `pid ${id}`, session: { id } });
        expect(error.message).toMatch(new RegExp(`another run holds it \\(pid ${id}\\)\\.$`));
        const current = await runner.run('current');
        expect(current.code, current.stderr).toBe(0);
        expect(current.stdout).toMatch(new RegExp(`^\\[app\\] migration lock held by pid ${id}$`, 'm'));
        for (const o of [out, current]) expect(o.stdout + o.stderr).not.toContain(role!.password);

        // From code: the environment's look-up gives the same.
        const runnerEnv = await loadEnvironment({ dialects, cwd: runner.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
        try {
          expect(await runnerEnv.lockHolders()).toEqual(new Map([['app', { holder: `pid ${id}`, session: { id } }]]));
          const [bind] = await commands.current(runnerEnv);
          expect(bind).toMatchObject({ bind: 'app', reachable: true, lockHolder: { holder: `pid ${id}` } });
        } finally {
          await runnerEnv.close();
        }
      } finally {
        await conn.releaseLock();
      }
    } finally {
      await env.close();
      holder.remove();
      runner.remove();
    }
  });
});

describeWithServers('a MariaDB user without the PROCESS privilege', ['mysql'], () => {
  const dbs = useDatabases('stat_revoked', { app: 'mysql' });
  let role: LoginRole | undefined;
  beforeAll(async () => {
    role = await createLoginRole(dbs.app);
    const grants = (await queryUrl(role.url(), 'SHOW GRANTS')).map((r) => String(Object.values(r)[0]));
    expect(grants.join('\n')).not.toMatch(/\bPROCESS\b/);
  });
  afterAll(async () => role?.drop());

  everyCommand('mysql', () => dbs.app, () => role!);
});
