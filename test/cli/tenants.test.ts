// Tenants at scale: 200 SQLite tenant binds generated from a list share the branch `tenant`.
// No depends-on links them, so each is an independent group: connected, locked, planned, run and
// closed on its own, at most `--concurrency` at once. A revision counts, for real, the tenant
// database files this process holds open while it runs (/proc/self/fd); a revision fails only for
// the tenant named by `-x fail=<bind>`. In-process (`main`), so the revisions run in this process.
// Then: a downgrade of every tenant (summarised); a held migration lock, a version table naming a
// revision the scripts lack and (MariaDB) a partly applied revision stopping only their tenant;
// groups of two linked binds holding at most `--concurrency` binds open.
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { threadId } from 'node:worker_threads';
import { createModuleLoader, loadEnvironment, type RunEvent } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { lockFileFor } from '@multidb/dialect/sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/in-process.js';
import { TempProject, revisionSource, runMigrate } from '../support/project.js';
import { startMigrate } from '../faults/faults-support.js';
import { describeWithServers, queryUrl, scalarUrl, useDatabases } from '../support/servers.js';

const TENANTS = Array.from({ length: 200 }, (_, i) => `t${String(i).padStart(3, '0')}`);
const [R1, R2, R3] = ['a1a1a1a1a1a1', 'b2b2b2b2b2b2', 'c3c3c3c3c3c3'];

/** The config of the README: tenant binds generated from a list (each bind's other settings `fields`, e.g. `models: './models.ts'`). */
function config(urlOf: string, tenants: readonly string[] = TENANTS, fields = ''): string {
  return (
    `import { defineConfig } from '@multidb/core';\n` +
    `const tenants = ${JSON.stringify(tenants)};\n` +
    `export default defineConfig({\n` +
    `  binds: Object.fromEntries(tenants.map((t) => [t, { url: ${urlOf}, branch: 'tenant'${fields ? `, ${fields}` : ''} }])),\n` +
    `});\n`
  );
}

/**
 * The three revisions of the branch: r1 creates a table and records which tenant files are open
 * in this process (one line per run of it: `<bind> <open tenant files, comma-separated>`); r2
 * creates another; r3 fails for the bind named by `-x fail=`.
 */
/**
 * Code for a revision that appends its bind and the tenant files open in this process to `probe`.
 * /proc/self/fd is read twice and only files seen both times count: with worker threads another
 * thread may close a file and open the next tenant's while one listing is read, which alone would
 * show both; a file seen in both listings was open at the moment between them, with the others.
 */
function openFilesProbe(probe: string): string {
  return [
    "const { readdirSync, readlinkSync, appendFileSync } = await import('node:fs');",
    "const tenantFiles = () => new Set(readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync('/proc/self/fd/' + fd); } catch { return ''; } })",
    "  .map((link) => /\\/(t\\d{3})\\.db$/.exec(link)?.[1]).filter((t) => t !== undefined));",
    'const first = tenantFiles();',
    'const open = [...tenantFiles()].filter((t) => first.has(t));',
    `appendFileSync(${JSON.stringify(probe)}, op.bind + ' ' + open.sort().join(',') + '\\n');`,
  ].join('\n  ');
}

function writeRevisions(p: TempProject, probe: string): void {
  const probeCode = openFilesProbe(probe);
  p.write(
    `migrations/versions/tenant/${R1}_users.ts`,
    revisionSource({
      revision: R1,
      downRevision: null,
      branchLabels: ['tenant'],
      message: 'create users',
      upgrade: `await op.createTable('users', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  ${probeCode}`,
      downgrade: "await op.dropTable('users');",
    }),
  );
  p.write(
    `migrations/versions/tenant/${R2}_orders.ts`,
    revisionSource({
      revision: R2,
      downRevision: R1,
      message: 'create orders',
      upgrade: "await op.createTable('orders', [{ name: 'id', type: 'integer', primaryKey: true }]);",
      downgrade: "await op.dropTable('orders');",
    }),
  );
  p.write(
    `migrations/versions/tenant/${R3}_invoices.ts`,
    revisionSource({
      revision: R3,
      downRevision: R2,
      message: 'create invoices',
      upgrade: "if (op.xArgs.fail === op.bind) throw new Error('invoices refused for ' + op.bind);\n  await op.createTable('invoices', [{ name: 'id', type: 'integer', primaryKey: true }]);",
      downgrade: "await op.dropTable('invoices');",
    }),
  );
}

/** Each probe line: the bind that ran r1 and the tenant files open meanwhile. */
function probes(file: string): { bind: string; open: string[] }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [bind, open = ''] = line.split(' ');
      return { bind: bind!, open: open ? open.split(',') : [] };
    });
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('200 SQLite tenants on one branch', () => {
  const p = new TempProject([], { config: config("'sqlite:.data/' + t + '.db'") });
  const probe = join(p.dir, 'probe.txt');
  const run = (...args: string[]) => runInProcess(p.dir, args);
  const at = (bind: string) => p.versionsApplied(bind);
  beforeAll(() => writeRevisions(p, probe));
  afterAll(() => p.remove());

  it('one after the other (default): one tenant file open at a time, each closed after its run; a failure stops the run there', async () => {
    const out = await run('-x', 'fail=t005', 'upgrade');
    expect(out.code).toBe(1);
    // r1 ran on t000..t005, each with only its own file open.
    const seen = probes(probe);
    expect(seen.map((s) => s.bind)).toEqual(TENANTS.slice(0, 6));
    for (const s of seen) expect(s.open).toEqual([s.bind]);
    for (const t of TENANTS.slice(0, 5)) expect(at(t)).toEqual([R3]);
    expect(at('t005')).toEqual([R2]);
    expect(at('t006')).toEqual([]);
    expect(at('t199')).toEqual([]);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`[t005] revision ${R3} failed: invoices refused for t005`);
    expect(errors[0]).toContain(`'t005' stays at ${R2}`);
    expect(errors[0]).toMatch(/not run \(the run stopped here\): t006, t007, .* and 174 more; '--concurrency N' goes on past a failing bind/);
    // Progress is summarised: no line per tenant and revision.
    expect(out.stderr).not.toMatch(/\[t00\d\] Running upgrade/);
    expect(lines(out.stderr)).toContain(`[tenant ×200] Running upgrade <base> -> ${R1}, create users`);
    expect(lines(out.stderr)).toContain(`[t005] FAILED upgrade ${R2} -> ${R3}, create invoices (stays at ${R2}): invoices refused for t005`);
  });

  it('the re-run upgrades only what is left, summarising 200 tenants in a few lines', async () => {
    rmSync(probe, { force: true });
    const out = await run('upgrade');
    expect(out.code, out.stderr).toBe(0);
    for (const t of TENANTS) expect(at(t)).toEqual([R3]);
    // r1 ran only on the tenants that had not run it: t006..t199.
    expect(probes(probe).map((s) => s.bind)).toEqual(TENANTS.slice(6));
    const err = lines(out.stderr);
    expect(err.length).toBeLessThan(30);
    expect(err).toContain(`[tenant ×200] Ran upgrade ${R2} -> ${R3}, create invoices on 195 binds`);
    expect(err).toContain(`[tenant ×200] Ran upgrade <base> -> ${R1}, create users on 194 binds`);
    expect(err).toContain('[tenant ×200] 195 upgraded, 0 failed, 5 unchanged or not reached');
    expect(err).toContain('[tenant ×200] 100/200 binds done');
  });

  it('--concurrency 4: at most 4 tenant files open at once; a failing tenant and a file that is not a database stop only themselves; a re-run finishes them', async () => {
    // Back to base for a fresh run.
    for (const t of TENANTS) rmSync(join(p.dir, '.data', `${t}.db`), { force: true });
    rmSync(probe, { force: true });
    mkdirSync(join(p.dir, '.data'), { recursive: true });
    writeFileSync(join(p.dir, '.data', 't011.db'), 'this is not a SQLite database, it is text long enough to have a header.\n'.repeat(20));

    const out = await run('-x', 'fail=t007', 'upgrade', '--concurrency', '4');
    expect(out.code).toBe(1);
    const seen = probes(probe);
    expect(seen).toHaveLength(199); // every tenant but t011 ran r1
    // The probes that saw more than 4 tenant files open, named in the message if any.
    expect(seen.filter((s) => s.open.length > 4)).toEqual([]);
    for (const s of seen) expect(s.open).toContain(s.bind);
    expect(Math.max(...seen.map((s) => s.open.length))).toBeGreaterThan(1); // they did overlap
    for (const t of TENANTS.filter((t) => t !== 't007' && t !== 't011')) expect(at(t)).toEqual([R3]);
    expect(at('t007')).toEqual([R2]);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toEqual([
      expect.stringMatching(/^ERROR: \[t011\] cannot .*t011\.db: file is not a database/),
      expect.stringContaining(`[t007] revision ${R3} failed: invoices refused for t007; file: `),
    ]);
    expect(errors[1]).toContain(`'t007' stays at ${R2}`);
    expect(lines(out.stderr)).toContain(`[tenant ×200] 198 upgraded, 2 failed (t007, t011), 0 unchanged or not reached`);

    // The fix: t011's file is removed, t007 no longer fails. Only those two run.
    rmSync(join(p.dir, '.data', 't011.db'));
    rmSync(probe, { force: true });
    const again = await run('upgrade', '--concurrency', '4');
    expect(again.code, again.stderr).toBe(0);
    expect(probes(probe).map((s) => s.bind)).toEqual(['t011']);
    for (const t of TENANTS) expect(at(t)).toEqual([R3]);
    expect(lines(again.stderr)).toContain(`[tenant ×200] Ran upgrade ${R2} -> ${R3}, create invoices on 2 binds`);
    expect(lines(again.stderr)).toContain('[tenant ×200] 2 upgraded, 0 failed, 198 unchanged or not reached');
  });

  it('downgrade --all-binds of every tenant is summarised as an upgrade is', async () => {
    const out = await run('downgrade', '--all-binds', R2);
    expect(out.code, out.stderr).toBe(0);
    for (const t of TENANTS) expect(at(t)).toEqual([R2]);
    const err = lines(out.stderr);
    expect(err.length).toBeLessThan(30);
    expect(out.stderr).not.toMatch(/\[t\d{3}\] Running downgrade/);
    expect(err).toContain(`[tenant ×200] Running downgrade ${R3} -> ${R2}, create invoices`);
    expect(err).toContain(`[tenant ×200] Ran downgrade ${R3} -> ${R2}, create invoices on 200 binds`);
    expect(err).toContain('[tenant ×200] 200 downgraded, 0 failed, 0 unchanged or not reached');
    // The README's way to step every tenant back one revision.
    const back = await run('downgrade', '--all-binds', 'tenant@-1');
    expect(back.code, back.stderr).toBe(0);
    for (const t of TENANTS) expect(at(t)).toEqual([R1]);
    expect(lines(back.stderr)).toContain('[tenant ×200] 200 downgraded, 0 failed, 0 unchanged or not reached');
  });
});

