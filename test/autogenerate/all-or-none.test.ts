// `migrate migrate` over several binds writes every branch's revision or none: a bind that fails
// (a model that cannot be rendered, a rename nobody decided) must not leave the binds before it
// with a revision written, which would refuse the next run ("Target database is not up to date").
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteModelsConfig, TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { describeWithServers, useDatabases } from '../support/servers.js';

const CONFIG = sqliteModelsConfig({ first: './first-models.ts', second: './second-models.ts' });

const models = (table: string, extra = '') =>
  `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: '${table}', columns: [{ name: 'id', type: 'integer', primaryKey: true }${extra}] }] });\n`;

describe('migrate migrate over several binds: every revision or none', () => {
  let p: TempProject;
  afterEach(() => p?.remove());

  it('a bind whose revision cannot be written leaves no revision for the binds compared before it; fixed, the same command writes both', async () => {
    p = new InProcessProject([], { config: CONFIG });
    expect((await p.run('init', '--multidb')).code).toBe(0);
    p.write('first-models.ts', models('alpha'));
    // A column key the revision renderer has no argument for: comparing works, rendering fails.
    p.write('second-models.ts', models('beta', `, { name: 'n', type: 'integer', serverDefault: '0' } as never`));
    const failed = await p.run('migrate', '-m', 'initial');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/serverDefault/);
    expect(p.versions('first')).toEqual([]);
    expect(p.versions('second')).toEqual([]);

    p.write('second-models.ts', models('beta', `, { name: 'n', type: 'integer' }`));
    const again = await p.run('migrate', '-m', 'initial');
    expect(again.stderr).not.toMatch(/not up to date/);
    expect(again.code).toBe(0);
    expect(p.versions('first')).toHaveLength(1);
    expect(p.versions('second')).toHaveLength(1);
    expect(existsSync(join(p.dir, 'migrations', 'versions', 'first', p.versions('first')[0]!))).toBe(true);
  });

  // --rev-id names one revision: it was left out without a word when more than one bind was
  // selected (every bind, by default), even when only one of them differed.
  it('--rev-id: refused, nothing written, when several binds differ; used when one does, without --bind', async () => {
    p = new InProcessProject([], { config: CONFIG });
    expect((await p.run('init', '--multidb')).code).toBe(0);
    p.write('first-models.ts', models('alpha'));
    p.write('second-models.ts', models('beta'));
    const refused = await p.run('migrate', '-m', 'initial', '--rev-id', 'initial_1');
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.trim().split('\n').at(-1)).toBe(
      "ERROR: --rev-id 'initial_1' names one revision, but 2 binds' models differ from their databases (first, second): it needs a bind: name one of first, second (e.g. '--bind first').",
    );
    expect(p.versions('first')).toEqual([]);
    expect(p.versions('second')).toEqual([]);

    expect((await p.run('migrate', '-m', 'first only', '--rev-id', 'first_1', '--bind', 'first')).code).toBe(0);
    expect(p.versions('first')).toEqual(['first_1_first_only.ts']);
    await p.ok('upgrade', 'first');
    // Only second differs now: the id is used, without --bind.
    const one = await p.run('migrate', '-m', 'second only', '--rev-id', 'second_1');
    expect(one.code, one.stderr).toBe(0);
    expect(p.versions('second')).toEqual(['second_1_second_only.ts']);
  });

  // A bind whose server does not answer: nothing was written, and it did not say so, nor how to
  // write the revisions of the others (Alembic's multidb env.py and Flask-Migrate fail whole too).
  it('an unreachable bind: nothing written, every bind compared, the message says so and names the binds to write with --bind', async () => {
    const closed = 'postgres://app:Zq9pw77secret@127.0.0.1:9/sales';
    p = new InProcessProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        `    first: { url: 'sqlite:.data/first.db', models: './first-models.ts' },\n` +
        `    analytics: { url: '${closed}', models: './analytics-models.ts', connectTimeout: 5 },\n` +
        `    second: { url: 'sqlite:.data/second.db', models: './second-models.ts' },\n  },\n});\n`,
    });
    expect((await p.run('init')).code).toBe(0);
    p.write('first-models.ts', models('alpha'));
    p.write('analytics-models.ts', models('daily'));
    p.write('second-models.ts', models('beta'));
    const failed = await p.run('migrate', '-m', 'initial');
    expect(failed.code).toBe(1);
    const lines = failed.stderr.trim().split('\n');
    // What the reachable binds detected comes first, as when the revisions are written (was: nothing).
    expect(lines.filter((l) => /^\[(first|second|analytics)\] /.test(l))).toEqual(["[first] Detected added table 'alpha'", "[second] Detected added table 'beta'"]);
    expect(lines.slice(-2)).toEqual([
      "Nothing was written: 'migrate migrate' writes every bind's revision or none, and analytics could not be read. " +
        "To write the revisions of first, second now, run it again with '--bind first --bind second' (analytics is compared once reachable).",
      expect.stringMatching(/^ERROR: \[analytics\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/),
    ]);
    expect(failed.stderr + failed.stdout).not.toContain('Zq9pw77secret');
    const files = (b: string) => (p.exists(`migrations/versions/${b}`) ? p.versions(b).filter((f) => f.endsWith('.ts')) : []);
    expect([files('first'), files('second')]).toEqual([[], []]);

    const json = await p.run('migrate', '-m', 'initial', '--json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout) as { error: { bind: string; code: string; message: string; ready?: string[] } }).error;
    expect(error).toMatchObject({ bind: 'analytics', code: 'CONNECT' });
    // The binds to write with --bind, as the message names them (not a run: no steps nor notRun).
    expect(error.ready).toEqual(['first', 'second']);
    expect(error).not.toHaveProperty('notRun');
    expect(error.message).toContain("nothing was written: 'migrate migrate' writes every bind's revision or none");

    // As it says: the reachable binds get their revisions.
    const written = await p.run('migrate', '-m', 'initial', '--bind', 'first', '--bind', 'second');
    expect(written.code, written.stderr).toBe(0);
    expect([files('first'), files('second')].map((v) => v.length)).toEqual([1, 1]);

    // Asked for alone, the bind's own error, with nothing about other binds.
    const alone = await p.run('migrate', '-m', 'initial', '--bind', 'analytics');
    expect(alone.code).toBe(1);
    expect(alone.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ERROR: \[analytics\] cannot connect to /)]);
  });
});

