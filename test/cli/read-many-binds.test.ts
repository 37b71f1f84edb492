// `migrate current`, `status`, `history -i` and `check` over more binds than a read connects at
// once (tenants): each tenant is opened, read and closed, 16 at a time, so the process's
// open-files limit (`ulimit -n`) is no limit on how many tenants a project has. Each of them used
// to open every bind and keep it open: under `ulimit -n 128`, 300 SQLite tenants came out about
// 200 of them unreachable (EMFILE). Per-bind results stay in config order, each with its own
// reason. `current` (and `--json`) and `status` open each tenant once: `current` used to read the
// version tables 16 at a time, then open every tenant again, one after the other, for its lock
// holder and its revision in flight (2 opens per tenant). Through the built `migrate` binary, in a
// shell that lowers the limit.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, TempProject, revisionSource, type RunOutput } from '../support/project.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

const [R1, R2] = ['a1a1a1a1a1a1', 'b2b2b2b2b2b2'];
/** How many binds a read of more than 16 binds has connected at once (core's `READ_AT_ONCE`). */
const AT_ONCE = 16;
/** Tenants of the project: more than fit under {@link LIMIT} all at once. */
const TENANTS = 300;
/** The open-files limit the commands run under: Node's own files and 16 tenants fit, 300 do not. */
const LIMIT = 128;

const tenants = Array.from({ length: TENANTS }, (_, i) => `t${String(i).padStart(4, '0')}`);

/**
 * The tenants' config (models: none, so `check` compares the version-table-only databases the
 * stamp leaves), each bind's `onConnect` appending to `open.log` a line `<bind> <n>`: the bind
 * connecting and how many tenant files this process has open as it connects (read from
 * /proc/self/fd), its own included.
 */
const CONFIG =
  `import { readdirSync, readlinkSync, appendFileSync } from 'node:fs';\n` +
  `import { defineConfig } from '@multidb/core';\n` +
  `const openTenants = () => readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync('/proc/self/fd/' + fd); } catch { return ''; } })\n` +
  `  .filter((link) => /\\/t\\d{4}\\.db$/.test(link)).length;\n` +
  `const tenants = ${JSON.stringify(tenants)};\n` +
  `export default defineConfig({\n` +
  `  binds: Object.fromEntries(tenants.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant', models: './models.ts', onConnect: async () => { try { appendFileSync(new URL('./open.log', import.meta.url), t + ' ' + openTenants() + '\\n'); } catch { /* no descriptor left to look */ } } }])),\n` +
  `});\n`;

/**
 * What `open.log` says since it was last read (it is then emptied): the most tenant files open at
 * once as a bind connected, and how many times each bind connected.
 */
function openLog(p: TempProject): { most: number; connects: Map<string, number> } {
  const file = join(p.dir, 'open.log');
  const entries = existsSync(file) ? lines(readFileSync(file, 'utf8')).map((line) => line.split(' ')) : [];
  p.write('open.log', '');
  const connects = new Map<string, number>();
  for (const [bind] of entries) connects.set(bind!, (connects.get(bind!) ?? 0) + 1);
  return { most: Math.max(0, ...entries.map(([, open]) => Number(open))), connects };
}

/** The most tenant files open at once as a bind connected, since `open.log` was last read (it is then emptied). */
function mostOpen(p: TempProject): number {
  return openLog(p).most;
}

/** The binds connected other than once each, with their counts, of those `binds` (empty: each once). */
function notOnce(connects: ReadonlyMap<string, number>, binds: readonly string[]): [string, number][] {
  return binds.map((b) => [b, connects.get(b) ?? 0] as [string, number]).filter(([, n]) => n !== 1);
}

