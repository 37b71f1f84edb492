// A server that goes away mid-upgrade, on PostgreSQL and MariaDB: while revision s2 of three runs a
// long statement, the test ends every session of the `migrate` run on the server
// (pg_terminate_backend, KILL). The run exits non-zero with one line naming the bind and the
// revision, no stack, the password nowhere; the version table stays at s1 (PostgreSQL: nothing of
// s2 remains); a re-run completes to head with every revision's rows once.
import { expect, it } from 'vitest';
import { addRevision, expectOneLineError, startMigrate } from '../faults/faults-support.js';
import { queryUrl, tablesAt, versionsAt, withMysql, withPostgres } from '../support/servers.js';
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

  it(`${DIALECT_NAMES[dialect]}: the sessions of an upgrade are terminated mid-revision: one line naming bind and revision; a re-run completes`, async () => {
    const p = project.p;
    const longStatement = dialect === 'postgres' ? 'SELECT pg_sleep(60)' : 'SELECT SLEEP(60)';
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
}

// SQLite has no server to lose.
forEachDialect('a server that goes away mid-upgrade', 'rel_gone', serverGoneSuite, ['postgres', 'mysql']);
