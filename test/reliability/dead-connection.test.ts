// A server connection that dies silently (a NAT or firewall drops it: no FIN, no RST, packets just
// vanish), on PostgreSQL and MariaDB. A real TCP proxy (node:net) sits between `migrate` and the
// real local server; the test black-holes it: it stops forwarding in both directions without
// closing either socket, and connections opened through it afterwards are accepted and never
// answered (the whole path is dead). Was: the run hung in the query in flight until the OS gave up
// on the socket (~15 min), and SIGTERM did not end the wait. Now:
// - SIGTERM while a revision's statement is in flight on the dead connection: the server cannot be
//   reached to confirm the statement still runs, so the socket is destroyed and the run ends,
//   non-zero, naming the bind and the revision; the version table keeps the revision before it.
// - while the run polls for the migration lock (another run holds it): SIGTERM ends the wait at
//   once; without a signal, a poll query the server does not answer within the connect timeout
//   declares the connection lost.
// - the connections use TCP keepalive (a dead peer is detected by the OS in bounded time).
// - a side connection that reaches the server but cannot log in (the password rotated, the
//   login disabled) proves nothing: the revision in progress is waited for and completes.
// The revision's statement waits on a row the test holds (FOR UPDATE), so it runs on the server
// until the test releases it, however slow the machine.
import { dialects } from '@multidb/dialect/registry';
import { expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addRevision, startMigrate, type LiveRun } from '../faults/faults-support.js';
import { BlackholeProxy, viaProxy } from '../support/blackhole-proxy.js';
import { TempProject } from '../support/project.js';
import type { RunOutput } from '../support/project.js';
import { createDatabase, createLoginRole, tablesAt, versionsAt, withMysql, withPostgres, type LoginRole, type ServerDatabase } from '../support/servers.js';
import { settledWithin } from '../support/silent-server.js';
import { holdRow, within } from '../support/stuck-statements.js';
import { DIALECT_NAMES, forEachDialect, sleep, type Dialect } from './support.js';

/** Waits for the process to end, failing (and killing it) after `ms`: a generous bound, polled. */
async function endsWithin(run: LiveRun, ms: number): Promise<RunOutput> {
  const deadline = Date.now() + ms;
  while (!run.exited && Date.now() < deadline) await sleep(100);
  if (!run.exited) {
    run.child.kill('SIGKILL');
    const out = await run.done;
    throw new Error(`migrate was still running ${ms / 1000} s later; stderr:\n${out.stderr}`);
  }
  return run.done;
}

