// PostgresConnection.discard (DialectConnection.discard): a bind's schema that connecting created
// is dropped again only while it holds nothing (no object but the bind's version table without
// rows), never a schema that existed before, never one another session has put anything in. The
// other sessions here are real pg clients on the same database, as another process would hold.
// Then the same through core: a failed first upgrade of a bind with a new schema leaves no schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment, MigrationError, RunError, VersionTable, type MigrationEnvironment, type MultidbConfig } from '@multidb/core';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { dialects } from '../src/registry.js';
import { onCleanup } from './support/cleanup.js';
import { POSTGRES } from './support/dialects.js';
import { tempDir } from './support/sqlite-file.js';

const versionTable = (schema: string) => new VersionTable('multidb_version', schema);

POSTGRES.describeOnDatabase('PostgresConnection.discard', () => {
  const database = POSTGRES.useDatabase('pgdiscard');

  /** A session of its own on the test database (another process), ended after the test. */
  async function other(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined);
    await client.connect();
    onCleanup(() => client.end().catch(() => undefined));
    return client;
  }

  async function schemaExists(schema: string): Promise<boolean> {
    const { rows } = await (await other()).query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [schema]);
    return rows[0].n === 1;
  }

  /** Connects as a bind whose schema is `schema` (created when missing), its version table in it. */
  const connect = (schema: string) => database.connect({ schema, versionTable: versionTable(schema).reference });

  it('drops a schema connecting created that holds nothing', async () => {
    const conn = await connect('d_new');
    expect(await schemaExists('d_new')).toBe(true);
    await conn.discard!();
    expect(await schemaExists('d_new')).toBe(false);
  });

  it('drops a created schema whose only table is the version table, without rows (made before a first step that failed)', async () => {
    const conn = await connect('d_table');
    await versionTable('d_table').ensure(conn, false);
    await conn.discard!();
    expect(await schemaExists('d_table')).toBe(false);
  });

  it('keeps a created schema whose version table has a row', async () => {
    const conn = await connect('d_row');
    await versionTable('d_row').ensure(conn, false);
    await conn.execute({ sql: `INSERT INTO "d_row"."multidb_version" ("version_num") VALUES ('aa1')`, parameters: [] });
    await conn.discard!();
    expect((await (await other()).query('SELECT version_num FROM "d_row".multidb_version')).rows).toEqual([{ version_num: 'aa1' }]);
  });

  it('keeps a schema that existed before the connection, even empty', async () => {
    await (await other()).query('CREATE SCHEMA "d_before"');
    const conn = await connect('d_before');
    await versionTable('d_before').ensure(conn, false);
    await conn.discard!();
    expect(await schemaExists('d_before')).toBe(true);
  });

  it('keeps a created schema in which another session committed a table (another process, at the same instant)', async () => {
    const conn = await connect('d_other');
    await versionTable('d_other').ensure(conn, false);
    await (await other()).query('CREATE TABLE "d_other"."t" ("id" integer PRIMARY KEY)');
    await conn.discard!();
    expect((await (await other()).query(`SELECT tablename FROM pg_tables WHERE schemaname = 'd_other' ORDER BY 1`)).rows).toEqual([{ tablename: 'multidb_version' }, { tablename: 't' }]);
  });

  it('keeps a created schema in which another session is creating a table, not committed yet (its lock is not waited for beyond lock_timeout)', async () => {
    const conn = await connect('d_racing');
    const creator = await other();
    await creator.query('BEGIN');
    await creator.query('CREATE TABLE "d_racing"."t" ("id" integer PRIMARY KEY)');
    await conn.discard!(); // DROP SCHEMA waits for the creator's lock on the schema, then gives up
    await creator.query('COMMIT');
    expect((await (await other()).query(`SELECT tablename FROM pg_tables WHERE schemaname = 'd_racing'`)).rows).toEqual([{ tablename: 't' }]);
  });

  it('keeps a created schema whose version table another session is reading in a transaction', async () => {
    const conn = await connect('d_reader');
    await versionTable('d_reader').ensure(conn, false);
    const reader = await other();
    await reader.query('BEGIN');
    await reader.query('SELECT count(*) FROM "d_reader".multidb_version');
    await conn.discard!();
    await reader.query('INSERT INTO "d_reader".multidb_version VALUES ($1)', ['bb1']);
    await reader.query('COMMIT');
    expect((await (await other()).query('SELECT version_num FROM "d_reader".multidb_version')).rows).toEqual([{ version_num: 'bb1' }]);
  });

  it('keeps a created schema holding an object of another kind than a table (a type), or on which privileges were granted', async () => {
    const typed = await connect('d_type');
    await (await other()).query(`CREATE TYPE "d_type"."mood" AS ENUM ('ok')`);
    await typed.discard!();
    expect(await schemaExists('d_type')).toBe(true);
    const granted = await connect('d_grant');
    await (await other()).query('GRANT USAGE ON SCHEMA "d_grant" TO PUBLIC');
    await granted.discard!();
    expect(await schemaExists('d_grant')).toBe(true);
  });

  it('keeps a schema of the same name that another session dropped and created again (not the one connecting created)', async () => {
    const conn = await connect('d_again');
    await (await other()).query('DROP SCHEMA "d_again"; CREATE SCHEMA "d_again"');
    await conn.discard!();
    expect(await schemaExists('d_again')).toBe(true);
  });

  it('keeps the schema when the version table lives in another schema (versionTableSchema): a run waiting on it would put its tables elsewhere', async () => {
    const conn = await database.connect({ schema: 'd_split', versionTable: { name: 'multidb_version', schema: 'd_meta' } });
    await conn.discard!();
    expect(await schemaExists('d_split')).toBe(true);
  });

  it('keeps a schema created through a Kysely supplied by custom tooling (its session is the caller\'s)', async () => {
    const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }) });
    onCleanup(() => kysely.destroy());
    const conn = await POSTGRES.driver.connect({ bind: 'test', kysely, baseDir: '/', schema: 'd_borrowed', versionTable: versionTable('d_borrowed').reference });
    await conn.discard!();
    expect(await schemaExists('d_borrowed')).toBe(true);
  });

  it('is close() as well: the lock is released, the session ended; twice is harmless', async () => {
    const conn = await connect('d_close');
    await conn.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 0 });
    await conn.discard!();
    await conn.discard!();
    const second = await connect('d_close'); // (created again)
    await second.acquireLock({ name: 'multidb::multidb_version', timeoutMs: 0 });
    expect((await (await other()).query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'multidb'`)).rows).toEqual([{ n: 1 }]);
  });
});

POSTGRES.describeOnDatabase('a failed run on a PostgreSQL bind with a schema: what it leaves', () => {
  const database = POSTGRES.useDatabase('pgdiscardrun');

  /** A project whose first revision creates a table, then fails on the bind `-x fail=<bind>` names (`*`: every bind). */
  function project(): string {
    const dir = tempDir();
    const versions = join(dir, 'migrations', 'versions', 'main');
    mkdirSync(versions, { recursive: true });
    writeFileSync(
      join(versions, 'aaaaaaaaaaa1_first.ts'),
      [
        "import type { Operations } from '@multidb/core';",
        "export const revision = 'aaaaaaaaaaa1';",
        'export const downRevision = null;',
        "export const branchLabels = ['main'];",
        'export const dependsOn = [];',
        "export const message = 'first';",
        "export const createDate = '2026-12-06T10:00:00Z';",
        'export async function upgrade(op: Operations): Promise<void> {',
        "  await op.createTable('Genre', [{ name: 'id', type: 'integer', primaryKey: true }]);",
        "  if (op.xArgs.fail === '*' || op.xArgs.fail === op.bind) throw new Error('refused');",
        '}',
        "export async function downgrade(op: Operations): Promise<void> { await op.dropTable('Genre'); }",
        '',
      ].join('\n'),
    );
    return dir;
  }

  async function environment(dir: string, binds: MultidbConfig['binds']): Promise<MigrationEnvironment> {
    const env = await loadEnvironment({ dialects, configObject: { directory: 'migrations', binds }, baseDir: dir });
    onCleanup(() => env.close());
    return env;
  }

  async function query(sql: string, parameters: unknown[] = []): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql, parameters)).rows;
    } finally {
      await client.end();
    }
  }
  const schemas = async (like: string) => (await query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY 1', [like])).map((r) => r.nspname);

  it('a failed first upgrade of a bind with a new schema leaves no schema; a successful one keeps it', async () => {
    const dir = project();
    const env = await environment(dir, { main: { url: database.url, schema: 'r_new' } });
    const error = await env.upgrade([], { xArgs: { fail: '*' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(await schemas('r\\_new')).toEqual(['r_new']); // until the environment closes
    await env.close();
    expect(await schemas('r\\_new')).toEqual([]);
    const again = await environment(dir, { main: { url: database.url, schema: 'r_new' } });
    await again.upgrade();
    await again.close();
    expect(await query('SELECT version_num FROM r_new.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa1' }]);
  });

  it('a schema that existed before the failed first upgrade is kept', async () => {
    await query('CREATE SCHEMA "r_before"');
    const env = await environment(project(), { main: { url: database.url, schema: 'r_before' } });
    await expect(env.upgrade([], { xArgs: { fail: '*' } })).rejects.toBeInstanceOf(MigrationError);
    await env.close();
    expect(await schemas('r\\_before')).toEqual(['r_before']);
  });

  it('a schema in which someone created another table after the failure is kept, with the table', async () => {
    const env = await environment(project(), { main: { url: database.url, schema: 'r_meanwhile' } });
    await expect(env.upgrade([], { xArgs: { fail: '*' } })).rejects.toBeInstanceOf(MigrationError);
    await query('CREATE TABLE r_meanwhile.notes (id integer)');
    await env.close();
    expect(await query(`SELECT tablename FROM pg_tables WHERE schemaname = 'r_meanwhile'`)).toEqual([{ tablename: 'notes' }]);
  });

  it('another run connected to the schema before it was dropped (waiting for the lock) creates it again, and its tables land in it, not in public', async () => {
    const dir = project();
    const failing = await environment(dir, { main: { url: database.url, schema: 'r_waiting' } });
    await failing.connection('main'); // creates the schema
    const waiting = await environment(dir, { main: { url: database.url, schema: 'r_waiting' } });
    await waiting.connection('main'); // finds it: not this connection's
    await expect(failing.upgrade([], { xArgs: { fail: '*' } })).rejects.toBeInstanceOf(MigrationError);
    await failing.close();
    expect(await schemas('r\\_waiting')).toEqual([]);
    await waiting.upgrade();
    expect(await query(`SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'r_waiting') ORDER BY 2`)).toEqual([
      { schemaname: 'r_waiting', tablename: 'Genre' },
      { schemaname: 'r_waiting', tablename: 'multidb_version' },
    ]);
  });

  it('17 tenants in schemas (a run that closes each group in the background): a failed group leaves no schema, the others reach head', async () => {
    const tenants = Array.from({ length: 17 }, (_, i) => `r_t${String(i).padStart(2, '0')}`);
    const dir = project();
    const env = await environment(dir, Object.fromEntries(tenants.map((t) => [t, { url: database.url, schema: t, branch: 'main' }])));
    const error = await env.upgrade([], { concurrency: 2, xArgs: { fail: 'r_t05' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).failures.map((f) => f.bind)).toEqual(['r_t05']);
    await env.close();
    expect(await schemas('r\\_t%')).toEqual(tenants.filter((t) => t !== 'r_t05'));
    expect(await query('SELECT version_num FROM r_t16.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa1' }]);
  });
});
