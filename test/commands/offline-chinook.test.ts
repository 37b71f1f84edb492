// Offline mode end to end on the repository's own Chinook example (migrate.config.ts + migrations/):
// `migrate upgrade --sql --output DIR` writes one script per bind without connecting; applied with
// the dialect's own client (sqlite3 -bail, psql -v ON_ERROR_STOP=1, mariadb) to fresh databases,
// the scripts leave the same tables (introspected through the dialect's connection), the same rows
// and the same version tables as `migrate upgrade` run online on other fresh databases. Both binds
// run on one dialect per test; Chinook is loaded once online and once offline per dialect.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DialectConnection, TableSnapshot } from '@multidb/core';
import { dialects } from '@multidb/dialect';
import { afterAll, describe, expect, it } from 'vitest';
import { applyScript } from '../support/apply-script.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, dialectOf, queryUrl, sqliteFile, tablesAt, useDatabases, type ServerDatabase } from '../support/servers.js';

const REPO = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const BINDS = ['default', 'db2'] as const;
type Bind = (typeof BINDS)[number];
const TIMEOUT = 240_000;

/** A copy of the example whose binds point at `urls` (the config reads them from the environment). */
function chinookProject(urls: Record<Bind, string>): TempProject {
  const p = new TempProject([], { config: false, env: { MULTIDB_DEFAULT_URL: urls.default, MULTIDB_DB2_URL: urls.db2 } });
  p.copyIn(REPO('migrate.config.ts'), 'migrate.config.ts');
  p.copyIn(REPO('migrations'), 'migrations');
  p.copyIn(REPO('models'), 'models');
  return p;
}

/** Runs a script file with the dialect's command-line client against a database URL. */
function applyScriptFile(url: string, file: string, baseDir: string): void {
  applyScript(url, readFileSync(file, 'utf8'), baseDir, file);
}

/** Every table of a database: its introspected shape and all its rows (in key order). */
async function databaseState(url: string, baseDir: string): Promise<Record<string, { shape: TableSnapshot | undefined; rows: readonly Record<string, unknown>[] }>> {
  const scheme = url.slice(0, url.indexOf(':'));
  const driver = await dialects.find((d) => d.schemes.includes(scheme))!.load();
  const conn: DialectConnection = await driver.connect({ bind: 'check', url, baseDir });
  try {
    const out: Record<string, { shape: TableSnapshot | undefined; rows: readonly Record<string, unknown>[] }> = {};
    // An online run on MySQL/MariaDB keeps the (empty) progress table of revisions in flight; a script has none.
    for (const table of (await tablesAt(url, { baseDir })).filter((t) => t !== 'multidb_version_progress')) {
      const shape = await conn.introspectTable(table);
      const key = shape?.primaryKey?.columns ?? shape?.columns.filter((c) => c.primaryKey).map((c) => c.name) ?? [];
      const order = (key.length ? key : (shape?.columns.map((c) => c.name) ?? [])).map((c) => conn.dialect.quoteIdentifier(c)).join(', ');
      const rows = await conn.execute({ sql: `SELECT * FROM ${conn.dialect.quoteIdentifier(table)} ORDER BY ${order}`, parameters: [] });
      out[table] = { shape, rows };
    }
    return out;
  } finally {
    await conn.close();
  }
}

/**
 * Online into `online`, offline (scripts applied with the client) into `offline`, then compares.
 * Returns the offline project's scripts folder for further checks.
 */
