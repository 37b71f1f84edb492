// A run the TUI started that stopped part way: its summary says how to finish it, as `migrate
// upgrade`/`downgrade` do on their last line. It said so only for binds ctrl+c left (and for a
// partly applied revision): after a failed revision, a migration lock not acquired or a bind not
// reached, the summary named the failed bind and nothing else, so running the same targets again
// (the downgrade screen's `t2@-2`, an upgrade of `+2`) stepped again the binds that ran; and a bind
// never reached whose target follows one line of a forked branch (`fa@+1`), which the CLI tells to
// give its revision by hand, went unmentioned. The summary now reads each stopped part's error
// (core's `retry` and `retryByHand`): the commands that finish just what the run meant, what to
// give by hand, or that the same run again finishes it; the run screen shows that sentence whole
// on lines of its own at 40 columns (it cut the summary after four lines). Then: a downgrade that
// no command finishes says so (core's `relative` without `retry`); targets of which one counts
// revisions run as one part, so the advice covers the whole run; a tenant whose lock was held says
// why; the command names 20 targets, then how many more. Each case runs what the
// summary says and checks where every bind ends. Real SQLite files; three tenants of one branch,
// t3's file in a folder of its own (`.data/far`) that a test replaces by a file (t3 cannot be reached).
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createModuleLoader, loadEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import type { RunRequest, RunSession } from '../src/backend/tui-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { RunScreen } from '../src/screens/run/run-screen.js';
import { describeRun } from '../src/screens/run/run-summary.js';
import type { RunState } from '../src/screens/run/use-run-state.js';
import { eventually, lines, overflowing } from './support/ink.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const TENANTS = ['t1', 't2', 't3'] as const;
/** The narrowest the TUI draws (it takes at least 40 columns). */
const WIDTH = 40;

/** A project of three tenants sharing branch `tenant`, t3's SQLite file in the folder `.data/far`. */
function tenantProject(): SampleProject {
  const p = new SampleProject({});
  mkdirSync(join(p.dir, '.data', 'far'), { recursive: true });
  const url = (t: string) => `sqlite:${join(p.dir, '.data', `${t === 't3' ? 'far/t3' : t}.db`)}`;
  const binds = Object.fromEntries(TENANTS.map((t) => [t, { url: url(t), branch: 'tenant' }]));
  p.write('migrate.config.ts', `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: ${JSON.stringify(binds)} });\n`);
  return p;
}

/** Puts a file where t3's folder was, so t3 cannot be reached; the returned function puts it back. */
function hideT3(p: SampleProject): () => void {
  const far = join(p.dir, '.data', 'far');
  renameSync(far, `${far}.away`);
  writeFileSync(far, '');
  return () => {
    rmSync(far);
    renameSync(`${far}.away`, far);
  };
}

/** Where a tenant stands (its version table's rows, sorted; `[]` before its file exists). */
function versions(p: SampleProject, bind: string): string[] {
  return p.versions(bind === 't3' ? 'far/t3' : bind);
}

/**
 * Runs `request` on the TUI's run screen, 40 columns wide (the app's narrowest), over the
 * backend's session (on this thread), until it finishes.
 * @returns the last frame's lines and the run's final state.
 */
async function onScreen(backend: EnvironmentBackend, request: RunRequest, during?: (session: RunSession) => Promise<void>): Promise<{ frame: string[]; state: RunState }> {
  const session = await backend.startRun(request);
  const onFinished = vi.fn<(state: RunState) => void>();
  const screen = render(<RunScreen session={session} width={WIDTH} height={24} isActive onBack={vi.fn()} onFinished={onFinished} />);
  try {
    await during?.(session);
    const state = await eventually(() => {
      expect(onFinished).toHaveBeenCalledTimes(1);
      return onFinished.mock.calls[0]![0];
    }, 30_000);
    const frame = await eventually(() => {
      const f = lines(screen.lastFrame());
      expect(f[0]).toMatch(/^(Upgrade|Downgrade) · (finished|stopped)/);
      return f;
    });
    return { frame, state };
  } finally {
    screen.unmount();
  }
}

/**
 * The summary's sentence on how to finish the run, as the screen shows it: on lines of its own,
 * starting at the line that starts with `first`, whole (no `…`), none wider than the screen.
 */
