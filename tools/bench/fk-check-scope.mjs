#!/usr/bin/env node
// What SQLite's foreign-key check before COMMIT costs per revision on a database with a big child
// table (DESIGN §7): a database of a 1,000-row parent table and a child table of ROWS rows
// referring to it is made once; each measurement is a fresh node process that copies it, opens it
// with the dialect's driver, and runs REVISIONS revisions creating an unrelated table each
// (`begin()`, CREATE TABLE, `commitVersionUpdate()`: the runner's calls), timing each revision.
//   node tools/bench/fk-check-scope.mjs [ROWS=2000000] [REVISIONS=20] [ROUNDS=3] BUILD...
// BUILD: a folder holding packages/dialect/dist (the worktree `.`, or a snapshot such as
// .bench-baseline); the builds alternate in each round. Prints, per build and round, the first
// revision (the connection's first transaction, which also takes the check's baseline), the
// median of the others, and the loop's total (wall and CPU time: user + system of the process). ROWS=0 gives the per-revision cost on a small
// database. FK_SCOPE_DIR: where the databases go (default the OS's temporary folder; /dev/shm
// leaves the disk's fsync out). Run on demand; never in CI.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = resolve(here, '..', '..', '..');

if (process.argv[2] === '--child') {
  const [, , , build, file, revisions] = process.argv;
  console.log(JSON.stringify(await child(build, file, Number(revisions))));
} else {
  const args = process.argv.slice(2);
  const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const builds = args.filter((a) => !/^\d+$/.test(a)).map((b) => resolve(b));
  const [rows = 2_000_000, revisions = 20, rounds = 3] = numbers;
  if (builds.length === 0) throw new Error('usage: fk-check-scope.mjs [ROWS] [REVISIONS] [ROUNDS] BUILD...');
  const dir = mkdtempSync(join(process.env.FK_SCOPE_DIR ?? tmpdir(), 'multidb-fk-scope-'));
  try {
    const template = join(dir, 'template.db');
    makeDatabase(template, rows);
    for (let round = 1; round <= rounds; round++) {
      for (const build of builds) {
        const file = join(dir, 'run.db');
        for (const suffix of ['', '-journal', '-wal']) rmSync(`${file}${suffix}`, { force: true });
        copyFileSync(template, file);
        const out = spawnSync(process.execPath, [here, '--child', build, file, String(revisions)], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(out.stderr);
        const { times, cpu } = JSON.parse(out.stdout);
        const rest = times.slice(1).sort((a, b) => a - b);
        const median = rest.length ? rest[Math.floor(rest.length / 2)] : NaN;
        const total = times.reduce((a, b) => a + b, 0);
        console.log(`round ${round} ${build}: first ${times[0].toFixed(1)} ms, others median ${median.toFixed(2)} ms (min ${rest[0]?.toFixed(2)}, max ${rest.at(-1)?.toFixed(2)}), total ${total.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms) for ${times.length}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The database: `Parent` (1,000 rows), `Child` (`rows` rows referring to it), the version table at `r0`. */
function makeDatabase(file, rows) {
  const Database = createRequire(join(root, 'packages', 'dialect', 'package.json'))('better-sqlite3');
  const db = new Database(file);
  db.exec(`
    CREATE TABLE "Parent" ("id" integer PRIMARY KEY, "name" text);
    CREATE TABLE "Child" ("id" integer PRIMARY KEY, "parentId" integer NOT NULL REFERENCES "Parent" ("id"), "note" text);
    CREATE TABLE "multidb_version" ("version_num" varchar(32) PRIMARY KEY);
    INSERT INTO "multidb_version" VALUES ('r0');
    BEGIN;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO "Parent" SELECT i, 'p' || i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO "Child" SELECT i, 1 + i % 1000, 'note' FROM n;
    COMMIT;
  `);
  db.close();
}

/** One measurement: `revisions` revisions on a copy of the database, each one's wall time (ms). */
async function child(build, file, revisions) {
  const entry = join(build, 'packages', 'dialect', 'dist', 'bundle', 'sqlite', 'index.js');
  if (!existsSync(entry)) throw new Error(`no build at ${entry}`);
  const { sqliteDriver } = await import(pathToFileURL(entry).href);
  const conn = await sqliteDriver.connect({ bind: 'bench', url: `sqlite://${file}`, baseDir: '/' });
  const times = [];
  const cpuStart = process.cpuUsage();
  try {
    for (let n = 1; n <= revisions; n++) {
      const start = performance.now();
      await conn.begin();
      await conn.executeLater({ sql: `CREATE TABLE "unrelated_${n}" ("id" integer PRIMARY KEY, "name" text)`, parameters: [] }, () => undefined);
      if (!(await conn.commitVersionUpdate({ name: 'multidb_version' }, `r${n - 1}`, `r${n}`))) throw new Error('version write');
      times.push(performance.now() - start);
    }
  } finally {
    await conn.close();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { times, cpu: (cpu.user + cpu.system) / 1000 };
}
