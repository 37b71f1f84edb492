// The whole app over a real project of 500 SQLite tenant binds sharing one branch, generated from
// a list in migrate.config.ts (it is code): pick the branch, review, upgrade, and every frame of
// the way stays within the terminal and names its counts (the review shows the tenants' one plan once).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../src/app/app.js';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { eventually, KEY, lines, overflowing, press } from './support/ink.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const TENANTS = 500;

describe(`App on ${TENANTS} SQLite tenant binds of one branch`, () => {
  const p = new SampleProject({});
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    p.tenantConfig(Array.from({ length: TENANTS }, (_, i) => `tenant${String(i).padStart(4, '0')}`));
    p.revision('tenant', { revision: 'c1', downRevision: null, branchLabels: ['tenant'], message: 'create invoice', upgrade: `await op.createTable('Invoice', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    p.revision('tenant', { revision: 'c2', downRevision: 'c1', message: 'add invoice currency', upgrade: `await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });` });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it('selects the branch, reviews, upgrades every tenant; each frame fits 80x23 and counts right', { timeout: 180_000 }, async () => {
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} />);
    const frame = () => lines(app.lastFrame());
    // Reading 500 SQLite files: up to a minute on a loaded machine.
    await eventually(() => expect(frame()[0]).toMatch(/ 0 of 500 selected · 1-8 of 500 · \? keys$/), 60_000);
    await eventually(() => expect(app.lastFrame()).toMatch(/tenant0000 +sqlite +base +c2 +2 pending/), 60_000);
    await press(app.stdin, 'b');
    await eventually(() => expect(frame()[0]).toMatch(/ 500 of 500 selected · 1-8 of 500 · \? keys$/));
    await press(app.stdin, KEY.enter);
    await waitUntil(app.lastFrame, () => /^ {2}500 binds at base · 2 to run each: /m.test(app.lastFrame() ?? ''));
    const review = frame();
    expect(review).toHaveLength(23);
    expect(overflowing(review, 80)).toEqual([]);
    expect(review[0]).toMatch(/^Review · upgrade 500 binds \(tenant ×500\) +\? keys$/);
    expect(review.slice(3, 7)).toEqual([
      '  500 binds at base · 2 to run each: tenant0000, tenant0001 and 498 more',
      '›   1/2  c1            create invoice',
      '    2/2  c2            add invoice currency',
      '  [ Upgrade: 1,000 revisions on 500 binds ]',
    ]);
    const reviewed = app.frames.length;
    await press(app.stdin, 'u');
    await waitUntil(app.lastFrame, () => frame()[0]?.startsWith('Upgrade · finished') ?? false);

    const final = frame();
    expect(final).toHaveLength(23);
    expect(overflowing(final, 80)).toEqual([]);
    expect(final[1]).toBe('500 binds: 500 done');
    expect(final[2]).toMatch(/^tenant {2}█{20} 500\/500 {2}✔ 500$/);
    expect(final.join(' ')).toContain('tenant0000, tenant0001, tenant0002, tenant0003, tenant0004 and 495 more upgraded (1,000 revisions).');
    // Every frame of the run: within the terminal, with the counts line on top.
    const run = app.frames.slice(reviewed).map(lines).filter((f) => f[0]?.startsWith('Upgrade'));
    expect(run.length).toBeGreaterThan(1);
    expect(run.filter((f) => f.length !== 23 || overflowing(f, 80).length > 0)).toEqual([]);
    expect(run.filter((f) => !/^500 binds: /.test(f[1] ?? ''))).toEqual([]);
    const dbs = readdirSync(join(p.dir, '.data', 'tenants'));
    expect(dbs.filter((f) => f.endsWith('.db'))).toHaveLength(TENANTS);
    expect(p.query('tenants/tenant0499', 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: 'c2' }]);
  });
});

/** Waits (up to 2 minutes: 500 binds are read, planned and upgraded) until `check` holds. */
async function waitUntil(frame: () => string | undefined, check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 120_000) throw new Error(`timed out; the last frame:\n${frame() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
