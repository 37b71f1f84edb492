// The whole app over a real project (SQLite files in a temp folder), driven with keystrokes.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app/app.js';
import { EnvironmentBackend } from '../src/backend/environment-backend.js';
import { inProcessRunDriver } from '../src/run/run-driver.js';
import { finishRun } from './support/finish-run.js';
import { eventually, KEY, lines, overflowing, press } from './support/ink.js';
import { MODULE_ALIAS, SampleProject } from './support/sample-project.js';

/**
 * Waits for a frame that contains `text` and returns it. The app reads the project and its
 * SQLite files asynchronously (up to 20 s: loading revisions through jiti is slow on a loaded
 * machine). Keys may follow at once: a screen of the app takes keys from its first frame on (it
 * registers with the app's input router while it renders).
 */
function until(frame: () => string | undefined, text: string | RegExp): Promise<string> {
  return eventually(() => {
    const f = frame() ?? '';
    if (typeof text === 'string') expect(f).toContain(text);
    else expect(f).toMatch(text);
    return f;
  }, 20_000);
}

describe('App on a SQLite project', () => {
  // A project of its own for each test, at base: a test that needs a bind further runs it there.
  let p: SampleProject;
  let backend: EnvironmentBackend;
  beforeEach(async () => {
    p = new SampleProject();
    p.revision('default', { revision: 'a1', downRevision: null, branchLabels: ['default'], message: 'create artist', upgrade: `await op.createTable('Artist', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Artist');` });
    p.revision('default', { revision: 'a2', downRevision: 'a1', message: 'add artist name', upgrade: `await op.addColumn('Artist', { name: 'Name', type: 'varchar(40)', nullable: true });`, downgrade: `await op.dropColumn('Artist', 'Name');` });
    p.revision('db2', { revision: 'b1', downRevision: null, branchLabels: ['db2'], message: 'create invoice', upgrade: `await op.createTable('Invoice', [{ name: 'id', type: 'integer', primaryKey: true }]);`, downgrade: `await op.dropTable('Invoice');` });
    backend = await EnvironmentBackend.open({ cwd: p.dir, moduleAlias: MODULE_ALIAS, driver: inProcessRunDriver });
  });
  afterEach(async () => {
    await backend.close();
    p.remove();
  });

  it('selects both binds, reviews, shows a revision\'s SQL, upgrades, and quits with 0', async () => {
    const onExit = vi.fn();
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} onExit={onExit} />);
    const frame = () => app.lastFrame();
    await until(frame, /default +sqlite +base +a2 +2 pending/);
    const binds = await until(frame, /db2 +sqlite +base +b1 +1 pending/);
    expect(lines(binds)[0]).toMatch(/^multidb · migrate\.config\.ts +0 of 2 selected · \? keys$/);
    expect(binds).toMatch(/default +sqlite +base +a2 +2 pending/);

    await press(app.stdin, 'a', KEY.enter);
    const review = await until(frame, '[ Upgrade: 3 revisions on 2 binds ]');
    expect(lines(review)[0]).toMatch(/^Review · upgrade default, db2 +\? keys$/);
    await press(app.stdin, KEY.enter);
    const revision = await until(frame, 'SQL of the upgrade on default (sqlite)');
    expect(revision).toContain('  1  CREATE TABLE "Artist" (');
    await press(app.stdin, '?');
    await until(frame, 'Keys · revision');
    await press(app.stdin, 'x');
    await until(frame, 'SQL of the upgrade on default (sqlite)');
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
    await finishRun(await backend.startRun({ direction: 'up', targets: ['default@head'] }));
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} />);
    const frame = () => app.lastFrame();
    await until(frame, /default +sqlite +a2 +a2 +0 up to date/);
    await press(app.stdin, 'd');
    expect(await until(frame, 'Downgrade default · now at a2')).toMatch(/› a1 create artist \(one step back\) +default@-1/);
    await press(app.stdin, KEY.enter);
    expect(await until(frame, 'This runs 1 downgrade on default, in this order:')).toMatch(/› default +downgrade a2 +add artist name/);
    await press(app.stdin, KEY.enter);
    expect(await until(frame, 'SQL of the downgrade on default (sqlite)')).toContain('ALTER TABLE "Artist" DROP COLUMN "Name"');
    await press(app.stdin, KEY.escape);
    await until(frame, 'Run it? y / n');
    expect(p.columns('default', 'Artist')).toEqual(['id', 'Name']);
    await press(app.stdin, 'y');
    await until(frame, 'Downgrade finished');
    expect(p.versions('default')).toEqual(['a1']);
    expect(p.columns('default', 'Artist')).toEqual(['id']);
    app.unmount();
  });

  it('at 80 columns every screen and its ? keys fit: no line wider, no footer cut, the ctrl+c hint whole', async () => {
    await finishRun(await backend.startRun({ direction: 'up', targets: ['default@head'] }));
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} />);
    const frame = () => app.lastFrame();
    /** Waits for `text`, checks the frame fits, then its `?` keys (closed again with x). */
    const check = async (text: string | RegExp, keys: string) => {
      const shown = lines(await until(frame, text));
      expect(overflowing(shown, 80)).toEqual([]);
      expect(shown.at(-1)).not.toContain('…');
      await press(app.stdin, '?');
      const help = lines(await until(frame, `Keys · ${keys}`));
      expect(overflowing(help, 80)).toEqual([]);
      expect(help.filter((l) => l.includes('…'))).toEqual([]);
      // The hint may wrap under its key: what it says is all there.
      const hint = help.join(' ').replace(/ +/g, ' ');
      expect(hint).toContain(keys === 'run' ? 'ctrl+c again abandon the run (open transactions roll back) and quit' : 'ctrl+c quit (stops a run in progress after its revisions; again: abandons it)');
      await press(app.stdin, 'x');
      await until(frame, text);
    };
    await until(frame, /db2 +sqlite +base +b1 +1 pending/);
    await check(/default +sqlite +a2 +a2 +0 up to date/, 'binds');
    await press(app.stdin, KEY.down, KEY.enter);
    await check('[ Upgrade: 1 revision on 1 bind ]', 'review');
    await press(app.stdin, KEY.enter);
    await check('SQL of the upgrade on db2 (sqlite)', 'revision');
    await press(app.stdin, 'q');
    await until(frame, '[ Upgrade: 1 revision on 1 bind ]');
    await press(app.stdin, 'q');
    await until(frame, /db2 +sqlite +base +b1 +1 pending/);
    await press(app.stdin, KEY.up, 'd');
    await check('Downgrade default · now at a2', 'downgrade');
    await press(app.stdin, KEY.enter);
    await check('Run it? y / n', 'confirm');
    await press(app.stdin, 'y');
    await check('Downgrade finished', 'run');
    expect(p.versions('default')).toEqual(['a1']);
    app.unmount();
  });

  it('r reads the config file again: binds added, removed and changed show, the selection of those left stays; a config that no longer loads is named, the binds as before stay usable', async () => {
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} />);
    const frame = () => app.lastFrame();
    await until(frame, /db2 +sqlite +base +b1 +1 pending/);
    await press(app.stdin, 'a');
    await until(frame, '2 of 2 selected');
    // A bind added (db3), one removed (db2), a URL changed through a variable of the config.
    const config = (body: string[]) => p.write('migrate.config.ts', [`import { defineConfig } from '@multidb/core';`, ...body, ''].join('\n'));
    config([`const data = '.data/moved';`, `export default defineConfig({ binds: { default: { url: 'sqlite:' + data + '/default.db' }, db3: { url: 'sqlite:' + data + '/db3.db' } } });`]);
    await press(app.stdin, 'r');
    await until(frame, /\[ \] db3 +sqlite +(?!.*checking)/);
    const reloaded = lines(await until(frame, /default +sqlite +base +a2 +2 pending/));
    expect(reloaded[0]).toMatch(/^multidb · migrate\.config\.ts +1 of 2 selected · \? keys$/);
    expect(reloaded.join('\n')).toMatch(/\[x\] default +sqlite +base +a2 +2 pending\n +sqlite:\.data\/moved\/default\.db/);
    expect(reloaded.join('\n')).toMatch(/\[ \] db3 +sqlite/);
    expect(reloaded.join('\n')).not.toContain('db2');

    // The config breaks: the error names it; the binds as loaded before stay, selection too.
    config([`throw new Error('DB3_URL is not set');`, `export default defineConfig({ binds: {} });`]);
    await press(app.stdin, 'r');
    const error = lines(await until(frame, 'Config not reloaded: migrate.config.ts')).join(' ');
    // Wrapped at 80 columns (a long temporary path may be cut across lines): compared without spaces.
    const unwrapped = error.replace(/\s+/g, '');
    expect(unwrapped).toContain(`Could not load config ${join(p.dir, 'migrate.config.ts')}:`.replace(/\s+/g, ''));
    expect(unwrapped).toContain('DB3_URLisnotset');
    expect(error).toContain('as it loaded before');
    await press(app.stdin, 'q');
    const kept = lines(await until(frame, /\[x\] default +sqlite +base +a2 +2 pending/));
    expect(kept[0]).toMatch(/1 of 2 selected/);
    expect(kept.join('\n')).toMatch(/\[ \] db3 +sqlite/);
    await press(app.stdin, KEY.enter);
    await until(frame, '[ Upgrade: 2 revisions on 1 bind ]');
    app.unmount();
  });

  /**
   * The app at 80×24 upgrading db2 through b1, b2 and b3, with b2 started and waiting at a gate
   * (until the test writes `b2.go`): a key pressed now lands while a revision runs.
   */
  async function runToGate(gated: 'b2' | 'b3' = 'b2') {
    const gate = (name: string) =>
      name !== gated
        ? ''
        : `{ const fs = await import('node:fs'); fs.writeFileSync(${JSON.stringify(join(p.dir, `${name}.started`))}, ''); while (!fs.existsSync(${JSON.stringify(join(p.dir, `${name}.go`))})) await new Promise((r) => setTimeout(r, 20)); }`;
    p.revision('db2', { revision: 'b2', downRevision: 'b1', message: 'add total', upgrade: `await op.addColumn('Invoice', { name: 'Total', type: 'integer', nullable: true }); ${gate('b2')}` });
    p.revision('db2', { revision: 'b3', downRevision: 'b2', message: 'add customer', upgrade: `await op.addColumn('Invoice', { name: 'Customer', type: 'integer', nullable: true }); ${gate('b3')}` });
    backend.refresh();
    const onExit = vi.fn();
    const app = render(<App backend={backend} cwd={p.dir} size={{ columns: 80, rows: 24 }} onExit={onExit} />);
    const frame = () => app.lastFrame();
    await until(frame, /db2 +sqlite +base +b3 +3 pending/);
    await press(app.stdin, KEY.down, KEY.enter);
    await until(frame, '[ Upgrade: 3 revisions on 1 bind ]');
    await press(app.stdin, 'u');
    await eventually(() => expect(existsSync(join(p.dir, `${gated}.started`))).toBe(true), 20_000);
    return { app, frame, onExit };
  }

  it('ctrl+c during the last revision: it finishes; the run says it was stopped, with nothing left to run, as migrate upgrade does; quits with 130', async () => {
    const { app, frame, onExit } = await runToGate('b3');
    await press(app.stdin, KEY.ctrlC);
    await until(frame, 'Stopping after the revisions in progress…');
    writeFileSync(join(p.dir, 'b3.go'), '');
    const done = await until(frame, 'Upgrade · stopped');
    expect(done.replace(/\s+/g, ' ')).toMatch(/Upgrade stopped in \d+\.\d s: db2 upgraded \(3 revisions\); interrupted during the last revision, which completed: nothing was left to run\./);
    expect(p.versions('db2')).toEqual(['b3']);
    await press(app.stdin, 'q');
    await until(frame, /db2 +sqlite +b3 +b3/);
    await press(app.stdin, KEY.escape);
    await eventually(() => expect(onExit).toHaveBeenCalledWith(130, [expect.stringContaining('nothing was left to run')]));
    app.unmount();
  });

  it('ctrl+c during a run: the revision in progress finishes, none starts after it; the bind shows where it stays; quits with 130', async () => {
    const { app, frame, onExit } = await runToGate();
    await press(app.stdin, KEY.ctrlC);
    const stopping = await until(frame, 'Stopping after the revisions in progress…');
    expect(lines(stopping)[0]).toMatch(/^Upgrade · stopping… /);
    writeFileSync(join(p.dir, 'b2.go'), ''); // only now does b2 go on: the screen said so first
    const done = await until(frame, 'Upgrade · stopped');
    expect(lines(done)[1]).toBe('‖ db2   interrupted: 2 of 3 done, stays at b2');
    expect(done.replace(/\s+/g, ' ')).toMatch(/Upgrade stopped in \d+\.\d s: db2 interrupted\. Run the upgrade again to go on\./);
    expect(p.versions('db2')).toEqual(['b2']);
    expect(p.columns('db2', 'Invoice')).toEqual(['id', 'Total']);
    expect(onExit).not.toHaveBeenCalled();
    await press(app.stdin, 'q');
    await until(frame, /db2 +sqlite +b2 +b3 +1 pending/);
    await press(app.stdin, KEY.escape);
    await eventually(() => expect(onExit).toHaveBeenCalledWith(130, [expect.stringContaining('db2 interrupted')]));
    app.unmount();
  });

  it('ctrl+c twice during a run on this thread: no revision starts after the one in progress, which ends whole; the app quits with 130 once the run has ended', async () => {
    const { app, frame, onExit } = await runToGate();
    await press(app.stdin, KEY.ctrlC);
    await until(frame, 'Stopping after the revisions in progress…');
    await press(app.stdin, KEY.ctrlC);
    // b2 waits at its gate (SQLite cannot be cancelled): the run has not ended, so the app has not either.
    await new Promise((r) => setTimeout(r, 300));
    expect(onExit).not.toHaveBeenCalled();
    writeFileSync(join(p.dir, 'b2.go'), '');
    await eventually(() => expect(onExit).toHaveBeenCalledWith(130, [expect.stringContaining('Upgrade abandoned (ctrl+c twice)')]), 20_000);
    // Ended at a revision boundary: b2 whole and recorded, b3 never started.
    expect(p.versions('db2')).toEqual(['b2']);
    expect(p.columns('db2', 'Invoice')).toEqual(['id', 'Total']);
    app.unmount();
  });

  it('shows a failing revision\'s error and statement, and quits with 1', async () => {
    await finishRun(await backend.startRun({ direction: 'up', targets: ['db2@head'] }));
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
