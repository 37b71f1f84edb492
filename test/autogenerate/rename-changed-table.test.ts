// `migrate migrate --rename posts=articles` where the models renamed `posts` to `articles` and
// changed it too (a column added): no rename candidate (not the same shape), but the person said
// it is a rename. It used to be ignored with a warning ("matches no rename candidate"), the
// revision creating `articles` beside `posts` (its index, named as posts' one, failing the
// upgrade; posts' rows lost to the models anyway). Now the revision renames the table, then adds
// the column; upgrade keeps the rows (and the foreign key of `comments` follows), `check` is
// then clean, and downgrade drops the column and gives `posts` its name and rows back. The same
// for a column renamed and retyped (`--rename comments.body=comments.text`). A column of the
// renamed table renamed too (`title` → `headline`, same shape) used to be no candidate at all (only
// tables of the same name on both sides were searched): dropped with its data and added empty,
// never asked about; now it is a candidate, refused undecided, and renamed when accepted by the
// table's old name or its new one. On SQLite, PostgreSQL and MariaDB, through the CLI (its `main`,
// in this process).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okInProcess, runInProcess } from '../support/in-process.js';
import { TempProject } from '../support/project.js';
import { columnsAt, describeWithServers, queryUrl, tablesAt, useDatabases } from '../support/servers.js';

function models(renamed: boolean): string {
  const posts = renamed ? 'articles' : 'posts';
  return `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    {
      name: '${posts}',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: '${renamed ? 'headline' : 'title'}', type: 'varchar(50)', nullable: false },${renamed ? "\n        { name: 'summary', type: 'varchar(200)' }," : ''}
      ],
      indexes: [{ name: 'ix_title', columns: ['${renamed ? 'headline' : 'title'}'] }],
    },
    {
      name: 'comments',
      columns: [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'post_id', type: 'integer', nullable: false, references: '${posts}.id' },
        ${renamed ? "{ name: 'text', type: 'varchar(400)', nullable: false }" : "{ name: 'body', type: 'varchar(200)' }"},
      ],
    },
  ],
});
`;
}

function config(url: string): string {
  return `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } } });\n`;
}

/** `columnDecision`: the rename of `title` inside the renamed table, naming the table by its old or its new name. */
function renameChangedE2e(name: string, url: () => string, columnDecision: string): void {
  describe(name, () => {
    let p: TempProject;
    const run = (...args: string[]) => runInProcess(p.dir, args);
    const ok = (...args: string[]) => okInProcess(p.dir, args);
    const tables = async () => (await tablesAt(url(), { baseDir: p.dir })).filter((t) => !t.startsWith('multidb_'));
    const q = (sql: string) => queryUrl<Record<string, unknown>>(url(), sql, [], { baseDir: p.dir, write: true });
    beforeAll(async () => {
      p = new TempProject([], { config: config(url()) });
      p.write('models.ts', models(false));
      await ok('init', '--multidb');
      expect((await ok('revision', '--autogenerate', '-m', 'posts')).stdout).toMatch(/^Generating .+_posts\.ts \.\.\.\s+done$/m);
      await ok('upgrade');
      await q(`INSERT INTO posts (id, title) VALUES (1, 'first'), (2, 'second')`);
      await q(`INSERT INTO comments (id, post_id, body) VALUES (10, 2, 'nice')`);
      p.write('models.ts', models(true));
    });
    afterAll(() => p?.remove());

    it('asks about the column renamed inside the renamed table, writing nothing', async () => {
      const out = await run('migrate', '-m', 'articles', '--rename', 'posts=articles', '--rename', 'comments.body=comments.text');
      expect(out.code, out.stdout + out.stderr).not.toBe(0);
      expect(out.stderr).toContain("column 'articles.title' -> 'articles.headline': --rename articles.title=articles.headline");
      expect(readdirSync(join(p.dir, 'migrations'), { recursive: true }).map(String).filter((f) => f.includes('articles'))).toEqual([]);
    });

    it('renames the table and the columns as told, then changes them, and keeps the rows', async () => {
      const out = await ok('migrate', '-m', 'articles', '--rename', 'posts=articles', '--rename', 'comments.body=comments.text', '--rename', columnDecision);
      expect(out.stderr).toContain("[app] Detected renamed table 'posts' to 'articles'");
      expect(out.stderr).toContain("[app] Detected renamed column 'articles.title' to 'articles.headline'");
      expect(out.stderr).not.toMatch(/Detected (added|removed) column 'articles\.(headline|title)'/);
      expect(out.stderr).toContain("[app] Detected added column 'articles.summary'");
      expect(out.stderr).toContain("[app] Detected renamed column 'comments.body' to 'comments.text'");
      expect(out.stderr).not.toMatch(/matches no rename candidate|Detected added table/);
      const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)![1]!;
      const source = p.read(file.slice(p.dir.length + 1));
      expect(source).toMatch(/op\.renameTable\('posts', 'articles'\)/);
      expect(source).toMatch(/op\.renameTable\('articles', 'posts'\)/);
      expect(source).not.toMatch(/createTable|dropTable|dropColumn\('articles', 'title'\)/);

      await ok('upgrade');
      expect(await tables()).toEqual(['articles', 'comments']);
      expect(await columnsAt(url(), 'articles', { baseDir: p.dir })).toEqual(['id', 'headline', 'summary']);
      expect(await columnsAt(url(), 'comments', { baseDir: p.dir })).toEqual(['id', 'post_id', 'text']);
      expect(await q(`SELECT id, headline, summary FROM articles ORDER BY id`)).toEqual([
        { id: 1, headline: 'first', summary: null },
        { id: 2, headline: 'second', summary: null },
      ]);
      expect(await q(`SELECT id, post_id, "text" FROM comments`)).toEqual([{ id: 10, post_id: 2, text: 'nice' }]);
      // The foreign key of comments follows the table: it refuses a post that does not exist.
      await expect(q(`INSERT INTO comments (id, post_id, "text") VALUES (11, 99, 'x')`)).rejects.toThrow();
      const check = await run('check');
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('[app] No changes in schema detected.');
    });

    it('downgrade gives posts its name, columns and rows back', async () => {
      await ok('downgrade', 'app');
      expect(await tables()).toEqual(['comments', 'posts']);
      expect(await columnsAt(url(), 'posts', { baseDir: p.dir })).toEqual(['id', 'title']);
      expect(await q(`SELECT id, title FROM posts ORDER BY id`)).toEqual([
        { id: 1, title: 'first' },
        { id: 2, title: 'second' },
      ]);
      expect(await q(`SELECT id, post_id, body FROM comments`)).toEqual([{ id: 10, post_id: 2, body: 'nice' }]);
    });
  });
}

renameChangedE2e('an explicit rename of a changed table and column on SQLite', () => 'sqlite:.data/app.db', 'posts.title=posts.headline');

describeWithServers('an explicit rename of a changed table and column on PostgreSQL and MariaDB', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('autogenerate_rename_changed', { pg: 'postgres', my: 'mysql' });
  renameChangedE2e('PostgreSQL', () => dbs.pg.url, 'articles.title=articles.headline');
  renameChangedE2e('MariaDB', () => dbs.my.url.replace(/^mysql:/, 'mariadb:'), 'posts.title=posts.headline');
});
