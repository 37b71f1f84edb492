#!/usr/bin/env node
// Benchmark: autogenerate against a live database, introspection included (the benchmark).
// Models: N tables (default 1000) of 10 columns, 1 index and 1 foreign key each (table i refers to
// table i-1; table 0 to itself), as in autogenerate-compare.mjs. Per dialect (SQLite file,
// PostgreSQL database made for the run and dropped after):
//   (a) compareBind against an empty database: N CreateTable ops;
//   (b) compareBind against a database that matches except one added column per 10 tables (the
//       models' ops applied, then `extra` dropped from every 10th table): N/10 AddColumn ops.
// compareBind is what `migrate migrate` and `migrate check` do per bind: introspect the database,
// resolve the models for the dialect, compare. Each scenario runs RUNS times (median and min), with
// introspection alone timed as well.
// Usage (after `npx nx run-many -t build`):
//   node tools/bench/autogenerate-live.mjs [N=1000] [RUNS=5]
// MULTIDB_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server;
// MULTIDB_BENCH_DIALECTS=sqlite,postgres picks the dialects.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { commands, createModuleLoader, defineModels, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { compareBind } from '@multidb/autogenerate';
import { WIDE_COLUMNS, wideTableName, wideTableOptions } from './lib/wide-tables.mjs';

const [N = 1000, RUNS = 5] = process.argv.slice(2).map(Number);
const SERVER = process.env.MULTIDB_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WHICH = (process.env.MULTIDB_BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const models = defineModels({
  tables: Array.from({ length: N }, (_, i) => ({ name: wideTableName(i), columns: [...WIDE_COLUMNS], ...wideTableOptions(i) })),
});

async function pgAdmin(sql) {
  const c = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0).padStart(6)} ms  min ${s[0].toFixed(0).padStart(6)} ms`;
}

async function bench(dialect) {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-bench-'));
  let urls;
  let drop = async () => {};
  if (dialect === 'sqlite') urls = { full: 'sqlite:full.db', empty: 'sqlite:empty.db' };
  else {
    const suffix = randomBytes(4).toString('hex');
    const dbs = { full: `multidb_bench_full_${suffix}`, empty: `multidb_bench_empty_${suffix}` };
    for (const db of Object.values(dbs)) await pgAdmin(`CREATE DATABASE "${db}"`);
    const at = (db) => Object.assign(new URL(SERVER), { pathname: `/${db}` }).toString();
    urls = { full: at(dbs.full), empty: at(dbs.empty) };
    drop = async () => {
      for (const db of Object.values(dbs)) await pgAdmin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    };
  }
  writeFileSync(
    join(dir, 'migrate.config.ts'),
    `export default { directory: 'migrations', binds: { full: { url: ${JSON.stringify(urls.full)} }, empty: { url: ${JSON.stringify(urls.empty)} } } };\n`,
  );
  const loader = createModuleLoader();
  await commands.init({ cwd: dir, multidb: true, loader });
  const env = await loadEnvironment({ dialects, cwd: dir, loader });
  try {
    // Build (b)'s database: the models' ops, compiled by the dialect, then `extra` dropped from every 10th table.
    const conn = await env.connection('full');
    const t0 = performance.now();
    const { comparison } = await compareBind(env, 'full', models);
    const q = (id) => conn.dialect.quoteIdentifier(id);
    await conn.execute({ sql: 'BEGIN', parameters: [] });
    for (const op of comparison.ops) {
      for (const s of conn.dialect.compile(op, { namingConvention: env.namingConvention, snapshots: new Map() })) await conn.execute(s);
    }
    for (let i = 0; i < N; i += 10) await conn.execute({ sql: `ALTER TABLE ${q(wideTableName(i))} DROP COLUMN ${q('extra')}`, parameters: [] });
    await conn.execute({ sql: 'COMMIT', parameters: [] });
    const built = performance.now() - t0;

    const samples = { a: [], b: [], introspectA: [], introspectB: [] };
    const ops = {};
    for (let r = 0; r <= RUNS; r++) {
      for (const [key, bind] of [['a', 'empty'], ['b', 'full']]) {
        const c = await env.connection(bind);
        let t = performance.now();
        await c.introspect({ exclude: ['multidb_version'] });
        const introspected = performance.now() - t;
        t = performance.now();
        const result = await compareBind(env, bind, models);
        const compared = performance.now() - t;
        ops[key] = result.comparison.ops;
        if (r === 0) continue; // warm-up round
        samples[key].push(compared);
        samples[key === 'a' ? 'introspectA' : 'introspectB'].push(introspected);
      }
    }
    const kinds = (list) => [...new Set(list.map((o) => (o.kind === 'BatchAlterTable' ? `BatchAlterTable(${o.ops.map((i) => i.kind).join(',')})` : o.kind)))].join(', ');
    console.log(`${dialect}: ${N} tables (database for (b) built in ${(built / 1000).toFixed(1)} s), ${RUNS} rounds after a warm-up`);
    console.log(`  (a) empty database      ${String(ops.a.length).padStart(5)} ops [${kinds(ops.a)}]  compareBind ${stats(samples.a)}  (introspection alone ${stats(samples.introspectA)})`);
    console.log(`  (b) one column / 10 tbl ${String(ops.b.length).padStart(5)} ops [${kinds(ops.b)}]  compareBind ${stats(samples.b)}  (introspection alone ${stats(samples.introspectB)})`);
  } finally {
    await env.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`autogenerate against a live database (Node ${process.version}, ${new Date().toISOString()})`);
for (const dialect of WHICH) await bench(dialect);
