// What a PostgreSQL round trip per revision is worth (issue #13): one pg client runs N
// transactions that each create a table and move a version row, five ways, alternating in 5
// rounds, and prints the median wall time and client CPU of each: 3 queries per revision
// (`BEGIN;<DDL>`, UPDATE $1 $2, COMMIT), 2 (`BEGIN;<DDL>`, `<guarded write>;COMMIT`, what the
// runner sent before the DDL was held back), 1 (everything in one string: what the runner sends
// now), 1 with multidb's exact texts (a named primary key, the guarded write's CASE: mode 'exact'),
// and the floor (the DDL alone, autocommit).
//   node tools/bench/pg-round-trips.cjs [postgres://postgres@127.0.0.1:5432/<an existing database>] [N=300]
// It creates and drops the schema `pgrt_bench` in that database. Run on demand; never in CI.
const { createRequire } = require('node:module');
const pg = createRequire(require('node:path').join(__dirname, '../../packages/dialect/package.json'))('pg');
const URL = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.argv[3] ?? 300);
async function run(mode, round) {
  const c = new pg.Client({ connectionString: URL });
  await c.connect();
  await c.query('DROP SCHEMA IF EXISTS pgrt_bench CASCADE; CREATE SCHEMA pgrt_bench; SET search_path TO pgrt_bench; CREATE TABLE v (version_num varchar(32) primary key); INSERT INTO v VALUES (\'r0\')');
  const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const ddl = `CREATE TABLE t${i} (id integer NOT NULL PRIMARY KEY, name varchar(50))`;
    const upd = `WITH u AS (UPDATE v SET version_num = E'r${i + 1}' WHERE version_num = E'r${i}' RETURNING 1) SELECT count(*) FROM u`;
    if (mode === 'exact') {
      const t = `t${String(i).padStart(5, '0')}`;
      const exactDdl = `CREATE TABLE "${t}" (\n  "id" integer NOT NULL CONSTRAINT "pk_${t}" PRIMARY KEY,\n  "name" varchar(50)\n)`;
      const exactUpd = `WITH u AS (UPDATE "v" SET "version_num" = E'r${i + 1}' WHERE "version_num" = E'r${i}' RETURNING 1) SELECT CASE WHEN c.n = 1 THEN c.n ELSE ('multidb: version table rows changed by the step: ' || c.n)::bigint END AS n FROM (SELECT count(*) AS n FROM u) c`;
      await c.query(`BEGIN;${exactDdl};${exactUpd};COMMIT`);
      continue;
    }
    if (mode === 3) { await c.query('BEGIN;' + ddl); await c.query('UPDATE v SET version_num = $1 WHERE version_num = $2', [`r${i + 1}`, `r${i}`]); await c.query('COMMIT'); }
    else if (mode === 2) { await c.query('BEGIN;' + ddl); await c.query(upd + ';COMMIT'); }
    else if (mode === 1) { await c.query('BEGIN;' + ddl + ';' + upd + ';COMMIT'); }
    else { await c.query(ddl); }
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6; const cpu = process.cpuUsage(c0);
  await c.query('DROP SCHEMA pgrt_bench CASCADE');
  await c.end();
  return { ms, cpu: (cpu.user + cpu.system) / 1000 };
}
(async () => {
  const modes = [3, 2, 1, 'exact', 0];
  const res = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < 5; r++) for (const m of modes) res[m].push(await run(m, r));
  const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  for (const m of modes) console.log(m === 0 ? 'floor (autocommit DDL)' : m === 'exact' ? "1 trip/rev, multidb's exact texts" : `${m} trips/rev`, 'median ms', med(res[m].map((x) => x.ms)).toFixed(0), 'client CPU ms', med(res[m].map((x) => x.cpu)).toFixed(0));
})();