describe('11 SQLite tenants (one more than PER_BIND_LINES_MAX): stamp, current, show current, status, history, check, codegen and --sql --output group them, naming the odd ones', () => {
  const tenants = TENANTS.slice(0, 11);
  const table = (name: string) => ({ name, columns: [{ name: 'id', type: 'integer', primaryKey: true }] });
  const p = new TempProject([], { config: config("'sqlite:.data/' + t + '.db'", tenants, "models: './models.ts', types: './src/tenant-types.ts', codegen: 'after-run'") });
  const run = (...args: string[]) => runInProcess(p.dir, args);
  const at = (bind: string) => p.versionsApplied(bind);
  const UNKNOWN = 'ffffffffffff';
  beforeAll(async () => {
    writeRevisions(p, join(p.dir, 'probe.txt'));
    p.write('models.ts', `import { defineModels } from '@multidb/core';\nexport default defineModels(${JSON.stringify({ tables: ['users', 'orders', 'invoices'].map(table) })});\n`);
    const first = await run('upgrade', R1);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(() => p.remove());

  it('stamp: each change once, then the binds grouped by what became of them, the one already there named', async () => {
    p.exec('t003', `UPDATE multidb_version SET version_num = '${R2}'`);
    const out = await run('stamp', '--all-binds', R2);
    expect(out.code, out.stderr).toBe(0);
    for (const t of tenants) expect(at(t)).toEqual([R2]);
    expect(out.stderr).not.toMatch(/^\[t\d{3}\]/m);
    expect(lines(out.stderr)).toEqual([
      `[tenant ×11] Stamping ${R1} -> ${R2}`,
      '[tenant ×11] 2/11 binds done',
      '[tenant ×11] 4/11 binds done',
      '[tenant ×11] 6/11 binds done',
      '[tenant ×11] 8/11 binds done',
      '[tenant ×11] 10/11 binds done',
      `[tenant ×11] Stamped ${R1} -> ${R2} on 10 binds`,
      `[tenant ×11] Already at ${R2}: nothing to stamp on 1 bind: t003`,
    ]);
  });

  it('show current, current --check-heads and current -v: a line (or entry) per revision with its binds counted or named; a bind at a revision no script declares keeps its own lines', async () => {
    p.exec('t005', `UPDATE multidb_version SET version_num = '${R1}'`);
    const show = await run('show', 'current');
    expect(show.code, show.stderr).toBe(0);
    expect(lines(show.stdout).filter((l) => l.includes('Rev:'))).toEqual([`[tenant ×11] Rev: ${R2} (current: 10 binds)`, `[tenant ×11] Rev: ${R1} (current: t005)`]);
    // A tenant at base shows no revision, and the branch is still summarised (counted from every bind, as `current` counts).
    p.exec('t010', 'DELETE FROM multidb_version');
    const atBase = await run('show', 'current');
    expect(lines(atBase.stdout).filter((l) => l.includes('Rev:'))).toEqual([`[tenant ×11] Rev: ${R2} (current: 9 binds)`, `[tenant ×11] Rev: ${R1} (current: t005)`]);
    p.exec('t010', `INSERT INTO multidb_version (version_num) VALUES ('${R2}')`);

    p.exec('t008', `UPDATE multidb_version SET version_num = '${UNKNOWN}'`);
    const current = await run('current', '--check-heads');
    expect(current.code).toBe(1);
    expect(lines(current.stdout)).toEqual([`[tenant ×11] ${R2} on 9 binds`, `[tenant ×11] ${R1} on 1 bind: t005`, `[t008] ${UNKNOWN} (not in the scripts)`]);
    expect(lines(current.stderr)).toEqual([
      `FAILED: [tenant ×11] Database is not on all head revisions: at ${R2}; heads ${R3} on 9 binds: t000, t001, t002, t003, t004, t006, t007, t009, t010`,
      `FAILED: [tenant ×11] Database is not on all head revisions: at ${R1}; heads ${R3} on 1 bind: t005`,
      `FAILED: [tenant ×11] Database is not on all head revisions: at ${UNKNOWN}; heads ${R3} on 1 bind: t008`,
    ]);

    const verbose = await run('current', '-v');
    const v = lines(verbose.stdout);
    expect(v[0]).toBe(`[tenant ×11] ${R2} on 9 binds`);
    expect(v[1]).toBe(`Rev: ${R2}`);
    expect(v).toContain(`[tenant ×11] ${R1} on 1 bind: t005`);
    expect(v.filter((l) => l.startsWith('Rev: '))).toEqual([`Rev: ${R2}`, `Rev: ${R1}`]);
    expect(v.filter((l) => l.includes('Current revision(s) for'))).toEqual([expect.stringMatching(/^\[t008\] Current revision\(s\) for sqlite:/)]);
    expect(v.at(-1)).toBe(`[t008] ${UNKNOWN} (not in the scripts)`);
    p.exec('t008', `UPDATE multidb_version SET version_num = '${R2}'`);
  });

  it('upgrade then check, codegen and upgrade --sql --output: the binds sharing the types file skipped in one line; the bind whose schema matches named; the files written in one line', async () => {
    // Every tenant but t005 (set back to R1, so R2 ran on it) was stamped past R2: no orders table.
    const up = await run('upgrade');
    expect(up.code, up.stderr).toBe(0);
    expect(lines(up.stdout)).toEqual(['[t000] Wrote src/tenant-types.ts']);
    expect(lines(up.stderr)).toContain('[tenant ×11] Skipped (shares its types file with t000, which generates it) on 10 binds');
    expect(up.stderr).not.toContain('[t001] shares its types file');

    const check = await run('check');
    expect(check.code, check.stderr).toBe(4);
    expect(lines(check.stdout)).toEqual([`[tenant ×11] Detected added table 'orders' on 10 binds`, '[tenant ×11] No changes in schema detected on 1 bind: t005']);
    expect(check.stdout).not.toMatch(/^\[t\d{3}\]/m);

    const codegen = await run('codegen');
    expect(codegen.code, codegen.stderr).toBe(0);
    expect(lines(codegen.stdout)).toEqual(['[t000] src/tenant-types.ts is up to date.']);
    expect(lines(codegen.stderr)).toEqual(['[tenant ×11] Skipped (shares its types file with t000, which generates it) on 10 binds']);

    // Offline, a file per tenant: one line names them all.
    const sql = await run('upgrade', '--sql', '--output', 'sql');
    expect(sql.code, sql.stderr).toBe(0);
    expect(lines(sql.stderr)).toEqual([`[tenant ×11] Wrote ${join(p.dir, 'sql', '<bind>.sql')} (sqlite) on 11 binds`]);
    for (const t of tenants) expect(p.read(`sql/${t}.sql`)).toContain('CREATE TABLE');
  });

  it('status and history --indicate-current: a line per state (a mark per revision) with its binds counted or named; a bind at a revision no script declares keeps its own line', async () => {
    // Every tenant is at R3 (the upgrade above); t005 back at R1, t008 at a revision of no script.
    p.exec('t005', `UPDATE multidb_version SET version_num = '${R1}'`);
    p.exec('t008', `UPDATE multidb_version SET version_num = '${UNKNOWN}'`);
    try {
      const status = await run('status');
      expect(status.code, status.stderr).toBe(0);
      expect(lines(status.stdout)).toEqual([
        `[tenant ×11] sqlite: current ${R3}, head ${R3}; up to date on 9 binds`,
        `[tenant ×11] sqlite: current ${R1}, head ${R3}; 2 pending: ${R2}, ${R3} on 1 bind: t005`,
        `[t008] sqlite sqlite:.data/t008.db: current ${UNKNOWN}, head ${R3}; ahead of the scripts (${UNKNOWN} not in the scripts)`,
      ]);

      const history = await run('history', '--indicate-current');
      expect(history.code, history.stderr).toBe(0);
      expect(lines(history.stdout)).toEqual([
        `[tenant] ${R2} -> ${R3} (tenant) (head) (current: 9 binds), create invoices`,
        `[tenant] ${R1} -> ${R2} (tenant), create orders`,
        `[tenant] <base> -> ${R1} (tenant) (current: t005), create users`,
        `[t008] ${UNKNOWN} (current, not in the scripts)`,
      ]);
    } finally {
      for (const t of ['t005', 't008']) p.exec(t, `UPDATE multidb_version SET version_num = '${R3}'`);
    }
  });

  it('check and upgrade --sql: a warning every tenant has printed once with their count, one of fewer tenants naming them', async () => {
    // The tenants stamped past R2 (all but t005) get its table as R2 made it on t005, so every schema matches the models.
    const db = new Database(join(p.dir, '.data', 't005.db'), { readonly: true });
    const orders = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'orders'").pluck().get() as string;
    db.close();
    for (const t of tenants) if (t !== 't005') p.exec(t, orders);
    for (const t of tenants) p.exec(t, 'CREATE TABLE legacy (id integer)');
    p.exec('t002', 'CREATE TABLE extra (id integer)');
    const check = await run('check');
    expect(check.code, check.stderr).toBe(0);
    expect(lines(check.stdout)).toEqual(['[tenant ×11] No changes in schema detected on 11 binds']);
    const leftAlone = (table: string) => `Table '${table}' is in the database but not in the models; left alone (set autogenerate.dropUnmodeledTables to drop it)`;
    expect(lines(check.stderr)).toEqual([`[tenant ×11] WARNING: ${leftAlone('legacy')} (on 11 binds)`, `[tenant ×11] WARNING: ${leftAlone('extra')} (on 1 bind: t002)`]);

    // Offline (nothing connects), PostgreSQL tenants: a name over 63 bytes warns for each, its bind's name written <bind>.
    const long = 'x'.repeat(70);
    const pg = new TempProject([], { config: config("'postgres://app@127.0.0.1:5432/app'", tenants, 'schema: t') });
    try {
      pg.write(
        `migrations/versions/tenant/${R1}_long.ts`,
        revisionSource({ revision: R1, downRevision: null, branchLabels: ['tenant'], message: 'long', upgrade: `await op.createTable('${long}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('${long}');` }),
      );
      const sql = await runInProcess(pg.dir, ['upgrade', '--sql']);
      expect(sql.code, sql.stderr).toBe(0);
      const warnings = lines(sql.stderr).filter((l) => l.includes('WARNING'));
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`^\\[tenant ×11\\] WARNING: .* in revision ${R1} of bind '<bind>' \\(.*${R1}_long\\.ts\\) names table '${long}' .* \\(on 11 binds\\)$`))]);
      expect(sql.stdout.match(new RegExp(`CREATE TABLE [^\\n]*${long}`, 'g'))).toHaveLength(11);
    } finally {
      pg.remove();
    }
  });

  it('check of tenants not up to date (a revision added, not yet upgraded): a line per state with its binds counted or named, then the advice once; a revision no script declares and an unreachable tenant keep their own lines; exit 1, the final line saying each reason once, --json as before', async () => {
    // Every tenant is at R3 with the models' schema; t009 stays there, t005 goes back to R1, t008 to a revision of no script, t010's file is not a database.
    const behind = tenants.filter((t) => !['t005', 't008', 't009', 't010'].includes(t));
    const t010 = join(p.dir, '.data', 't010.db');
    for (const t of behind) p.exec(t, `UPDATE multidb_version SET version_num = '${R2}'`);
    p.exec('t005', `UPDATE multidb_version SET version_num = '${R1}'`);
    p.exec('t008', `UPDATE multidb_version SET version_num = '${UNKNOWN}'`);
    renameSync(t010, `${t010}.kept`);
    writeFileSync(t010, 'this is not a SQLite database, it is text long enough to have a header.\n'.repeat(20));
    try {
      const check = await run('check');
      expect(check.code).toBe(1);
      expect(lines(check.stdout)).toEqual(['[tenant ×11] No changes in schema detected on 1 bind']);
      const stderr = lines(check.stderr);
      expect(stderr).toEqual([
        `ERROR: [t008] Target database is not up to date: it is at ${UNKNOWN}, which no revision script declares (${UNKNOWN}: a revision file removed, or stamped from another repository); its branch's head is ${R3}. Restore the revision, or stamp the bind to the revision its schema matches ('migrate stamp --purge t008@<rev>').`,
        expect.stringMatching(/^ERROR: \[t010\] unreachable: cannot open .*t010\.db: file is not a database/),
        `ERROR: [tenant ×11] Target database is not up to date: at ${R2}, head ${R3}; 1 pending: ${R3} on 7 binds`,
        `ERROR: [tenant ×11] Target database is not up to date: at ${R1}, head ${R3}; 2 pending: ${R2}, ${R3} on 1 bind: t005`,
        "[tenant ×11] 8 binds not up to date: run 'migrate upgrade' first.",
        `[tenant ×11] WARNING: Table 'legacy' is in the database but not in the models; left alone (set autogenerate.dropUnmodeledTables to drop it) (on 1 bind: t009)`,
        // Each reason said once, the binds that have it counted and named.
        `Could not compare 10 of 11 binds: 9 not up to date (${[...behind.slice(0, 5), 't005', ...behind.slice(5), 't008'].join(', ')}), t010 (unreachable).`,
      ]);
      expect(check.stderr).not.toMatch(/^(ERROR: )?\[t00[0-7]\]/m);

      // --json still lists every bind with where it stands.
      const json = await run('check', '--json');
      expect(json.code).toBe(1);
      const results = (JSON.parse(json.stdout) as { binds: { bind: string; outcome: string; pending?: { revision: string }[] }[] }).binds;
      expect(results.map((r) => r.bind)).toEqual(tenants);
      expect(results.filter((r) => r.outcome === 'not-up-to-date').map((r) => r.bind)).toEqual([...behind.slice(0, 5), 't005', ...behind.slice(5), 't008']);
      expect(results.find((r) => r.bind === 't000')?.pending?.map((r) => r.revision)).toEqual([R3]);
    } finally {
      rmSync(t010);
      renameSync(`${t010}.kept`, t010);
      for (const t of tenants) if (t !== 't009') p.exec(t, `UPDATE multidb_version SET version_num = '${R3}'`);
    }
    for (const t of tenants) expect(at(t)).toEqual([R3]);
  });

  it('stamp whose write fails on a tenant: its own line with the error, the branch totals, exit 1; the tenants before it stamped, those after left as they were', async () => {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) p.exec('t004', `CREATE TRIGGER frozen_${event} BEFORE ${event} ON multidb_version BEGIN SELECT RAISE(ABORT, 'tenant t004 is frozen'); END`);
    const out = await run('stamp', '--all-binds', R2);
    expect(out.code).toBe(1);
    const error = `cannot update the version table multidb_version of ${join(p.dir, '.data', 't004.db')}: tenant t004 is frozen`;
    expect(lines(out.stderr)).toEqual([
      `[tenant ×11] Stamping ${R3} -> ${R2}`,
      '[tenant ×11] 2/11 binds done',
      '[tenant ×11] 4/11 binds done',
      `[t004] FAILED: not stamped, its version table is as it was: ${error}`,
      '[tenant ×11] 4 stamped, 1 failed (t004), 6 left as they were: the stamp stopped at t004',
      `ERROR: [t004] ${error}`,
    ]);
    for (const t of tenants) expect(at(t)).toEqual(tenants.indexOf(t) < 4 ? [R2] : [R3]);
  });

  it('check when the branch has two heads (a revision added beside the head): the tenants grouped by where they stand, then the advice once, as a bind alone is told (merge, naming the first tenant, then upgrade); --json says the same; exit 1', async () => {
    // t000-t003 at R2 (the stamp above), the others at R3; a second head R4 on R2.
    const R4 = 'd4d4d4d4d4d4';
    const file = `migrations/versions/tenant/${R4}_refunds.ts`;
    p.write(file, revisionSource({ revision: R4, downRevision: R2, message: 'create refunds', upgrade: "await op.createTable('refunds', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('refunds');" }));
    try {
      const check = await run('check');
      expect(check.code).toBe(1);
      expect(check.stdout).toBe('');
      const heads = `its branch has 2 heads (${[R3, R4].join(', ')})`;
      expect(lines(check.stderr)).toEqual([
        `ERROR: [tenant ×11] Target database is not up to date: at ${R3}; ${heads} on 7 binds`,
        `ERROR: [tenant ×11] Target database is not up to date: at ${R2}; ${heads} on 4 binds: t000, t001, t002, t003`,
        "[tenant ×11] 11 binds not up to date: merge its heads first ('migrate merge heads --bind t000 -m MSG'), then run 'migrate upgrade'.",
        `Could not compare 11 of 11 binds: 11 not up to date (${tenants.join(', ')}).`,
      ]);
      expect(check.stderr).not.toMatch(/^(ERROR: )?\[t0\d\d\]/m);

      // --json: each tenant's reason gives the same advice, naming the tenant, as its own line would.
      const json = await run('check', '--json');
      expect(json.code).toBe(1);
      const results = (JSON.parse(json.stdout) as { binds: { bind: string; outcome: string; reason?: string; heads?: string[] }[] }).binds;
      expect(results.map((r) => [r.bind, r.outcome, r.heads])).toEqual(tenants.map((t) => [t, 'not-up-to-date', [R3, R4]]));
      expect(results[0]!.reason).toBe(
        `[t000] Target database is not up to date: it is at ${R2}, and its branch has 2 heads (${R3}, ${R4}). Merge them first ('migrate merge heads --bind t000 -m MSG'), then run 'migrate upgrade t000'.`,
      );
    } finally {
      rmSync(join(p.dir, file));
    }
  });
});

