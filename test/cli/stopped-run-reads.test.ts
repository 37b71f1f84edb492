// A run of independent binds (one group after the other, no --concurrency) that stops, by a
// failing revision or by Ctrl-C, reads the groups it did not start to name only those with steps
// to run (MigrationError.notRun, InterruptedError.notStarted). A read there could hold the run
// up: of a server bind that does not answer (here, PostgreSQL whose version table another session
// holds in ACCESS EXCLUSIVE mode: a real server, a read that waits, watched on the server), the
// run waited for it however long, and Ctrl-C did not end it: the liveness watch of a run asked to
// stop keeps waiting for a statement its server still runs. Now:
// - Ctrl-C while the run reads them: the read of the server bind is given up, the run ends at
//   once (its error naming that bind as not run);
// - Ctrl-C before they are read (the run stopped by the signal): a server bind is not read (it is
//   named as not started), a SQLite file still is; one whose network path died is closed within
//   its connect timeout (PostgreSQL's close waited for ever for the server to close the socket);
// - a run to relative targets (`+1`) read every bind before it started: the groups it did not
//   start are not read again.
// Through the built `migrate` binary; a SQLite bind `first` whose revision fails or waits at a
// gate (a file the test creates), then a PostgreSQL bind `pg`.
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { startMigrate, type LiveRun } from '../faults/faults-support.js';
import { BlackholeProxy, viaProxy } from '../support/blackhole-proxy.js';
import { revisionSource, TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, useDatabases, versionsAt, withPostgres } from '../support/servers.js';
import { within } from '../support/stuck-statements.js';
import { settledWithin } from '../support/silent-server.js';

const [F1, F2, P1, P2] = ['f10000000001', 'f10000000002', 'b10000000001', 'b10000000002'];
/** What must end long before what it would otherwise wait for (a lock the test holds until then): never a measure of speed. */
const PROMPTLY_MS = 30_000;

