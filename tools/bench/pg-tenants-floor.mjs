#!/usr/bin/env node
// The floor of P6's PostgreSQL tenants: one node + pg process that, for each database in turn,
// connects, creates N tables (the P6 revisions' DDL, autocommit: one commit each) and ends.
// No migration tool, no version table, no lock. Usage:
//   node tools/bench/pg-tenants-floor.mjs [--tables 20] [--ahead] [--no-wait-end] URL...
// --ahead: connect to the next database while the current one runs (at most one connection
//   being set up ahead); --no-wait-end: do not wait for a client's end before the next database
//   (all ends are awaited before exit). Preload ./time-statements.cjs for the per-step times.
// Prints the wall time and the process's CPU time (user + system) to stdout.
import pg from 'pg';

const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); if (i < 0) return false; args.splice(i, 1); return true; };
const option = (name, fallback) => { const i = args.indexOf(name); if (i < 0) return fallback; const v = args[i + 1]; args.splice(i, 2); return v; };
const tables = Number(option('--tables', '20'));
const ahead = flag('--ahead');
const noWaitEnd = flag('--no-wait-end');
const urls = args;
if (urls.length === 0) throw new Error('pg-tenants-floor.mjs: give the databases\' URLs');

const ddl = (i) => `CREATE TABLE "t${String(i).padStart(5, '0')}" (\n  "id" integer NOT NULL CONSTRAINT "pk_t${String(i).padStart(5, '0')}" PRIMARY KEY,\n  "name" varchar(50)\n)`;
const open = async (url) => { const c = new pg.Client({ connectionString: url }); await c.connect(); return c; };

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const ends = [];
let next = ahead ? open(urls[0]) : undefined;
for (let i = 0; i < urls.length; i++) {
  const client = ahead ? await next : await open(urls[i]);
  if (ahead && i + 1 < urls.length) next = open(urls[i + 1]);
  for (let t = 0; t < tables; t++) await client.query(ddl(t));
  const ended = client.end();
  if (noWaitEnd) ends.push(ended); else await ended;
}
await Promise.all(ends);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${urls.length} databases × ${tables} tables: ${(performance.now() - t0).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU${ahead ? ' (connect ahead)' : ''}${noWaitEnd ? ' (ends not awaited)' : ''}\n`);
