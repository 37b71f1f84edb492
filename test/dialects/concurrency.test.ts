// Concurrent deploys on each dialect (SQLite, PostgreSQL, MariaDB): several `migrate upgrade`
// processes on one bind at once, then the same while the lock holder is killed with SIGKILL in the
// middle of a revision. Every revision records its own run in a side table `runs(revision)` of the
// bind's database, so a revision that ran twice shows as a count of 2.
//
// One project per dialect, two phases on the same database: revisions r1..r3 by 6 processes at
// once; then r4 (slow) and r5, with the first process killed inside r4 and 5 more started after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision, startMigrate, type LiveRun } from '../faults/faults-support.js';
import { TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt } from '../support/servers.js';

type Dialect = 'sqlite' | 'postgres' | 'mysql';
const NAMES: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB' };

const FIRST = ['r1', 'r2', 'r3'];
const SECOND = ['r4', 'r5'];
const rev = (r: string) => `${r}0000000000`; // 12 characters, like generated ids
const SLEEP_MS = 2000;

/** A revision that counts itself in `runs` (r1 creates it). */
function countingRevision(p: TempProject, r: string, down: string | null, body = '') {
  const create = r === 'r1' ? `await op.execute('CREATE TABLE runs (revision varchar(32) NOT NULL, pid integer)');\n  ` : '';
  addRevision(p, 'default', {
    revision: rev(r),
    downRevision: down && rev(down),
    message: `count ${r}`,
    // The same statement on every run (no pid in it): on MariaDB an interrupted revision resumes
    // only when the writes it already applied are sent unchanged.
    upgrade: `${create}await op.execute(\`INSERT INTO runs (revision) VALUES ('${r}')\`);\n  ${body}`,
  });
}

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

  beforeAll(() => {
    p = new TempProject([], { config: false });
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n    default: { url: ${JSON.stringify(url())} },\n  },\n});\n`,
    );
    // r2 sleeps a little, so the processes that start while the first one runs really wait for it.
    FIRST.forEach((r, i) => countingRevision(p, r, FIRST[i - 1] ?? null, r === 'r2' ? 'await new Promise((r) => setTimeout(r, 1500));' : ''));
  });

  it(`6 processes upgrade the same fresh ${NAMES[dialect]} bind at once: all exit 0, each revision ran exactly once, the version table is at head`, async () => {
    const outs = await Promise.all(Array.from({ length: 6 }, () => startMigrate(p, ['upgrade']).done));
    expectClean(outs);
    expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1 });
    expect(await versionsAt(url(), opts)).toEqual([rev('r3')]);
    // Each step was reported once in all, by whichever process ran it; the others found nothing to do.
    expect(started(outs)).toHaveLength(3);
    expect(outs.filter((o) => o.stderr.includes('Running upgrade'))).toHaveLength(1);
    expect(outs.filter((o) => /Waiting for the migration lock on default/.test(o.stderr)).length).toBeGreaterThanOrEqual(1);
  });

  it(`SIGKILL of the lock holder in the middle of a revision: the next ${NAMES[dialect]} runs finish and record each revision once`, async () => {
    // r4 counts itself, creates a table (DDL), says so on stderr, then sleeps: the kill lands there.
    countingRevision(
      p,
      'r4',
      'r3',
      `await op.execute('CREATE TABLE IF NOT EXISTS r4_marker (id integer)');\n` +
        `  console.error('r4: inserted and created, sleeping');\n` +
        `  await new Promise((r) => setTimeout(r, ${SLEEP_MS}));`,
    );
    countingRevision(p, 'r5', 'r4');

    const holder: LiveRun = startMigrate(p, ['upgrade']);
    await holder.waitForStderr(/Running upgrade r30+ -> r40+/);
    await holder.waitForStderr(/r4: inserted and created, sleeping/);
    holder.child.kill('SIGKILL');
    const killed = await holder.done;
    expect(killed.code).not.toBe(0);

    // What the killed run left behind.
    expect(await versionsAt(url(), opts)).toEqual([rev('r3')]);
    if (dialect === 'mysql') {
      // MySQL/MariaDB cannot roll DDL back: r4's INSERT committed with its record in the progress
      // table, then CREATE TABLE. The version table still says r3, so the next run resumes r4.
      expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1, r4: 1 });
      expect(await tablesAt(url(), opts)).toContain('r4_marker');
    } else {
      // The killed process's transaction is rolled back: nothing of r4 remains.
      expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1 });
      expect(await tablesAt(url(), opts)).not.toContain('r4_marker');
    }

    const t0 = Date.now();
    const outs = await Promise.all(Array.from({ length: 5 }, () => startMigrate(p, ['upgrade']).done));
    expectClean(outs);
    // The dead holder's lock did not hold anybody up beyond r4's own sleep.
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(started(outs)).toEqual([
      `[default] Running upgrade ${rev('r3')} -> ${rev('r4')}, count r4`,
      `[default] Running upgrade ${rev('r4')} -> ${rev('r5')}, count r5`,
    ]);
    expect(await versionsAt(url(), opts)).toEqual([rev('r5')]);
    // On MySQL the rerun resumed r4 after its INSERT and CREATE TABLE: neither was sent again.
    expect(await counts()).toEqual({ r1: 1, r2: 1, r3: 1, r4: 1, r5: 1 });
  });
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