// The same on server binds: a PostgreSQL and a MariaDB bind compared, a PostgreSQL bind whose
// database does not exist (the server answers, the database is missing).
describeWithServers('migrate migrate with a server bind that cannot be read: what the others detected, then the error', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('all_or_none', { sales: 'postgres', shop: 'mysql' });
  let p: TempProject;
  afterEach(() => p?.remove());

  it('each reachable bind prints its Detected lines (or that it has no changes), then nothing is written; exit 1', async () => {
    const missing = new URL(dbs.sales.url);
    missing.pathname = `/${dbs.sales.name}_missing`;
    p = new InProcessProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        `    sales: { url: ${JSON.stringify(dbs.sales.url)}, models: './sales-models.ts' },\n` +
        `    gone: { url: ${JSON.stringify(missing.toString())}, models: './gone-models.ts' },\n` +
        `    shop: { url: ${JSON.stringify(dbs.shop.url)}, models: './shop-models.ts' },\n  },\n});\n`,
    });
    expect((await p.run('init')).code).toBe(0);
    p.write('sales-models.ts', models('invoice', `, { name: 'total', type: 'numeric(10,2)', nullable: true }`));
    p.write('gone-models.ts', models('daily'));
    // shop's models match its database: no revision to write there.
    p.write('shop-models.ts', `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [] });\n`);
    const failed = await p.run('migrate', '-m', 'initial');
    expect(failed.code, failed.stderr).toBe(1);
    const lines = failed.stderr.trim().split('\n');
    expect(lines).toEqual([
      "[sales] Detected added table 'invoice'",
      '[shop] No changes in schema detected.',
      "Nothing was written: 'migrate migrate' writes every bind's revision or none, and gone could not be read. To write the revisions of sales now, run it again with '--bind sales' (gone is compared once reachable).",
      expect.stringMatching(/^ERROR: \[gone\] .*does not exist/),
    ]);
    expect(p.exists('migrations/versions/sales') ? p.versions('sales').filter((f) => f.endsWith('.ts')) : []).toEqual([]);
    // --json: the ErrorJson alone on stdout, nothing detected on stderr (as when it writes).
    const json = await p.run('migrate', '-m', 'initial', '--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { ready: string[] } }).error.ready).toEqual(['sales']);
    expect(json.stderr).not.toContain('Detected');
  });
});
