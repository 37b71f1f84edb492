// A run one group of binds after the other that stops (a revision that fails, or that
// cancelInFlight cancels; a lock held elsewhere; an unreachable bind; its signal) names the binds
// it did not run: `notRun` of MigrationError, LockTimeoutError and UnreachableBindsError,
// InterruptedError's `notStarted`, and their messages. A bind that was already at its target had
// nothing to run and is not named: it was (`not run (the run stopped here): analytics` with
// analytics at its head). Independent SQLite binds, in config order: `first` (the run stops
// there), `done` (at its head before the run), `todo` (a revision to run); `closed`, a PostgreSQL
// URL on a port nothing listens on.
import { BindError, commands, createModuleLoader, InterruptedError, loadEnvironment, LockTimeoutError, MigrationError, RunError, UnreachableBindsError, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };
/** Nothing listens on port 9 of the loopback: the connection is refused at once. */
const CLOSED_URL = 'postgres://app@127.0.0.1:9/sales';

/** A project of `binds` (name → URL, SQLite `.data/<bind>.db` when `undefined`), each with one revision `<bind>1`; `first1` fails with `fail`. */
function project(binds: Record<string, string | undefined>, fail = false): TempProject {
  const config =
    `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: {\n` +
    Object.entries(binds)
      .map(([b, url]) => `  ${b}: { url: ${JSON.stringify(url ?? `sqlite:.data/${b}.db`)}, connectTimeout: 5 },\n`)
      .join('') +
    `} });\n`;
  const p = new TempProject([], { config });
  for (const bind of Object.keys(binds)) {
    p.write(
      `migrations/versions/${bind}/${bind}1_t.ts`,
      revisionSource({
        revision: `${bind}1`,
        downRevision: null,
        branchLabels: [bind],
        upgrade: bind === 'first' && fail ? "throw new Error('boom');" : `await op.createTable('t_${bind}', [{ name: 'id', type: 'integer', primaryKey: true }]);`,
        downgrade: `await op.dropTable('t_${bind}');`,
      }),
    );
  }
  return p;
}

