// What a MariaDB/MySQL round trip and commit per revision are worth (issue #13, P3): one mysql2
// connection (multipleStatements on) runs N revisions that each create a table, in rounds that
// alternate the ways, and prints the median wall time and client CPU of each:
//   6 trips: INSERT progress, DDL, BEGIN, UPDATE version, DELETE progress, COMMIT (the runner before)
//   3 trips (compound): INSERT progress, DDL, one MariaDB compound statement (BEGIN NOT ATOMIC
//            START TRANSACTION; UPDATE version; IF ROW_COUNT() <> 1 … SIGNAL; DELETE progress; COMMIT; END)
//   2 trips (compound + ahead): DDL, one compound statement as above that also INSERTs the next
//            revision's progress header (the runner since the header is recorded ahead)
//   2 trips: `INSERT progress;DDL`, `BEGIN;UPDATE version;DELETE progress;COMMIT`
//   2 trips, no progress row: DDL, `BEGIN;UPDATE version;COMMIT`
//   1 trip:  `INSERT progress;DDL;BEGIN;UPDATE version;DELETE progress;COMMIT`
//   floor:   the DDL alone (autocommit)
//   node tools/bench/mysql-round-trips.cjs [mysql://root@127.0.0.1:3306/] [N=300] [ROUNDS=5]
// It creates and drops the database `mysqlrt_bench`. Run on demand; never in CI.
const { createRequire } = require('node:module');
const mysql = createRequire(require('node:path').join(__dirname, '../../packages/dialect/package.json'))('mysql2/promise');
const URL_ = new URL(process.argv[2] ?? 'mysql://root@127.0.0.1:3306/');
const N = Number(process.argv[3] ?? 300);
const ROUNDS = Number(process.argv[4] ?? 5);
const DB = 'mysqlrt_bench';
const PROGRESS = 'CREATE TABLE p (revision varchar(32) NOT NULL, step int NOT NULL, state varchar(8), hash varchar(64), PRIMARY KEY (revision, step))';
const ways = {
  '6 trips': async (c, i, ddl) => {
    await c.query('INSERT INTO p VALUES (?, 0, ?, ?), (?, 1, ?, ?)', [`r${i + 1}`, 'run', 'h'.repeat(64), `r${i + 1}`, 'pending', 'h'.repeat(64)]);
    await c.query(ddl);
    await c.query('BEGIN');
    await c.query('UPDATE v SET version_num = ? WHERE version_num = ?', [`r${i + 1}`, `r${i}`]);
    await c.query('DELETE FROM p');
    await c.query('COMMIT');
  },
  '2 trips': async (c, i, ddl) => {
    await c.query(`INSERT INTO p VALUES ('r${i + 1}', 0, 'run', '${'h'.repeat(64)}'), ('r${i + 1}', 1, 'pending', '${'h'.repeat(64)}');${ddl}`);
    await c.query(`BEGIN;UPDATE v SET version_num = 'r${i + 1}' WHERE version_num = 'r${i}';DELETE FROM p;COMMIT`);
  },
  '3 trips (compound)': async (c, i, ddl) => {
    await c.query('INSERT INTO p VALUES (?, 0, ?, ?), (?, 1, ?, ?)', [`r${i + 1}`, 'run', 'h'.repeat(64), `r${i + 1}`, 'pending', 'h'.repeat(64)]);
    await c.query(ddl);
    await c.query(`BEGIN NOT ATOMIC START TRANSACTION; UPDATE v SET version_num = 'r${i + 1}' WHERE version_num = 'r${i}'; IF ROW_COUNT() <> 1 THEN ROLLBACK; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'conflict'; END IF; DELETE FROM p; COMMIT; END`);
  },
  '2 trips (compound + ahead)': async (c, i, ddl) => {
    await c.query(ddl);
    await c.query(
      `BEGIN NOT ATOMIC START TRANSACTION; UPDATE v SET version_num = ? WHERE version_num = ?; IF ROW_COUNT() <> 1 THEN ROLLBACK; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'conflict'; END IF; DELETE FROM p; INSERT INTO p VALUES (?, 0, ?, ?); COMMIT; END`,
      [`r${i + 1}`, `r${i}`, `r${i + 2}`, 'ahead', 'h'.repeat(64)],
    );
  },
  '2 trips, no progress row': async (c, i, ddl) => {
    await c.query(ddl);
    await c.query(`BEGIN;UPDATE v SET version_num = 'r${i + 1}' WHERE version_num = 'r${i}';COMMIT`);
  },
  '1 trip': async (c, i, ddl) => {
    await c.query(`INSERT INTO p VALUES ('r${i + 1}', 0, 'run', '${'h'.repeat(64)}'), ('r${i + 1}', 1, 'pending', '${'h'.repeat(64)}');${ddl};BEGIN;UPDATE v SET version_num = 'r${i + 1}' WHERE version_num = 'r${i}';DELETE FROM p;COMMIT`);
  },
  floor: async (c, i, ddl) => {
    await c.query(ddl);
  },
};
async function run(way) {
  const c = await mysql.createConnection({ host: URL_.hostname, port: Number(URL_.port || 3306), user: decodeURIComponent(URL_.username || 'root'), ...(URL_.password ? { password: decodeURIComponent(URL_.password) } : {}), multipleStatements: true });
  await c.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}; USE ${DB}; CREATE TABLE v (version_num varchar(32) PRIMARY KEY); INSERT INTO v VALUES ('r0'); ${PROGRESS}`);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await ways[way](c, i, `CREATE TABLE t${i} (id int NOT NULL PRIMARY KEY, name varchar(50) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  const [[row]] = await c.query('SELECT version_num FROM v');
  if (way !== 'floor' && row.version_num !== `r${N}`) throw new Error(`${way}: version ${row.version_num}`);
  await c.query(`DROP DATABASE ${DB}`);
  await c.end();
  return { ms, cpu: (cpu.user + cpu.system) / 1000 };
}
(async () => {
  const names = Object.keys(ways);
  const res = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = names.slice(r % names.length).concat(names.slice(0, r % names.length));
    for (const n of order) res[n].push(await run(n));
  }
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  for (const n of names) console.log(`${n.padEnd(26)} median ${med(res[n].map((x) => x.ms)).toFixed(0).padStart(6)} ms (${res[n].map((x) => x.ms.toFixed(0)).join(' ')}), client CPU ${med(res[n].map((x) => x.cpu)).toFixed(0)} ms`);
})().catch((e) => { console.error(e); process.exit(1); });
