// Core's command API with an AbortSignal (RunOptions.signal, StampRunOptions.signal), as custom
// tooling cancels a run from its own code: once aborted, the revision in progress finishes, no
// revision (nor group of binds, nor lock wait, nor stamp of a further bind) starts, and the run
// rejects with an InterruptedError saying what completed, what is left and where each bind stands;
// the version tables agree, and running again goes on. The signal is aborted from the run's own
// events (a step-start, a lock-wait, a stamp), so where it lands is exact. Real databases: SQLite
// files, and the PostgreSQL and MariaDB servers (their COMMIT pipelined with the next revision,
// their version write held for the next revision's first write: both settled before the run stops).
import {
  commands,
  createModuleLoader,
  InterruptedError,
  loadEnvironment,
  MigrationError,
  RunError,
  type MigrationEnvironment,
  type RunEvent,
} from '@multidb/core';
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, tablesAt, useDatabases, versionsAt, type ServerKind } from '../support/servers.js';
import { closed, settledWithin, silentServer, type SilentServer } from '../support/silent-server.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
const R = ['ab0000000001', 'ab0000000002', 'ab0000000003'] as const;

/**
 * A project of the given binds (name → URL, branch, and `connectTimeout` in seconds), each branch
 * with revisions r1..r3 creating t1..t3.
 */
function project(binds: Record<string, { url: string; branch?: string; connectTimeout?: number }>, extra = ''): TempProject {
  const entries = Object.entries(binds).map(
    ([b, c]) => `    ${b}: { url: ${JSON.stringify(c.url)}${c.branch ? `, branch: '${c.branch}'` : ''}${c.connectTimeout ? `, connectTimeout: ${c.connectTimeout}` : ''} },\n`,
  );
  const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  ${extra}binds: {\n${entries.join('')}  },\n});\n` });
  const branches = new Set(Object.entries(binds).map(([b, c]) => c.branch ?? b));
  for (const branch of branches) {
    R.forEach((id, i) => {
      const rev = branch === [...branches][0] ? id : `${branch.slice(0, 4).padEnd(4, 'x')}0000000${i + 1}`;
      const down = i === 0 ? null : branch === [...branches][0] ? R[i - 1]! : `${branch.slice(0, 4).padEnd(4, 'x')}0000000${i}`;
      p.write(
        `migrations/versions/${branch}/${rev}_t${i + 1}.ts`,
        revisionSource({
          revision: rev,
          downRevision: down,
          ...(i === 0 ? { branchLabels: [branch] } : {}),
          upgrade: `await op.createTable('t${i + 1}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
          downgrade: `await op.dropTable('t${i + 1}');`,
        }),
      );
    });
  }
  return p;
}

const open: { env?: MigrationEnvironment; p?: TempProject }[] = [];
async function environment(p: TempProject): Promise<MigrationEnvironment> {
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
  open.push({ env, p });
  return env;
}
afterEach(async () => {
  for (const { env, p } of open.splice(0)) {
    await env?.close();
    p?.remove();
  }
});

/** Runs `fn`, expecting it to reject with an InterruptedError, and returns that error. */
async function interrupted(fn: () => Promise<unknown>): Promise<InterruptedError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InterruptedError);
  expect((error as InterruptedError).code).toBe('INTERRUPTED');
  return error as InterruptedError;
}

/** Aborts `controller` (reason 'test') when `when` first matches an event; the events are kept. */
function abortOn(controller: AbortController, when: (e: RunEvent) => boolean): { onEvent: (e: RunEvent) => void; events: RunEvent[] } {
  const events: RunEvent[] = [];
  return {
    events,
    onEvent: (e) => {
      events.push(e);
      if (!controller.signal.aborted && when(e)) controller.abort('test');
    },
  };
}

const steps = (e: InterruptedError) => e.completed.map((s) => `${s.bind} ${s.revision} ${s.direction}`);

