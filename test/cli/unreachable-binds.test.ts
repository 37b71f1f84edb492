// Read-only commands and runs with a bind that cannot be reached (Scripting and Alembic parity):
// `current` and `status` report every reachable bind, mark an unreachable one with its masked
// reason and exit 1 after the others; read-only commands never create a SQLite file or folder, nor
// does a run that stops because a bind cannot be reached.
// In process (`main` with a capturing output), one PostgreSQL database name that does not exist
// and one closed port; the SQLite bind is real.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { main } from '@multidb/cli';
import { BindError, createModuleLoader, loadEnvironment, MigrationError, UnreachableBindsError } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRevision } from '../faults/faults-support.js';
import { TempProject } from '../support/project.js';
import { describeWithServers, POSTGRES_URL } from '../support/servers.js';

const PASSWORD = 'Zq9pw77secret';
const server = new URL(POSTGRES_URL);
const absentDb = `multidb_absent_${randomBytes(4).toString('hex')}`;
/** The admin server, with a password (ignored by a trusting server) and a database that does not exist. */
const ABSENT_URL = `postgres://${server.username || 'postgres'}:${PASSWORD}@${server.host}/${absentDb}`;
/** Nothing listens on port 9 of the loopback: the connection is refused at once. */
const CLOSED_URL = `postgres://app:${PASSWORD}@127.0.0.1:9/sales`;

async function migrate(p: TempProject, ...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { cwd: p.dir, output: { out: (l) => stdout.push(l), err: (l) => stderr.push(l) } });
  return { code, stdout, stderr };
}

function project(binds: Record<string, string>, revisions: Record<string, { dependsOn?: string[]; fail?: boolean }> = {}): TempProject {
  const config =
    `import { defineConfig } from '@multidb/core';\n` +
    `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
    Object.entries(binds).map(([b, url]) => `    ${b}: { url: '${url}', connectTimeout: 5 },\n`).join('') +
    `  },\n});\n`;
  const p = new TempProject([], { config });
  for (const bind of Object.keys(binds)) {
    const spec = revisions[bind] ?? {};
    addRevision(p, bind, {
      revision: `${bind}1`,
      downRevision: null,
      message: 'first',
      ...(spec.dependsOn ? { dependsOn: spec.dependsOn } : {}),
      upgrade: spec.fail ? `throw new Error('boom in ${bind}1');` : `await op.createTable('t_${bind}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
      downgrade: `await op.dropTable('t_${bind}');`,
    });
  }
  return p;
}

describe('read-only commands create no SQLite file or folder', () => {
  const p = project({ aa: 'sqlite:data/aa.db' });
  afterAll(() => p.remove());

  it('current, status and history -i report the missing file, at base, and create nothing', async () => {
    const file = `${p.dir}/data/aa.db`;
    const cur = await migrate(p, 'current');
    expect(cur).toEqual({ code: 0, stdout: [`[aa] database file ${file} does not exist (at base)`], stderr: [] });
    const st = await migrate(p, 'status');
    expect(st.code).toBe(0);
    expect(st.stdout).toEqual([`[aa] sqlite sqlite:data/aa.db: current <base> (database file ${file} does not exist), head aa1; 1 pending: aa1`]);
    expect((await migrate(p, 'history', '-i')).code).toBe(0);
    expect((await migrate(p, 'heads')).code).toBe(0);
    expect((await migrate(p, 'show', 'aa1')).code).toBe(0);
    expect(p.exists('data')).toBe(false);
  });

  it('upgrade still creates the folder and the file; current then reads it', async () => {
    expect((await migrate(p, 'upgrade')).code).toBe(0);
    expect(p.exists('data/aa.db')).toBe(true);
    expect((await migrate(p, 'current')).stdout).toEqual(['[aa] aa1 (head)']);
  });
});

