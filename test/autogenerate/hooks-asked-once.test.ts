// The bind's includeName / includeObject through `check` and `migrate` on PostgreSQL, with a hook
// that reads `hasCounterpart` and counts its calls. The identifier-limit check paired the models'
// objects with the database's by exact name, while the comparison pairs an index by its definition
// too: for an index the database has under another name, the hook was told `hasCounterpart: false`
// by the names check and `true` by the comparison, so a hook leaving alone the indexes the database
// has still got its long name refused. And a hook was asked about one object several times: by the
// names check, by the rename candidates, by the comparison, from each side of a pair. Now the names
// check reads the comparison's ops (it asks nothing), and each (type, name, parent) is asked once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const LONG_INDEX = `ix_orders_${'é'.repeat(30)}`; // 70 bytes

const config = (url: string) => `import { appendFileSync } from 'node:fs';
import { defineConfig } from '@multidb/core';
const log = (line) => appendFileSync('asked.log', line + '\\n');
export default defineConfig({
  directory: 'migrations',
  autogenerate: {
    includeName: (name, type, parent) => (log(JSON.stringify(['name', type, parent.schema ?? '', name])), true),
    // Indexes the database has (under any name) are managed by hand: left alone.
    includeObject: (o) => (log(JSON.stringify(['object', o.type, o.schema ?? '', o.table ?? '', o.name, o.hasCounterpart])), !(o.type === 'index' && o.hasCounterpart)),
  },
  binds: { app: { url: ${JSON.stringify(url)}, models: './models.ts' } },
});
`;

const MODELS = `import { defineModels } from '@multidb/core';
export default defineModels({
  tables: [
    {
      name: 'orders',
      columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'customer', type: 'integer' }, { name: 'placed', type: 'date' }],
      indexes: [{ name: '${LONG_INDEX}', columns: ['customer'] }],
    },
  ],
});
`;

describeWithServers('autogenerate hooks asked once, as the comparison pairs the objects [postgres]', ['postgres'], () => {
  const dbs = useDatabases('autogenerate_hooks_asked_once', { pg: 'postgres' });
  let p: TempProject;
  const asked = (): string[] => readFileSync(join(p.dir, 'asked.log'), 'utf8').trim().split('\n');
  beforeAll(async () => {
    p = new TempProject([], { config: config(dbs.pg.url) });
    await p.ok('init', '--multidb');
    p.write('models.ts', MODELS);
    await queryUrl(dbs.pg.url, 'CREATE TABLE orders (id integer PRIMARY KEY, customer integer, note text)');
    await queryUrl(dbs.pg.url, 'CREATE INDEX orders_customer_idx ON orders (customer)');
  });
  afterAll(() => p?.remove());

  it('check: the long name of an index the hook leaves alone (it has a counterpart) is no reason to refuse; each object asked about once', async () => {
    const check = await p.run('check');
    expect(check.stdout + check.stderr).not.toContain('longer than');
    expect(check.code, check.stdout + check.stderr).toBe(4);
    expect(check.stdout).toContain("[app] Detected added column 'orders.placed'");
    const lines = asked();
    expect(lines.filter((line, i) => lines.indexOf(line) !== i)).toEqual([]);
    const keys = lines.map((line) => JSON.stringify((JSON.parse(line) as unknown[]).slice(0, 5)));
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    // The index, once from each side (two names), both with their counterpart, as the comparison paired them.
    expect(lines.filter((line) => line.includes('"index"'))).toEqual([
      JSON.stringify(['object', 'index', '', 'orders', LONG_INDEX, true]),
      JSON.stringify(['object', 'index', '', 'orders', 'orders_customer_idx', true]),
    ]);
  });

  it('migrate writes the revision without the index rename', async () => {
    const out = await p.run('migrate', '-m', 'placed');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
    const source = p.read(file!.slice(p.dir.length + 1));
    expect(source).toContain("'placed'");
    expect(source).not.toContain(LONG_INDEX);
  });
});