function oneBindSuite(kind: 'sqlite' | ServerKind, url: () => string): void {
  it('aborted as revision 2 starts: it finishes, revision 3 does not start; InterruptedError; a re-run goes on', async () => {
    const p = project({ app: { url: url() } });
    const env = await environment(p);
    const controller = new AbortController();
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'step-start' && e.revision === R[1]);
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal, onEvent }));
    expect(error.reason).toBe('test');
    expect(steps(error)).toEqual([`app ${R[0]} up`, `app ${R[1]} up`]);
    expect(error.pending).toEqual([{ bind: 'app', revision: R[2] }]);
    expect([...error.heads]).toEqual([['app', [R[1]]]]);
    expect(error.notStarted).toEqual([]);
    expect(error.message).toBe(`Interrupted: stopped after 2 revisions; not run: [app] ${R[2]}. Every bind is at a revision its version table records; run the same command again to go on.`);
    expect(events.filter((e) => e.type === 'step-start').map((e) => (e as { revision: string }).revision)).toEqual([R[0], R[1]]);
    expect(events.filter((e) => e.type === 'step-done').map((e) => (e as { revision: string }).revision)).toEqual([R[0], R[1]]);
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false });
    // As an app logs it: JSON.stringify writes where each bind stands (a Map) and the message.
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'InterruptedError', code: 'INTERRUPTED', message: error.message, reason: 'test', heads: { app: [R[1]] }, pending: [{ bind: 'app', revision: R[2] }] });
    await env.close();
    const opts = { baseDir: p.dir };
    expect(await versionsAt(url(), opts)).toEqual([R[1]]);
    expect((await tablesAt(url(), opts)).filter((t) => /^t\d$/.test(t)).sort()).toEqual(['t1', 't2']);
    if (kind === 'mysql') expect(await env.inFlight(['app'])).toEqual(new Map()); // nothing left in flight

    const again = await commands.upgrade(env, []);
    expect(again.steps.map((s) => s.revision)).toEqual([R[2]]);
    expect(await versionsAt(url(), opts)).toEqual([R[2]]);

    // A downgrade the same way.
    const down = new AbortController();
    const d = abortOn(down, (e) => e.type === 'step-start' && e.revision === R[1]);
    const stopped = await interrupted(() => commands.downgrade(env, 'app@base', { signal: down.signal, onEvent: d.onEvent }));
    expect(steps(stopped)).toEqual([`app ${R[2]} down`, `app ${R[1]} down`]);
    expect(stopped.pending).toEqual([{ bind: 'app', revision: R[0] }]);
    expect([...stopped.heads]).toEqual([['app', [R[0]]]]);
    await env.close();
    expect(await versionsAt(url(), opts)).toEqual([R[0]]);
  });

  it('aborted as the last revision starts: it finishes; InterruptedError with nothing pending, no afterRun (upgrade and downgrade)', async () => {
    const p = project({ app: { url: url() } }, "hooks: { afterRun: async () => (await import('node:fs')).writeFileSync(new URL('./after-run', import.meta.url), '') },\n  ");
    const env = await environment(p);
    await commands.downgrade(env, 'app@base'); // the server's database may hold a revision of the suite's test before
    rmSync(join(p.dir, 'after-run'), { force: true }); // written by that downgrade, if it ran
    const controller = new AbortController();
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'step-start' && e.revision === R[2]);
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal, onEvent }));
    expect(error.reason).toBe('test');
    expect(steps(error)).toEqual([`app ${R[0]} up`, `app ${R[1]} up`, `app ${R[2]} up`]);
    expect(error.pending).toEqual([]);
    expect(error.notStarted).toEqual([]);
    expect([...error.heads]).toEqual([['app', [R[2]]]]);
    expect(error.message).toBe('Interrupted: stopped after 3 revisions; nothing was left to run: every bind is at its target.');
    // The bind completed (its bind-done says so); the run did not (the caller asked it to stop).
    expect(events.filter((e) => e.type === 'bind-done' || e.type === 'run-done')).toEqual([
      { type: 'bind-done', bind: 'app', ok: true, heads: [R[2]] },
      { type: 'run-done', ok: false, elapsedMs: expect.any(Number) },
    ]);
    expect(p.exists('after-run')).toBe(false);
    await env.close();
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([R[2]]);

    const down = new AbortController();
    const d = abortOn(down, (e) => e.type === 'step-start' && e.revision === R[0]);
    const stopped = await interrupted(() => commands.downgrade(env, 'app@base', { signal: down.signal, onEvent: d.onEvent }));
    expect(steps(stopped)).toEqual([`app ${R[2]} down`, `app ${R[1]} down`, `app ${R[0]} down`]);
    expect(stopped).toMatchObject({ pending: [], notStarted: [] });
    expect([...stopped.heads]).toEqual([['app', []]]);
    await env.close();
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual([]);
    expect(p.exists('after-run')).toBe(false);
    await commands.upgrade(env, ['app@+1']); // a run that completes calls it
    expect(p.exists('after-run')).toBe(true);
    await commands.downgrade(env, 'app@base');
  });

  it('aborted before it starts: rejects without locking or running anything', async () => {
    const p = project({ app: { url: url() } });
    const env = await environment(p);
    await commands.upgrade(env, ['app@+1']);
    await env.close();
    const before = await versionsAt(url(), { baseDir: p.dir }); // the server's database is the suite's: R[0] or R[1]
    expect(before).not.toEqual([R[2]]);
    const controller = new AbortController();
    controller.abort('early');
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal }));
    expect(error).toMatchObject({ reason: 'early', completed: [], pending: [], notStarted: ['app'] });
    await env.close();
    expect(await versionsAt(url(), { baseDir: p.dir })).toEqual(before);
  });
}

