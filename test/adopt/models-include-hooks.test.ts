// `models --from-database` and the bind's autogenerate hooks: what `includeName` / `includeObject`
// leave out of autogenerate (a legacy table, a scratch column, an index managed elsewhere) is not
// written into the models either, and a note says so. `check` on the adopted database stays clean,
// and a fresh database made by the baseline revision has none of it. A hook that only leaves out
// what one side lacks (Alembic's "don't drop unmodeled tables") leaves nothing out: each object is
// asked about as the comparison of the written models with the database asks (from the models'
// side, both sides having it).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject } from '../support/project.js';
import { columnsAt, describeWithServers, dialectOf, queryUrl, sqliteFile, tablesAt, useDatabases } from '../support/servers.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const HOOKS =
  `autogenerate: {\n` +
  `    includeName: (name, type) => !(type === 'table' && name.startsWith('legacy_')),\n` +
  `    includeObject: (o) =>\n` +
  `      !(o.type === 'column' && o.name.startsWith('tmp_')) &&\n` +
  `      !(o.type === 'index' && o.name.startsWith('search_')) &&\n` +
  `      !(o.type === 'table' && o.reflected && !o.hasCounterpart),\n` +
  `  }`;

function config(url: string): string {
  return (
    `import { defineConfig } from '@multidb/core';\n` +
    `export default defineConfig({\n  directory: 'migrations',\n  ${HOOKS},\n` +
    `  binds: { app: { url: ${JSON.stringify(url)}, models: './models/app.ts' } },\n});\n`
  );
}

const STATEMENTS = [
  'CREATE TABLE legacy_users (id integer PRIMARY KEY, login varchar(40) NOT NULL)',
  'CREATE TABLE account (id integer PRIMARY KEY, name varchar(50) NOT NULL, tmp_note varchar(40))',
  'CREATE INDEX search_name ON account (name)',
];

/** Runs SQL on the database of `url` as the app (or another tool) made it; a SQLite file is created. */
async function exec(p: TempProject, url: string, statements: readonly string[]): Promise<void> {
  if (dialectOf(url) === 'sqlite') {
    const file = sqliteFile(url, p.dir);
    mkdirSync(dirname(file), { recursive: true });
    new Database(file).close();
  }
  for (const sql of statements) await queryUrl(url, sql, [], { baseDir: p.dir, write: true });
}

function suite(url: (name: string) => string): void {
  it('leaves out what the hooks leave out, says so; check stays clean; a fresh database upgraded by the baseline has none of it', async () => {
    const p = new InProcessProject([], { config: config(url('adopted')) });
    projects.push(p);
    await p.ok('init', '--multidb');
    await exec(p, url('adopted'), STATEMENTS);

    const models = await p.ok('models', '--from-database', '--bind', 'app');
    const source = p.read('models/app.ts');
    expect(source).toMatch(/name: 'account'/);
    expect(source).toMatch(/name: 'name'/);
    const code = source.replace(/^\/\/.*\n/gm, '');
    for (const left of ['legacy_users', 'tmp_note', 'search_name']) expect(code).not.toContain(left);
    expect(source.replace(/\n\/\/ /g, ' ')).toContain(
      "Left out, as the bind's includeName / includeObject leave them out of autogenerate: table legacy_users, column account.tmp_note, " +
        'index search_name on account.',
    );
    const notes = models.stderr.split('\n').filter((l) => l.includes('NOTE'));
    expect(notes).toEqual([
      "[app] NOTE: left out table legacy_users, column account.tmp_note, index search_name on account: the config's autogenerate " +
        '(includeName / includeObject) leaves them out of autogenerate, which never creates, changes nor drops them; a baseline revision does not create them in a fresh database.',
    ]);
    expect(models.stderr).toMatch(/\[app\] Wrote .* \(1 table, 0 enums\)\./);

    const checked = await p.run('check');
    expect(checked.stdout).toBe('[app] No changes in schema detected.\n');
    expect(checked.code).toBe(0);

    // The baseline creates only what the models declare; stamped on the adopted database.
    await p.ok('revision', '--autogenerate', '--baseline', '-m', 'baseline', '--bind', 'app');
    await p.ok('stamp', 'app@head');
    expect((await p.run('check')).code).toBe(0);

    // A fresh database of the bind (a developer's, CI's): the baseline's upgrade, then check clean.
    const fresh = url('fresh');
    p.write('migrate.config.ts', config(fresh));
    await p.ok('upgrade');
    // multidb's own tables aside (MySQL/MariaDB keep a progress table too).
    expect((await tablesAt(fresh, { baseDir: p.dir })).filter((t) => !t.startsWith('multidb_'))).toEqual(['account']);
    expect(await columnsAt(fresh, 'account', { baseDir: p.dir })).toEqual(['id', 'name']);
    const again = await p.run('check');
    expect(again.stdout).toBe('[app] No changes in schema detected.\n');
    expect(again.code).toBe(0);
  });
}

