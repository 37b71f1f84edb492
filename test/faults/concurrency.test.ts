// Several `migrate upgrade` processes at once on SQLite: each revision runs exactly once; a run that
// cannot get a bind's lock in time gives up with exit code 3 and says which bind it waited for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { addRevision, expectOneLineError, startMigrate } from './faults-support.js';

const BINDS = ['default', 'db2'] as const;
const PER_BIND = 3;
const ids = (bind: string) => Array.from({ length: PER_BIND }, (_, i) => `${bind === 'default' ? 'aa' : 'bb'}0${i + 1}`);

/**
 * Three revisions per bind; each records its own run in the side table `runs` of its database
 * (created by the first), so a revision that ran twice shows as a count of 2.
 */
function writeCountingRevisions(p: TempProject, options: { holdIn?: string } = {}): void {
  // The held revision waits until the test writes the release file (60 s at most), so the test
  // decides when the holder lets go, whatever the machine's load.
  const release = join(p.dir, 'release');
  for (const bind of BINDS) {
    let down: string | null = null;
    for (const id of ids(bind)) {
      const create = down === null ? `await op.execute('CREATE TABLE runs (revision varchar(32) NOT NULL, pid integer)');` : '';
      const sleep =
        options.holdIn === id
          ? `const { existsSync } = await import('node:fs'); for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(release)}); i++) await new Promise((r) => setTimeout(r, 50));`
          : '';
      addRevision(p, bind, {
        revision: id,
        downRevision: down,
        message: `count ${id}`,
        upgrade: `${create} ${sleep} await op.execute(\`INSERT INTO runs (revision, pid) VALUES ('${id}', \${process.pid})\`);`,
      });
      down = id;
    }
  }
}

