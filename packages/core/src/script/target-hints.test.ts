// Every message that suggests a target (or a command with one) suggests a form the parser
// accepts: each case triggers the real error, pulls the suggested forms out of its message, fills
// in the placeholders (<bind>, <rev>, <label>, N) and feeds each form back to parseTarget (or, for
// a history range, to revisionHistory; for `migrate merge`, each revision to the map).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeRevision } from '../commands/revision.js';
import { loadEnvironment } from '../runtime/environment.js';
import { planDowngrade, planStamp, planUpgrade, type BindState } from './planner.js';
import { revisionHistory } from './revision-history.js';
import { RevisionMap } from './revision-map.js';
import { parseTarget, TARGET_FORMS } from './revision-target.js';
import { rev } from '../testing/revision-fixture.js';

// main: a1 <- a2; fork: f1 <- f2a, f1 <- f2b (labelled 'side'); tenant (t1, t2): c1 <- c2.
const map = new RevisionMap([
  rev('a1', null, 'main'),
  rev('a2', 'a1', 'main'),
  rev('f1', null, 'fork'),
  rev('f2a', 'f1', 'fork'),
  rev('f2b', 'f1', 'fork', { branchLabels: ['side'] }),
  rev('c1', null, 'tenant'),
  rev('c2', 'c1', 'tenant'),
]);
const branches = [
  { bind: 'main', branch: 'main' },
  { bind: 'fork', branch: 'fork' },
  { bind: 't1', branch: 'tenant' },
  { bind: 't2', branch: 'tenant' },
];
const at = (rows: Partial<Record<string, string[]>>): BindState[] => branches.map((b) => ({ ...b, heads: rows[b.bind] ?? [] }));

/**
 * Revisions of each bind's branch (and of the label 'side') to fill `<rev>` with: the lower one
 * where the form steps up from it, the upper one where it steps down.
 */
const REVISION: Record<string, readonly [low: string, high: string]> = {
  main: ['a1', 'a2'],
  fork: ['f1', 'f1'],
  t1: ['c1', 'c2'],
  t2: ['c1', 'c2'],
  side: ['f2b', 'f2b'],
};