/** `migrate ARGS` in a shell whose open-files limit is {@link LIMIT}. */
function runLimited(cwd: string, args: readonly string[]): Promise<RunOutput> {
  const command = `ulimit -n ${LIMIT} && exec "$0" "$@"`;
  return new Promise((resolve) => {
    execFile('sh', ['-c', command, process.execPath, MIGRATE_BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe(`reads of ${TENANTS} SQLite tenants under ulimit -n ${LIMIT}`, () => {
  const p = new TempProject([], { config: CONFIG });
  beforeAll(async () => {
    const table = (name: string) => ({ upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('${name}');` });
    p.write(`migrations/versions/tenant/${R1}_users.ts`, revisionSource({ revision: R1, downRevision: null, branchLabels: ['tenant'], message: 'users', ...table('users') }));
    p.write(`migrations/versions/tenant/${R2}_orders.ts`, revisionSource({ revision: R2, downRevision: R1, message: 'orders', ...table('orders') }));
    p.write('models.ts', `import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [] });\n`);
    await p.ok('stamp', 'head'); // every tenant's file, at head
    mostOpen(p);
  }, 120_000);
  afterAll(() => p.remove());

  it(`current: every tenant read, connected once, none unreachable, at most ${AT_ONCE} open at once`, async () => {
    const out = await runLimited(p.dir, ['current']);
    expect(lines(out.stdout)).toEqual([`[tenant ×${TENANTS}] ${R2} (head) on ${TENANTS} binds`]);
    expect(out.code, out.stderr).toBe(0);
    const { most, connects } = openLog(p);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(AT_ONCE);
    // Its version table, lock holder and revision in flight, in one visit.
    expect(notOnce(connects, tenants)).toEqual([]);
  });

  it(`status: every tenant read, connected once, at most ${AT_ONCE} open at once`, async () => {
    const out = await runLimited(p.dir, ['status']);
    expect(lines(out.stdout)).toEqual([`[tenant ×${TENANTS}] sqlite: current ${R2}, head ${R2}; up to date on ${TENANTS} binds`]);
    expect(out.code, out.stderr).toBe(0);
    const { most, connects } = openLog(p);
    expect(most).toBeLessThanOrEqual(AT_ONCE);
    expect(notOnce(connects, tenants)).toEqual([]);
  });

  it('history -i: the current revision of every tenant, none unreachable', async () => {
    const out = await runLimited(p.dir, ['history', '-i']);
    expect(out.code, out.stderr).toBe(0);
    expect(lines(out.stdout)).toEqual([`[tenant] ${R1} -> ${R2} (tenant) (head) (current: ${TENANTS} binds), orders`, `[tenant] <base> -> ${R1} (tenant), users`]);
    expect(mostOpen(p)).toBeLessThanOrEqual(AT_ONCE);
  });

  it(`check: every tenant compared with its models, at most ${AT_ONCE} open at once`, async () => {
    const out = await runLimited(p.dir, ['check']);
    expect(lines(out.stdout)).toEqual([`[tenant ×${TENANTS}] No changes in schema detected on ${TENANTS} binds`]);
    expect(out.code, out.stderr).toBe(0);
    expect(mostOpen(p)).toBeLessThanOrEqual(AT_ONCE);
  });

  it('current --json: the tenants in config order, one that is not a database and one without a file each with its own reason', async () => {
    p.write('.data/t0123.db', 'not a database, just text that is long enough to be read as a header by SQLite........................................');
    rmSync(join(p.dir, '.data', 't0250.db'));
    const out = await runLimited(p.dir, ['current', '--json']);
    expect(out.code).toBe(1); // a bind could not be read
    const doc = JSON.parse(out.stdout) as { binds: { bind: string; reachable: boolean; reason?: string; missingDatabase?: string; revisions: { revision: string }[] }[] };
    expect(doc.binds.map((b) => b.bind)).toEqual(tenants);
    const odd = doc.binds.filter((b) => !b.reachable || b.missingDatabase !== undefined);
    expect(odd).toEqual([
      expect.objectContaining({ bind: 't0123', reachable: false, reason: expect.stringMatching(/^\[t0123\] cannot open .*t0123\.db: file is not a database/) }),
      expect.objectContaining({ bind: 't0250', reachable: true, missingDatabase: expect.stringMatching(/t0250\.db does not exist/), revisions: [] }),
    ]);
    for (const b of doc.binds.filter((b) => !['t0123', 't0250'].includes(b.bind))) expect(b.revisions.map((r) => r.revision)).toEqual([R2]);
    const { most, connects } = openLog(p);
    expect(most).toBeLessThanOrEqual(AT_ONCE);
    // Neither t0123 (not a database: its connect fails) nor t0250 (no file) is connected.
    expect(notOnce(connects, tenants.filter((t) => !['t0123', 't0250'].includes(t)))).toEqual([]);
    expect([connects.has('t0123'), connects.has('t0250')]).toEqual([false, false]);
  });
});