describeWithServers('11 PostgreSQL tenants (schemas of one database): the warning every tenant gets is printed once, then counted', ['postgres'], () => {
  const dbs = useDatabases('tenants_warning', { db: 'postgres' });
  const tenants = TENANTS.slice(0, 11);
  const long = 'x'.repeat(70);
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], { config: config(JSON.stringify(dbs.db.url), tenants, 'schema: t') });
    p.write(
      `migrations/versions/tenant/${R1}_long.ts`,
      revisionSource({ revision: R1, downRevision: null, branchLabels: ['tenant'], message: 'long', upgrade: `await op.createTable('${long}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('${long}');` }),
    );
  });
  afterAll(() => p.remove());

  it('upgrade: the first tenant\'s warning as it comes, the others counted with it after the run; every tenant has the table under the name PostgreSQL keeps', async () => {
    const out = await runInProcess(p.dir, ['upgrade']);
    expect(out.code, out.stderr).toBe(0);
    const warnings = lines(out.stderr).filter((l) => l.includes('WARNING'));
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^\\[t000\\] WARNING: .* in revision ${R1} of bind 't000' \\(.*${R1}_long\\.ts\\) names table '${long}' `)),
      expect.stringMatching(new RegExp(`^\\[tenant ×11\\] WARNING: .* in revision ${R1} of bind '<bind>' \\(.*${R1}_long\\.ts\\) names table '${long}' .* \\(on 11 binds\\)$`)),
    ]);
    expect(warnings[1]!.replace("'<bind>'", "'t000'").replace(/^\[tenant ×11\]/, '[t000]')).toBe(`${warnings[0]} (on 11 binds)`);
    const kept = await queryUrl<{ n: number }>(dbs.db.url, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = '${long.slice(0, 63)}' AND schemaname ~ '^t[0-9]{3}$'`);
    expect(kept).toEqual([{ n: 11 }]);
  });
});

