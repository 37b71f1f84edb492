#!/usr/bin/env node
// Benchmark: what does SQLite batch mode's move-and-copy cost over the raw floor?
// Builds a ROWS-row, 5-column table once (a template file), then, over RUNS alternating rounds,
// on a fresh copy of the template each time:
//   floor   – the same CREATE / INSERT … SELECT / DROP / RENAME in one transaction, written by
//             hand, through better-sqlite3 directly;
//   op path – op.batchAlterTable(…, { recreate: 'always' }) dropping one column through the
//             path a revision takes: begin (foreign keys off, BEGIN IMMEDIATE) → introspect →
//             compile → execute each statement through Kysely → commit (foreign_key_check);
//   runner  – the same op in a revision file applied by core's runner (env.upgrade(): config,
//             revision map, lock, version table, module import, the op path, commit).
// Prints median and min per path, and the ratios to the floor. Not a test: run on demand after
// the build (npx tsc -p packages/core/tsconfig.build.json && npx tsc -p packages/dialect/tsconfig.build.json).
// Usage: node tools/bench/sqlite-batch.mjs [ROWS=1000000] [RUNS=5]
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NAMING_CONVENTION, loadEnvironment, Operations } from '@multidb/core';
import { sqliteDriver } from '@multidb/dialect/sqlite';
import { dialects } from '@multidb/dialect/registry';
import Database from 'better-sqlite3';

const [ROWS = 1_000_000, RUNS = 5] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'multidb-bench-batch-'));
const template = join(dir, 'template.db');

const CREATE = 'CREATE TABLE "Bench" ("id" INTEGER PRIMARY KEY, "qty" integer NOT NULL, "name" text, "price" real, "note" text)';
{
  const db = new Database(template);
  db.exec(CREATE);
  const insert = db.prepare('INSERT INTO "Bench" VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(i, i % 1000, `name ${i}`, i / 7, i % 3 ? `note ${i % 9973}` : null);
  })();
  db.close();
}

/** The floor: the rebuild written by hand, in one transaction, through better-sqlite3. */
function floor(file) {
  const db = new Database(file);
  const t0 = performance.now();
  db.exec('PRAGMA foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  db.exec('CREATE TABLE "_tmp_Bench" ("id" INTEGER PRIMARY KEY, "qty" integer NOT NULL, "name" text, "price" real)');
  db.exec('INSERT INTO "_tmp_Bench" ("id", "qty", "name", "price") SELECT "id", "qty", "name", "price" FROM "Bench"');
  db.exec('DROP TABLE "Bench"');
  db.exec('ALTER TABLE "_tmp_Bench" RENAME TO "Bench"');
  db.exec('COMMIT');
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

const batch = (op) => op.batchAlterTable('Bench', (b) => b.dropColumn('note'), { recreate: 'always' });

/** The op path: begin → introspect → compile → execute → commit, as core's runner runs an op. */
async function opPath(file) {
  const conn = await sqliteDriver.connect({ bind: 'bench', url: `sqlite://${file}`, baseDir: dir });
  const statements = [];
  const op = new Operations({
    db: conn.db,
    bind: 'bench',
    namingConvention: DEFAULT_NAMING_CONVENTION,
    runner: {
      dialect: conn.dialect,
      async run(o) {
        const snapshots = new Map();
        for (const table of conn.dialect.requiredSnapshots(o)) snapshots.set(table, await conn.introspectTable(table));
        for (const s of conn.dialect.compile(o, { namingConvention: DEFAULT_NAMING_CONVENTION, snapshots })) {
          statements.push(s.sql);
          await conn.execute(s);
        }
      },
    },
  });
  const t0 = performance.now();
  await conn.begin();
  await batch(op);
  await conn.commit();
  const ms = performance.now() - t0;
  await conn.close();
  return { ms, statements };
}

/** The runner: a one-revision project upgraded by core (the revision module does the same op). */
async function runner(file) {
  const project = join(dir, 'project');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'migrations', 'versions', 'default'), { recursive: true });
  writeFileSync(
    join(project, 'migrations', 'versions', 'default', '0000000000aa_drop_note.ts'),
    [
      "export const revision = '0000000000aa';",
      'export const downRevision = null;',
      "export const branchLabels = ['default'];",
      'export const dependsOn = [];',
      "export const message = 'drop note';",
      "export const createDate = '2026-11-24T10:00:00Z';",
      "export async function upgrade(op: any) { await op.batchAlterTable('Bench', (b: any) => b.dropColumn('note'), { recreate: 'always' }); }",
      'export async function downgrade() {}',
    ].join('\n'),
  );
  const t0 = performance.now();
  const env = await loadEnvironment({ dialects, configObject: { directory: 'migrations', binds: { default: { url: `sqlite://${file}` } } }, baseDir: project });
  try {
    await env.upgrade();
  } finally {
    await env.close();
  }
  return performance.now() - t0;
}

function check(file) {
  const db = new Database(file, { readonly: true });
  const cols = db.prepare(`SELECT name FROM pragma_table_xinfo('Bench')`).all().map((r) => r.name).join(',');
  const { n } = db.prepare('SELECT count(*) AS n FROM "Bench"').get();
  db.close();
  if (cols !== 'id,qty,name,price' || n !== ROWS) throw new Error(`unexpected result: columns ${cols}, ${n} rows`);
}

const samples = { floor: [], op: [], runner: [] };
let shown = false;
for (let r = 0; r < RUNS; r++) {
  // Alternate the order so neither path always runs on a warmer machine.
  const order = r % 2 ? ['runner', 'op', 'floor'] : ['floor', 'op', 'runner'];
  for (const path of order) {
    const file = join(dir, `${path}-${r}.db`);
    copyFileSync(template, file);
    if (path === 'floor') samples.floor.push(floor(file));
    else if (path === 'runner') samples.runner.push(await runner(file));
    else {
      const { ms, statements } = await opPath(file);
      samples.op.push(ms);
      if (!shown) {
        console.log(`Statements of the op path:\n${statements.map((s) => `  ${s.replace(/\s*\n\s*/g, ' ')};`).join('\n')}`);
        shown = true;
      }
    }
    check(file);
    rmSync(file);
  }
}

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0] };
};
const f = stat(samples.floor);
const o = stat(samples.op);
const u = stat(samples.runner);
console.log(`\n${ROWS} rows, 5 columns, drop one with recreate 'always'; ${RUNS} runs; ${cpus().length} CPUs, Node ${process.version}`);
console.log(`  floor (better-sqlite3)   median ${f.median.toFixed(0)} ms   min ${f.min.toFixed(0)} ms`);
console.log(`  op path (multidb)        median ${o.median.toFixed(0)} ms   min ${o.min.toFixed(0)} ms   ratio ${(o.median / f.median).toFixed(2)}x (min ${(o.min / f.min).toFixed(2)}x)`);
console.log(`  runner (env.upgrade)     median ${u.median.toFixed(0)} ms   min ${u.min.toFixed(0)} ms   ratio ${(u.median / f.median).toFixed(2)}x (min ${(u.min / f.min).toFixed(2)}x)`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
