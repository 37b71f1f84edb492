// 30 SQLite tenants sharing a branch, upgraded from the TUI: the run packs them into at most 4
// parts, and one tenant's revision fails. Only that tenant stops: every other one (those of its
// part after it too) reaches head, and the run screen and the exit summary say so (was: the rest
// of its part "not run", as core stopped a part at its first failure).
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app/app.js';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { eventually, KEY, lines, press } from './support/ink.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const TENANTS = Array.from({ length: 30 }, (_, i) => `tenant_${String(i + 1).padStart(2, '0')}`);

describe('App: a failing tenant among 30 of one branch', () => {
  const p = new SampleProject({});
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    p.tenantConfig(TENANTS);
    p.revision('tenant', { revision: 'c1', downRevision: null, branchLabels: ['tenant'], message: 'create invoice', upgrade: `await op.createTable('Invoice', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    p.revision('tenant', {
      revision: 'c2',
      downRevision: 'c1',
      message: 'add invoice currency',
      upgrade: `if (op.bind === 'tenant_07') throw new Error('tenant_07 refuses'); await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });`,
    });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it('stops only that tenant: the others are upgraded, on the screen, in the exit summary and in their databases', { timeout: 120_000 }, async () => {
    const onExit = vi.fn();
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} onExit={onExit} />);
    const frame = () => app.lastFrame() ?? '';
    await eventually(() => expect(frame()).toMatch(/tenant_01 +sqlite +base +c2 +2 pending/), 60_000);
    await press(app.stdin, 'b');
    await eventually(() => expect(lines(frame())[0]).toMatch(/ 30 of 30 selected/));
    await press(app.stdin, KEY.enter);
    await eventually(() => expect(frame()).toContain('[ Upgrade: 60 revisions on 30 binds ]'), 30_000);
    await press(app.stdin, 'u');
    await eventually(() => expect(lines(frame())[0]).toMatch(/^Upgrade · finished/), 60_000);
    const done = lines(frame());
    expect(done[1]).toBe('30 binds: 29 done · 1 failed');
    expect(done.join('\n')).not.toContain('not run');
    expect(done.join(' ')).toMatch(/tenant_01, tenant_02, tenant_03, tenant_04, tenant_05 and 24 more upgraded \(58 revisions\); tenant_07 failed at c2, stays at c1\. Running the upgrade again, once what failed is fixed, runs only what is left\./);
    for (const t of TENANTS) expect(p.query(`tenants/${t}`, 'SELECT version_num FROM multidb_version'), t).toEqual([{ version_num: t === 'tenant_07' ? 'c1' : 'c2' }]);

    await press(app.stdin, KEY.enter);
    await eventually(() => expect(frame()).toMatch(/tenant_07 +sqlite +c1 +c2 +1 pending/));
    await press(app.stdin, 'q');
    await eventually(() =>
      expect(onExit).toHaveBeenCalledWith(1, [expect.stringMatching(/: tenant_01, tenant_02, tenant_03, tenant_04, tenant_05 and 24 more upgraded \(58 revisions\); tenant_07 failed at c2, stays at c1\. Running the upgrade again, once what failed is fixed, runs only what is left\.$/)]),
    );
    app.unmount();
  });
});
