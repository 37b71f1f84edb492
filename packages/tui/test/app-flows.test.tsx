// The app over a backend of plain data: loading states, errors, the help, and ctrl+c during a run.
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/app/app.js';
import type { BindRow, TuiBackend } from '../src/backend/tui-backend.js';
import { eventually, KEY, press, scriptedSession } from './support/ink.js';

const row = (name: string, over: Partial<BindRow> = {}): BindRow => ({
  name,
  branch: name,
  dialect: 'sqlite',
  displayUrl: `sqlite:.data/${name}.db`,
  current: [],
  heads: ['a1'],
  pending: 1,
  status: { kind: 'loading' },
  ...over,
});

function backend(over: Partial<TuiBackend> = {}): TuiBackend {
  return {
    configPath: '/p/migrate.config.ts',
    listBinds: () => [row('default'), row('db2')],
    loadBind: async (bind) => row(bind, { status: { kind: 'pending' } }),
    review: async () => ({ targets: ['db2@head'], totalSteps: 1, binds: [{ bind: 'db2', selected: true, current: [], steps: [{ bind: 'db2', revision: 'b1', message: 'm', file: '/p/b1.ts', downRevisions: [], index: 1, total: 1, dependsOn: [] }], history: [] }] }),
    preview: async () => {
      throw new Error('not used');
    },
    downgradeChoices: async () => [],
    planDowngrade: async (bind, target) => ({ bind, target, steps: [] }),
    startRun: async () => scriptedSession('up', [{ binds: ['db2'], targets: ['db2@head'] }]),
    refresh: () => undefined,
    reload: async () => undefined,
    close: async () => undefined,
    ...over,
  };
}

/**
 * Waits for a frame that contains `text` (the app loads data asynchronously). Keys may follow at
 * once: a screen of the app takes keys from its first frame on (it registers with the app's
 * input router while it renders).
 */
async function until(frame: () => string | undefined, text: string): Promise<void> {
  await eventually(() => expect(frame()).toContain(text));
}

