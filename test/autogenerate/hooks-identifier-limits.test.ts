// The autogenerate hooks and PostgreSQL's identifier limit (63 bytes), through the `migrate` CLI:
// an object `includeName` / `includeObject` leave out is never created, so a name of it longer than
// PostgreSQL keeps is no reason to refuse (autogenerate and `check` refused the whole models). A new
// table's indexes are asked about as Alembic asks (type 'index', from the models): one left out is
// not created with its table (it was, its name cut short). A dropped table's indexes are asked
// about too (from the database): one left out is not created again by the downgrade.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const LONG_INDEX = `external_ix_${'é'.repeat(30)}`; // 72 bytes
const LONG_TABLE = `legacy_${'é'.repeat(30)}`; // 67 bytes
const LONG_COLUMN = `external_${'é'.repeat(30)}`; // 69 bytes

const config = (url: string) => `import { defineConfig } from '@multidb/core';
export default defineConfig({
  directory: 'migrations',
  autogenerate: {
    dropUnmodeledTables: true,
    includeName: (name, type) => !(type === 'table' && name.startsWith('legacy_')),
    includeObject: (o) => !o.name.startsWith('external_'),
  },
  binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } },
});
`;

const models = (step: 1 | 2 | 3) => {
  const orders =
    `{ name: 'orders', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'customer', type: 'integer' }` +
    (step === 2 ? `, { name: '${LONG_COLUMN}', type: 'integer' }` : '') +
    `], indexes: [{ name: 'ix_orders_customer', columns: ['customer'] }, { name: '${LONG_INDEX}', columns: ['customer', 'id'] }] }`;
  const legacy = `{ name: '${LONG_TABLE}', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }`;
  return `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [${orders}, ${legacy}] });\n`;
};

describeWithServers('autogenerate hooks and identifier limits on PostgreSQL, through the CLI', ['postgres'], () => {
  const dbs = useDatabases('autogenerate_hooks_identifier_limits', { pg: 'postgres' });
  let p: TempProject;
  /** The indexes of a table, its primary key's left out. */
  const indexesOf = async (table: string) =>
    (
      await queryUrl<{ name: string }>(
        dbs.pg.url,
        'SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid ' +
          'WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace AND NOT i.indisprimary ORDER BY 1',
        [table],
      )
    ).map((r) => r.name);
  beforeAll(async () => {
    p = new TempProject([], { config: config(dbs.pg.url) });
    await p.ok('init', '--multidb');
  });
  afterAll(() => p?.remove());

  it("writes a new table without the index includeObject leaves out; the long names of what the hooks leave out are no reason to refuse", async () => {
    p.write('models.ts', models(1));
    const out = await p.run('migrate', '-m', 'orders');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stderr).not.toContain('longer than');
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
    const source = p.read(file!.slice(p.dir.length + 1));
    expect(source).toContain("'ix_orders_customer'");
    expect(source).not.toMatch(/external_|legacy_/);
    await p.ok('upgrade');
    expect(await indexesOf('orders')).toEqual(['ix_orders_customer']);
    const check = await p.run('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('[app] No changes in schema detected.');
  });

  it('check stays clean with a long column includeObject leaves out in a table the database has', async () => {
    p.write('models.ts', models(2));
    const check = await p.run('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('[app] No changes in schema detected.');
  });

  it("drops a table; its index includeObject leaves out is not created again by the downgrade", async () => {
    await queryUrl(dbs.pg.url, 'CREATE TABLE stale (id integer PRIMARY KEY, code text)');
    await queryUrl(dbs.pg.url, 'CREATE INDEX ix_stale_code ON stale (code)');
    await queryUrl(dbs.pg.url, 'CREATE INDEX external_stale_search ON stale (code, id)');
    p.write('models.ts', models(3));
    const out = await p.run('migrate', '-m', 'drop stale');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stderr).toContain("[app] Detected removed table 'stale'");
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
    const source = p.read(file!.slice(p.dir.length + 1));
    expect(source).toContain("'ix_stale_code'");
    expect(source).not.toContain('external_stale_search');
    await p.ok('upgrade');
    expect(await indexesOf('stale')).toEqual([]);
    await p.ok('downgrade', '-1');
    expect(await indexesOf('stale')).toEqual(['ix_stale_code']);
  });
});
