// Adopting a MariaDB/MySQL database whose foreign keys have the index InnoDB made for them. A key
// created with a name (`CONSTRAINT fk_named FOREIGN KEY …`) gets an index named as the key, which
// introspection leaves out (it goes with the key). A key created without one gets a name of
// InnoDB's (`child_auto_ibfk_1`) and an index named after its first column (`parent_id`): that
// cannot be told from an index made by hand under that name, so `models --from-database` declares
// it, like the index made by hand in `child_ix`. Left out instead, removing the key later would fail
// on a fresh database made by the baseline (a `DROP INDEX parent_id` of an index InnoDB named
// `child_auto_ibfk_1` there) or leave an undeclared index on the adopted one, depending on which of
// the two the revision was written against. Declared, the adopted database and a fresh one upgraded
// by the baseline have the same indexes, `check` is clean on both, and removing the keys from the
// models drops them (each named key's own index with it) on both alike: the declared index stays,
// as the models say, and goes when it leaves the models too.
import { afterAll, expect, it } from 'vitest';
import { InProcessProject } from '../support/in-process-project.js';
import { okInProcess } from '../support/in-process.js';
import { schemaOf } from '../support/mysql-offline.js';
import type { RunOutput, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const TIMEOUT = 240_000;

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const CONFIG = `import { defineConfig } from '@multidb/core';
export default defineConfig({ directory: 'migrations', binds: { my: { url: process.env.MY_URL!, models: './models/my.ts' } } });
`;

const STATEMENTS = [
  'CREATE TABLE parent (id int PRIMARY KEY)',
  'CREATE TABLE child_auto (id int PRIMARY KEY, parent_id int, FOREIGN KEY (parent_id) REFERENCES parent (id))',
  'CREATE TABLE child_named (id int PRIMARY KEY, parent_id int, CONSTRAINT fk_named FOREIGN KEY (parent_id) REFERENCES parent (id))',
  'CREATE TABLE child_ix (id int PRIMARY KEY, parent_id int, KEY my_idx (parent_id), CONSTRAINT fk_ix FOREIGN KEY (parent_id) REFERENCES parent (id))',
];

/**
 * Runs `migrate ARGS` in-process in project `p` with `MY_URL` set to `url` while it runs (its config
 * reads the bind's URL from it as it loads), and fails with its output unless it exits 0. Setting
 * process.env is safe here only because this file's one test runs alone and nothing else reads
 * MY_URL (test/support/mysql-offline.ts's migrateAt spawns `migrate` with it instead).
 */
async function migrateAt(p: TempProject, url: string, ...args: string[]): Promise<RunOutput> {
  const saved = process.env['MY_URL'];
  process.env['MY_URL'] = url;
  try {
    return await okInProcess(p.dir, args);
  } finally {
    if (saved === undefined) delete process.env['MY_URL'];
    else process.env['MY_URL'] = saved;
  }
}

/** The raw index names of each child table (InnoDB's own included), primary keys aside. */
async function indexNames(url: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const row of (await schemaOf(url)).indexes) {
    if (row.name === 'PRIMARY' || !String(row.t).startsWith('child_')) continue;
    (out[String(row.t)] ??= []).push(String(row.name));
  }
  return out;
}

/** The source of a model table's block in the models module. */
function block(source: string, table: string): string {
  const start = source.indexOf(`name: '${table}'`);
  const next = source.indexOf("\n    {\n      name: '", start);
  return source.slice(start, next < 0 ? undefined : next);
}

describeWithServers('adopting foreign keys and the indexes InnoDB made for them [mysql]', ['mysql'], () => {
  const dbs = useDatabases('adopt_fk_ix', { adopted: 'mysql', fresh: 'mysql' });

  it(
    "declares the index of a key created without a name (InnoDB's name cannot be told from a hand-made one), not a named key's; check clean on the adopted and on a fresh database; removing the keys drops them alike on both",
    async () => {
      const p = new InProcessProject([], { config: CONFIG });
      projects.push(p);
      const adopted = dbs.adopted.url;
      const fresh = dbs.fresh.url;
      for (const sql of STATEMENTS) await queryUrl(adopted, sql);
      await migrateAt(p, adopted, 'init', '--multidb');
      await migrateAt(p, adopted, 'models', '--from-database', '--bind', 'my');
      const source = p.read('models/my.ts');
      expect(block(source, 'child_auto')).toMatch(/name: 'child_auto_ibfk_1'[^]*indexes: \[\{ name: 'parent_id', columns: \['parent_id'\] \}\]/);
      expect(block(source, 'child_named')).toMatch(/name: 'fk_named'/);
      expect(block(source, 'child_named')).not.toMatch(/indexes/);
      expect(block(source, 'child_ix')).toMatch(/indexes: \[\{ name: 'my_idx', columns: \['parent_id'\] \}\]/);
      const before = { child_auto: ['parent_id'], child_ix: ['my_idx'], child_named: ['fk_named'] };
      expect(await indexNames(adopted)).toEqual(before);

      // (a) The adopted database matches its models.
      expect((await migrateAt(p, adopted, 'check')).stdout).toBe('[my] No changes in schema detected.\n');
      // (b) The baseline, stamped there, makes a fresh database with the same indexes; check clean there too.
      await migrateAt(p, adopted, 'revision', '--autogenerate', '--baseline', '-m', 'baseline', '--bind', 'my');
      await migrateAt(p, adopted, 'stamp', 'my@head');
      await migrateAt(p, fresh, 'upgrade');
      expect(await indexNames(fresh)).toEqual(before);
      expect((await migrateAt(p, fresh, 'check')).stdout).toBe('[my] No changes in schema detected.\n');

      // (c) The keys leave the models: written against the adopted database, run on both.
      p.write('models/my.ts', source.replace(/\n {6}foreignKeys: \[[^]*?\n {6}\],/g, ''));
      const migrated = await migrateAt(p, adopted, 'migrate', '-m', 'no keys');
      expect(migrated.stderr.split('\n').filter((l) => l.includes('Detected')).sort()).toEqual([
        "[my] Detected removed foreign key (parent_id) -> parent(id) on table 'child_auto'",
        "[my] Detected removed foreign key (parent_id) -> parent(id) on table 'child_ix'",
        "[my] Detected removed foreign key (parent_id) -> parent(id) on table 'child_named'",
      ]);
      const after = { child_auto: ['parent_id'], child_ix: ['my_idx'] };
      for (const url of [adopted, fresh]) {
        await migrateAt(p, url, 'upgrade');
        expect(await indexNames(url)).toEqual(after);
        expect((await migrateAt(p, url, 'check')).stdout).toBe('[my] No changes in schema detected.\n');
      }
      // The declared index leaves the models too: dropped on both.
      p.write('models/my.ts', p.read('models/my.ts').replace(/\n {6}indexes: \[\{ name: 'parent_id', columns: \['parent_id'\] \}\],/, ''));
      await migrateAt(p, adopted, 'migrate', '-m', 'no parent_id index');
      for (const url of [adopted, fresh]) {
        await migrateAt(p, url, 'upgrade');
        expect(await indexNames(url)).toEqual({ child_ix: ['my_idx'] });
        expect((await migrateAt(p, url, 'check')).stdout).toBe('[my] No changes in schema detected.\n');
      }
    },
    TIMEOUT,
  );
});
