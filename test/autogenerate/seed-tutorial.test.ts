// The Flask-Migrate tutorial, with multidb's `migrate` on each dialect: declare User/Post models,
// `migrate migrate` writes the first revision, upgrade, add rows; add `dummy varchar(20)` to User,
// `migrate migrate` again, upgrade, `check` is clean, downgrade: the column is gone, every row kept.
// Then two binds on two dialects changed by one `migrate migrate`. On SQLite the tutorial's own
// commands (init, migrate, upgrade, downgrade) run the built `migrate` binary, as a user types them:
// the tutorial's flow through the real bin, once; every other run is the CLI's `main` in this
// process (the database work is the same code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { columnsAt, describeWithServers, queryUrl, useDatabases, versionsAt } from '../support/servers.js';

/** The tutorial's models; `dummy` adds the column of its second step. */
function models(options: { dummy?: boolean } = {}): string {
  return `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    {
      name: 'user',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'username', type: 'varchar(64)', nullable: false },
        { name: 'email', type: 'varchar(120)', nullable: false },
        { name: 'password_hash', type: 'varchar(256)' },${options.dummy ? `\n        { name: 'dummy', type: 'varchar(20)' },` : ''}
      ],
      indexes: [
        { columns: ['username'], unique: true },
        { columns: ['email'], unique: true },
      ],
    },
    {
      name: 'post',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
        { name: 'body', type: 'varchar(140)', nullable: false },
        { name: 'timestamp', type: 'timestamp', nullable: false },
        { name: 'user_id', type: 'integer', nullable: false, references: 'user.id' },
      ],
      indexes: [{ columns: ['timestamp'] }],
    },
  ],
});
`;
}

function config(binds: Record<string, string>): string {
  return (
    `import { defineConfig } from '@multidb/core';\n` +
    `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
    Object.entries(binds)
      .map(([bind, url]) => `    ${bind}: { url: ${JSON.stringify(url)}, models: './models/${bind}.ts' },\n`)
      .join('') +
    `  },\n});\n`
  );
}

/**
 * Runs the tutorial on one bind of the given URL; with `binary`, its own commands (init, migrate,
 * upgrade, downgrade) as subprocesses of the built bin.
 */
function tutorial(name: string, url: () => string, options: { binary?: boolean } = {}): void {
  describe(name, () => {
    let p: TempProject;
    const run = (...args: string[]) => runInProcess(p.dir, args);
    const ok = (...args: string[]) => okInProcess(p.dir, args);
    const step = (...args: string[]): Promise<RunOutput> => (options.binary ? p.run(...args) : run(...args));
    const stepOk = (...args: string[]): Promise<RunOutput> => (options.binary ? p.ok(...args) : ok(...args));
    const at = () => ({ baseDir: p.dir, write: true });
    beforeAll(async () => {
      p = new TempProject([], { config: config({ app: url() }) });
      p.write('models/app.ts', models());
      await stepOk('init', '--multidb');
    });
    afterAll(() => p?.remove());

    it('writes the first revision from the models, reports what it detected, and upgrades', async () => {
      const out = await stepOk('migrate', '-m', 'users and posts');
      expect(out.stderr).toContain("[app] Detected added table 'user'");
      expect(out.stderr).toContain("[app] Detected added table 'post'");
      const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
      expect(file).toMatch(/versions\/app\/\w+_users_and_posts\.ts$/);
      const source = p.read(file!.slice(p.dir.length + 1));
      expect(source).toContain('please review and adjust');
      expect(source).toContain("await op.createTable(");
      await stepOk('upgrade');
      expect(await versionsAt(url(), at())).toHaveLength(1);
      await queryUrl(url(), `INSERT INTO ${q(url(), 'user')} (username, email) VALUES ('susan', 'susan@example.com'), ('john', 'john@example.com')`, [], at());
      await queryUrl(url(), `INSERT INTO post (body, ${q(url(), 'timestamp')}, user_id) VALUES ('hello', '2026-12-04 10:00:00', 1), ('bye', '2026-12-04 11:00:00', 2)`, [], at());
      const check = await run('check');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('[app] No changes in schema detected.');
      const again = await ok('migrate', '-m', 'nothing');
      expect(again.stderr).toContain('[app] No changes in schema detected.');
      expect(again.stdout).toBe('');
    });

    it('adds a column: check says so (exit 4), migrate writes it, upgrade and downgrade keep every row', async () => {
      p.write('models/app.ts', models({ dummy: true }));
      const check = await run('check');
      expect(check.code).toBe(4);
      expect(check.stdout).toContain("[app] Detected added column 'user.dummy'");
      const out = await stepOk('migrate', '-m', 'add dummy');
      expect(out.stderr).toContain("[app] Detected added column 'user.dummy'");
      await stepOk('upgrade');
      expect(await columnsAt(url(), 'user', at())).toContain('dummy');
      expect((await run('check')).code).toBe(0);
      const down = await step('downgrade', 'app');
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).not.toMatch(/syntax error/);
      expect(await columnsAt(url(), 'user', at())).not.toContain('dummy');
      const users = await queryUrl<{ n: number }>(url(), `SELECT COUNT(*) AS n FROM ${q(url(), 'user')}`, [], at());
      const posts = await queryUrl<{ n: number }>(url(), 'SELECT COUNT(*) AS n FROM post', [], at());
      expect([Number(users[0]!.n), Number(posts[0]!.n)]).toEqual([2, 2]);
      await stepOk('upgrade');
      expect((await run('check')).code).toBe(0);
    });
  });
}

/** `user` and `timestamp` need quoting on PostgreSQL (reserved) and MySQL (`timestamp` is fine unquoted there). */
function q(url: string, name: string): string {
  return url.startsWith('mysql') || url.startsWith('mariadb') ? `\`${name}\`` : `"${name}"`;
}

