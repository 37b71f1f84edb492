// A run of tenants in which one tenant fails part way: how to finish it.
// For a target that counts revisions from where each tenant stands (`+2`, `tenant@-2`), running
// it again would step again the tenants that ran, and the error's example was `t2@+2`: from
// where t2 stopped (one step taken), that steps past what `+2` meant. The error now gives each
// tenant left the revision its plan led to (`migrate upgrade t2@<rev>`), which is exact, and for
// absolute targets (`head`) says that the same command again runs only what is left (it said
// nothing; and with `t1@+1 t2@head t3@+1` it gave `t2@+1` to t2, whose target was `head`).
// So it does, with relative targets, for a run without --concurrency (tenants one after the
// other) stopped by a failed revision, a held migration lock or a tenant it could not connect
// (it gave no hint: `+2` again stepped the tenants before it again), and for a run stopped by
// Ctrl-C or SIGTERM (it said "Run the same command again to go on", which does the same).
// Each case runs what the error says and checks where every tenant ends. On SQLite, PostgreSQL
// and MariaDB, each tenant a database of its own (PostgreSQL and MariaDB run only the cases whose
// outcome rests on the database: `onDialects`). A revision fails on t2 with `-x fail=yes`;
// `-x gate=t2@<rev>` holds that revision on t2 at a gate (a file the test creates) so a signal
// lands while it runs, without any timing.
// The runs are in this process (`main`), but for those stopped by a signal (`interrupted`) and
// those run while this process holds a migration lock (`whileHeld`): subprocesses, as they need.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorJson } from '@multidb/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMigrate, type LiveRun } from '../faults/faults-support.js';
import { whileHeld } from '../support/hold-lock.js';
import { runInProcess } from '../support/in-process.js';
import { revisionSource, TempProject, type RunOutput } from '../support/project.js';
import { describeWithServers, onDialects, useDatabases, versionsAt, type ServerKind } from '../support/servers.js';


const [R1, R2, R3, R4] = ['5e5e5e5e5e01', '5e5e5e5e5e02', '5e5e5e5e5e03', '5e5e5e5e5e04'];
const TENANTS = ['t1', 't2', 't3'] as const;
type Urls = Readonly<Record<(typeof TENANTS)[number], string>>;

/** The line before the ERROR lines that says how to finish the run. */
const finishLine = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('Running '));
/** The last line of an interrupted run: what to do next. */
const lastLine = (stderr: string) => stderr.trimEnd().split('\n').at(-1);
/** `migrate ARGS` in `p`, run in this process (`main`): no subprocess. */
const run = (p: TempProject, ...args: string[]) => runInProcess(p.dir, args);

/**
 * Code for a revision of `revision`: when `-x gate=<bind>@<revision>` (several, comma-separated)
 * names this bind and revision, it writes `gate-<bind>.started` in `dir` and waits until
 * `gate-<bind>.go` exists there.
 */
const gateCode = (dir: string, revision: string) =>
  `if ((op.xArgs.gate ?? '').split(',').includes(op.bind + '@${revision}')) { const fs = await import('node:fs'); const g = ${JSON.stringify(join(dir, 'gate-'))} + op.bind; fs.writeFileSync(g + '.started', ''); while (!fs.existsSync(g + '.go')) await new Promise((r) => setTimeout(r, 20)); }`;

/**
 * Starts `migrate ARGS` (a process of its own: the signal is sent to it); once every bind of `gated` has reached its gate (which stays shut), sends
 * `signal`, waits for the line saying the run stops after the revisions in progress, then opens
 * the gates: those revisions finish, none starts after them.
 */
