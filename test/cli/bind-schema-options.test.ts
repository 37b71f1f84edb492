// A bind's `schema` and `versionTableSchema` name a schema inside its database (PostgreSQL). On
// MariaDB a schema is a database, and the first upgrade's `CREATE SCHEMA IF NOT EXISTS` would
// create one the user never asked for; on SQLite they never worked (a syntax error after the
// database file was made). `migrate` refuses them with one line naming the bind, the option and
// the dialect, before anything reaches the server or the disk. `status`, `current` and `history -i`
// list such a bind as `misconfigured: …` (not `unreachable`: nothing was tried), with `--json`
// marking it (`misconfigured`) beside what it always had (`reachable: false`, `reason`).
// `migrate` runs in this process (InProcessProject): the refusals are the CLI's, not the process's.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const REV = 'c5c5c5c5c5c5';

function project(bind: string, url: string, options: string): TempProject {
  const p = new InProcessProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { ${bind}: { url: ${JSON.stringify(url)}, ${options} } } });\n`,
  });
  p.write(
    `migrations/versions/${bind}/${REV}_one.ts`,
    revisionSource({ revision: REV, downRevision: null, branchLabels: [bind], upgrade: "await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('t1');" }),
  );
  return p;
}

describeWithServers('a MariaDB bind refuses schema and versionTableSchema', ['mysql'], () => {
  const dbs = useDatabases('bind_schema_options', { my: 'mysql' });
  // A database name no one else uses: the test asserts it is never created.
  const ghost = `multidb_e2e_ghost_${randomBytes(4).toString('hex')}`;
  const schemata = async () => (await queryUrl<{ n: string }>(dbs.my.url, 'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [ghost])).map((r) => r.n);
  const projects: TempProject[] = [];
  afterAll(async () => {
    for (const p of projects) p.remove();
    // Should the refusal ever regress, leave no database behind.
    await queryUrl(dbs.my.url, `DROP DATABASE IF EXISTS \`${ghost}\``);
  });

  it.each([['schema'], ['versionTableSchema']])('upgrade with %s: exit 1, one line, no database created, nothing written', async (option) => {
    const p = project('my', dbs.my.url, `${option}: '${ghost}'`);
    projects.push(p);
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      // The dialect the URL names (mysql://): refused before connecting, so before the server says it is MariaDB.
      `ERROR: Bind 'my': binds.my.${option} is not supported by mysql. It names a schema inside the bind's database (as on PostgreSQL); mysql has none. ` +
        `Remove it, and name the database in the bind's URL instead.`,
    ]);
    expect(await schemata()).toEqual([]);
    // Nothing reached the bind's own database either: no version table, no table of the revision.
    expect(await queryUrl(dbs.my.url, 'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')).toEqual([]);
  });

  it('status, current and history -i: misconfigured (not unreachable), exit 1, nothing created', async () => {
    const p = project('my', dbs.my.url, `schema: '${ghost}'`);
    projects.push(p);
    const reason = `binds.my.schema is not supported by mysql. It names a schema inside the bind's database (as on PostgreSQL); mysql has none. Remove it, and name the database in the bind's URL instead.`;
    const status = await p.run('status');
    expect(status.code).toBe(1);
    expect(status.stdout.trimEnd().split('\n')).toEqual([`[my] mysql ${dbs.my.url.replace(/:[^:@/]*@/, ':***@')}: current unknown, head ${REV}; misconfigured: ${reason}`]);
    const current = await p.run('current');
    expect(current.code).toBe(1);
    expect(current.stdout.trimEnd().split('\n')).toEqual([`[my] misconfigured: ${reason}`]);
    const history = await p.run('history', '-i');
    expect(history.code).toBe(1);
    expect(history.stdout.trimEnd().split('\n').at(-1)).toBe(`[my] misconfigured: ${reason}`);
    // --json: what it had before (reachable: false, the reason), and says what it is.
    const full = `Bind 'my': ${reason}`;
    expect(JSON.parse((await p.run('status', '--json')).stdout).binds).toEqual([
      expect.objectContaining({ bind: 'my', reachable: false, current: [], condition: { kind: 'misconfigured', reason: full } }),
    ]);
    expect(JSON.parse((await p.run('current', '--json')).stdout).binds).toEqual([
      { bind: 'my', branch: 'my', displayUrl: expect.any(String), reachable: false, misconfigured: true, reason: full, revisions: [], atHeads: false },
    ]);
    expect(JSON.parse((await p.run('history', '-i', '--json')).stdout).unreachable).toEqual([{ bind: 'my', reason: full, misconfigured: true }]);
    expect(await schemata()).toEqual([]);
    expect(await queryUrl(dbs.my.url, 'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')).toEqual([]);
  });

  it('upgrade --sql (no connection) refuses it the same way', async () => {
    const p = project('my', dbs.my.url, `schema: '${ghost}'`);
    projects.push(p);
    const out = await p.run('upgrade', '--sql');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^ERROR: Bind 'my': binds\.my\.schema is not supported by mysql\. /);
  });
});

describe('a SQLite bind refuses schema', () => {
  let p: InProcessProject;
  beforeAll(() => {
    p = project('lite', 'sqlite:.data/lite.db', "schema: 'app'");
  });
  afterAll(() => p?.remove());

  it('upgrade: exit 1, one line, no database file (nor lock file) made', async () => {
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      `ERROR: Bind 'lite': binds.lite.schema is not supported by sqlite. It names a schema inside the bind's database (as on PostgreSQL); sqlite has none. ` +
        `Remove it, and name the database in the bind's URL instead.`,
    ]);
    expect(p.files('.data')).toEqual([]);
  });

  it('status and current: misconfigured (not unreachable), exit 1, no database file made', async () => {
    const reason = `binds.lite.schema is not supported by sqlite. It names a schema inside the bind's database (as on PostgreSQL); sqlite has none. Remove it, and name the database in the bind's URL instead.`;
    const status = await p.run('status');
    expect(status.code).toBe(1);
    expect(status.stdout.trimEnd().split('\n')).toEqual([`[lite] sqlite sqlite:.data/lite.db: current unknown, head ${REV}; misconfigured: ${reason}`]);
    const current = await p.run('current');
    expect(current.code).toBe(1);
    expect(current.stdout.trimEnd().split('\n')).toEqual([`[lite] misconfigured: ${reason}`]);
    expect(p.files('.data')).toEqual([]);
  });
});
