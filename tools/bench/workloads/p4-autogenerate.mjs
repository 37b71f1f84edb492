// P4: autogenerate. Models of 1,000 tables (5 columns and an index each) against a database that
// matches them except one column missing from every 10th table: `revision --autogenerate` must
// write a revision adding those columns. SQLite and PostgreSQL. The generated file is checked,
// then deleted before the next run (untimed).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { alembicCmd, migrateCmd, tableName, writeAlembicProject, writeMultidbProject } from '../lib/projects.mjs';
import { databaseUrl, POSTGRES_URL, serverDatabases } from '../lib/servers.mjs';

const modelsTs = (n) => `import { defineModels } from '@multidb/core';
const name = (i: number) => 't' + String(i).padStart(5, '0');
export default defineModels({
  tables: Array.from({ length: ${n} }, (_, i) => ({
    name: name(i),
    columns: [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'code', type: 'varchar(32)', nullable: false },
      { name: 'title', type: 'varchar(200)' },
      { name: 'amount', type: 'numeric(10,2)' },
      { name: 'note', type: 'text' },
      ...(i % 10 === 0 ? [{ name: 'extra', type: 'varchar(20)' }] : []),
    ],
    indexes: [{ columns: ['code'] }],
  })),
});
`;

const modelsPy = (n) => `import sqlalchemy as sa
metadata = sa.MetaData()
for i in range(${n}):
    name = 't%05d' % i
    columns = [
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('code', sa.String(32), nullable=False),
        sa.Column('title', sa.String(200)),
        sa.Column('amount', sa.Numeric(10, 2)),
        sa.Column('note', sa.Text),
    ]
    if i % 10 == 0:
        columns.append(sa.Column('extra', sa.String(20)))
    sa.Table(name, metadata, *columns, sa.Index('ix_%s_code' % name, 'code'))
`;

/** The database side: every table without its `extra` column. */
const schemaSql = (n, q) =>
  Array.from({ length: n }, (_, i) => [
    `CREATE TABLE ${q}${tableName(i)}${q} (${q}id${q} integer NOT NULL PRIMARY KEY, ${q}code${q} varchar(32) NOT NULL, ${q}title${q} varchar(200), ${q}amount${q} numeric(10,2), ${q}note${q} text)`,
    `CREATE INDEX ${q}ix_${tableName(i)}_code${q} ON ${q}${tableName(i)}${q} (${q}code${q})`,
  ]).flat();

/** Checks that the one generated revision in `folder` adds n/10 columns, then deletes it. */
function generated(folder, n, pattern) {
  return {
    check: () => {
      const files = readdirSync(folder).filter((f) => /\.(ts|py)$/.test(f));
      if (files.length !== 1) throw new Error(`expected one generated revision in ${folder}, found ${files.length}`);
      const adds = (readFileSync(join(folder, files[0]), 'utf8').match(pattern) ?? []).length;
      if (adds !== Math.ceil(n / 10)) throw new Error(`the generated revision adds ${adds} columns, expected ${Math.ceil(n / 10)}`);
    },
    prepare: () => {
      for (const f of readdirSync(folder)) if (/\.(ts|py)$/.test(f)) rmSync(join(folder, f));
      rmSync(join(folder, '__pycache__'), { recursive: true, force: true });
    },
  };
}

export default {
  id: 'P4',
  title: 'autogenerate: 1,000 model tables vs a database missing one column per 10 tables',
  sizes: { full: { tables: 1000 }, tiny: { tables: 20 } },
  async setup(dir, size, { want }) {
    const n = size.tables;
    const pgDbs = serverDatabases('postgres');
    const tmp = join(dir, 'tmp');
    const cases = [];
    const project = (label, kind, multidbUrl, alembicUrl) => {
      const m = join(dir, kind, 'multidb');
      const a = join(dir, kind, 'alembic');
      writeMultidbProject(m, { binds: `{ main: { url: ${JSON.stringify(multidbUrl)}, models: './models.ts' } }`, branch: 'main', revisions: [], models: modelsTs(n) });
      if (want('alembic')) writeAlembicProject(a, { url: alembicUrl, revisions: [], models: modelsPy(n) });
      cases.push({
        name: `P4 revision --autogenerate, ${n} tables, ${label}`,
        tools: {
          multidb: { cwd: m, env: { TMPDIR: tmp }, cmd: migrateCmd('revision', '--autogenerate', '-m', 'bench'), ...generated(join(m, 'migrations', 'versions', 'main'), n, /addColumn\((?:'t\d+', )?\{ name: 'extra'/g) },
          alembic: { cwd: a, cmd: alembicCmd(a, 'revision', '--autogenerate', '-m', 'bench'), ...generated(join(a, 'alembic', 'versions'), n, /add_column\(/g) },
        },
        ratios: [{ of: 'multidb', to: 'alembic' }],
      });
      return { m, a };
    };

    const { m, a } = project('SQLite', 'sqlite', 'sqlite:main.db', `sqlite:///${join(dir, 'sqlite', 'alembic', 'main.db')}`);
    for (const file of [join(m, 'main.db'), ...(want('alembic') ? [join(a, 'main.db')] : [])]) {
      const db = new Database(file);
      db.transaction(() => { for (const s of schemaSql(n, '"')) db.exec(s); })();
      db.close();
    }
    const [dm, da] = await pgDbs.create(2);
    project('PostgreSQL', 'postgres', databaseUrl(POSTGRES_URL, dm), databaseUrl(POSTGRES_URL, da, 'postgresql+psycopg2'));
    for (const d of want('alembic') ? [dm, da] : [dm]) await pgDbs.exec(d, ['BEGIN', ...schemaSql(n, '"'), 'COMMIT']);
    return { cases, cleanup: () => pgDbs.dropAll() };
  },
};
