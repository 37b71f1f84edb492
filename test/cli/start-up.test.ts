// What the `migrate` bin loads at start-up (issue #13, P1): the CLI as one script with commander in
// it (no CommonJS module of commander; core and the CLI as scripts with V8 code caches: see
// code-cache.test.ts), and
// neither node:child_process (commander's executable subcommands, which migrate has none of) nor
// node:worker_threads (core starts a thread only for a run with --concurrency) for a command that
// needs neither, nor node:crypto (the config's transform cache hashes without it; a new revision id
// still loads it). Each module costs a short process CPU time whatever it then does.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlesSettled, MIGRATE_BIN, TempProject } from '../support/project.js';
import { addRevision } from '../faults/faults-support.js';

// Preloaded before the bin: at exit, prints Node's built-in modules loaded and the CommonJS files.
const PROBE = `
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  process.stderr.write('LOADED ' + JSON.stringify({ builtins, cjs: Object.keys(require.cache) }) + '\\n');
});
`;

// Preloaded before the bin: at exit, prints how many asynchronous file-system requests the process
// made (each a round trip through libuv's thread pool, whose four threads the first one starts).
const FS_PROBE = `
const { createHook } = require('node:async_hooks');
const requests = {};
createHook({ init(_id, type) { if (type.startsWith('FSREQ')) requests[type] = (requests[type] ?? 0) + 1; } }).enable();
process.on('exit', () => process.stderr.write('FSREQ ' + JSON.stringify(requests) + '\\n'));
`;

interface Loaded {
  readonly code: number;
  readonly stdout: string;
  readonly builtins: readonly string[];
  readonly cjs: readonly string[];
}

/** 20 SQLite tenants on one branch: more than an upgrade connects at once, so it may use workers. */
const TENANTS = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);

describe('start-up of the migrate bin', () => {
  let p: TempProject;
  let probe: string;

  const runProbed = (...args: string[]): Promise<Loaded> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['-r', probe, MIGRATE_BIN, ...args], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 }, (error, stdout, stderr) => {
        const line = /^LOADED (.*)$/m.exec(String(stderr));
        if (!line) return reject(new Error(`migrate ${args.join(' ')}: no probe line\n${String(stderr)}`));
        const loaded = JSON.parse(line[1]!) as { builtins: string[]; cjs: string[] };
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: `${String(stdout)}${String(stderr).replace(line[0], '')}`, ...loaded });
      });
    });

  /** `migrate ARGS` with {@link FS_PROBE}: its exit code and its asynchronous file-system requests by type. */
  const runFsProbed = (...args: string[]): Promise<{ code: number; requests: Record<string, number> }> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['-r', join(p.dir, 'fs-probe.cjs'), MIGRATE_BIN, ...args], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 }, (error, _stdout, stderr) => {
        const line = /^FSREQ (.*)$/m.exec(String(stderr));
        if (!line) return reject(new Error(`migrate ${args.join(' ')}: no probe line\n${String(stderr)}`));
        resolve({ code: error ? Number(error.code ?? 1) : 0, requests: JSON.parse(line[1]!) as Record<string, number> });
      });
    });

  beforeAll(() => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(TENANTS)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
    });
    addRevision(p, 'tenant', { revision: 'aa01', downRevision: null, message: 'first', upgrade: "await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);" });
    // The revision template `migrate init` writes (this repository's copy), for `revision`.
    p.write('migrations/script.ts.tmpl', readFileSync(fileURLToPath(new URL('../../migrations/script.ts.tmpl', import.meta.url)), 'utf8'));
    probe = join(p.dir, 'probe.cjs');
    writeFileSync(probe, PROBE);
    writeFileSync(join(p.dir, 'fs-probe.cjs'), FS_PROBE);
  });
  afterAll(() => p.remove());

  it('heads loads no CommonJS module of commander, nor node:child_process, node:worker_threads, node:crypto or node:zlib', async () => {
    // The code caches made first (the run that writes one computes its text's CRC-32 with node:zlib).
    await bundlesSettled();
    await runProbed('heads');
    const r = await runProbed('heads');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('aa01 (tenant) (head)');
    expect(r.cjs.filter((f) => f.includes(`${'/'}commander${'/'}`))).toEqual([]);
    expect(r.builtins).not.toContain('child_process');
    expect(r.builtins).not.toContain('worker_threads');
    expect(r.builtins).not.toContain('crypto');
    // The code caches' keys and checks need no checksum of ours (script-cache.ts): node:zlib, ~1-3 ms to load.
    expect(r.builtins).not.toContain('zlib');
  });

  it('heads and history make no asynchronous file-system request: the repository is checked and listed synchronously, and libuv\'s thread pool never starts', async () => {
    await bundlesSettled();
    for (const command of ['heads', 'history']) {
      const r = await runFsProbed(command);
      expect(r.code, command).toBe(0);
      expect(r.requests, command).toEqual({});
    }
  });

  it('positive control: an upgrade of the 20 tenants with --concurrency 2 runs on worker threads, loading node:worker_threads', async () => {
    const r = await runProbed('upgrade', '--concurrency', '2');
    expect(r.code).toBe(0);
    for (const t of TENANTS) expect(p.versionsApplied(t), t).toEqual(['aa01']);
    expect(r.builtins).toContain('worker_threads');
  });

  it('positive control: current after the upgrade (it opens the SQLite files, loading the dialect) makes asynchronous file-system requests the probe counts', async () => {
    const r = await runFsProbed('current');
    expect(r.code).toBe(0);
    expect(r.requests['FSREQCALLBACK'] ?? 0).toBeGreaterThan(0);
  });

  it('positive control: a new revision (its random id) loads node:crypto', async () => {
    const r = await runProbed('revision', '-m', 'second', '-b', 't00');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Generating .*[0-9a-f]{12}_second\.ts/);
    expect(r.builtins).toContain('crypto');
  });
});
