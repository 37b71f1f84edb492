// The worker thread runs a revision while this thread stays free to draw (better-sqlite3 blocks
// the thread it runs on). Uses core's built worker (`nx test` builds first), the one core's
// upgrade uses for many SQLite tenants.
import { runWorkersAvailable } from '@multidb/core';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessRunDriver, workerRunDriver, type RunDriver } from '../src/run/run-driver.js';
import type { RunMessage } from '../src/run/run-message.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const BUSY = `await op.execute('CREATE TEMP TABLE busy AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000) SELECT x FROM c');`;

/** Runs a job and counts how often a 10 ms timer fired on this thread meanwhile. */
async function runCountingTicks(driver: RunDriver, cwd: string, target: string): Promise<{ messages: RunMessage[]; ticks: number; ms: number }> {
  const messages: RunMessage[] = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const started = Date.now();
  try {
    await driver.start({ cwd, moduleAlias: MODULE_ALIAS, direction: 'up', targets: [target] }, (m) => messages.push(m)).done;
  } finally {
    clearInterval(timer);
  }
  return { messages, ticks, ms: Date.now() - started };
}

describe.skipIf(!runWorkersAvailable())('workerRunDriver (core\'s built worker)', () => {
  const p = new SampleProject({ default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db' });
  p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], upgrade: BUSY });
  p.revision('db2', { revision: 'b1', downRevision: null, branchLabels: ['db2'], upgrade: BUSY });
  p.revision('db2', { revision: 'b2', downRevision: 'b1', message: 'broken', upgrade: `await op.execute('INSERT INTO Nope VALUES (1)');` });
  afterAll(() => p.remove());

  it('is the built package\'s default', async () => {
    const built = (await import(new URL('../dist/run/run-driver.js', import.meta.url).href)) as typeof import('../src/run/run-driver.js');
    expect(built.defaultRunDriver().kind).toBe('worker');
  });

  it('runs off this thread: timers keep firing while SQLite works, unlike in-process', async () => {
    const worker = await runCountingTicks(workerRunDriver(), p.dir, 'default@head');
    expect(worker.messages.at(-1)).toEqual({ type: 'finished' });
    expect(worker.messages.filter((m) => m.type === 'event').map((m) => m.type === 'event' && m.event.type)).toEqual([
      'lock-acquired',
      'plan',
      'step-start',
      'step-done',
      'bind-done',
      'run-done',
    ]);
    expect(p.versions('default')).toEqual(['a1']);
    // A 10 ms timer over the run: most of its ticks fire (the UI thread was never blocked).
    expect(worker.ticks).toBeGreaterThan((worker.ms / 10) * 0.5);

    const blocked = await runCountingTicks(inProcessRunDriver, p.dir, 'b1');
    expect(p.versions('db2')).toEqual(['b1']);
    expect(blocked.ticks).toBeLessThan((blocked.ms / 10) * 0.5);
  });

  it('posts a failing revision as plain data, with its statement', async () => {
    const { messages } = await runCountingTicks(workerRunDriver(), p.dir, 'db2@head');
    expect(messages.at(-1)).toMatchObject({
      type: 'failed',
      error: { name: 'MigrationError', code: 'MIGRATION', bind: 'db2', revision: 'b2', statement: 'INSERT INTO Nope VALUES (1)', reason: 'no such table: Nope', partial: false },
    });
    expect(p.versions('db2')).toEqual(['b1']);
  });
});
