// Three binds on three dialects in one project: `default` on SQLite, `db2` on PostgreSQL, `db3` on
// MariaDB (through a `mariadb://` URL). Small hand-written revisions; db3's second revision depends
// on db2's second one. One project; the tests run in order, each starting where the last one ended.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addRevision, expectOneLineError } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';
import { columnsAt, describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describeWithServers('mixed binds: SQLite, PostgreSQL and MariaDB in one project', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('mixed', { db2: 'postgres', db3: 'mysql' });
  // Made in beforeAll (not while collecting), so a skipped suite leaves no temp folder behind.
  let p: TempProject;
  afterAll(() => p?.remove());
  const urls: Record<string, string> = { default: 'sqlite:.data/default.db' };
  const at = (bind: string) => ({
    versions: () => versionsAt(urls[bind]!, { baseDir: p.dir }),
    tables: () => tablesAt(urls[bind]!, { baseDir: p.dir }),
    columns: (table: string) => columnsAt(urls[bind]!, table, { baseDir: p.dir }),
    rows: (sql: string) => queryUrl(urls[bind]!, sql, [], { baseDir: p.dir }),
  });
  /** Version rows, tables and the columns of each table of every bind. */
  const state = async () => {
    const out: Record<string, unknown> = {};
    for (const bind of ['default', 'db2', 'db3']) {
      const tables = await at(bind).tables();
      out[bind] = { versions: await at(bind).versions(), tables: Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await at(bind).columns(t)]))) };
    }
    return out;
  };

  beforeAll(() => {
    p = new InProcessProject([], { config: false });
    urls.db2 = dbs.db2.url;
    urls.db3 = dbs.db3.url.replace(/^mysql:/, 'mariadb:');
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        Object.entries(urls)
          .map(([bind, url]) => `    ${bind}: { url: ${JSON.stringify(url)} },\n`)
          .join('') +
        `  },\n});\n`,
    );
    addRevision(p, 'default', {
      revision: 'a1a1a1a1a1a1',
      downRevision: null,
      message: 'create note',
      upgrade: `await op.createTable('note', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'body', type: 'text' }]);`,
      downgrade: `await op.dropTable('note');`,
    });
    addRevision(p, 'db2', {
      revision: 'b1b1b1b1b1b1',
      downRevision: null,
      message: 'create item',
      upgrade: `await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(50)', nullable: false }]);`,
      downgrade: `await op.dropTable('item');`,
    });
    addRevision(p, 'db2', {
      revision: 'b2b2b2b2b2b2',
      downRevision: 'b1b1b1b1b1b1',
      message: 'add item price',
      upgrade:
        `await op.addColumn('item', { name: 'price', type: 'numeric(10,2)', nullable: true });\n` +
        `  await op.bulkInsert('item', [{ id: 1, name: 'pen', price: 1.5 }, { id: 2, name: 'ink', price: 7.25 }]);`,
      downgrade:
        `await op.db.deleteFrom('item').execute();\n` +
        `  await op.dropColumn('item', 'price', { existing: { type: 'numeric(10,2)', nullable: true } });`,
    });
    addRevision(p, 'db3', {
      revision: 'c1c1c1c1c1c1',
      downRevision: null,
      message: 'create orders',
      upgrade:
        `await op.createTable('orders', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'item_id', type: 'integer', nullable: false }, { name: 'qty', type: 'integer', nullable: false, default: 1 }]);\n` +
        `  await op.createIndex(null, 'orders', ['item_id']);`,
      downgrade: `await op.dropTable('orders');`,
    });
    addRevision(p, 'db3', {
      revision: 'c2c2c2c2c2c2',
      downRevision: 'c1c1c1c1c1c1',
      dependsOn: ['b2b2b2b2b2b2'],
      message: 'add order unit price',
      upgrade: `await op.addColumn('orders', { name: 'unit_price', type: 'numeric(10,2)', nullable: true });`,
      downgrade: `await op.dropColumn('orders', 'unit_price', { existing: { type: 'numeric(10,2)', nullable: true } });`,
    });
  });

  it('upgrade db3 on fresh databases applies the db2 revision it depends on (and its parent) first; default is not touched', async () => {
    const out = await p.ok('upgrade', 'db3');
    const steps = lines(out.stderr);
    expect([...steps].sort()).toEqual([
      '[db2] Running upgrade <base> -> b1b1b1b1b1b1, create item',
      '[db2] Running upgrade b1b1b1b1b1b1 -> b2b2b2b2b2b2, add item price',
      '[db3] Running upgrade <base> -> c1c1c1c1c1c1, create orders',
      '[db3] Running upgrade c1c1c1c1c1c1 -> c2c2c2c2c2c2, add order unit price',
    ]);
    const index = (rev: string) => steps.findIndex((l) => l.includes(`-> ${rev},`));
    expect(index('b1b1b1b1b1b1')).toBeLessThan(index('b2b2b2b2b2b2'));
    expect(index('b2b2b2b2b2b2')).toBeLessThan(index('c2c2c2c2c2c2'));
    expect(index('c1c1c1c1c1c1')).toBeLessThan(index('c2c2c2c2c2c2'));

    expect(await at('db2').versions()).toEqual(['b2b2b2b2b2b2']);
    expect(await at('db2').columns('item')).toEqual(['id', 'name', 'price']);
    expect((await at('db2').rows(`SELECT id, name, price FROM item ORDER BY id`)).map((r) => ({ ...r, price: Number(r.price) }))).toEqual([
      { id: 1, name: 'pen', price: 1.5 },
      { id: 2, name: 'ink', price: 7.25 },
    ]);
    expect(await at('db3').versions()).toEqual(['c2c2c2c2c2c2']);
    expect(await at('db3').columns('orders')).toEqual(['id', 'item_id', 'qty', 'unit_price']);
    expect(await at('db3').tables()).toEqual(['multidb_version', 'multidb_version_progress', 'orders']);
    expect(await at('default').tables()).toEqual([]);
  });

  it('downgrade db2@base (and downgrade db2) refuse while db3 has the dependent revision applied, naming it; nothing changes', async () => {
    const before = await state();
    for (const target of ['db2@base', 'db2']) {
      const out = await p.run('downgrade', target);
      expectOneLineError(out, ['c2c2c2c2c2c2']);
      expect(out.stderr).not.toContain('Running downgrade');
    }
    expect(await state()).toEqual(before);
  });

  it('upgrade with no target brings the remaining bind, default, to its head', async () => {
    const out = await p.ok('upgrade');
    expect(lines(out.stderr)).toEqual(['[default] Running upgrade <base> -> a1a1a1a1a1a1, create note']);
    expect(await at('default').versions()).toEqual(['a1a1a1a1a1a1']);
    expect(await at('default').tables()).toEqual(['multidb_version', 'note']);
  });

  it('current and history --indicate-current show every bind at head', async () => {
    expect(lines((await p.ok('current')).stdout)).toEqual(['[default] a1a1a1a1a1a1 (head)', '[db2] b2b2b2b2b2b2 (effective head)', '[db3] c2c2c2c2c2c2 (head)']);
    // Newest first in dependency order: db3's revisions come before the db2 revision c2 depends on.
    expect(lines((await p.ok('history', '--indicate-current')).stdout)).toEqual([
      '[default] <base> -> a1a1a1a1a1a1 (default) (head) (current), create note',
      '[db3] c1c1c1c1c1c1 (b2b2b2b2b2b2) -> c2c2c2c2c2c2 (db3) (head) (current), add order unit price',
      '[db3] <base> -> c1c1c1c1c1c1 (db3), create orders',
      '[db2] b1b1b1b1b1b1 -> b2b2b2b2b2b2 (db2) (effective head) (current), add item price',
      '[db2] <base> -> b1b1b1b1b1b1 (db2), create item',
    ]);
  });

  it('downgrade db3 steps db3 back one revision on MariaDB; SQLite and PostgreSQL are untouched', async () => {
    const before = (await state()) as Record<string, unknown>;
    const out = await p.ok('downgrade', 'db3');
    expect(lines(out.stderr)).toEqual(['[db3] Running downgrade c2c2c2c2c2c2 -> c1c1c1c1c1c1, add order unit price']);
    expect(await at('db3').versions()).toEqual(['c1c1c1c1c1c1']);
    expect(await at('db3').columns('orders')).toEqual(['id', 'item_id', 'qty']);
    const after = (await state()) as Record<string, unknown>;
    expect(after.default).toEqual(before.default);
    expect(after.db2).toEqual(before.db2);

    expect(lines((await p.ok('current')).stdout)).toEqual(['[default] a1a1a1a1a1a1 (head)', '[db2] b2b2b2b2b2b2 (effective head)', '[db3] c1c1c1c1c1c1']);
    expect(lines((await p.ok('history', '--indicate-current')).stdout)).toEqual([
      '[default] <base> -> a1a1a1a1a1a1 (default) (head) (current), create note',
      '[db3] c1c1c1c1c1c1 (b2b2b2b2b2b2) -> c2c2c2c2c2c2 (db3) (head), add order unit price',
      '[db3] <base> -> c1c1c1c1c1c1 (db3) (current), create orders',
      '[db2] b1b1b1b1b1b1 -> b2b2b2b2b2b2 (db2) (effective head) (current), add item price',
      '[db2] <base> -> b1b1b1b1b1b1 (db2), create item',
    ]);
  });

  it('with the dependent revision gone, downgrade db2@base goes through', async () => {
    const out = await p.ok('downgrade', 'db2@base');
    expect(lines(out.stderr)).toEqual([
      '[db2] Running downgrade b2b2b2b2b2b2 -> b1b1b1b1b1b1, add item price',
      '[db2] Running downgrade b1b1b1b1b1b1 -> <base>, create item',
    ]);
    expect(await at('db2').versions()).toEqual([]);
    expect(await at('db2').tables()).toEqual(['multidb_version']);
    expect(lines((await p.ok('current')).stdout)).toEqual(['[default] a1a1a1a1a1a1 (head)', '[db2] <base>', '[db3] c1c1c1c1c1c1']);
  });

  it('upgrade again brings db2 back before db3 moves on; every bind ends at head', async () => {
    const out = await p.ok('upgrade');
    const steps = lines(out.stderr);
    expect(steps).toHaveLength(3);
    expect(steps.indexOf('[db2] Running upgrade b1b1b1b1b1b1 -> b2b2b2b2b2b2, add item price')).toBeLessThan(
      steps.indexOf('[db3] Running upgrade c1c1c1c1c1c1 -> c2c2c2c2c2c2, add order unit price'),
    );
    expect(steps).toContain('[db2] Running upgrade <base> -> b1b1b1b1b1b1, create item');
    expect(await at('default').versions()).toEqual(['a1a1a1a1a1a1']);
    expect(await at('db2').versions()).toEqual(['b2b2b2b2b2b2']);
    expect(await at('db3').versions()).toEqual(['c2c2c2c2c2c2']);
    expect(await at('db3').columns('orders')).toEqual(['id', 'item_id', 'qty', 'unit_price']);
  });

  it('two binds on one physical database are refused, however differently their URLs are written', async () => {
    /** The same database through another spelling: the other scheme alias, and localhost for 127.0.0.1. */
    const respell = (url: string) =>
      url
        .replace(/^postgres:/, 'postgresql:')
        .replace(/^mysql:/, 'mariadb:')
        .replace(/^mariadb:(?=.*@127\.0\.0\.1)/, 'mysql:')
        .replace('@127.0.0.1:', '@localhost:');
    for (const url of [urls.db2!, urls.db3!]) {
      const other = respell(url);
      expect(other).not.toBe(url);
      const q = new InProcessProject([], {
        config:
          `import { defineConfig } from '@multidb/core';
` +
          `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
          `    one: { url: ${JSON.stringify(url)} },\n    two: { url: ${JSON.stringify(other)} },\n  },\n});\n`,
      });
      try {
        q.write('migrations/versions/one/.keep', '');
        q.write('migrations/versions/two/.keep', '');
        expectOneLineError(await q.run('current'), [`'one'`, `'two'`, /same database/]);
      } finally {
        q.remove();
      }
    }
  });
});