async function interrupted(p: TempProject, gated: readonly string[], args: readonly string[], signal: 'SIGINT' | 'SIGTERM' = 'SIGINT'): Promise<RunOutput> {
  for (const b of gated) for (const end of ['started', 'go']) rmSync(join(p.dir, `gate-${b}.${end}`), { force: true });
  const live: LiveRun = startMigrate(p, args);
  for (const b of gated) {
    while (!p.exists(`gate-${b}.started`)) {
      if (live.exited) throw new Error(`migrate exited before gate-${b}:\n${live.stdout}\n${live.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  live.child.kill(signal);
  await live.waitForStderr(/Stopping/);
  for (const b of gated) p.write(`gate-${b}.go`, '');
  return live.done;
}


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
          upgrade: `${gateCode(p.dir, revision)} ${revision === R3 ? fails : ''} await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `${gateCode(p.dir, revision)} ${revision === R3 ? fails : ''} await op.dropTable('${table}');`,
        }),
      );
    });
  });
  afterAll(() => p.remove());
  const on = onDialects(dialect);

  const at = () => Promise.all(TENANTS.map((t) => versionsAt(urls()[t])));
  const to = async (target: string) => {
    const out = await run(p, 'downgrade', 'tenant@base', '--all-binds');
    expect(out.code, out.stderr).toBe(0);
    if (target !== 'base') expect((await run(p, 'upgrade', target)).code).toBe(0);
  };

  on('postgres', 'mysql')(`${dialect}: upgrade +2 from R1, t2 failing at R3 after its first step: the error gives t2@R3 (was t2@+2: R4); that command takes t2 to R3 and no further`, async () => {
    await to(R1);
    const out = await run(p, '-x', 'fail=yes', 'upgrade', '+2', '--concurrency', '3');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`);
    expect(await at()).toEqual([[R3], [R2], [R3]]);

    expect((await run(p, 'upgrade', `t2@${R3}`)).code).toBe(0);
    expect(await at()).toEqual([[R3], [R3], [R3]]);
  });

  on()(`${dialect}: upgrade +3 from base, t2 failing at R3 after two of its steps: --json's retry and the line give t2@R3 (was t2@+3: R4 and beyond)`, async () => {
    await to('base');
    const json = await run(p, '-x', 'fail=yes', 'upgrade', '+3', '--concurrency', '3', '--json');
    expect(json.code, json.stderr).toBe(1);
    const { error } = JSON.parse(json.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'RUN', retry: [`t2@${R3}`] });
    expect(error.message).toContain(`run instead: migrate upgrade t2@${R3}.`);
    expect(finishLine(json.stderr)).toBe(`Running '+3' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`);
    expect(await at()).toEqual([[R3], [R2], [R3]]);
    expect((await run(p, 'upgrade', ...error.retry!)).code).toBe(0);
    expect(await at()).toEqual([[R3], [R3], [R3]]);
  });

  on()(`${dialect}: upgrade head (absolute): the same command again runs only what is left; no retry in --json`, async () => {
    await to('base');
    const out = await run(p, '-x', 'fail=yes', 'upgrade', 'head', '--concurrency', '3', '--json');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBe('Running the same command again, once what failed is fixed, runs only what is left.');
    expect((JSON.parse(out.stdout) as ErrorJson).error).not.toHaveProperty('retry');
    expect(await at()).toEqual([[R4], [R2], [R4]]);
    expect((await run(p, 'upgrade', 'head', '--concurrency', '3')).code).toBe(0);
    expect(await at()).toEqual([[R4], [R4], [R4]]);
  });

  on()(`${dialect}: t1@+1 t2@head t3@+1: t2's own target was head, so it is given the head (was t2@+1)`, async () => {
    await to(R1);
    const out = await run(p, '-x', 'fail=yes', 'upgrade', 't1@+1', 't2@head', 't3@+1', '--concurrency', '3');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBe(`Running 't1@+1' 't3@+1' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R4}.`);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  on('mysql')(`${dialect}: downgrade tenant@-2 --all-binds from R4, t2 failing at R3 after its first step back: one downgrade per bind left, t2@R2 (was t2@-2: R1)`, async () => {
    await to(R4);
    const out = await run(p, '-x', 'fail=yes', 'downgrade', 'tenant@-2', '--all-binds', '--concurrency', '3', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error.retry).toEqual([`t2@${R2}`]);
    expect(error).not.toHaveProperty('retryByHand');
    expect(finishLine(out.stderr)).toBe(`Running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate downgrade t2@${R2}.`);
    expect(await at()).toEqual([[R2], [R3], [R2]]);
    const again = await run(p, 'downgrade', `t2@${R2}`);
    expect(again.code, again.stderr).toBe(0);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  // Without --concurrency: the tenants one after the other, the run stopping at the first failure.

  on()(`${dialect}: upgrade +2 from R1 without --concurrency, t2 failing at R3 after its first step: t2@R3 t3@R3 (t3 not run; '+2' again would take t1 past R3); exit 1`, async () => {
    await to(R1);
    const out = await run(p, '-x', 'fail=yes', 'upgrade', '+2', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'MIGRATION', bind: 't2', notRun: ['t3'], retry: [`t2@${R3}`, `t3@${R3}`] });
    expect(error.message).toContain(`run instead: migrate upgrade t2@${R3} t3@${R3}.`);
    const lines = out.stderr.trimEnd().split('\n');
    // The line, then the ERROR line (which no longer repeats it), as a run with --concurrency prints them.
    expect(lines.at(-2)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3} t3@${R3}.`);
    expect(lines.at(-1)).toMatch(new RegExp(`^ERROR: \\[t2\\] revision ${R3} failed: t2 refuses; file: [^;]*; [^;]*; 't2' stays at ${R2}\\. not run \\(the run stopped here\\): t3; '--concurrency N' goes on past a failing bind\\.$`));
    expect(await at()).toEqual([[R3], [R2], [R1]]);
    expect((await run(p, 'upgrade', ...error.retry!)).code).toBe(0);
    expect(await at()).toEqual([[R3], [R3], [R3]]);
  });

  on()(`${dialect}: upgrade head without --concurrency: no such line, no retry (the same command again finishes it)`, async () => {
    await to(R1);
    const out = await run(p, '-x', 'fail=yes', 'upgrade', 'head', '--json');
    expect(out.code, out.stderr).toBe(1);
    expect(finishLine(out.stderr)).toBeUndefined();
    expect((JSON.parse(out.stdout) as ErrorJson).error).not.toHaveProperty('retry');
    expect(await at()).toEqual([[R4], [R2], [R1]]);
  });

  on()(`${dialect}: downgrade tenant@-2 --all-binds from R4 without --concurrency, t2 failing at R3 after its first step back: one downgrade per bind left, t2@R2 and t3@R2`, async () => {
    await to(R4);
    const out = await run(p, '-x', 'fail=yes', 'downgrade', 'tenant@-2', '--all-binds', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'MIGRATION', direction: 'down', retry: [`t2@${R2}`, `t3@${R2}`] });
    expect(finishLine(out.stderr)).toBe(
      `Running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate downgrade t2@${R2}; migrate downgrade t3@${R2}.`,
    );
    expect(await at()).toEqual([[R2], [R3], [R4]]);
    for (const target of error.retry!) expect((await run(p, 'downgrade', target)).code).toBe(0);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  on('postgres', 'mysql')(`${dialect}: upgrade +2 from R1 without --concurrency, t2's migration lock held: t2@R3 t3@R3 (t1 ran); exit 3 still`, async () => {
    await to(R1);
    const out = await whileHeld(p, 't2', 'upgrade', '+2', '--lock-timeout', '1', '--json');
    expect(out.code, out.stderr).toBe(3);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 't2', notRun: ['t3'], retry: [`t2@${R3}`, `t3@${R3}`] });
    expect(finishLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3} t3@${R3}.`);
    // On a server, the message names the session holding the lock (this process's): lock-holder.test.ts.
    const held = dialect === 'sqlite' ? '' : ' \\((?:pid|connection) \\d+: [^)]+\\)';
    expect(out.stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^ERROR: Timed out after \\d+ s waiting for the migration lock on t2: another run holds it${held}\\. Nothing ran on t2; completed before it: 2 revisions on t1; not run`));
    expect(await at()).toEqual([[R3], [R1], [R1]]);
    expect((await run(p, 'upgrade', ...error.retry!)).code).toBe(0);
    expect(await at()).toEqual([[R3], [R3], [R3]]);
  });

  // Stopped by a signal: the revisions in progress finish, none starts after them.

  on('postgres', 'mysql')(`${dialect}: upgrade +2 from base without --concurrency, Ctrl-C during t2's first step: t2@R2 t3@R2 (was: run the same command again, which takes t1 to R4); exit 130`, async () => {
    await to('base');
    const out = await interrupted(p, ['t2'], ['-x', `gate=t2@${R1}`, 'upgrade', '+2']);
    expect(out.code, out.stderr).toBe(130);
    expect(lastLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, run instead: migrate upgrade t2@${R2} t3@${R2}.`);
    expect(await at()).toEqual([[R2], [R1], []]);
    expect((await run(p, 'upgrade', `t2@${R2}`, `t3@${R2}`)).code).toBe(0);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  on('postgres', 'mysql')(`${dialect}: upgrade +2 from base --concurrency 3, SIGTERM while every tenant runs its first step: --json's retry gives each R2; exit 143`, async () => {
    await to('base');
    const gate = `gate=${TENANTS.map((t) => `${t}@${R1}`).join(',')}`;
    const out = await interrupted(p, TENANTS, ['-x', gate, 'upgrade', '+2', '--concurrency', '3', '--json'], 'SIGTERM');
    expect(out.code, out.stderr).toBe(143);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'INTERRUPTED', retry: [`t1@${R2}`, `t2@${R2}`, `t3@${R2}`] });
    expect(error.message).toContain(`run instead: migrate upgrade t1@${R2} t2@${R2} t3@${R2}.`);
    expect(lastLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, run instead: migrate upgrade t1@${R2} t2@${R2} t3@${R2}.`);
    expect(await at()).toEqual([[R1], [R1], [R1]]);
    // Without the -x: on MariaDB the run recorded each tenant's R2 header ahead, and nothing of R2 was sent.
    const again = await run(p, 'upgrade', ...error.retry!);
    expect(again.code, again.stderr).toBe(0);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  on('postgres', 'mysql')(`${dialect}: upgrade head --concurrency 3, Ctrl-C while every tenant runs its first step: R2 was not started, so neither a downgrade nor the same command without the -x is refused`, async () => {
    await to('base');
    const gate = `gate=${TENANTS.map((t) => `${t}@${R1}`).join(',')}`;
    const out = await interrupted(p, TENANTS, ['-x', gate, 'upgrade', 'head', '--concurrency', '3']);
    expect(out.code, out.stderr).toBe(130);
    expect(lastLine(out.stderr)).toBe('Run the same command again to go on.');
    expect(await at()).toEqual([[R1], [R1], [R1]]);
    // On MariaDB each tenant's R2 header was recorded ahead (by R1's version write); nothing of R2
    // was sent, so nothing is in flight (it said "its first write (possibly sent …)", and refused both below).
    const current = await run(p, 'current');
    expect(current.stdout.trimEnd().split('\n')).toEqual(TENANTS.map((t) => `[${t}] ${R1}`));
    const down = await run(p, 'downgrade', 't1@base');
    expect(down.code, down.stderr).toBe(0);
    const again = await run(p, 'upgrade', 'head', '--concurrency', '3');
    expect(again.code, again.stderr).toBe(0);
    expect(await at()).toEqual([[R4], [R4], [R4]]);
  });

  on()(`${dialect}: upgrade t2@+2 (one bind), Ctrl-C during its first step: t2@R2`, async () => {
    await to('base');
    const out = await interrupted(p, ['t2'], ['-x', `gate=t2@${R1}`, 'upgrade', 't2@+2', '--json']);
    expect(out.code, out.stderr).toBe(130);
    expect((JSON.parse(out.stdout) as ErrorJson).error).toMatchObject({ code: 'INTERRUPTED', retry: [`t2@${R2}`] });
    expect(lastLine(out.stderr)).toBe(`Running 't2@+2' again would step again the binds that ran; to finish just what it meant, run instead: migrate upgrade t2@${R2}.`);
    expect((await run(p, 'upgrade', `t2@${R2}`)).code).toBe(0);
    expect(await at()).toEqual([[], [R2], []]);
  });

  on()(`${dialect}: downgrade tenant@-2 --all-binds from R4 without --concurrency, Ctrl-C during t2's first step back: one downgrade per bind left`, async () => {
    await to(R4);
    const out = await interrupted(p, ['t2'], ['-x', `gate=t2@${R4}`, 'downgrade', 'tenant@-2', '--all-binds']);
    expect(out.code, out.stderr).toBe(130);
    expect(lastLine(out.stderr)).toBe(`Running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, run instead: migrate downgrade t2@${R2}; migrate downgrade t3@${R2}.`);
    expect(await at()).toEqual([[R2], [R3], [R4]]);
    for (const target of [`t2@${R2}`, `t3@${R2}`]) expect((await run(p, 'downgrade', target)).code).toBe(0);
    expect(await at()).toEqual([[R2], [R2], [R2]]);
  });

  on()(`${dialect}: upgrade head (absolute), Ctrl-C: the same command again goes on, as it said; no retry`, async () => {
    await to('base');
    const out = await interrupted(p, ['t2'], ['-x', `gate=t2@${R1}`, 'upgrade', 'head', '--json']);
    expect(out.code, out.stderr).toBe(130);
    expect(lastLine(out.stderr)).toBe('Run the same command again to go on.');
    expect((JSON.parse(out.stdout) as ErrorJson).error).not.toHaveProperty('retry');
    expect((await run(p, 'upgrade', 'head')).code).toBe(0);
    expect(await at()).toEqual([[R4], [R4], [R4]]);
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
  const on = onDialects(dialect);
  const at = () => Promise.all([versionsAt(urls().aa), versionsAt(urls().bb)]);

  on('postgres', 'mysql')(`${dialect}: upgrade +2 --concurrency 2, bb failing at its second step: the line gives bb@B2; that command finishes it`, async () => {
    const out = await run(p, '-x', 'fail=yes', 'upgrade', '+2', '--concurrency', '2', '--json');
    expect(out.code, out.stderr).toBe(1);
    expect((JSON.parse(out.stdout) as ErrorJson).error).toMatchObject({ code: 'RUN', retry: [`bb@${B2}`] });
    expect(finishLine(out.stderr)).toBe(`Running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade bb@${B2}.`);
    expect(await at()).toEqual([[A2], [B1]]);
    expect((await run(p, 'upgrade', `bb@${B2}`)).code).toBe(0);
    expect(await at()).toEqual([[A2], [B2]]);
  });

  on()(`${dialect}: upgrade head --concurrency 2: the same command again runs only what is left`, async () => {
    const out = await run(p, '-x', 'fail=yes', 'upgrade', 'head', '--concurrency', '2');
    expect(out.code, out.stderr).toBe(0);
    expect((await run(p, 'downgrade', `bb@${B1}`)).code).toBe(0);
    const failed = await run(p, '-x', 'fail=yes', 'upgrade', 'head', '--concurrency', '2');
    expect(failed.code, failed.stderr).toBe(1);
    expect(finishLine(failed.stderr)).toBe('Running the same command again, once what failed is fixed, runs only what is left.');
    expect(await at()).toEqual([[A3], [B1]]);
    expect((await run(p, 'upgrade', 'head', '--concurrency', '2')).code).toBe(0);
    expect(await at()).toEqual([[A3], [B3]]);
  });
}

/**
 * 17 SQLite tenants (more than 16: each connected at its turn), t17's file in a folder of its own.
 * With `-x hide=<folder>`, t01's second revision puts a file where that folder was: when t17's
 * turn comes, it cannot be connected (UnreachableBindsError, at its group's turn). Its message
 * said what t01..t16 completed and nothing of `+1` again, which would take them a revision further.
 */
function unreachableCase(): void {
  const [U1, U2, U3] = ['5f5f5f5f5f01', '5f5f5f5f5f02', '5f5f5f5f5f03'];
  const tenants = Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  let p: TempProject;
  let folder: string;
  const url = (t: string) => `sqlite://${t === 't17' ? join(folder, 't17.db') : join(p.dir, '.data', `${t}.db`)}`;
  beforeAll(() => {
    p = new TempProject([], { config: 'export default {};\n' });
    folder = join(p.dir, 'hidden-later');
    mkdirSync(folder);
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: ${JSON.stringify(Object.fromEntries(tenants.map((t) => [t, { url: url(t), branch: 'tenant' }])))} });\n`,
    );
    const hide = `if (op.bind === 't01' && op.xArgs.hide) { const fs = await import('node:fs'); fs.renameSync(op.xArgs.hide, op.xArgs.hide + '.away'); fs.writeFileSync(op.xArgs.hide, ''); }`;
    [U1, U2, U3].forEach((revision, i) =>
      p.write(
        `migrations/versions/tenant/${revision}_u${i + 1}.ts`,
        revisionSource({
          revision,
          downRevision: i === 0 ? null : [U1, U2][i - 1]!,
          ...(i === 0 ? { branchLabels: ['tenant'] } : {}),
          upgrade: `${revision === U2 ? hide : ''} await op.createTable('u${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable('u${i + 1}');`,
        }),
      ),
    );
  });
  afterAll(() => p.remove());

  it('sqlite: upgrade +1 from U1 without --concurrency, t17 unreachable at its turn after t01..t16 ran: t17@U2 (the line and --json); exit 1', async () => {
    expect((await run(p, 'upgrade', U1)).code).toBe(0);
    const out = await run(p, '-x', `hide=${folder}`, 'upgrade', '+1', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ bind: 't17', retry: [`t17@${U2}`] });
    expect(error.steps).toHaveLength(16);
    expect(finishLine(out.stderr)).toBe(`Running '+1' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t17@${U2}.`);
    expect(out.stderr.trimEnd().split('\n').at(-1)).toMatch(/^ERROR: \[t17\] cannot /);
    // Reachable again: the command given takes t17 where '+1' meant, and no tenant further.
    rmSync(folder);
    renameSync(`${folder}.away`, folder);
    expect(existsSync(join(folder, 't17.db'))).toBe(true);
    expect((await run(p, 'upgrade', ...error.retry!)).code).toBe(0);
    expect(await Promise.all(tenants.map((t) => versionsAt(url(t))))).toEqual(tenants.map(() => [U2]));
  });
}

