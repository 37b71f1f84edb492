// The database servers of the end-to-end dialect tests (test/dialects/): a fresh database per test
// file on PostgreSQL and on MariaDB/MySQL, dropped after the file; login roles made for a test;
// and one query helper that speaks to a bind's database whatever its dialect (SQLite included),
// each call on a connection of its own, closed after use.
//
// Server URLs: MULTIDB_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
// MULTIDB_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/). A server that cannot be reached
// skips its tests locally (the reason is in the suite's title) and fails them under CI=true.
import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** A server kind the tests use. */
export type ServerKind = 'postgres' | 'mysql';

/** The PostgreSQL server: its URL names an admin database the role can connect to. */
export const POSTGRES_URL = process.env.MULTIDB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The MySQL/MariaDB server (a server URL; the path is ignored). */
export const MYSQL_URL = process.env.MULTIDB_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

/** Whether this is a CI run: a test that cannot reach its server then fails instead of skipping. */
export const UNDER_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

const CONNECT_TIMEOUT_MS = 5_000;

/** A URL with its password replaced (these helpers must not print one either). */
function masked(url: string): string {
  return url.replace(/(\/\/[^:/?#\s]*):([^/?#\s]*)@/, '$1:***@');
}

// ---------------------------------------------------------------------------------------------
// Raw connections

function pgClient(url: string): pg.Client {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined); // a server-side termination must not crash the test run
  return client;
}

/** Runs `fn` on a new pg client of `url` (default: the admin database) and closes it. */
export async function withPostgres<T>(fn: (client: pg.Client) => Promise<T>, url = POSTGRES_URL): Promise<T> {
  const client = pgClient(url);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** mysql2 options of a `mysql://`/`mariadb://` URL (its path, when given, is the database). */
export function mysqlOptions(url = MYSQL_URL): mysql.ConnectionOptions {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 3306,
    user: u.username ? decodeURIComponent(u.username) : 'root',
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { database: db } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
  };
}

/**
 * Runs `fn` on a new mysql2 connection (default: the test server) and closes it. The session has
 * `ANSI_QUOTES`, so the tests' SQL quotes identifiers with `"` on every dialect.
 */
export async function withMysql<T>(fn: (conn: mysql.Connection) => Promise<T>, url = MYSQL_URL): Promise<T> {
  const conn = await mysql.createConnection(mysqlOptions(url));
  conn.on('error', () => undefined);
  try {
    await conn.query(`SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')`);
    return await fn(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Reachability: probed once per test file, at import

async function probe(kind: ServerKind): Promise<string | undefined> {
  try {
    if (kind === 'postgres') await withPostgres((c) => c.query('SELECT 1'));
    else await withMysql((c) => c.query('SELECT 1'));
    return undefined;
  } catch (error) {
    const [name, url, env] =
      kind === 'postgres' ? ['PostgreSQL', POSTGRES_URL, 'MULTIDB_TEST_POSTGRES_URL'] : ['MariaDB/MySQL', MYSQL_URL, 'MULTIDB_TEST_MYSQL_URL'];
    return `${name} at ${masked(url)} cannot be reached (${(error as Error).message || String(error)}); set ${env}`;
  }
}

const [pgReason, mysqlReason] = await Promise.all([probe('postgres'), probe('mysql')]);

/** Why each server cannot be used; `undefined` when it answers. */
export const unavailable: Readonly<Record<ServerKind, string | undefined>> = { postgres: pgReason, mysql: mysqlReason };

/**
 * `describe` for tests that need servers. When one of `kinds` cannot be reached, the suite is
 * skipped with the reason in its title, except under `CI=true`, where it fails instead.
 */
export function describeWithServers(name: string, kinds: readonly ServerKind[], fn: () => void): void {
  const reasons = kinds.map((k) => unavailable[k]).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) {
    describe(name, fn);
    return;
  }
  const reason = reasons.join('; ');
  if (UNDER_CI) {
    describe(name, () => {
      it('reaches its database servers (CI=true: a test that cannot reach its server fails)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`skipping '${name}': ${reason}`);
  describe.skip(`${name} (skipped: ${reason})`, fn);
}

// ---------------------------------------------------------------------------------------------
// Databases per test file

/** A database made for one test file. */
export interface ServerDatabase {
  readonly kind: ServerKind;
  /** `multidb_e2e_<file>_<random>`. */
  readonly name: string;
  /** The server URL with this database as its path (same scheme, user and password). */
  readonly url: string;
  /** Ends its sessions and drops it. */
  drop(): Promise<void>;
}

/** Where the URL of `kind`'s server points, with `database` as its path. */
function databaseUrl(kind: ServerKind, database: string): string {
  const u = new URL(kind === 'postgres' ? POSTGRES_URL : MYSQL_URL);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * Creates a fresh database `multidb_e2e_<file>_<random hex>` on a server.
 * @param file - a short name of the test file (letters, digits, `_`).
 */
export async function createDatabase(kind: ServerKind, file: string): Promise<ServerDatabase> {
  const name = `multidb_e2e_${file.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  if (kind === 'postgres') await withPostgres((c) => c.query(`CREATE DATABASE "${name}"`));
  else await withMysql((c) => c.query(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb4`));
  return { kind, name, url: databaseUrl(kind, name), drop: () => dropDatabase(kind, name) };
}

/** Drops a database, first ending every session on it (a killed `migrate` may leave one behind). */
export async function dropDatabase(kind: ServerKind, name: string): Promise<void> {
  if (kind === 'postgres') {
    await withPostgres(async (c) => {
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await c.query(`DROP DATABASE IF EXISTS "${name}"`);
    });
  } else {
    await withMysql(async (c) => {
      const [rows] = await c.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [name]);
      for (const { id } of rows as { id: number }[]) await c.query(`KILL ${Number(id)}`).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    });
  }
}

/**
 * Creates databases for the calling test file before its tests and drops them after; call it
 * inside a {@link describeWithServers} block. Each entry of `spec` names a database's kind.
 * The returned object's properties are valid once `beforeAll` ran (inside tests and hooks).
 * @example
 * ```ts
 * const dbs = useDatabases('chinook', { sales: 'postgres', sales3: 'mysql' });
 * it('…', () => console.log(dbs.sales.url));
 * ```
 */
export function useDatabases<K extends string>(file: string, spec: Readonly<Record<K, ServerKind>>): Readonly<Record<K, ServerDatabase>> {
  const made = new Map<K, ServerDatabase>();
  beforeAll(async () => {
    const entries = Object.entries(spec) as [K, ServerKind][];
    const created = await Promise.allSettled(entries.map(([, kind]) => createDatabase(kind, file)));
    created.forEach((r, i) => r.status === 'fulfilled' && made.set(entries[i]![0], r.value));
    const failed = created.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  afterAll(async () => {
    const all = [...made.values()];
    made.clear();
    const dropped = await Promise.allSettled(all.map((d) => d.drop()));
    const failed = dropped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  const out = {} as Record<K, ServerDatabase>;
  for (const key of Object.keys(spec) as K[]) {
    Object.defineProperty(out, key, {
      enumerable: true,
      get() {
        const db = made.get(key);
        if (!db) throw new Error(`The ${key} test database is not created yet (use it inside a test or hook).`);
        return db;
      },
    });
  }
  return out;
}

/** A login made for a test: a PostgreSQL role or a MariaDB/MySQL user with a password. */
export interface LoginRole {
  readonly user: string;
  readonly password: string;
  /** The database URL with this user and `password` (default: the right one). */
  url(password?: string): string;
  /** Drops the role or user. */
  drop(): Promise<void>;
}

/**
 * Creates a login `multidb_e2e_app_<random>` with a random password and access to `db`.
 */
export async function createLoginRole(db: ServerDatabase): Promise<LoginRole> {
  const user = `multidb_e2e_app_${randomBytes(3).toString('hex')}`;
  const password = `pw_${randomBytes(6).toString('hex')}`;
  if (db.kind === 'postgres') {
    await withPostgres(async (c) => {
      await c.query(`CREATE ROLE "${user}" LOGIN PASSWORD '${password}'`);
      await c.query(`GRANT ALL ON DATABASE "${db.name}" TO "${user}"`);
    });
  } else {
    await withMysql(async (c) => {
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await c.query(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'%'`);
    });
  }
  return {
    user,
    password,
    url(pw = password) {
      const u = new URL(db.url);
      u.username = user;
      u.password = pw;
      return u.toString();
    },
    async drop() {
      if (db.kind === 'postgres') {
        await withPostgres(async (c) => {
          await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [user]);
          await c.query(`REVOKE ALL ON DATABASE "${db.name}" FROM "${user}"`).catch(() => undefined);
          await c.query(`DROP ROLE IF EXISTS "${user}"`);
        });
      } else {
        await withMysql((c) => c.query(`DROP USER IF EXISTS '${user}'@'%'`));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Queries on a bind's database, whatever its dialect

/** The dialect of a bind URL. */
export function dialectOf(url: string): 'sqlite' | 'postgres' | 'mysql' {
  if (/^sqlite:/i.test(url)) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql';
  throw new Error(`not a database URL: ${masked(url)}`);
}

/** A SQLite URL's file (`sqlite:rel.db` relative to `baseDir`, `sqlite:///abs.db`). */
export function sqliteFile(url: string, baseDir = process.cwd()): string {
  const rest = url.replace(/^sqlite:/i, '');
  if (rest.startsWith('//')) return rest.replace(/^\/\//, '');
  return isAbsolute(rest) ? rest : resolve(baseDir, rest);
}

/** Options of the query helpers. */
export interface QueryOptions {
  /** Folder that relative SQLite URLs are relative to (the project's). */
  readonly baseDir?: string;
  /** Open a SQLite file read-write (e.g. so a killed writer's hot journal can be rolled back). */
  readonly write?: boolean;
}

/**
 * Runs one SQL statement on the database of a bind URL, on a connection of its own, and returns
 * the rows. Quote identifiers with `"` on every dialect (MySQL sessions use ANSI_QUOTES); pass
 * parameters as `?` (SQLite, MySQL) or `$1` (PostgreSQL). SQLite files open read-only unless
 * `write` is set; relative SQLite URLs resolve against `baseDir`.
 */
export async function queryUrl<T = Record<string, unknown>>(url: string, sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<T[]> {
  switch (dialectOf(url)) {
    case 'sqlite': {
      const db = new Database(sqliteFile(url, options.baseDir), { readonly: !options.write, fileMustExist: true });
      try {
        const stmt = db.prepare(sql);
        return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
      } finally {
        db.close();
      }
    }
    case 'postgres':
      return withPostgres(async (c) => (await c.query(sql, [...params])).rows as T[], url);
    case 'mysql':
      return withMysql(async (c) => {
        const [rows] = await c.query(sql, [...params]);
        return (Array.isArray(rows) ? rows : []) as T[];
      }, url);
  }
}

/** The first column of the first row, as a number (counts and sums differ in type per driver). */
export async function scalarUrl(url: string, sql: string, options: QueryOptions = {}): Promise<number | null> {
  const rows = await queryUrl(url, sql, [], options);
  const value = rows[0] ? Object.values(rows[0])[0] : undefined;
  return value === null || value === undefined ? null : Number(value);
}

/** The user tables of a bind's database (its default schema), sorted. */
export async function tablesAt(url: string, options: QueryOptions = {}): Promise<string[]> {
  const sql = {
    sqlite: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
    postgres: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    mysql: `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'`,
  }[dialectOf(url)];
  try {
    return (await queryUrl<{ name: string }>(url, sql, [], options)).map((r) => r.name).sort();
  } catch (error) {
    if (dialectOf(url) === 'sqlite' && /unable to open|does not exist/i.test((error as Error).message)) return [];
    throw error;
  }
}

/** The columns of a table of a bind's database, in order. */
export async function columnsAt(url: string, table: string, options: QueryOptions = {}): Promise<string[]> {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    return (await queryUrl<{ name: string }>(url, `SELECT name FROM pragma_table_info('${table.replace(/'/g, "''")}') ORDER BY cid`, [], options)).map(
      (r) => r.name,
    );
  }
  const sql =
    dialect === 'postgres'
      ? `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
      : `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`;
  return (await queryUrl<{ name: string }>(url, sql, [table], options)).map((r) => r.name);
}

/** The version-table rows of a bind's database, sorted; `[]` when there is no version table yet. */
export async function versionsAt(url: string, options: QueryOptions & { table?: string } = {}): Promise<string[]> {
  const table = options.table ?? 'multidb_version';
  if (!(await tablesAt(url, options)).includes(table)) return [];
  return (await queryUrl<{ v: string }>(url, `SELECT version_num AS v FROM "${table}" ORDER BY 1`, [], options)).map((r) => r.v);
}

/** A test that registers nothing: a case left out on this dialect. */
const notHere = (() => undefined) as unknown as typeof it;

/**
 * `it` for a case every dialect's suite shares, run on SQLite always and on the servers named:
 * a server runs the cases whose outcome rests on the database (a revision failing part way, which
 * MariaDB's progress header records; a held migration lock, each dialect's own; a signal during
 * a step, with a server statement in flight), while the cases that differ only in what core plans
 * (targets, retries, messages) run once, on SQLite, instead of costing a server run each in CI.
 *
 * @example
 * const on = onDialects(dialect);
 * on('postgres', 'mysql')(`${dialect}: a held lock`, async () => {});
 * on()(`${dialect}: the retry of +3`, async () => {}); // SQLite only
 */
export const onDialects =
  (dialect: 'sqlite' | ServerKind) =>
  (...servers: readonly ServerKind[]): typeof it =>
    dialect === 'sqlite' || servers.includes(dialect) ? it : notHere;
