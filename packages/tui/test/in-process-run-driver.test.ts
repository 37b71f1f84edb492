// The run driver of this thread (runs when core's worker module is not built, and in tests):
// stop(), the second ctrl+c, ends the run at a revision boundary as the worker driver's does.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import type { RunMessage } from '../src/run/run-message.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const table = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;

describe('inProcessRunDriver on SQLite', () => {
  let p: SampleProject;
  let gate: (name: string) => string;
  beforeEach(() => {
    p = new SampleProject({ app: 'sqlite:.data/app.db' });
    // Written by a revision once it has started; it then waits for `<name>.go`, written by the test.
    gate = (name) =>
      `{ const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(join(p.dir, `${name}.started`))}, ''); while (!fs.existsSync(${JSON.stringify(join(p.dir, `${name}.go`))})) await new Promise((r) => setTimeout(r, 20)); }`;
  });
  afterEach(() => p.remove());

  it('stop(): the revision in progress ends whole and recorded, none starts after it, nothing more is delivered; it resolves once the run has ended', async () => {
    // r1 writes T1, waits at its gate, writes T1b: stopped in between, it still ends whole.
    p.revision('app', { revision: 'r1', downRevision: null, branchLabels: ['app'], upgrade: `${table('T1')} ${gate('r1')} ${table('T1b')}` });
    p.revision('app', { revision: 'r2', downRevision: 'r1', upgrade: table('T2') });
    p.revision('app', { revision: 'r3', downRevision: 'r2', upgrade: table('T3') });
    const messages: RunMessage[] = [];
    const job = inProcessRunDriver.start({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['app@head'] }, (m) => messages.push(m));
    await vi.waitFor(() => expect(existsSync(join(p.dir, 'r1.started'))).toBe(true), { timeout: 20_000, interval: 20 });
    const delivered = messages.length;
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    // r1 waits at its gate: the run has not ended, so neither has stop().
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toBe(false);
    writeFileSync(join(p.dir, 'r1.go'), '');
    await stopping;
    await job.done;
    expect(p.versions('app')).toEqual(['r1']);
    expect(p.query('app', "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'T%' ORDER BY name")).toEqual([{ name: 'T1' }, { name: 'T1b' }]);
    expect(messages).toHaveLength(delivered);
    expect(messages.map((m) => m.type === 'event' && m.event.type)).toEqual(['lock-acquired', 'plan', 'step-start']);
  });

  it('stop() after the first ctrl+c (interrupt) and after the run has ended settles as well', async () => {
    p.revision('app', { revision: 'r1', downRevision: null, branchLabels: ['app'], upgrade: `${table('T1')} ${gate('r1')}` });
    p.revision('app', { revision: 'r2', downRevision: 'r1', upgrade: table('T2') });
    const messages: RunMessage[] = [];
    const job = inProcessRunDriver.start({ cwd: p.dir, moduleAlias: MODULE_ALIAS, direction: 'up', targets: ['app@head'] }, (m) => messages.push(m));
    await vi.waitFor(() => expect(existsSync(join(p.dir, 'r1.started'))).toBe(true), { timeout: 20_000, interval: 20 });
    job.interrupt();
    const stopping = job.stop();
    writeFileSync(join(p.dir, 'r1.go'), '');
    await stopping;
    expect(p.versions('app')).toEqual(['r1']);
    await job.stop();
    expect(messages.at(-1)).toMatchObject({ type: 'event', event: { type: 'step-start', revision: 'r1' } });
  });
});
