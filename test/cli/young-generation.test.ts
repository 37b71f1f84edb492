// The `migrate` bin keeps V8's young generation at its starting size (limitYoungGeneration), so a
// short command's peak memory is not mostly semi-spaces V8 grew; a user's own sizing is kept.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, TempProject, revisionSource, runMigrate } from '../support/project.js';

// Preloaded before the bin: at exit, after the command ran, allocates what would make V8 grow its
// semi-spaces (objects that survive young collections), then prints the young generation's size.
const PROBE = `
const v8 = require('node:v8');
process.on('exit', () => {
  const kept = [];
  for (let i = 0; i < 400000; i++) kept.push({ i, s: 'x' + i });
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  process.stderr.write('NEW_SPACE ' + young.space_size + ' ' + kept.length + '\\n');
});
`;

function newSpaceAfter(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args, MIGRATE_BIN, '--version'], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      const match = /NEW_SPACE (\d+) 400000/.exec(String(stderr));
      if (error || !match) reject(new Error(`migrate --version: ${error?.message ?? ''}\n${String(stderr)}`));
      else resolve(Number(match[1]));
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multidb-young-'));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

describe('the migrate bin sizes the young generation', () => {
  it('keeps the two starting 1 MiB semi-spaces however much survives', async () => {
    expect(await newSpaceAfter(['-r', join(dir, 'probe.cjs')], { NODE_OPTIONS: '' })).toBeLessThanOrEqual(2 * MiB);
  });

  it("keeps the user's own --max-semi-space-size (V8 then grows the semi-spaces)", async () => {
    const size = await newSpaceAfter(['-r', join(dir, 'probe.cjs')], { NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(size).toBeGreaterThan(2 * MiB);
  });

  it('keeps a sizing flag given on the command line', async () => {
    expect(await newSpaceAfter(['--max-semi-space-size=8', '-r', join(dir, 'probe.cjs')], { NODE_OPTIONS: '' })).toBeGreaterThan(2 * MiB);
  });
});

describe("the migrate bin sizes its worker threads' young generation", () => {
  // 20 SQLite tenants with --concurrency 2 run on worker threads (more than 16 binds, see core's
  // RunWorkersOptions). Tenant t00's revision, on a worker, allocates what would make V8 grow
  // the semi-spaces, then records its thread and the young generation's size.
  const tenants = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({\n` +
      `  binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])),\n` +
      `});\n`,
  });
  beforeAll(() => {
    p.write(
      'migrations/versions/tenant/a1a1a1a1a1a1_young.ts',
      revisionSource({
        revision: 'a1a1a1a1a1a1',
        downRevision: null,
        branchLabels: ['tenant'],
        message: 'record the young generation',
        upgrade:
          "await op.createTable('young', [{ name: 'thread', type: 'integer' }, { name: 'new_space', type: 'integer' }]);\n" +
          "  if (op.bind !== 't00') return;\n" +
          "  const v8 = await import('node:v8');\n" +
          "  const { threadId } = await import('node:worker_threads');\n" +
          '  const kept: object[] = [];\n' +
          "  for (let i = 0; i < 400000; i++) kept.push({ i, s: 'x' + i });\n" +
          "  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!;\n" +
          "  await op.bulkInsert('young', [{ thread: threadId, new_space: kept.length === 400000 ? young.space_size : -1 }]);",
        downgrade: "await op.dropTable('young');",
      }),
    );
  });
  afterAll(() => p.remove());

  const youngOfWorker = async (nodeOptions: string): Promise<{ thread: number; new_space: number }> => {
    rmSync(join(p.dir, '.data'), { recursive: true, force: true });
    const out = await runMigrate(p.dir, ['upgrade', '--concurrency', '2'], { NODE_OPTIONS: nodeOptions });
    expect(out.code, out.stderr).toBe(0);
    const db = new Database(join(p.dir, '.data', 't00.db'), { readonly: true });
    try {
      return db.prepare('SELECT thread, new_space FROM young').get() as { thread: number; new_space: number };
    } finally {
      db.close();
    }
  };

  it('keeps two 1 MiB semi-spaces on a worker thread too', async () => {
    const row = await youngOfWorker('');
    expect(row.thread).toBeGreaterThan(0); // a worker thread, not the main thread (0)
    expect(row.new_space).toBeGreaterThan(0);
    expect(row.new_space).toBeLessThanOrEqual(2 * MiB);
  });

  it("keeps the main thread's young generation small after worker threads started", async () => {
    // Starting a worker resets the process-wide growth factor (limitYoungGeneration sets it again
    // as each worker comes online): without that, the main thread's new space grows to 32 MiB.
    // A young collection of the main thread between a worker's isolate set-up and its 'online'
    // event may still double it once per worker started (seen once in CI: 4 MiB); two workers here.
    rmSync(join(p.dir, '.data'), { recursive: true, force: true });
    const probe = join(dir, 'probe-main.cjs');
    writeFileSync(probe, `if (require('node:worker_threads').isMainThread) {${PROBE}}`);
    const out = await runMigrate(p.dir, ['upgrade', '--concurrency', '2'], { NODE_OPTIONS: `-r ${probe}` });
    expect(out.code, out.stderr).toBe(0);
    const sizes = [...out.stderr.matchAll(/NEW_SPACE (\d+) 400000/g)].map((m) => Number(m[1]));
    expect(sizes).toHaveLength(1); // the main thread's
    expect(sizes[0]).toBeLessThanOrEqual(8 * MiB);
  });

  it("leaves the workers to Node's sizing when the user sized the young generation", async () => {
    const row = await youngOfWorker('--max-semi-space-size=16');
    expect(row.thread).toBeGreaterThan(0);
    expect(row.new_space).toBeGreaterThan(2 * MiB);
  });
});
