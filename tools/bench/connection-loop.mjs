#!/usr/bin/env node
// Client CPU of a server dialect's connection per revision, without core (issue #13, P3): each
// measurement is a fresh node process (V8 flags as `migrate` sets them: code that runs a few
// thousand times is still being tiered up, as in a real run) that runs N table-creating
// revisions on one connection and prints its CPU time (user + sys) and wall time for the loop.
//   node tools/bench/connection-loop.mjs URL [N=500] [ROUNDS=3] [--light] BUILD... [--raw]
// URL: an existing database, postgres://… or mariadb://… (its schema `connloop` / its tables
// are dropped and made again). BUILD: a folder holding packages/dialect/dist (the worktree, or a
// snapshot such as .bench-baseline); `--raw` adds the same statements sent straight through the
// driver (pg / mysql2), the floor of the connection layers. The ways alternate in each round.
// What a revision sends:
// - PostgreSQL: `begin()`, `executeLater(CREATE TABLE …)`, `commitVersionUpdate()` (one query:
//   BEGIN;<DDL>;<guarded write>;COMMIT); the session sets `synchronous_commit = off` so that the
//   server's log flushes do not swamp the client's CPU.
// - MariaDB: `execute(CREATE TABLE …)` then `commitVersionUpdateAndClear()` with a next header
//   (the compound statement); `--light` sends `SELECT ?` instead of the CREATE TABLE (no DDL
//   commit: the client's work without the server's fsync waits).
// Run on demand; never in CI. It times only the loop, not connecting.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const V8_FLAGS = ['--interrupt-budget=675840', '--semi-space-growth-factor=1'];

