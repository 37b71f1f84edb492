// `migrate check` with several binds on different databases (default on SQLite, db2 on PostgreSQL,
// analytics on MySQL/MariaDB) where more than one bind has a problem: every bind is examined and
// reported (behind its head, with the revisions pending; differing, with the changes; unreachable,
// with the masked error), instead of the run stopping at the first bind behind its head or
// unreachable, so a CI job learns of every problem in one push. The exit code is the most severe:
// 1 when a bind could not be compared, even when another differs; 4 when every bind was compared
// and one differs. Through the built `migrate` binary, as CI runs it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckJson } from '@multidb/cli';
import { TempProject, runMigrate } from '../support/project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const PASSWORD = 'Zq9pw77secret';
/** Nothing listens on port 9 of the loopback: the connection is refused at once. */
const CLOSED_URL = `postgres://app:${PASSWORD}@127.0.0.1:9/sales`;

/** A models module: table `note(id, title)` and the extra columns. */
const models = (extra: readonly object[] = []) =>
  `import { defineModels } from '@multidb/core';\n` +
  `export default defineModels({ tables: [{ name: 'note', columns: ${JSON.stringify([{ name: 'id', type: 'integer', primaryKey: true }, { name: 'title', type: 'varchar(50)', nullable: false }, ...extra])} }] });\n`;
const BODY = { name: 'body', type: 'varchar(200)', nullable: true };

describeWithServers('check reports every bind, on SQLite, PostgreSQL and MySQL', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('check_every_bind', { db2: 'postgres', analytics: 'mysql' });
  let p: TempProject;
  let initial: string;

  beforeAll(async () => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        `    default: { url: 'sqlite:.data/default.db', models: './models/default.ts' },\n` +
        // DB2_URL points db2 at a closed port for the unreachable case.
        `    db2: { url: process.env.DB2_URL ?? ${JSON.stringify(dbs.db2.url)}, models: './models/db2.ts', connectTimeout: 5 },\n` +
        `    analytics: { url: ${JSON.stringify(dbs.analytics.url)}, models: './models/analytics.ts' },\n` +
        `  },\n});\n`,
    });
    await p.ok('init', '--multidb');
    for (const bind of ['default', 'db2', 'analytics']) p.write(`models/${bind}.ts`, models());
    await p.ok('migrate', '-m', 'initial');
    initial = /^export const revision = '([^']+)';$/m.exec(p.read(`migrations/versions/default/${p.versions('default')[0]!}`))![1]!;
    // default stays at base (behind its head); the other two are upgraded.
    await p.ok('upgrade', 'db2');
    await p.ok('upgrade', 'analytics');
  });
  afterAll(() => p?.remove());

  it('default behind its head (SQLite) and db2 differing (PostgreSQL): both reported, exit 1; without default, exit 4', async () => {
    p.write('models/db2.ts', models([BODY]));
    const out = await p.run('check');
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout.split('\n').filter(Boolean)).toEqual(["[db2] Detected added column 'note.body'", '[analytics] No changes in schema detected.']);
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      `ERROR: [default] Target database is not up to date: it is at <base>, its branch's head is ${initial}. Run 'migrate upgrade default' first.`,
      `[default] 1 pending: ${initial}`,
      "Differences found in db2: run 'migrate migrate -m <message>' to write a revision.",
      'Could not compare 1 of 3 binds: default (not up to date).',
    ]);

    const json = await p.run('check', '--json');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as CheckJson;
    expect(doc.binds.map((b) => [b.bind, b.outcome])).toEqual([
      ['default', 'not-up-to-date'],
      ['db2', 'differs'],
      ['analytics', 'match'],
    ]);
    expect(doc.binds[0]).toMatchObject({ code: 'NOT_UP_TO_DATE', current: [], heads: [initial], pending: [{ revision: initial, message: 'initial' }] });
    expect(doc.binds[1]!.changes).toEqual([expect.objectContaining({ kind: 'add_column', table: 'note', column: 'body' })]);

    // Every bind compared, one differs: 4, as before.
    const compared = await p.run('check', 'db2', 'analytics');
    expect(compared.code, compared.stdout + compared.stderr).toBe(4);
  });

  it('db2 unreachable (PostgreSQL), default behind (SQLite), analytics differing (MySQL): all three reported, password masked, exit 1', async () => {
    p.write('models/analytics.ts', models([BODY]));
    const out = await runMigrate(p.dir, ['check'], { DB2_URL: CLOSED_URL });
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout.split('\n').filter(Boolean)).toEqual(["[analytics] Detected added column 'note.body'"]);
    const stderr = out.stderr.split('\n').filter(Boolean);
    expect(stderr[0]).toMatch(/^ERROR: \[default\] Target database is not up to date: it is at <base>/);
    expect(stderr[1]).toBe(`[default] 1 pending: ${initial}`);
    expect(stderr[2]).toMatch(/^ERROR: \[db2\] unreachable: cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/);
    expect(stderr.slice(3)).toEqual([
      "Differences found in analytics: run 'migrate migrate -m <message>' to write a revision.",
      'Could not compare 2 of 3 binds: default (not up to date), db2 (unreachable).',
    ]);
    expect(out.stdout + out.stderr).not.toContain(PASSWORD);

    const json = await runMigrate(p.dir, ['check', '--json'], { DB2_URL: CLOSED_URL });
    expect(json.code).toBe(1);
    expect(json.stdout).not.toContain(PASSWORD);
    const doc = JSON.parse(json.stdout) as CheckJson;
    expect(doc.binds.map((b) => [b.bind, b.outcome])).toEqual([
      ['default', 'not-up-to-date'],
      ['db2', 'unreachable'],
      ['analytics', 'differs'],
    ]);
    expect(doc.binds[1]!.reason).toMatch(/^\[db2\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: /);

    // Only unreachable and differing binds: still 1, the most severe.
    expect((await runMigrate(p.dir, ['check', 'analytics', 'db2'], { DB2_URL: CLOSED_URL })).code).toBe(1);
  });

  it('default upgraded, db2 reachable again: both differing binds listed, exit 4', async () => {
    await p.ok('upgrade', 'default');
    const out = await p.run('check');
    expect(out.code, out.stdout + out.stderr).toBe(4);
    expect(out.stdout.split('\n').filter(Boolean)).toEqual([
      '[default] No changes in schema detected.',
      "[db2] Detected added column 'note.body'",
      "[analytics] Detected added column 'note.body'",
    ]);
    expect(out.stderr.split('\n').filter(Boolean)).toEqual(["Differences found in db2, analytics: run 'migrate migrate -m <message>' to write a revision."]);
  });
});
