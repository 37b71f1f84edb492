// A run of tenants one after the other (no --concurrency) that stops at a tenant whose migration
// lock another session holds past --lock-timeout: the tenants before it ran. Their steps were said
// nowhere (LockTimeoutError had no `completed`, unlike MigrationError and UnreachableBindsError):
// `--json` had no `steps`, the ERROR line named only the tenants not run, and when the held tenant
// was the last one, nothing at all. On SQLite, PostgreSQL and MariaDB, each tenant a database of
// its own, the lock held through the dialect's own lock on a connection of this process (SQLite:
// an exclusive transaction on the lock file; PostgreSQL: an advisory lock; MariaDB: GET_LOCK),
// which `migrate`, a process of its own, waits for as for another `migrate`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorJson } from '@multidb/cli';
import { whileHeld } from '../support/hold-lock.js';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, onDialects, sqliteFile, useDatabases, versionsAt, type ServerKind } from '../support/servers.js';

const T1 = '7a7a7a7a7a01';
const TENANTS = ['t1', 't2', 't3'] as const;

/** The cases, per dialect: the tenants' URLs come from `urls` once the databases exist. */
function lockTimeoutCases(dialect: 'sqlite' | ServerKind, urls: () => Readonly<Record<(typeof TENANTS)[number], string>>): void {
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: ${JSON.stringify(Object.fromEntries(TENANTS.map((t) => [t, { url: urls()[t], branch: 'tenant' }])))} });\n`,
    });
    p.write(
      `migrations/versions/tenant/${T1}_a.ts`,
      revisionSource({ revision: T1, downRevision: null, branchLabels: ['tenant'], upgrade: "await op.createTable('a', [{ name: 'id', type: 'integer', primaryKey: true }]);", downgrade: "await op.dropTable('a');" }),
    );
  });
  afterAll(() => p.remove());

  /** Each tenant's version-table rows (a SQLite file the run did not create: base). */
  const at = async () => Promise.all(TENANTS.map((t) => (dialect === 'sqlite' && !existsSync(sqliteFile(urls()[t])) ? [] : versionsAt(urls()[t]))));
  const reset = async () => expect((await p.run('downgrade', 'tenant@base', '--all-binds')).code).toBe(0);
  /** The holder the message names on a server: the session of this process that holds the lock (lock-holder.test.ts checks which). */
  const held = dialect === 'sqlite' ? '' : ' \\((?:pid|connection) \\d+: [^)]+\\)';
  // The tenants' outcome is core's; the servers run the first case (their own lock), SQLite every one.
  const on = onDialects(dialect);

  on('postgres', 'mysql')(`${dialect}: held on t2: the ERROR line and --json say what t1 completed and that t3 was not run; exit 3`, async () => {
    const text = await whileHeld(p, 't2', 'upgrade', '--lock-timeout', '1');
    expect(text.code, text.stderr).toBe(3);
    expect(text.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^ERROR: Timed out after \\d+ s waiting for the migration lock on t2: another run holds it${held}\\. Nothing ran on t2; completed before it: 1 revision on t1; not run \\(the run stopped here\\): t3; '--concurrency N' goes on past a bind whose lock is held\\.$`),
    );
    expect(await at()).toEqual([[T1], [], []]);

    await reset();
    const json = await whileHeld(p, 't2', 'upgrade', '--lock-timeout', '1', '--json');
    expect(json.code, json.stderr).toBe(3);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 't2', notRun: ['t3'] });
    expect(error.steps!.map((s) => [s.bind, s.revision, s.direction])).toEqual([['t1', T1, 'up']]);
    expect(error.message).toContain('completed before it: 1 revision on t1;');
    expect(await at()).toEqual([[T1], [], []]);
  });

  on()(`${dialect}: held on the last tenant, t3: what t1 and t2 completed is said (was: only the timeout); exit 3`, async () => {
    await reset();
    const text = await whileHeld(p, 't3', 'upgrade', '--lock-timeout', '1');
    expect(text.code, text.stderr).toBe(3);
    expect(text.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^ERROR: Timed out after \\d+ s waiting for the migration lock on t3: another run holds it${held}\\. Nothing ran on t3; completed before it: 2 revisions on t1, t2\\.$`));
    expect(await at()).toEqual([[T1], [T1], []]);

    await reset();
    const json = await whileHeld(p, 't3', 'upgrade', '--lock-timeout', '1', '--json');
    expect(json.code, json.stderr).toBe(3);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 't3' });
    expect(error.steps!.map((s) => [s.bind, s.revision])).toEqual([['t1', T1], ['t2', T1]]);
    // No tenant was left after it.
    expect(error).not.toHaveProperty('notRun');
  });

  on()(`${dialect}: a downgrade held on t2 says what t1 completed too`, async () => {
    await reset();
    expect((await p.run('upgrade')).code).toBe(0);
    const json = await whileHeld(p, 't2', 'downgrade', 'tenant@base', '--all-binds', '--lock-timeout', '1', '--json');
    expect(json.code, json.stderr).toBe(3);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 't2', notRun: ['t3'] });
    expect(error.steps!.map((s) => [s.bind, s.revision, s.direction])).toEqual([['t1', T1, 'down']]);
    expect(await at()).toEqual([[], [T1], [T1]]);
  });
}

describe('a run of SQLite tenants stopped at a held migration lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  lockTimeoutCases('sqlite', () => Object.fromEntries(TENANTS.map((t) => [t, `sqlite://${join(dir, `${t}.db`)}`])) as Record<(typeof TENANTS)[number], string>);
});

describeWithServers('a run of PostgreSQL tenants stopped at a held migration lock', ['postgres'], () => {
  const dbs = useDatabases('lock_timeout_completed', { t1: 'postgres', t2: 'postgres', t3: 'postgres' });
  lockTimeoutCases('postgres', () => ({ t1: dbs.t1.url, t2: dbs.t2.url, t3: dbs.t3.url }));
});

describeWithServers('a run of MariaDB tenants stopped at a held migration lock', ['mysql'], () => {
  const dbs = useDatabases('lock_timeout_completed', { t1: 'mysql', t2: 'mysql', t3: 'mysql' });
  lockTimeoutCases('mysql', () => ({ t1: dbs.t1.url, t2: dbs.t2.url, t3: dbs.t3.url }));
});

// Binds linked by depends-on (bb's root depends on aa's) run together, as one group, their locks
// taken up front in sorted order: a lock held on one of them stops them all. Without
// --concurrency the LockTimeoutError named as not run only the binds of the groups after it,
// never the other binds of its own group (`notRun` absent for aa and bb alone), while with
// --concurrency the stopped group names every bind of it. `cc`, independent, is a group of its
// own, in config order before or after them.
describe('a run stopped at a held lock of binds linked by depends-on (one group), SQLite', () => {
  const [A1, A2, B1, C1] = ['aaaa1111aa01', 'aaaa1111aa02', 'bbbb1111bb01', 'cccc1111cc01'];
  /** A project of `binds` (SQLite files), in that config order. */
  const linkedProject = (binds: readonly string[]): TempProject => {
    const p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { ${binds.map((b) => `${b}: { url: 'sqlite:.data/${b}.db' }`).join(', ')} } });\n`,
    });
    const write = (branch: string, revision: string, down: string | null, dependsOn: string[] = []) =>
      p.write(
        `migrations/versions/${branch}/${revision}_t.ts`,
        revisionSource({
          revision,
          downRevision: down,
          ...(down === null ? { branchLabels: [branch] } : {}),
          dependsOn,
          upgrade: `await op.createTable('t_${revision}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable('t_${revision}');`,
        }),
      );
    write('aa', A1, null);
    write('aa', A2, A1);
    write('bb', B1, null, [A1]);
    if (binds.includes('cc')) write('cc', C1, null);
    return p;
  };
  const projects: TempProject[] = [];
  afterAll(() => {
    for (const p of projects) p.remove();
  });
  const made = (binds: readonly string[]) => {
    const p = linkedProject(binds);
    projects.push(p);
    return p;
  };
  const lastLine = (stderr: string) => stderr.trim().split('\n').at(-1);

  it('aa and bb alone, aa held: notRun names bb (was: absent); the line does not send to --concurrency, which would not run bb either; exit 3', async () => {
    const p = made(['aa', 'bb']);
    const json = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1', '--json');
    expect(json.code, json.stderr).toBe(3);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'aa', notRun: ['bb'], steps: [] });
    expect(error).not.toHaveProperty('retry');
    const text = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1');
    expect(text.code, text.stderr).toBe(3);
    expect(lastLine(text.stderr)).toMatch(/^ERROR: Timed out after \d+ s waiting for the migration lock on aa: another run holds it\. Nothing ran on aa; not run \(the run stopped here\): bb\.$/);
    // bb held (aa's lock taken first, in sorted order): aa is named, its lock taken but nothing run.
    const other = await whileHeld(p, 'bb', 'upgrade', '--lock-timeout', '1', '--json');
    expect(other.code, other.stderr).toBe(3);
    expect((JSON.parse(other.stdout) as ErrorJson).error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'bb', notRun: ['aa'] });
    // The same with --concurrency 2 (one group: nothing goes on past it).
    const concurrent = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1', '--concurrency', '2', '--json');
    expect(concurrent.code, concurrent.stderr).toBe(3);
    expect((JSON.parse(concurrent.stdout) as ErrorJson).error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'aa', notRun: ['bb'] });
    expect(p.versionsApplied('aa')).toEqual([]);
    expect(p.versionsApplied('bb')).toEqual([]);
    // A bind of the group at its target is not named (it had nothing to run).
    expect((await p.run('upgrade', `bb@${B1}`)).code).toBe(0);
    const rest = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1', '--json');
    expect(rest.code, rest.stderr).toBe(3);
    expect((JSON.parse(rest.stdout) as ErrorJson).error).not.toHaveProperty('notRun');
  });

  it('cc after them, aa held: notRun names bb, then cc (was: cc alone), as --concurrency names the stopped group whole', async () => {
    const p = made(['aa', 'bb', 'cc']);
    const json = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1', '--json');
    expect(json.code, json.stderr).toBe(3);
    expect((JSON.parse(json.stdout) as ErrorJson).error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'aa', notRun: ['bb', 'cc'], steps: [] });
    const text = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1');
    expect(lastLine(text.stderr)).toMatch(
      /^ERROR: Timed out after \d+ s waiting for the migration lock on aa: another run holds it\. Nothing ran on aa; not run \(the run stopped here\): bb, cc; '--concurrency N' goes on past a bind whose lock is held\.$/,
    );
    const concurrent = await whileHeld(p, 'aa', 'upgrade', '--lock-timeout', '1', '--concurrency', '2');
    expect(concurrent.code, concurrent.stderr).toBe(3);
    expect(concurrent.stderr).toMatch(/'aa' stays at <base> \(nothing ran on aa, bb\)/);
    expect([p.versionsApplied('aa'), p.versionsApplied('bb'), p.versionsApplied('cc')]).toEqual([[], [], [C1]]);
  });

  it('cc before them, upgrade +1, aa held: cc completed; notRun names bb; the retry gives aa and bb the revisions +1 led them to, which finish the run', async () => {
    const p = made(['cc', 'aa', 'bb']);
    const json = await whileHeld(p, 'aa', 'upgrade', '+1', '--lock-timeout', '1', '--json');
    expect(json.code, json.stderr).toBe(3);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'aa', notRun: ['bb'], retry: [`aa@${A1}`, `bb@${B1}`] });
    expect(error.steps!.map((s) => [s.bind, s.revision])).toEqual([['cc', C1]]);
    expect(error.message).toContain('Nothing ran on aa; completed before it: 1 revision on cc; not run (the run stopped here): bb.');
    expect((await p.run('upgrade', ...error.retry!)).code).toBe(0);
    expect([p.versionsApplied('aa'), p.versionsApplied('bb'), p.versionsApplied('cc')]).toEqual([[A1], [B1], [C1]]);
  });
});