function nextOnScreen(frame: readonly string[], first: string): string {
  const at = frame.findIndex((l) => l.startsWith(first));
  expect(at, frame.join('\n')).toBeGreaterThan(0);
  // The body ends before the notice and footer lines.
  const text = frame.slice(at, frame.length - 2).filter((l) => l !== '').join(' ');
  expect(text).not.toContain('…');
  expect(overflowing(frame, WIDTH)).toEqual([]);
  return text;
}

describe('a TUI run of tenants stopped part way: the summary says how to finish it, as the CLI does', () => {
  const [R1, R2, R3, R4] = ['5e5e5e5e5e01', '5e5e5e5e5e02', '5e5e5e5e5e03', '5e5e5e5e5e04'];
  const p = tenantProject();
  let backend: EnvironmentBackend;
  let failing: EnvironmentBackend;
  beforeAll(async () => {
    // R3 fails on t2, up and down, when asked to (-x fail=yes); with -x gate=yes, R4's downgrade
    // on t2 waits at a gate (a file the test creates).
    const fails = `if (op.bind === 't2' && op.xArgs.fail === 'yes') throw new Error('t2 refuses');`;
    const gate = `if (op.bind === 't2' && op.xArgs.gate === 'yes') { const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(join(p.dir, 'gate.started'))}, ''); while (!fs.existsSync(${JSON.stringify(join(p.dir, 'gate.go'))})) await new Promise((r) => setTimeout(r, 20)); }`;
    [R1, R2, R3, R4].forEach((revision, i) =>
      p.revision('tenant', {
        revision,
        downRevision: i === 0 ? null : [R1, R2, R3][i - 1]!,
        ...(i === 0 ? { branchLabels: ['tenant'] } : {}),
        upgrade: `${revision === R3 ? fails : ''} await op.createTable('r${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        downgrade: `${revision === R3 ? fails : ''}${revision === R4 ? gate : ''} await op.dropTable('r${i + 1}');`,
      }),
    );
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, lockTimeoutMs: 300 });
    failing = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, xArgs: { fail: 'yes' } });
  });
  afterAll(async () => {
    await backend.close();
    await failing.close();
    p.remove();
  });

  /** Runs `request` to its end off screen, and expects it to succeed. */
  const ok = async (request: RunRequest) => {
    const { state } = await onScreen(backend, request);
    expect(state.binds.filter((b) => b.phase === 'failed' || b.phase === 'stopped' || b.phase === 'interrupted').map((b) => b.error?.message ?? b.bind)).toEqual([]);
  };
  /** Every tenant at `target` (each downgraded to base first, one at a time: the TUI's downgrades name one bind). */
  const from = async (target: string) => {
    for (const t of TENANTS) await ok({ direction: 'down', target: `${t}@base` });
    if (target !== 'base') await ok({ direction: 'up', targets: [target] });
  };
  const at = () => TENANTS.map((t) => versions(p, t));

  it(`upgrade +2 from R1, t2 failing at R3 after its first step (the tenants going on past it, core's RunError): 'migrate upgrade t2@R3' (was: nothing; '+2' again takes t1 and t3 past R3)`, async () => {
    await from(R1);
    const { frame, state } = await onScreen(failing, { direction: 'up', targets: ['+2'] });
    const next = `Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`;
    expect(nextOnScreen(frame, 'Running the upgrade again')).toBe(next);
    expect(describeRun(state)).toMatch(new RegExp(`: t1, t3 upgraded \\(4 revisions\\); t2 failed at ${R3}, stays at ${R2}\\. ${escape(next)}$`));
    expect(at()).toEqual([[R3], [R2], [R3]]);
    await ok({ direction: 'up', targets: [`t2@${R3}`] });
    expect(at()).toEqual([[R3], [R3], [R3]]);
  });

  it(`the downgrade screen's t2@-2 from R4, failing at R3 after its first step back (core's MigrationError): 'migrate downgrade t2@R2' (was: nothing; t2@-2 again goes to R1)`, async () => {
    await from(R4);
    const { frame, state } = await onScreen(failing, { direction: 'down', target: 't2@-2' });
    const next = `Running the downgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate downgrade t2@${R2}.`;
    expect(nextOnScreen(frame, 'Running the downgrade again')).toBe(next);
    expect(describeRun(state)).toMatch(new RegExp(`: t2 failed at ${R3}, stays at ${R3}\\. ${escape(next)}$`));
    await ok({ direction: 'down', target: `t2@${R2}` });
    expect(at()).toEqual([[R4], [R2], [R4]]);
  });

  it(`upgrade +2 from R1, t2's migration lock held by another run: 'migrate upgrade t2@R3', and t2's line says its lock was held (was: 't2 not run' and nothing more)`, async () => {
    await from(R1);
    const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    let result: Awaited<ReturnType<typeof onScreen>>;
    try {
      const conn = await env.connection('t2');
      await conn.acquireLock({ name: 'multidb::multidb_version' });
      try {
        result = await onScreen(backend, { direction: 'up', targets: ['+2'] });
      } finally {
        await conn.releaseLock();
      }
    } finally {
      await env.close();
    }
    const next = `Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`;
    expect(nextOnScreen(result.frame, 'Running the upgrade again')).toBe(next);
    // The tenant whose lock was held: why, as the CLI's line for it says (the screen said only
    // 'not run: the run of its binds stopped', core's RunError.stopped unread).
    expect(result.frame.join(' ').replace(/\s+/g, ' ')).toMatch(
      new RegExp(`✘ t2 failed Timed out after \\d+ ms waiting for the migration lock on t2: another run holds it\\. 't2' stays at ${R1} \\(nothing ran on t2\\) ✔ t3`),
    );
    expect(describeRun(result.state)).toMatch(new RegExp(`: t1, t3 upgraded \\(4 revisions\\); t2 failed\\. ${escape(next)}$`));
    expect(at()).toEqual([[R3], [R1], [R3]]);
    await ok({ direction: 'up', targets: [`t2@${R3}`] });
    expect(at()).toEqual([[R3], [R3], [R3]]);
  });

  it(`upgrade +2 from R1, t3 not reachable: 'migrate upgrade t3@+2' (nothing was read there, so +2 from where it stands) (was: 't3 failed' and nothing more)`, async () => {
    await from(R1);
    const restore = hideT3(p);
    let result: Awaited<ReturnType<typeof onScreen>>;
    try {
      result = await onScreen(backend, { direction: 'up', targets: ['+2'] });
    } finally {
      restore();
    }
    const next = 'Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t3@+2.';
    expect(nextOnScreen(result.frame, 'Running the upgrade again')).toBe(next);
    expect(describeRun(result.state)).toMatch(new RegExp(`: t1, t2 upgraded \\(4 revisions\\); t3 failed\\. ${escape(next)}$`));
    expect(at()).toEqual([[R3], [R3], [R1]]);
    await ok({ direction: 'up', targets: ['t3@+2'] });
    expect(at()).toEqual([[R3], [R3], [R3]]);
  });

  it(`the backend's API, t1@+1 t2@+1 t3@+1 from R2 (a target per tenant), t2 failing at R3 at its first step: 'migrate upgrade t2@R3' (was: a part per target, and t2's part, which ran nothing, had the summary say that running the upgrade again runs only what is left: it takes t1 and t3 to R4)`, async () => {
    await from(R2);
    const targets = TENANTS.map((t) => `${t}@+1`);
    const { frame, state } = await onScreen(failing, { direction: 'up', targets });
    const next = `Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R3}.`;
    expect(nextOnScreen(frame, 'Running the upgrade again')).toBe(next);
    expect(describeRun(state)).toMatch(new RegExp(`: t1, t3 upgraded \\(2 revisions\\); t2 failed at ${R3}, stays at ${R2}\\. ${escape(next)}$`));
    expect(at()).toEqual([[R3], [R2], [R3]]);
    await ok({ direction: 'up', targets: [`t2@${R3}`] });
    expect(at()).toEqual([[R3], [R3], [R3]]);
  });

  it('absolute targets (the review screen\'s t1@head t2@head t3@head), t2 failing: running the upgrade again, once fixed, runs only what is left (was: nothing)', async () => {
    await from(R1);
    const { frame, state } = await onScreen(failing, { direction: 'up', targets: TENANTS.map((t) => `${t}@head`) });
    const next = 'Running the upgrade again, once what failed is fixed, runs only what is left.';
    expect(nextOnScreen(frame, 'Running the upgrade again')).toBe(next);
    expect(describeRun(state)).toMatch(new RegExp(`: t1, t3 upgraded \\(6 revisions\\); t2 failed at ${R3}, stays at ${R2}\\. ${escape(next)}$`));
    await ok({ direction: 'up', targets: TENANTS.map((t) => `${t}@head`) });
    expect(at()).toEqual([[R4], [R4], [R4]]);
  });

  it(`t1@+1 t2@head t3@+1 from R1, t2 failing at R3 after its first step: 'migrate upgrade t2@R4', as the CLI says (was: the upgrade again, which takes t1 and t3 a step further: each target ran as a part of its own, t2's knowing nothing of the others)`, async () => {
    await from(R1);
    const { frame, state } = await onScreen(failing, { direction: 'up', targets: ['t1@+1', 't2@head', 't3@+1'] });
    const next = `Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@${R4}.`;
    expect(nextOnScreen(frame, 'Running the upgrade again')).toBe(next);
    expect(describeRun(state)).toMatch(new RegExp(`: t1, t3 upgraded \\(2 revisions\\); t2 failed at ${R3}, stays at ${R2}\\. ${escape(next)}$`));
    expect(at()).toEqual([[R2], [R2], [R2]]);
    await ok({ direction: 'up', targets: [`t2@${R4}`] });
    expect(at()).toEqual([[R2], [R4], [R2]]);
  });

  it(`the downgrade screen's t2@-2 from R4, stopped by ctrl+c during its first step back: 'migrate downgrade t2@R2', whole on the narrow screen`, async () => {
    await from(R4);
    const gated = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, xArgs: { gate: 'yes' } });
    let result: Awaited<ReturnType<typeof onScreen>>;
    try {
      result = await onScreen(gated, { direction: 'down', target: 't2@-2' }, async (session) => {
        await eventually(() => expect(existsSync(join(p.dir, 'gate.started'))).toBe(true), 30_000);
        session.interrupt();
        writeFileSync(join(p.dir, 'gate.go'), '');
      });
    } finally {
      await gated.close();
    }
    const next = `Running the downgrade again would step again the binds that ran; to finish just what it meant, run instead: migrate downgrade t2@${R2}.`;
    expect(nextOnScreen(result.frame, 'Running the downgrade again')).toBe(next);
    expect(describeRun(result.state)).toMatch(new RegExp(`: t2 interrupted\\. ${escape(next)}$`));
    expect(at()).toEqual([[R4], [R3], [R4]]);
    await ok({ direction: 'down', target: `t2@${R2}` });
    expect(at()).toEqual([[R4], [R2], [R4]]);
  });
});

describe('a TUI run of tenants on a forked branch, one not reachable: the summary says what to give it by hand', () => {
  // F1 <- F2A (label fa) <- F3A; F1 <- F2B (label fb) <- F3B; every tenant at F2B.
  const [F1, F2A, F2B, F3A, F3B] = ['6a6a6a6a6a01', '6a6a6a6a6a2a', '6a6a6a6a6a2b', '6a6a6a6a6a3a', '6a6a6a6a6a3b'];
  const p = tenantProject();
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    const revisions: [string, string | null, string[], string][] = [
      [F1, null, ['tenant'], 'f1'],
      [F2A, F1, ['fa'], 'f2a'],
      [F2B, F1, ['fb'], 'f2b'],
      [F3A, F2A, [], 'f3a'],
      [F3B, F2B, [], 'f3b'],
    ];
    for (const [revision, downRevision, branchLabels, table] of revisions) {
      p.revision('tenant', { revision, downRevision, branchLabels, upgrade: `await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('${table}');` });
    }
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it("upgrade fa@+1 from F2B, t3 not reachable: no command is t3's (t3@+1 goes up the other fork); the summary says to give it by hand the revision fa@+1 leads it to (was: 't3 failed' and nothing more)", async () => {
    const { state: before } = await onScreen(backend, { direction: 'up', targets: TENANTS.map((t) => `${t}@${F2B}`) });
    expect(before.binds.map((b) => b.phase)).toEqual(['done', 'done', 'done']);
    const restore = hideT3(p);
    let result: Awaited<ReturnType<typeof onScreen>>;
    try {
      result = await onScreen(backend, { direction: 'up', targets: ['fa@+1'] });
    } finally {
      restore();
    }
    const next =
      "Running the upgrade again would step again the binds that ran; for t3 (nothing was read there), 'fa@+1' moves along the line of 'fa' on a forked branch, which no target says for one bind alone: " +
      "once it can be reached, upgrade it to the revision that 'fa@+1' leads it to from where it stands (migrate current t3 shows where; then migrate upgrade t3@<revision>).";
    expect(nextOnScreen(result.frame, 'Running the upgrade again')).toBe(next);
    expect(describeRun(result.state)).toMatch(new RegExp(`: t1, t2 upgraded \\(2 revisions\\); t3 failed\\. ${escape(next)}$`));
    expect(result.state.retryByHand).toEqual([{ bind: 't3', targets: ['fa@+1'] }]);
    // Reachable again: t3 stands at F2B; fa@+1 leads it to F2A (beside F2B), as it led t1 and t2.
    const { state } = await onScreen(backend, { direction: 'up', targets: [`t3@${F2A}`] });
    expect(state.binds.map((b) => b.phase)).toEqual(['done']);
    expect(TENANTS.map((t) => versions(p, t))).toEqual(TENANTS.map(() => [F2A, F2B]));
    expect(versions(p, 't3')).not.toContain(F3A);
    expect(versions(p, 't3')).not.toContain(F3B);
  });
});

describe('a TUI downgrade of one line of a branch with two heads, stopped part way: no command finishes it, as the CLI says', () => {
  // C1 <- C2 <- X1 (label xl) <- X2; C2 <- Y1. The bind at X2 and Y1; xl@-2 takes back X2 then
  // X1, leaving Y1. X1's downgrade fails with -x fail=yes; with -x gate=yes, X2's waits at a gate.
  // No 'db@<revision>' takes db just there (db@Y1 would leave X1): core's error gives no retry, as
  // for a run the same command again finishes, and the summary said that (running xl@-2 again
  // would take back X1 and what is under it); core's `relative` now tells the two apart.
  const [C1, C2, X1, X2, Y1] = ['7c7c7c7c7c01', '7c7c7c7c7c02', '7c7c7c7c7ca1', '7c7c7c7c7ca2', '7c7c7c7c7cb1'];
  const p = new SampleProject({ db: 'sqlite:.data/db.db' });
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    const fails = `if (op.xArgs.fail === 'yes') throw new Error('x1 refuses');`;
    const gate = `if (op.xArgs.gate === 'yes') { const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(join(p.dir, 'gate.started'))}, ''); while (!fs.existsSync(${JSON.stringify(join(p.dir, 'gate.go'))})) await new Promise((r) => setTimeout(r, 20)); }`;
    const revisions: [string, string | null, string[], string][] = [
      [C1, null, ['db'], 'c1'],
      [C2, C1, [], 'c2'],
      [X1, C2, ['xl'], 'x1'],
      [X2, X1, [], 'x2'],
      [Y1, C2, [], 'y1'],
    ];
    for (const [revision, downRevision, branchLabels, table] of revisions) {
      const before = revision === X1 ? fails : revision === X2 ? gate : '';
      p.revision('db', { revision, downRevision, branchLabels, upgrade: `await op.createTable('${table}', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `${before} await op.dropTable('${table}');` });
    }
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  const next =
    "Running the downgrade again would step again the binds that ran; no downgrade of each bind left to one of its revisions takes it just where the run meant (a revision of another line of its branch would stay applied): 'migrate current' shows where each stands.";
  const atHeads = async () => {
    const { state } = await onScreen(backend, { direction: 'up', targets: ['db@heads'] });
    expect(state.binds.map((b) => b.phase)).not.toContain('failed');
    expect(p.versions('db')).toEqual([X2, Y1]);
  };

  it("xl@-2 failing at X1 after X2 (core's MigrationError): running it again would step again; no command finishes it (was: 'runs only what is left')", async () => {
    await atHeads();
    const failing = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, xArgs: { fail: 'yes' } });
    let result: Awaited<ReturnType<typeof onScreen>>;
    try {
      result = await onScreen(failing, { direction: 'down', target: 'xl@-2' });
    } finally {
      await failing.close();
    }
    expect(nextOnScreen(result.frame, 'Running the downgrade again')).toBe(next);
    expect(describeRun(result.state)).toMatch(new RegExp(`: db failed at ${X1}, stays at ${X1} \\+1\\. ${escape(next)}$`));
    expect(result.state.relative).toEqual(['xl@-2']);
    expect(p.versions('db')).toEqual([X1, Y1]);
  });

  it("xl@-2 stopped by ctrl+c during X2's step back (core's InterruptedError): the same (was: 'Run the downgrade again to go on.')", async () => {
    await atHeads();
    const gated = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, xArgs: { gate: 'yes' } });
    let result: Awaited<ReturnType<typeof onScreen>>;
    try {
      result = await onScreen(gated, { direction: 'down', target: 'xl@-2' }, async (session) => {
        await eventually(() => expect(existsSync(join(p.dir, 'gate.started'))).toBe(true), 30_000);
        session.interrupt();
        writeFileSync(join(p.dir, 'gate.go'), '');
      });
    } finally {
      await gated.close();
    }
    expect(nextOnScreen(result.frame, 'Running the downgrade again')).toBe(next);
    expect(describeRun(result.state)).toMatch(new RegExp(`: db interrupted\\. ${escape(next)}$`));
    expect(p.versions('db')).toEqual([X1, Y1]);
  });
});

describe('a TUI run of 22 tenants that stopped with each of them short of a relative target: the command names 20 targets, then how many more, as the CLI does', () => {
  // R1 <- R2 (branch tenant); R2 fails on every tenant with -x fail=yes.
  const [R1, R2] = ['8d8d8d8d8d01', '8d8d8d8d8d02'];
  const tenants = Array.from({ length: 22 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const p = new SampleProject({});
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    p.tenantConfig(tenants);
    const fails = `if (op.xArgs.fail === 'yes') throw new Error(op.bind + ' refuses');`;
    p.revision('tenant', { revision: R1, downRevision: null, branchLabels: ['tenant'], upgrade: `await op.createTable('r1', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('r1');` });
    p.revision('tenant', { revision: R2, downRevision: R1, upgrade: `${fails} await op.createTable('r2', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('r2');` });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it(`upgrade +2 from base, every tenant failing at R2 after R1: 'migrate upgrade t01@R2 … t20@R2 (and 2 more)' (was: all 22 targets on the line printed when the TUI closes)`, async () => {
    const failing = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver, xArgs: { fail: 'yes' } });
    let state: RunState;
    try {
      ({ state } = await onScreen(failing, { direction: 'up', targets: ['+2'] }));
    } finally {
      await failing.close();
    }
    const next = `Running the upgrade again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade ${tenants
      .slice(0, 20)
      .map((t) => `${t}@${R2}`)
      .join(' ')} (and 2 more).`;
    expect(describeRun(state)).toMatch(new RegExp(`: t01 failed at ${R2}, stays at ${R1}; t02 failed at ${R2}, stays at ${R1}; t03 failed at ${R2}, stays at ${R1}; 19 more failed\\. ${escape(next)}$`));
    // The summary printed when the TUI closes names every one (nothing else shows the other 2).
    expect(describeRun(state, { allTargets: true })).toMatch(new RegExp(`run instead: migrate upgrade ${escape(tenants.map((t) => `${t}@${R2}`).join(' '))}\\.$`));
    // Every target is the run's still (RunState.retry), and they finish it.
    expect(state.retry).toEqual(tenants.map((t) => `${t}@${R2}`));
    expect(tenants.map((t) => p.versions(`tenants/${t}`))).toEqual(tenants.map(() => [R1]));
    const { state: after } = await onScreen(backend, { direction: 'up', targets: state.retry });
    expect(after.binds.filter((b) => b.phase !== 'done').map((b) => b.bind)).toEqual([]);
    expect(tenants.map((t) => p.versions(`tenants/${t}`))).toEqual(tenants.map(() => [R2]));
  });
});

/** `text` as a regular expression that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
