#!/usr/bin/env node
// Benchmark: how long does introspect() take on a database of TABLES tables × COLUMNS columns?
// Each table has a primary key, a foreign key to the table before, a unique column, a check, an
// index and a comment (PostgreSQL). Times introspect() (whole database: a fixed handful of
// catalog queries) and introspectTable() of one table in the middle, and counts the statements
// each runs. Not a test: run on demand after the build
// (npx tsc -p packages/core/tsconfig.build.json && npx tsc -p packages/dialect/tsconfig.build.json).
// Usage: node tools/bench/introspect.mjs [sqlite|postgres|mysql|all=all] [TABLES=1000] [COLUMNS=10] [RUNS=5]
// Servers: MULTIDB_TEST_POSTGRES_URL, MULTIDB_TEST_MYSQL_URL (as the tests use them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDriver } from '@multidb/dialect/sqlite';
import { postgresDriver } from '@multidb/dialect/postgres';
import { mysqlDriver } from '@multidb/dialect/mysql';
import pg from 'pg';
import mysql from 'mysql2/promise';

const [which = 'all', TABLES = 1000, COLUMNS = 10, RUNS = 5] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a)));
const PG_URL = process.env.MULTIDB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_URL = process.env.MULTIDB_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

/** DDL of table i: id, parent (FK), code (unique), c3…cN, a check and an index. */
function ddl(q, i, comments) {
  const cols = [`${q('id')} integer PRIMARY KEY`, `${q('parent')} integer`, `${q('code')} varchar(20) UNIQUE`];
  for (let c = 3; c < COLUMNS; c++) cols.push(`${q(`c${c}`)} ${c % 3 === 0 ? 'integer DEFAULT 0' : c % 3 === 1 ? 'varchar(40)' : 'numeric(10,2)'}`);
  const fk = i > 1 ? `, CONSTRAINT ${q(`fk_t${i}_parent`)} FOREIGN KEY (${q('parent')}) REFERENCES ${q(`t${i - 1}`)} (${q('id')})` : '';
  return [
    `CREATE TABLE ${q(`t${i}`)} (${cols.join(', ')}, CONSTRAINT ${q(`ck_t${i}`)} CHECK (${q('parent')} >= 0)${fk})`,
    `CREATE INDEX ${q(`ix_t${i}_c3`)} ON ${q(`t${i}`)} (${q('c3')})`,
    ...(comments ? [`COMMENT ON TABLE ${q(`t${i}`)} IS 'table ${i}'`] : []),
  ];
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(name, conn) {
  let count = 0;
  const execute = conn.execute;
  conn.execute = (s) => {
    count++;
    return execute.call(conn, s);
  };
  const whole = [];
  const one = [];
  let wholeCount = 0;
  let oneCount = 0;
  let tables = 0;
  for (let r = 0; r < RUNS; r++) {
    count = 0;
    let t0 = performance.now();
    const snapshot = await conn.introspect();
    whole.push(performance.now() - t0);
    wholeCount = count;
    tables = snapshot.tables.length;
    count = 0;
    t0 = performance.now();
    await conn.introspectTable(`t${Math.ceil(TABLES / 2)}`);
    one.push(performance.now() - t0);
    oneCount = count;
  }
  if (tables !== TABLES) throw new Error(`${name}: introspect() read ${tables} tables, expected ${TABLES}`);
  console.log(
    `${name}: ${TABLES} tables × ${COLUMNS} columns: introspect() median ${median(whole).toFixed(0)} ms (min ${Math.min(...whole).toFixed(0)}), ${wholeCount} statements; ` +
      `introspectTable() median ${median(one).toFixed(1)} ms, ${oneCount} statements (${RUNS} runs)`,
  );
}

async function runSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-bench-introspect-'));
  const conn = await sqliteDriver.connect({ bind: 'bench', url: 'sqlite:bench.db', baseDir: dir });
  const q = (n) => `"${n}"`;
  await conn.execute({ sql: 'BEGIN', parameters: [] });
  for (let i = 1; i <= TABLES; i++) for (const sql of ddl(q, i, false)) await conn.execute({ sql, parameters: [] });
  await conn.execute({ sql: 'COMMIT', parameters: [] });
  try {
    await measure('sqlite', conn);
  } finally {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres() {
  const name = `multidb_bench_introspect_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const conn = await postgresDriver.connect({ bind: 'bench', url: url.toString(), baseDir: '/' });
  try {
    const q = (n) => `"${n}"`;
    await conn.execute({ sql: 'BEGIN', parameters: [] });
    for (let i = 1; i <= TABLES; i++) for (const sql of ddl(q, i, true)) await conn.execute({ sql, parameters: [] });
    await conn.execute({ sql: 'COMMIT', parameters: [] });
    await measure('postgres', conn);
  } finally {
    await conn.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function runMysql() {
  const name = `multidb_bench_introspect_${process.pid}`;
  const u = new URL(MYSQL_URL);
  const admin = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  await admin.query(`CREATE DATABASE \`${name}\``);
  u.pathname = `/${name}`;
  const conn = await mysqlDriver.connect({ bind: 'bench', url: u.toString(), baseDir: '/' });
  try {
    const q = (n) => `\`${n}\``;
    for (let i = 1; i <= TABLES; i++) for (const sql of ddl(q, i, false)) await conn.execute({ sql, parameters: [] });
    await measure('mysql', conn);
  } finally {
    await conn.close();
    await admin.query(`DROP DATABASE \`${name}\``);
    await admin.end();
  }
}

if (which === 'sqlite' || which === 'all') await runSqlite();
if (which === 'postgres' || which === 'all') await runPostgres();
if (which === 'mysql' || which === 'all') await runMysql();
