// Ctrl-C (SIGINT) and SIGTERM during `migrate upgrade`/`downgrade`, the built bin as a child
// process. The first signal asks the run to stop: the revision in progress finishes, none starts
// after it, stderr says so at once, and the run ends saying where each bind stands, exit 130 (143).
// A second signal aborts at once, exit 130, saying what the database does with the revision in
// progress, which the test then checks: SQLite and PostgreSQL roll it back; MariaDB keeps what it
// completed, recorded, and the next run resumes it. A statement running on the server then is
// cancelled there (PostgreSQL's cancel request, MariaDB's KILL QUERY) instead of running on after
// the process ended. Each revision waits at a gate (a file the test creates, or the server showing
// the statement running), so the signals land at a known point without any timing. Before the run
// (the config loading) and after it (the codegen of an upgrade or a downgrade, held on a FIFO as its types file),
// a signal ends the command with one line saying what was done.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMigrate, type LiveRun } from '../faults/faults-support.js';
import { revisionSource, runMigrate, TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';
import { holdRow, STUCK, stuck, within } from '../support/stuck-statements.js';
import { closed, settledWithin, silentServer } from '../support/silent-server.js';

const R = ['cc0000000001', 'cc0000000002', 'cc0000000003'] as const;
const STOPPING = 'Stopping after the revision in progress; press Ctrl-C again to abort it.';
/** The first signal's line when no revision is in progress (connecting; a revision that held the thread has ended). */
const STOPPING_IDLE = 'Stopping: no revision is in progress; none will start.';
/** The first signal's line when only SQLite revisions are in progress: the next signal is the OS's (see handleCommandSignals). */
const STOPPING_SQLITE = 'Stopping after the revision in progress; press Ctrl-C again to abort it at once: SQLite discards its uncommitted transaction.';

/**
 * A project of one bind `app` at `url` with revisions r1..r3: revision i creates table ti, then
 * (upgrade) writes `gate-<i>.started` and waits until `gate-<i>.go` exists; then creates tib. The
 * downgrades drop them, r2's waiting at `gate-down-2` the same way.
 */
function gatedProject(url: string): TempProject {
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
  const gate = (name: string) =>
    `{ const fs = await import('node:fs'); const g = ${JSON.stringify(join(p.dir, name))}; fs.writeFileSync(g + '.started', ''); while (!fs.existsSync(g + '.go')) await new Promise((r) => setTimeout(r, 20)); }`;
  R.forEach((id, i) => {
    const t = `t${i + 1}`;
    p.write(
      `migrations/versions/app/${id}_${t}.ts`,
      revisionSource({
        revision: id,
        downRevision: i === 0 ? null : R[i - 1]!,
        ...(i === 0 ? { branchLabels: ['app'] } : {}),
        upgrade: `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]); ${gate(`gate-${i + 1}`)} await op.createTable('${t}b', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        downgrade: `${i === 1 ? gate('gate-down-2') : ''} await op.dropTable('${t}b'); await op.dropTable('${t}');`,
      }),
    );
  });
  return p;
}

/** Resolves once the project has the file (a revision reached its gate). */
async function reached(p: TempProject, run: LiveRun, file: string): Promise<void> {
  while (!p.exists(file)) {
    if (run.exited) throw new Error(`migrate exited before ${file}:\n${run.stdout}\n${run.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts `migrate ARGS` and, once revision 1 has reached its gate (which stays shut: it never
 * finishes), sends Ctrl-C, waits for the first signal's line, and sends a second Ctrl-C.
 */
async function ctrlCTwice(p: TempProject, args: string[]): Promise<RunOutput> {
  const run = startMigrate(p, args);
  await reached(p, run, 'gate-1.started');
  run.child.kill('SIGINT');
  await run.waitForStderr(/Stopping after/);
  run.child.kill('SIGINT');
  return run.done;
}

const open = (p: TempProject, name: string) => p.write(`${name}.go`, '');
const lines = (text: string) => text.trimEnd().split('\n');

/** A project of 20 SQLite tenant binds (t01 … t20) sharing the branch `tenant`, added to `projects` (removed after the test). */
function twentyTenants(projects: TempProject[]): { tenants: string[]; p: TempProject } {
  const tenants = Array.from({ length: 20 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
  });
  projects.push(p);
  return { tenants, p };
}

describe('Ctrl-C and SIGTERM on SQLite', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));
  const project = () => {
    const p = gatedProject('sqlite:.data/app.db');
    projects.push(p);
    return p;
  };

  it('Ctrl-C: the revision in progress finishes, none starts after it; exit 130, where the bind stands; a re-run completes', async () => {
    const p = project();
    const run = startMigrate(p, ['upgrade']);
    await reached(p, run, 'gate-1.started');
    run.child.kill('SIGINT');
    await run.waitForStderr(/Stopping after/);
    open(p, 'gate-1'); // only now does revision 1 go on: the line came first
    const out = await run.done;
    expect(out.code).toBe(130);
    expect(lines(out.stderr)).toEqual([
      `[app] Running upgrade <base> -> ${R[0]}, ${R[0]}`,
      STOPPING_SQLITE,
      'Interrupted (SIGINT): stopped after 1 revision.',
      `[app] at ${R[0]}; not run: ${R[1]}, ${R[2]}`,
      'Run the same command again to go on.',
    ]);
    expect(out.stdout).toBe('');
    expect(p.exists('gate-2.started')).toBe(false); // revision 2 never started
    expect(p.versionsApplied('app')).toEqual([R[0]]);
    expect(p.tables('app').filter((t) => /^t\d/.test(t)).sort()).toEqual(['t1', 't1b']);

    open(p, 'gate-2');
    open(p, 'gate-3');
    const again = await p.run('upgrade');
    expect(again.code, again.stderr).toBe(0);
    expect(p.versionsApplied('app')).toEqual([R[2]]);
  });

  it('downgrade, Ctrl-C: the same', async () => {
    const p = project();
    for (const g of ['gate-1', 'gate-2', 'gate-3']) open(p, g);
    await p.ok('upgrade');
    const run = startMigrate(p, ['downgrade', 'app@base']);
    await reached(p, run, 'gate-down-2.started');
    run.child.kill('SIGINT');
    await run.waitForStderr(/Stopping after/);
    open(p, 'gate-down-2');
    const out = await run.done;
    expect(out.code).toBe(130);
    expect(lines(out.stderr).slice(-3)).toEqual(['Interrupted (SIGINT): stopped after 2 revisions.', `[app] at ${R[0]}; not run: ${R[0]}`, 'Run the same command again to go on.']);
    expect(p.versionsApplied('app')).toEqual([R[0]]);
  });

  it('SIGTERM with --json: stdout is one JSON document (INTERRUPTED) with the steps done and where the bind stands; exit 143', async () => {
    const p = project();
    const run = startMigrate(p, ['upgrade', '--json']);
    await reached(p, run, 'gate-1.started');
    run.child.kill('SIGTERM');
    await run.waitForStderr(/Stopping after/);
    open(p, 'gate-1');
    const out = await run.done;
    expect(out.code).toBe(143);
    expect(lines(out.stderr)).toContain('Stopping after the revision in progress; send it again to abort it at once: SQLite discards its uncommitted transaction.');
    expect(JSON.parse(out.stdout)).toEqual({
      error: {
        message: expect.stringMatching(/^Interrupted: stopped after 1 revision; not run: \[app\] cc0000000002, \[app\] cc0000000003\./),
        code: 'INTERRUPTED',
        steps: [{ bind: 'app', revision: R[0], direction: 'up', elapsedMs: expect.any(Number) }],
        heads: { app: [R[0]] },
        pending: [
          { bind: 'app', revision: R[1] },
          { bind: 'app', revision: R[2] },
        ],
        notStarted: [],
      },
    });
    expect(p.versionsApplied('app')).toEqual([R[0]]);
  });

  it('a second Ctrl-C aborts at once, by the signal itself (only SQLite in progress); SQLite discards the revision in progress; a re-run completes', async () => {
    const p = project();
    const run = startMigrate(p, ['upgrade', '--json']);
    await reached(p, run, 'gate-1.started');
    run.child.kill('SIGINT');
    await run.waitForStderr(/Stopping after/);
    run.child.kill('SIGINT');
    const out = await run.done;
    // The OS's default action ended it: no line and no JSON document after the first signal's line.
    expect(run.child.signalCode).toBe('SIGINT');
    expect(lines(out.stderr).slice(1)).toEqual([STOPPING_SQLITE]);
    expect(out.stdout).toBe('');
    // What it said: t1, created before the gate, is gone with the transaction; nothing is recorded.
    expect(p.versionsApplied('app')).toEqual([]);
    expect(p.tables('app').filter((t) => /^t\d/.test(t))).toEqual([]);
    for (const g of ['gate-1', 'gate-2', 'gate-3']) open(p, g);
    const again = await p.run('upgrade');
    expect(again.code, again.stderr).toBe(0);
    expect(p.versionsApplied('app')).toEqual([R[2]]);
  });
});

/** `migrate upgrade` on a {@link gatedProject}, Ctrl-C while its last revision (r3) waits at its gate, then the gate opened: the run's output. */
async function upgradeStoppedInLastRevision(p: TempProject): Promise<RunOutput> {
  open(p, 'gate-1');
  open(p, 'gate-2');
  const run = startMigrate(p, ['upgrade']);
  await reached(p, run, 'gate-3.started');
  run.child.kill('SIGINT');
  await run.waitForStderr(/Stopping after/);
  open(p, 'gate-3');
  return run.done;
}

/**
 * A signal during the LAST revision of the run: that revision finishes, nothing was left, and the
 * run still ends as an interrupted one (its summary, exit 130 or 143, `--json` INTERRUPTED), not
 * as a completed run (which exited 0 without a word after `Stopping …`, as if nobody had asked).
 */
function lastRevisionSuite(url: () => string, tables: (p: TempProject) => Promise<string[]>, versions: (p: TempProject) => Promise<string[]>, stopping = STOPPING): void {
  it('upgrade, Ctrl-C during the last revision: it finishes; exit 130 with the summary, nothing left to run', async () => {
    const p = gatedProject(url());
    try {
      const out = await upgradeStoppedInLastRevision(p);
      expect(out.code, out.stderr).toBe(130);
      expect(lines(out.stderr).slice(-4)).toEqual([stopping, 'Interrupted (SIGINT): stopped after 3 revisions.', `[app] at ${R[2]}`, 'Nothing was left to run: every bind is at its target.']);
      expect(out.stdout).toBe('');
      expect(await versions(p)).toEqual([R[2]]);
      expect((await tables(p)).filter((t) => /^t\d/.test(t)).sort()).toEqual(['t1', 't1b', 't2', 't2b', 't3', 't3b']);
    } finally {
      p.remove();
    }
  });

  it('downgrade, SIGTERM with --json during the last revision: exit 143; one INTERRUPTED document, nothing pending', async () => {
    const p = gatedProject(url());
    try {
      for (const g of ['gate-1', 'gate-2', 'gate-3']) open(p, g);
      // At r2 (a server's database may hold the upgrade before): r2's downgrade is the only one left.
      await p.ok('upgrade');
      await p.ok('downgrade', 'app@-1');
      const run = startMigrate(p, ['downgrade', 'app@-1', '--json']);
      await reached(p, run, 'gate-down-2.started');
      run.child.kill('SIGTERM');
      await run.waitForStderr(/Stopping after/);
      open(p, 'gate-down-2');
      const out = await run.done;
      expect(out.code, out.stderr).toBe(143);
      expect(lines(out.stderr).slice(-3)).toEqual(['Interrupted (SIGTERM): stopped after 1 revision.', `[app] at ${R[0]}`, 'Nothing was left to run: every bind is at its target.']);
      expect(JSON.parse(out.stdout)).toEqual({
        error: {
          message: 'Interrupted: stopped after 1 revision; nothing was left to run: every bind is at its target.',
          code: 'INTERRUPTED',
          steps: [{ bind: 'app', revision: R[1], direction: 'down', elapsedMs: expect.any(Number) }],
          heads: { app: [R[0]] },
          pending: [],
          notStarted: [],
        },
      });
      expect(await versions(p)).toEqual([R[0]]);
    } finally {
      p.remove();
    }
  });
}

describe('Ctrl-C and SIGTERM during the last revision, SQLite', () => {
  lastRevisionSuite(
    () => 'sqlite:.data/app.db',
    async (p) => p.tables('app'),
    async (p) => p.versionsApplied('app'),
    STOPPING_SQLITE,
  );

  it("with codegen 'after-run': the summary names the binds whose types were not regenerated", async () => {
    const p = gatedProject('sqlite:.data/app.db');
    p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: 'sqlite:.data/app.db', types: './app-types.ts', codegen: 'after-run' } } });\n`);
    try {
      const out = await upgradeStoppedInLastRevision(p);
      expect(out.code, out.stderr).toBe(130);
      expect(lines(out.stderr).slice(-2)).toEqual([
        'Nothing was left to run: every bind is at its target.',
        "The types of app were not regenerated (codegen 'after-run' runs after a run that completes): run 'migrate codegen app'.",
      ]);
      expect(p.exists('app-types.ts')).toBe(false);
      await p.ok('codegen', 'app');
      expect(p.read('app-types.ts')).toContain('t3b');
    } finally {
      p.remove();
    }
  });
});

describeWithServers('Ctrl-C and SIGTERM during the last revision, PostgreSQL (its COMMIT pipelined)', ['postgres'], () => {
  const dbs = useDatabases('interrupt_last', { db: 'postgres' });
  lastRevisionSuite(
    () => dbs.db.url,
    () => tablesAt(dbs.db.url),
    () => versionsAt(dbs.db.url),
  );
});

describeWithServers('Ctrl-C and SIGTERM during the last revision, MariaDB (its version write not held back)', ['mysql'], () => {
  const dbs = useDatabases('interrupt_last', { db: 'mysql' });
  lastRevisionSuite(
    () => dbs.db.url,
    () => tablesAt(dbs.db.url),
    () => versionsAt(dbs.db.url),
  );
});

/**
 * A revision body that writes `<name>.started`, then holds the thread (not the event loop's turn:
 * the way better-sqlite3 holds it through a long statement or a batch rebuild) until `<name>.go`
 * exists.
 */
const syncGate = (p: TempProject, name: string) =>
  `{ const fs = await import('node:fs'); const g = ${JSON.stringify(join(p.dir, name))}; fs.writeFileSync(g + '.started', ''); const cell = new Int32Array(new SharedArrayBuffer(4)); while (!fs.existsSync(g + '.go')) Atomics.wait(cell, 0, 0, 20); }`;

/** `migrate ARGS` on a {@link syncGatedProject}: SIGTERM while the gated revision holds the thread, then the gate opened: the run's output. */
async function sigtermWhileHeld(p: TempProject, args: string[]): Promise<RunOutput> {
  const run = startMigrate(p, args);
  await reached(p, run, 'sync-gate.started');
  run.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  open(p, 'sync-gate');
  return run.done;
}

/** A SQLite project of binds `binds` (in that order), each with revisions r1..r3 creating t1..t3; `gated` holds the thread in `bind`'s revision `index`. */
function syncGatedProject(binds: readonly string[], gated: { bind: string; index: number }): TempProject {
  const p = new TempProject([], {
    config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { ${binds.map((b) => `${b}: { url: 'sqlite:.data/${b}.db' }`).join(', ')} } });\n`,
  });
  binds.forEach((bind, b) => {
    const ids = R.map((id) => id.slice(0, -2) + String(b) + id.slice(-1));
    ids.forEach((id, i) => {
      const gate = bind === gated.bind && i === gated.index ? syncGate(p, 'sync-gate') : '';
      p.write(
        `migrations/versions/${bind}/${id}_t${i + 1}.ts`,
        revisionSource({
          revision: id,
          downRevision: i === 0 ? null : ids[i - 1]!,
          ...(i === 0 ? { branchLabels: [bind] } : {}),
          upgrade: `await op.createTable('t${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]); ${gate}`,
        }),
      );
    });
  });
  return p;
}

/**
 * SQLite runs a revision on the thread (better-sqlite3 is synchronous), and the steps of a run
 * follow one another through promise callbacks alone: a signal that came during a revision was
 * delivered only when the whole run had ended, so Ctrl-C (or a deploy's SIGTERM) did not stop it
 * (every revision ran, exit 0). The runner now lets the event loop deliver it before a step starts.
 */
describe('Ctrl-C and SIGTERM while a SQLite revision holds the thread', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it('Ctrl-C: stops after that revision (exit 130), none starts after it', async () => {
    const p = syncGatedProject(['app'], { bind: 'app', index: 0 });
    projects.push(p);
    const ids = ['cc0000000001', 'cc0000000002', 'cc0000000003'];
    const run = startMigrate(p, ['upgrade']);
    await reached(p, run, 'sync-gate.started');
    run.child.kill('SIGINT'); // the thread is held: the line cannot come before the revision ends
    await new Promise((r) => setTimeout(r, 200));
    open(p, 'sync-gate');
    const out = await run.done;
    expect(out.code, out.stderr).toBe(130);
    expect(lines(out.stderr)).toEqual([
      `[app] Running upgrade <base> -> ${ids[0]}, ${ids[0]}`,
      STOPPING_IDLE, // seen once the revision has ended: none is in progress then
      'Interrupted (SIGINT): stopped after 1 revision.',
      `[app] at ${ids[0]}; not run: ${ids[1]}, ${ids[2]}`,
      'Run the same command again to go on.',
    ]);
    expect(p.versionsApplied('app')).toEqual([ids[0]]);
    expect(p.tables('app').filter((t) => /^t\d/.test(t))).toEqual(['t1']);
  });

  it("SIGTERM during a bind's last revision: the next bind is not started (exit 143)", async () => {
    const p = syncGatedProject(['app', 'other'], { bind: 'app', index: 2 });
    projects.push(p);
    // SIGTERM is seen only once the revision ends.
    const out = await sigtermWhileHeld(p, ['upgrade']);
    expect(out.code, out.stderr).toBe(143);
    expect(lines(out.stderr).slice(-4)).toEqual([
      'Interrupted (SIGTERM): stopped after 3 revisions.',
      '[app] at cc0000000003',
      'Not started (nothing read or changed there): other',
      'Run the same command again to go on.',
    ]);
    expect(p.versionsApplied('app')).toEqual(['cc0000000003']);
    expect(p.versionsApplied('other')).toEqual([]);
    expect((await p.run('upgrade')).code).toBe(0);
    expect(p.versionsApplied('other')).toEqual(['cc0000000013']);
  });

  it('SIGTERM with --json during the last revision of the run (the thread held): exit 143, INTERRUPTED, nothing pending', async () => {
    const p = syncGatedProject(['app'], { bind: 'app', index: 2 });
    projects.push(p);
    // SIGTERM is seen only once the revision ends: the run has nothing left then.
    const out = await sigtermWhileHeld(p, ['upgrade', '--json']);
    expect(out.code, out.stderr).toBe(143);
    // Nothing is in progress by then: the line says so (it used to say "Stopping after the revision in progress").
    expect(lines(out.stderr).slice(-4)).toEqual([
      STOPPING_IDLE,
      'Interrupted (SIGTERM): stopped after 3 revisions.',
      '[app] at cc0000000003',
      'Nothing was left to run: every bind is at its target.',
    ]);
    expect(JSON.parse(out.stdout)).toMatchObject({ error: { code: 'INTERRUPTED', heads: { app: ['cc0000000003'] }, pending: [], notStarted: [] } });
    expect(p.versionsApplied('app')).toEqual(['cc0000000003']);
  });

  it('20 tenants on worker threads (--concurrency 2), each revision holding its thread: the tenants in progress stop after it', async () => {
    const { tenants, p } = twentyTenants(projects);
    const gate = `{ const fs = await import('node:fs'); const g = ${JSON.stringify(join(p.dir, 'gate'))}; fs.writeFileSync(g + '-' + op.bind + '.started', ''); const cell = new Int32Array(new SharedArrayBuffer(4)); while (!fs.existsSync(g + '.go')) Atomics.wait(cell, 0, 0, 20); }`;
    p.write(`migrations/versions/tenant/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['tenant'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]); ${gate}` }));
    p.write(`migrations/versions/tenant/${R[1]}_t2.ts`, revisionSource({ revision: R[1], downRevision: R[0], upgrade: `await op.createTable('t2', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
    const run = startMigrate(p, ['upgrade', '--concurrency', '2']);
    await reached(p, run, 'gate-t01.started');
    await reached(p, run, 'gate-t02.started');
    run.child.kill('SIGINT'); // the main thread is free: it says so at once, and tells the workers
    await run.waitForStderr(/Stopping after the revisions in progress/);
    await new Promise((r) => setTimeout(r, 200));
    p.write('gate.go', '');
    const out = await run.done;
    expect(out.code, out.stderr).toBe(130);
    expect(lines(out.stderr).slice(-5)).toEqual([
      'Interrupted (SIGINT): stopped after 2 revisions.',
      `[t01] at ${R[0]}; not run: ${R[1]}`,
      `[t02] at ${R[0]}; not run: ${R[1]}`,
      `Not started (nothing read or changed there): ${tenants.slice(2).join(', ')}`,
      'Run the same command again to go on.',
    ]);
    expect(p.versionsApplied('t01')).toEqual([R[0]]);
    expect(p.versionsApplied('t02')).toEqual([R[0]]);
  });
});

/**
 * A SQLite project of one bind `app`: r1 creates t1; r2 creates `big`, inserts 3 rows, waits
 * (awaiting: the thread is free) until `gate.go` exists, writes `long.started` and runs one long
 * synchronous statement (a recursive CTE of `LONG_ROWS` rows, default 100 million: tens of
 * seconds here) that inserts one more row.
 */
function longStatementProject(): TempProject {
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: 'sqlite:.data/app.db' } } });\n` });
  const file = (name: string) => JSON.stringify(join(p.dir, name));
  p.write(`migrations/versions/app/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
  p.write(
    `migrations/versions/app/${R[1]}_big.ts`,
    revisionSource({
      revision: R[1],
      downRevision: R[0],
      upgrade:
        `const fs = await import('node:fs'); const n = Number(process.env.LONG_ROWS ?? 100000000);` +
        ` await op.createTable('big', [{ name: 'x', type: 'integer' }]); await op.execute('INSERT INTO big VALUES (1), (2), (3)');` +
        ` fs.writeFileSync(${file('gate.started')}, ''); while (!fs.existsSync(${file('gate.go')})) await new Promise((r) => setTimeout(r, 20));` +
        ` fs.writeFileSync(${file('long.started')}, '');` +
        ' await op.execute(`INSERT INTO big SELECT sum(x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x FROM c)`);',
    }),
  );
  return p;
}

/** Resolves true once the run has exited, false if it has not within `ms`. */
async function exitsWithin(run: LiveRun, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!run.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return run.exited;
}

/**
 * better-sqlite3 holds the thread through a statement: no signal listener can run before it
 * returns. A second signal used to wait for that (here: tens of seconds; a batch rebuild of
 * millions of rows: minutes). Once the first signal found only SQLite revisions in progress, the
 * handlers are gone, so the next signal ends the process at once (the OS's default action), and
 * SQLite discards the uncommitted transaction.
 */
describe('a second signal while a long SQLite statement holds the thread', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  for (const [signal, args, again] of [
    ['SIGINT', ['upgrade'], 'press Ctrl-C again'],
    ['SIGTERM', ['upgrade', '--json'], 'send it again'],
  ] as const) {
    it(`${signal} twice (${args.join(' ')}): the process ends at once, by ${signal}; the version table is unchanged, the revision's rows are gone; a re-run completes`, async () => {
      const p = longStatementProject();
      projects.push(p);
      await p.ok('upgrade', R[0]);
      const run = startMigrate(p, args);
      try {
        await reached(p, run, 'gate.started');
        run.child.kill(signal);
        await run.waitForStderr(/Stopping after/);
        open(p, 'gate');
        await reached(p, run, 'long.started');
        await new Promise((r) => setTimeout(r, 500)); // the statement runs now (its end is tens of seconds away)
        run.child.kill(signal);
        // An anti-hang bound only: what shows the fix is the process ending BY the signal (signalCode
        // below); without it the statement runs to its end and the process exits 130 on its own.
        expect(await exitsWithin(run, 60_000), `still running 60 s after the second ${signal}:\n${run.stderr}`).toBe(true);
      } finally {
        if (!run.exited) run.child.kill('SIGKILL');
      }
      const out = await run.done;
      expect(run.child.signalCode).toBe(signal);
      expect(lines(out.stderr)).toEqual([
        `[app] Running upgrade ${R[0]} -> ${R[1]}, ${R[1]}`,
        `Stopping after the revision in progress; ${again} to abort it at once: SQLite discards its uncommitted transaction.`,
      ]);
      expect(out.stdout).toBe('');
      // The database opens cleanly: r2's table and rows went with its transaction; r1 stays recorded.
      expect(p.query<{ integrity_check: string }>('app', 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(p.versionsApplied('app')).toEqual([R[0]]);
      expect(p.tables('app')).toEqual(['multidb_version', 't1']);
      const rerun = await runMigrate(p.dir, ['upgrade'], { LONG_ROWS: '1000' });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(p.versionsApplied('app')).toEqual([R[1]]);
      expect(p.query<{ n: number }>('app', 'SELECT count(*) AS n FROM big')).toEqual([{ n: 4 }]);
    });
  }

  // With a server bind in the config, one may hold work back between its steps (a MySQL/MariaDB
  // version write sent with its next statement) that ending the process by the signal would not
  // send: the first signal keeps the handlers, and its line is the usual one.
  it("a config with a server bind keeps the handlers: the first signal's line is the usual one", async () => {
    const p = longStatementProject();
    projects.push(p);
    p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: 'sqlite:.data/app.db' }, srv: { url: 'postgres://postgres@127.0.0.1:1/none' } } });\n`);
    await p.ok('upgrade', `app@${R[0]}`);
    const run = startMigrate(p, ['upgrade', 'app@head']);
    try {
      await reached(p, run, 'gate.started');
      run.child.kill('SIGINT');
      await run.waitForStderr(/Stopping after/);
      expect(lines(run.stderr)).toContain(STOPPING);
    } finally {
      run.child.kill('SIGKILL');
      await run.done;
    }
  });
});

/**
 * On worker threads (20 SQLite tenants, `--concurrency 2`) a worker posts its events once it yields
 * to its event loop: a revision that starts a long statement at once has not been seen to start
 * when the first signal comes, so the handlers stay, and the second signal's abort printed its lines
 * and called `process.exit`, which waits for every worker, here for the end of the statement (tens
 * of seconds, minutes). It now ends the process by the signal once its lines are out.
 */
describe('a second signal while a long SQLite statement holds a worker thread', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  for (const [signal, args, code] of [
    ['SIGINT', ['upgrade', '--concurrency', '2'], 130],
    ['SIGTERM', ['upgrade', '--concurrency', '2', '--json'], 143],
  ] as const) {
    it(`${signal} twice (${args.join(' ')}): the lines are printed and the process ends by ${signal} at once; t01 is unchanged and its database sound; a re-run completes`, async () => {
      const { tenants, p } = twentyTenants(projects);
      const file = (name: string) => JSON.stringify(join(p.dir, name));
      p.write(`migrations/versions/tenant/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['tenant'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
      await p.ok('upgrade');
      // t01's r2 runs one long statement (a recursive CTE of LONG_ROWS rows, default a billion: minutes)
      // without yielding first; every other tenant's r2 is quick.
      p.write(
        `migrations/versions/tenant/${R[1]}_big.ts`,
        revisionSource({
          revision: R[1],
          downRevision: R[0],
          upgrade:
            `await op.createTable('big', [{ name: 'x', type: 'integer' }]);` +
            ` if (op.bind === 't01') { const n = Number(process.env.LONG_ROWS ?? 1000000000); (await import('node:fs')).writeFileSync(${file('long.started')}, '');` +
            ' await op.execute(`INSERT INTO big SELECT sum(x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x FROM c)`); }',
        }),
      );
      const run = startMigrate(p, args);
      try {
        await reached(p, run, 'long.started');
        // Every other tenant done (their events reached the main thread): only t01's revision runs, unseen.
        for (const t of tenants.slice(1)) while (p.versionsApplied(t)[0] !== R[1]) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 500));
        run.child.kill(signal);
        await run.waitForStderr(/Stopping/);
        run.child.kill(signal);
        // An anti-hang bound far below the statement's duration: without the fix, process.exit waits for it.
        expect(await exitsWithin(run, 30_000), `still running 30 s after the second ${signal}:\n${run.stderr}`).toBe(true);
      } finally {
        if (!run.exited) run.child.kill('SIGKILL');
      }
      const out = await run.done;
      expect(run.child.signalCode, out.stderr).toBe(signal);
      expect(lines(out.stderr).slice(-3)).toEqual([
        // A revision is in progress on its worker, unseen (its start not posted yet): the usual line.
        `Stopping after the revisions in progress; ${signal === 'SIGINT' ? 'press Ctrl-C again' : 'send it again'} to abort them.`,
        'No revision was in progress.',
        `Aborted (${signal}). Run 'migrate current' to see where each bind stands.`,
      ]);
      if (code === 143) expect(JSON.parse(out.stdout)).toMatchObject({ error: { code: 'ABORTED', inProgress: [] } });
      else expect(out.stdout).toBe('');
      // t01's transaction went with the process: its version table is unchanged, its database sound.
      expect(p.query<{ integrity_check: string }>('t01', 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(p.versionsApplied('t01')).toEqual([R[0]]);
      expect(p.tables('t01')).toEqual(['multidb_version', 't1']);
      const rerun = await runMigrate(p.dir, ['upgrade', '--concurrency', '2'], { LONG_ROWS: '1000' });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(tenants.map((t) => p.versionsApplied(t)[0])).toEqual(tenants.map(() => R[1]));
    });
  }
});

