// A server that goes away mid-upgrade, on PostgreSQL and MariaDB: while revision s2 of three runs a
// long statement, the test ends every session of the `migrate` run on the server
// (pg_terminate_backend, KILL). The run exits non-zero with one line naming the bind and the
// revision, no stack, the password nowhere; the version table stays at s1 (PostgreSQL: nothing of
// s2 remains); a re-run completes to head with every revision's rows once.
import { expect, it } from 'vitest';
import { addRevision, expectOneLineError, startMigrate } from '../faults/faults-support.js';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TempProject } from '../support/project.js';
import { createDatabase, queryUrl, tablesAt, versionsAt, withMysql, withPostgres } from '../support/servers.js';
import { DIALECT_NAMES, forEachDialect, sleep, useOneBindProject, type Dialect } from './support.js';

const ids = ['5e0000000001', '5e0000000002', '5e0000000003'];

/** Ends every other session on the database of `url`; returns how many. */
async function terminateSessions(dialect: 'postgres' | 'mysql', url: string): Promise<number> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (dialect === 'postgres') {
    return withPostgres(async (c) => {
      const r = await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      return r.rowCount ?? 0;
    });
  }
  return withMysql(async (c) => {
    const [rows] = await c.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [name]);
    for (const { id } of rows as { id: number }[]) await c.query(`KILL ${Number(id)}`).catch(() => undefined);
    return (rows as unknown[]).length;
  });
}

/** Whether a session on the database runs the long statement yet. */
async function sleeping(dialect: 'postgres' | 'mysql', url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (dialect === 'postgres') {
    return withPostgres(async (c) => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()`, [name])).rowCount! > 0);
  }
  return withMysql(async (c) => {
    const [rows] = await c.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()`, [name]);
    return (rows as unknown[]).length > 0;
  });
}

