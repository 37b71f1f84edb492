// The worker thread runs a revision while this thread stays free to draw (better-sqlite3 blocks
// the thread it runs on). Uses core's built worker (`nx test` builds first), the one core's
// upgrade uses for many SQLite tenants.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkersAvailable } from '@multidb/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inProcessRunDriver, workerRunDriver, type RunDriver } from '../src/run/run-driver.js';
import type { RunMessage } from '../src/run/run-message.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

/**
 * A revision that blocks its thread, as a better-sqlite3 statement does, until the thread that
 * started the run answers: it writes the file `op.xArgs.ask`, then waits (Atomics.wait, no event
 * loop) for the file `op.xArgs.answer`, giving up after `op.xArgs.waitMs`. It records whether the
 * answer came in the table `answered`.
 */
const ASKS = [
  `const { existsSync, writeFileSync } = await import('node:fs');`,
  `const sleep = new Int32Array(new SharedArrayBuffer(4));`,
  `const until = Date.now() + Number(op.xArgs.waitMs);`,
  `writeFileSync(op.xArgs.ask, '');`,
  `let answered = false;`,
  `while (!(answered = existsSync(op.xArgs.answer)) && Date.now() < until) Atomics.wait(sleep, 0, 0, 10);`,
  `await op.execute('CREATE TABLE answered AS SELECT ' + (answered ? 1 : 0) + ' AS yes');`,
].join(' ');

/**
 * Runs a job of one revision that {@link ASKS}, while a 10 ms timer on this thread answers once
 * it has asked. The answer can come only if this thread's timers fire while the revision blocks
 * its thread: what is asserted does not depend on how fast the machine is.
 */
async function runAnswering(driver: RunDriver, p: SampleProject, bind: string, waitMs: number): Promise<RunMessage[]> {
  const ask = join(p.dir, `${bind}.ask`);
  const answer = join(p.dir, `${bind}.answer`);
  const messages: RunMessage[] = [];
  const timer = setInterval(() => {
    if (existsSync(ask)) writeFileSync(answer, '');
  }, 10);
  try {
    const xArgs = { ask, answer, waitMs: String(waitMs) };
    await driver.start({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: [`${bind}@head`], xArgs }, (m) => messages.push(m)).done;
  } finally {
    clearInterval(timer);
  }
  return messages;
}

describe.skipIf(!runWorkersAvailable())('workerRunDriver (core\'s built worker)', () => {
  const p = new SampleProject({ default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db', db3: 'sqlite:.data/db3.db' });
  p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], upgrade: ASKS });
  p.revision('db2', { revision: 'b1', downRevision: null, branchLabels: ['db2'], upgrade: ASKS });
  p.revision('db3', { revision: 'c1', downRevision: null, branchLabels: ['db3'], upgrade: `await op.createTable('Log', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
  p.revision('db3', { revision: 'c2', downRevision: 'c1', message: 'broken', upgrade: `await op.execute('INSERT INTO Nope VALUES (1)');` });
  afterAll(() => p.remove());

  it('is the built package\'s default', async () => {
    const built = (await import(new URL('../dist/run/run-driver.js', import.meta.url).href)) as typeof import('../src/run/run-driver.js');
    expect(built.defaultRunDriver().kind).toBe('worker');
  });

  it('runs off this thread: its timers fire while a revision blocks the thread it runs on, unlike in-process', async () => {
    // Waits up to 20 s for the answer (a guard against hangs: the answer comes within a timer tick).
    const worker = await runAnswering(workerRunDriver(), p, 'default', 20_000);
    expect(worker.at(-1)).toEqual({ type: 'finished' });
    expect(worker.filter((m) => m.type === 'event').map((m) => m.type === 'event' && m.event.type)).toEqual([
      'lock-acquired',
      'plan',
      'step-start',
      'step-done',
      'bind-done',
      'run-done',
    ]);
    expect(p.versions('default')).toEqual(['a1']);
    expect(p.query('default', 'SELECT yes FROM answered')).toEqual([{ yes: 1 }]);

    // In-process the revision blocks this thread: no timer fires until it gives up (after 300 ms, whatever the machine's speed).
    const blocked = await runAnswering(inProcessRunDriver, p, 'db2', 300);
    expect(blocked.at(-1)).toEqual({ type: 'finished' });
    expect(p.versions('db2')).toEqual(['b1']);
    expect(p.query('db2', 'SELECT yes FROM answered')).toEqual([{ yes: 0 }]);
  });

  it('interrupt(): the revision in progress on the worker finishes, none starts after it; the part ends with INTERRUPTED', async () => {
    const q = new SampleProject({ app: 'sqlite:.data/app.db' });
    try {
      // r1 counts its polls in r1.polls: the worker's event loop turning, while it waits for r1.go.
      const polls = join(q.dir, 'r1.polls');
      const gate = `{ const fs = await import('node:fs'); let n = 0; while (!fs.existsSync(${JSON.stringify(join(q.dir, 'r1.go'))})) { fs.writeFileSync(${JSON.stringify(polls)}, String(++n)); await new Promise((r) => setTimeout(r, 20)); } }`;
      q.revision('app', { revision: 'r1', downRevision: null, branchLabels: ['app'], upgrade: `await op.createTable('T1', [{ name: 'id', type: 'integer', primaryKey: true }]); ${gate}` });
      q.revision('app', { revision: 'r2', downRevision: 'r1', upgrade: `await op.createTable('T2', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
      const messages: RunMessage[] = [];
      const job = workerRunDriver().start({ cwd: q.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['app@head'] }, (m) => messages.push(m));
      const polled = () => (existsSync(polls) ? Number(readFileSync(polls, 'utf8')) : 0);
      await vi.waitFor(() => expect(polled()).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
      job.interrupt();
      // Two more polls: the worker's loop has turned since the message was posted, so its thread has read it.
      const at = polled();
      await vi.waitFor(() => expect(polled()).toBeGreaterThanOrEqual(at + 2), { timeout: 20_000, interval: 20 });
      writeFileSync(join(q.dir, 'r1.go'), '');
      await job.done;
      expect(messages.at(-1)).toMatchObject({ type: 'failed', error: { name: 'InterruptedError', code: 'INTERRUPTED' } });
      expect(messages.filter((m) => m.type === 'event' && (m.event.type === 'bind-done' || m.event.type === 'step-start')).map((m) => m.type === 'event' && m.event)).toEqual([
        expect.objectContaining({ type: 'step-start', revision: 'r1' }),
        { type: 'bind-done', bind: 'app', ok: false, heads: ['r1'], interrupted: 'stopped' },
      ]);
      expect(q.versions('app')).toEqual(['r1']);
    } finally {
      q.remove();
    }
  });

  it('posts a failing revision as plain data, with its statement', async () => {
    const messages: RunMessage[] = [];
    await workerRunDriver().start({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['db3@head'] }, (m) => messages.push(m)).done;
    expect(messages.at(-1)).toMatchObject({
      type: 'failed',
      error: { name: 'MigrationError', code: 'MIGRATION', bind: 'db3', revision: 'c2', statement: 'INSERT INTO Nope VALUES (1)', reason: 'no such table: Nope', partial: false },
    });
    expect(p.versions('db3')).toEqual(['c1']);
  });
});