describe('concurrent upgrades on SQLite', () => {
  let p: TempProject;
  afterEach(() => p?.remove());

  it('4 processes upgrade the same fresh project at once: all exit 0, every revision ran exactly once', async () => {
    p = new TempProject();
    writeCountingRevisions(p);

    const runs = Array.from({ length: 4 }, () => startMigrate(p, ['upgrade']));
    const outs = await Promise.all(runs.map((r) => r.done));
    for (const out of outs) expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(0);
    for (const out of outs) expect(out.stderr).not.toMatch(/ERROR|SQLITE_BUSY|locked/i);

    for (const bind of BINDS) {
      const counts = p.query<{ revision: string; n: number }>(bind, 'SELECT revision, COUNT(*) AS n FROM runs GROUP BY revision ORDER BY revision');
      expect(counts).toEqual(ids(bind).map((revision) => ({ revision, n: 1 })));
      expect(p.versionsApplied(bind)).toEqual([ids(bind).at(-1)]);
    }
    // Each step was reported once in total, by whichever process ran it.
    const started = outs.flatMap((o) => o.stderr.split('\n').filter((l) => l.includes('Running upgrade')));
    expect(started).toHaveLength(BINDS.length * PER_BIND);
  });

  it('--lock-timeout 1 while another process holds the lock: exit 3, naming the bind, after saying it waits', async () => {
    p = new TempProject();
    writeCountingRevisions(p, { holdIn: 'bb02' });

    const holder = startMigrate(p, ['upgrade', 'db2']);
    try {
      await holder.waitForStderr(/Running upgrade bb01 -> bb02/);
      const t0 = Date.now();
      const waiter = await startMigrate(p, ['upgrade', 'db2', '--lock-timeout', '1']).done;
      const waited = Date.now() - t0;
      // The holder still holds the lock: it waits for the release file.
      expect(holder.exited).toBe(false);
      writeFileSync(join(p.dir, 'release'), '');

      expect(waiter.stderr).toMatch(/Waiting for the migration lock.*db2/);
      expectOneLineError(waiter, ['db2', /lock/i], 3);
      expect(waiter.stderr).not.toContain('Running upgrade');
      expect(waited).toBeGreaterThanOrEqual(900);
    } finally {
      writeFileSync(join(p.dir, 'release'), '');
      const out = await holder.done;
      expect(out.code, out.stderr).toBe(0);
    }
    expect(p.versionsApplied('db2')).toEqual(['bb03']);
    expect(p.query('db2', 'SELECT revision FROM runs ORDER BY revision')).toEqual(ids('db2').map((revision) => ({ revision })));
    // The waiter changed nothing, and the other bind was never touched.
    expect(p.versionsApplied('default')).toEqual([]);
  });

  // Was: only 'Timed out after 1 s waiting for the migration lock on default.', without the binds
  // the run did not reach because it stopped there.
  it('--lock-timeout 1, one bind after the other, on the first bind: the line names the binds not run; exit 3', async () => {
    p = new TempProject();
    writeCountingRevisions(p, { holdIn: 'aa02' });

    const holder = startMigrate(p, ['upgrade', 'default']);
    try {
      await holder.waitForStderr(/Running upgrade aa01 -> aa02/);
      const waiter = await startMigrate(p, ['upgrade', '--lock-timeout', '1']).done;
      expect(holder.exited).toBe(false);
      writeFileSync(join(p.dir, 'release'), '');
      expectOneLineError(
        waiter,
        [/^ERROR: Timed out after \d+ s waiting for the migration lock on default: another run holds it\. Nothing ran on default; not run \(the run stopped here\): db2; '--concurrency N' goes on past a bind whose lock is held\.$/],
        3,
      );
      expect(waiter.stderr).not.toContain('Running upgrade');
    } finally {
      writeFileSync(join(p.dir, 'release'), '');
      const out = await holder.done;
      expect(out.code, out.stderr).toBe(0);
    }
    expect(p.versionsApplied('db2')).toEqual([]);
  });

  it('--lock-timeout 1 --concurrency 2 while another process holds one bind\'s lock: the other bind upgrades, exit 3 as without --concurrency', async () => {
    p = new TempProject();
    writeCountingRevisions(p, { holdIn: 'bb02' });

    const holder = startMigrate(p, ['upgrade', 'db2']);
    try {
      await holder.waitForStderr(/Running upgrade bb01 -> bb02/);
      const waiter = await startMigrate(p, ['upgrade', '--concurrency', '2', '--lock-timeout', '1']).done;
      const json = await startMigrate(p, ['upgrade', '--concurrency', '2', '--lock-timeout', '1', '--json']).done;
      expect(holder.exited).toBe(false);
      writeFileSync(join(p.dir, 'release'), '');

      // A deploy script retries on 3 (a lock held elsewhere), with or without --concurrency.
      expect(waiter.code, waiter.stderr).toBe(3);
      expect(waiter.stderr).toMatch(/^ERROR: Timed out after \d+ s waiting for the migration lock on db2: another run holds it\. 'db2' stays at bb01 \(nothing ran on db2\)$/m);
      expect(waiter.stderr).toContain('Running upgrade aa02 -> aa03');
      expect(json.code, json.stderr).toBe(3);
      const doc = JSON.parse(json.stdout) as { error: { code: string; failures: { bind?: string; code?: string }[] } };
      expect(doc.error.code).toBe('RUN');
      expect(doc.error.failures.map((f) => [f.bind, f.code])).toEqual([['db2', 'LOCK_TIMEOUT']]);
    } finally {
      writeFileSync(join(p.dir, 'release'), '');
      const out = await holder.done;
      expect(out.code, out.stderr).toBe(0);
    }
    expect(p.versionsApplied('default')).toEqual(['aa03']);
    expect(p.versionsApplied('db2')).toEqual(['bb03']);
  });

  it('without --lock-timeout, a second process waits for the lock, then finds nothing left to do', async () => {
    p = new TempProject();
    writeCountingRevisions(p, { holdIn: 'bb02' });

    const holder = startMigrate(p, ['upgrade', 'db2']);
    await holder.waitForStderr(/Running upgrade bb01 -> bb02/);
    const waiter = startMigrate(p, ['upgrade', 'db2']);
    await waiter.waitForStderr(/Waiting for the migration lock.*db2/);
    writeFileSync(join(p.dir, 'release'), '');
    const [h, w] = await Promise.all([holder.done, waiter.done]);
    expect(h.code, h.stderr).toBe(0);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/Waiting for the migration lock.*db2/);
    expect(w.stderr).not.toContain('Running upgrade');
    expect(p.query('db2', 'SELECT revision, COUNT(*) AS n FROM runs GROUP BY revision ORDER BY revision')).toEqual(
      ids('db2').map((revision) => ({ revision, n: 1 })),
    );
  });
});
