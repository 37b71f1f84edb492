// `migrate stamp` of more binds than it connects at once (tenants): it checks every bind, a few
// at a time, before it writes any version table, then writes them a few at a time; at no moment
// are more than those few connected (neither a server's connection slots nor the process's file
// descriptors run out), and one bind that cannot be reached still stamps nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, TempProject, revisionSource, type RunOutput } from '../support/project.js';
import { createLoginRole, describeWithServers, useDatabases, withPostgres, type LoginRole } from '../support/servers.js';

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

const [R1, R2] = ['a1a1a1a1a1a1', 'b2b2b2b2b2b2'];
/** How many binds a stamp of more than 16 binds has connected at once (`STAMP_AT_ONCE`). */
const AT_ONCE = 4;

const tenantsOf = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i).padStart(4, '0')}`);

/**
 * The config of the README's tenants example, each bind's `onConnect` appending to `open.log` how
 * many tenant files this process has open as the bind connects (read from /proc/self/fd), the
 * bind's own included.
 */
function config(tenants: readonly string[]): string {
  return (
    `import { readdirSync, readlinkSync, appendFileSync } from 'node:fs';\n` +
    `import { defineConfig } from '@multidb/core';\n` +
    `const openTenants = () => readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync('/proc/self/fd/' + fd); } catch { return ''; } })\n` +
    `  .filter((link) => /\\/t\\d{4}\\.db$/.test(link)).length;\n` +
    `const tenants = ${JSON.stringify(tenants)};\n` +
    `export default defineConfig({\n` +
    `  binds: Object.fromEntries(tenants.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant', onConnect: async () => { try { appendFileSync(new URL('./open.log', import.meta.url), openTenants() + '\\n'); } catch { /* no descriptor left to look */ } } }])),\n` +
    `});\n`
  );
}

function writeRevisions(p: TempProject): void {
  const table = (name: string) => ({ upgrade: `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('${name}');` });
  p.write(`migrations/versions/tenant/${R1}_users.ts`, revisionSource({ revision: R1, downRevision: null, branchLabels: ['tenant'], ...table('users') }));
  p.write(`migrations/versions/tenant/${R2}_orders.ts`, revisionSource({ revision: R2, downRevision: R1, ...table('orders') }));
}

/** The most tenant files open at once as a bind connected, since `open.log` was last read (it is then emptied). */
function mostOpen(p: TempProject): number {
  const file = join(p.dir, 'open.log');
  if (!existsSync(file)) return 0;
  const counts = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  p.write('open.log', '');
  return Math.max(0, ...counts);
}

/** `migrate ARGS` in a shell whose open-files limit is `limit` (`ulimit -n`). */
function runWithFileLimit(cwd: string, limit: number, args: readonly string[]): Promise<RunOutput> {
  const command = `ulimit -n ${limit} && exec "$0" "$@"`;
  return new Promise((resolve) => {
    execFile('sh', ['-c', command, process.execPath, MIGRATE_BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('stamp of 40 SQLite tenants', () => {
  const tenants = tenantsOf(40);
  const p = new TempProject([], { config: config(tenants) });
  beforeAll(() => writeRevisions(p));
  afterAll(() => p.remove());

  it(`has at most ${AT_ONCE} tenants connected at once, checking them and writing them, and stamps them all`, async () => {
    await p.ok('upgrade', `tenant@${R1}`);
    mostOpen(p);
    const out = await p.ok('stamp', 'head');
    expect(out.stderr).toContain(`[tenant ×40] Stamped ${R1} -> ${R2} on 40 binds`);
    const most = mostOpen(p);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(AT_ONCE);
    for (const t of tenants) expect(p.versionsApplied(t)).toEqual([R2]);
  });

  it('stamps nothing when one tenant cannot be opened, naming it and the binds not stamped; no more than the few open at once meanwhile', async () => {
    // t0023's file is not a SQLite database: it cannot be opened.
    p.write('.data/t0023.db', 'not a database, just text that is long enough to be read as a header by SQLite........................................');
    mostOpen(p);
    const out = await p.run('stamp', '--all-binds', `tenant@${R1}`);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^Nothing stamped: a stamp connects every bind before it writes any version table; not stamped: t0000, t0001, .* and 19 more\.$/m);
    expect(out.stderr).toMatch(/^ERROR: \[t0023\] cannot open .*t0023\.db: file is not a database/m);
    expect(mostOpen(p)).toBeLessThanOrEqual(AT_ONCE);
    for (const t of tenants.filter((t) => t !== 't0023')) expect(p.versionsApplied(t)).toEqual([R2]);
  });
});

describe('stamp of 40 SQLite tenants, one of which cannot be reached after the check', () => {
  const tenants = tenantsOf(40);
  // t0010 connects once (the check), then its onConnect fails (its write's turn).
  const p = new TempProject([], {
    config:
      `import { existsSync, writeFileSync } from 'node:fs';\n` +
      `import { defineConfig } from '@multidb/core';\n` +
      `const tenants = ${JSON.stringify(tenants)};\n` +
      `const onConnect = (t) => async () => { const seen = new URL('./' + t + '.seen', import.meta.url); if (t === 't0010' && existsSync(seen)) throw new Error('gone since the check'); writeFileSync(seen, ''); };\n` +
      `export default defineConfig({ binds: Object.fromEntries(tenants.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant', onConnect: onConnect(t) }])) });\n`,
  });
  beforeAll(() => writeRevisions(p));
  afterAll(() => p.remove());

  it('stops there, naming the tenants stamped before it and those not stamped; nothing after it is written', async () => {
    await p.ok('stamp', 'head');
    for (const t of tenants) rmSync(join(p.dir, `${t}.seen`), { force: true });
    const out = await p.run('stamp', '--all-binds', `tenant@${R1}`);
    expect(out.code).toBe(1);
    const stamped = tenants.slice(0, 8);
    for (const t of tenants) expect(p.versionsApplied(t)).toEqual(stamped.includes(t) ? [R1] : [R2]);
    expect(lines(out.stderr).slice(-4)).toEqual([
      '[t0010] FAILED: not stamped, its version table is as it was: cannot run the onConnect hook on ' + join(p.dir, '.data', 't0010.db') + ': gone since the check',
      '[tenant ×40] 8 stamped, 1 failed (t0010), 31 left as they were: the stamp stopped at t0010',
      `The stamp stopped here (every bind could be reached when it checked them all; it then writes a few at a time): stamped: ${stamped.join(', ')}; not stamped: t0008, t0009, t0011, t0012, t0013, t0014, t0015, t0016, t0017, t0018, t0019, t0020, t0021, t0022, t0023, t0024, t0025, t0026, t0027, t0028 and 11 more.`,
      `ERROR: [t0010] cannot run the onConnect hook on ${join(p.dir, '.data', 't0010.db')}: gone since the check`,
    ]);
  });

  it('--json: the error names the tenants stamped and those not stamped', async () => {
    for (const t of tenants) rmSync(join(p.dir, `${t}.seen`), { force: true });
    const out = await p.run('stamp', '--json', '--all-binds', 'tenant@base');
    expect(out.code).toBe(1);
    const doc = JSON.parse(out.stdout) as { error: { code: string; stamped: string[]; notRun: string[] } };
    expect(doc.error.stamped).toEqual(tenants.slice(0, 8));
    expect(doc.error.notRun).toEqual(tenants.slice(8).filter((t) => t !== 't0010'));
    for (const t of tenants) expect(p.versionsApplied(t)).toEqual(tenants.indexOf(t) < 8 ? [] : [R2]);
  });
});

// 600 tenants under a limit of 128 descriptors: more than four times as many binds as descriptors,
// as 2,000 under 256 would be (that case took ~30 s of CI, a commit per tenant file).
describe('stamp of 600 SQLite tenants under ulimit -n 128', () => {
  const tenants = tenantsOf(600);
  const p = new TempProject([], { config: config(tenants) });
  beforeAll(() => writeRevisions(p));
  afterAll(() => p.remove());

  it('stamps every tenant (creating its file) without running out of file descriptors', async () => {
    const out = await runWithFileLimit(p.dir, 128, ['stamp', 'head']);
    expect(out.stderr).not.toContain('cannot open');
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`[tenant ×600] Stamped <base> -> ${R2} on 600 binds`);
    expect(readdirSync(join(p.dir, '.data')).filter((f) => /^t\d{4}\.db$/.test(f))).toHaveLength(600);
    for (const t of ['t0000', 't0299', 't0599']) expect(p.versionsApplied(t)).toEqual([R2]);
    expect(mostOpen(p)).toBeLessThanOrEqual(AT_ONCE);
  }, 300_000);
});

describe('stamp of 20 SQLite tenants, two of which name one file that does not exist yet', () => {
  const tenants = tenantsOf(20);
  // t0019's URL names t0003's file.
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `const tenants = ${JSON.stringify(tenants)};\n` +
      `export default defineConfig({ binds: Object.fromEntries(tenants.map((t) => [t, { url: 'sqlite:.data/' + (t === 't0019' ? 't0003' : t) + '.db', branch: 'tenant' }])) });\n`,
  });
  beforeAll(() => writeRevisions(p));
  afterAll(() => p.remove());

  it('refuses them before anything is written (it stamped the file once and called the other already at head)', async () => {
    const out = await p.run('stamp', 'head');
    expect(out.code).toBe(1);
    expect(lines(out.stderr).at(-1)).toBe(`ERROR: Binds 't0003' and 't0019' point at the same database (${join(p.dir, '.data', 't0003.db')}); each bind needs its own.`);
    expect(p.exists('.data')).toBe(false);
  });
});

describe('a process with no file descriptor left', () => {
  // Bind a's onConnect takes every descriptor the process has left (under `ulimit -n 256`), so b,
  // connected after it with a still open, cannot be opened.
  const p = new TempProject([], {
    config:
      `import { openSync } from 'node:fs';\n` +
      `import { defineConfig } from '@multidb/core';\n` +
      `const taken: number[] = [];\n` +
      `const takeEveryDescriptor = async () => { try { for (;;) taken.push(openSync('/dev/null', 'r')); } catch { /* EMFILE: none left */ } };\n` +
      `export default defineConfig({ binds: { a: { url: 'sqlite:.data/a.db', onConnect: takeEveryDescriptor }, b: { url: 'sqlite:.data/b.db' } } });\n`,
  });
  afterAll(() => p.remove());

  it('a bind that cannot be opened for want of file descriptors says so (EMFILE), not that its folder is missing', async () => {
    // Both files exist (b fails to open, not for want of its file) and neither has a version table.
    mkdirSync(join(p.dir, '.data'));
    for (const bind of ['a', 'b']) {
      const db = new Database(join(p.dir, '.data', `${bind}.db`));
      db.exec('CREATE TABLE t (id integer)');
      db.close();
    }
    p.write('migrations/versions/.keep', '');
    const out = await runWithFileLimit(p.dir, 256, ['current']);
    expect(lines(out.stdout)).toEqual([
      '[a] <base>',
      `[b] unreachable: cannot open ${join(p.dir, '.data', 'b.db')}: unable to open database file (EMFILE, this process has too many files open: raise its limit, ulimit -n, or have fewer binds open at once)`,
    ]);
    expect(out.stdout).not.toContain('check that its folder exists');
  });
});

describeWithServers('a PostgreSQL server that refuses one more connection', ['postgres'], () => {
  const dbs = useDatabases('stamp_many_binds', { pg: 'postgres' });
  let role: LoginRole | undefined;
  afterAll(async () => role?.drop());

  it('the bind error says the server has too many connections (53300), with what to do', async () => {
    role = await createLoginRole(dbs.pg);
    const name = role.user;
    await withPostgres((c) => c.query(`ALTER ROLE "${name}" CONNECTION LIMIT 0`));
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { db2: { url: ${JSON.stringify(role.url())} } } });\n` });
    p.write(`migrations/versions/db2/${R1}_users.ts`, revisionSource({ revision: R1, downRevision: null, branchLabels: ['db2'], upgrade: 'void op;', downgrade: 'void op;' }));
    try {
      const out = await p.run('stamp', 'base');
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`[db2] cannot connect to postgres://${name}:***@`);
      expect(out.stderr).toContain(`too many connections for role "${name}" (the PostgreSQL server refused the connection: too many connections already (its max_connections, or the role's or the database's CONNECTION LIMIT); try again once fewer are connected, or raise the limit)`);
      expect(out.stderr).not.toContain(role.password);
    } finally {
      p.remove();
    }
  });
});