function serverGoneSuite(dialect: Dialect, url: () => string) {
  if (dialect === 'sqlite') throw new Error('SQLite has no server to lose'); // not called for SQLite (below)
  const project = useOneBindProject(url);

  const longStatement = dialect === 'postgres' ? 'SELECT pg_sleep(60)' : 'SELECT SLEEP(60)';
  /** Revisions s1..s3, each creating g<i> with two rows; s2 runs the long statement after them when MULTIDB_TEST_LONG is set. */
  const addThree = (p: typeof project.p) =>
    ids.forEach((id, i) =>
      addRevision(p, 'default', {
        revision: id,
        downRevision: i === 0 ? null : ids[i - 1]!,
        message: `table g${i + 1}`,
        upgrade: [
          `await op.createTable('g${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          `await op.bulkInsert('g${i + 1}', [{ id: 1 }, { id: 2 }]);`,
          i === 1 ? `if (process.env['MULTIDB_TEST_LONG']) await op.execute('${longStatement}');` : '',
        ].join('\n  '),
      }),
    );

  it(`${DIALECT_NAMES[dialect]}: the sessions of an upgrade are terminated mid-revision: one line naming bind and revision; a re-run completes`, async () => {
    const p = project.p;
    addThree(p);
    const run = startMigrate(p, ['upgrade'], { MULTIDB_TEST_LONG: '1' });
    await run.waitForStderr(new RegExp(`Running upgrade ${ids[0]} -> ${ids[1]}`), 60_000);
    // Poll until the long statement runs (no fixed sleep: the machine may be slow).
    for (let i = 0; i < 600 && !(await sleeping(dialect, url())); i++) await sleep(100);
    expect(await terminateSessions(dialect, url())).toBeGreaterThanOrEqual(1);
    const out = await run.done;
    const line = expectOneLineError(out, ['[default]', ids[1]!]);
    expect(line).toMatch(/terminat|lost|closed|killed|shutdown|connection/i);

    const opts = { baseDir: p.dir };
    expect(await versionsAt(url(), opts)).toEqual([ids[0]]);
    if (dialect === 'postgres') expect(await tablesAt(url(), opts)).toEqual(['g1', 'multidb_version']);

    // MariaDB (no transactional DDL): g2 was created before the session died, and recorded in the
    // progress table; the re-run resumes s2 after it.
    const rerun = await p.run('upgrade');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await versionsAt(url(), opts)).toEqual([ids[2]]);
    for (const t of ['g1', 'g2', 'g3']) expect(await queryUrl(url(), `SELECT id FROM "${t}" ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
  }, 120_000);

  // A run connects its binds first; a server bind whose turn comes after a long SQLite bind waits
  // idle meanwhile, and its session may be ended there (a terminated backend, KILL, an idle or
  // wait timeout, a restart). Was: the run failed at that bind's lock ('Client has encountered a
  // connection error and is not queryable' / 'Can't add new command when connection is in closed
  // state'); now the bind is opened again at its turn (nothing was held on it) and the run completes.
  it(`${DIALECT_NAMES[dialect]}: the session of a bind waiting for its turn is ended meanwhile: the bind is opened again and the run completes`, async () => {
    const db = await createDatabase(dialect, 'rel_gone_idle');
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { first: { url: 'sqlite:.data/first.db' }, later: { url: ${JSON.stringify(db.url)} } } });\n`,
    });
    try {
      const gate = join(p.dir, 'gate');
      addRevision(p, 'first', {
        revision: '5f0000000001',
        downRevision: null,
        message: 'first waits',
        upgrade: `await op.createTable('f1', [{ name: 'id', type: 'integer', primaryKey: true }]); const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(gate + '.started')}, ''); while (!fs.existsSync(${JSON.stringify(gate + '.go')})) await new Promise((r) => setTimeout(r, 20));`,
      });
      addRevision(p, 'later', { revision: '5f0000000002', downRevision: null, message: 'later', upgrade: `await op.createTable('l1', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
      const run = startMigrate(p, ['upgrade']);
      while (!existsSync(gate + '.started')) {
        if (run.exited) throw new Error(`migrate exited early:\n${run.stderr}`);
        await sleep(20);
      }
      expect(await terminateSessions(dialect, db.url)).toBe(1); // the idle session opened for 'later'
      await sleep(200); // its end reaches migrate's client
      writeFileSync(gate + '.go', '');
      const out = await run.done;
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toContain('[later] Running upgrade <base> -> 5f0000000002, later');
      expect(await versionsAt(db.url)).toEqual(['5f0000000002']);
      expect((await tablesAt(db.url)).filter((t) => !t.startsWith('multidb_version'))).toEqual(['l1']);
    } finally {
      p.remove();
      await db.drop();
    }
  }, 120_000);

  if (dialect !== 'mysql') return;
  it('MariaDB: the session is killed before the revision wrote anything: the line says its progress could not be read and to run the command again, which completes', async () => {
    const p = project.p;
    addThree(p);
    const more = ['5e0000000004', '5e0000000005'];
    more.forEach((id, i) =>
      addRevision(p, 'default', {
        revision: id,
        downRevision: i === 0 ? ids[2]! : more[i - 1]!,
        message: `table g${i + 4}`,
        upgrade: [
          i === 0 ? `if (process.env['MULTIDB_TEST_LONG']) await op.execute('SELECT SLEEP(60)');` : '',
          `await op.createTable('g${i + 4}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          `await op.bulkInsert('g${i + 4}', [{ id: 1 }, { id: 2 }]);`,
        ].join('\n  '),
      }),
    );
    const opts = { baseDir: p.dir };
    if ((await versionsAt(url(), opts))[0] !== ids[2]) expect((await p.run('upgrade', ids[2]!)).code).toBe(0);
    const run = startMigrate(p, ['upgrade'], { MULTIDB_TEST_LONG: '1' });
    await run.waitForStderr(new RegExp(`Running upgrade ${ids[2]} -> ${more[0]}`), 60_000);
    for (let i = 0; i < 600 && !(await sleeping(dialect, url())); i++) await sleep(100);
    expect(await terminateSessions(dialect, url())).toBeGreaterThanOrEqual(1);
    const line = expectOneLineError(await run.done, ['[default]', more[0]!]);
    // Its progress rows were on the server the session lost: the line cannot say what they hold,
    // only that a re-run reads them (was: 'may have been applied', and nothing about what to do).
    expect(line).toContain('its progress could not be read (the connection failed)');
    expect(line).toContain(`the version table is at the last completed revision (${ids[2]}). Run the command again: it resumes after the writes recorded on the server, or runs the revision from its start when none were ('migrate status default' shows which).`);
    expect(await versionsAt(url(), opts)).toEqual([ids[2]]);
    const rerun = await p.run('upgrade');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await versionsAt(url(), opts)).toEqual([more[1]]);
    for (const t of ['g4', 'g5']) expect(await queryUrl(url(), `SELECT id FROM "${t}" ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
  }, 120_000);
}

// SQLite has no server to lose.
forEachDialect('a server that goes away mid-upgrade', 'rel_gone', serverGoneSuite, ['postgres', 'mysql']);