describe('AbortSignal on SQLite', () => {
  oneBindSuite('sqlite', () => 'sqlite:.data/app.db');

  it('two binds with concurrency 2: each finishes the revision it has in progress', async () => {
    const p = project({ aa: { url: 'sqlite:.data/aa.db' }, bb: { url: 'sqlite:.data/bb.db' } });
    const env = await environment(p);
    const controller = new AbortController();
    // Both binds start their first revision before either finishes it (two slots): abort at the second start.
    let starts = 0;
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'step-start' && ++starts === 2);
    const error = await interrupted(() => commands.upgrade(env, [], { concurrency: 2, signal: controller.signal, onEvent }));
    expect(steps(error).sort()).toEqual([`aa ${R[0]} up`, `bb bbxx00000001 up`]);
    expect(events.filter((e) => e.type === 'bind-done')).toEqual([
      { type: 'bind-done', bind: 'aa', ok: false, heads: [R[0]], interrupted: 'stopped' },
      { type: 'bind-done', bind: 'bb', ok: false, heads: ['bbxx00000001'], interrupted: 'stopped' },
    ]);
    expect(error.pending).toEqual([
      { bind: 'aa', revision: R[1] },
      { bind: 'aa', revision: R[2] },
      { bind: 'bb', revision: 'bbxx00000002' },
      { bind: 'bb', revision: 'bbxx00000003' },
    ]);
    expect(Object.fromEntries(error.heads)).toEqual({ aa: [R[0]], bb: ['bbxx00000001'] });
  });

  it('two binds with concurrency 2, aborted as the last revision of the run starts: InterruptedError, nothing pending', async () => {
    const p = project({ aa: { url: 'sqlite:.data/aa.db' }, bb: { url: 'sqlite:.data/bb.db' } });
    const env = await environment(p);
    const controller = new AbortController();
    let starts = 0;
    const { onEvent } = abortOn(controller, (e) => e.type === 'step-start' && ++starts === 6);
    const error = await interrupted(() => commands.upgrade(env, [], { concurrency: 2, signal: controller.signal, onEvent }));
    expect(error.completed).toHaveLength(6);
    expect(error).toMatchObject({ pending: [], notStarted: [] });
    expect(Object.fromEntries(error.heads)).toEqual({ aa: [R[2]], bb: ['bbxx00000003'] });
  });

  it('tenants, aborted as the last tenant\'s last revision starts: InterruptedError, nothing pending nor not started', async () => {
    const p = project({ t1: { url: 'sqlite:.data/t1.db', branch: 'tenant' }, t2: { url: 'sqlite:.data/t2.db', branch: 'tenant' } });
    const env = await environment(p);
    const controller = new AbortController();
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'step-start' && e.bind === 't2' && e.revision === R[2]);
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal, onEvent }));
    expect(steps(error)).toEqual([`t1 ${R[0]} up`, `t1 ${R[1]} up`, `t1 ${R[2]} up`, `t2 ${R[0]} up`, `t2 ${R[1]} up`, `t2 ${R[2]} up`]);
    expect(error).toMatchObject({ pending: [], notStarted: [] });
    expect(Object.fromEntries(error.heads)).toEqual({ t1: [R[2]], t2: [R[2]] });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false });
  });

  it('tenants (groups one after the other): the group in progress stops after its revision, the others do not start', async () => {
    const p = project({ t1: { url: 'sqlite:.data/t1.db', branch: 'tenant' }, t2: { url: 'sqlite:.data/t2.db', branch: 'tenant' }, t3: { url: 'sqlite:.data/t3.db', branch: 'tenant' } });
    const env = await environment(p);
    const controller = new AbortController();
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'step-start');
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal, onEvent }));
    expect(steps(error)).toEqual([`t1 ${R[0]} up`]);
    expect(error.pending).toEqual([{ bind: 't1', revision: R[1] }, { bind: 't1', revision: R[2] }]);
    expect(error.notStarted).toEqual(['t2', 't3']);
    expect(Object.fromEntries(error.heads)).toEqual({ t1: [R[0]] });
    // Every bind ends with an event saying how the signal left it, then the run ends.
    expect(events.filter((e) => e.type === 'bind-done' || e.type === 'run-done')).toEqual([
      { type: 'bind-done', bind: 't1', ok: false, heads: [R[0]], interrupted: 'stopped' },
      { type: 'bind-done', bind: 't2', ok: false, heads: [], interrupted: 'not-started' },
      { type: 'bind-done', bind: 't3', ok: false, heads: [], interrupted: 'not-started' },
      { type: 'run-done', ok: false, elapsedMs: expect.any(Number) },
    ]);
    await env.close();
    expect(p.exists('.data/t2.db')).toBe(false); // not started: not even created
  });

  it('a failure and the signal together (concurrency 3): RunError names what failed, and apart what the signal left (a step waiting on one it left included)', async () => {
    const p = project({ aa: { url: 'sqlite:.data/aa.db' }, bb: { url: 'sqlite:.data/bb.db' }, cc: { url: 'sqlite:.data/cc.db' } });
    const table = (t: string) => `await op.createTable('${t}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;
    // aa's second revision fails once bb's first has started; bb's first then waits at a gate the
    // test opens once aa failed (and the signal is aborted); cc's first depends on bb's second.
    const wait = (file: string) => `{ const fs = await import('node:fs'); while (!fs.existsSync(${JSON.stringify(`${p.dir}/${file}`)})) await new Promise((r) => setTimeout(r, 20)); }`;
    p.write(`migrations/versions/aa/${R[1]}_t2.ts`, revisionSource({ revision: R[1], downRevision: R[0], upgrade: `${wait('aa.go')} throw new Error('boom');` }));
    p.write(
      'migrations/versions/bb/bbxx00000001_t1.ts',
      revisionSource({ revision: 'bbxx00000001', downRevision: null, branchLabels: ['bb'], upgrade: `${table('t1')} (await import('node:fs')).writeFileSync(${JSON.stringify(`${p.dir}/aa.go`)}, ''); ${wait('bb.go')}` }),
    );
    p.write('migrations/versions/cc/ccxx00000001_t1.ts', revisionSource({ revision: 'ccxx00000001', downRevision: null, branchLabels: ['cc'], dependsOn: ['bbxx00000002'], upgrade: table('t1') }));
    // cc's second depends on aa's first: the three binds are one plan (one group).
    p.write('migrations/versions/cc/ccxx00000002_t2.ts', revisionSource({ revision: 'ccxx00000002', downRevision: 'ccxx00000001', dependsOn: [R[0]], upgrade: table('t2') }));
    const env = await environment(p);
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const onEvent = (e: RunEvent) => {
      events.push(e);
      if (e.type === 'step-failed') {
        controller.abort('test'); // while bb's first revision is in progress
        p.write('bb.go', '');
      }
    };
    const error = await commands.upgrade(env, [], { concurrency: 3, signal: controller.signal, onEvent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    const run = error as RunError;
    expect(run.failures.map((f) => `${f.bind} ${f.revision}`)).toEqual([`aa ${R[1]}`]);
    expect(run.skipped).toEqual([{ bind: 'aa', revision: R[2] }]); // waiting on the failed bind: aa's own
    expect(run.interrupted).toBeInstanceOf(InterruptedError);
    expect([...run.interrupted!.pending].sort((a, b) => `${a.bind}${a.revision}`.localeCompare(`${b.bind}${b.revision}`))).toEqual([
      { bind: 'bb', revision: 'bbxx00000002' },
      { bind: 'bb', revision: 'bbxx00000003' },
      { bind: 'cc', revision: 'ccxx00000001' },
      { bind: 'cc', revision: 'ccxx00000002' },
      { bind: 'cc', revision: 'ccxx00000003' },
    ]);
    expect(run.interrupted!.heads.get('bb')).toEqual(['bbxx00000001']);
    expect(run.message).toContain('not run (the run was interrupted): ');
    expect(run.message).not.toMatch(/waiting on a failed bind\): .*(bb|cc)xx/);
    const ends = events.filter((e) => e.type === 'bind-done' || e.type === 'run-done');
    expect(ends).toEqual([
      { type: 'bind-done', bind: 'aa', ok: false, heads: [R[0]] },
      { type: 'bind-done', bind: 'bb', ok: false, heads: ['bbxx00000001'], interrupted: 'stopped' },
      { type: 'bind-done', bind: 'cc', ok: false, heads: [], interrupted: 'stopped' },
      { type: 'run-done', ok: false, elapsedMs: expect.any(Number) },
    ]);
    await env.close();
    expect(p.versionsApplied('bb')).toEqual(['bbxx00000001']);
  });

  it("transactionMode 'per-run': the revisions completed in the bind's transaction are kept", async () => {
    const p = project({ app: { url: 'sqlite:.data/app.db' } }, "transactionMode: 'per-run',\n  ");
    const env = await environment(p);
    const controller = new AbortController();
    const { onEvent } = abortOn(controller, (e) => e.type === 'step-start' && e.revision === R[1]);
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal, onEvent }));
    expect(steps(error)).toEqual([`app ${R[0]} up`, `app ${R[1]} up`]);
    await env.close();
    expect(p.versionsApplied('app')).toEqual([R[1]]);
    expect(p.tables('app').filter((t) => /^t\d$/.test(t))).toEqual(['t1', 't2']);
  });

  it('waiting for a migration lock another run holds: the wait stops, nothing ran', async () => {
    const p = project({ app: { url: 'sqlite:.data/app.db' } });
    const env = await environment(p);
    const holder = await environment(p);
    const conn = await holder.connection('app');
    await conn.acquireLock({ name: 'multidb::multidb_version' });
    const controller = new AbortController();
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'lock-wait');
    const error = await interrupted(() => commands.upgrade(env, [], { signal: controller.signal, onEvent }));
    expect(events.map((e) => e.type)).toContain('lock-wait');
    expect(error).toMatchObject({ completed: [], pending: [], notStarted: ['app'] });
    await conn.releaseLock();
    expect(p.versionsApplied('app')).toEqual([]);
  });

  it('stamp: no further bind is stamped after the signal', async () => {
    const p = project({ aa: { url: 'sqlite:.data/aa.db' }, bb: { url: 'sqlite:.data/bb.db' } });
    const env = await environment(p);
    await commands.upgrade(env, ['aa@+1', 'bb@+1']);
    const controller = new AbortController();
    const { onEvent, events } = abortOn(controller, (e) => e.type === 'stamp');
    const error = await interrupted(() => commands.stamp(env, ['heads'], { signal: controller.signal, onEvent }));
    expect(Object.fromEntries(error.heads)).toEqual({ aa: [R[2]], bb: ['bbxx00000001'] });
    // Each bind ends with a bind-done, as in a run: aa stamped, bb stopped at the rows it holds.
    expect(events.filter((e) => e.type === 'stamp' || e.type === 'bind-done')).toEqual([
      { type: 'stamp', bind: 'aa', from: [R[0]], to: [R[2]] },
      { type: 'bind-done', bind: 'aa', ok: true, heads: [R[2]] },
      { type: 'bind-done', bind: 'bb', ok: false, heads: ['bbxx00000001'], interrupted: 'stopped' },
    ]);
    await env.close();
    expect(p.versionsApplied('aa')).toEqual([R[2]]);
    expect(p.versionsApplied('bb')).toEqual(['bbxx00000001']);
  });

  it('stamp, aborted as the last bind is stamped: InterruptedError, every table written', async () => {
    const p = project({ aa: { url: 'sqlite:.data/aa.db' }, bb: { url: 'sqlite:.data/bb.db' } });
    const env = await environment(p);
    await commands.upgrade(env, ['aa@+1', 'bb@+1']);
    const controller = new AbortController();
    const { onEvent } = abortOn(controller, (e) => e.type === 'stamp' && e.bind === 'bb');
    const error = await interrupted(() => commands.stamp(env, ['heads'], { signal: controller.signal, onEvent }));
    expect(Object.fromEntries(error.heads)).toEqual({ aa: [R[2]], bb: ['bbxx00000003'] });
    expect(error).toMatchObject({ pending: [], notStarted: [] });
    await env.close();
    expect(p.versionsApplied('bb')).toEqual(['bbxx00000003']);
  });
});

describeWithServers('AbortSignal on PostgreSQL (the COMMIT of the revision in progress pipelined)', ['postgres'], () => {
  const dbs = useDatabases('abort_signal', { db: 'postgres' });
  oneBindSuite('postgres', () => dbs.db.url);
});

describeWithServers('AbortSignal on MariaDB (the version write of the revision in progress held for the next one)', ['mysql'], () => {
  const dbs = useDatabases('abort_signal', { db: 'mysql', t1: 'mysql', t2: 'mysql' });
  oneBindSuite('mysql', () => dbs.db.url);

  // With concurrency above 1, a revision's version write records the header of the bind's next
  // revision ahead (one round trip fewer). Stopped there, that revision sent nothing: the header
  // said "its first write may have been sent", so a re-run with other -x arguments was refused
  // ("cannot resume revision …: the last run stopped before recording its first write") and a
  // downgrade too ("partly applied").
  it('tenants with concurrency 2, aborted as both run their first revision: the next one, whose header was recorded ahead, sent nothing; a re-run with other -x arguments goes on, a downgrade is not refused', async () => {
    const p = project({ t1: { url: dbs.t1.url, branch: 'tenant' }, t2: { url: dbs.t2.url, branch: 'tenant' } });
    // Both tenants must be inside their first revision when the signal is aborted: under load one
    // tenant could otherwise finish R[0] and start R[1] before the other starts. In the first run,
    // R[0] waits (in this process, up to 20 s) until both tenants have entered it.
    p.write(
      `migrations/versions/tenant/${R[0]}_t1.ts`,
      revisionSource({
        revision: R[0],
        downRevision: null,
        branchLabels: ['tenant'],
        upgrade: [
          `if (op.xArgs.run === 'first') {`,
          `    const g = globalThis as { abortSignalBarrier?: number };`,
          `    g.abortSignalBarrier = (g.abortSignalBarrier ?? 0) + 1;`,
          `    for (const until = Date.now() + 20_000; g.abortSignalBarrier < 2 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));`,
          `  }`,
          `  await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        ].join('\n'),
        downgrade: `await op.dropTable('t1');`,
      }),
    );
    delete (globalThis as { abortSignalBarrier?: number }).abortSignalBarrier;
    const env = await environment(p);
    const controller = new AbortController();
    const started = new Set<string>();
    const { onEvent } = abortOn(controller, (e) => e.type === 'step-start' && started.add(e.bind).size === 2);
    const error = await interrupted(() => commands.upgrade(env, [], { concurrency: 2, xArgs: { run: 'first' }, signal: controller.signal, onEvent }));
    expect(steps(error).sort()).toEqual([`t1 ${R[0]} up`, `t2 ${R[0]} up`]);
    expect(Object.fromEntries(error.heads)).toEqual({ t1: [R[0]], t2: [R[0]] });
    await env.close();
    // The header of R[1] is there, recorded ahead; nothing of R[1] was sent, and nothing is in flight.
    for (const db of [dbs.t1, dbs.t2]) expect(await queryUrl(db.url, 'SELECT revision, step FROM multidb_version_progress')).toEqual([{ revision: R[1], step: 0 }]);
    expect(await env.inFlight(['t1', 't2'])).toEqual(new Map());

    // t1 back to base: another plan clears the header.
    await commands.downgrade(env, 't1@base');
    expect(await versionsAt(dbs.t1.url)).toEqual([]);
    expect(await queryUrl(dbs.t1.url, 'SELECT revision FROM multidb_version_progress')).toEqual([]);
    // Other -x arguments: R[1] starts afresh on t2.
    const again = await commands.upgrade(env, [], { concurrency: 2, xArgs: { run: 'second' } });
    expect(again.steps.map((s) => `${s.bind} ${s.revision}`).sort()).toEqual([`t1 ${R[0]}`, `t1 ${R[1]}`, `t1 ${R[2]}`, `t2 ${R[1]}`, `t2 ${R[2]}`]);
    await env.close();
    for (const db of [dbs.t1, dbs.t2]) {
      expect(await versionsAt(db.url)).toEqual([R[2]]);
      expect((await tablesAt(db.url)).filter((t) => /^t\d$/.test(t)).sort()).toEqual(['t1', 't2', 't3']);
      expect(await queryUrl(db.url, 'SELECT revision FROM multidb_version_progress')).toEqual([]);
    }
  });
});