describe('40 SQLite tenants: a downgrade of every tenant opens them in turn, as an upgrade does', () => {
  const tenants = TENANTS.slice(0, 40);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `const tenants = ${JSON.stringify(tenants)};\n` +
      `export default defineConfig({\n` +
      `  binds: Object.fromEntries(tenants.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])),\n` +
      `});\n`,
  });
  const probe = join(p.dir, 'probe.txt');
  const run = (...args: string[]) => runInProcess(p.dir, args);
  const at = (bind: string) => p.versionsApplied(bind);
  const [D1, D2] = ['d1d1d1d1d1d1', 'd2d2d2d2d2d2'];
  beforeAll(() => {
    // D2's downgrade records the tenant files open in this process, then fails for `-x fail=`.
    const probeCode = openFilesProbe(probe);
    p.write(
      `migrations/versions/tenant/${D1}_users.ts`,
      revisionSource({ revision: D1, downRevision: null, branchLabels: ['tenant'], message: 'create users', upgrade: "await op.createTable('users', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('users');" }),
    );
    p.write(
      `migrations/versions/tenant/${D2}_orders.ts`,
      revisionSource({
        revision: D2,
        downRevision: D1,
        message: 'create orders',
        upgrade: "await op.createTable('orders', [{ name: 'id', type: 'integer', primaryKey: true }]);",
        downgrade: `${probeCode}\n  if (op.xArgs.fail === op.bind) throw new Error('orders kept for ' + op.bind);\n  await op.dropTable('orders');`,
      }),
    );
  });
  afterAll(() => p.remove());

  it('one after the other (default): one tenant file open at a time; a failure stops the run there, naming the tenants not run', async () => {
    expect((await run('upgrade')).code).toBe(0);
    const out = await run('-x', 'fail=t005', 'downgrade', '--all-binds', 'tenant@-1');
    expect(out.code).toBe(1);
    const seen = probes(probe);
    expect(seen.map((s) => s.bind)).toEqual(tenants.slice(0, 6));
    for (const s of seen) expect(s.open).toEqual([s.bind]);
    for (const t of tenants.slice(0, 5)) expect(at(t)).toEqual([D1]);
    for (const t of tenants.slice(5)) expect(at(t)).toEqual([D2]);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`[t005] revision ${D2} failed: orders kept for t005`);
    expect(errors[0]).toMatch(/not run \(the run stopped here\): t006, t007, .* and \d+ more/);
    // Back to D2 for the next test.
    expect((await run('upgrade')).code).toBe(0);
  });

  it('--concurrency 4: at most 4 tenant files open at once; a failing tenant stops only itself; a re-run finishes it', async () => {
    rmSync(probe, { force: true });
    const out = await run('-x', 'fail=t007', 'downgrade', '--all-binds', D1, '--concurrency', '4');
    expect(out.code).toBe(1);
    const seen = probes(probe);
    expect(seen.map((s) => s.bind).sort()).toEqual(tenants);
    for (const s of seen) expect(s.open).toContain(s.bind);
    expect(Math.max(...seen.map((s) => s.open.length))).toBeLessThanOrEqual(4);
    expect(Math.max(...seen.map((s) => s.open.length))).toBeGreaterThan(1); // they did overlap
    for (const t of tenants.filter((t) => t !== 't007')) expect(at(t)).toEqual([D1]);
    expect(at('t007')).toEqual([D2]);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toEqual([expect.stringContaining(`[t007] revision ${D2} failed: orders kept for t007`)]);
    expect(errors[0]).toContain(`'t007' stays at ${D2}`);
    expect(lines(out.stderr)).toContain('[tenant ×40] 39 downgraded, 1 failed (t007), 0 unchanged or not reached');

    // The re-run downgrades only t007; the others are already at D1 and left alone.
    rmSync(probe, { force: true });
    const again = await run('downgrade', '--all-binds', D1, '--concurrency', '4');
    expect(again.code, again.stderr).toBe(0);
    expect(probes(probe).map((s) => s.bind)).toEqual(['t007']);
    for (const t of tenants) expect(at(t)).toEqual([D1]);
    expect(lines(again.stderr)).toContain('[tenant ×40] 1 downgraded, 0 failed, 39 unchanged or not reached');
  });

  it('a bare downgrade of several tenants is a usage error, as for one group; a target no tenant has applied is refused', async () => {
    const bare = await run('downgrade');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/'downgrade'.*t000/);
    const above = await run('downgrade', '--all-binds', D2);
    expect(above.code).toBe(1);
    expect(above.stderr).toContain(`destination '${D2}' is not a valid downgrade target`);
    for (const t of tenants) expect(at(t)).toEqual([D1]);
  });

  it('a relative target the last tenant cannot take (tenant@-1, t039 at base) runs nothing on any tenant, with or without --concurrency: every tenant is read first (more than CONNECT_FIRST_MAX, a few at a time)', async () => {
    expect((await run('downgrade', 't039@base')).code).toBe(0);
    for (const extra of [[], ['--concurrency', '4']]) {
      const out = await run('downgrade', '--all-binds', 'tenant@-1', ...extra);
      expect(out.code, extra.join(' ')).toBe(1);
      expect(lines(out.stderr).filter((l) => l.startsWith('ERROR:'))).toEqual([
        "ERROR: Nothing was run: bind 't039' cannot take 'tenant@-1' from where it stands (a target that counts revisions is planned for every bind before any runs). " +
          "t039: 'tenant@-1' goes below base (already at base). Name the binds that can take it instead (e.g. 't000@-1').",
      ]);
      expect(out.stderr).not.toContain('Running');
      for (const t of tenants.slice(0, 39)) expect(at(t), t).toEqual([D1]);
      expect(at('t039')).toEqual([]);
    }
    // The tenants that can take it, named, still can.
    expect((await run('downgrade', 't000@-1')).code).toBe(0);
    expect(at('t000')).toEqual([]);
  });
});

