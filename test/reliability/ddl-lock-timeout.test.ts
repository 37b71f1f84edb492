// A production recipe, tested: a revision's DDL waits for its table's lock, and while it waits
// every later query on that table queues behind it (PostgreSQL's ACCESS EXCLUSIVE lock, MariaDB's
// metadata lock). A lock timeout set in the bind's `onConnect` applies to the run's connection, so
// such a revision fails fast and cleanly instead of stalling the application: nothing of it is
// recorded, and it runs once the lock is free. (The README shows the hook.)
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, mysqlOptions, useDatabases } from '../support/servers.js';

const REPO_NODE_MODULES = new URL('../../node_modules', import.meta.url).pathname;

/** A one-bind project whose onConnect sets the lock timeout, and two revisions: a table, then a column on it. */
function project(url: string, setTimeout: string): TempProject {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `import { sql } from '@multidb/dialect/kysely';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { default: { url: ${JSON.stringify(url)}, onConnect: async (db) => { await sql.raw(${JSON.stringify(setTimeout)}).execute(db); } } } });\n`,
  });
  // As in an app: the project resolves the installed packages.
  symlinkSync(REPO_NODE_MODULES, join(p.dir, 'node_modules'));
  addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'busy', upgrade: `await op.createTable('busy', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  addRevision(p, 'default', { revision: 'aa02', downRevision: 'aa01', message: 'note', upgrade: `await op.addColumn('busy', { name: 'note', type: 'text' });` });
  return p;
}

describeWithServers('a lock timeout set in onConnect makes a blocked revision fail fast, recording nothing', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('ddl_lock_timeout', { pg: 'postgres', my: 'mysql' });
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it('PostgreSQL: SET lock_timeout', async () => {
    const p = project(dbs.pg.url, "SET lock_timeout = '300ms'");
    projects.push(p);
    await p.ok('upgrade', 'aa01');
    // An application's long transaction that read the table holds its ACCESS SHARE lock.
    const app = new pg.Client({ connectionString: dbs.pg.url });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query('SELECT * FROM busy');
      const started = Date.now();
      const out = await p.run('upgrade');
      expect(out.code, out.stderr).toBe(1);
      expect(out.stderr).toMatch(/\[default\] revision aa02 failed: .*canceling statement due to lock timeout/);
      expect(Date.now() - started).toBeLessThan(30_000);
      const { rows } = await app.query('SELECT version_num FROM multidb_version');
      expect(rows).toEqual([{ version_num: 'aa01' }]);
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
    await p.ok('upgrade');
    const check = new pg.Client({ connectionString: dbs.pg.url });
    await check.connect();
    try {
      expect((await check.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'busy' ORDER BY 1")).rows).toEqual([{ column_name: 'id' }, { column_name: 'note' }]);
      expect((await check.query('SELECT version_num FROM multidb_version')).rows).toEqual([{ version_num: 'aa02' }]);
    } finally {
      await check.end();
    }
  });

  it('MariaDB: SET SESSION lock_wait_timeout (the metadata lock)', async () => {
    const p = project(dbs.my.url, 'SET SESSION lock_wait_timeout = 1');
    projects.push(p);
    await p.ok('upgrade', 'aa01');
    const app = await mysql.createConnection(mysqlOptions(dbs.my.url));
    try {
      await app.query('BEGIN');
      await app.query('SELECT * FROM busy');
      const started = Date.now();
      const out = await p.run('upgrade');
      expect(out.code, out.stderr).toBe(1);
      expect(out.stderr).toMatch(/\[default\] revision aa02 failed: .*Lock wait timeout exceeded/);
      expect(Date.now() - started).toBeLessThan(30_000);
      await app.query('ROLLBACK');
      const [rows] = await app.query('SELECT version_num FROM multidb_version');
      expect(rows).toEqual([{ version_num: 'aa01' }]);
    } finally {
      await app.end();
    }
    await p.ok('upgrade');
    const check = await mysql.createConnection(mysqlOptions(dbs.my.url));
    try {
      const [columns] = await check.query("SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'busy' ORDER BY 1");
      expect(columns).toEqual([{ c: 'id' }, { c: 'note' }]);
    } finally {
      await check.end();
    }
  });
});
