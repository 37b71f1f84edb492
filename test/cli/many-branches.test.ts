// A config of 2,000 binds, each with its own branch (one versions folder each), in a process allowed
// 256 open files (macOS's default `ulimit -n`): the module loader's transform cache kept one
// descriptor per folder until exit, so `upgrade --sql` failed once ~240 folders were read
// ("failed to import: Cannot find module 'jiti'", the EMFILE behind it) and a first run wrote the
// cache files of only those folders. Both runs, cold and warm, must now write every bind's SQL.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, revisionSource, TempProject, type RunOutput } from '../support/project.js';

const BINDS = 2000;
const name = (i: number) => `b${String(i).padStart(4, '0')}`;

describe('2,000 binds, each with its own versions folder, under ulimit -n 256', () => {
  let p: TempProject;

  /** `migrate upgrade --sql` with at most 256 descriptors, its caches in the project's own temp folder. */
  const upgrade = (): Promise<RunOutput> =>
    new Promise((resolve) => {
      execFile(
        'sh',
        ['-c', `ulimit -n 256 && exec "$0" "$1" upgrade --sql`, process.execPath, MIGRATE_BIN],
        { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0', TMPDIR: join(p.dir, 'tmp') }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      );
    });

  beforeAll(() => {
    const binds = Array.from({ length: BINDS }, (_, i) => `    ${name(i)}: { url: 'sqlite:.data/${name(i)}.db' },\n`).join('');
    p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  binds: {\n${binds}  },\n});\n` });
    for (let i = 0; i < BINDS; i++) {
      const revision = (i + 1).toString(16).padStart(12, '0');
      p.write(
        `migrations/versions/${name(i)}/${revision}_first.ts`,
        revisionSource({
          revision,
          downRevision: null,
          branchLabels: [name(i)],
          message: 'first',
          upgrade: `await op.createTable('t${i}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        }),
      );
    }
    p.write('tmp/.keep', '');
  });
  afterAll(() => p.remove());

  it('writes every bind’s SQL, with an empty cache and then a warm one', async () => {
    const uid = process.getuid?.() ?? 'user';
    for (const run of ['cold', 'warm']) {
      const out = await upgrade();
      expect(out.code, `${run}: ${out.stderr}`).toBe(0);
      for (const i of [0, 241, 1337, BINDS - 1]) expect(out.stdout, run).toContain(`CREATE TABLE "t${i}" (`);
      expect(out.stdout.match(/^CREATE TABLE "t\d+" \(/gm)?.length, run).toBe(BINDS);
      // One cache file per versions folder, and the config's.
      expect(readdirSync(join(p.dir, 'tmp', `multidb-cache-${uid}`)).filter((f) => f.endsWith('.tc')).length, run).toBe(BINDS + 1);
    }
  });
});