/** Whether a session on the database runs a statement matching `like` (`%FOR UPDATE%`), per the server. */
async function running(dialect: 'postgres' | 'mysql', db: ServerDatabase, like: string): Promise<boolean> {
  if (dialect === 'postgres') {
    return withPostgres(async (c) => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query ILIKE $2 AND state = 'active' AND pid <> pg_backend_pid()`, [db.name, like])).rowCount! > 0);
  }
  return withMysql(async (c) => {
    const [rows] = await c.query(`SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ? AND ID <> CONNECTION_ID()`, [db.name, like]);
    return (rows as unknown[]).length > 0;
  });
}

/** The Linux TCP timer of the socket bound to local port `port` on 127.0.0.1 (`/proc/net/tcp`'s `tr`: 2 is keepalive). */
function tcpTimerOf(port: number, remotePort: number): number | undefined {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1]?.endsWith(`:${hex(port)}`) && f[2]?.endsWith(`:${hex(remotePort)}`)) return Number.parseInt(f[5]!.split(':')[0]!, 16);
  }
  return undefined;
}

function config(url: string, extra = ''): string {
  return `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { default: { url: ${JSON.stringify(url)}${extra} } } });\n`;
}

const ids = ['dc0000000001', 'dc0000000002', 'dc0000000003'];

function deadConnectionSuite(dialect: Dialect) {
  if (dialect === 'sqlite') throw new Error('SQLite has no connection to lose');
  const server = new URL(dialect === 'postgres' ? 'postgres://x@127.0.0.1:5432' : 'mysql://x@127.0.0.1:3306');
  const serverPort = Number(server.port);
  const kind = dialect as 'postgres' | 'mysql';
  // Waits on row 1 of `held`, which the test holds (holdRow) until it lets it go.
  const blocked = 'SELECT id FROM held WHERE id = 1 FOR UPDATE';

  /**
   * A project on a fresh database through a fresh proxy; `body` gets them, and everything is
   * removed after. With `login`, the project connects as a login role of its own (owner of the
   * database on PostgreSQL), not as the admin.
   */
  async function withSetup(body: (s: { db: ServerDatabase; proxy: BlackholeProxy; p: TempProject; role: LoginRole | undefined }) => Promise<void>, extra = '', login = false): Promise<void> {
    const db = await createDatabase(kind, 'dead_conn');
    const role = login ? await createLoginRole(db) : undefined;
    if (role && kind === 'postgres') await withPostgres((c) => c.query(`ALTER DATABASE "${db.name}" OWNER TO "${role.user}"`));
    const proxy = await new BlackholeProxy(serverPort).start();
    const p = new TempProject([], { config: config(viaProxy(role ? role.url() : db.url, proxy), extra) });
    try {
      await body({ db, proxy, p, role });
    } finally {
      await proxy.close();
      p.remove();
      await db.drop();
      await role?.drop();
    }
  }

  /** Three revisions; the second's statement waits on the row the test holds. */
  function addBlockedRevisions(p: TempProject): void {
    ids.forEach((id, i) =>
      addRevision(p, 'default', {
        revision: id,
        downRevision: i === 0 ? null : ids[i - 1]!,
        message: `table d${i + 1}`,
        upgrade: [`await op.createTable('d${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, i === 1 ? `await op.execute('${blocked}');` : ''].join('\n  '),
      }),
    );
  }

  /** Starts `migrate upgrade` and waits until the second revision's statement waits on the held row, on the server. */
  async function startBlocked(p: TempProject, db: ServerDatabase): Promise<LiveRun> {
    const run = startMigrate(p, ['upgrade']);
    await run.waitForStderr(new RegExp(`Running upgrade ${ids[0]} -> ${ids[1]}`), 60_000);
    await within(60_000, 'the revision waits on the held row', async () => run.exited || (await running(kind, db, '%FROM held WHERE id = 1 FOR UPDATE%')));
    expect(run.exited, run.stderr).toBe(false);
    return run;
  }

  for (const path of ['dead', 'nat'] as const) {
    const how = path === 'dead' ? 'the whole path is dead, new connections unanswered too' : 'a NAT lost it, new connections get through';
    it(`${DIALECT_NAMES[dialect]}: SIGTERM while a revision's statement waits on a black-holed connection (${how}) ends the run, naming the bind; the version table keeps the revision before it`, async () => {
      await withSetup(async ({ db, proxy, p }) => {
        const release = await holdRow(db.url);
        let out: RunOutput;
        try {
          addBlockedRevisions(p);
          const run = await startBlocked(p, db);
          proxy.blackhole({ newConnections: path === 'dead' ? 'hang' : 'forward' });
          run.child.kill('SIGTERM');
          // A NAT lost the connection: the statement ends on the server, its answer never arrives.
          if (path === 'nat') await release();
          out = await endsWithin(run, 60_000);
        } finally {
          await release(); // the old session's statement ends; it is gone once its socket closes
        }
        const context = `exit ${out.code}\n${out.stderr}`;
        expect(out.code, context).not.toBe(0);
        expect(out.stderr, context).toContain('Stopping after the revision in progress');
        const error = out.stderr.split('\n').find((l) => l.startsWith('ERROR:')) ?? '';
        expect(error, context).toContain('[default]');
        expect(error, context).toContain(ids[1]);
        expect(error, context).toContain(path === 'dead' ? 'the server could not be reached while the run was stopping' : 'the server finished the statement in flight, but its answer never arrived');
        expect(out.stderr, context).not.toMatch(/^\s+at /m);
        // Nothing of the interrupted revision is recorded (PostgreSQL: nothing of it is left).
        expect(await versionsAt(db.url)).toEqual([ids[0]]);
        if (dialect === 'postgres') expect((await tablesAt(db.url)).filter((t) => !t.startsWith('multidb') && t !== 'held')).toEqual(['d1']);
        // The server sees the old session end: at once where it could be reached (multidb ended
        // it), else when its own TCP gives up (here: the proxy closes it).
        if (path === 'dead') await proxy.close();
        const rerun = new TempProject([], { config: config(db.url) });
        try {
          rerun.copyIn(join(p.dir, 'migrations'), 'migrations');
          const again = await rerun.run('upgrade');
          expect(again.code, again.stderr).toBe(0);
          expect(await versionsAt(db.url)).toEqual([ids[2]]);
        } finally {
          rerun.remove();
        }
      });
    }, 180_000);
  }

  it(`${DIALECT_NAMES[dialect]}: after SIGTERM, a side connection that reaches the server but cannot log in does not give the revision up: it completes, and the run stops after it`, async () => {
    await withSetup(async ({ db, proxy, p, role }) => {
      const release = await holdRow(db.url);
      let out: RunOutput;
      try {
        if (kind === 'postgres') await withPostgres((c) => c.query(`GRANT ALL ON held TO "${role!.user}"`), db.url);
        addBlockedRevisions(p);
        const run = await startBlocked(p, db);
        // The open session stays; a new login is refused (PostgreSQL: 28000; MariaDB: the password rotated, 1045).
        if (kind === 'postgres') await withPostgres((c) => c.query(`ALTER ROLE "${role!.user}" NOLOGIN`));
        else await withMysql((c) => c.query(`ALTER USER '${role!.user}'@'%' IDENTIFIED BY 'rotated_${role!.password}'`));
        const opened = proxy.clientPorts.length;
        run.child.kill('SIGTERM');
        // Two probes reached the server (through the proxy) and were refused their login.
        await within(60_000, 'two liveness probes were tried', async () => run.exited || proxy.clientPorts.length >= opened + 2);
        expect(run.exited, run.stderr).toBe(false);
        await release();
        out = await endsWithin(run, 60_000);
      } finally {
        await release();
      }
      const context = `exit ${out.code}\n${out.stderr}`;
      expect(out.stderr, context).toContain('Stopping after the revision in progress');
      expect(out.stderr, context).not.toContain('the connection to the server was lost');
      expect(out.code, context).toBe(143);
      // The revision in progress completed and is recorded; the run stopped before the next one.
      expect(await versionsAt(db.url)).toEqual([ids[1]]);
      expect((await tablesAt(db.url)).filter((t) => !t.startsWith('multidb') && t !== 'held').sort()).toEqual(['d1', 'd2']);
    }, '', true);
  }, 180_000);

  /**
   * Run A (straight to the server) holds the migration lock in its revision until the gate file
   * appears; run B (through the proxy) polls for the lock. Returns both and the gate.
   */
  async function lockWait(s: { db: ServerDatabase; p: TempProject }): Promise<{ holder: LiveRun; waiter: LiveRun; open: () => void }> {
    const gate = join(s.p.dir, 'gate');
    addRevision(s.p, 'default', {
      revision: ids[0]!,
      downRevision: null,
      message: 'holds the lock',
      upgrade: `await op.createTable('d1', [{ name: 'id', type: 'integer', primaryKey: true }]); const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(gate + '.started')}, ''); while (!fs.existsSync(${JSON.stringify(gate + '.go')})) await new Promise((r) => setTimeout(r, 20));`,
    });
    s.p.write('direct.config.ts', config(s.db.url));
    const holder = startMigrate(s.p, ['--config', 'direct.config.ts', 'upgrade']);
    while (!existsSync(gate + '.started')) {
      if (holder.exited) throw new Error(`the lock holder exited early:\n${holder.stderr}`);
      await sleep(20);
    }
    const waiter = startMigrate(s.p, ['upgrade']);
    await waiter.waitForStderr(/waiting for the migration lock/i, 60_000);
    return { holder, waiter, open: () => writeFileSync(gate + '.go', '') };
  }

  it(`${DIALECT_NAMES[dialect]}: SIGTERM while the migration-lock poll waits on a black-holed connection ends the wait at once`, async () => {
    await withSetup(async (s) => {
      const { holder, waiter, open } = await lockWait(s);
      try {
        // Keepalive is on: the idle socket between polls has the keepalive timer armed.
        let timer: number | undefined;
        for (let i = 0; i < 200 && timer !== 2; i++) {
          timer = s.proxy.clientPorts.map((port) => tcpTimerOf(port, s.proxy.port)).find((t) => t === 2);
          if (timer !== 2) await sleep(10);
        }
        expect(timer, 'the connection through the proxy has TCP keepalive armed').toBe(2);
        s.proxy.blackhole();
        await sleep(500); // a poll is then in flight on the dead path (no timing is asserted)
        waiter.child.kill('SIGTERM');
        const out = await endsWithin(waiter, 60_000); // its connect timeout is 300 s: only the signal ends it this soon
        const context = `exit ${out.code}\n${out.stderr}`;
        expect(out.code, context).not.toBe(0);
        expect(out.stderr, context).toContain('[default]');
        expect(out.stderr, context).not.toMatch(/^\s+at /m);
      } finally {
        open();
        const done = await holder.done;
        expect(done.code, done.stderr).toBe(0);
      }
      expect(await versionsAt(s.db.url)).toEqual([ids[0]]);
    }, ', connectTimeout: 300');
  }, 180_000);

  it(`${DIALECT_NAMES[dialect]}: a migration-lock poll the black-holed server never answers declares the connection lost within the connect timeout`, async () => {
    await withSetup(async (s) => {
      const { holder, waiter, open } = await lockWait(s);
      try {
        s.proxy.blackhole();
        const out = await endsWithin(waiter, 60_000); // no signal
        const context = `exit ${out.code}\n${out.stderr}`;
        expect(out.code, context).not.toBe(0);
        expect(out.stderr, context).toMatch(/\[default\].*did not answer the migration-lock query/);
        expect(out.stderr, context).not.toMatch(/^\s+at /m);
      } finally {
        open();
        const done = await holder.done;
        expect(done.code, done.stderr).toBe(0);
      }
      expect(await versionsAt(s.db.url)).toEqual([ids[0]]);
    }, ', connectTimeout: 3');
  }, 180_000);
}

