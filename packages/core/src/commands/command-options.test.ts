// Every command of the command layer refuses an options object holding a key it does not take
// (from JavaScript, a misspelled key was ignored and the command ran with its defaults, on every
// bind) before it does anything: no dialect is loaded (the registry's one entry records a load and
// fails it), no database file is created, no revision file is written.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DialectRegistry } from '../dialect/dialect.js';
import { MultidbError, UnknownOptionError } from '../errors.js';
import { loadEnvironment, type MigrationEnvironment } from '../runtime/environment.js';
import * as commands from './index.js';

let root: string;
/** The dialects the commands loaded (none, when the options are refused first). */
let loaded: string[];
let env: MigrationEnvironment;

/** A registry whose SQLite entry records that it was loaded and fails: any use of a bind shows. */
const tripwire = (): DialectRegistry => [
  {
    name: 'sqlite',
    schemes: ['sqlite'],
    load: async () => {
      loaded.push('sqlite');
      throw new Error('the SQLite dialect was loaded: the command went on past its options');
    },
  },
];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-options-'));
  loaded = [];
  const folder = join(root, 'migrations', 'versions', 'default');
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'aaa_init.ts'),
    "export const revision = 'aaa';\nexport const downRevision = null;\nexport const branchLabels = ['default'];\nexport async function upgrade() {}\nexport async function downgrade() {}\n",
  );
  env = await loadEnvironment({ dialects: tripwire(), configObject: { directory: 'migrations', binds: { default: { url: 'sqlite:data/default.db' } } }, baseDir: root });
});
afterEach(async () => {
  await env.close();
  await rm(root, { recursive: true, force: true });
});

/** What is in the project folder: the repository, and nothing else (no `data/` folder, no database file). */
const projectFiles = () => readdirSync(root, { recursive: true }).map(String).sort();
const UNTOUCHED = ['migrations', 'migrations/versions', 'migrations/versions/default', 'migrations/versions/default/aaa_init.ts'];

/** A misspelled key the command must refuse, the name the error gives it, and the key it suggests. */
interface Misspelt {
  readonly call: (env: MigrationEnvironment) => Promise<unknown>;
  readonly command: string;
  readonly key: string;
  readonly suggestion: string | undefined;
}

// Options given as JavaScript without types gives them (`as never`: the compiler would refuse the key).
/** Every export of the command layer: a call with one misspelled key, or `'no options'`. */
const CASES: Record<keyof typeof commands, Misspelt | 'no options'> = {
  init: { call: () => commands.init({ cwd: join(root, 'new'), multiDb: true } as never), command: 'init()', key: 'multiDb', suggestion: 'multidb' },
  revision: { call: (e) => commands.revision(e, { message: 'x', bnd: 'default' } as never), command: 'revision()', key: 'bnd', suggestion: 'bind' },
  placeRevision: { call: (e) => commands.placeRevision(e, { hed: 'default@head' } as never), command: 'placeRevision()', key: 'hed', suggestion: 'head' },
  merge: { call: (e) => commands.merge(e, ['heads'], { mesage: 'm' } as never), command: 'merge()', key: 'mesage', suggestion: 'message' },
  upgrade: { call: (e) => commands.upgrade(e, [], { lockTimeout: 5 } as never), command: 'upgrade()', key: 'lockTimeout', suggestion: 'lockTimeoutMs' },
  downgrade: { call: (e) => commands.downgrade(e, 'default@-1', { allbinds: true } as never), command: 'downgrade()', key: 'allbinds', suggestion: 'allBinds' },
  stamp: { call: (e) => commands.stamp(e, 'head', { bnds: ['x'] } as never), command: 'stamp()', key: 'bnds', suggestion: undefined },
  resolve: { call: (e) => commands.resolve(e, 'default', { aplied: true } as never), command: 'resolve()', key: 'aplied', suggestion: 'applied' },
  current: 'no options',
  history: { call: (e) => commands.history(e, { rnge: 'a:b' } as never), command: 'history()', key: 'rnge', suggestion: 'range' },
  heads: { call: (e) => commands.heads(e, { resolve_dependencies: true } as never), command: 'heads()', key: 'resolve_dependencies', suggestion: 'resolveDependencies' },
  branches: 'no options',
  show: 'no options',
  status: 'no options',
  bindStatus: 'no options',
  reviewUpgrade: 'no options',
  reviewDowngrade: 'no options',
  downgradeChoices: 'no options',
  previewRevision: { call: (e) => commands.previewRevision(e, 'default', 'aaa', 'up', { xargs: {} } as never), command: 'previewRevision()', key: 'xargs', suggestion: 'xArgs' },
  upgradeSql: { call: (e) => commands.upgradeSql(e, [], { xarg: { a: '1' } } as never), command: 'upgradeSql()', key: 'xarg', suggestion: 'xArgs' },
  downgradeSql: { call: (e) => commands.downgradeSql(e, 'default@head:base', { xArgz: {} } as never), command: 'downgradeSql()', key: 'xArgz', suggestion: 'xArgs' },
  stampSql: { call: (e) => commands.stampSql(e, 'default@head', { purg: true } as never), command: 'stampSql()', key: 'purg', suggestion: 'purge' },
};