describe('60 SQLite tenants, --concurrency 4: per-tenant errors before a step stop only their tenant', () => {
  const tenants = TENANTS.slice(0, 60);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
  });
  const run = (...args: string[]) => runInProcess(p.dir, args);
  const at = (bind: string) => p.versionsApplied(bind);
  const UNKNOWN = 'ffffffffffff';
  let holder: Database.Database | undefined;
  /** Holds t003's migration lock, as another migrate process would (an exclusive transaction on its lock file). */
  const holdLock = () => {
    holder = new Database(lockFileFor(join(p.dir, '.data', 't003.db'), 'multidb::multidb_version'));
    holder.exec('BEGIN EXCLUSIVE');
  };
  beforeAll(async () => {
    writeRevisions(p, join(p.dir, 'probe.txt'));
    const first = await runInProcess(p.dir, ['upgrade', R1]);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(() => {
    holder?.close();
    p.remove();
  });

  it('without --concurrency, a held lock stops the run at that tenant, as Alembic would', async () => {
    holdLock();
    const out = await run('upgrade', '--lock-timeout', '1');
    expect(out.code).not.toBe(0);
    expect(lines(out.stderr).filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringContaining('waiting for the migration lock on t003')]);
    for (const t of tenants.slice(0, 3)) expect(at(t)).toEqual([R3]);
    for (const t of tenants.slice(3)) expect(at(t)).toEqual([R1]);
  });

  it('a held lock and a tenant stamped to a revision the scripts lack stop only themselves; a re-run after the fix finishes them', async () => {
    p.exec('t005', `UPDATE multidb_version SET version_num = '${UNKNOWN}'`);
    const out = await run('upgrade', '--concurrency', '4', '--lock-timeout', '1');
    expect(out.code).toBe(1);
    for (const t of tenants.filter((t) => t !== 't003' && t !== 't005')) expect(at(t)).toEqual([R3]);
    expect(at('t003')).toEqual([R1]);
    expect(at('t005')).toEqual([UNKNOWN]);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toEqual([
      expect.stringMatching(/^ERROR: Timed out after \d+ s waiting for the migration lock on t003: another run holds it\. 't003' stays at a1a1a1a1a1a1 \(nothing ran on t003\)$/),
      expect.stringMatching(new RegExp(`^ERROR: .*${UNKNOWN}.*\\. 't005' stays at ${UNKNOWN} \\(nothing ran on t005\\)$`)),
    ]);
    expect(lines(out.stderr), out.stderr).toContain('[tenant ×60] 55 upgraded, 2 failed (t003, t005), 3 unchanged or not reached');

    // --json names both in its failures.
    const json = await run('upgrade', '--concurrency', '4', '--lock-timeout', '1', '--json');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { error: { failures: { bind?: string; code?: string }[] } };
    expect(doc.error.failures.map((f) => [f.bind, f.code])).toEqual([
      ['t003', 'LOCK_TIMEOUT'],
      ['t005', expect.any(String)],
    ]);

    // The fix: the lock is released, t005's version table is repaired. Only those two run.
    holder?.close();
    holder = undefined;
    p.exec('t005', `UPDATE multidb_version SET version_num = '${R1}'`);
    const again = await run('upgrade', '--concurrency', '4', '--lock-timeout', '1');
    expect(again.code, again.stderr).toBe(0);
    for (const t of tenants) expect(at(t)).toEqual([R3]);
    expect(lines(again.stderr)).toContain('[tenant ×60] 2 upgraded, 0 failed, 58 unchanged or not reached');
  });
});

