import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskUrl, type DialectConnection, type Statement } from '@multidb/core';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { postgresDriver } from '../../src/postgres/postgres-driver.js';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';
import { createTestDatabase as createMysqlDatabase, mysqlUnavailable } from './mysql-database.js';
import { createTestDatabase as createPostgresDatabase, POSTGRES_TEST_URL } from './postgres-database.js';

/** The dialects a feature file loops over (`mysql` is whichever server the MySQL URL reaches: MariaDB here). */
export type TestDialect = 'sqlite' | 'postgres' | 'mysql';

/** Every dialect, in the order files loop over them. */
export const TEST_DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres', 'mysql'];

const underCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${maskUrl(POSTGRES_TEST_URL)} cannot be reached (${(error as Error).message}); set MULTIDB_TEST_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why each server cannot be used (`undefined`: it answers). Checked once per test worker (its test files share this module). */
const unavailable: Readonly<Record<TestDialect, string | undefined>> = {
  sqlite: undefined,
  postgres: await postgresUnavailable(),
  // Under CI=true this throws when the server cannot be reached: the file fails, never skips.
  mysql: await mysqlUnavailable(),
};

/** One dialect's databases for a test file. */
export interface DialectDatabases {
  readonly dialect: TestDialect;
  /**
   * A new, empty database (a SQLite file, a PostgreSQL or MySQL database) and a connection to it.
   * Both are closed and dropped after the file's tests.
   */
  fresh(): Promise<DialectConnection>;
}

/**
 * `describe` once per dialect (`<title> [sqlite]`, `[postgres]`, `[mysql]`), each with a
 * {@link DialectDatabases} that makes fresh databases on that dialect. A server that cannot be
 * reached skips its block locally, with the reason in the title; under `CI=true` the block fails.
 *
 * @param title - the feature.
 * @param prefix - part of the databases' names (letters, digits, `_`).
 * @param fn - the block's tests.
 * @param dialects - the dialects to loop over (default: all three).
 */
export function describeEachDialect(title: string, prefix: string, fn: (db: DialectDatabases) => void, dialects: readonly TestDialect[] = TEST_DIALECTS): void {
  for (const dialect of dialects) {
    const name = `${title} [${dialect}]`;
    const reason = unavailable[dialect];
    if (reason && underCi) {
      describe(name, () => {
        it('reaches the server', () => {
          throw new Error(reason);
        });
      });
    } else if (reason) {
      describe.skip(`${name} (skipped: ${reason})`, () => fn(databases(dialect, prefix)));
    } else {
      describe(name, () => fn(databases(dialect, prefix)));
    }
  }
}

function databases(dialect: TestDialect, prefix: string): DialectDatabases {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  return {
    dialect,
    async fresh() {
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), `multidb-${prefix}-`));
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
        const conn = await sqliteDriver.connect({ bind: 'test', url: 'sqlite:test.db', baseDir: dir });
        cleanups.push(() => conn.close());
        return conn;
      }
      const db = dialect === 'postgres' ? await createPostgresDatabase(prefix) : await createMysqlDatabase(prefix);
      cleanups.push(() => db.drop());
      const driver = dialect === 'postgres' ? postgresDriver : mysqlDriver;
      const conn = await driver.connect({ bind: 'test', url: db.url, baseDir: '/' });
      cleanups.push(() => conn.close());
      return conn;
    },
  };
}

/**
 * Counts the statements a connection runs while `fn` runs (through the connection's own
 * `execute`, which its introspection uses), and returns `fn`'s result with the count.
 * @example
 * ```ts
 * const { count } = await countStatements(conn, () => conn.introspect());
 * ```
 */
export async function countStatements<T>(conn: DialectConnection, fn: () => Promise<T>): Promise<{ result: T; count: number; statements: Statement[] }> {
  const statements: Statement[] = [];
  const original = conn.execute;
  const target = conn as { execute: DialectConnection['execute'] };
  target.execute = (statement: Statement) => {
    statements.push(statement);
    return original.call(conn, statement);
  };
  try {
    const result = await fn();
    return { result, count: statements.length, statements };
  } finally {
    delete (target as { execute?: unknown }).execute;
  }
}

/** Picks the value for a dialect. */
export function per<T>(dialect: TestDialect, values: Readonly<Record<TestDialect, T>>): T {
  return values[dialect];
}