async function roundTrip(online: Record<Bind, string>, offline: Record<Bind, string>): Promise<{ p: TempProject; out: string }> {
  const onlineProject = chinookProject(online);
  const p = chinookProject(offline);
  try {
    await onlineProject.ok('upgrade');
    const generated = await p.ok('upgrade', '--sql', '--output', 'out');
    expect(generated.stdout).toBe('');
    expect(generated.stderr.split('\n').filter(Boolean)).toEqual(BINDS.map((b) => expect.stringMatching(new RegExp(`^Wrote .*out/${b}\\.sql \\(bind '${b}', `))));
    // Writing the scripts opened no database.
    for (const b of BINDS) expect(await tablesAt(offline[b], { baseDir: p.dir }), b).toEqual([]);
    for (const b of BINDS) applyScriptFile(offline[b], join(p.dir, 'out', `${b}.sql`), p.dir);
    for (const b of BINDS) {
      const want = await databaseState(online[b], onlineProject.dir);
      expect(Object.keys(want).sort(), b).toEqual(
        b === 'default'
          ? ['Album', 'Artist', 'Genre', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track', 'multidb_version']
          : ['Customer', 'Employee', 'Invoice', 'InvoiceLine', 'multidb_version'],
      );
      const got = await databaseState(offline[b], p.dir);
      for (const table of Object.keys(want)) {
        expect(got[table]?.shape, `${b}.${table} shape`).toEqual(want[table]!.shape);
        expect(got[table]?.rows.length, `${b}.${table} rows`).toBe(want[table]!.rows.length);
        expect(got[table]?.rows, `${b}.${table} rows`).toEqual(want[table]!.rows);
      }
      expect(Object.keys(got).sort(), b).toEqual(Object.keys(want).sort());
    }
    return { p, out: join(p.dir, 'out') };
  } finally {
    onlineProject.remove();
  }
}

describe('offline Chinook on SQLite', () => {
  let p: TempProject | undefined;
  afterAll(() => p?.remove());

  it(
    'the scripts applied with sqlite3 equal an online upgrade; the downgrade script of db2 undoes it as online',
    async () => {
      const trip = await roundTrip({ default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db' }, { default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db' });
      p = trip.p;
      expect(readFileSync(join(trip.out, 'db2.sql'), 'utf8')).toMatch(/^-- multidb offline script: bind 'db2' \(sqlite\), upgrade <base> -> fd2415b8acac\n/);

      // Downgrade db2 from head to base offline: the script drops what the upgrade made, and (as
      // Alembic's offline mode, leaving no heads) the version table the upgrade script created.
      const down = await p.ok('downgrade', '--sql', 'db2@head:base', '--output', 'down');
      expect(down.stderr).toMatch(/^Wrote .*down\/db2\.sql \(bind 'db2', sqlite\)$/m);
      applyScriptFile('sqlite:.data/db2.db', join(p.dir, 'down', 'db2.sql'), p.dir);
      expect(p.tables('db2')).toEqual([]);
      expect(p.versionsApplied('db2')).toEqual([]);
      expect(existsSync(join(p.dir, 'down', 'default.sql'))).toBe(false);
    },
    TIMEOUT,
  );
});

/** The server URL scheme that makes offline scripts of the server's flavour (`mariadb://` for MariaDB). */
async function flavouredUrl(db: ServerDatabase): Promise<string> {
  if (db.kind !== 'mysql') return db.url;
  const [row] = await queryUrl<{ v: string }>(db.url, 'SELECT VERSION() AS v');
  return /mariadb/i.test(String(row?.v)) ? db.url.replace(/^mysql:/, 'mariadb:') : db.url;
}

for (const [kind, title] of [
  ['postgres', 'PostgreSQL'],
  ['mysql', 'MariaDB/MySQL'],
] as const) {
  describeWithServers(`offline Chinook on ${title}`, [kind], () => {
    const dbs = useDatabases(`offline_chinook_${kind}`, { onlineDefault: kind, onlineDb2: kind, offlineDefault: kind, offlineDb2: kind });
    let p: TempProject | undefined;
    afterAll(() => p?.remove());

    it(
      `the scripts applied with ${kind === 'postgres' ? 'psql' : 'mariadb'} equal an online upgrade`,
      async () => {
        const online = { default: await flavouredUrl(dbs.onlineDefault), db2: await flavouredUrl(dbs.onlineDb2) };
        const offline = { default: await flavouredUrl(dbs.offlineDefault), db2: await flavouredUrl(dbs.offlineDb2) };
        p = (await roundTrip(online, offline)).p;
      },
      TIMEOUT,
    );
  });
}
