// `migrate tui -x KEY=VALUE` end to end: the real built CLI in a tmux session of 80x24, on a project
// whose one SQLite bind does not exist yet. Reading it (binds screen, review, SQL preview) creates
// no file; the upgrade run from the TUI (in a worker thread) gives the revision its op.xArgs.
import { afterAll, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';
import { hasTmux, startMigrateTui, type TmuxSession } from './tmux.js';

describe('migrate tui -x (tmux, 80x24)', () => {
  const p = new TempProject(['app']);
  let tmux: TmuxSession | undefined;
  p.write(
    'migrations/versions/app/a1b2c3d4e5f6_record_x_args.ts',
    revisionSource({
      revision: 'a1b2c3d4e5f6',
      downRevision: null,
      branchLabels: ['app'],
      message: 'record x args',
      upgrade: [
        `await op.createTable('x_args', [{ name: 'k', type: 'varchar(40)', primaryKey: true }, { name: 'v', type: 'varchar(40)' }]);`,
        `  for (const [k, v] of Object.entries(op.xArgs)) await op.db.insertInto('x_args').values({ k, v }).execute();`,
      ].join('\n'),
      downgrade: `await op.dropTable('x_args');`,
    }),
  );

  afterAll(() => {
    tmux?.kill();
    p.remove();
  });

  it('passes -x to the revisions it runs, and creates no database file before the run', async () => {
    expect(hasTmux(), 'tmux is needed for this test (.ci/run installs it)').toBe(true);
    tmux = startMigrateTui(p.dir, ['-x', 'tenant=acme', '-x', 'note=a=b']);
    await tmux.waitFor(/app +sqlite +base +a1b2c3d4e5f6 +1 pending/);
    await tmux.press('Enter', '[ Upgrade: 1 revision on 1 bind ]');
    const sql = await tmux.press('Enter', 'SQL of the upgrade on app (sqlite)');
    expect(sql).toContain('CREATE TABLE "x_args"');
    expect(p.exists('.data')).toBe(false); // the binds screen, the review and the preview read, nothing more
    await tmux.press('Escape', '[ Upgrade: 1 revision on 1 bind ]');

    tmux.send('u');
    const final = await tmux.waitFor('Upgrade · finished');
    expect(final).toMatch(/^✔ app +done: 1 revision in \d+\.\d s, now at a1b2c3d4e5f6$/m);
    expect(p.query('app', 'SELECT k, v FROM x_args ORDER BY k')).toEqual([
      { k: 'note', v: 'a=b' },
      { k: 'tenant', v: 'acme' },
    ]);
    await tmux.press('Enter', /app +sqlite +a1b2c3d4e5f6 +a1b2c3d4e5f6 +0 up to date/);
    await tmux.press('q', /EXIT:0/);
  });
});