describeWithServers('a stopped run does not wait on a server bind it did not start', ['postgres'], () => {
  const dbs = useDatabases('stopped_run_reads', { pg: 'postgres' });
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * A project of `first` (SQLite; F2 fails, or waits at the gate `gate` first when `gated`) and
   * `pg` (the test database, emptied; through `proxy` when given, with a connect timeout of 3 s),
   * both at their first revision, each with a second to run.
   */
  async function project(f2: 'fails' | 'gated', proxy?: BlackholeProxy): Promise<TempProject> {
    await withPostgres((c) => c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public'), dbs.pg.url);
    const pgBind = proxy ? `{ url: ${JSON.stringify(viaProxy(dbs.pg.url, proxy))}, connectTimeout: 3 }` : `{ url: ${JSON.stringify(dbs.pg.url)} }`;
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { first: { url: 'sqlite:.data/first.db' }, pg: ${pgBind} } });\n`,
    });
    cleanups.push(async () => p.remove());
    const table = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
    const gate = `{ const fs = await import('node:fs'); const g = ${JSON.stringify(p.dir)} + '/gate'; fs.writeFileSync(g + '.started', ''); while (!fs.existsSync(g + '.go')) await new Promise((r) => setTimeout(r, 20)); }`;
    p.write(`migrations/versions/first/${F1}_a.ts`, revisionSource({ revision: F1, downRevision: null, branchLabels: ['first'], upgrade: table('fa') }));
    p.write(`migrations/versions/first/${F2}_b.ts`, revisionSource({ revision: F2, downRevision: F1, upgrade: f2 === 'fails' ? "throw new Error('boom');" : `${gate} ${table('fb')}` }));
    p.write(`migrations/versions/pg/${P1}_a.ts`, revisionSource({ revision: P1, downRevision: null, branchLabels: ['pg'], upgrade: table('pa') }));
    p.write(`migrations/versions/pg/${P2}_b.ts`, revisionSource({ revision: P2, downRevision: P1, upgrade: table('pb') }));
    await p.ok('upgrade', F1, P1);
    return p;
  }

  /**
   * Holds `pg`'s version table in ACCESS EXCLUSIVE mode (an open transaction) until the returned
   * function is called, or the cleanup: every read of it waits.
   */
  async function lockVersionTable(): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: dbs.pg.url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE multidb_version IN ACCESS EXCLUSIVE MODE');
    let released: Promise<void> | undefined;
    const release = () =>
      (released ??= (async () => {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.end().catch(() => undefined);
      })());
    cleanups.push(release);
    return release;
  }

  /** Whether a session reads `pg`'s version table and waits on a lock, per the server. */
  const readWaits = (): Promise<boolean> =>
    withPostgres(
      async (c) =>
        (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE '%multidb_version%' AND pid <> pg_backend_pid()`, [dbs.pg.name])).rowCount! > 0,
    );

  /** The run's output once it ended, within {@link PROMPTLY_MS}; fails (the process killed) otherwise. */
  async function ended(run: LiveRun): Promise<RunOutput> {
    const out = await settledWithin(PROMPTLY_MS, run.done);
    if (typeof out === 'string') {
      run.child.kill('SIGKILL');
      throw new Error(`migrate ${out}; stderr:\n${run.stderr}`);
    }
    return out;
  }

  /** Resolves once the project has the file (the gated revision reached its gate). */
  async function reached(p: TempProject, run: LiveRun, file: string): Promise<void> {
    await within(60_000, `${file} written`, async () => run.exited || p.exists(file));
    expect(run.exited, run.stderr).toBe(false);
  }

  it('Ctrl-C while the run, stopped by a failing revision, reads a server bind that does not answer: the run ends at once, naming the bind as not run', async () => {
    const p = await project('fails');
    const release = await lockVersionTable();
    const run = startMigrate(p, ['upgrade']);
    // `first` failed; the run reads `pg` (not started) to say whether it had steps to run.
    await within(60_000, "the run's read of pg waits on the lock", async () => run.exited || (await readWaits()));
    expect(run.exited, run.stderr).toBe(false);
    run.child.kill('SIGINT');
    const out = await ended(run);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toContain('Stopping: no revision is in progress; none will start.');
    expect(out.stderr).toContain(`[first] revision ${F2} failed: boom`);
    expect(out.stderr).toContain('not run (the run stopped here): pg;');
    await release();
    expect(await versionsAt(dbs.pg.url)).toEqual([P1]);
  });

  it('Ctrl-C during the first bind\'s revision: the run ends after it without reading the server bind it did not start (named as not started)', async () => {
    const p = await project('gated');
    await lockVersionTable();
    const run = startMigrate(p, ['upgrade']);
    await reached(p, run, 'gate.started');
    run.child.kill('SIGINT');
    await run.waitForStderr(/Stopping after/);
    p.write('gate.go', '');
    const out = await ended(run);
    expect(out.code, out.stderr).toBe(130);
    expect(out.stderr).toMatch(/Interrupted \(SIGINT\): stopped after 1 revision/);
    expect(out.stderr).toContain('Not started (nothing read or changed there): pg');
  });

  it("Ctrl-C during the first bind's revision, the server bind's network path dead meanwhile: the run ends after it, its connection given up within the connect timeout", async () => {
    const proxy = await new BlackholeProxy(Number(new URL(dbs.pg.url).port || 5432)).start();
    cleanups.push(() => proxy.close());
    const p = await project('gated', proxy);
    const run = startMigrate(p, ['upgrade']);
    await reached(p, run, 'gate.started');
    proxy.blackhole(); // pg was connected first: its session is idle, its path now dead
    run.child.kill('SIGINT');
    await run.waitForStderr(/Stopping after/);
    p.write('gate.go', '');
    const out = await ended(run);
    expect(out.code, out.stderr).toBe(130);
    expect(out.stderr).toContain('Not started (nothing read or changed there): pg');
  });

  it('a run to +1 that fails at the first bind names the server bind as not run from its plan, without reading it again', async () => {
    const p = await project('gated');
    // F2 fails once past its gate: the version tables were read (before anything ran) by then.
    p.write(`migrations/versions/first/${F2}_b.ts`, p.read(`migrations/versions/first/${F2}_b.ts`).replace(/await op\.createTable\('fb'[^;]*;/, "throw new Error('boom');"));
    const run = startMigrate(p, ['upgrade', '+1']);
    await reached(p, run, 'gate.started');
    await lockVersionTable();
    p.write('gate.go', '');
    const out = await ended(run);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toContain(`[first] revision ${F2} failed: boom`);
    expect(out.stderr).toContain('not run (the run stopped here): pg;');
  });
});
