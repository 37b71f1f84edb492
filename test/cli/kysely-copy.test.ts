// The dialect package bundles kysely (`@multidb/dialect/kysely`, one chunk instead of kysely's 262
// modules at start-up), and the CLI aliases `kysely` and `kysely/helpers/*` in configs and
// revisions to that copy: `op.db instanceof Kysely` holds in a revision, and `sql`, the builders
// and the helpers a revision imports compile and run on the bind. The project sits in a temp
// folder without node_modules, so the alias is the only way its `kysely` imports resolve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { addRevision } from '../faults/faults-support.js';

const CONFIG = [
  `import { defineConfig } from '@multidb/core';`,
  `import { Kysely, sql } from 'kysely';`,
  `export default defineConfig({`,
  `  directory: 'migrations',`,
  `  binds: {`,
  `    default: {`,
  `      url: 'sqlite:.data/default.db',`,
  `      async onConnect(db) {`,
  `        if (!(db instanceof Kysely)) throw new Error('onConnect: db is a Kysely of another copy of kysely');`,
  `        await sql\`CREATE TABLE IF NOT EXISTS hook_log (what text)\`.execute(db);`,
  `        await sql\`INSERT INTO hook_log (what) VALUES (\${'connected'})\`.execute(db);`,
  `      },`,
  `    },`,
  `  },`,
  `});`,
  ``,
].join('\n');

const UPGRADE = [
  `if (!(op.db instanceof Kysely)) throw new Error('op.db is a Kysely of another copy of kysely');`,
  `  if (op.db.isTransaction || !(op.db.schema.createTable('x') instanceof CreateTableBuilder) || !(op.db.insertInto('x') instanceof InsertQueryBuilder)) throw new Error('builders of another copy');`,
  `  await sql\`CREATE TABLE item (id integer primary key, name text not null)\`.execute(op.db);`,
  `  await op.db.insertInto('item').values([{ id: 1, name: sql\`upper(\${'a'})\` }, { id: 2, name: 'b' }]).execute();`,
  `  const rows = await op.db`,
  `    .selectFrom('item')`,
  `    .select((eb) => ['id', jsonArrayFrom(eb.selectFrom('item as i').select('i.name').orderBy('i.id')).as('names')])`,
  `    .where('id', '=', 1)`,
  `    .execute();`,
  // SQLite returns the helper's JSON as text (no ParseJSONResultsPlugin on op.db).
  `  if (JSON.stringify(rows.map((r) => ({ ...r, names: JSON.parse(r.names) }))) !== JSON.stringify([{ id: 1, names: [{ name: 'A' }, { name: 'b' }] }])) {`,
  `    throw new Error('rows: ' + JSON.stringify(rows));`,
  `  }`,
  `  const compiled = sql\`select \${1} as one\`.compile(op.db);`,
  `  if (!(compiled.sql === 'select ? as one' && Object.isFrozen(CompiledQuery.raw('select 1')))) throw new Error('compiled: ' + compiled.sql);`,
  `  await op.db.executeQuery(CompiledQuery.raw("INSERT INTO item (id, name) VALUES (3, 'raw')"));`,
].join('\n');

describe("a revision's kysely is the dialect's bundled copy", () => {
  let p: TempProject;

  beforeAll(() => {
    p = new TempProject(['default'], { config: CONFIG });
    addRevision(
      p,
      'default',
      { revision: 'aa01', downRevision: null, upgrade: UPGRADE, downgrade: "await sql`DROP TABLE item`.execute(op.db);" },
      (source) =>
        source.replace(
          "import type { Operations } from '@multidb/core';",
          "import type { Operations } from '@multidb/core';\n" +
            "import { CompiledQuery, CreateTableBuilder, InsertQueryBuilder, Kysely, sql } from 'kysely';\n" +
            "import { jsonArrayFrom } from 'kysely/helpers/sqlite';",
        ),
    );
  });
  afterAll(() => p.remove());

  it('op.db instanceof Kysely, sql, builders and kysely/helpers/sqlite work in a revision; the config hook gets the same copy', async () => {
    await p.ok('upgrade');
    expect(p.versionsApplied('default')).toEqual(['aa01']);
    expect(p.query('default', 'SELECT id, name FROM item ORDER BY id')).toEqual([
      { id: 1, name: 'A' },
      { id: 2, name: 'b' },
      { id: 3, name: 'raw' },
    ]);
    expect(p.query('default', 'SELECT what FROM hook_log').length).toBeGreaterThan(0);
    await p.ok('downgrade', 'base');
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.tables('default')).not.toContain('item');
  });

  it('a failing instanceof check is seen as a failure (the check runs)', async () => {
    // The same revision made to test against a class of no kysely copy: the upgrade must fail,
    // so the positive test above cannot pass by skipping its checks.
    p.write(
      'migrations/versions/default/aa01_rev.ts',
      p.read('migrations/versions/default/aa01_rev.ts').replace('!(op.db instanceof Kysely)', '!(op.db instanceof class NotKysely {})'),
    );
    const out = await p.run('upgrade');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('op.db is a Kysely of another copy of kysely');
    expect(p.versionsApplied('default')).toEqual([]);
  });
});
