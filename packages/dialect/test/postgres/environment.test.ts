import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateDatabaseError, loadEnvironment, MigrationError, type DialectRegistry, type MultidbConfig } from '@multidb/core';
import { afterEach, expect, it } from 'vitest';
import { postgresDriver } from '../../src/postgres/postgres-driver.js';
import { describeWithPostgres, useTestDatabase } from '../support/postgres-database.js';
import { connect, q } from './helpers.js';

/** Only this dialect: the package registry gains its PostgreSQL entry separately. */
const dialects: DialectRegistry = [{ name: 'postgres', schemes: ['postgres', 'postgresql'], load: async () => postgresDriver }];

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function revision(id: string, down: string | null, upgrade: string, downgrade: string): string {
  return [
    "import type { Operations } from '@multidb/core';",
    `export const revision = '${id}';`,
    `export const downRevision = ${down ? `'${down}'` : 'null'};`,
    `export const branchLabels = ${down ? '[]' : "['db2']"};`,
    'export const dependsOn = [];',
    `export const message = 'rev ${id}';`,
    "export const createDate = '2026-11-23T10:00:00Z';",
    `export async function upgrade(op: Operations): Promise<void> {\n${upgrade}\n}`,
    `export async function downgrade(op: Operations): Promise<void> {\n${downgrade}\n}`,
    '',
  ].join('\n');
}

/** A project folder with the given db2 revisions. */
function project(revisions: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-pg-env-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'migrations/versions/db2'), { recursive: true });
  for (const [file, source] of Object.entries(revisions)) writeFileSync(join(dir, 'migrations/versions/db2', file), source);
  return dir;
}

const first = revision(
  'aaaaaaaaaaa1',
  null,
  `  await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true, autoincrement: true }, { name: 'Name', type: 'nvarchar(120)' }]);
  await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }, { GenreId: 2, Name: 'Jazz' }]);`,
  "  await op.dropTable('Genre');",
);
const second = revision(
  'aaaaaaaaaaa2',
  'aaaaaaaaaaa1',
  `  await op.addColumn('Genre', { name: 'Code', type: 'varchar(3)' });
  await op.createIndex(null, 'Genre', ['Code']);`,
  `  await op.dropIndex('ix_Genre_Code');
  await op.dropColumn('Genre', 'Code');`,
);
const failing = revision(
  'aaaaaaaaaaa3',
  'aaaaaaaaaaa2',
  `  await op.createTable('Half', [{ name: 'a', type: 'integer' }]);
  await op.addColumn('Genre', { name: 'Mood', type: 'text' });
  await op.execute('INSERT INTO "Genre" ("GenreId") VALUES (1)');`,
  "  await op.dropTable('Half');",
);

describeWithPostgres('core runs PostgreSQL binds', () => {
  const database = useTestDatabase('env');

  it('upgrade with a bind schema: tables and version table there; a failing revision leaves nothing; downgrade to base', async () => {
    const dir = project({ 'aaaaaaaaaaa1_first.ts': first, 'aaaaaaaaaaa2_second.ts': second, 'aaaaaaaaaaa3_failing.ts': failing });
    const config: MultidbConfig = { binds: { db2: { url: database.url, schema: 'sales' } } };
    const env = await loadEnvironment({ configObject: config, baseDir: dir, dialects });
    const conn = await connect(database.url);
    try {
      const events: string[] = [];
      const error = await env.upgrade([], { onEvent: (e) => events.push(e.type) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ bind: 'db2', revision: 'aaaaaaaaaaa3', partial: false, statement: 'INSERT INTO "Genre" ("GenreId") VALUES (1)' });
      expect(events).toContain('lock-acquired');
      expect(await q(conn, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1`)).toEqual([
        { table_name: 'Genre' },
        { table_name: 'multidb_version' },
      ]);
      expect(await q(conn, 'SELECT version_num FROM sales.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa2' }]);
      expect((await q(conn, `SELECT column_name FROM information_schema.columns WHERE table_name = 'Genre' ORDER BY ordinal_position`)).map((r) => r.column_name)).toEqual([
        'GenreId',
        'Name',
        'Code',
      ]);
      expect(await q(conn, 'SELECT count(*)::int AS n FROM sales."Genre"')).toEqual([{ n: 2 }]);
      // The lock was released although the run failed: another connection can take it at once.
      const other = await connect(database.url, { schema: 'sales' });
      await other.acquireLock({ name: 'multidb:sales:multidb_version', timeoutMs: 0 });
      await other.releaseLock();

      await env.downgrade('db2@base');
      expect(await q(conn, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1`)).toEqual([{ table_name: 'multidb_version' }]);
      expect(await q(conn, 'SELECT count(*)::int AS n FROM sales.multidb_version')).toEqual([{ n: 0 }]);
    } finally {
      await env.close();
    }
  });

  it('versionTableSchema puts only the version table in its own schema; the tables stay in the bind schema', async () => {
    const dir = project({ 'aaaaaaaaaaa1_first.ts': first, 'aaaaaaaaaaa2_second.ts': second });
    const config: MultidbConfig = { binds: { db2: { url: database.url, schema: 'shop', versionTableSchema: 'meta' } } };
    const env = await loadEnvironment({ configObject: config, baseDir: dir, dialects });
    const conn = await connect(database.url);
    try {
      await env.upgrade();
      const tablesIn = async (schema: string) =>
        (await q(conn, 'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', schema)).map((r) => r.table_name);
      expect(await tablesIn('shop')).toEqual(['Genre']);
      expect(await tablesIn('meta')).toEqual(['multidb_version']);
      expect(await q(conn, 'SELECT version_num FROM meta.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa2' }]);
      expect(await env.currentHeads()).toEqual(new Map([['db2', ['aaaaaaaaaaa2']]]));
      await env.downgrade('db2');
      expect(await q(conn, 'SELECT version_num FROM meta.multidb_version')).toEqual([{ version_num: 'aaaaaaaaaaa1' }]);
    } finally {
      await env.close();
    }
  });

  it('refuses two binds on the same database and version table', async () => {
    const dir = project({ 'aaaaaaaaaaa1_first.ts': first });
    const other = new URL(database.url);
    other.hostname = 'localhost'; // another spelling of the same server
    const config: MultidbConfig = { binds: { db2: { url: database.url, schema: 'x' }, db3: { url: other.toString(), schema: 'x', branch: 'db2' } } };
    const env = await loadEnvironment({ configObject: config, baseDir: dir, dialects });
    try {
      await expect(env.currentHeads()).rejects.toBeInstanceOf(DuplicateDatabaseError);
    } finally {
      await env.close();
    }
  });
});