/** Fills the placeholders of a suggested form; `bind` is the bind the message is about. */
function fill(form: string, bind = 'main'): string {
  const owner = form.includes('<label>') ? 'side' : (/^([A-Za-z0-9_-]+)@<rev>/.exec(form)?.[1] ?? bind);
  const [low, high] = REVISION[owner] ?? REVISION[bind]!;
  return form
    .replaceAll('<bind>', bind)
    .replaceAll('<label>', 'side')
    .replace(/<rev>(?=-)/g, high)
    .replaceAll('<rev>', low)
    .replace(/([+-])N\b/g, '$11');
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

/** The captures of `pattern` (global) in the message; at least one, or the case is broken. */
function suggestions(message: string, pattern: RegExp): string[] {
  const found = [...message.matchAll(pattern)].flatMap((m) => m.slice(1).filter((g) => g !== undefined));
  expect(found, `no suggestion matched ${pattern} in: ${message}`).not.toEqual([]);
  return found;
}

/** Each target form parses (filled in for `bind`). */
function expectTargets(forms: readonly string[], bind?: string): void {
  for (const form of forms) expect(() => parseTarget(fill(form, bind), map, branches), form).not.toThrow();
}

/** `migrate <verb> [--flags] TARGET...` or `<verb> TARGET`: the targets parse. */
function expectCommand(command: string, bind?: string): void {
  const words = command.replace(/^migrate /, '').split(/\s+/);
  const verb = words.shift()!;
  const args = words.filter((w) => !w.startsWith('--'));
  expect(args.length, command).toBeGreaterThan(0);
  if (verb === 'merge') {
    const revisions = args.slice(args.indexOf('-m') + 2);
    for (const r of revisions) expect(() => map.resolve(r), command).not.toThrow();
    return;
  }
  expect(['upgrade', 'downgrade', 'stamp'], command).toContain(verb);
  expectTargets(args, bind);
}

describe('suggested target forms parse', () => {
  it('the list of forms a target that matches nothing gives', () => {
    const message = messageOf(() => parseTarget('zz99', map, branches));
    const forms = suggestions(message, /Targets: ([^.]+)\./g)[0]!.split(', ');
    expect(forms).toEqual([...TARGET_FORMS]);
    expectTargets(forms);
  });

  it('target grammar errors', () => {
    expectTargets(suggestions(messageOf(() => parseTarget('+0', map, branches)), /e\.g\. '([^']+)', '([^']+)'/g));
    expectTargets(suggestions(messageOf(() => parseTarget('main@head@base', map, branches)), /e\.g\. '([^']+)'/g));
    expectTargets(suggestions(messageOf(() => parseTarget('main+1', map, branches)), /write '([^']+)'/g));
    expectTargets(suggestions(messageOf(() => parseTarget('head+2', map, branches)), /; '([^']+)' steps up/g));
    expectTargets(suggestions(messageOf(() => parseTarget('main@base-1', map, branches)), /; '([^']+)' counts up/g));
    expectTargets(suggestions(messageOf(() => parseTarget('t1@heads-1', map, branches)), /\('([^']+)' for a single head\)/g));
  });

  it('version-table errors suggest stamp commands', () => {
    const unknown = messageOf(() => planUpgrade(map, at({ main: ['gone'] }), ['main@head']));
    for (const c of suggestions(unknown, /'(migrate stamp [^']+)'/g)) expectCommand(c, 'main');
    const otherBranch = messageOf(() => planUpgrade(map, at({ main: ['f1'] }), ['main@head']));
    for (const c of suggestions(otherBranch, /'(migrate stamp [^']+)'/g)) expectCommand(c, 'main');
    const redundant = messageOf(() => planUpgrade(map, at({ main: ['a1', 'a2'] }), ['main@head']));
    for (const c of suggestions(redundant, /'(migrate stamp [^']+)'/g)) expectCommand(c, 'main');
  });

  it('upgrade and downgrade point to each other', () => {
    expectCommand(suggestions(messageOf(() => planUpgrade(map, at({ main: ['a2'] }), ['main@-1'])), /use '([^']+)'/g)[0]!);
    expectCommand(suggestions(messageOf(() => planDowngrade(map, at({ main: ['a1'] }), 'main@+1')), /use '([^']+)'/g)[0]!);
  });

  it('several heads: name one, <branch>@heads, heads, or merge them', () => {
    const message = messageOf(() => planUpgrade(map, at({}), ['fork@head']));
    expectTargets(suggestions(message, /'([^' ]+)'/g).filter((q) => q !== 'fork@head'));
    expectCommand(suggestions(message, /'(migrate merge [^']+)'/g)[0]!);
    const down = messageOf(() => planDowngrade(map, at({ fork: ['f2a', 'f2b'] }), 'fork@-1'));
    expectTargets(suggestions(down, /e\.g\. '([^']+)'/g));
  });

  it('a bind is required: the bind and <bind>@-1', () => {
    expectTargets(suggestions(messageOf(() => planDowngrade(map, at({ main: ['a1'] }), undefined)), /'([^']+)'/g).filter((q) => q !== 'downgrade'));
  });

  it('a shared branch: name one bind', () => {
    for (const target of ['c1', 'tenant', 'tenant@-1', 'c2@base']) {
      const message = messageOf(() => planDowngrade(map, at({ t1: ['c2'], t2: ['c2'] }), target));
      expectTargets(suggestions(message, /e\.g\. '([^']+)'/g));
    }
    expectTargets(suggestions(messageOf(() => planStamp(map, at({}), ['c2'])), /e\.g\. '([^']+)'/g));
  });

  it('a line the bind is not on: name the revision', () => {
    const message = messageOf(() => planDowngrade(map, at({ fork: ['f2a'] }), 'side@-1'));
    expectTargets(suggestions(message, /e\.g\. '([^']+)'/g));
  });

  it('history ranges', () => {
    const ranges = (message: string, pattern: RegExp) => {
      for (const range of suggestions(message, pattern)) expect(() => revisionHistory(map, fill(range), branches), range).not.toThrow();
    };
    ranges(messageOf(() => revisionHistory(map, 'a1', branches)), /'([^']*:[^']*)'/g);
    ranges(messageOf(() => revisionHistory(map, 'a2:a1', branches)), /'([^']*:[^']*)'\.$/g);
    ranges(messageOf(() => revisionHistory(map, 'a1:f1', branches)), /e\.g\. '([^']+)' and '([^']+)'/g);
    expectTargets(suggestions(messageOf(() => revisionHistory(map, '-2:', branches)), /e\.g\. '([^']+)'/g));
    expectTargets(suggestions(messageOf(() => revisionHistory(map, 'base+1:', branches)), /e\.g\. '([^']+)'/g));
  });

  describe('revision --head', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-hints-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('names the forms --head takes', async () => {
      mkdirSync(join(dir, 'migrations', 'versions', 'main'), { recursive: true });
      writeFileSync(
        join(dir, 'migrations', 'versions', 'main', 'a1_x.ts'),
        "export const revision = 'a1';\nexport const downRevision = null;\nexport const branchLabels = ['main'];\nexport const dependsOn = [];\nexport const message = 'x';\nexport const createDate = '2026-01-01T00:00:00Z';\n",
      );
      const env = await loadEnvironment({ dialects: [], baseDir: dir, configObject: { directory: 'migrations', binds: { main: { url: 'sqlite::memory:' } } } });
      let message = '';
      await placeRevision(env, { head: 'base' }).catch((e: Error) => (message = e.message));
      const forms = suggestions(message, /'(<[^']+)'/g);
      for (const form of forms) await expect(placeRevision(env, { head: fill(form) })).resolves.toMatchObject({ branch: 'main' });
      await expect(placeRevision(env, { head: 'main' })).resolves.toEqual({ branch: 'main', downRevisions: ['a1'] });
    });
  });
});