/** Waits until no session of the killed run is left on the server (it finishes what it was sent first). */
async function sessionsGone(kind: 'postgres' | 'mysql', url: string): Promise<void> {
  const db = new URL(url).pathname.slice(1);
  const sql =
    kind === 'postgres'
      ? `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()`
      : `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = '${db}' AND ID <> CONNECTION_ID()`;
  while (Number((await queryUrl<{ n: unknown }>(url, sql))[0]!.n) > 0) await new Promise((r) => setTimeout(r, 50));
}

describeWithServers('a second Ctrl-C with a SQLite and a PostgreSQL revision in progress: the informative abort stays', ['postgres'], () => {
  const dbs = useDatabases('interrupt_mixed', { db: 'postgres' });
  it('--concurrency 2 --json: the usual first line; the second Ctrl-C says what each database does, ABORTED, exit 130', async () => {
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { lite: { url: 'sqlite:.data/lite.db' }, pg: { url: ${JSON.stringify(dbs.db.url)} } } });\n`,
    });
    try {
      for (const [bind, id] of [
        ['lite', 'ee0000000001'],
        ['pg', 'ee0000000002'],
      ] as const) {
        const gate = `{ const fs = await import('node:fs'); const g = ${JSON.stringify(join(p.dir, `gate-${bind}`))}; fs.writeFileSync(g + '.started', ''); while (!fs.existsSync(g + '.go')) await new Promise((r) => setTimeout(r, 20)); }`;
        p.write(`migrations/versions/${bind}/${id}_t.ts`, revisionSource({ revision: id, downRevision: null, branchLabels: [bind], upgrade: `await op.createTable('t_${bind}', [{ name: 'id', type: 'integer', primaryKey: true }]); ${gate}` }));
      }
      const run = startMigrate(p, ['upgrade', '--concurrency', '2', '--json']);
      await reached(p, run, 'gate-lite.started');
      await reached(p, run, 'gate-pg.started');
      run.child.kill('SIGINT');
      await run.waitForStderr(/Stopping after/);
      run.child.kill('SIGINT');
      const out = await run.done;
      expect(out.code, out.stderr).toBe(130);
      const err = lines(out.stderr);
      expect(err).toContain('Stopping after the revisions in progress; press Ctrl-C again to abort them.');
      expect(err).toContain('[lite] ee0000000001 was in progress: its transaction was not committed, and SQLite discards it (a revision with transaction = false keeps the ops it completed).');
      expect(err.some((l) => l.startsWith('[pg] ee0000000002 was in progress: its transaction was not committed, and PostgreSQL rolls it back'))).toBe(true);
      expect(err.at(-1)).toBe("Aborted (SIGINT). Run 'migrate current' to see where each bind stands.");
      expect(JSON.parse(out.stdout)).toMatchObject({ error: { code: 'ABORTED', steps: [] } });
      await sessionsGone('postgres', dbs.db.url);
      expect(p.versionsApplied('lite')).toEqual([]);
      expect(await versionsAt(dbs.db.url)).toEqual([]);
    } finally {
      p.remove();
    }
  });
});

describeWithServers('a second Ctrl-C on PostgreSQL: the revision in progress is rolled back', ['postgres'], () => {
  const dbs = useDatabases('interrupt', { db: 'postgres' });
  it('exit 130, the line says so, and nothing of it stays; a re-run completes', async () => {
    const p = gatedProject(dbs.db.url);
    try {
      const out = await ctrlCTwice(p, ['upgrade']);
      expect(out.code).toBe(130);
      // The session waited on migrate (the gate), running nothing: there was nothing to cancel.
      expect(out.stderr).toContain(`[app] ${R[0]} was in progress: its transaction was not committed, and PostgreSQL rolls it back as the connection closes (unless its COMMIT had already been sent;`);
      await sessionsGone('postgres', dbs.db.url);
      expect(await versionsAt(dbs.db.url)).toEqual([]);
      expect((await tablesAt(dbs.db.url)).filter((t) => /^t\d/.test(t))).toEqual([]);
      for (const g of ['gate-1', 'gate-2', 'gate-3']) open(p, g);
      expect((await p.run('upgrade')).code).toBe(0);
      expect(await versionsAt(dbs.db.url)).toEqual([R[2]]);
    } finally {
      p.remove();
    }
  });
});

describeWithServers('a second Ctrl-C on MariaDB: the revision in progress resumes on the next run', ['mysql'], () => {
  const dbs = useDatabases('interrupt', { db: 'mysql' });
  it('exit 130, the line says so; its first table stays, recorded; the re-run resumes after it and completes', async () => {
    const p = gatedProject(dbs.db.url);
    try {
      const out = await ctrlCTwice(p, ['upgrade']);
      expect(out.code).toBe(130);
      expect(out.stderr).toContain(
        `[app] ${R[0]} was in progress: the statements it completed stay (MySQL/MariaDB commits DDL at once) and are recorded; running the same command again resumes it, or says what to check by hand.`,
      );
      await sessionsGone('mysql', dbs.db.url);
      expect(await versionsAt(dbs.db.url)).toEqual([]);
      expect((await tablesAt(dbs.db.url)).filter((t) => /^t\d/.test(t))).toEqual(['t1']);
      expect((await p.run('current')).stdout).toContain(`${R[0]} (in flight: upgrade stopped after 1 write(s), last: createTable t1)`);
      for (const g of ['gate-1', 'gate-2', 'gate-3']) open(p, g);
      const again = await p.run('upgrade');
      expect(again.code, again.stderr).toBe(0);
      expect(await versionsAt(dbs.db.url)).toEqual([R[2]]);
      expect(existsSync(join(p.dir, 'gate-1.started'))).toBe(true);
    } finally {
      p.remove();
    }
  });
});

for (const kind of ['postgres', 'mysql'] as const) {
  const server = kind === 'postgres' ? 'PostgreSQL' : 'MariaDB';
  describeWithServers(`a second Ctrl-C on ${server} while a statement runs on the server: it is cancelled there`, [kind], () => {
    const dbs = useDatabases('interrupt-cancel', { db: kind });
    it(`exit 130; no session is left running ${STUCK[kind].sql}; the version table is unchanged; a re-run completes`, async () => {
      const url = dbs.db.url;
      const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
      const release = kind === 'mysql' ? await holdRow(url) : async () => undefined;
      try {
        // r1 creates t1, runs the long statement (unless the file no-wait exists: the re-run), then creates t1b.
        const noWait = JSON.stringify(join(p.dir, 'no-wait'));
        const table = (t: string) => `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
        p.write(
          `migrations/versions/app/${R[0]}_t1.ts`,
          revisionSource({
            revision: R[0],
            downRevision: null,
            branchLabels: ['app'],
            upgrade: `${table('t1')} if (!(await import('node:fs')).existsSync(${noWait})) await op.execute(${JSON.stringify(STUCK[kind].sql)}); ${table('t1b')}`,
          }),
        );
        p.write(`migrations/versions/app/${R[1]}_t2.ts`, revisionSource({ revision: R[1], downRevision: R[0], upgrade: table('t2') }));
        const run = startMigrate(p, ['upgrade']);
        // The gate is the server itself: the statement is running there.
        await within(20_000, `a session running ${STUCK[kind].sql}`, async () => {
          if (run.exited) throw new Error(`migrate exited:\n${run.stderr}`);
          return (await stuck(kind, url)) > 0;
        });
        run.child.kill('SIGINT');
        await run.waitForStderr(/Stopping after/);
        run.child.kill('SIGINT');
        const out = await run.done;
        expect(out.code).toBe(130);
        expect(lines(out.stderr).slice(-2)).toEqual([
          kind === 'postgres'
            ? `[app] ${R[0]} was in progress: the statement it was running was cancelled, and PostgreSQL rolls its transaction back as the connection closes (unless its COMMIT had already been sent; a revision with transaction = false keeps the statements it completed).`
            : `[app] ${R[0]} was in progress: the statement it was running was interrupted (KILL QUERY); the statements it completed stay (MySQL/MariaDB commits DDL at once) and are recorded; running the same command again resumes it, or says what to check by hand.`,
          "Aborted (SIGINT). Run 'migrate current' to see where each bind stands.",
        ]);
        // Not cancelled, the statement would stay on the server for 30 s (50 s) after the process ended.
        await within(10_000, `no session running ${STUCK[kind].sql}`, async () => (await stuck(kind, url)) === 0);
        await release();
        await sessionsGone(kind, url);
        expect(await versionsAt(url)).toEqual([]);
        // PostgreSQL rolled the revision back; MariaDB kept t1 (DDL commits at once), recorded as done.
        expect((await tablesAt(url)).filter((t) => /^t\d/.test(t))).toEqual(kind === 'postgres' ? [] : ['t1']);
        p.write('no-wait', '');
        const again = await p.run('upgrade');
        expect(again.code, again.stderr).toBe(0);
        expect(await versionsAt(url)).toEqual([R[1]]);
        expect((await tablesAt(url)).filter((t) => /^t\d/.test(t)).sort()).toEqual(['t1', 't1b', 't2']);
      } finally {
        await release();
        p.remove();
      }
    });
  });
}

