// P5: SQLite batch mode. One revision drops 1 of 5 columns of a 1,000,000-row table by a rebuild
// (move and copy), against Alembic's `batch_alter_table(recreate='always')` and the floor (the
// same CREATE / INSERT … SELECT / DROP / RENAME in one transaction through better-sqlite3).
// Each run starts from a fresh copy of the same database file (copied untimed).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { alembicCmd, migrateCmd, writeAlembicProject, writeMultidbProject } from '../lib/projects.mjs';

const FLOOR = fileURLToPath(new URL('../floor.mjs', import.meta.url));
const COLUMNS = '"id" INTEGER PRIMARY KEY, "qty" integer NOT NULL, "name" varchar(50), "price" numeric(10,2)';

export default {
  id: 'P5',
  title: 'SQLite batch rebuild: drop 1 of 5 columns of 1,000,000 rows',
  sizes: { full: { rows: 1_000_000 }, tiny: { rows: 1000 } },
  async setup(dir, size, { want }) {
    const template = join(dir, 'template.db');
    const db = new Database(template);
    db.exec(`CREATE TABLE "bench" (${COLUMNS}, "note" text)`);
    const insert = db.prepare('INSERT INTO "bench" VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => { for (let i = 1; i <= size.rows; i++) insert.run(i, i % 100, `name ${i}`, i / 100, `note ${i}`); })();
    db.close();

    const m = join(dir, 'multidb');
    const a = join(dir, 'alembic');
    writeMultidbProject(m, {
      binds: `{ main: { url: 'sqlite:main.db' } }`,
      branch: 'main',
      revisions: [{ upgrade: `await op.batchAlterTable('bench', (b) => b.dropColumn('note'), { recreate: 'always' });`, downgrade: `await op.addColumn('bench', { name: 'note', type: 'text' });` }],
    });
    if (want('alembic')) {
      writeAlembicProject(a, {
        url: `sqlite:///${join(a, 'main.db')}`,
        revisions: [{ upgrade: `    with op.batch_alter_table('bench', recreate='always') as b:\n        b.drop_column('note')`, downgrade: `    op.add_column('bench', sa.Column('note', sa.Text))` }],
      });
    }
    const floorDb = join(dir, 'floor.db');
    const floorFile = join(dir, 'floor.json');
    writeFileSync(floorFile, JSON.stringify([[
      `CREATE TABLE "_tmp_bench" (${COLUMNS})`,
      'INSERT INTO "_tmp_bench" ("id", "qty", "name", "price") SELECT "id", "qty", "name", "price" FROM "bench"',
      'DROP TABLE "bench"',
      'ALTER TABLE "_tmp_bench" RENAME TO "bench"',
    ]]));
    const columns = (file) => () => {
      const d = new Database(file, { readonly: true });
      const cols = d.prepare('SELECT name FROM pragma_table_info(\'bench\')').all().map((c) => c.name);
      const rows = d.prepare('SELECT count(*) AS n FROM "bench"').get().n;
      d.close();
      if (cols.includes('note') || cols.length !== 4 || rows !== size.rows) throw new Error(`${file}: columns ${cols}, ${rows} rows`);
    };
    return {
      cases: [{
        name: `P5 batch drop column, ${size.rows} rows, SQLite`,
        tools: {
          multidb: { cwd: m, env: { TMPDIR: join(dir, 'tmp') }, cmd: migrateCmd('upgrade'), prepare: () => copyFileSync(template, join(m, 'main.db')), check: columns(join(m, 'main.db')) },
          alembic: { cwd: a, cmd: alembicCmd(a, 'upgrade', 'head'), prepare: () => copyFileSync(template, join(a, 'main.db')), check: columns(join(a, 'main.db')) },
          floor: { cmd: [process.execPath, FLOOR, 'sqlite', floorDb, floorFile], prepare: () => copyFileSync(template, floorDb), check: columns(floorDb) },
        },
        ratios: [{ of: 'multidb', to: 'floor', target: 1.15 }, { of: 'multidb', to: 'alembic' }, { of: 'alembic', to: 'floor' }],
      }],
    };
  },
};
