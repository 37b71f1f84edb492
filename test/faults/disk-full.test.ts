// A SQLite bind on a full disk (a real one: a 64 KiB tmpfs, mounted for this file; the tests run as
// root, as CI does). Creating an empty file needs no free space, a transaction's journal does: an
// upgrade of a new database made the file, then could not take its migration lock (the lock's
// transaction writes `<lock file>-journal`), and the empty database file stayed, since removing it
// took a transaction with a journal too. Now: one ERROR line naming the bind, the file and what to
// do, and the database file the run made is removed; a file that was there before stays. The
// migration lock file stays, as after any locking command (removing it could let two processes
// hold the lock).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { addRevision, expectOneLineError } from './faults-support.js';

describe('SQLite on a full disk', () => {
  let mount = '';
  const projects: TempProject[] = [];
  beforeAll(() => {
    mount = mkdtempSync(join(tmpdir(), 'multidb-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
  });
  afterAll(() => {
    if (mount) {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });
  afterEach(() => {
    for (const p of projects.splice(0)) p.remove();
    for (const name of readdirSync(mount)) rmSync(join(mount, name), { recursive: true, force: true });
  });

  /** A project whose one bind's file is `<mount>/default.db`, with one revision. */
  const project = (): TempProject => {
    const url = `sqlite://${join(mount, 'default.db')}`;
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ directory: 'migrations', binds: { default: { url: ${JSON.stringify(url)} } } });\n` });
    projects.push(p);
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'create one', upgrade: `await op.createTable('one', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    return p;
  };

  /** Fills the file system with one file, until a write fails for want of space. */
  const fill = (): void => {
    const fd = openSync(join(mount, 'filler'), 'w');
    const block = Buffer.alloc(1024);
    try {
      for (;;) writeSync(fd, block);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
  };

  const entries = () => readdirSync(mount).filter((f) => f !== 'filler').sort();

  it('a new database: one error naming the bind and the file, and the file the run made removed', async () => {
    const p = project();
    fill();
    const file = join(mount, 'default.db');
    expectOneLineError(await p.run('upgrade'), [
      `ERROR: [default] cannot take the migration lock of ${file}: its lock file ${file}-multidb-`,
      'database or disk is full',
      `(the disk that holds ${mount} is full: free space on it, or point the bind's URL at another disk)`,
    ]);
    expect(entries()).toEqual([expect.stringMatching(/^default\.db-multidb-.*\.lock$/)]);
    expect((await p.ok('current')).stdout).toContain(`[default] database file ${file} does not exist (at base)`);
    rmSync(join(mount, 'filler'));
    await p.ok('upgrade');
    expect((await p.ok('current')).stdout).toContain('[default] aa01 (head)');
  });

  it('a database file that was there before (empty) stays', async () => {
    const p = project();
    writeFileSync(join(mount, 'default.db'), '');
    fill();
    expectOneLineError(await p.run('upgrade'), ['[default]', 'database or disk is full']);
    expect(entries()).toEqual(['default.db', expect.stringMatching(/^default\.db-multidb-.*\.lock$/)]);
  });
});
