#!/usr/bin/env node
// The floor of a workload: the same statements sent straight through the driver, no migration
// tool. Usage: node tools/bench/floor.mjs <sqlite|postgres|mysql> <url-or-file> <file-of-statements> [--journal MODE]
// (`--journal persist`: SQLite only, the connection's `journal_mode` set first, as multidb's run
// connection sets it on a database in the default `delete` mode).
// The statements file holds JSON: an array of transactions, each an array of SQL strings; each
// transaction runs as BEGIN … COMMIT (one statement alone runs in autocommit: one commit each).
import { readFileSync } from 'node:fs';

const [kind, target, file, flag, journal] = process.argv.slice(2);
if (flag !== undefined && (flag !== '--journal' || kind !== 'sqlite' || !journal)) throw new Error(`floor.mjs: unknown arguments '${process.argv.slice(5).join(' ')}' (only '--journal MODE', for sqlite)`);
const transactions = JSON.parse(readFileSync(file, 'utf8'));

if (kind === 'sqlite') {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(target);
  if (journal) db.pragma(`journal_mode = ${journal}`);
  for (const tx of transactions) {
    if (tx.length === 1) db.exec(tx[0]);
    else db.transaction(() => { for (const s of tx) db.exec(s); })();
  }
  db.close();
} else if (kind === 'postgres') {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  for (const tx of transactions) {
    if (tx.length > 1) await client.query('BEGIN');
    for (const s of tx) await client.query(s);
    if (tx.length > 1) await client.query('COMMIT');
  }
  await client.end();
} else if (kind === 'mysql') {
  const { default: mysql } = await import('mysql2/promise');
  const u = new URL(target);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), ...(u.password ? { password: decodeURIComponent(u.password) } : {}), database: u.pathname.slice(1) });
  for (const tx of transactions) {
    if (tx.length > 1) await conn.query('BEGIN');
    for (const s of tx) await conn.query(s);
    if (tx.length > 1) await conn.query('COMMIT');
  }
  await conn.end();
} else {
  throw new Error(`floor.mjs: unknown kind '${kind}' (sqlite, postgres or mysql)`);
}