describe('a command given an options key it does not take', () => {
  it.each(Object.entries(CASES).filter((c): c is [string, Misspelt] => c[1] !== 'no options'))('%s refuses it before doing anything', async (_, c) => {
    const error = await c.call(env).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnknownOptionError);
    const refused = error as UnknownOptionError;
    expect(refused).toBeInstanceOf(MultidbError);
    expect(refused.code).toBe('UNKNOWN_OPTION');
    expect(refused.command).toBe(c.command);
    expect(refused.unknown).toEqual([c.suggestion === undefined ? { key: c.key } : { key: c.key, suggestion: c.suggestion }]);
    expect(refused.message).toContain(`${c.command}: unknown option '${c.key}'`);
    if (c.suggestion !== undefined) expect(refused.message).toContain(`(did you mean '${c.suggestion}'?)`);
    expect(refused.message).toContain(`; ${c.command} takes ${refused.known.join(', ')}. Nothing was done.`);
    expect(loaded).toEqual([]);
    expect(projectFiles()).toEqual(UNTOUCHED);
  });

  it('accepts known keys whose value is undefined', async () => {
    const { revisions } = await commands.history(env, { bind: undefined, range: undefined, indicateCurrent: undefined });
    expect(revisions.map((r) => r.script.revision)).toEqual(['aaa']);
    expect(await commands.placeRevision(env, { bind: undefined, head: undefined, splice: undefined })).toEqual({ branch: 'default', downRevisions: ['aaa'] });
  });

  it('names every unknown key, each with the key it likely meant', async () => {
    const error = await commands.history(env, { rnge: 'a:b', bnd: 'default', verbose: true } as never).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "history(): unknown options 'rnge' (did you mean 'range'?), 'bnd' (did you mean 'bind'?), 'verbose'; history() takes bind, range, indicateCurrent. Nothing was done.",
    );
  });

  it('refuses options that are not an object (INVALID_OPTION)', async () => {
    for (const options of [null, 'db2', ['db2'], true]) {
      const error = await commands.stamp(env, 'head', options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MultidbError);
      expect((error as MultidbError).code).toBe('INVALID_OPTION');
      expect((error as Error).message).toMatch(/^stamp\(\) takes its options as an object \(\{ purge, onEvent, lockTimeoutMs, allBinds, signal \}\); got .+\. Nothing was done\.$/);
    }
    expect(loaded).toEqual([]);
    expect(projectFiles()).toEqual(UNTOUCHED);
  });
});

describe('stampSql with purge', () => {
  it("is refused as a usage error before anything is read, as Alembic's \"Can't use --purge with --sql mode\"", async () => {
    const error = await commands.stampSql(env, 'default@head', { purge: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MultidbError);
    expect((error as MultidbError).code).toBe('USAGE');
    expect((error as Error).message).toMatch(/^stampSql\(\): purge cannot be used offline \(--purge with --sql\).*Nothing was done\.$/);
    expect(loaded).toEqual([]);
    expect(projectFiles()).toEqual(UNTOUCHED);
  });
});

describe("the environment's own methods and loadEnvironment", () => {
  it.each([
    ['upgrade', () => env.upgrade([], { concurency: 2 } as never), 'upgrade()', 'concurency', 'concurrency'],
    ['downgrade', () => env.downgrade('default@-1', { signl: undefined } as never), 'downgrade()', 'signl', 'signal'],
    ['stamp', () => env.stamp('head', { purgee: true } as never), 'stamp()', 'purgee', 'purge'],
    ['resolve', () => env.resolve('default', { applied: true, onevent: () => {} } as never), 'resolve()', 'onevent', 'onEvent'],
  ] as const)('env.%s refuses an unknown key before opening anything', async (_, call, command, key, suggestion) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toMatchObject({ command, unknown: [{ key, suggestion }] });
    expect(loaded).toEqual([]);
    expect(projectFiles()).toEqual(UNTOUCHED);
  });

  it('loadEnvironment refuses an unknown key (dialect for dialects) before reading any config', async () => {
    const error = await loadEnvironment({ dialect: tripwire(), cwd: root } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect((error as Error).message).toBe(
      "loadEnvironment(): unknown option 'dialect' (did you mean 'dialects'?); loadEnvironment() takes dialects, cwd, config, configHint, configObject, baseDir, loader, onWarning. Nothing was done.",
    );
  });

  it('says where options go when an options object is given in place of the targets', async () => {
    const error = await commands.upgrade(env, { bind: 'default' } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toBe(
      `upgrade() takes its targets as a string ('db2@head') or an array of strings (['db2@head', 'analytics@+1']); got {"bind":"default"}. ` +
        `The options object goes after the targets: commands.upgrade(env, targets, options), env.upgrade(targets, options); to upgrade one bind, give a target naming it, e.g. 'db2' (its head). Nothing was done.`,
    );
    expect(loaded).toEqual([]);
    expect(existsSync(join(root, 'data'))).toBe(false);
  });
});
