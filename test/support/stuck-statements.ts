// Statements that stay on a database server until they are cancelled, and how to see them there:
// the gate of the tests of what a second Ctrl-C (CLI) or ctrl+c (TUI) does to a statement in progress.
import mysql from 'mysql2/promise';
import pg from 'pg';
import { dialectOf, mysqlOptions, queryUrl } from './servers.js';

/**
 * A statement that stays on the server long after the process ended, unless it is cancelled, and
 * how to find a session running it. PostgreSQL: `pg_sleep(30)`. MariaDB: a row lock wait (`FOR
 * UPDATE` of a row the test holds; InnoDB waits `innodb_lock_wait_timeout`, 50 s): MariaDB's own
 * `SLEEP()` notices a closed connection within 5 s, so it could not tell a cancelled statement
 * from one left running without a timed assertion.
 */
export const STUCK = {
  postgres: {
    sql: 'SELECT pg_sleep(30)',
    running: (db: string) =>
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${db}' AND state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`,
  },
  mysql: {
    sql: 'SELECT id FROM held WHERE id = 1 FOR UPDATE',
    running: (db: string) => `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = '${db}' AND INFO LIKE '%FROM held WHERE id = 1 FOR UPDATE%' AND ID <> CONNECTION_ID()`,
  },
} as const;

/** How many sessions of the URL's database are running the statement now. */
export async function stuck(kind: 'postgres' | 'mysql', url: string): Promise<number> {
  return Number((await queryUrl<{ n: unknown }>(url, STUCK[kind].running(new URL(url).pathname.slice(1))))[0]!.n);
}

/** Polls `check` until it is true; fails once `deadlineMs` passed (what it waits for takes 30 s or more otherwise). */
export async function within(deadlineMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not true after ${deadlineMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Holds row 1 of table `held` (created in the URL's database; FOR UPDATE, in an open transaction)
 * until the returned function is called: a statement `SELECT id FROM held WHERE id = 1 FOR UPDATE`
 * of another session runs (waits) until then. MariaDB or PostgreSQL, by the URL.
 */
export async function holdRow(url: string): Promise<() => Promise<void>> {
  if (dialectOf(url) === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('CREATE TABLE held (id int PRIMARY KEY)');
    await client.query('INSERT INTO held VALUES (1)');
    await client.query('BEGIN');
    await client.query('SELECT id FROM held WHERE id = 1 FOR UPDATE');
    return async () => {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    };
  }
  const conn = await mysql.createConnection(mysqlOptions(url));
  conn.on('error', () => undefined);
  await conn.query('CREATE TABLE held (id int PRIMARY KEY)');
  await conn.query('INSERT INTO held VALUES (1)');
  await conn.query('BEGIN');
  await conn.query('SELECT id FROM held WHERE id = 1 FOR UPDATE');
  return async () => {
    await conn.query('ROLLBACK').catch(() => undefined);
    await conn.end().catch(() => undefined);
  };
}
