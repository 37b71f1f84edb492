import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateDatabaseError, loadEnvironment, MigrationError, type DialectRegistry, type MigrationEnvironment, type RunEvent } from '@multidb/core';
import { afterAll, expect, it } from 'vitest';
import { mysqlDriver } from '../../src/mysql/mysql-driver.js';
import { q } from './helpers.js';
import { describeMysql, useTestDatabase } from './server.js';

/** The registry entry the lead adds to `registry.ts` (the driver is passed directly here). */
const dialects: DialectRegistry = [{ name: 'mysql', schemes: ['mysql', 'mariadb'], load: async () => mysqlDriver }];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A project folder with revisions of branch `db3`: `[id, downRevision, upgrade body, downgrade body]`. */
function project(revisions: readonly (readonly [string, string | null, string, string])[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-mysql-run-'));
  dirs.push(dir);
  const versions = join(dir, 'migrations', 'versions', 'db3');
  mkdirSync(versions, { recursive: true });
  for (const [id, down, up, downgrade] of revisions) {
    writeFileSync(
      join(versions, `${id}_rev.ts`),
      [
        `export const revision = '${id}';`,
        `export const downRevision = ${down === null ? 'null' : `'${down}'`};`,
        `export const branchLabels = ${down === null ? "['db3']" : '[]'};`,
        `export const dependsOn = [];`,
        `export const message = 'rev ${id}';`,
        `export const createDate = '2026-01-01T00:00:00Z';`,
        `export async function upgrade(op: any): Promise<void> {\n${up}\n}`,
        `export async function downgrade(op: any): Promise<void> {\n${downgrade}\n}`,
      ].join('\n'),
    );
  }
  return dir;
}

async function environment(dir: string, binds: Record<string, string>): Promise<MigrationEnvironment> {
  return loadEnvironment({
    dialects,
    baseDir: dir,
    configObject: { directory: 'migrations', binds: Object.fromEntries(Object.entries(binds).map(([k, url]) => [k, { url, branch: 'db3' }])) },
  });
}

describeMysql("core's runner on a MySQL bind", () => {
  const database = useTestDatabase('runner');

  it('upgrade, lock events, version table, downgrade; a revision failing half way reports partial and keeps the last completed revision', async () => {
    const dir = project([
      ['aaaaaaaaaaaa', null, "await op.createTable('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }, { name: 'Name', type: 'nvarchar(120)' }]);\nawait op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]);", "await op.dropTable('Genre');"],
      ['bbbbbbbbbbbb', 'aaaaaaaaaaaa', "await op.addColumn('Genre', { name: 'Slug', type: 'varchar(20)' });\nawait op.alterColumn('Genre', 'Name', { nullable: false });", "await op.alterColumn('Genre', 'Name', { nullable: true });\nawait op.dropColumn('Genre', 'Slug');"],
    ]);
    const env = await environment(dir, { db3: database.url });
    try {
      const events: RunEvent[] = [];
      await env.upgrade([], { onEvent: (e) => events.push(e) });
      expect(events.map((e) => e.type)).toEqual(['lock-acquired', 'plan', 'step-start', 'step-done', 'step-start', 'step-done', 'bind-done', 'run-done']);
      expect(await env.currentHeads()).toEqual(new Map([['db3', ['bbbbbbbbbbbb']]]));
      const conn = await env.connection('db3');
      expect(await conn.introspectTable('Genre')).toMatchObject({
        columns: [{ name: 'GenreId' }, { name: 'Name', nullable: false }, { name: 'Slug' }],
      });
      await env.downgrade('db3');
      expect(await env.currentHeads()).toEqual(new Map([['db3', ['aaaaaaaaaaaa']]]));
      expect((await conn.introspectTable('Genre'))!.columns.map((c) => [c.name, c.nullable])).toEqual([
        ['GenreId', false],
        ['Name', true],
      ]);
    } finally {
      await env.close();
    }

    // A third revision fails half way: its first statement stays (no transactional DDL).
    const failing = project([
      ['aaaaaaaaaaaa', null, '', ''],
      ['bbbbbbbbbbbb', 'aaaaaaaaaaaa', '', ''],
      ['cccccccccccc', 'bbbbbbbbbbbb', "await op.createTable('Album', [{ name: 'AlbumId', type: 'integer', primaryKey: true }]);\nawait op.addColumn('NoSuchTable', { name: 'x', type: 'integer' });", "await op.dropTable('Album');"],
    ]);
    const env2 = await environment(failing, { db3: database.url });
    try {
      const error = await env2.upgrade(['bbbbbbbbbbbb']).then(() => env2.upgrade()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).partial).toBe(true);
      expect((error as MigrationError).statement).toBe('ALTER TABLE `NoSuchTable` ADD COLUMN `x` int NULL');
      expect((error as Error).message).toMatch(/part of this revision may have been applied; the version table is at the last completed revision/);
      expect(await env2.currentHeads()).toEqual(new Map([['db3', ['bbbbbbbbbbbb']]]));
      const conn = await env2.connection('db3');
      expect(await conn.introspectTable('Album')).toBeDefined(); // what the report says may remain, remains
    } finally {
      await env2.close();
    }
  });

  it('refuses two binds on the same database, and a second run waits for the lock', async () => {
    const dir = project([['aaaaaaaaaaaa', null, '', '']]);
    const admin = await database.connect('admin');
    await q(admin, 'DROP TABLE IF EXISTS multidb_version'); // the first test left it at another history
    // Another URL text for the same server and database: the server identity gives it away.
    const twice = await environment(dir, { db3: database.url, db4: `${database.url}?ssl=false` });
    try {
      const error = await twice.upgrade().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateDatabaseError);
      expect((error as DuplicateDatabaseError).binds).toEqual(['db3', 'db4']);
    } finally {
      await twice.close();
    }
    const env = await environment(dir, { db3: database.url });
    const other = await environment(dir, { db3: database.url });
    try {
      const holder = await env.connection('db3');
      await holder.acquireLock({ name: 'multidb::multidb_version' });
      const events: string[] = [];
      const error = await other.upgrade([], { lockTimeoutMs: 300, onEvent: (e) => events.push(e.type) }).catch((e: unknown) => e);
      expect(events).toEqual(['lock-wait', 'run-done']);
      expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'db3' });
      await holder.releaseLock();
      await other.upgrade([], { lockTimeoutMs: 2_000 });
      expect(await (await other.connection('db3')).execute({ sql: 'SELECT version_num FROM multidb_version', parameters: [] })).toEqual([
        { version_num: 'aaaaaaaaaaaa' },
      ]);
    } finally {
      await env.close();
      await other.close();
    }
  });
});
