// A foreign key in the models that points nowhere (`references: 'nosuch.id'`, or a column the
// referred table does not have) is refused by `check` and `migrate` with an error naming the
// table, column and missing target, instead of being written into a revision that fails only at
// `upgrade`. References to a table only the database has, or one the include filters leave out,
// still work.
import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteModelsConfig, TempProject } from '../support/project.js';
import { InProcessProject } from '../support/in-process-project.js';

const models = (references: string, extraTables = '') =>
  `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [\n` +
  `  { name: 'author', columns: [{ name: 'id', type: 'integer', primaryKey: true }] },\n` +
  `  { name: 'post', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'author_id', type: 'integer', references: '${references}' }] },\n` +
  `${extraTables}]});\n`;

describe('autogenerate refuses foreign keys to missing tables and columns', () => {
  let p: TempProject;
  afterEach(() => p?.remove());

  it('check and migrate fail naming the table, column and missing table; nothing is written; fixed, it upgrades', async () => {
    p = new InProcessProject([], { config: sqliteModelsConfig({ app: './models.ts' }) });
    await p.ok('init', '--multidb');
    p.write('models.ts', models('nosuch.id'));

    const checked = await p.run('check');
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(
      /^ERROR: \[app\] Table 'post' has a foreign key \(author_id\) to 'nosuch'\(id\), a table that is neither in the models nor in the database: correct the reference/m,
    );
    const migrated = await p.run('migrate', '-m', 'initial');
    expect(migrated.code).toBe(1);
    expect(migrated.stderr).toMatch(/\[app\] Table 'post' has a foreign key \(author_id\) to 'nosuch'\(id\)/);
    expect(p.versions('app')).toEqual([]);

    p.write('models.ts', models('author.uid'));
    const column = await p.run('migrate', '-m', 'initial');
    expect(column.code).toBe(1);
    expect(column.stderr).toMatch(/\[app\] Table 'post' has a foreign key \(author_id\) to 'author'\(uid\), and table 'author' has no column 'uid' \(its columns: id\)/);
    expect(p.versions('app')).toEqual([]);

    p.write('models.ts', models('author.id'));
    await p.ok('migrate', '-m', 'initial');
    await p.ok('upgrade');
    expect(p.tables('app')).toEqual(['author', 'multidb_version', 'post']);
  });

  it('a referred table the include filters leave out (only in the database) is not refused', async () => {
    p = new InProcessProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/app.db', models: './models.ts',\n` +
        `  autogenerate: { includeName: (name) => name !== 'legacy' } } } });\n`,
    });
    await p.ok('init', '--multidb');
    p.write('models.ts', models('legacy.id'));
    await p.ok('upgrade');
    p.exec('app', 'CREATE TABLE legacy (id integer primary key)');
    const migrated = await p.ok('migrate', '-m', 'initial');
    expect(migrated.stderr).toMatch(/Detected added table 'post'/);
    await p.ok('upgrade');
    expect(p.tables('app')).toEqual(['author', 'legacy', 'multidb_version', 'post']);
  });
});

describe('a primary key change that leaves a foreign key no key to refer to', () => {
  let p: TempProject;
  afterEach(() => p?.remove());

  const membership = (key: string, uniques = '') =>
    `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [\n` +
    `  { name: 'membership', columns: [{ name: 'org_id', type: 'integer', nullable: false }, { name: 'user_id', type: 'integer', nullable: false }, { name: 'role', type: 'text', nullable: false }], primaryKey: ${key}${uniques} },\n` +
    `  { name: 'grant_', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'org_id', type: 'integer' }, { name: 'user_id', type: 'integer' }],\n` +
    `    foreignKeys: [{ columns: ['org_id', 'user_id'], referredTable: 'membership', referredColumns: ['org_id', 'user_id'] }] },\n` +
    `]});\n`;

  it('migrate warns on stderr and in the revision, naming the key and its table; the SQLite upgrade fails saying which key; with a unique key it upgrades', async () => {
    p = new InProcessProject([], { config: sqliteModelsConfig({ app: './models.ts' }) });
    await p.ok('init', '--multidb');
    p.write('models.ts', membership(`['org_id', 'user_id']`));
    await p.ok('migrate', '-m', 'initial');
    await p.ok('upgrade');

    p.write('models.ts', membership(`['org_id', 'user_id', 'role']`));
    const migrated = await p.ok('migrate', '-m', 'role in the key');
    expect(migrated.stderr).toContain(
      "[app] WARNING: Foreign key 'fk_grant__org_id_user_id_membership' on table 'grant_' refers to (org_id, user_id) of 'membership', which the models no longer make its primary key or a unique key",
    );
    const file = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(migrated.stdout)![1]!;
    expect(readFileSync(file, 'utf8')).toMatch(/async function upgrade[^]*\/\/ WARNING: Foreign key 'fk_grant__org_id_user_id_membership' on table 'grant_' refers to \(org_id,\s+\/\/ user_id\) of 'membership'/);
    const failed = await p.run('upgrade');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      "Foreign key check failed: foreign key (org_id, user_id) of table 'grant_' refers to 'membership'(org_id, user_id), which is neither the primary key of 'membership' nor a unique key of it. " +
        "Make 'membership'(org_id, user_id) unique",
    );

    rmSync(file);
    p.write('models.ts', membership(`['org_id', 'user_id', 'role']`, `, uniqueConstraints: [['org_id', 'user_id']]`));
    const fixed = await p.ok('migrate', '-m', 'role in the key');
    expect(fixed.stderr).not.toContain('WARNING');
    await p.ok('upgrade');
    await p.ok('check');
  });
});