describe('models --from-database and the include hooks [sqlite]', () => {
  suite((name) => `sqlite:.data/${name}.db`);

  it('keeps a left-out column that the primary key or a kept index uses (check stays clean), and names a kept foreign key to a left-out table', async () => {
    const p = new InProcessProject([], { config: config('sqlite:.data/app.db') });
    projects.push(p);
    await p.ok('init', '--multidb');
    await exec(p, 'sqlite:.data/app.db', [
      'CREATE TABLE legacy_users (id integer PRIMARY KEY)',
      'CREATE TABLE pair (tmp_key text PRIMARY KEY, tmp_note text, tmp_gone text, legacy_id integer REFERENCES legacy_users (id))',
      // Named as the naming convention names it; the hooks keep it (only search_* indexes are left out).
      'CREATE INDEX ix_pair_tmp_note ON pair (tmp_note)',
    ]);
    const models = await p.ok('models', '--from-database', '--bind', 'app');
    const source = p.read('models/app.ts').replace(/^\/\/.*\n/gm, '');
    expect(source).toMatch(/name: 'tmp_key'/);
    expect(source).toMatch(/name: 'tmp_note'/);
    expect(source).not.toMatch(/tmp_gone/);
    expect(models.stderr.split('\n').filter((l) => l.includes('NOTE'))).toEqual([
      "[app] NOTE: left out table legacy_users, column pair.tmp_gone: the config's autogenerate (includeName / includeObject) leaves them out of autogenerate, " +
        'which never creates, changes nor drops them; a baseline revision does not create them in a fresh database.',
      "[app] NOTE: kept column pair.tmp_key (used by the primary key), pair.tmp_note (used by index ix_pair_tmp_note), which the config's autogenerate " +
        '(includeObject) leaves out: what uses it is compared, so the models declare the column too; leave that out as well to leave the column out.',
      '[app] NOTE: kept foreign key pair (legacy_id) -> legacy_users (id), to what is left out: a fresh database made from these models cannot have it ' +
        '(a baseline revision refuses it). Include what it refers to, or leave the foreign key out too.',
    ]);
    const checked = await p.run('check');
    expect(checked.stdout).toBe('[app] No changes in schema detected.\n');
    expect(checked.code).toBe(0);
  });
});

describe('models --from-database and the include hooks: a left-out column a check or an expression index names [sqlite]', () => {
  it('keeps it (a fresh database refuses a check naming no column): the baseline upgrades a fresh database, check clean on both', async () => {
    const adopted = 'sqlite:.data/adopted.db';
    const p = new InProcessProject([], { config: config(adopted) });
    projects.push(p);
    await p.ok('init', '--multidb');
    await exec(p, adopted, [
      `CREATE TABLE account (id integer PRIMARY KEY, name varchar(50) NOT NULL, tmp_note text, tmp_x text, tmp_gone text, CONSTRAINT ck_account_note CHECK (tmp_note <> ''))`,
      'CREATE INDEX ix_account_lower ON account (lower(tmp_x))',
    ]);
    const models = await p.ok('models', '--from-database', '--bind', 'app');
    expect(models.stderr.split('\n').filter((l) => l.includes('NOTE'))).toEqual([
      "[app] NOTE: left out column account.tmp_gone: the config's autogenerate (includeName / includeObject) leaves them out of autogenerate, " +
        'which never creates, changes nor drops them; a baseline revision does not create them in a fresh database.',
      "[app] NOTE: kept column account.tmp_note (used by check constraint ck_account_note), account.tmp_x (used by index ix_account_lower), which the config's autogenerate " +
        '(includeObject) leaves out: what uses it is compared, so the models declare the column too; leave that out as well to leave the column out.',
    ]);
    expect((await p.run('check')).stdout).toBe('[app] No changes in schema detected.\n');
    await p.ok('revision', '--autogenerate', '--baseline', '-m', 'baseline', '--bind', 'app');

    const fresh = 'sqlite:.data/fresh.db';
    p.write('migrate.config.ts', config(fresh));
    await p.ok('upgrade');
    expect(await columnsAt(fresh, 'account', { baseDir: p.dir })).toEqual(['id', 'name', 'tmp_note', 'tmp_x']);
    const again = await p.run('check');
    expect(again.stdout).toBe('[app] No changes in schema detected.\n');
    expect(again.code).toBe(0);
  });
});

describeWithServers('models --from-database and the include hooks [postgres]', ['postgres'], () => {
  const dbs = useDatabases('include_hooks_pg', { adopted: 'postgres', fresh: 'postgres' });
  suite((name) => dbs[name as 'adopted' | 'fresh'].url);
});

describeWithServers('models --from-database and the include hooks [mysql]', ['mysql'], () => {
  const dbs = useDatabases('include_hooks_my', { adopted: 'mysql', fresh: 'mysql' });
  suite((name) => dbs[name as 'adopted' | 'fresh'].url);
});
