// The README's adoption with a full baseline: models from an adopted database, a baseline
// revision written with `--baseline` (models compared with an empty schema, no database opened),
// stamped on the adopted database (nothing re-created, check clean), then a FRESH database of
// the same bind upgraded from base gets the whole schema (check clean) and downgraded to base
// loses every table (and, on PostgreSQL, the enum). On SQLite, PostgreSQL and MariaDB.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { main } from '@multidb/cli';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { modelsModule } from '../support/models-project.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt, type ServerKind } from '../support/servers.js';

/** The adopted schema: `reviews` (first in name order) references `books`, which references `authors`. */
const SCHEMA: Record<'sqlite' | ServerKind, readonly string[]> = {
  sqlite: [
    'CREATE TABLE authors (id integer PRIMARY KEY, name varchar(100) NOT NULL)',
    'CREATE TABLE books (id integer PRIMARY KEY, author_id integer NOT NULL REFERENCES authors (id) ON DELETE CASCADE, title varchar(200) NOT NULL)',
    'CREATE INDEX ix_books_title ON books (title)',
    'CREATE TABLE a_reviews (id integer PRIMARY KEY, book_id integer REFERENCES books (id), body text)',
    "INSERT INTO authors (id, name) VALUES (1, 'Ann')",
  ],
  postgres: [
    "CREATE TYPE mood AS ENUM ('happy', 'sad')",
    'CREATE TABLE authors (id serial PRIMARY KEY, name varchar(100) NOT NULL, mood mood)',
    'CREATE TABLE books (id serial PRIMARY KEY, author_id integer NOT NULL REFERENCES authors (id) ON DELETE CASCADE, title varchar(200) NOT NULL)',
    'CREATE INDEX ix_books_title ON books (title)',
    'CREATE TABLE a_reviews (id serial PRIMARY KEY, book_id integer REFERENCES books (id), body text)',
    "INSERT INTO authors (id, name) VALUES (1, 'Ann')",
  ],
  mysql: [
    "CREATE TABLE authors (id integer AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL, mood enum('happy', 'sad'))",
    'CREATE TABLE books (id integer AUTO_INCREMENT PRIMARY KEY, author_id integer NOT NULL, title varchar(200) NOT NULL, CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE)',
    'CREATE INDEX ix_books_title ON books (title)',
    'CREATE TABLE a_reviews (id integer AUTO_INCREMENT PRIMARY KEY, book_id integer, body text, CONSTRAINT fk_reviews_book FOREIGN KEY (book_id) REFERENCES books (id))',
    "INSERT INTO authors (id, name) VALUES (1, 'Ann')",
  ],
};

const TABLES = ['a_reviews', 'authors', 'books'];

/** The tables of a database other than multidb's own (version table, MariaDB's progress table). */
const userTables = async (url: string, opts: { baseDir: string }) => (await tablesAt(url, opts)).filter((t) => !t.startsWith('multidb_'));

/**
 * The flow on one dialect: `adopted` holds the schema, `fresh` is empty. Both are the bind `app`,
 * through two configs sharing the models and the repository (production and a CI database).
 */