describe('20 groups of two linked binds, --concurrency 4: at most 4 binds open at once', () => {
  const K = 20;
  const pairs = Array.from({ length: K }, (_, i) => [`a${String(i).padStart(2, '0')}`, `b${String(i).padStart(2, '0')}`] as const);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(pairs.flat())}.map((n) => [n, { url: 'sqlite:.data/' + n + '.db' }])) });\n`,
  });
  const probe = join(p.dir, 'probe.txt');
  beforeAll(() => {
    // b<i>'s revision depends on a<i>'s: each pair is one group of two binds; the pairs are independent.
    const probeCode = [
      "const { readdirSync, readlinkSync, appendFileSync } = await import('node:fs');",
      "const open = new Set(readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync('/proc/self/fd/' + fd); } catch { return ''; } })",
      "  .map((link) => /\\/([ab]\\d{2})\\.db$/.exec(link)?.[1]).filter((t) => t !== undefined));",
      `appendFileSync(${JSON.stringify(probe)}, op.bind + ' ' + [...open].sort().join(',') + '\\n');`,
    ].join('\n  ');
    for (const [a, b] of pairs) {
      const up = `await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  ${probeCode}`;
      p.write(`migrations/versions/${a}/${a}_r.ts`, revisionSource({ revision: `${a}r`, downRevision: null, branchLabels: [a], upgrade: up }));
      p.write(`migrations/versions/${b}/${b}_r.ts`, revisionSource({ revision: `${b}r`, downRevision: null, branchLabels: [b], dependsOn: [`${a}r`], upgrade: up }));
    }
  });
  afterAll(() => p.remove());

  it('two groups of two in flight, never four groups (eight binds)', async () => {
    const out = await runInProcess(p.dir, ['upgrade', '--concurrency', '4']);
    expect(out.code, out.stderr).toBe(0);
    for (const n of pairs.flat()) expect(p.versionsApplied(n)).toEqual([`${n}r`]);
    const seen = probes(probe);
    expect(seen).toHaveLength(2 * K);
    for (const s of seen) expect(s.open).toContain(s.bind);
    expect(Math.max(...seen.map((s) => s.open.length))).toBeLessThanOrEqual(4);
    expect(Math.max(...seen.map((s) => s.open.length))).toBeGreaterThan(2); // two groups did overlap
  });
});

describe('the events and hooks of a run of independent groups (core API)', () => {
  const tenants = ['ta', 'tb', 'tc', 'td'];
  const p = new TempProject([], {
    config:
      `import { appendFileSync } from 'node:fs';\n` +
      `import { defineConfig } from '@multidb/core';\n` +
      `const log = (line: string) => appendFileSync(new URL('./hooks.log', import.meta.url), line + '\\n');\n` +
      `export default defineConfig({\n` +
      `  binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])),\n` +
      `  hooks: { beforeRun: (ctx) => log('before ' + ctx.command + ' ' + ctx.binds.join(',')), afterRun: (ctx) => log('after ' + ctx.command + ' ' + ctx.binds.join(',')) },\n` +
      `});\n`,
  });
  beforeAll(() => writeRevisions(p, join(p.dir, 'probe.txt')));
  afterAll(() => p.remove());

  it('one plan per group naming its bind (the fan-out on the first), one run-done, each hook once with every bind; a connection opened before stays open', async () => {
    const alias = { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) };
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias }) });
    const events: RunEvent[] = [];
    try {
      // A connection the caller opened before the run stays open after it; the run closes its own.
      const held = await env.connection('tb');
      const result = await env.upgrade(['tenant@head'], { onEvent: (e) => events.push(e), concurrency: 2 });
      expect(result.steps).toHaveLength(12);
      expect([...result.heads.keys()].sort()).toEqual(tenants);
      expect(await held.db.selectFrom('multidb_version').select('version_num').execute()).toEqual([{ version_num: R3 }]);
      expect(await env.connection('tb')).toBe(held);
    } finally {
      await env.close();
    }
    const plans = events.filter((e) => e.type === 'plan');
    expect(plans.map((e) => e.binds).sort()).toEqual(tenants.map((t) => [t]));
    expect(plans.map((e) => e.fanOut?.length ?? 0).sort()).toEqual([0, 0, 0, 1]);
    expect(plans.find((e) => e.fanOut?.length)?.fanOut).toEqual([{ target: 'tenant@head', branch: 'tenant', binds: tenants }]);
    expect(events.filter((e) => e.type === 'run-done')).toEqual([expect.objectContaining({ ok: true })]);
    expect(events.at(-1)?.type).toBe('run-done');
    expect(events.filter((e) => e.type === 'bind-done').map((e) => e.bind).sort()).toEqual(tenants);
    // Each bind's plan comes before its steps (its lock events come before its plan).
    for (const t of tenants) {
      const first = events.findIndex((e) => e.type === 'step-start' && e.bind === t);
      const plan = events.findIndex((e) => e.type === 'plan' && e.binds?.includes(t));
      expect(plan).toBeLessThan(first);
    }
    expect(p.read('hooks.log')).toBe(`before upgrade ${tenants.join(',')}\nafter upgrade ${tenants.join(',')}\n`);
  });

  it('a downgrade of every tenant: the same events (one plan per group, the fan-out on the first, one run-done) and each hook once', async () => {
    const alias = { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) };
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias }) });
    const events: RunEvent[] = [];
    rmSync(join(p.dir, 'hooks.log'), { force: true });
    try {
      const result = await env.downgrade('tenant@-1', { allBinds: true, onEvent: (e) => events.push(e), concurrency: 2 });
      expect(result.steps).toHaveLength(4);
      expect(result.steps.every((s) => s.direction === 'down' && s.revision === R3)).toBe(true);
      expect(Object.fromEntries(result.heads)).toEqual(Object.fromEntries(tenants.map((t) => [t, [R2]])));
    } finally {
      await env.close();
    }
    const plans = events.filter((e) => e.type === 'plan');
    expect(plans.map((e) => e.binds).sort()).toEqual(tenants.map((t) => [t]));
    expect(plans.find((e) => e.fanOut?.length)?.fanOut).toEqual([{ target: 'tenant@-1', branch: 'tenant', binds: tenants }]);
    expect(plans.filter((e) => e.fanOut?.length)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'run-done')).toEqual([expect.objectContaining({ ok: true })]);
    expect(events.at(-1)?.type).toBe('run-done');
    expect(events.filter((e) => e.type === 'bind-done').map((e) => e.bind).sort()).toEqual(tenants);
    expect(p.read('hooks.log')).toBe(`before downgrade ${tenants.join(',')}\nafter downgrade ${tenants.join(',')}\n`);
  });
});

describe('40 SQLite tenants, --concurrency 4: groups run on worker threads with the guarantees of one thread', () => {
  // More than 16 binds in independent SQLite groups: core runs the groups on min(4, cores) worker
  // threads. Each tenant's r1 records the thread it ran on, a variable of the env file and what
  // the config's onConnect set (the tenant named by `-x fail=` fails at an op.db insert into a
  // table that is not there); the config's hooks log each run.
  const tenants = Array.from({ length: 40 }, (_, i) => `w${String(i).padStart(2, '0')}`);
  const p = new TempProject([], {
    config:
      `import { appendFileSync } from 'node:fs';\n` +
      `import { sql } from 'kysely';\n` +
      `import { defineConfig } from '@multidb/core';\n` +
      `const log = (line: string) => appendFileSync(new URL('./hooks.log', import.meta.url), line + '\\n');\n` +
      `export default defineConfig({\n` +
      `  binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant', onConnect: async (db) => { await sql\`PRAGMA user_version = 7\`.execute(db); } }])),\n` +
      `  hooks: { beforeRun: (ctx) => log('before ' + ctx.binds.length), afterRun: (ctx) => log('after ' + ctx.binds.length) },\n` +
      `});\n`,
  });
  const run = (...args: string[]) => runInProcess(p.dir, args);
  beforeAll(() => {
    p.write('.env', 'MULTIDB_WORKERS_TEST_MARK=from-env-file\n');
    p.write(
      `migrations/versions/tenant/${R1}_threads.ts`,
      revisionSource({
        revision: R1,
        downRevision: null,
        branchLabels: ['tenant'],
        message: 'record the thread',
        upgrade:
          "await op.createTable('ran_on', [{ name: 'thread', type: 'integer' }, { name: 'mark', type: 'varchar(40)' }]);\n" +
          "  const { threadId } = await import('node:worker_threads');\n" +
          "  await op.bulkInsert('ran_on', [{ thread: threadId, mark: process.env.MULTIDB_WORKERS_TEST_MARK ?? 'unset' }]);\n" +
          "  if (op.xArgs.fail === op.bind) await op.db.insertInto('refused_' + op.bind).values({ id: 1 }).execute();",
        downgrade: "await op.dropTable('ran_on');",
      }),
    );
  });
  afterAll(() => {
    delete process.env.MULTIDB_WORKERS_TEST_MARK; // the env file set it for this process
    p.remove();
  });
  const ranOn = (t: string) => {
    const db = new Database(join(p.dir, '.data', `${t}.db`), { readonly: true });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ran_on'").get() !== undefined;
      const row = table ? (db.prepare('SELECT thread, mark FROM ran_on').get() as { thread: number; mark: string } | undefined) : undefined;
      return { table, row, userVersion: db.pragma('user_version', { simple: true }) };
    } finally {
      db.close();
    }
  };

  it('several threads ran the tenants (none of them this one); a failing tenant stops only itself; errors, summary and --json as on one thread; a re-run finishes it', async () => {
    const out = await run('-x', 'fail=w13', 'upgrade', '--concurrency', '4', '--json');
    expect(out.code, out.stderr).toBe(1);
    const threads = new Set<number>();
    for (const t of tenants.filter((t) => t !== 'w13')) {
      const { row, userVersion } = ranOn(t);
      expect(row?.mark).toBe('from-env-file');
      expect(userVersion).toBe(7); // the config's onConnect ran on the tenant's connection
      expect(row?.thread).not.toBe(threadId); // not on this test's thread
      threads.add(row!.thread);
      expect(p.versionsApplied(t)).toEqual([R1]);
    }
    expect(threads.size).toBe(Math.min(4, availableParallelism()));
    expect(threads.size).toBeGreaterThan(1); // this machine has 2 cores
    // w13's revision rolled back: no table, nothing recorded.
    expect(ranOn('w13').table).toBe(false);
    expect(p.versionsApplied('w13')).toEqual([]);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toEqual([expect.stringContaining(`[w13] revision ${R1} failed: no such table: refused_w13`)]);
    // The failing op.db query is named, as on one thread (the error crossed from its worker).
    expect(errors[0]).toContain('statement: insert into "refused_w13" ("id") values (?)');
    expect(errors[0]).toContain(`'w13' stays at <base>`);
    expect(lines(out.stderr)).toContain(`[tenant ×40] Running upgrade <base> -> ${R1}, record the thread`);
    expect(lines(out.stderr)).toContain('[tenant ×40] 39 upgraded, 1 failed (w13), 0 unchanged or not reached');
    const doc = JSON.parse(out.stdout) as { error: { code: string; failures: { bind: string; code: string; message: string }[] } };
    expect(doc.error.code).toBe('RUN');
    expect(doc.error.failures).toEqual([expect.objectContaining({ bind: 'w13', code: 'MIGRATION', message: expect.stringContaining('no such table: refused_w13') })]);
    expect(p.read('hooks.log')).toBe('before 40\n'); // once; afterRun only when every group succeeded

    const again = await run('upgrade', '--concurrency', '4', '--json');
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as { steps: { bind: string; revision: string }[]; heads: Record<string, string[]> };
    expect(result.steps).toEqual([expect.objectContaining({ bind: 'w13', revision: R1 })]);
    expect(result.heads).toEqual({ w13: [R1] }); // the binds the run changed, as on one thread
    for (const t of tenants) expect(p.versionsApplied(t)).toEqual([R1]);
    expect(ranOn('w13').row?.thread).not.toBe(threadId);
    expect(p.read('hooks.log')).toBe('before 40\nbefore 40\nafter 40\n');
  });
});

