// Concurrent deploys on each dialect (SQLite, PostgreSQL, MariaDB), through the built `migrate`
// (moved here from test/dialects/concurrency.test.ts, which it extends):
// - rounds of MULTIDB_RELIABILITY_PROCS (6; full run 8) `migrate upgrade` processes on one fresh bind at once
//   (MULTIDB_RELIABILITY_ROUNDS rounds; each round starts from base): every revision runs exactly
//   once per round. Every revision records its own run in a side table `runs(revision)` of the
//   bind's database, so a revision that ran twice shows as a count of 2;
// - `upgrade`, `downgrade` and `stamp` racing each other: each process's steps run together (no
//   other process's step between them), each is a straight path from where the bind was, and the
//   version table never holds two lines of history;
// - the lock holder killed with SIGKILL in the middle of a revision, and 5 more started after.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, startMigrate, type LiveRun } from '../faults/faults-support.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';
import { PROCS, RACE_PROCS, ROUNDS } from './support.js';

type Dialect = 'sqlite' | 'postgres' | 'mysql';
const NAMES: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB' };

const FIRST = ['r1', 'r2', 'r3'];
const SECOND = ['r4', 'r5'];
const ALL = [...FIRST, ...SECOND];
const rev = (r: string) => `${r}0000000000`; // 12 characters, like generated ids
const SLEEP_MS = 2000;

/**
 * A revision that counts itself in `runs` and logs each of its steps in `steps` (both tables made
 * by the test, owned by no revision, so `stamp` cannot leave a revision without them).
 */
function countingRevision(p: TempProject, r: string, down: string | null, body = '') {
  // The process is named by its database session (its backend pid, its connection id) rather than
  // by a literal pid, so the statement is the same on every run: on MariaDB an interrupted revision
  // resumes only when the writes it already applied are sent unchanged. SQLite never resumes.
  const who = `const who = op.dialectName === 'postgres' ? 'pg_backend_pid()' : op.dialectName === 'mysql' ? 'CONNECTION_ID()' : String(process.pid);`;
  const log = (dir: string) => `await op.execute(\`INSERT INTO steps (pid, dir, revision) VALUES (\${who}, '${dir}', '${r}')\`);`;
  addRevision(p, 'default', {
    revision: rev(r),
    downRevision: down && rev(down),
    message: `count ${r}`,
    upgrade: `${who}\n  await op.execute(\`INSERT INTO runs (revision, pid) VALUES ('${r}', \${who})\`);\n  ${log('up')}\n  ${body}`,
    downgrade: `${who}\n  await op.execute("DELETE FROM runs WHERE revision = '${r}'");\n  ${log('down')}`,
  });
}

/** The side tables, with an id that orders `steps` as they were inserted. */
const SIDE_TABLES: Record<Dialect, string[]> = {
  sqlite: ['CREATE TABLE steps (id integer PRIMARY KEY AUTOINCREMENT, pid integer, dir varchar(4), revision varchar(32))'],
  postgres: ['CREATE TABLE steps (id serial PRIMARY KEY, pid integer, dir varchar(4), revision varchar(32))'],
  mysql: ['CREATE TABLE steps (id integer AUTO_INCREMENT PRIMARY KEY, pid integer, dir varchar(4), revision varchar(32))'],
};