// A second Ctrl-C on MariaDB whose session the side connection cannot verify as the run's own (its
// PROCESSLIST row no longer shows the database it connected to: the revision ran USE; as behind
// a proxy that reached another node): KILL QUERY is not sent, and the line says the statement
// may run on. It does: it is still waiting on the server after the process ended, until the test
// releases the row.
describeWithServers('a second Ctrl-C on MariaDB when the session cannot be verified: nothing is killed, the line says so', ['mysql'], () => {
  const dbs = useDatabases('interrupt-unverified', { db: 'mysql' });
  it('exit 130; the statement is not interrupted and runs on; the line says it may run to its end', async () => {
    const url = dbs.db.url;
    const name = new URL(url).pathname.slice(1);
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)} } } });\n` });
    const release = await holdRow(url);
    const waiting = async () =>
      Number((await queryUrl<{ n: unknown }>(url, "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%held WHERE id = 1 FOR UPDATE%' AND ID <> CONNECTION_ID() AND COMMAND = 'Query'"))[0]!.n);
    try {
      const sql = `SELECT id FROM \`${name}\`.held WHERE id = 1 FOR UPDATE`;
      p.write(
        `migrations/versions/app/${R[0]}_t1.ts`,
        revisionSource({ revision: R[0], downRevision: null, branchLabels: ['app'], upgrade: `await op.execute('USE information_schema'); await op.execute(${JSON.stringify(sql)});` }),
      );
      const run = startMigrate(p, ['upgrade']);
      await within(20_000, 'a session waiting on the held row', async () => {
        if (run.exited) throw new Error(`migrate exited:\n${run.stderr}`);
        return (await waiting()) > 0;
      });
      run.child.kill('SIGINT');
      await run.waitForStderr(/Stopping after/);
      run.child.kill('SIGINT');
      const out = await run.done;
      expect(out.code).toBe(130);
      expect(lines(out.stderr).slice(-2)).toEqual([
        `[app] ${R[0]} was in progress: the statement it was running could not be interrupted (KILL QUERY not sent or not confirmed) and may run on to its end on the server; the statements it completed stay (MySQL/MariaDB commits DDL at once) and are recorded; running the same command again resumes it, or says what to check by hand.`,
        "Aborted (SIGINT). Run 'migrate current' to see where each bind stands.",
      ]);
      // Not killed: still waiting on the row (InnoDB waits 50 s) after the process ended.
      expect(await waiting()).toBe(1);
      await release();
      await within(20_000, 'the statement ended once the row was released', async () => (await waiting()) === 0);
    } finally {
      await release();
      p.remove();
    }
  });
});