forEachDialect('a server connection that dies silently', 'dead_conn', deadConnectionSuite, ['postgres', 'mysql']);

// Closing an idle session whose path died: PostgreSQL's close waited for the server to close the
// socket after its Terminate message, which never came (a run stopped before a bind's turn, an
// app's env.close() at shutdown). Now it gives up once the connect timeout has passed.
forEachDialect(
  'closing a server connection that died silently',
  'dead_close',
  (dialect, url) => {
    it(`${DIALECT_NAMES[dialect]}: an idle connection whose path died closes within the connect timeout`, async () => {
      const server = new URL(url());
      const proxy = await new BlackholeProxy(Number(server.port || (dialect === 'postgres' ? 5432 : 3306))).start();
      try {
        const driver = await dialects.find((d) => d.name === dialect)!.load();
        const conn = await driver.connect({ bind: 'default', url: viaProxy(url(), proxy), baseDir: process.cwd(), connectTimeoutMs: 2000 });
        expect(await conn.identity()).toContain(server.pathname.slice(1));
        proxy.blackhole();
        // A generous bound for what the connect timeout (2 s) ends: it waited for ever.
        expect(await settledWithin(30_000, conn.close().then(() => 'closed'))).toBe('closed');
      } finally {
        await proxy.close();
      }
    });
  },
  ['postgres', 'mysql'],
);
