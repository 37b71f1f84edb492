import { randomBytes } from 'node:crypto';
import { maskUrl } from '@multidb/core';
import mysql from 'mysql2/promise';

/**
 * The MySQL/MariaDB server the tests use: `MULTIDB_TEST_MYSQL_URL`, default
 * `mysql://root@127.0.0.1:3306/` (a server URL; each test file gets a database of its own).
 */
export const MYSQL_TEST_URL = process.env.MULTIDB_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

/** A database made for one test file. */
export interface TestDatabase {
  /** Its name, `multidb_<prefix>_<random>`. */
  readonly name: string;
  /** The server URL with the database as its path (same scheme, user and password). */
  readonly url: string;
  /** Drops the database. */
  drop(): Promise<void>;
}

/** Connection options of the server URL (no database). */
export function serverOptions(url = MYSQL_TEST_URL): mysql.ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 3306,
    user: u.username ? decodeURIComponent(u.username) : 'root',
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    connectTimeout: 5_000,
  };
}

/** Opens a mysql2 (promise) connection to the server, without a database. Close it with `end()`. */
export function serverConnection(url = MYSQL_TEST_URL): Promise<mysql.Connection> {
  return mysql.createConnection(serverOptions(url));
}

/** The URL of a database on the test server. */
export function databaseUrl(name: string, url = MYSQL_TEST_URL): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

let probe: Promise<string | undefined> | undefined;

/** Why the server cannot be used, or `undefined` when it answers (probed once per test worker: its test files share this module). */
export function mysqlUnavailable(): Promise<string | undefined> {
  probe ??= serverConnection()
    .then(async (c) => {
      await c.end();
      return undefined;
    })
    .catch((error: unknown) => `MariaDB/MySQL at ${maskUrl(MYSQL_TEST_URL)} is unreachable (${(error as Error).message}); set MULTIDB_TEST_MYSQL_URL`);
  return probe;
}

/**
 * Creates a fresh database `multidb_<prefix>_<random>` on the test server.
 * @param prefix - a short name of the test file (letters, digits, `_`).
 * @returns its name, URL and `drop()`.
 * @example
 * ```ts
 * const db = await createTestDatabase('lock_other');
 * try { … } finally { await db.drop(); }
 * ```
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `multidb_${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await serverConnection();
  try {
    await admin.query(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb4`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      const c = await serverConnection();
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