// A connect in progress when the signal is aborted: a bind whose host never completes the
// handshake (a local server that accepts and never answers, see silentServer) with a 60 s
// connectTimeout. The connect ends at once (the driver destroys its socket: the server sees it
// close), and the command rejects with the InterruptedError of a stop before the locks: every
// bind not started, nothing read or changed. The bound of 10 s only tells "ended" from "waited
// out its connectTimeout".
for (const kind of ['postgres', 'mysql'] as const) {
  describe(`AbortSignal while connecting to a ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'} host that never answers (connectTimeout 60 s)`, () => {
    let server: SilentServer;
    beforeAll(async () => (server = await silentServer()));
    afterAll(() => server.close());
    const url = (database = 'app') => `${kind}://app:s3cret@127.0.0.1:${server.port}/${database}`;

    /** Starts `command` (aborting `controller` once the server has accepted its first connection); returns its error and the socket. */
    async function abortWhileConnecting(controller: AbortController, command: () => Promise<unknown>): Promise<{ error: unknown; socket: Socket }> {
      const accepted = server.accepted();
      const run = command().then(
        () => 'resolved',
        (e: unknown) => e,
      );
      const socket = await accepted; // the bind's connect is in progress: the server holds it
      controller.abort('test');
      return { error: await settledWithin(10_000, run), socket };
    }

    it('upgrade: the connect ends, InterruptedError with the bind not started; bind-done not-started, run-done', async () => {
      const env = await environment(project({ app: { url: url(), connectTimeout: 60 } }));
      const controller = new AbortController();
      const events: RunEvent[] = [];
      const { error, socket } = await abortWhileConnecting(controller, () => commands.upgrade(env, [], { signal: controller.signal, onEvent: (e) => events.push(e) }));
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error).toMatchObject({ reason: 'test', completed: [], pending: [], notStarted: ['app'] });
      expect(Object.fromEntries((error as InterruptedError).heads)).toEqual({});
      expect(events).toEqual([
        { type: 'bind-done', bind: 'app', ok: false, heads: [], interrupted: 'not-started' },
        { type: 'run-done', ok: false, elapsedMs: expect.any(Number) },
      ]);
      expect(await settledWithin(10_000, closed(socket))).toBeUndefined(); // nothing left open on the server
      expect(await settledWithin(10_000, env.close())).toBeUndefined();
    });

    it('a SQLite bind connected before it: not created; both binds not started', async () => {
      const p = project({ aa: { url: 'sqlite:.data/aa.db' }, bb: { url: url(), connectTimeout: 60 } });
      const env = await environment(p);
      const controller = new AbortController();
      const { error, socket } = await abortWhileConnecting(controller, () => commands.upgrade(env, [], { signal: controller.signal }));
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error).toMatchObject({ completed: [], pending: [], notStarted: ['aa', 'bb'] });
      expect(await settledWithin(10_000, closed(socket))).toBeUndefined();
      await env.close();
      expect(p.exists('.data/aa.db')).toBe(false); // a missing file is created only once every bind is connected
    });

    it('stamp: the connect ends, InterruptedError with the bind not started; its bind-done says so', async () => {
      const env = await environment(project({ app: { url: url(), connectTimeout: 60 } }));
      const controller = new AbortController();
      const events: RunEvent[] = [];
      const { error, socket } = await abortWhileConnecting(controller, () => commands.stamp(env, ['app@head'], { signal: controller.signal, onEvent: (e) => events.push(e) }));
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error).toMatchObject({ completed: [], pending: [], notStarted: ['app'] });
      expect(events).toEqual([{ type: 'bind-done', bind: 'app', ok: false, heads: [], interrupted: 'not-started' }]);
      expect(await settledWithin(10_000, closed(socket))).toBeUndefined();
    });

    it('17 tenants (groups connected ahead): the group connecting and the next one, connected ahead, both end; every tenant not started', async () => {
      const tenants = Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
      const env = await environment(project(Object.fromEntries(tenants.map((t) => [t, { url: url(t), branch: 'tenant', connectTimeout: 60 }]))));
      const controller = new AbortController();
      const second = server.accepted().then(() => server.accepted()); // t01's connect, then t02's (ahead)
      const events: RunEvent[] = [];
      const run = commands.upgrade(env, [], { signal: controller.signal, onEvent: (e) => events.push(e) }).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      const ahead = await second; // both connects are in progress
      controller.abort('test');
      const error = await settledWithin(10_000, run);
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error).toMatchObject({ completed: [], pending: [], notStarted: tenants });
      expect(events.filter((e) => e.type === 'bind-done')).toEqual(tenants.map((bind) => ({ type: 'bind-done', bind, ok: false, heads: [], interrupted: 'not-started' })));
      expect(await settledWithin(10_000, closed(ahead))).toBeUndefined();
    });
  });
}