// Ctrl-C while a bind connects to a host that never completes the handshake (a local server that
// accepts and never answers), its connectTimeout 60 s: the connect ends at once (its socket
// closed) and the command ends as a run stopped before its locks: nothing read or changed, exit
// 130. The 10 s bound only tells "ended" from "waited out the connectTimeout".
for (const scheme of ['postgres', 'mysql'] as const) {
  it(`Ctrl-C while connecting (${scheme}, a host that never answers): the connect ends; exit 130, the bind not started`, async () => {
    const server = await silentServer();
    const url = `${scheme}://app:s3cret@127.0.0.1:${server.port}/app`;
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: ${JSON.stringify(url)}, connectTimeout: 60 } } });\n` });
    try {
      p.write(`migrations/versions/app/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
      const accepted = server.accepted();
      const run = startMigrate(p, ['upgrade']);
      const socket = await accepted; // migrate's connect is in progress
      run.child.kill('SIGINT');
      const out = await settledWithin(10_000, run.done);
      if (typeof out === 'string') run.child.kill('SIGKILL');
      expect(out).toMatchObject({ code: 130 });
      expect(lines((out as RunOutput).stderr)).toEqual([
        STOPPING_IDLE,
        'Interrupted (SIGINT): stopped after 0 revisions.',
        'Not started (nothing read or changed there): app',
        'Run the same command again to go on.',
      ]);
      expect((out as RunOutput).stderr).not.toContain('s3cret');
      expect(await settledWithin(10_000, closed(socket))).toBeUndefined();
      expect(server.count).toBe(1);
    } finally {
      p.remove();
      await server.close();
    }
  });
}

