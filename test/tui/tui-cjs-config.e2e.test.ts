// `migrate tui` on a project whose config is made by a CommonJS file that requires `@multidb/core`
// (jiti loads it): the TUI's own loader and its run's worker thread must give that file the core
// they run, not the alias's ES module build, whose top-level await jiti cannot run ('Could not load
// config …: Unexpected identifier 'Promise''). The real built CLI in a tmux session of 80x24.
import { afterAll, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

describe('migrate tui with a config made by a .cjs file (tmux, 80x24)', () => {
  const p = new TempProject([], { config: `import { config } from './lib/config.cjs';\nexport default config;\n` });
  let tmux: TmuxSession | undefined;
  p.write(
    'lib/config.cjs',
    `const { defineConfig } = require('@multidb/core');\n` +
      `exports.config = defineConfig({ directory: 'migrations', binds: { app: { url: 'sqlite:.data/app.db' } } });\n`,
  );
  p.write('lib/is-operations.cjs', `const { Operations } = require('@multidb/core');\nexports.isOperations = (op) => op instanceof Operations;\n`);
  p.write(
    'migrations/versions/app/a1b2c3d4e5f6_item.ts',
    `import { isOperations } from '../../../lib/is-operations.cjs';\n` +
      revisionSource({
        revision: 'a1b2c3d4e5f6',
        downRevision: null,
        branchLabels: ['app'],
        message: 'item',
        upgrade: [
          "if (!isOperations(op)) throw new Error('op is an Operations of another copy of @multidb/core');",
          "  await op.createTable('item', [{ name: 'id', type: 'integer', primaryKey: true }]);",
        ].join('\n'),
        downgrade: `await op.dropTable('item');`,
      }),
  );

  afterAll(() => {
    tmux?.kill();
    p.remove();
  });

  it('shows the binds and runs the upgrade (on a worker thread), op instanceof the Operations the .cjs helper requires', async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    tmux = startMigrateTui(p.dir);
    await tmux.waitFor(/app +sqlite +base +a1b2c3d4e5f6 +1 pending|EXIT:\d+/);
    expect(tmux.screen()).not.toMatch(/ERROR|EXIT:/);
    await tmux.press('Enter', '[ Upgrade: 1 revision on 1 bind ]');
    tmux.send('u');
    const final = await tmux.waitFor(/Upgrade · finished|Upgrade · failed/);
    expect(final).toMatch(/^✔ app +done: 1 revision in \d+\.\d s, now at a1b2c3d4e5f6$/m);
    expect(p.versionsApplied('app')).toEqual(['a1b2c3d4e5f6']);
    await tmux.press('Enter', /app +sqlite +a1b2c3d4e5f6 +a1b2c3d4e5f6 +0 up to date/);
    const exited = await tmux.press('q', /EXIT:0/);
    expect(exited).not.toContain('stopped before it finished');
  });
});