/**
 * Three SQLite tenants on a branch that forks into two labelled lines: F1 <- F2A (label fa) <- F3A,
 * F1 <- F2B (label fb) <- F3B; each tenant at F2B. t3's file is in a folder of its own, which the
 * test replaces by a file: t3 cannot be reached. `fa@+1` takes t1 and t2 up the line of fa (to
 * F2A, beside F2B); for t3 the error gave `migrate upgrade t3@+1`, which takes t3 from F2B up its
 * own fork (to F3B): not what `fa@+1` meant, and no target says that for one bind.
 */
function forkedCase(): void {
  const [F1, F2A, F2B, F3A, F3B] = ['6a6a6a6a6a01', '6a6a6a6a6a2a', '6a6a6a6a6a2b', '6a6a6a6a6a3a', '6a6a6a6a6a3b'];
  let p: TempProject;
  let folder: string;
  const url = (t: string) => `sqlite://${t === 't3' ? join(folder, 't3.db') : join(p.dir, '.data', `${t}.db`)}`;
  beforeAll(() => {
    p = new TempProject([], { config: 'export default {};\n' });
    folder = join(p.dir, 'far');
    mkdirSync(folder);
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: ${JSON.stringify(Object.fromEntries(TENANTS.map((t) => [t, { url: url(t), branch: 'tenant' }])))} });\n`,
    );
    const revisions: [string, string | null, string[], string][] = [
      [F1, null, ['tenant'], 'f1'],
      [F2A, F1, ['fa'], 'f2a'],
      [F2B, F1, ['fb'], 'f2b'],
      [F3A, F2A, [], 'f3a'],
      [F3B, F2B, [], 'f3b'],
    ];
    for (const [revision, down, branchLabels, table] of revisions) {
      p.write(
        `migrations/versions/tenant/${revision}_${table}.ts`,
        revisionSource({
          revision,
          downRevision: down,
          ...(branchLabels.length ? { branchLabels } : {}),
          upgrade: `await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable('${table}');`,
        }),
      );
    }
  });
  afterAll(() => p.remove());

  it("sqlite: upgrade fa@+1 --concurrency 2 from F2B, t3 unreachable: no target for t3 (it was t3@+1, up the other fork); the line says to give it by hand the revision fa@+1 leads it to", async () => {
    expect((await run(p, 'upgrade', ...TENANTS.map((t) => `${t}@${F2B}`))).code).toBe(0);
    renameSync(folder, `${folder}.away`);
    p.write('far', '');
    const out = await run(p, 'upgrade', 'fa@+1', '--concurrency', '2', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'RUN', failures: [expect.objectContaining({ bind: 't3' })] });
    expect(error).not.toHaveProperty('retry');
    // No target of `retry` is t3's: the JSON says to give it by hand, with the targets that concern it.
    expect(error.retryByHand).toEqual([{ bind: 't3', targets: ['fa@+1'] }]);
    expect(error.failures?.[0]).not.toHaveProperty('retryByHand');
    expect(finishLine(out.stderr)).toBe(
      "Running 'fa@+1' again would step again the binds that ran; for t3 (nothing was read there), 'fa@+1' moves along the line of 'fa' on a forked branch, which no target says for one bind alone: " +
        'once it can be reached, upgrade it to the revision that \'fa@+1\' leads it to from where it stands (migrate current t3 shows where; then migrate upgrade t3@<revision>).',
    );
    expect(await Promise.all(['t1', 't2'].map((t) => versionsAt(url(t))))).toEqual([[F2A, F2B].sort(), [F2A, F2B].sort()]);

    // Reachable again: t3 stands at F2B; fa@+1 leads it to F2A (beside F2B), as it led t1 and t2.
    rmSync(join(p.dir, 'far'));
    renameSync(`${folder}.away`, folder);
    expect((await run(p, 'current')).stdout).toContain(`[t3] ${F2B}`);
    expect((await run(p, 'upgrade', `t3@${F2A}`)).code).toBe(0);
    expect(await Promise.all(TENANTS.map((t) => versionsAt(url(t))))).toEqual(TENANTS.map(() => [F2A, F2B].sort()));
    expect(await versionsAt(url('t3'))).not.toContain(F3B);
  });
}

/**
 * One SQLite bind whose branch forks into two lines from C2: X1 (label xl) <- X2, and Y1; the bind
 * at both heads (X2, Y1). `downgrade xl@-2` takes back X2 then X1, leaving Y1; X1's downgrade fails
 * with `-x fail=yes`. No `db@<revision>` takes the bind just there (`db@Y1` would leave X1), so the
 * error gives no command: its `retry` was `[]` as for a run the same command again finishes, and
 * nothing in --json told the two apart (only RunError had `relative`); its line was part of the
 * ERROR line, where the other runs print it on a line of its own.
 */
function linesCase(): void {
  const [C1, C2, X1, X2, Y1] = ['7c7c7c7c7c01', '7c7c7c7c7c02', '7c7c7c7c7ca1', '7c7c7c7c7ca2', '7c7c7c7c7cb1'];
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], {
      config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { db: { url: 'sqlite:.data/db.db' } } });\n`,
    });
    const fails = `if (op.xArgs.fail === 'yes') throw new Error('x1 refuses');`;
    const revisions: [string, string | null, string[], string][] = [
      [C1, null, ['db'], 'c1'],
      [C2, C1, [], 'c2'],
      [X1, C2, ['xl'], 'x1'],
      [X2, X1, [], 'x2'],
      [Y1, C2, [], 'y1'],
    ];
    for (const [revision, down, branchLabels, table] of revisions) {
      p.write(
        `migrations/versions/db/${revision}_${table}.ts`,
        revisionSource({
          revision,
          downRevision: down,
          ...(branchLabels.length ? { branchLabels } : {}),
          upgrade: `await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `${revision === X1 ? fails : ''} await op.dropTable('${table}');`,
        }),
      );
    }
  });
  afterAll(() => p.remove());

  it("sqlite: downgrade xl@-2 from X2 and Y1, failing at X1 after X2: --json's relative says that running it again steps again (no retry: no command finishes it), on a line of its own before the ERROR line", async () => {
    const up = await run(p, 'upgrade', 'heads');
    expect(up.code, up.stderr).toBe(0);
    const out = await run(p, '-x', 'fail=yes', 'downgrade', 'xl@-2', '--json');
    expect(out.code, out.stderr).toBe(1);
    const { error } = JSON.parse(out.stdout) as ErrorJson;
    expect(error).toMatchObject({ code: 'MIGRATION', bind: 'db', revision: X1, relative: ['xl@-2'] });
    expect(error).not.toHaveProperty('retry');
    expect(error).not.toHaveProperty('retryByHand');
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines.at(-2)).toBe(
      "Running 'xl@-2' again would step again the binds that ran; no downgrade of each bind left to one of its revisions takes it just where the run meant (a revision of another line of its branch would stay applied): 'migrate current' shows where each stands.",
    );
    expect(lines.at(-1)).toMatch(new RegExp(`^ERROR: \\[db\\] revision ${X1} failed: x1 refuses; `));
    expect(lines.at(-1)).not.toContain('again');
    expect((await run(p, 'current')).stdout.trimEnd().split('\n').sort()).toEqual([`[db] ${X1}`, `[db] ${Y1} (head)`].sort());
  });
}

describe('a run stopped part way (a failure, a signal), SQLite: how to finish it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const url = (name: string) => `sqlite://${join(dir, `${name}.db`)}`;
  describe('tenants (a group each)', () => retryCases('sqlite', () => ({ t1: url('t1'), t2: url('t2'), t3: url('t3') })));
  describe('two binds linked by depends-on (one group)', () => linkedCases('sqlite', () => ({ aa: url('aa'), bb: url('bb') })));
  describe('17 tenants, one unreachable at its turn', () => unreachableCase());
  describe('tenants on a forked branch, one unreachable', () => forkedCase());
  describe('one bind on a branch of two lines, a downgrade of one', () => linesCase());
});

describeWithServers('a run stopped part way (a failure, a signal), PostgreSQL: how to finish it', ['postgres'], () => {
  const dbs = useDatabases('relative_retry', { t1: 'postgres', t2: 'postgres', t3: 'postgres', aa: 'postgres', bb: 'postgres' });
  describe('tenants (a group each)', () => retryCases('postgres', () => ({ t1: dbs.t1.url, t2: dbs.t2.url, t3: dbs.t3.url })));
  describe('two binds linked by depends-on (one group)', () => linkedCases('postgres', () => ({ aa: dbs.aa.url, bb: dbs.bb.url })));
});

describeWithServers('a run stopped part way (a failure, a signal), MariaDB: how to finish it', ['mysql'], () => {
  const dbs = useDatabases('relative_retry', { t1: 'mysql', t2: 'mysql', t3: 'mysql', aa: 'mysql', bb: 'mysql' });
  describe('tenants (a group each)', () => retryCases('mysql', () => ({ t1: dbs.t1.url, t2: dbs.t2.url, t3: dbs.t3.url })));
  describe('two binds linked by depends-on (one group)', () => linkedCases('mysql', () => ({ aa: dbs.aa.url, bb: dbs.bb.url })));
});