if (process.argv[2] === '--child') {
  const [, , , way, url, n, light] = process.argv;
  console.log(JSON.stringify(await child(way, url, Number(n), light === '1')));
} else {
  const args = process.argv.slice(2);
  const light = args.includes('--light');
  const raw = args.includes('--raw');
  const rest = args.filter((a) => !a.startsWith('--'));
  const [url, ...others] = rest;
  const numbers = others.filter((a) => /^\d+$/.test(a));
  const builds = others.filter((a) => !/^\d+$/.test(a)).map((b) => resolve(b));
  const n = Number(numbers[0] ?? 500);
  const rounds = Number(numbers[1] ?? 3);
  if (!url || builds.length === 0) throw new Error('usage: connection-loop.mjs URL [N] [ROUNDS] [--light] BUILD... [--raw]');
  const ways = [...builds, ...(raw ? ['raw'] : [])];
  const results = new Map(ways.map((w) => [w, []]));
  for (let r = 0; r < rounds; r++) {
    for (const way of ways) {
      const out = spawnSync(process.execPath, [...V8_FLAGS, here, '--child', way, url, String(n), light ? '1' : '0'], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${way}: ${out.stderr}`);
      const m = JSON.parse(out.stdout.trim().split('\n').pop());
      results.get(way).push(m);
      console.log(`round ${r + 1} ${way}: CPU ${m.cpu.toFixed(0)} ms, wall ${m.wall.toFixed(0)} ms`);
    }
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  for (const [way, ms] of results) {
    console.log(`${way}: median CPU ${median(ms.map((m) => m.cpu)).toFixed(0)} ms (${ms.map((m) => m.cpu.toFixed(0)).join(', ')}), median wall ${median(ms.map((m) => m.wall)).toFixed(0)} ms, ${n} revisions`);
  }
}

async function child(way, url, n, light) {
  const postgres = /^postgres(ql)?:/.test(url);
  const ddl = (i) => (postgres ? `CREATE TABLE "t${i}" (\n  "id" integer NOT NULL CONSTRAINT "pk_t${i}" PRIMARY KEY,\n  "name" varchar(50)\n)` : `CREATE TABLE \`t${i}\` (\n  \`id\` int NOT NULL PRIMARY KEY,\n  \`name\` varchar(50)\n)`);
  const measure = async (loop) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await loop();
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
  };
  const require = createRequire(resolve(here, '../../../packages/dialect/package.json'));
  if (postgres) {
    const setup = ['SET synchronous_commit = off', 'DROP SCHEMA IF EXISTS connloop CASCADE', 'CREATE SCHEMA connloop', 'SET search_path TO connloop', 'CREATE TABLE v (version_num varchar(32) NOT NULL PRIMARY KEY)', "INSERT INTO v VALUES ('r0')"];
    if (way === 'raw') {
      const pg = require('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const s of setup) await client.query(s);
      const write = (i) =>
        `WITH u AS (UPDATE "v" SET "version_num" = E'r${i + 1}' WHERE "version_num" = E'r${i}' RETURNING 1) ` +
        `SELECT CASE WHEN c.n = 1 THEN c.n ELSE ('multidb: version table rows changed by the step: ' || c.n)::bigint END AS n FROM (SELECT count(*) AS n FROM u) c`;
      const m = await measure(async () => {
        for (let i = 0; i < n; i++) await client.query(`BEGIN;${ddl(i)};${write(i)};COMMIT`);
      });
      await client.query('DROP SCHEMA connloop CASCADE');
      await client.end();
      return m;
    }
    const { postgresDriver } = await import(pathToFileURL(`${way}/packages/dialect/dist/bundle/postgres/index.js`).href);
    const conn = await postgresDriver.connect({ bind: 'main', url, baseDir: '/' });
    for (const s of setup) await conn.execute({ sql: s, parameters: [] });
    const m = await measure(async () => {
      for (let i = 0; i < n; i++) {
        await conn.begin();
        await conn.executeLater({ sql: ddl(i), parameters: [] }, () => undefined);
        if (!(await conn.commitVersionUpdate({ name: 'v' }, `r${i}`, `r${i + 1}`))) throw new Error('version conflict');
      }
    });
    await conn.execute({ sql: 'DROP SCHEMA connloop CASCADE', parameters: [] });
    await conn.close();
    return m;
  }
  const first = (i) => (light ? { sql: 'SELECT ? AS a', parameters: [`x${i}`] } : { sql: ddl(i), parameters: [] });
  const next = (i) => ({ sql: 'INSERT INTO `p` (`revision`) VALUES (?)', parameters: [`n${i}`] });
  if (way === 'raw') {
    const mysql = require('mysql2');
    const u = new URL(url);
    const raw = mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), ...(u.password ? { password: decodeURIComponent(u.password) } : {}), database: u.pathname.slice(1) });
    const q = (sql, parameters = []) => new Promise((ok, fail) => raw.query(sql, parameters, (e, r) => (e ? fail(e) : ok(r))));
    await resetMysql(q);
    const m = await measure(async () => {
      for (let i = 0; i < n; i++) {
        const f = first(i);
        await q(f.sql, f.parameters);
        const x = next(i);
        await q(
          "BEGIN NOT ATOMIC START TRANSACTION; UPDATE `v` SET `version_num` = ? WHERE `version_num` = ?; IF ROW_COUNT() <> 1 THEN ROLLBACK; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'multidb: version table conflict'; END IF; DELETE FROM `p`; " +
            `${x.sql}; COMMIT; END`,
          [`r${i + 1}`, `r${i}`, ...x.parameters],
        );
      }
    });
    raw.end();
    return m;
  }
  const { mysqlDriver } = await import(pathToFileURL(`${way}/packages/dialect/dist/bundle/mysql/index.js`).href);
  const conn = await mysqlDriver.connect({ bind: 'main', url, baseDir: '/' });
  await resetMysql((sql) => conn.execute({ sql, parameters: [] }));
  const m = await measure(async () => {
    for (let i = 0; i < n; i++) {
      await conn.execute(first(i));
      if (!(await conn.commitVersionUpdateAndClear({ name: 'v' }, `r${i}`, `r${i + 1}`, { name: 'p' }, next(i)))) throw new Error('version conflict');
    }
  });
  await conn.close();
  return m;
}

async function resetMysql(run) {
  for (const row of await run('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')) await run(`DROP TABLE \`${row.t}\``);
  await run('CREATE TABLE `v` (`version_num` varchar(32) NOT NULL PRIMARY KEY)');
  await run("INSERT INTO `v` VALUES ('r0')");
  await run('CREATE TABLE `p` (`revision` varchar(32))');
}