describe('App flows', () => {
  it('shows each bind as checking until its state arrives', async () => {
    let resolve: (r: BindRow) => void = () => undefined;
    const app = render(<App backend={backend({ loadBind: (bind) => (bind === 'db2' ? new Promise((r) => (resolve = r)) : Promise.resolve(row(bind, { status: { kind: 'up-to-date' }, pending: 0 }))) })} cwd="/p" size={{ columns: 80, rows: 24 }} />);
    await until(app.lastFrame, 'up to date');
    expect(app.lastFrame()).toMatch(/db2 +sqlite +– +a1 +– checking…/);
    resolve(row('db2', { status: { kind: 'pending' } }));
    await until(app.lastFrame, '1 pending');
    app.unmount();
  });

  it('shows why a screen cannot load, and goes back', async () => {
    const app = render(<App backend={backend({ review: async () => Promise.reject(new Error("Revision 'b1' depends on 'x9' of branch 'audit', which no bind uses")) })} cwd="/p" size={{ columns: 80, rows: 24 }} />);
    await until(app.lastFrame, '1 pending');
    await press(app.stdin, KEY.enter);
    await until(app.lastFrame, "which no bind uses");
    await press(app.stdin, 'q');
    await until(app.lastFrame, '0 of 2 selected');
    app.unmount();
  });

  it('with an unreachable bind selected among others, the review that cannot load says to unselect it', async () => {
    const app = render(
      <App
        backend={backend({
          listBinds: () => [row('dead'), row('db2')],
          loadBind: async (bind) => row(bind, { status: bind === 'dead' ? { kind: 'unreachable', reason: 'cannot connect: ECONNREFUSED' } : { kind: 'pending' } }),
          review: async () => Promise.reject(new Error('[dead] cannot connect to postgres://app:***@db:5432/app: ECONNREFUSED')),
        })}
        cwd="/p"
        size={{ columns: 80, rows: 24 }}
      />,
    );
    await until(app.lastFrame, '1 pending');
    await until(app.lastFrame, 'unreachable');
    await press(app.stdin, 'a', KEY.enter);
    await until(app.lastFrame, '[dead] cannot connect');
    expect(app.lastFrame()).toContain('Unselect dead (unreachable) to review the others.');
    await press(app.stdin, 'q');
    await until(app.lastFrame, '2 of 2 selected');
    // Only the unreachable bind selected: no one else to review, no hint.
    await press(app.stdin, 'a', ' ', KEY.enter);
    await until(app.lastFrame, '[dead] cannot connect');
    expect(app.lastFrame()).not.toContain('Unselect');
    app.unmount();
  });

  it('opens the keys of the screen with ? and closes them with any key', async () => {
    const app = render(<App backend={backend()} cwd="/p" size={{ columns: 80, rows: 24 }} />);
    await until(app.lastFrame, '1 pending');
    await press(app.stdin, '?');
    await eventually(() => {
      expect(app.lastFrame()).toContain('Keys · binds');
      expect(app.lastFrame()).toContain('select all binds shown (again: none)');
    });
    await press(app.stdin, '?');
    await until(app.lastFrame, '0 of 2 selected');
    await press(app.stdin, '?');
    await until(app.lastFrame, 'Keys · binds');
    await press(app.stdin, 'x');
    await until(app.lastFrame, '0 of 2 selected');
    app.unmount();
  });

  it('sends every printable key to the binds filter while it is typed, ? and q included; after Esc, ? shows the keys again', async () => {
    const app = render(<App backend={backend()} cwd="/p" size={{ columns: 80, rows: 24 }} />);
    await until(app.lastFrame, '1 pending');
    await press(app.stdin, '/', 'd', '?', 'q', ' ');
    // The last key's frame: every key before it was handled, none of them opening the keys or quitting.
    await until(app.lastFrame, 'filter: d?q ▏');
    expect(app.lastFrame()).not.toContain('Keys · binds');
    await press(app.stdin, KEY.escape);
    await eventually(() => {
      expect(app.lastFrame()).toContain('0 of 2 selected');
      expect(app.lastFrame()).not.toContain('filter:');
    });
    await press(app.stdin, '/?');
    await until(app.lastFrame, 'filter: ?▏');
    expect(app.lastFrame()).not.toContain('Keys · binds');
    await press(app.stdin, KEY.enter, '?');
    await until(app.lastFrame, 'Keys · binds');
    app.unmount();
  });

  it('handles keys typed faster than the screen draws (several characters in one read)', async () => {
    const app = render(<App backend={backend()} cwd="/p" size={{ columns: 80, rows: 24 }} />);
    await until(app.lastFrame, '1 pending');
    await press(app.stdin, 'j ');
    await until(app.lastFrame, '› [x] db2');
    app.unmount();
  });

  it('ctrl+c during a run: the first asks it to stop after the revisions in progress (stopping…), a second abandons it and exits with 130', async () => {
    const session = scriptedSession('up', [{ binds: ['db2'], targets: ['db2@head'] }]);
    const onExit = vi.fn();
    const app = render(<App backend={backend({ startRun: async () => session })} cwd="/p" size={{ columns: 80, rows: 24 }} onExit={onExit} />);
    await until(app.lastFrame, '1 pending');
    await press(app.stdin, KEY.enter);
    await until(app.lastFrame, '[ Upgrade: 1 revision on 1 bind ]');
    await press(app.stdin, 'u');
    await until(app.lastFrame, 'connecting, taking the migration lock');
    await press(app.stdin, 'q');
    await until(app.lastFrame, 'The run is in progress');
    await press(app.stdin, KEY.ctrlC);
    await until(app.lastFrame, 'Stopping after the revisions in progress… (ctrl+c again abandons them)');
    expect(app.lastFrame()).toMatch(/^Upgrade · stopping… /);
    expect(session.interrupted).toBe(true);
    expect(session.cancelled).toBe(false);
    expect(onExit).not.toHaveBeenCalled();
    await press(app.stdin, KEY.ctrlC);
    await eventually(() => expect(session.cancelled).toBe(true));
    await eventually(() => expect(onExit).toHaveBeenCalledWith(130, [expect.stringMatching(/^Upgrade abandoned \(ctrl\+c twice\): what was running was cancelled, .* Run 'migrate current' to see where each bind stands\.$/)]));
  });
});