describe('Ctrl-C before the run (the config loading) and after it (the codegen of an upgrade or a downgrade), SQLite', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  /** A config that writes config.started, then waits for config.go before it exports anything. */
  const waitingConfig = (binds: string) =>
    `import { defineConfig } from '@multidb/core';\n` +
    `const fs = await import('node:fs');\n` +
    `fs.writeFileSync('config.started', '');\n` +
    `while (!fs.existsSync('config.go')) await new Promise((r) => setTimeout(r, 20));\n` +
    `export default defineConfig({ binds: ${binds} });\n`;

  for (const [signal, args, code] of [
    ['SIGINT', ['upgrade'], 130],
    ['SIGTERM', ['downgrade', 'app@base', '--json'], 143],
  ] as const) {
    it(`${signal} while the config loads (${args[0]}): one line saying nothing was changed; exit ${code}`, async () => {
      const p = new TempProject([], { config: waitingConfig(`{ app: { url: 'sqlite:.data/app.db' } }`) });
      projects.push(p);
      p.write(`migrations/versions/app/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
      const run = startMigrate(p, args);
      await reached(p, run, 'config.started');
      run.child.kill(signal);
      const out = await run.done;
      expect(out.code, out.stderr).toBe(code);
      const line = `Interrupted (${signal}) before the ${args[0]} started: nothing was changed.`;
      expect(lines(out.stderr)).toEqual([line]);
      if ((args as readonly string[]).includes('--json')) expect(JSON.parse(out.stdout)).toEqual({ error: { message: line, code: 'INTERRUPTED', steps: [], heads: {}, pending: [], notStarted: [] } });
      else expect(out.stdout).toBe('');
      expect(p.exists('.data/app.db')).toBe(false); // not even connected
    });
  }

  for (const command of ['upgrade', 'downgrade'] as const) {
    it(`Ctrl-C during the codegen after ${command === 'upgrade' ? 'an upgrade' : 'a downgrade'}: the ${command} completed, the types may be stale (run 'migrate codegen'); exit 130`, async () => {
      const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { app: { url: 'sqlite:.data/app.db', types: './app-types.ts', codegen: 'after-run' } } });\n` });
      projects.push(p);
      p.write(`migrations/versions/app/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('t1');` }));
      // A downgrade needs something to step back from (its codegen writes the types file, replaced below).
      if (command === 'downgrade') await p.ok('upgrade');
      // The types file is a FIFO: codegen's read of it waits until a writer opens it, which the
      // test does, to know codegen got there, and keeps open, to hold it there.
      const fifo = join(p.dir, 'app-types.ts');
      rmSync(fifo, { force: true });
      execFileSync('mkfifo', [fifo]);
      const run = startMigrate(p, command === 'upgrade' ? ['upgrade', '--json'] : ['downgrade', 'app', '--json']);
      let writer: number | undefined;
      while (writer === undefined) {
        if (run.exited) throw new Error(`migrate exited before codegen read its types file:\n${run.stderr}`);
        try {
          writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK); // ENXIO until a reader has it open
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      try {
        run.child.kill('SIGINT');
        await run.waitForStderr(/during codegen/);
        // Node's exit waits for its thread pool, one of whose threads is still in the read of the
        // FIFO (an artefact of this hold, not of codegen): the writer closes, the read ends.
        closeSync(writer);
        writer = undefined;
        const out = await run.done;
        expect(out.code, out.stderr).toBe(130);
        const line = `Interrupted (SIGINT) during codegen: the ${command} completed (1 revision); the types may be stale: run 'migrate codegen'.`;
        expect(lines(out.stderr).slice(-1)).toEqual([line]);
        const direction = command === 'upgrade' ? 'up' : 'down';
        expect(JSON.parse(out.stdout)).toEqual({
          error: { message: line, code: 'INTERRUPTED', steps: [{ bind: 'app', revision: R[0], direction, elapsedMs: expect.any(Number) }], heads: { app: command === 'upgrade' ? [R[0]] : [] }, pending: [], notStarted: [] },
        });
      } finally {
        if (writer !== undefined) closeSync(writer);
      }
      expect(p.versionsApplied('app')).toEqual(command === 'upgrade' ? [R[0]] : []);
      rmSync(fifo);
      const again = await p.run('codegen');
      expect(again.code, again.stderr).toBe(0);
      if (command === 'upgrade') expect(p.read('app-types.ts')).toContain('t1');
      else expect(p.read('app-types.ts')).not.toContain('t1');
    });
  }
});