function baselineFlow(kind: 'sqlite' | ServerKind, urls: () => { adopted: string; fresh: string }) {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it('writes a baseline that creates the whole schema; stamped on the adopted database; a fresh one upgraded and downgraded', async () => {
    const { adopted, fresh } = urls();
    const config = (url: string) =>
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models/app.ts' } } });\n`;
    const p = new TempProject([], { config: config(adopted) });
    projects.push(p);
    p.write('fresh.config.ts', config(fresh));
    const opts = { baseDir: p.dir, write: true };
    async function migrate(...args: string[]) {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const code = await main(args, { cwd: p.dir, output: { out: (l) => stdout.push(l), err: (l) => stderr.push(l) } });
      return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
    }
    async function ok(...args: string[]) {
      const r = await migrate(...args);
      if (r.code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r;
    }

    if (kind === 'sqlite') new Database(join(p.dir, 'adopted.db')).close();
    for (const sql of SCHEMA[kind]) await queryUrl(adopted, sql, [], opts);
    await ok('init', '--multidb');
    // Its next step names the baseline.
    expect((await ok('models', '--from-database', '--bind', 'app')).stderr).toContain("('migrate revision --autogenerate --baseline -m baseline --bind app';")

    // --baseline belongs to autogenerate.
    const usage = await migrate('revision', '--baseline', '-m', 'baseline');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/'--baseline' is an option of 'revision --autogenerate'/);

    const written = await ok('revision', '--autogenerate', '--baseline', '-m', 'baseline', '--bind', 'app');
    for (const t of TABLES) expect(written.stderr).toContain(`Detected added table '${t}'`);
    const path = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(written.stdout)?.[1];
    expect(path).toBeDefined();
    const source = readFileSync(path!, 'utf8');
    // Dependency order: a table after the tables it references; the downgrade drops them in reverse.
    const created = [...source.matchAll(/op\.createTable\(\s*'(\w+)'/g)].map((m) => m[1]);
    expect(created).toEqual(['authors', 'books', 'a_reviews']);
    const dropped = [...source.matchAll(/op\.dropTable\(\s*'(\w+)'/g)].map((m) => m[1]);
    expect(dropped).toEqual(['a_reviews', 'books', 'authors']);
    expect(source).toMatch(/ix_books_title/);

    // Stamped: the adopted database is at the baseline; nothing re-created, nothing to change.
    await ok('stamp', 'app@head');
    expect((await versionsAt(adopted, opts)).length).toBe(1);
    expect(await userTables(adopted, opts)).toEqual(TABLES);
    expect(await queryUrl(adopted, 'SELECT name FROM authors', [], opts)).toEqual([{ name: 'Ann' }]);
    expect((await ok('check', 'app')).stdout).toBe('[app] No changes in schema detected.');

    // A second baseline on the branch: refused, saying how to go on; nothing written.
    const again = await migrate('revision', '--autogenerate', '--baseline', '-m', 'again', '--bind', 'app');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("[app] Cannot write a baseline: branch 'app' has revisions already");
    expect(again.stderr).toContain("'migrate revision --autogenerate --bind app -m …'");
    expect((await migrate('migrate', '--baseline', '-m', 'again')).code).toBe(1);
    expect(readdirSync(join(p.dir, 'migrations/versions/app')).filter((f) => f.endsWith('.ts'))).toEqual([basename(path!)]);

    // A fresh database of the bind: the whole schema from base, matching the models.
    expect(await tablesAt(fresh, opts)).toEqual([]);
    await ok('-c', 'fresh.config.ts', 'upgrade');
    expect(await userTables(fresh, opts)).toEqual(TABLES);
    expect((await ok('-c', 'fresh.config.ts', 'check', 'app')).stdout).toBe('[app] No changes in schema detected.');
    if (kind === 'postgres') {
      expect(await queryUrl(fresh, "SELECT typname FROM pg_type WHERE typname = 'mood'")).toEqual([{ typname: 'mood' }]);
    }

    // Down to base: every table gone (the enum too).
    await ok('-c', 'fresh.config.ts', 'downgrade', 'base');
    expect(await userTables(fresh, opts)).toEqual([]);
    expect(await versionsAt(fresh, opts)).toEqual([]);
    if (kind === 'postgres') expect(await queryUrl(fresh, "SELECT typname FROM pg_type WHERE typname = 'mood'")).toEqual([]);
  });
}

describe('adopting with a baseline revision [sqlite]', () => {
  baselineFlow('sqlite', () => ({ adopted: 'sqlite:adopted.db', fresh: 'sqlite:fresh.db' }));
});

describeWithServers('adopting with a baseline revision [postgres]', ['postgres'], () => {
  const dbs = useDatabases('baseline', { adopted: 'postgres', fresh: 'postgres' });
  baselineFlow('postgres', () => ({ adopted: dbs.adopted.url, fresh: dbs.fresh.url }));
});

describeWithServers('adopting with a baseline revision [mariadb]', ['mysql'], () => {
  const dbs = useDatabases('baseline', { adopted: 'mysql', fresh: 'mysql' });
  baselineFlow('mysql', () => ({ adopted: dbs.adopted.url, fresh: dbs.fresh.url }));
});

describeWithServers("a baseline of a mysql:// bind follows MySQL's rules, and says so [mariadb]", ['mysql'], () => {
  const dbs = useDatabases('baseline_flavour', { fresh: 'mysql' });
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it("opening no database, it cannot tell a MariaDB server: the warning names MySQL's rules and mariadb://, which gives MariaDB's (here: an expression index refused before anything is written)", async () => {
    const url = dbs.fresh.url;
    expect(url).toMatch(/^mysql:\/\//);
    const config = (u: string) => `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(u)}, models: './models.ts' } } });\n`;
    const p = new TempProject([], { config: config(url) });
    projects.push(p);
    p.write('mariadb.config.ts', config(url.replace(/^mysql:/, 'mariadb:')));
    p.write(
      'models.ts',
      modelsModule({
        tables: [{ name: 'account', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(100)' }], indexes: [{ name: 'uq_account_email', columns: [{ sql: 'lower(email)' }], unique: true }] }],
      }),
    );
    await p.ok('init', '--multidb');
    const flavour =
      "[app] WARNING: This baseline follows MySQL's rules: a baseline opens no database, and the bind's URL (mysql://) names MySQL. " +
      "If the server is MariaDB, write the URL as mariadb://… and write the baseline again, for MariaDB's rules (it has no expression indexes, and other types).";

    const mysqlRules = await p.ok('revision', '--autogenerate', '--baseline', '-m', 'baseline');
    expect(mysqlRules.stderr.split('\n').filter((l) => l.includes('WARNING'))).toEqual([flavour]);
    // The server is MariaDB: the baseline written by MySQL's rules fails on it.
    const failed = await p.run('upgrade');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/uq_account_email/);
    expect(await tablesAt(url, { baseDir: p.dir })).not.toContain('account');

    // As the warning says: mariadb:// follows MariaDB's rules, which refuse the index before writing anything.
    for (const f of p.versions('app')) rmSync(join(p.dir, 'migrations/versions/app', f));
    const mariadbRules = await p.run('-c', 'mariadb.config.ts', 'revision', '--autogenerate', '--baseline', '-m', 'baseline');
    expect(mariadbRules.code).toBe(1);
    expect(mariadbRules.stderr).toContain("index 'uq_account_email' on table 'account' cannot be created on bind 'app': MariaDB has no expression (functional) indexes");
    expect(mariadbRules.stderr).not.toContain("MySQL's rules");
    expect(p.versions('app')).toEqual([]);
  });
});

describe('a baseline opens no database', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it.each([
    ['postgres', 'postgres://postgres@127.0.0.1:1/nowhere'],
    ['mariadb', 'mariadb://root@127.0.0.1:1/nowhere'],
  ])('is written for a %s bind whose server cannot be reached (the dialect from the URL scheme)', async (_kind, url) => {
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } } });\n`,
    });
    projects.push(p);
    p.write('models.ts', modelsModule({ tables: [{ name: 'note', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'body', type: 'text' }] }] }));
    const out: string[] = [];
    const err: string[] = [];
    const run = (...args: string[]) => main(args, { cwd: p.dir, output: { out: (l) => out.push(l), err: (l) => err.push(l) } });
    expect(await run('init', '--multidb')).toBe(0);
    expect(await run('migrate', '--baseline', '-m', 'baseline')).toBe(0);
    expect(err.join('\n')).toContain("[app] Detected added table 'note'");
    const path = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.join('\n'))?.[1];
    expect(readFileSync(path!, 'utf8')).toMatch(/op\.createTable\(\s*'note'/);
  });
});
