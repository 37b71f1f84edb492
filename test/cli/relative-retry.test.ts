// A run of tenants with --concurrency in which one tenant fails part way: how to finish it.
// For a target that counts revisions from where each tenant stands (`+2`, `tenant@-2`), running
// it again would step again the tenants that ran, and the error's example was `t2@+2`: from
// where t2 stopped (one step taken), that steps past what `+2` meant. The error now gives each
// tenant left the revision its plan led to (`migrate upgrade t2@<rev>`), which is exact, and for
// absolute targets (`head`) says that the same command again runs only what is left (it said
// nothing; and with `t1@+1 t2@head t3@+1` it gave `t2@+1` to t2, whose target was `head`).
// Each case runs what the error says and checks where every tenant ends. On SQLite, PostgreSQL
// and MariaDB, each tenant a database of its own. A revision fails on t2 with `-x fail=yes`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorJson } from '@multidb/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, useDatabases, versionsAt, type ServerKind } from '../support/servers.js';

const [R1, R2, R3, R4] = ['5e5e5e5e5e01', '5e5e5e5e5e02', '5e5e5e5e5e03', '5e5e5e5e5e04'];
const TENANTS = ['t1', 't2', 't3'] as const;
type Urls = Readonly<Record<(typeof TENANTS)[number], string>>;

/** The line before the ERROR lines that says how to finish the run. */
const finishLine = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('Running '));

