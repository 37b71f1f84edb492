// `main` of @multidb/cli embedded in an app's process: with an output of the app's, a run leaves
// the process's SIGINT and SIGTERM to the app (no handler of main's while it runs, whose second
// signal would call process.exit); without one, main is the `migrate` process and handles them
// while the run lasts (MainOptions.output). Either way none is left once main has returned.
import { main, type Output } from '@multidb/cli';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

/** What the revision saw: the process's SIGINT and SIGTERM listeners while it ran. */
const seen = globalThis as { multidbEmbeddedListeners?: number[] };

function project(): TempProject {
  const p = new TempProject(['app']);
  p.write(
    'migrations/versions/app/e1_first.ts',
    revisionSource({
      revision: 'e1',
      downRevision: null,
      branchLabels: ['app'],
      upgrade: "(globalThis as { multidbEmbeddedListeners?: number[] }).multidbEmbeddedListeners = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];",
    }),
  );
  return p;
}

describe('main embedded in an app', () => {
  let p: TempProject | undefined;
  afterEach(() => {
    p?.remove();
    delete seen.multidbEmbeddedListeners;
  });

  const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

  it("with the app's output: no signal handler of main's during the run, none left after", async () => {
    p = project();
    const before = listeners();
    const lines: string[] = [];
    const output: Output = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
    expect(await main(['upgrade'], { cwd: p.dir, output })).toBe(0);
    expect(lines).toContain('[app] Running upgrade <base> -> e1, e1');
    expect(seen.multidbEmbeddedListeners).toEqual(before);
    expect(listeners()).toEqual(before);
  });

  it('without an output (the bin): SIGINT and SIGTERM handled while the run lasts, removed after', async () => {
    p = project();
    const before = listeners();
    expect(await main(['upgrade'], { cwd: p.dir })).toBe(0);
    expect(seen.multidbEmbeddedListeners).toEqual(before.map((n) => n + 1));
    expect(listeners()).toEqual(before);
  });
});