describe('Ctrl-C during stamp, and during a run of many tenants on worker threads (SQLite)', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  it('stamp: stopped before any bind is stamped (Ctrl-C while connecting); exit 130, nothing written', async () => {
    const p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `const gate = async () => { const fs = await import('node:fs'); fs.writeFileSync('gate.started', ''); while (!fs.existsSync('gate.go')) await new Promise((r) => setTimeout(r, 20)); };\n` +
        `export default defineConfig({ binds: { aa: { url: 'sqlite:.data/aa.db', onConnect: gate }, bb: { url: 'sqlite:.data/bb.db' } } });\n`,
    });
    projects.push(p);
    for (const b of ['aa', 'bb']) p.write(`migrations/versions/${b}/${b}0000000001_x.ts`, revisionSource({ revision: `${b}0000000001`, downRevision: null, branchLabels: [b] }));
    p.write('gate.go', '');
    await p.ok('upgrade'); // creates the files (and passes the gate)
    rmSync(join(p.dir, 'gate.go'));
    rmSync(join(p.dir, 'gate.started'));
    const run = startMigrate(p, ['stamp', 'aa@base', 'bb@base']);
    await reached(p, run, 'gate.started');
    run.child.kill('SIGINT');
    await run.waitForStderr(/Stopping before/);
    p.write('gate.go', '');
    const out = await run.done;
    expect(out.code).toBe(130);
    expect(lines(out.stderr)).toEqual([
      'Stopping before the next bind is stamped; press Ctrl-C again to abort at once.',
      'Interrupted (SIGINT): stopped after 0 revisions.',
      'Not started (nothing read or changed there): aa, bb',
      'Run the same command again to go on.',
    ]);
    expect(p.versionsApplied('aa')).toEqual(['aa0000000001']);
    expect(p.versionsApplied('bb')).toEqual(['bb0000000001']);
  });

  it('20 tenants, --concurrency 2 (worker threads): the tenants in progress finish their revision, no other tenant starts', async () => {
    const { tenants, p } = twentyTenants(projects);
    // Each tenant's gate file says whether it ran on a worker thread.
    const gate = `{ const fs = await import('node:fs'); const { isMainThread } = await import('node:worker_threads'); const g = ${JSON.stringify(join(p.dir, 'gate'))}; fs.writeFileSync(g + '-' + op.bind + '.started', isMainThread ? 'main' : 'worker'); while (!fs.existsSync(g + '.go')) await new Promise((r) => setTimeout(r, 20)); }`;
    p.write(`migrations/versions/tenant/${R[0]}_t1.ts`, revisionSource({ revision: R[0], downRevision: null, branchLabels: ['tenant'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]); ${gate}` }));
    p.write(`migrations/versions/tenant/${R[1]}_t2.ts`, revisionSource({ revision: R[1], downRevision: R[0], upgrade: `await op.createTable('t2', [{ name: 'id', type: 'integer', primaryKey: true }]);` }));
    const run = startMigrate(p, ['upgrade', '--concurrency', '2']);
    await reached(p, run, 'gate-t01.started');
    await reached(p, run, 'gate-t02.started'); // two tenants at once, each on its worker
    // Workers send their events in batches: the main thread learns of the steps once they pause.
    await run.waitForStderr(/\[tenant ×20\] Running upgrade/);
    run.child.kill('SIGINT');
    // Which first line depends on whether both workers' step-start events had reached the main
    // thread (the SQLite-only line) or not yet (the usual one); what this test checks is below.
    await run.waitForStderr(/Stopping after the revisions in progress; press Ctrl-C again to abort them/);
    p.write('gate.go', '');
    const out = await run.done;
    expect(out.code, out.stderr).toBe(130);
    const err = lines(out.stderr);
    // The branch's totals count the tenants the interruption stopped part way and those it kept from starting.
    expect(err).toContain('[tenant ×20] 0 upgraded, 0 failed, 20 interrupted (2 stopped part way, 18 not reached), 0 unchanged');
    expect(err.slice(-5)).toEqual([
      'Interrupted (SIGINT): stopped after 2 revisions.',
      `[t01] at ${R[0]}; not run: ${R[1]}`,
      `[t02] at ${R[0]}; not run: ${R[1]}`,
      `Not started (nothing read or changed there): ${tenants.slice(2).join(', ')}`,
      'Run the same command again to go on.',
    ]);
    expect(tenants.filter((t) => p.exists(`gate-${t}.started`))).toEqual(['t01', 't02']);
    expect([p.read('gate-t01.started'), p.read('gate-t02.started')]).toEqual(['worker', 'worker']);
    expect(p.versionsApplied('t01')).toEqual([R[0]]);
    expect(p.exists('.data/t03.db')).toBe(false);
    const again = await p.run('upgrade', '--concurrency', '2');
    expect(again.code, again.stderr).toBe(0);
    expect(tenants.map((t) => p.versionsApplied(t)[0])).toEqual(tenants.map(() => R[1]));
  });
});