describe('30 SQLite tenants on worker threads, Ctrl-C mid-run (a `migrate` process)', () => {
  // r2 is slow enough (a 150,000-row insert) that the run is interrupted part way; each revision
  // prints a line, which must reach the process's stdout from the worker threads.
  const tenants = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}`);
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/' + t + '.db', branch: 'tenant' }])) });\n`,
  });
  const step = (revision: string, downRevision: string | null, n: number, slow: boolean) =>
    p.write(
      `migrations/versions/tenant/${revision}_s${n}.ts`,
      revisionSource({
        revision,
        downRevision,
        ...(downRevision === null ? { branchLabels: ['tenant'] } : {}),
        message: `step ${n}`,
        upgrade:
          `await op.createTable('s${n}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n` +
          (slow ? `  await op.execute('INSERT INTO s${n} (id) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 150000) SELECT x FROM c');\n` : '') +
          `  console.log('step ${n} ran on ' + op.bind);`,
        downgrade: `await op.dropTable('s${n}');`,
      }),
    );
  beforeAll(() => {
    step(R1, null, 1, false);
    step(R2, R1, 2, true);
  });
  afterAll(() => p.remove());

  /** Each tenant's version-table rows and step tables, read after rolling back what a killed writer left. */
  const state = (t: string) => {
    const file = join(p.dir, '.data', `${t}.db`);
    if (!existsSync(file)) return { versions: [] as string[], tables: [] as string[] };
    const db = new Database(file); // read-write: a hot journal is rolled back on this open
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      const versions = tables.includes('multidb_version') ? (db.prepare('SELECT version_num FROM multidb_version').all() as { version_num: string }[]).map((r) => r.version_num) : [];
      return { versions, tables: tables.filter((n) => /^s\d$/.test(n)) };
    } finally {
      db.close();
    }
  };
  const expected: Record<string, string[]> = { '': [], [R1]: ['s1'], [R2]: ['s1', 's2'] };

  it('stops every thread; each tenant is at a revision it fully applied; the re-run finishes the rest and their revisions print to stdout', async () => {
    const live = startMigrate(p, ['upgrade', '--concurrency', '4']);
    await live.waitForStderr(/\[tenant ×30\] \d+\/30 binds done/, 60_000);
    live.child.kill('SIGINT');
    const interrupted = await live.done;
    expect(interrupted.code).not.toBe(0);
    const before = Object.fromEntries(tenants.map((t) => [t, state(t)]));
    for (const [t, s] of Object.entries(before)) {
      expect(s.versions.length, t).toBeLessThanOrEqual(1);
      expect(s.tables, `${t} at ${s.versions.join(',') || 'base'}`).toEqual(expected[s.versions[0] ?? '']);
    }
    const notDone = tenants.filter((t) => before[t]!.versions[0] !== R2);
    expect(notDone.length).toBeGreaterThan(0); // it was interrupted part way
    expect(notDone.length).toBeLessThan(tenants.length);

    const again = await runMigrate(p.dir, ['upgrade', '--concurrency', '4']);
    expect(again.code, again.stderr).toBe(0);
    for (const t of tenants) expect(state(t)).toEqual({ versions: [R2], tables: ['s1', 's2'] });
    const printed = lines(again.stdout).filter((l) => l.startsWith('step 2 ran on '));
    expect(printed.map((l) => l.slice('step 2 ran on '.length)).sort()).toEqual(notDone);
  });
});

/** A project whose config generates one bind per server database of `dbs`, all on branch `tenant`. */
function serverTenantsProject(dbs: Record<string, unknown>): TempProject {
  const urls = Object.fromEntries(Object.entries(dbs).map(([t, d]) => [t, (d as { url: string }).url]));
  return new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `const urls: Record<string, string> = ${JSON.stringify(urls)};\n` +
      `export default defineConfig({ binds: Object.fromEntries(Object.entries(urls).map(([t, url]) => [t, { url, branch: 'tenant' }])) });\n`,
  });
}

describeWithServers('PostgreSQL tenants on one branch', ['postgres'], () => {
  const dbs = useDatabases('tenants', { t000: 'postgres', t001: 'postgres', t002: 'postgres' });
  let p: TempProject;
  beforeAll(() => {
    p = serverTenantsProject(dbs);
    writeRevisions(p, join(p.dir, 'probe.txt'));
  });
  afterAll(() => p.remove());

  it('--concurrency 2: the failing tenant stays at its revision, the others reach head; a re-run finishes it', async () => {
    const out = await runInProcess(p.dir, ['-x', 'fail=t001', 'upgrade', '--concurrency', '2']);
    expect(out.code).toBe(1);
    expect(lines(out.stderr).filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringContaining(`[t001] revision ${R3} failed: invoices refused for t001`)]);
    // Three tenants: below the summary threshold, so Alembic-style lines per bind.
    expect(lines(out.stderr)).toContain(`[t002] Running upgrade ${R2} -> ${R3}, create invoices`);
    const current = await runInProcess(p.dir, ['current']);
    expect(lines(current.stdout)).toEqual([`[t000] ${R3} (head)`, `[t001] ${R2}`, `[t002] ${R3} (head)`]);
    const again = await runInProcess(p.dir, ['upgrade', '--concurrency', '2']);
    expect(again.code, again.stderr).toBe(0);
    expect(lines(again.stderr).filter((l) => l.includes('Running upgrade'))).toEqual([`[t001] Running upgrade ${R2} -> ${R3}, create invoices`]);
  });
});