tutorial('the seed tutorial on SQLite', () => 'sqlite:.data/app.db', { binary: true });

describeWithServers('the seed tutorial on PostgreSQL and MariaDB, and two binds at once', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('autogenerate_seed', { pg: 'postgres', my: 'mysql', pg2: 'postgres', my2: 'mysql' });
  tutorial('PostgreSQL', () => dbs.pg.url);
  tutorial('MariaDB', () => dbs.my.url.replace(/^mysql:/, 'mariadb:'));

  describe('two binds on two dialects, one migrate', () => {
    let p: TempProject;
    const run = (...args: string[]) => runInProcess(p.dir, args);
    const ok = (...args: string[]) => okInProcess(p.dir, args);
    beforeAll(async () => {
      p = new TempProject([], { config: config({ pgbind: dbs.pg2.url, mybind: dbs.my2.url }) });
      p.write('models/pgbind.ts', models());
      p.write('models/mybind.ts', models());
      await ok('init', '--multidb');
    });
    afterAll(() => p?.remove());

    it('writes one revision per bind on its own branch, and each upgrades', async () => {
      const out = await ok('migrate', '-m', 'init');
      const files = [...out.stdout.matchAll(/^Generating (.+\.ts) \.\.\.\s+done$/gm)].map((m) => m[1]!);
      expect(files.map((f) => f.split('/').slice(-2, -1)[0]).sort()).toEqual(['mybind', 'pgbind']);
      await ok('upgrade');
      expect((await run('check')).code).toBe(0);
      p.write('models/pgbind.ts', models({ dummy: true }));
      const second = await ok('migrate', '-m', 'dummy on pg only');
      expect(second.stderr).toContain("[pgbind] Detected added column 'user.dummy'");
      expect(second.stderr).toContain('[mybind] No changes in schema detected.');
      expect([...second.stdout.matchAll(/^Generating /gm)]).toHaveLength(1);
    });
  });
});
