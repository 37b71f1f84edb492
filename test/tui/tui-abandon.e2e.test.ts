// `migrate tui`, a second ctrl+c during a run while a statement runs on the server (the real built
// CLI in tmux): the run is abandoned as `migrate upgrade`'s second Ctrl-C abandons one, the
// statement cancelled on the server (PostgreSQL's cancel request, MariaDB's KILL QUERY) instead of
// running on, its locks held, after the TUI has gone; the TUI exits 130 saying so. The gate is
// the server itself (the statement shows running there), so no timing decides what is tested.
import mysql from 'mysql2/promise';
import { afterAll, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, mysqlOptions, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

const R1 = 'ab0000000001';

/**
 * A statement that stays on the server long after the TUI ended unless it is cancelled, and how
 * to find a session running it (as test/cli/interrupt.test.ts: MariaDB's own SLEEP() notices a
 * closed connection by itself, a row lock wait does not).
 */
const STUCK = {
  postgres: {
    sql: 'SELECT pg_sleep(30)',
    running: (db: string) => `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${db}' AND state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`,
  },
  mysql: {
    sql: 'SELECT id FROM held WHERE id = 1 FOR UPDATE',
    running: (db: string) => `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = '${db}' AND INFO LIKE '%FROM held WHERE id = 1 FOR UPDATE%' AND ID <> CONNECTION_ID()`,
  },
} as const;

async function stuck(kind: 'postgres' | 'mysql', url: string): Promise<number> {
  return Number((await queryUrl<{ n: unknown }>(url, STUCK[kind].running(new URL(url).pathname.slice(1))))[0]!.n);
}

/** Polls `check` until it is true; fails once `deadlineMs` passed (what it waits for takes 30 s or more otherwise). */
async function within(deadlineMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not true after ${deadlineMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** MariaDB: holds row 1 of table `held` (FOR UPDATE, in an open transaction) until the returned function is called. */
async function holdRow(url: string): Promise<() => Promise<void>> {
  const conn = await mysql.createConnection(mysqlOptions(url));
  conn.on('error', () => undefined);
  await conn.query('CREATE TABLE held (id int PRIMARY KEY)');
  await conn.query('INSERT INTO held VALUES (1)');
  await conn.query('BEGIN');
  await conn.query('SELECT id FROM held WHERE id = 1 FOR UPDATE');
  return async () => {
    await conn.query('ROLLBACK').catch(() => undefined);
    await conn.end().catch(() => undefined);
  };
}

for (const kind of ['postgres', 'mysql'] as const) {
  const server = kind === 'postgres' ? 'PostgreSQL' : 'MariaDB';
  describeWithServers(`migrate tui (tmux): a second ctrl+c on ${server} while a statement runs there`, [kind], () => {
    const dbs = useDatabases('tui-abandon', { db: kind });
    let tmux: TmuxSession | undefined;
    afterAll(() => tmux?.kill());

    it(`exits 130 saying the run was abandoned; no session is left running ${STUCK[kind].sql}; nothing is recorded`, async () => {
      expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
      const url = dbs.db.url;
      const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
      const release = kind === 'mysql' ? await holdRow(url) : async () => undefined;
      try {
        const table = (t: string) => `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
        p.write(
          `migrations/versions/app/${R1}_t1.ts`,
          revisionSource({ revision: R1, downRevision: null, branchLabels: ['app'], upgrade: `${table('t1')} await op.execute(${JSON.stringify(STUCK[kind].sql)}); ${table('t1b')}` }),
        );
        tmux = startMigrateTui(p.dir);
        await tmux.waitFor(/app +\w+ +base +\w{12} +1 pending/);
        await tmux.press('Enter', '[ Upgrade: 1 revision on 1 bind ]');
        tmux.send('u');
        await within(20_000, `a session running ${STUCK[kind].sql}`, async () => (await stuck(kind, url)) > 0);
        await tmux.press('C-c', 'Stopping after the revisions in progress');
        const end = await tmux.press('C-c', 'EXIT:');
        expect(end).toMatch(/^EXIT:130$/m);
        expect(end.replace(/\n/g, '')).toContain("Upgrade abandoned (ctrl+c twice): what was running was cancelled");
        // Not cancelled, the statement would stay on the server for 30 s (50 s) after the TUI ended.
        await within(10_000, `no session running ${STUCK[kind].sql}`, async () => (await stuck(kind, url)) === 0);
        await release();
        expect(await versionsAt(url)).toEqual([]);
        // PostgreSQL rolled the revision back; MariaDB kept t1 (DDL commits at once).
        expect((await tablesAt(url)).filter((t) => /^t\d/.test(t))).toEqual(kind === 'postgres' ? [] : ['t1']);
      } finally {
        await release();
        p.remove();
      }
    });
  });
}
