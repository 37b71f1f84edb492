import { randomBytes } from 'node:crypto';
import { maskUrl } from '@multidb/core';
import pg from 'pg';

/**
 * The PostgreSQL server the tests use: `MULTIDB_TEST_POSTGRES_URL`, default
 * `postgres://postgres@127.0.0.1:5432/postgres`. The role must be allowed to create databases
 * and roles. Each test file makes its own database and drops it after.
 */
export const POSTGRES_TEST_URL = process.env.MULTIDB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

let probe: Promise<string | undefined> | undefined;

/** Why the server cannot be used, or `undefined` when it answers (probed once per test worker: its test files share this module). */
export function postgresUnavailable(): Promise<string | undefined> {
  probe ??= withAdminClient((c) => c.query('SELECT 1')).then(
    () => undefined,
    (error: unknown) => `PostgreSQL at ${maskUrl(POSTGRES_TEST_URL)} cannot be reached (${(error as Error).message}); set MULTIDB_TEST_POSTGRES_URL`,
  );
  return probe;
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
