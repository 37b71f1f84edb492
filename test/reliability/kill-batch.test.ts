// kill -9 during a SQLite batch rebuild (move and copy) of a table with cascading children.
// b1 creates `parent` (1500 rows) and `child` (3000 rows, ON DELETE CASCADE to parent); b2 rebuilds
// `parent` in batch mode (adds a column, widens another) and its downgrade rebuilds it back.
// Runs of b2's upgrade and downgrade are killed at random points (seeded) within the time a whole
// rebuild took. After each kill: the version table says b1 or b2 and `parent` has exactly that
// revision's columns; no table of the rebuild is left behind; every parent and child row is there
// (a rebuild that dropped `parent` with foreign keys on would have cascaded into `child`);
// `PRAGMA foreign_key_check` is clean. The re-run
// reaches its target with the same rows.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, startMigrate } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { KILLS, random, SEED, sleep } from './support.js';

const PARENTS = 1500;
const CHILDREN = 3000;
const UP = ['id', 'name', 'code'];
const DOWN = ['id', 'name'];

interface BatchState {
  readonly versions: string[];
  readonly tables: string[];
  readonly parentColumns: string[];
  readonly parentName: string;
  readonly counts: { parent: number; child: number };
  readonly digest: string;
  readonly violations: unknown[];
}

function batchState(p: TempProject): BatchState {
  // Read-write: a hot journal left by the killed writer is rolled back on open.
  const db = new Database(join(p.dir, '.data', 'default.db'));
  try {
    // A missing table reads as its error, so a failure shows the whole state.
    const one = (sql: string) => {
      try {
        return Object.values(db.prepare(sql).get() as Record<string, unknown>)[0];
      } catch (error) {
        return (error as Error).message;
      }
    };
    const cols = db.prepare(`SELECT name, type FROM pragma_table_info('parent') ORDER BY cid`).all() as { name: string; type: string }[];
    return {
      versions: (db.prepare('SELECT version_num AS v FROM multidb_version ORDER BY 1').all() as { v: string }[]).map((r) => r.v),
      tables: (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`).all() as { name: string }[]).map((r) => r.name),
      parentColumns: cols.map((c) => c.name),
      parentName: cols.find((c) => c.name === 'name')?.type.toLowerCase() ?? '',
      counts: { parent: one('SELECT COUNT(*) FROM parent') as number, child: one('SELECT COUNT(*) FROM child') as number },
      digest: `${String(one('SELECT SUM(id * 7 + parent_id) FROM child'))}/${String(one('SELECT SUM(id) FROM parent'))}:${String(one('SELECT SUM(length(name)) FROM parent'))}`,
      violations: db.prepare('PRAGMA foreign_key_check').all(),
    };
  } finally {
    db.close();
  }
}

describe('kill -9 during a SQLite batch rebuild of a table with cascading children', () => {
  let p: TempProject;
  const rng = random(SEED + 101);
  let span = 0;
  let landed = 0;
  let attempts = 0;
  let rows = '';

  beforeAll(async () => {
    p = new TempProject(['default']);
    addRevision(p, 'default', {
      revision: 'bb0000000001',
      downRevision: null,
      message: 'parent child',
      upgrade: `
  await op.createTable('parent', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'name', type: 'varchar(40)' }]);
  await op.createTable('child', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer', nullable: false }, { name: 'note', type: 'varchar(40)' }],
    { foreignKeys: [{ name: 'fk_child_parent', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'], onDelete: 'cascade' }] });
  await op.bulkInsert('parent', Array.from({ length: ${PARENTS} }, (_, i) => ({ id: i + 1, name: 'parent ' + i })));
  await op.bulkInsert('child', Array.from({ length: ${CHILDREN} }, (_, i) => ({ id: i + 1, parent_id: (i % ${PARENTS}) + 1, note: 'child ' + i })));`,
      downgrade: `await op.dropTable('child');\n  await op.dropTable('parent');`,
    });
    addRevision(p, 'default', {
      revision: 'bb0000000002',
      downRevision: 'bb0000000001',
      message: 'rebuild parent',
      upgrade: `await op.batchAlterTable('parent', (b) => {
    b.addColumn({ name: 'code', type: 'varchar(10)' });
    b.alterColumn('name', { type: 'varchar(80)', existing: { type: 'varchar(40)', nullable: true } });
  });`,
      downgrade: `await op.batchAlterTable('parent', (b) => {
    b.dropColumn('code', { existing: { type: 'varchar(10)', nullable: true } });
    b.alterColumn('name', { type: 'varchar(40)', existing: { type: 'varchar(80)', nullable: true } });
  });`,
    });
    await p.ok('upgrade', 'bb0000000001');
    rows = batchState(p).digest;
  });
  afterAll(() => {
    console.log(`[reliability] kill -9 during a SQLite batch rebuild: ${landed} kills landed in ${attempts} runs (seed ${SEED})`);
    p?.remove();
  });

  const expected = (k: 1 | 2) => ({
    versions: [`bb000000000${k}`],
    tables: ['child', 'multidb_version', 'parent'],
    parentColumns: k === 2 ? UP : DOWN,
    parentName: k === 2 ? 'varchar(80)' : 'varchar(40)',
    counts: { parent: PARENTS, child: CHILDREN },
    digest: rows,
    violations: [],
  });

  /** A run to its end: how long it took from its `Running …` line. */
  async function timedRun(args: string[]): Promise<number> {
    const run = startMigrate(p, args);
    await run.waitForStderr(/Running (upgrade|downgrade)/, 60_000);
    const t0 = Date.now();
    expect((await run.done).code).toBe(0);
    return Date.now() - t0;
  }

  it('a clean rebuild up and back (measures where kills can land)', async () => {
    const up = await timedRun(['upgrade', 'head']);
    expect(batchState(p)).toEqual(expected(2));
    const down = await timedRun(['downgrade', '-1']);
    // The shorter of the two: a kill must be able to land in either.
    span = Math.min(up, down);
    expect(batchState(p)).toEqual(expected(1));
  });

  it(`kill -9 at ${KILLS} random points of the rebuild, up and down: no row lost, schema matches the version, re-run completes`, async () => {
    while (landed < KILLS && attempts < KILLS * 4) {
      const up = attempts % 2 === 0;
      attempts++;
      const args = up ? ['upgrade', 'head'] : ['downgrade', 'bb0000000001'];
      const delay = Math.floor(rng.next() * span);
      const context = `seed ${SEED}, ${up ? 'upgrade' : 'downgrade'} run ${attempts}, kill ${delay} ms after it started`;
      const run = startMigrate(p, args);
      await run.waitForStderr(/Running (upgrade|downgrade)/, 60_000);
      const started = Date.now();
      await sleep(delay);
      if (!run.exited) run.child.kill('SIGKILL');
      const killed = await run.done;
      // A run that finished before its kill shows how long a rebuild takes now (the first, measured
      // one may have been slower: a busy machine, caches still cold): later kills aim within that.
      if (killed.code === 0) span = Math.min(span, Date.now() - started);
      if (killed.code !== 0) {
        landed++;
        const after = batchState(p);
        expect(after, context).toEqual(expected(after.versions[0] === 'bb0000000002' ? 2 : 1));
        const rerun = await p.run(...args);
        expect(rerun.code, `${context}\n${rerun.stderr}`).toBe(0);
      }
      expect(batchState(p), context).toEqual(expected(up ? 2 : 1));
    }
    expect(landed, `only ${landed} of ${attempts} runs were killed before they finished`).toBe(KILLS);
  }, 60_000 + KILLS * 20_000);
});