function concurrencySuite(dialect: Dialect, url: () => string) {
  // Made in beforeAll (not while collecting), so a skipped suite leaves no temp folder behind.
  let p: TempProject;
  afterAll(() => p?.remove());
  const opts = { get baseDir() { return p.dir; }, write: true };
  const counts = async () =>
    Object.fromEntries(
      (await queryUrl<{ revision: string; n: unknown }>(url(), 'SELECT revision, COUNT(*) AS n FROM runs GROUP BY revision ORDER BY revision', [], opts)).map((r) => [
        r.revision,
        Number(r.n),
      ]),
    );
  const started = (outs: readonly RunOutput[]) => outs.flatMap((o) => o.stderr.split('\n').filter((l) => l.includes('Running upgrade')));
  const expectClean = (outs: readonly RunOutput[]) => {
    for (const out of outs) {
      expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(0);
      expect(out.stderr, out.stderr).not.toMatch(/ERROR|SQLITE_BUSY|deadlock/i);
    }
  };

  beforeAll(async () => {
    p = new TempProject([], { config: false });
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n    default: { url: ${JSON.stringify(url())} },\n  },\n});\n`,
    );
    const side = ['CREATE TABLE runs (revision varchar(32) NOT NULL, pid integer)', ...SIDE_TABLES[dialect]];
    if (dialect === 'sqlite') {
      mkdirSync(join(p.dir, '.data'), { recursive: true });
      const db = new Database(join(p.dir, '.data', 'default.db'));
      for (const sql of side) db.exec(sql);
      db.close();
    } else {
      for (const sql of side) await queryUrl(url(), sql);
    }
    // r2 sleeps a little, so the processes that start while the first one runs really wait for it.
    FIRST.forEach((r, i) => countingRevision(p, r, FIRST[i - 1] ?? null, r === 'r2' ? 'await new Promise((r) => setTimeout(r, 1500));' : ''));
  });

  it(`${ROUNDS} round(s) of ${PROCS} processes upgrading the same fresh ${NAMES[dialect]} bind at once: all exit 0, each revision ran exactly once, the version table is at head`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) await p.ok('downgrade', 'base');
      const outs = await Promise.all(Array.from({ length: PROCS }, () => startMigrate(p, ['upgrade']).done));
      expectClean(outs);
      expect(await counts(), `round ${round}`).toEqual({ r1: 1, r2: 1, r3: 1 });
      expect(await versionsAt(url(), opts)).toEqual([rev('r3')]);
      // Each step was reported once in all, by whichever process ran it; the others found nothing to do.
      expect(started(outs)).toHaveLength(3);
      expect(outs.filter((o) => o.stderr.includes('Running upgrade'))).toHaveLength(1);
      expect(outs.filter((o) => /Waiting for the migration lock on default/.test(o.stderr)).length).toBeGreaterThanOrEqual(1);
    }
  }, 60_000 + ROUNDS * 30_000);

  it(`SIGKILL of the lock holder in the middle of a revision: the next ${NAMES[dialect]} runs finish and record each revision once`, async () => {
    // r4 counts itself, creates a table (DDL), says so on stderr, then sleeps: the kill lands there.
    countingRevision(
      p,
      'r4',
      'r3',
      `await op.execute('CREATE TABLE IF NOT EXISTS r4_marker (id integer)');\n` +
        `  console.error('r4: inserted and created, sleeping');\n` +
        `  if (process.env['MULTIDB_TEST_R4_SLEEP']) await new Promise((r) => setTimeout(r, ${SLEEP_MS}));`,
    );
    countingRevision(p, 'r5', 'r4');

    const holder: LiveRun = startMigrate(p, ['upgrade'], { MULTIDB_TEST_R4_SLEEP: '1' });
    await holder.waitForStderr(/Running upgrade r30+ -> r40+/);
    await holder.waitForStderr(/r4: inserted and created, sleeping/);
    holder.child.kill('SIGKILL');
    const killed = await holder.done;
    expect(killed.code).not.toBe(0);

    // What the killed run left behind.
    expect(await versionsAt(url(), opts)).toEqual([rev('r3')]);
    if (dialect === 'mysql') {
      // MySQL/MariaDB cannot roll DDL back: r4's INSERTs committed with their records in the
      // progress table, then CREATE TABLE. The version table still says r3, so the next run resumes r4.
      expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1, r4: 1 });
      expect(await tablesAt(url(), opts)).toContain('r4_marker');
    } else {
      // The killed process's transaction is rolled back: nothing of r4 remains.
      expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1 });
      expect(await tablesAt(url(), opts)).not.toContain('r4_marker');
    }

    // The dead holder's lock holds nobody up: the next runs finish (no duration is asserted: the
    // shared machine's load decides that; a lock that outlived its process would hang them).
    const outs = await Promise.all(Array.from({ length: 5 }, () => startMigrate(p, ['upgrade']).done));
    expectClean(outs);
    expect(started(outs)).toEqual([
      `[default] Running upgrade ${rev('r3')} -> ${rev('r4')}, count r4`,
      `[default] Running upgrade ${rev('r4')} -> ${rev('r5')}, count r5`,
    ]);
    expect(await versionsAt(url(), opts)).toEqual([rev('r5')]);
    // On MySQL the rerun resumed r4 after its INSERTs and CREATE TABLE: none was sent again.
    expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1, r4: 1, r5: 1 });
  });

  /**
   * The steps logged since `afterId`, checked: each process's steps are contiguous (no other
   * process's step between them) and a straight path (consecutive ups, or consecutive downs);
   * replayed from `level`, a path that does not start where the bind was is a jump (only a `stamp`
   * may cause one). Returns the level reached and the number of jumps.
   */
  async function replaySteps(afterId: number, level: number): Promise<{ level: number; jumps: number; steps: number }> {
    const rows = await queryUrl<{ id: unknown; pid: unknown; dir: string; revision: string }>(url(), `SELECT id, pid, dir, revision FROM steps WHERE id > ${afterId} ORDER BY id`, [], opts);
    const groups: { pid: number; steps: { dir: string; level: number }[] }[] = [];
    for (const r of rows) {
      const step = { dir: r.dir, level: ALL.indexOf(r.revision) + 1 };
      if (groups.at(-1)?.pid === Number(r.pid)) groups.at(-1)!.steps.push(step);
      else groups.push({ pid: Number(r.pid), steps: [step] });
    }
    const pids = groups.map((g) => g.pid);
    expect(new Set(pids).size, `a process's steps are interleaved with another's: ${JSON.stringify(rows)}`).toBe(pids.length);
    let jumps = 0;
    for (const g of groups) {
      const dir = g.steps[0]!.dir;
      const levels = g.steps.map((st) => st.level);
      expect(g.steps.every((st) => st.dir === dir), JSON.stringify(g)).toBe(true);
      const from = dir === 'up' ? levels[0]! - 1 : levels[0]!;
      expect(levels, JSON.stringify(g)).toEqual(levels.map((_, i) => (dir === 'up' ? from + 1 + i : from - i)));
      if (from !== level) jumps++;
      level = dir === 'up' ? levels.at(-1)! : levels.at(-1)! - 1;
    }
    return { level, jumps, steps: rows.length };
  }
  const lastStepId = async () => Number((await queryUrl<{ n: unknown }>(url(), 'SELECT COALESCE(MAX(id), 0) AS n FROM steps', [], opts))[0]!.n);

  it(`${RACE_PROCS} processes racing 'upgrade head' and 'downgrade base' on ${NAMES[dialect]}: each run is a straight path from where the last one left the bind; every revision applied is recorded once`, async () => {
    await p.ok('downgrade', 'base');
    await queryUrl(url(), 'DELETE FROM runs', [], opts);
    const before = await lastStepId();
    const argv = Array.from({ length: RACE_PROCS }, (_, i) => (i % 2 === 0 ? ['upgrade', 'head'] : ['downgrade', 'base']));
    const outs = await Promise.all(argv.map((a) => startMigrate(p, a).done));
    expectClean(outs);
    const { level, jumps, steps } = await replaySteps(before, 0);
    expect(jumps).toBe(0);
    expect(steps).toBeGreaterThanOrEqual(ALL.length); // the first upgrade to run went all the way
    expect(await versionsAt(url(), opts)).toEqual(level ? [rev(ALL[level - 1]!)] : []);
    expect(await counts()).toEqual(Object.fromEntries(ALL.slice(0, level).map((r) => [r, 1])));
  }, 120_000);

  it(`'stamp', 'downgrade' and 'upgrade' racing on ${NAMES[dialect]}: all exit 0, runs never interleave, never two lines of history`, async () => {
    const before = await lastStepId();
    const start = (await versionsAt(url(), opts)).map((v) => ALL.indexOf(v.slice(0, 2)) + 1)[0] ?? 0;
    const kinds = [['upgrade', 'head'], ['stamp', rev('r2')], ['downgrade', 'base'], ['stamp', rev('r4')]];
    const argv = Array.from({ length: RACE_PROCS }, (_, i) => kinds[i % kinds.length]!);
    const outs = await Promise.all(argv.map((a) => startMigrate(p, a).done));
    expectClean(outs);
    const { jumps } = await replaySteps(before, start);
    expect(jumps).toBeLessThanOrEqual(argv.filter((a) => a[0] === 'stamp').length);
    const versions = await versionsAt(url(), opts);
    expect(versions.length).toBeLessThanOrEqual(1);
    for (const v of versions) expect(ALL.map(rev)).toContain(v);
  }, 120_000);
}

describe('concurrent upgrades on SQLite', () => {
  concurrencySuite('sqlite', () => 'sqlite:.data/default.db');
});

describeWithServers('concurrent upgrades on PostgreSQL', ['postgres'], () => {
  const dbs = useDatabases('concurrency', { db: 'postgres' });
  concurrencySuite('postgres', () => dbs.db.url);
});

describeWithServers('concurrent upgrades on MariaDB', ['mysql'], () => {
  const dbs = useDatabases('concurrency', { db: 'mysql' });
  concurrencySuite('mysql', () => dbs.db.url);
});