function retryCases(dialect: 'sqlite' | ServerKind, urls: () => Urls): void {
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: ${JSON.stringify(Object.fromEntries(TENANTS.map((t) => [t, { url: urls()[t], branch: 'tenant' }])))} });\n`,
    });
    // R3 fails on t2, up and down, when asked to (-x fail=yes).
    const fails = `if (op.bind === 't2' && op.xArgs.fail === 'yes') throw new Error('t2 refuses');`;
    [R1, R2, R3, R4].forEach((revision, i) => {
      const table = `r${i + 1}`;
      p.write(
        `migrations/versions/tenant/${revision}_${table}.ts`,
        revisionSource({
          revision,
          downRevision: i === 0 ? null : [R1, R2, R3][i - 1]!,
          ...(i === 0 ? { branchLabels: ['tenant'] } : {}),
          upgrade: `${revision === R3 ? fails : ''} await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `${revision === R3 ? fails : ''} await op.dropTable('${table}');`,
        }),
      );
    });
  });
  afterAll(() => p.remove());

  const at = () => Promise.all(TENANTS.map((t) => versionsAt(urls()[t])));
  const to = async (target: string) => {
    const out = await p.run('downgrade', 'tenant@base', '--all-binds');
    expect(out.code, out.stderr).toBe(0);
    if (target !== 'base') expect((await p.run('upgrade', target)).code).toBe(0);
  };

  it(`${dialect}: upgrade +2 from R1, t2 failing at R3 after its first step: the error gives t2@R3 (was t2@+2: R4); that command takes t2 to R3 and no further`, async () => {
    await to(R1);
    const out = await p.run('-x', 'fail=yes', 'upgrade', '+2', '--concurrency', '3');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`);
    expect(await at()).toEqual([[R3], [R2], [R3]]);

    expect((await p.run('upgrade', `t2@${R3}`)).code).toBe(0);
    expect(await at()).toEqual([[R3], [R3], [R3]]);
  });

  it(`${dialect}: upgrade +3 from base, t2 failing at R3 after two of its steps: --json's retry and the line give t2@R3 (was t2@+3: R4 and beyond)`, async () => {
    await to('base');
    const json = await p.run('-x', 'fail=yes', 'upgrade', '+3', '--concurrency', '3', '--json');
    expect(json.code, json.stderr).toBe(1);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'RUN', retry: [`t2@${R3}`] });
    expect(error.message).toContain(`run instead: migrate upgrade t2@${R3}.`);
    expect(finishLine(json.stderr)).toBe(`Running '+3' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`);
    expect(await at()).toEqual([[R3], [R2], [R3]]);
    expect((await p.run('upgrade', ...error.retry!)).code).toBe(0);
    expect(await at()).toEqual([[R3], [R3], [R3]]);
  });

  it(`${dialect}: upgrade head (absolute): the same command again runs only what is left; no retry in --json`, async () => {
    await to('base');
    const out = await p.run('-x', 'fail=yes', 'upgrade', 'head', '--concurrency', '3', '--json');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBe('Running the same command again, once what failed is fixed, runs only what is left.');
    expect((JSON.parse(out.stdout) as ErrorJson).error).not.toHaveProperty('retry');
    expect(await at()).toEqual([[R4], [R2], [R4]]);
    expect((await p.run('upgrade', 'head', '--concurrency', '3')).code).toBe(0);
    expect(await at()).toEqual([[R4], [R4], [R4]]);
  });

  it(`${dialect}: t1@+1 t2@head t3@+1: t2's own target was head, so it is given the head (was t2@+1)`, async () => {
    await to(R1);
    const out = await p.run('-x', 'fail=yes', 'upgrade', 't1@+1', 't2@head', 't3@+1', '--concurrency', '3');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBe(`Running 't1@+1' 't3@+1' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R4}.`);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  it(`${dialect}: downgrade tenant@-2 --all-binds from R4, t2 failing at R3 after its first step back: one downgrade per bind left, t2@R2 (was t2@-2: R1)`, async () => {
    await to(R4);
    const out = await p.run('-x', 'fail=yes', 'downgrade', 'tenant@-2', '--all-binds', '--concurrency', '3', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error.retry).toEqual([`t2@${R2}`]);
    expect(finishLine(out.stderr)).toBe(`Running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate downgrade t2@${R2}.`);
    expect(await at()).toEqual([[R2], [R3], [R2]]);
    const again = await p.run('downgrade', `t2@${R2}`);
    expect(again.code, again.stderr).toBe(0);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });
}

/**
 * Two binds that depends-on links (one group, run by one runner): aa: A1 <- A2 <- A3; bb: B1
 * (depends on A1) <- B2 <- B3, B2 failing with `-x fail=yes`. Its RunError said nothing of how
 * to finish the run.
 */
function linkedCases(dialect: 'sqlite' | ServerKind, urls: () => { readonly aa: string; readonly bb: string }): void {
  const [A1, A2, A3, B1, B2, B3] = ['aaaa0000aa01', 'aaaa0000aa02', 'aaaa0000aa03', 'bbbb0000bb01', 'bbbb0000bb02', 'bbbb0000bb03'];
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: ${JSON.stringify({ aa: { url: urls().aa }, bb: { url: urls().bb } })} });\n` });
    const write = (branch: string, revision: string, down: string | null, extra: { dependsOn?: string[]; fails?: boolean } = {}) =>
      p.write(
        `migrations/versions/${branch}/${revision}_x.ts`,
        revisionSource({
          revision,
          downRevision: down,
          ...(down === null ? { branchLabels: [branch] } : {}),
          ...(extra.dependsOn ? { dependsOn: extra.dependsOn } : {}),
          upgrade: `${extra.fails ? "if (op.xArgs.fail === 'yes') throw new Error('refused');" : ''} await op.createTable('t_${revision}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable('t_${revision}');`,
        }),
      );
    write('aa', A1, null);
    write('aa', A2, A1);
    write('aa', A3, A2);
    write('bb', B1, null, { dependsOn: [A1] });
    write('bb', B2, B1, { fails: true });
    write('bb', B3, B2);
  });
  afterAll(() => p.remove());
  const at = () => Promise.all([versionsAt(urls().aa), versionsAt(urls().bb)]);

  it(`${dialect}: upgrade +2 --concurrency 2, bb failing at its second step: the line gives bb@B2; that command finishes it`, async () => {
    const out = await p.run('-x', 'fail=yes', 'upgrade', '+2', '--concurrency', '2', '--json');
    expect(out.code, out.stderr).toBe(1);
    expect((JSON.parse(out.stdout) as ErrorJson).error).toMatchObject({ code: 'RUN', retry: [`bb@${B2}`] });
    expect(finishLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade bb@${B2}.`);
    expect(await at()).toEqual([[A2], [B1]]);
    expect((await p.run('upgrade', `bb@${B2}`)).code).toBe(0);
    expect(await at()).toEqual([[A2], [B2]]);
  });

  it(`${dialect}: upgrade head --concurrency 2: the same command again runs only what is left`, async () => {
    const out = await p.run('-x', 'fail=yes', 'upgrade', 'head', '--concurrency', '2');
    expect(out.code, out.stderr).toBe(0);
    expect((await p.run('downgrade', `bb@${B1}`)).code).toBe(0);
    const failed = await p.run('-x', 'fail=yes', 'upgrade', 'head', '--concurrency', '2');
    expect(failed.code, failed.stderr).toBe(1);
    expect(finishLine(failed.stderr)).toBe('Running the same command again, once what failed is fixed, runs only what is left.');
    expect(await at()).toEqual([[A3], [B1]]);
    expect((await p.run('upgrade', 'head', '--concurrency', '2')).code).toBe(0);
    expect(await at()).toEqual([[A3], [B3]]);
  });
}

describe('--concurrency with a bind failing part way, SQLite: how to finish the run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const url = (name: string) => `sqlite://${join(dir, `${name}.db`)}`;
  describe('tenants (a group each)', () => retryCases('sqlite', () => ({ t1: url('t1'), t2: url('t2'), t3: url('t3') })));
  describe('two binds linked by depends-on (one group)', () => linkedCases('sqlite', () => ({ aa: url('aa'), bb: url('bb') })));
});

describeWithServers('--concurrency with a bind failing part way, PostgreSQL: how to finish the run', ['postgres'], () => {
  const dbs = useDatabases('relative_retry', { t1: 'postgres', t2: 'postgres', t3: 'postgres', aa: 'postgres', bb: 'postgres' });
  describe('tenants (a group each)', () => retryCases('postgres', () => ({ t1: dbs.t1.url, t2: dbs.t2.url, t3: dbs.t3.url })));
  describe('two binds linked by depends-on (one group)', () => linkedCases('postgres', () => ({ aa: dbs.aa.url, bb: dbs.bb.url })));
});

describeWithServers('--concurrency with a bind failing part way, MariaDB: how to finish the run', ['mysql'], () => {
  const dbs = useDatabases('relative_retry', { t1: 'mysql', t2: 'mysql', t3: 'mysql', aa: 'mysql', bb: 'mysql' });
  describe('tenants (a group each)', () => retryCases('mysql', () => ({ t1: dbs.t1.url, t2: dbs.t2.url, t3: dbs.t3.url })));
  describe('two binds linked by depends-on (one group)', () => linkedCases('mysql', () => ({ aa: dbs.aa.url, bb: dbs.bb.url })));
});
