// The binds screen shows drift (models ≠ database) for a bind at head, through autogenerate's
// check on a real SQLite project; a bind without models, or not at head, shows none.
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { BindsScreen } from '../src/screens/binds/binds-screen.js';
import { statusDetail } from '../src/screens/binds/bind-status.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

const models = (columns: string) => `import { defineModels } from '@multidb/core';
export default defineModels({ tables: [{ name: 'note', columns: [{ name: 'id', type: 'integer', primaryKey: true }${columns}] }] });
`;

describe('drift on the binds screen', () => {
  const p = new SampleProject();
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    p.write(
      'migrate.config.ts',
      `import { defineConfig } from '@multidb/core';
export default defineConfig({ binds: {
  default: { url: 'sqlite:.data/default.db', models: './models/default.ts' },
  db2: { url: 'sqlite:.data/db2.db', models: './models/db2.ts' },
  plain: { url: 'sqlite:.data/plain.db' },
} });
`,
    );
    for (const bind of ['default', 'db2', 'plain']) {
      p.revision(bind, { revision: `${bind}1`, downRevision: null, branchLabels: [bind], upgrade: `await op.createTable('note', [{ name: 'id', type: 'integer', primaryKey: true }]);` });
    }
    p.write('models/default.ts', models(''));
    p.write('models/db2.ts', models(`, { name: 'body', type: 'text' }`));
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
    const session = await backend.startRun({ direction: 'up', targets: ['default@head', 'db2@head', 'plain@head'] });
    await new Promise<void>((resolve) => {
      const ended = new Set<number>();
      session.subscribe((group, m) => {
        if (m.type === 'finished' || m.type === 'failed') ended.add(group);
        if (ended.size === session.groups.length) resolve();
      });
    });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it('reads drift for binds at head: none, differs (with the changes), no models', async () => {
    const rows = await Promise.all(['default', 'db2', 'plain'].map((b) => backend.loadBind(b)));
    expect(rows.map((r) => [r.name, r.status.kind, r.drift])).toEqual([
      ['default', 'up-to-date', { kind: 'none' }],
      ['db2', 'up-to-date', { kind: 'differs', changes: ["Detected added column 'note.body'"] }],
      ['plain', 'up-to-date', { kind: 'no-models' }],
    ]);
    expect(statusDetail(rows[1]!)).toMatch(/differs from its models \(1 change: Detected added column 'note\.body'\); 'migrate migrate/);

    const screen = render(
      <BindsScreen rows={rows} title="multidb" width={80} height={24} isActive onReview={() => undefined} onDowngrade={() => undefined} onRefresh={() => undefined} onBack={() => undefined} />,
    );
    const frame = screen.lastFrame() ?? '';
    expect(frame).toMatch(/db2 .* up to date · drift/);
    expect(frame).toMatch(/default .* up to date\s*$/m);
    screen.unmount();
  });
});