describeWithServers('20 PostgreSQL tenants (schemas of one database): the next tenant is connected ahead', ['postgres'], () => {
  const dbs = useDatabases('tenants_ahead', { db: 'postgres' });
  const tenants = Array.from({ length: 20 }, (_, i) => `s${String(i).padStart(2, '0')}`);
  let p: TempProject;
  /** The config: one bind per tenant, each in its own schema of the database; `broken`'s URL a closed port. */
  const writeConfig = (broken?: string) =>
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\n` +
        `const tenants = ${JSON.stringify(tenants)};\n` +
        `export default defineConfig({ binds: Object.fromEntries(tenants.map((t) => [t, { url: t === ${JSON.stringify(broken ?? '')} ? 'postgres://app:s3cret@127.0.0.1:1/nowhere' : ${JSON.stringify(dbs.db.url)}, schema: t, branch: 'tenant' }])) });\n`,
    );
  const schemas = async () =>
    (await queryUrl<{ nspname: string }>(dbs.db.url, "SELECT nspname FROM pg_namespace WHERE nspname ~ '^s[0-9]{2}$' ORDER BY 1")).map((r) => r.nspname);
  const sessions = () => scalarUrl(dbs.db.url, "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'multidb'");
  beforeAll(() => {
    p = new TempProject([]);
    writeRevisions(p, join(p.dir, 'probe.txt'));
  });
  afterAll(() => p.remove());

  it('without --concurrency, a tenant that cannot be connected stops the run at its turn with the error it had before; nothing was created ahead for the tenants after it; no session is left', async () => {
    writeConfig('s10');
    const out = await runInProcess(p.dir, ['upgrade']);
    expect(out.code).toBe(1);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toEqual([expect.stringMatching(/^ERROR: \[s10\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/)]);
    expect(out.stderr).not.toContain('s3cret');
    // The tenants before it ran; s11, connected ahead while s10's turn came, created nothing.
    expect(await schemas()).toEqual(tenants.slice(0, 10));
    expect(await sessions()).toBe(0);
  });

  it('every tenant reaches head, one after the other, each schema created at its turn; the re-run finds nothing to do', async () => {
    writeConfig();
    const out = await runInProcess(p.dir, ['-x', 'fail=none', 'upgrade']);
    expect(out.code, out.stderr).toBe(0);
    expect(await schemas()).toEqual(tenants);
    for (const t of ['s00', 's10', 's19']) {
      expect(await queryUrl(dbs.db.url, `SELECT version_num FROM "${t}".multidb_version`)).toEqual([{ version_num: R3 }]);
    }
    expect(await sessions()).toBe(0);
    const again = await runInProcess(p.dir, ['upgrade']);
    expect(again.code, again.stderr).toBe(0);
    expect(lines(again.stderr).filter((l) => l.includes('Running upgrade'))).toEqual([]);
  });
});

describeWithServers('17 MariaDB tenants: the next tenant is connected ahead', ['mysql'], () => {
  const tenants = Array.from({ length: 17 }, (_, i) => `m${String(i).padStart(2, '0')}`);
  const dbs = useDatabases('tenants_ahead_my', Object.fromEntries(tenants.map((t) => [t, 'mysql' as const])) as Record<string, 'mysql'>);
  let p: TempProject;
  const writeConfig = (broken?: string) => {
    const urls = Object.fromEntries(tenants.map((t) => [t, t === broken ? 'mysql://app:s3cret@127.0.0.1:1/nowhere' : dbs[t]!.url]));
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\n` +
        `const urls: Record<string, string> = ${JSON.stringify(urls)};\n` +
        `export default defineConfig({ binds: Object.fromEntries(Object.entries(urls).map(([t, url]) => [t, { url, branch: 'tenant' }])) });\n`,
    );
  };
  const versions = async (t: string) => {
    const has = await scalarUrl(dbs[t]!.url, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'multidb_version'");
    return has ? (await queryUrl<{ version_num: string }>(dbs[t]!.url, 'SELECT version_num FROM multidb_version')).map((r) => r.version_num) : undefined;
  };
  beforeAll(() => {
    p = new TempProject([]);
    writeRevisions(p, join(p.dir, 'probe.txt'));
  });
  afterAll(() => p.remove());

  it('a tenant that cannot be connected stops the run at its turn with its error; the tenants after it untouched; a re-run with it fixed finishes every tenant', async () => {
    writeConfig('m08');
    const out = await runInProcess(p.dir, ['upgrade']);
    expect(out.code).toBe(1);
    expect(lines(out.stderr).filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(/^ERROR: \[m08\] cannot connect to mysql:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere: /)]);
    expect(out.stderr).not.toContain('s3cret');
    for (const t of tenants.slice(0, 8)) expect(await versions(t), t).toEqual([R3]);
    for (const t of tenants.slice(9)) expect(await versions(t), t).toBeUndefined();
    writeConfig();
    const again = await runInProcess(p.dir, ['upgrade']);
    expect(again.code, again.stderr).toBe(0);
    for (const t of tenants) expect(await versions(t), t).toEqual([R3]);
  });
});

describeWithServers('MariaDB tenants: a partly applied revision stops only its tenant', ['mysql'], () => {
  const dbs = useDatabases('tenants_my', { m0: 'mysql', m1: 'mysql', m2: 'mysql' });
  let p: TempProject;
  const [A, B, C] = ['aa00000000a1', 'bb00000000b2', 'cc00000000c3'];
  const table = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
  const run = (...args: string[]) => runInProcess(p.dir, args);
  beforeAll(() => {
    p = serverTenantsProject(dbs);
    p.write(`migrations/versions/tenant/${A}_a.ts`, revisionSource({ revision: A, downRevision: null, branchLabels: ['tenant'], upgrade: table('t1'), downgrade: "await op.dropTable('t1');" }));
    // B's downgrade drops t3, then fails for the tenant named by -x fail=: t3's drop is recorded, B is partly downgraded.
    p.write(
      `migrations/versions/tenant/${B}_b.ts`,
      revisionSource({
        revision: B,
        downRevision: A,
        upgrade: `${table('t2')}\n  ${table('t3')}`,
        downgrade: "await op.dropTable('t3');\n  if (op.xArgs.fail === op.bind) throw new Error('refused for ' + op.bind);\n  await op.dropTable('t2');",
      }),
    );
    p.write(`migrations/versions/tenant/${C}_c.ts`, revisionSource({ revision: C, downRevision: B, upgrade: table('t4'), downgrade: "await op.dropTable('t4');" }));
  });
  afterAll(() => p?.remove());

  it('--concurrency 2: the others reach head, the partly applied tenant stays, a re-run after resolve finishes it', async () => {
    expect((await run('upgrade', B)).code).toBe(0);
    const down = await run('-x', 'fail=m1', 'downgrade', '--all-binds', A, '--concurrency', '2');
    expect(down.code).toBe(1);
    const out = await run('upgrade', '--concurrency', '2');
    expect(out.code).toBe(1);
    const errors = lines(out.stderr).filter((l) => l.startsWith('ERROR:'));
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^ERROR: \\[m1\\] revision ${B} is partly applied .*\\. 'm1' stays at ${B} \\(nothing ran on m1\\)$`))]);
    const current = await run('current');
    expect(lines(current.stdout)).toEqual([
      `[m0] ${C} (head)`,
      `[m1] ${B} (in flight: downgrade stopped after 1 write(s), last: dropTable t3)`, // the row the downgrade stopped on, marked on its own line
      `[m2] ${C} (head)`,
    ]);

    // The fix: B's downgrade is recorded as not done (B stays applied; a real repair would also make t3 again).
    expect((await run('resolve', 'm1', '--applied')).code).toBe(0);
    const again = await run('upgrade', '--concurrency', '2');
    expect(again.code, again.stderr).toBe(0);
    expect(lines((await run('current')).stdout)).toEqual([`[m0] ${C} (head)`, `[m1] ${C} (head)`, `[m2] ${C} (head)`]);
  });
});
