import { randomBytes } from 'node:crypto';
import { maskUrl } from '@multidb/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

/**
 * The PostgreSQL server the tests use: `MULTIDB_TEST_POSTGRES_URL`, default
 * `postgres://postgres@127.0.0.1:5432/postgres`. The role must be allowed to create databases
 * and roles. Each test file makes its own database and drops it after.
 */
export const POSTGRES_TEST_URL = process.env.MULTIDB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const underCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Runs `fn` with a short-lived client on the server's admin database. */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>, url = POSTGRES_TEST_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why the server cannot be used, or `undefined` when it answers. Checked once per test file. */
const unavailable: string | undefined = await withAdminClient((c) => c.query('SELECT 1')).then(
  () => undefined,
  (error: unknown) => `PostgreSQL at ${maskUrl(POSTGRES_TEST_URL)} cannot be reached (${(error as Error).message}); set MULTIDB_TEST_POSTGRES_URL`,
);

/**
 * `describe` for tests that need the PostgreSQL server. When the server cannot be reached the
 * suite is skipped with the reason, except under `CI=true`, where it fails instead (a test that
 * cannot reach its server never passes as skipped in CI).
 */
export function describeWithPostgres(name: string, fn: () => void): void {
  if (!unavailable) describe(name, fn);
  else if (underCi) {
    describe(name, () => {
      it('reaches the PostgreSQL server', () => {
        throw new Error(unavailable);
      });
    });
  } else describe.skip(`${name} (skipped: ${unavailable})`, fn);
}

/** A database made for one test file. */
export interface TestDatabase {
  /** Its name, `multidb_<prefix>_<random>`. */
  readonly name: string;
  /** Its URL (the server URL with the database replaced). */
  readonly url: string;
  /** Terminates its sessions and drops it. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database `multidb_<prefix>_<random hex>` on the test server.
 * @param prefix - a short name of the test file (letters, digits, `_`).
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `multidb_${prefix.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_TEST_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdminClient(async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/**
 * Creates a database for the test file before its tests and drops it after (inside a
 * {@link describeWithPostgres} block). The returned object's `url` is valid once `beforeAll` ran.
 */
export function useTestDatabase(prefix: string): { readonly url: string; readonly name: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url() {
      if (!database) throw new Error('The test database is not created yet (use it inside a test).');
      return database.url;
    },
    get name() {
      if (!database) throw new Error('The test database is not created yet (use it inside a test).');
      return database.name;
    },
  };
}