const opened: { env?: MigrationEnvironment; p?: TempProject }[] = [];
async function environment(p: TempProject): Promise<MigrationEnvironment> {
  const env = await loadEnvironment({ dialects, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
  opened.push({ env, p });
  return env;
}
afterEach(async () => {
  for (const { env, p } of opened.splice(0)) {
    await env?.close();
    p?.remove();
  }
});

const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (e: unknown) => e);

describe('a run that stops does not name the binds already at their targets as not run', () => {
  it('a revision that fails: MigrationError.notRun', async () => {
    const p = project({ first: undefined, done: undefined, todo: undefined }, true);
    const env = await environment(p);
    await commands.upgrade(env, ['done']);
    const error = await rejection(commands.upgrade(env, []));
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ bind: 'first', notRun: ['todo'] });
    expect((error as Error).message).toContain("not run (the run stopped here): todo; '--concurrency N' goes on past a failing bind.");
    // Every other bind at its target: none named.
    await commands.upgrade(env, ['todo']);
    const alone = await rejection(commands.upgrade(env, []));
    expect(alone).toMatchObject({ bind: 'first', notRun: [] });
    expect((alone as Error).message).not.toContain('not run');
  });

  it('the signal, during the first bind: InterruptedError.notStarted, and nothing was left when the others are at their targets', async () => {
    const p = project({ first: undefined, done: undefined, todo: undefined });
    const env = await environment(p);
    await commands.upgrade(env, ['done']);
    const abortAtFirst = (): { signal: AbortSignal; onEvent: (e: { type: string }) => void } => {
      const controller = new AbortController();
      return { signal: controller.signal, onEvent: (e) => e.type === 'step-start' && controller.abort('test') };
    };
    const error = await rejection(commands.upgrade(env, [], abortAtFirst()));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error).toMatchObject({ notStarted: ['todo'], pending: [] });
    expect((error as Error).message).toBe('Interrupted: stopped after 1 revision; not started: todo. Every bind is at a revision its version table records; run the same command again to go on.');
    await commands.downgrade(env, 'first@base');
    await commands.upgrade(env, ['todo']);
    const last = await rejection(commands.upgrade(env, [], abortAtFirst()));
    expect(last).toMatchObject({ notStarted: [], pending: [] });
    expect((last as Error).message).toBe('Interrupted: stopped after 1 revision; nothing was left to run: every bind is at its target.');
  });

  it('the lock of the first bind held elsewhere: LockTimeoutError.notRun', async () => {
    const p = project({ first: undefined, done: undefined, todo: undefined });
    const env = await environment(p);
    await commands.upgrade(env, ['done']);
    const holder = await environment(p);
    const conn = await holder.connection('first');
    await conn.acquireLock({ name: 'multidb::multidb_version' });
    const error = await rejection(commands.upgrade(env, [], { lockTimeoutMs: 300 }));
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ bind: 'first', notRun: ['todo'] });
    // Another run holds it (SQLite cannot tell who: no holder).
    expect((error as Error).message).toMatch(
      /^Timed out after \d+ ms waiting for the migration lock on first: another run holds it\. Nothing ran on first; not run \(the run stopped here\): todo; '--concurrency N' goes on past a bind whose lock is held\.$/,
    );
    expect((error as LockTimeoutError).holder).toBeUndefined();
    await conn.releaseLock();
  });

  it('an unreachable bind, found as the run connects every bind first: UnreachableBindsError.notRun, or the bind\'s own error when none is left', async () => {
    const p = project({ closed: CLOSED_URL, done: undefined, todo: undefined });
    const env = await environment(p);
    await commands.upgrade(env, ['done']);
    const error = await rejection(commands.upgrade(env, []));
    expect(error).toBeInstanceOf(UnreachableBindsError);
    expect(error).toMatchObject({ bind: 'closed', code: 'CONNECT', notRun: ['todo'] });
    expect((error as Error).message).toMatch(/not run: todo\. '--concurrency N' goes on past an unreachable bind\.$/);
    await commands.upgrade(env, ['todo']);
    const alone = await rejection(commands.upgrade(env, []));
    expect(alone).toBeInstanceOf(BindError);
    expect(alone).not.toBeInstanceOf(UnreachableBindsError);
    expect(alone).toMatchObject({ bind: 'closed', code: 'CONNECT' });
  });
});

// The messages say `'--concurrency N' goes on past …`; the errors' TSDoc gives the same from code,
// `keepGoing: true` (or `concurrency` N > 1): checked here as documented.
describe("from code, keepGoing goes on past the bind the CLI's '--concurrency N' goes on past", () => {
  it('an unreachable bind: the others run, then a RunError names it in unreachable', async () => {
    const p = project({ closed: CLOSED_URL, todo: undefined });
    const env = await environment(p);
    const error = await rejection(commands.upgrade(env, [], { keepGoing: true }));
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).unreachable.map((u) => u.bind)).toEqual(['closed']);
    expect((error as RunError).completed.map((s) => s.revision)).toEqual(['todo1']);
  });

  it('a lock held elsewhere: the others run, then a RunError names it in stopped', async () => {
    const p = project({ first: undefined, todo: undefined });
    const env = await environment(p);
    const holder = await environment(p);
    const conn = await holder.connection('first');
    await conn.acquireLock({ name: 'multidb::multidb_version' });
    const error = await rejection(commands.upgrade(env, [], { keepGoing: true, lockTimeoutMs: 300 }));
    await conn.releaseLock();
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).stopped.map((s) => [s.bind, s.error instanceof LockTimeoutError])).toEqual([['first', true]]);
    expect((error as RunError).completed.map((s) => s.revision)).toEqual(['todo1']);
  });
});
