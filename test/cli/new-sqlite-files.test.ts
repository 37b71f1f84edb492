// A run that fails leaves no new empty SQLite file for a bind it committed nothing to
// (DialectConnection.discard): not for the bind whose first revision failed, nor for the binds
// connected first that the run never reached (no --concurrency), nor for the failing bind of
// --concurrency N whose version table was made before its first step, nor for a bind whose
// per-run transaction rolled back. A file that existed before the run, and one that anything was
// committed to, stay; so does the new file of a run that succeeded (as before). The sibling migration lock file of a bind that was locked stays (removing
// it could let two processes hold the lock), so does the folder that holds it.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createModuleLoader, loadEnvironment, MigrationError } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { InProcessProject } from '../support/in-process-project.js';
import { TempProject } from '../support/project.js';

/** A project of SQLite binds `.data/<bind>.db`, each with one root revision `<bind>1` (a table `t_<bind>`); those in `failing` throw. */
function project(binds: readonly string[], failing: readonly string[], options: { perRun?: boolean } = {}): TempProject {
  const config =
    `import { defineConfig } from '@multidb/core';\n` +
    `export default defineConfig({\n  directory: 'migrations',\n${options.perRun ? `  transactionMode: 'per-run',\n` : ''}  binds: {\n` +
    binds.map((b) => `    ${b}: { url: 'sqlite:.data/${b}.db' },\n`).join('') +
    `  },\n});\n`;
  const p = new InProcessProject([], { config });
  for (const b of binds) {
    addRevision(p, b, {
      revision: `${b}1`,
      downRevision: null,
      message: 'first',
      upgrade: failing.includes(b) ? `throw new Error('boom in ${b}1');` : `await op.createTable('t_${b}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
      downgrade: failing.includes(b) ? '' : `await op.dropTable('t_${b}');`,
    });
  }
  return p;
}

/** The database files in the project's `.data` folder (lock files left out). */
const databases = (p: TempProject) => p.files('.data').filter((f) => f.endsWith('.db'));

describe('a run stopped by a failing bind leaves no new empty SQLite file', () => {
  const made: TempProject[] = [];
  const use = (p: TempProject) => (made.push(p), p);
  afterAll(() => made.forEach((p) => p.remove()));

  it('without --concurrency: neither the failing bind nor the binds the run did not reach keep a file', async () => {
    const p = use(project(['aa', 'bb', 'cc', 'dd'], ['bb']));
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/\[bb\] revision bb1 failed: boom in bb1/);
    expect(databases(p)).toEqual(['.data/aa.db']);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
    // current reads them as before: at base, the file does not exist.
    const current = await p.run('current');
    expect(current.stdout.split('\n').filter(Boolean).slice(1)).toEqual(['bb', 'cc', 'dd'].map((b) => expect.stringMatching(new RegExp(`^\\[${b}\\] database file .*${b}\\.db does not exist \\(at base\\)$`))));
  });

  it('one bind whose first revision fails (the version table made in its transaction): no file', async () => {
    const p = use(project(['aa'], ['aa']));
    expect((await p.run('upgrade')).code).toBe(1);
    expect(databases(p)).toEqual([]);
  });

  it('--concurrency 2: the failing bind (its version table made before its first step) keeps no file; the others are upgraded', async () => {
    const p = use(project(['aa', 'bb', 'cc'], ['bb']));
    const out = await p.run('upgrade', '--concurrency', '2');
    expect(out.code).toBe(1);
    expect(databases(p)).toEqual(['.data/aa.db', '.data/cc.db']);
    expect(p.versionsApplied('cc')).toEqual(['cc1']);
  });

  it("transactionMode 'per-run': a bind whose whole run rolled back (its second revision failed) keeps no file", async () => {
    const p = use(project(['aa', 'bb'], [], { perRun: true }));
    addRevision(p, 'bb', { revision: 'bb2', downRevision: 'bb1', message: 'second', upgrade: `throw new Error('boom in bb2');` });
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/\[bb\] revision bb2 failed: boom in bb2;.*'bb' stays at <base>/);
    expect(databases(p)).toEqual(['.data/aa.db']);
  });

  it('a file that existed before the run stays as it was, even empty', async () => {
    const p = use(project(['aa', 'bb'], ['aa']));
    p.write('.data/bb.db', '');
    const before = statSync(`${p.dir}/.data/bb.db`).mtimeMs;
    expect((await p.run('upgrade')).code).toBe(1);
    expect(databases(p)).toEqual(['.data/bb.db']);
    expect(readFileSync(`${p.dir}/.data/bb.db`).length).toBe(0);
    expect(statSync(`${p.dir}/.data/bb.db`).mtimeMs).toBe(before);
  });

  it('a bind that had revisions applied keeps its file when a later revision fails', async () => {
    const p = use(project(['aa'], []));
    await p.ok('upgrade');
    addRevision(p, 'aa', { revision: 'aa2', downRevision: 'aa1', message: 'second', upgrade: `throw new Error('boom in aa2');` });
    expect((await p.run('upgrade')).code).toBe(1);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
  });

  it('a run that succeeds creates the database of a bind it had nothing to run on, as before', async () => {
    const p = use(project(['aa'], []));
    p.write('migrations/versions/bb/.keep', '');
    p.write('migrate.config.ts', p.read('migrate.config.ts').replace(`    aa: { url: 'sqlite:.data/aa.db' },\n`, `    aa: { url: 'sqlite:.data/aa.db' },\n    bb: { url: 'sqlite:.data/bb.db' },\n`));
    await p.ok('upgrade');
    expect(databases(p)).toEqual(['.data/aa.db', '.data/bb.db']);
  });

  it('a failing run removes the empty database of a bind it had nothing to run on', async () => {
    const p = use(project(['aa'], ['aa']));
    p.write('migrations/versions/bb/.keep', '');
    p.write('migrate.config.ts', p.read('migrate.config.ts').replace(`    aa: { url: 'sqlite:.data/aa.db' },\n`, `    aa: { url: 'sqlite:.data/aa.db' },\n    bb: { url: 'sqlite:.data/bb.db' },\n`));
    expect((await p.run('upgrade')).code).toBe(1);
    expect(databases(p)).toEqual([]);
  });

  it('many tenants (groups connected one by one, on worker threads) with --concurrency 4: the failing tenant keeps no file', async () => {
    const tenants = Array.from({ length: 18 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const p = use(project(tenants, ['t05']));
    const out = await p.run('upgrade', '--concurrency', '4');
    expect(out.code).toBe(1);
    expect(databases(p)).toEqual(tenants.filter((t) => t !== 't05').map((t) => `.data/${t}.db`));
  });

  it('from code: the binds of a failed run stay open until env.close(), which removes their empty new files', async () => {
    const p = use(project(['aa', 'bb', 'cc'], ['bb']));
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const error = await env.upgrade().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(databases(p)).toEqual(['.data/aa.db', '.data/cc.db']); // cc: connected first, still open
    } finally {
      await env.close();
    }
    expect(databases(p)).toEqual(['.data/aa.db']);
  });
});

// A command with nothing to do on a bind whose SQLite file does not exist leaves no file behind:
// such a bind is at base, so a downgrade (any target) or `stamp base` has nothing to write there
// and does not create the database, as `current` (read-only) does not. `stamp <rev>` and `upgrade`
// still create it (they write to it, or, for an upgrade with nothing to run, as before), and a
// stamp that fails discards the new file it connected to, as a failed run does.
describe('a command with nothing to do on a bind whose database does not exist creates no file', () => {
  const made: TempProject[] = [];
  const use = (p: TempProject) => (made.push(p), p);
  afterAll(() => made.forEach((p) => p.remove()));

  it('downgrade base, <bind>@base, -1 and <bind> (several binds, and one): no new file; an existing one is downgraded', async () => {
    const p = use(project(['aa', 'bb', 'cc'], []));
    await p.ok('upgrade', 'aa@head');
    expect(databases(p)).toEqual(['.data/aa.db']);
    for (const args of [['bb@base'], ['bb'], ['bb@-1'], ['bb', '--concurrency', '2']]) {
      const out = await p.run('downgrade', ...args);
      expect(databases(p), args.join(' ')).toEqual(['.data/aa.db']);
      expect(out.stderr, args.join(' ')).not.toMatch(/\.data\/bb\.db/);
    }
    for (const args of [['base'], ['base', '--concurrency', '2']]) {
      await p.ok('upgrade', 'aa@head');
      const out = await p.run('downgrade', ...args);
      expect(out.code, args.join(' ')).toBe(0);
      expect(databases(p), args.join(' ')).toEqual(['.data/aa.db']);
      expect(p.versionsApplied('aa')).toEqual([]);
    }
    // With only binds whose database does not exist: nothing to downgrade, nothing made.
    expect((await p.ok('downgrade', 'cc@base')).stderr).toMatch(/Nothing to downgrade/);
    expect(databases(p)).toEqual(['.data/aa.db']);
  });

  it('tenants on one branch (independent groups), downgrade with --all-binds, with and without --concurrency: no new file', async () => {
    const config =
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
      ['t1', 't2', 't3'].map((t) => `    ${t}: { url: 'sqlite:.data/${t}.db', branch: 'tenant' },\n`).join('') +
      `  },\n});\n`;
    const p = use(new InProcessProject([], { config }));
    addRevision(p, 'tenant', { revision: 'ten1', downRevision: null, message: 'first', upgrade: `await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('t');` });
    for (const args of [[], ['--concurrency', '2']]) {
      await p.ok('upgrade', 't2@head');
      const out = await p.run('downgrade', 'tenant@base', '--all-binds', ...args);
      expect(out.code, args.join(' ')).toBe(0);
      expect(databases(p), args.join(' ')).toEqual(['.data/t2.db']);
      expect(p.versionsApplied('t2')).toEqual([]);
    }
  });

  it('downgrade -1 of the only bind, at base because its file does not exist: refused as before, no file', async () => {
    const p = use(project(['aa'], []));
    const out = await p.run('downgrade', '-1');
    expect(out.code).not.toBe(0);
    expect(databases(p)).toEqual([]);
    expect((await p.run('downgrade')).code).not.toBe(0);
    expect(databases(p)).toEqual([]);
    expect(p.files('.data')).toEqual([]); // no migration lock file either
  });

  it('stamp base (and <bind>@base, --purge): no new file; stamp <rev> creates the database it writes to', async () => {
    const p = use(project(['aa', 'bb'], []));
    for (const args of [['base'], ['aa@base', 'bb@base'], ['base', '--purge']]) {
      await p.ok('stamp', ...args);
      expect(databases(p), args.join(' ')).toEqual([]);
    }
    await p.ok('stamp', 'bb@head');
    expect(databases(p)).toEqual(['.data/bb.db']);
    expect(p.versionsApplied('bb')).toEqual(['bb1']);
    await p.ok('stamp', 'base');
    expect(p.versionsApplied('bb')).toEqual([]);
    expect(databases(p)).toEqual(['.data/bb.db']); // it existed: it stays
  });

  it('stamp takes the lock of a database it creates in sorted order: the locks held that sort after it are released while it waits (DESIGN §2)', async () => {
    const p = use(project(['aa', 'bb'], []));
    await p.ok('upgrade', 'bb@head');
    expect(databases(p)).toEqual(['.data/bb.db']);
    const bbLock = join(p.dir, p.files('.data').find((f) => f.startsWith('.data/bb.db-multidb-') && f.endsWith('.lock'))!);
    const aaLock = bbLock.replace('bb.db-multidb-', 'aa.db-multidb-');
    // Another process holds aa's lock (its lock file made before aa's database exists).
    const holder = new Database(aaLock);
    holder.exec('BEGIN EXCLUSIVE');
    const acquired: string[] = [];
    let bbFreeWhileWaiting: boolean | undefined;
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const changes = await env.stamp(['aa@head', 'bb@base'], {
        onEvent: (event) => {
          if (event.type === 'lock-acquired') acquired.push(event.bind);
          if (event.type !== 'lock-wait' || event.bind !== 'aa') return;
          // Could a process that locks in sorted order (aa, then bb) get bb now? Then aa is let go.
          const probe = new Database(bbLock, { timeout: 0 });
          try {
            probe.exec('BEGIN EXCLUSIVE');
            probe.exec('ROLLBACK');
            bbFreeWhileWaiting = true;
          } catch {
            bbFreeWhileWaiting = false;
          } finally {
            probe.close();
          }
          holder.close();
        },
      });
      expect(changes.map((c) => [c.bind, c.to])).toEqual([['aa', ['aa1']], ['bb', []]]);
    } finally {
      if (holder.open) holder.close();
      await env.close();
    }
    expect(bbFreeWhileWaiting).toBe(true);
    // bb locked first (its database exists), then aa and bb again, in order.
    expect(acquired).toEqual(['bb', 'aa', 'bb']);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
    expect(p.versionsApplied('bb')).toEqual([]);
  });

  it('from code: env.planDowngrade (the TUI\'s downgrade review) reads a missing database as at base and creates nothing', async () => {
    const p = use(project(['aa', 'bb'], []));
    await p.ok('upgrade', 'aa@head');
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      expect((await env.planDowngrade('bb@base')).steps).toEqual([]);
      expect((await env.planDowngrade('base')).steps.map((s) => s.revision)).toEqual(['aa1']);
    } finally {
      await env.close();
    }
    expect(databases(p)).toEqual(['.data/aa.db']);
  });

  it('from code: env.planUpgrade (the plan of an upgrade), env.inFlight, env.lockHolders and connectAll with create: false read a missing database as at base and create nothing', async () => {
    const p = use(project(['aa', 'bb', 'cc', 'dd', 'ee'], []));
    await p.ok('upgrade', 'aa@head');
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      // Each method on its own missing bind, then on all of them.
      expect((await env.planUpgrade('bb@head')).steps.map((s) => s.revision)).toEqual(['bb1']);
      expect(databases(p), 'planUpgrade').toEqual(['.data/aa.db']);
      expect((await env.inFlight(['aa', 'cc'])).size).toBe(0);
      expect(databases(p), 'inFlight').toEqual(['.data/aa.db']);
      expect((await env.lockHolders(['aa', 'dd'])).size).toBe(0);
      expect(databases(p), 'lockHolders').toEqual(['.data/aa.db']);
      expect([...(await env.connectAll(['aa', 'ee'], { create: false })).keys()]).toEqual(['aa']);
      expect(databases(p), 'connectAll').toEqual(['.data/aa.db']);
      expect((await env.planUpgrade([])).steps.map((s) => s.revision)).toEqual(['bb1', 'cc1', 'dd1', 'ee1']);
      expect((await env.inFlight()).size + (await env.lockHolders()).size).toBe(0);
      expect(databases(p)).toEqual(['.data/aa.db']);
      // connectAll hands out connections to write with: by default it creates the database, as before.
      expect([...(await env.connectAll(['bb'])).keys()]).toEqual(['bb']);
    } finally {
      await env.close();
    }
    expect(databases(p)).toEqual(['.data/aa.db', '.data/bb.db']);
    expect((await p.ok('upgrade')).code).toBe(0); // the upgrade creates the others
    expect(databases(p)).toEqual(['aa', 'bb', 'cc', 'dd', 'ee'].map((b) => `.data/${b}.db`));
  });

  it('--sql (offline) never connects: no file', async () => {
    const p = use(project(['aa'], []));
    await p.ok('stamp', '--sql', 'aa@head');
    await p.ok('downgrade', '--sql', 'aa@head:base');
    expect(databases(p)).toEqual([]);
  });

  it('a stamp that fails after connecting removes the new empty file it connected to (as a failed run)', async () => {
    const p = use(project(['aa', 'bb'], []));
    await p.ok('upgrade', 'aa@head');
    // aa's version table refuses every change, so the stamp fails on aa, after bb (new) was opened.
    p.exec('aa', `CREATE TRIGGER no_stamp BEFORE DELETE ON multidb_version BEGIN SELECT RAISE(ABORT, 'no stamps here'); END;`);
    const out = await p.run('stamp', 'aa@base', 'bb@head');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/no stamps here/);
    expect(databases(p)).toEqual(['.data/aa.db']);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
  });
});

// `sqlite:~/x.db` is x.db in the home folder, as a shell reads it (was: a folder named '~' made
// in the project); `~name/` is refused rather than made a folder.
describe("a SQLite URL that starts with '~/'", () => {
  const made: TempProject[] = [];
  afterAll(() => made.forEach((p) => p.remove()));

  it('names a file in the home folder ($HOME): no folder named ~ in the project', async () => {
    const home = new TempProject([], { config: false });
    made.push(home);
    // A subprocess (TempProject): HOME is given to its runs alone, which migrate in this process could not do.
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { aa: { url: 'sqlite:~/dbs/aa.db' } } });\n`,
      env: { HOME: home.dir },
    });
    made.push(p);
    addRevision(p, 'aa', { revision: 'aa1', downRevision: null, message: 'first', upgrade: `await op.createTable('t_aa', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    const file = join(home.dir, 'dbs', 'aa.db');
    expect((await p.ok('current')).stdout).toContain(`[aa] database file ${file} does not exist (at base)`);
    await p.ok('upgrade');
    expect(p.exists('~')).toBe(false);
    expect(home.files().filter((f) => f.endsWith('.db'))).toEqual(['dbs/aa.db']);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT version_num FROM multidb_version').pluck().all()).toEqual(['aa1']);
    } finally {
      db.close();
    }

    p.write('migrate.config.ts', p.read('migrate.config.ts').replace('sqlite:~/dbs/aa.db', 'sqlite:~bob/aa.db'));
    const out = await p.run('upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("Invalid SQLite URL 'sqlite:~bob/aa.db': a leading '~' is expanded only as '~/' (your home folder)");
    expect(p.exists('~bob')).toBe(false);
  });
});
