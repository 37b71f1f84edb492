// The whole app over a real project (SQLite files in a temp folder), driven with keystrokes.
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app/app.js';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { KEY, lines, press, tick, eventually } from './support/ink.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

/**
 * Waits until the frame contains `text` (the app loads data asynchronously), then a little
 * more: a screen subscribes to keys in an effect that runs just after its first frame.
 */
async function until(frame: () => string | undefined, text: string | RegExp, ms = 5000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const f = frame() ?? '';
    if (typeof text === 'string' ? f.includes(text) : text.test(f)) {
      await tick(50);
      return f;
    }
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${String(text)} in:\n${f}`);
    await tick(20);
  }
}

describe('App on a SQLite project', () => {
  const p = new SampleProject();
  let backend: EnvironmentBackend;
  beforeAll(async () => {
    p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], message: 'create artist', upgrade: `await op.createTable('Artist', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Artist');` });
    p.revision('default', { revision: 'a2', downRevision: 'a1', message: 'add artist name', upgrade: `await op.addColumn('Artist', { name: 'Name', type: 'varchar(40)', nullable: true });`, downgrade: `await op.dropColumn('Artist', 'Name');` });
    p.revision('db2', { revision: 'b1', downRevision: null, branchLabels: ['db2'], message: 'create invoice', upgrade: `await op.createTable('Invoice', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Invoice');` });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterAll(async () => {
    await backend.close();
    p.remove();
  });

  it('selects both binds, reviews, shows a revision\'s SQL, upgrades, and quits with 0', async () => {
    const onExit = vi.fn();
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} onExit={onExit} />);
    const frame = () => app.lastFrame();
    await until(frame, /db2 +sqlite +base +b1 +1 pending/);
    expect(lines(frame())[0]).toMatch(/^multidb · migrate\.config\.ts +0 of 2 selected · \? keys$/);
    expect(frame()).toMatch(/default +sqlite +base +a2 +2 pending/);

    await press(app.stdin, 'a', KEY.enter);
    await until(frame, '[ Upgrade: 3 revisions on 2 binds ]');
    expect(lines(frame())[0]).toMatch(/^Review · upgrade default, db2 +\? keys$/);
    await press(app.stdin, KEY.enter);
    await until(frame, 'SQL of the upgrade on default (sqlite)');
    expect(frame()).toContain('  1  CREATE TABLE "Artist" (');
    await press(app.stdin, '?');
    expect(frame()).toContain('Keys · revision');
    await press(app.stdin, 'x');
    await press(app.stdin, 'q');
    await until(frame, '[ Upgrade: 3 revisions on 2 binds ]');

    await press(app.stdin, 'u');
    const done = await until(frame, 'Upgrade · finished');
    expect(done).toMatch(/✔ default +done: 2 revisions in \d+\.\d s, now at a2/);
    expect(done).toMatch(/✔ db2 +done: 1 revision in \d+\.\d s, now at b1/);
    expect(done).toMatch(/Upgrade finished in \d+\.\d s: default, db2 upgraded \(3 revisions\)\./);
    expect(p.versions('default')).toEqual(['a2']);
    expect(p.versions('db2')).toEqual(['b1']);

    await press(app.stdin, KEY.enter);
    await until(frame, /db2 +sqlite +b1 +b1 +0 up to date/);
    await press(app.stdin, 'q');
    await eventually(() => expect(onExit).toHaveBeenCalledWith(0, [expect.stringMatching(/^Upgrade finished in .*: default, db2 upgraded \(3 revisions\)\.$/)]));
    app.unmount();
  });

  it('downgrades one bind one step after a confirmation naming what runs', async () => {
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} />);
    const frame = () => app.lastFrame();
    await until(frame, /default +sqlite +a2 +a2 +0 up to date/);
    await press(app.stdin, 'd');
    await until(frame, 'Downgrade default · now at a2');
    expect(frame()).toMatch(/› a1 create artist \(one step back\) +default@-1/);
    await press(app.stdin, KEY.enter);
    await until(frame, 'This runs 1 downgrade on default, in this order:');
    expect(frame()).toMatch(/› default +downgrade a2 +add artist name/);
    await press(app.stdin, KEY.enter);
    await until(frame, 'SQL of the downgrade on default (sqlite)');
    expect(frame()).toContain('ALTER TABLE "Artist" DROP COLUMN "Name"');
    await press(app.stdin, KEY.escape);
    await until(frame, 'Run it? y / n');
    expect(p.columns('default', 'Artist')).toEqual(['id', 'Name']);
    await press(app.stdin, 'y');
    await until(frame, 'Downgrade finished');
    expect(p.versions('default')).toEqual(['a1']);
    expect(p.columns('default', 'Artist')).toEqual(['id']);
    app.unmount();
  });

  it('shows a failing revision\'s error and statement, and quits with 1', async () => {
    p.revision('db2', { revision: 'b2', downRevision: 'b1', message: 'broken', upgrade: `await op.execute('INSERT INTO Nope VALUES (1)');` });
    backend.refresh();
    const onExit = vi.fn();
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} onExit={onExit} />);
    const frame = () => app.lastFrame();
    await until(frame, /db2 +sqlite +b1 +b2 +1 pending/);
    await press(app.stdin, KEY.down, KEY.enter);
    await until(frame, '[ Upgrade: 1 revision on 1 bind ]');
    await press(app.stdin, 'u');
    const done = await until(frame, 'Upgrade · finished');
    expect(lines(done).slice(1, 5)).toEqual([
      '✘ db2   failed at revision 1 of 1: b2 broken',
      '        no such table: Nope',
      '        statement: INSERT INTO Nope VALUES (1)',
      '        rolled back; db2 stays at b1',
    ]);
    await press(app.stdin, 'q');
    await until(frame, /db2 +sqlite +b1 +b2 +1 pending/);
    await press(app.stdin, KEY.escape);
    await eventually(() => expect(onExit).toHaveBeenCalledWith(1, [expect.stringContaining('db2 failed at b2, stays at b1')]));
    app.unmount();
  });
});