describe('check on a SQLite bind whose file does not exist', () => {
  const p = new TempProject([], {
    config:
      `import { defineConfig } from '@multidb/core';\n` +
      `export default defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:data/app.db', models: './models/app.ts' } } });\n`,
  });
  afterAll(() => p.remove());
  beforeAll(() => {
    p.write(
      'models/app.ts',
      `import { defineModels } from '@multidb/core';\n` +
        `export default defineModels({ tables: [{ name: 'user', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });\n`,
    );
    p.write('migrations/versions/app/.keep', '');
  });

  it('compares the models with an empty database and creates nothing', async () => {
    const out = await migrate(p, 'check');
    expect(out.code, out.stderr.join('\n')).toBe(4);
    expect(out.stdout).toContain("[app] Detected added table 'user'");
    expect(p.exists('data')).toBe(false);
  });
});

describe('a closed port: current and status go on past the bind, then exit 1', () => {
  const p = project({ aa: 'sqlite:.data/aa.db', closed: CLOSED_URL, zz: 'sqlite:.data/zz.db' });
  afterAll(() => p.remove());
  beforeAll(async () => {
    expect((await migrate(p, 'upgrade', 'aa@head')).code).toBe(0);
  });

  it('current prints every bind, the closed one marked with its masked reason', async () => {
    const out = await migrate(p, 'current');
    expect(out.code).toBe(1);
    expect(out.stdout).toHaveLength(3);
    expect(out.stdout[0]).toBe('[aa] aa1 (head)');
    expect(out.stdout[1]).toMatch(/^\[closed\] unreachable: cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/);
    expect(out.stdout[2]).toMatch(/^\[zz\] database file .*zz\.db does not exist \(at base\)$/);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('history -i marks the bind it cannot read after the revisions, shows where the others stand, then exits 1', async () => {
    const out = await migrate(p, 'history', '-i');
    expect(out.code).toBe(1);
    expect(out.stderr).toEqual([]);
    expect(out.stdout).toHaveLength(4);
    // The three roots were written in the same second: their order is not the point here.
    expect(out.stdout.slice(0, 3).sort()).toEqual(['[aa] <base> -> aa1 (aa) (head) (current), first', '[closed] <base> -> closed1 (closed) (head), first', '[zz] <base> -> zz1 (zz) (head), first']);
    expect(out.stdout[3]).toMatch(/^\[closed\] unreachable: cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);

    const json = await migrate(p, 'history', '-i', '--json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout.join('\n')) as { revisions: { revision: string; currentBinds: string[] }[]; unreachable: { bind: string; reason: string }[] };
    expect(parsed.revisions.map((r) => [r.revision, r.currentBinds]).sort()).toEqual([['aa1', ['aa']], ['closed1', []], ['zz1', []]]);
    expect(parsed.unreachable).toEqual([{ bind: 'closed', reason: expect.stringMatching(/^\[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/) }]);
    expect(JSON.stringify(json)).not.toContain(PASSWORD);

    // One bind asked about, reachable: exit 0; history without -i connects to nothing.
    expect(await migrate(p, 'history', 'aa', '-i')).toEqual({ code: 0, stdout: ['[aa] <base> -> aa1 (aa) (head) (current), first'], stderr: [] });
    expect((await migrate(p, 'history')).code).toBe(0);
  });

  it('an upgrade that cannot start leaves the existing SQLite file as it was and creates no other', async () => {
    const before = { bytes: readFileSync(`${p.dir}/.data/aa.db`), mtimeMs: statSync(`${p.dir}/.data/aa.db`).mtimeMs };
    const out = await migrate(p, 'upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(/^ERROR: \[closed\] cannot connect to /)]);
    expect(readFileSync(`${p.dir}/.data/aa.db`).equals(before.bytes)).toBe(true);
    expect(statSync(`${p.dir}/.data/aa.db`).mtimeMs).toBe(before.mtimeMs);
    expect(p.exists('.data/zz.db')).toBe(false);
  });

  it('status prints every bind and marks the closed one', async () => {
    const out = await migrate(p, 'status');
    expect(out.code).toBe(1);
    expect(out.stdout[0]).toBe('[aa] sqlite sqlite:.data/aa.db: current aa1, head aa1; up to date');
    expect(out.stdout[1]).toMatch(/^\[closed\] postgres postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: current unknown, head closed1; unreachable: cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/);
    expect(out.stdout[2]).toMatch(/^\[zz\] sqlite sqlite:\.data\/zz\.db: current <base> \(database file .* does not exist\), head zz1; 1 pending: zz1$/);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });
});

describeWithServers('a PostgreSQL database that does not exist', ['postgres'], () => {
  const p = project({ aa: 'sqlite:.data/aa.db', pg: ABSENT_URL });
  afterAll(() => p.remove());

  it('current and status mark it with the server\'s reason and exit 1 after the SQLite bind', async () => {
    const cur = await migrate(p, 'current');
    expect(cur.code).toBe(1);
    expect(cur.stdout[0]).toMatch(/^\[aa\] database file .* does not exist \(at base\)$/);
    expect(cur.stdout[1]).toMatch(new RegExp(`^\\[pg\\] unreachable: .*database "${absentDb}" does not exist`));
    const st = await migrate(p, 'status');
    expect(st.code).toBe(1);
    expect(st.stdout).toHaveLength(2);
    expect(st.stdout[1]).toMatch(new RegExp(`^\\[pg\\] postgres postgres://.*: current unknown, head pg1; unreachable: cannot connect to .*database "${absentDb}" does not exist`));
    expect(JSON.stringify([cur, st])).not.toContain(PASSWORD);
  });
});

describe('upgrade past an unreachable bind', () => {
  const p = project({ aa: 'sqlite:.data/aa.db', closed: CLOSED_URL, ww: 'sqlite:.data/ww.db', yy: 'sqlite:.data/yy.db', zz: 'sqlite:.data/zz.db' }, { yy: { dependsOn: ['closed1'] } });
  // ww1 can run; ww2 waits on the unreachable bind.
  addRevision(p, 'ww', { revision: 'ww2', downRevision: 'ww1', message: 'second', dependsOn: ['closed1'], upgrade: `await op.createTable('t_ww2', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  afterAll(() => p.remove());

  it('without --concurrency: nothing runs, one ERROR line names the bind (masked), the next says so and names the binds not run', async () => {
    const out = await migrate(p, 'upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(/^ERROR: \[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/)]);
    expect(out.stderr.at(-2)).toBe(
      "Nothing ran: without --concurrency an upgrade connects every bind before its first step; not run: aa, ww, yy, zz. '--concurrency N' goes on past an unreachable bind.",
    );
    // A failed start creates no SQLite file, before the unreachable bind (aa) or after it (ww, yy, zz).
    expect(['aa', 'ww', 'yy', 'zz'].filter((b) => p.exists(`.data/${b}.db`))).toEqual([]);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);

    // --json: the one-line message says it too; the error is still about the unreachable bind.
    const json = await migrate(p, 'upgrade', '--json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout.join('\n')) as { error: { bind: string; code: string; message: string; failures: { bind: string }[] } }).error;
    expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT' });
    expect(error.message).toMatch(/^\[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED.*; nothing ran: without --concurrency an upgrade connects every bind before its first step; not run: aa, ww, yy, zz\. '--concurrency N' goes on past an unreachable bind\.$/);
    expect(error.failures.map((f) => f.bind)).toEqual(['closed']);
    expect(JSON.stringify(json)).not.toContain(PASSWORD);
  });

  it('from code: an UnreachableBindsError naming the binds not run', async () => {
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const error = await env.upgrade().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableBindsError);
      expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT', notRun: ['aa', 'ww', 'yy', 'zz'], completed: [] });
      // A downgrade connects every bind first, with --concurrency too: no hint about it.
      const down = await env.downgrade('base').then(() => undefined, (e: unknown) => e);
      expect(down).toMatchObject({ bind: 'closed', notRun: ['aa', 'ww', 'yy', 'zz'] });
      expect((down as Error).message.split('\n').at(-1)).toBe('  nothing ran: a run connects every bind before its first step; not run: aa, ww, yy, zz.');
    } finally {
      await env.close();
    }
  });

  it('stamp: nothing is stamped; a line before the ERROR line says so and names the binds not stamped (was: the ERROR line alone)', async () => {
    const out = await migrate(p, 'stamp', 'heads');
    expect(out.code).toBe(1);
    expect(out.stdout).toEqual([]);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(/^ERROR: \[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/)]);
    expect(out.stderr.at(-2)).toBe('Nothing stamped: a stamp connects every bind before it writes any version table; not stamped: aa, ww, yy, zz.');
    // All or nothing: no version table written, no SQLite file created.
    expect(['aa', 'ww', 'yy', 'zz'].filter((b) => p.exists(`.data/${b}.db`))).toEqual([]);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);

    // The SQLite binds stamped before (their files exist): still nothing written on any of them.
    expect((await migrate(p, 'stamp', 'aa@head', 'zz@head')).code).toBe(0);
    expect((await migrate(p, 'stamp', 'base')).stderr.at(-2)).toBe('Nothing stamped: a stamp connects every bind before it writes any version table; not stamped: aa, ww, yy, zz.');
    expect([p.versionsApplied('aa'), p.versionsApplied('zz')]).toEqual([['aa1'], ['zz1']]);
    // --json: the binds not stamped, and no `steps` (a stamp runs none; was `steps: []`).
    const json = (JSON.parse((await migrate(p, 'stamp', 'heads', '--json')).stdout.join('\n')) as { error: Record<string, unknown> }).error;
    expect(json).toMatchObject({ bind: 'closed', notRun: ['aa', 'ww', 'yy', 'zz'] });
    expect(json).not.toHaveProperty('steps');
    // As the tests below found them: no SQLite file.
    for (const b of ['aa', 'zz']) rmSync(`${p.dir}/.data/${b}.db`);
  });

  it('--concurrency 2 upgrades every other bind, skips what depends on it, reports it and exits 1', async () => {
    const out = await migrate(p, 'upgrade', '--concurrency', '2');
    expect(out.code).toBe(1);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
    expect(p.versionsApplied('zz')).toEqual(['zz1']);
    expect(p.versionsApplied('ww')).toEqual(['ww1']); // ww2 depends on closed1
    // yy1 depends on closed1: yy runs nothing, and its database file is not created.
    expect(p.exists('.data/yy.db')).toBe(false);
    const errors = out.stderr.filter((l) => l.startsWith('ERROR:') || l.startsWith('Not run'));
    expect(errors).toEqual([
      'Not run (waiting on a failed bind): [ww] ww2, [yy] yy1',
      expect.stringMatching(/^ERROR: \[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/),
    ]);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });
});

describe("a SQLite bind whose onConnect hook throws on its new file", () => {
  // The hook refuses a database without tables (as one checking a key or a setting would).
  const refusing = `async (db) => { const { rows } = await sql\`SELECT count(*) AS n FROM sqlite_master\`.execute(db); if (Number(rows[0].n) === 0) throw new Error('refusing a database without tables'); }`;
  const hooked = (binds: Record<string, string>) => {
    const p = new TempProject([], {
      config:
        `import { sql } from 'kysely';\nimport { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        Object.entries(binds).map(([b, url]) => `    ${b}: { url: '${url}'${b === 'aa' ? `, onConnect: ${refusing}` : ''} },\n`).join('') +
        `  },\n});\n`,
    });
    for (const bind of Object.keys(binds)) {
      addRevision(p, bind, { revision: `${bind}1`, downRevision: null, message: 'first', upgrade: `await op.createTable('t_${bind}', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    }
    return p;
  };
  const alone = hooked({ aa: 'sqlite:.data/aa.db' });
  const beside = hooked({ aa: 'sqlite:.data/aa.db', bb: 'sqlite:.data/bb.db' });
  afterAll(() => {
    alone.remove();
    beside.remove();
  });
  const HOOK_LINE = /^ERROR: \[aa\] cannot run the onConnect hook on .*aa\.db: refusing a database without tables/;

  it('upgrade: exit 1 naming the bind; neither the file nor the folder made for it is left', async () => {
    const out = await migrate(alone, 'upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(HOOK_LINE)]);
    expect(alone.exists('.data')).toBe(false);
  });

  it('upgrade --concurrency 2: the other bind is upgraded; no file is left for the refused one', async () => {
    const out = await migrate(beside, 'upgrade', '--concurrency', '2');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(HOOK_LINE)]);
    expect(beside.versionsApplied('bb')).toEqual(['bb1']);
    expect(beside.exists('.data/aa.db')).toBe(false);
  });

  it('a file that existed before the hook refused it is left as it was', async () => {
    alone.write('.data/aa.db', '');
    const before = statSync(`${alone.dir}/.data/aa.db`).mtimeMs;
    const out = await migrate(alone, 'upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(HOOK_LINE)]);
    expect(readFileSync(`${alone.dir}/.data/aa.db`).length).toBe(0);
    expect(statSync(`${alone.dir}/.data/aa.db`).mtimeMs).toBe(before);
  });
});

/** Nothing listens on port 1 of the loopback either. */
const CLOSED2_URL = `postgres://app:${PASSWORD}@127.0.0.1:1/billing`;
const CLOSED_LINE = /^ERROR: \[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/;
const CLOSED2_LINE = /^ERROR: \[closed2\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/billing: .*ECONNREFUSED/;

describe('upgrade without --concurrency, two binds unreachable: every one is named, nothing runs', () => {
  // Independent binds (groups of one, connected first) and binds a depends-on links (one group).
  const apart = project({ aa: 'sqlite:.data/aa.db', closed: CLOSED_URL, closed2: CLOSED2_URL, zz: 'sqlite:.data/zz.db' });
  const linked = project({ aa: 'sqlite:.data/aa.db', closed: CLOSED_URL, closed2: CLOSED2_URL }, { aa: { dependsOn: ['closed1', 'closed21'] } });
  afterAll(() => {
    apart.remove();
    linked.remove();
  });

  it.each([
    ['independent binds', () => apart],
    ['binds of one group', () => linked],
  ])('%s: one ERROR line per unreachable bind, in --json one failure each', async (_title, which) => {
    const p = which();
    const out = await migrate(p, 'upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(CLOSED_LINE), expect.stringMatching(CLOSED2_LINE)]);
    expect(['aa', 'zz'].filter((b) => p.exists(`.data/${b}.db`))).toEqual([]);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);

    expect(out.stderr.at(-3)).toMatch(/^Nothing ran: .*; not run: aa(, zz)?\. '--concurrency N' goes on past an unreachable bind\.$/);

    const json = await migrate(p, 'upgrade', '--json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout.join('\n')) as { error: { bind: string; code: string; message: string; failures: { bind: string; code: string }[] } }).error;
    expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT' });
    expect(error.message).toMatch(/; nothing ran: .*; not run: aa(, zz)?\./);
    expect(error.failures.map((f) => [f.bind, f.code])).toEqual([['closed', 'CONNECT'], ['closed2', 'CONNECT']]);
  });

  it('from code: an UnreachableBindsError, a BindError about the first, listing each', async () => {
    const env = await loadEnvironment({ dialects, cwd: linked.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const error = await env.upgrade().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableBindsError);
      expect(error).toBeInstanceOf(BindError);
      expect((error as UnreachableBindsError).bind).toBe('closed');
      expect((error as UnreachableBindsError).unreachable.map((e) => e.bind)).toEqual(['closed', 'closed2']);
      // A downgrade and a stamp connect their binds first too.
      const stamp = await env.stamp(['heads']).then(() => undefined, (e: unknown) => e);
      expect((stamp as UnreachableBindsError).unreachable.map((e) => e.bind)).toEqual(['closed', 'closed2']);
      expect(stamp).toMatchObject({ notRun: ['aa'] });
    } finally {
      await env.close();
    }
    expect(linked.exists('.data/aa.db')).toBe(false);
  });
});

describe('a sequential upgrade that stops at a failing bind', () => {
  const p = project({ aa: 'sqlite:.data/aa.db', bb: 'sqlite:.data/bb.db', cc: 'sqlite:.data/cc.db', dd: 'sqlite:.data/dd.db' }, { bb: { fail: true } });
  afterAll(() => p.remove());

  it('names the binds it did not run, in the line it prints and in the MigrationError', async () => {
    const out = await migrate(p, 'upgrade');
    expect(out.code).toBe(1);
    const errors = out.stderr.filter((l) => l.startsWith('ERROR:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^ERROR: \[bb\] revision bb1 failed: boom in bb1; .*\. not run \(the run stopped here\): cc, dd; '--concurrency N' goes on past a failing bind\.$/);
    expect(p.versionsApplied('aa')).toEqual(['aa1']);
    expect(p.versionsApplied('cc')).toEqual([]);

    // The project's config imports '@multidb/core': give it this checkout's copy.
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const error = await env.upgrade().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).bind).toBe('bb');
      expect((error as MigrationError).notRun).toEqual(['cc', 'dd']);
    } finally {
      await env.close();
    }
  });
});

describe('a run of more than 16 binds that meets an unreachable bind on its way', () => {
  // Seventeen SQLite binds and the closed port, each its own group, run one after the other: the
  // binds before the closed one ran, the run stops there, the binds after it are named not run.
  const sqlite = Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const binds = Object.fromEntries([...sqlite.slice(0, 8).map((b) => [b, `sqlite:.data/${b}.db`]), ['closed', CLOSED_URL], ...sqlite.slice(8).map((b) => [b, `sqlite:.data/${b}.db`])]);
  const p = project(binds);
  afterAll(() => p.remove());

  it('names the binds after it as not run, in the line it prints and in the error', async () => {
    const out = await migrate(p, 'upgrade');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(CLOSED_LINE)]);
    expect(out.stderr.at(-2)).toBe(`Not run (the run stopped here): ${sqlite.slice(8).join(', ')}. '--concurrency N' goes on past an unreachable bind.`);
    expect(p.versionsApplied('t08')).toEqual(['t081']);
    expect(p.exists('.data/t09.db')).toBe(false);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('--json gives the steps that ran before it and the binds not run; the line follows how the run went when the binds before it were at their head already', async () => {
    // t01 back to base: the next run upgrades it, finds t02…t08 at their head, stops at closed.
    expect((await migrate(p, 'downgrade', 't01@base')).code).toBe(0);
    const json = await migrate(p, 'upgrade', '--json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout.join('\n')) as { error: { bind: string; code: string; steps: { bind: string; revision: string }[]; notRun: string[] } }).error;
    expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT', notRun: sqlite.slice(8) });
    expect(error.steps.map((s) => [s.bind, s.revision])).toEqual([['t01', 't011']]);
    expect(JSON.stringify(json)).not.toContain(PASSWORD);

    // Nothing ran (every bind before closed is at its head), but those binds were connected and
    // read at their turn: not "connects every bind before its first step".
    const again = await migrate(p, 'upgrade');
    expect(again.code).toBe(1);
    expect(again.stderr.at(-2)).toBe(`Not run (the run stopped here): ${sqlite.slice(8).join(', ')}. '--concurrency N' goes on past an unreachable bind.`);
    const againJson = (JSON.parse((await migrate(p, 'upgrade', '--json')).stdout.join('\n')) as { error: { steps: unknown[]; notRun: string[] } }).error;
    expect(againJson).toMatchObject({ steps: [], notRun: sqlite.slice(8) });
  });
});

describe('a run of more than 16 binds whose last bind cannot be connected', () => {
  const sqlite = Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const p = project(Object.fromEntries([...sqlite.map((b) => [b, `sqlite:.data/${b}.db`]), ['closed', CLOSED_URL]]));
  afterAll(() => p.remove());

  it('--json: the steps that ran before it, and no notRun when it had no bind left (was notRun: [])', async () => {
    const json = await migrate(p, 'upgrade', '--json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout.join('\n')) as { error: Record<string, unknown> & { steps: { bind: string }[] } }).error;
    expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT' });
    expect(error.steps.map((s) => s.bind)).toEqual(sqlite);
    expect(error).not.toHaveProperty('notRun');
  });
});

describe('a relative target over more than 16 binds, one of which cannot be connected', () => {
  // Seventeen SQLite binds and the closed port among them, each its own group: `+1` reads every
  // bind before any group runs, so the closed one stops the run before anything runs (was: the
  // binds before it took the step, then the run stopped; running `+1` again stepped them again).
  const sqlite = Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const binds = Object.fromEntries([...sqlite.slice(0, 8).map((b) => [b, `sqlite:.data/${b}.db`]), ['closed', CLOSED_URL], ...sqlite.slice(8).map((b) => [b, `sqlite:.data/${b}.db`])]);
  const p = project(binds);
  for (const b of sqlite) {
    addRevision(p, b, { revision: `${b}2`, downRevision: `${b}1`, message: 'second', upgrade: `await op.createTable('t2_${b}', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  }
  afterAll(() => p.remove());

  it('without --concurrency: nothing runs; the error names the closed bind and every other as not run', async () => {
    const out = await migrate(p, 'upgrade', '+1');
    expect(out.code).toBe(1);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:'))).toEqual([expect.stringMatching(CLOSED_LINE)]);
    expect(out.stderr.at(-2)).toBe(`Nothing ran: without --concurrency an upgrade connects every bind before its first step; not run: ${sqlite.join(', ')}. '--concurrency N' goes on past an unreachable bind.`);
    expect(sqlite.filter((b) => p.exists(`.data/${b}.db`))).toEqual([]);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);

    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) } }) });
    try {
      const error = await env.upgrade(['+1']).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableBindsError);
      expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT', notRun: sqlite, completed: [], atGroup: false });
    } finally {
      await env.close();
    }
    expect(sqlite.filter((b) => p.exists(`.data/${b}.db`))).toEqual([]);
  });

  it('--concurrency 2: the other binds take the step; the error says that running +1 again would step them again, and gives the closed bind its own target (it was never read: +1 still means one step from where it stands)', async () => {
    const out = await migrate(p, 'upgrade', '+1', '--concurrency', '2');
    expect(out.code).toBe(1);
    for (const b of sqlite) expect(p.versionsApplied(b), b).toEqual([`${b}1`]);
    expect(out.stderr.filter((l) => l.startsWith('ERROR:') || l.startsWith('Running'))).toEqual([
      "Running '+1' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade closed@+1.",
      expect.stringMatching(CLOSED_LINE),
    ]);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });
});

describe('a relative target over more than 16 SQLite binds, two on one file that does not exist yet', () => {
  // t17 points at t03's file: the check of `+1` finds them before anything runs (was: 17 binds
  // upgraded, then a DuplicateDatabaseError).
  const sqlite = Array.from({ length: 18 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const p = project(Object.fromEntries(sqlite.map((b) => [b, `sqlite:.data/${b === 't17' ? 't03' : b}.db`])));
  afterAll(() => p.remove());

  it('upgrade +1 refuses them with nothing run and no file created', async () => {
    const out = await migrate(p, 'upgrade', '+1');
    expect(out.code).toBe(1);
    expect(out.stderr.at(-1)).toMatch(/^ERROR: Binds 't03' and 't17' point at the same database \(.*t03\.db\); each bind needs its own\.$/);
    expect(sqlite.filter((b) => p.exists(`.data/${b}.db`))).toEqual([]);
  });
});