// env.cancelInFlight(): what a second Ctrl-C calls before the process ends. A statement a revision
// runs on the server is stopped there (read from the server, not from time), the connection sends
// nothing after it, and the run rejects with the interrupted statement's error.
const RUNNING: Record<ServerKind, { readonly sleep: string; readonly running: (db: string) => string }> = {
  postgres: {
    sleep: 'SELECT pg_sleep(30)',
    running: (db) => `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${db}' AND state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`,
  },
  mysql: {
    sleep: 'SELECT SLEEP(30)',
    running: (db) => `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = '${db}' AND INFO LIKE '%SLEEP(30)%' AND ID <> CONNECTION_ID()`,
  },
};

for (const kind of ['postgres', 'mysql'] as const) {
  describeWithServers(`cancelInFlight on ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, [kind], () => {
    const dbs = useDatabases('cancel_in_flight', { db: kind });
    it("stops the statement a revision runs on the server: 'cancelled'; the run rejects with that statement's error; nothing more is sent", async () => {
      const url = dbs.db.url;
      const p = project({ app: { url } });
      p.write(
        `migrations/versions/app/${R[0]}_t1.ts`,
        revisionSource({ revision: R[0], downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('t1', [{ name: 'id', type: 'integer', primaryKey: true }]); await op.execute('${RUNNING[kind].sleep}'); await op.createTable('t1b', [{ name: 'id', type: 'integer', primaryKey: true }]);` }),
      );
      const env = await environment(p);
      const run = commands.upgrade(env, []).then(
        () => undefined,
        (e: unknown) => e,
      );
      const sleeping = async () => Number((await queryUrl<{ n: unknown }>(url, RUNNING[kind].running(new URL(url).pathname.slice(1))))[0]!.n);
      while ((await sleeping()) === 0) await new Promise((r) => setTimeout(r, 20));
      expect(Object.fromEntries(await env.cancelInFlight())).toEqual({ app: 'cancelled' });
      expect(await sleeping()).toBe(0);
      const error = await run;
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).cause).toMatchObject(kind === 'postgres' ? { code: '57014' } : { errno: 1317 });
      expect(Object.fromEntries(await env.cancelInFlight())).toEqual({ app: 'idle' }); // nothing runs any more
      await env.close();
      expect(await versionsAt(url)).toEqual([]);
      // PostgreSQL rolled the revision back; MariaDB kept t1 (DDL commits at once), never got to t1b.
      expect((await tablesAt(url)).filter((t) => /^t\d/.test(t))).toEqual(kind === 'postgres' ? [] : ['t1']);
    });
  });
}

describe('cancelInFlight on SQLite', () => {
  it("'unsupported': its statements block the thread (nothing else runs meanwhile)", async () => {
    const p = project({ app: { url: 'sqlite:.data/app.db' } });
    const env = await environment(p);
    await env.connection('app');
    expect(Object.fromEntries(await env.cancelInFlight())).toEqual({ app: 'unsupported' });
  });
});
