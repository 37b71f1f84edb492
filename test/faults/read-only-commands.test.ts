// Commands that only read scripts (history, heads, branches, show) read headers statically: they
// execute no revision module and load no database driver, no Kysely (loaded with a connection,
// it is most of a start-up's module loading), nor autogenerate or the terminal UI.
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN, runMigrate, TempProject } from '../support/project.js';
import { addRevision, expectOneLineError, resolveLogger } from './faults-support.js';

/** Module requests that must not happen for a reading command. */
const DRIVERS = ['better-sqlite3', 'pg', 'mysql2', '@multidb/autogenerate', '@multidb/tui', 'react', 'ink'];

const requested = (specifiers: readonly string[], name: string) =>
  specifiers.some((s) => s === name || s.startsWith(`${name}/`) || s.includes(`/node_modules/${name}/`));

/**
 * Whether a module of kysely was loaded: the dialect package's bundled copy (its `kysely-<hash>.js`
 * chunk), kysely's own modules, the dialects' script the migrate bin reads (kysely in it), or an
 * entry of the dialect package other than its registry (each a facade of that script). Its specifier is resolved by every command (the module
 * alias that gives revisions the dialects' copy), so the loaded URLs tell, not the requests.
 */
const kyselyLoaded = (urls: readonly string[]) =>
  urls.some((u) => u.includes('/node_modules/kysely/') || /\/kysely-[\w-]+\.js$/.test(u) || /\/dialect\/dist\/bundle\/(?:shared\.script\.cjs|(?!registry\.)(?:[\w-]+\/)?[\w-]+\.js)$/.test(u));
/** How many of kysely's own ES modules (node_modules/kysely, not the bundle) were loaded. */
const kyselyModules = (urls: readonly string[]) => urls.filter((u) => u.includes('/node_modules/kysely/')).length;

describe('reading commands execute no revision and load no driver', () => {
  let p: TempProject;
  let logger: ReturnType<typeof resolveLogger>;
  let exploding: string;

  beforeAll(() => {
    p = new TempProject();
    addRevision(p, 'default', { revision: 'aa01', downRevision: null, message: 'first' });
    // A valid header over a module that throws as soon as it is evaluated.
    exploding = addRevision(p, 'default', {
      revision: 'aa02',
      downRevision: 'aa01',
      message: 'explodes on import',
      extra: "throw new Error('executed!');\n",
    });
    addRevision(p, 'default', { revision: 'aa03', downRevision: 'aa01', message: 'sibling' });
    addRevision(p, 'db2', { revision: 'bb01', downRevision: null, message: 'first of db2' });
    logger = resolveLogger(p);
  });
  afterAll(() => p.remove());

  const runLogged = async (...args: string[]) => {
    logger.reset();
    const out = await runMigrate(p.dir, args, { ...p.env, ...logger.env });
    return { out, specifiers: logger.specifiers(), loaded: logger.loaded() };
  };

  it.each([
    [['history']],
    [['history', '--verbose']],
    [['history', 'default', '-r', 'aa01:']],
    [['heads']],
    [['heads', '--verbose']],
    [['branches']],
    [['show', 'aa02']],
    [['show', 'aa01']],
  ])('%j succeeds without importing a revision or a driver', async (args) => {
    const { out, specifiers, loaded } = await runLogged(...args, '--config', 'migrate.config.ts');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toContain('executed!');
    // The logger really ran: the bin's own modules were requested (the bin finds core and the
    // dialect registry itself, and requires the registry's CommonJS file by its path).
    expect(specifiers.length).toBeGreaterThan(5);
    expect(specifiers.some((s) => s.endsWith('/dist/bundle/start.cjs'))).toBe(true);
    expect(specifiers.some((s) => /\/dialect\/dist\/bundle\/registry\.cjs$/.test(s))).toBe(true);
    for (const name of DRIVERS) expect(requested(specifiers, name), `${name} requested by ${args.join(' ')}`).toBe(false);
    // Through the ES module loader, nothing but the bin (which the logging hooks make it load): no
    // dialect, no kysely, no bundle of core (setting that loader up costs a short command ~13 ms).
    expect(loaded.filter((u) => !u.endsWith('.script.cjs'))).toEqual([pathToFileURL(MIGRATE_BIN).href]);
    // Of the scripts the bin compiles with code caches, core's and the CLI's, not the dialects'.
    expect(loaded.filter((u) => u.endsWith('.script.cjs')).map((u) => u.split('/').slice(-4).join('/')).sort()).toEqual([
      'cli/dist/bundle/main.script.cjs',
      'core/dist/bundle/index.script.cjs',
    ]);
    expect(kyselyLoaded(loaded), `kysely loaded by ${args.join(' ')}`).toBe(false);
    expect(p.exists('.data')).toBe(false);
  });

  it('they print what they read from the headers', async () => {
    const history = (await p.ok('history')).stdout;
    expect(history).toContain('aa01 -> aa02');
    expect(history).toContain('explodes on import');
    const heads = (await p.ok('heads')).stdout;
    expect(heads).toContain('aa02');
    expect(heads).toContain('aa03');
    expect(heads).toContain('bb01');
    expect((await p.ok('branches')).stdout).toMatch(/aa01[^]*aa02[^]*aa03/);
    const show = (await p.ok('show', 'aa02')).stdout;
    expect(show).toContain('Rev: aa02');
    expect(show).toContain(exploding);
  });

  it('positive controls: current loads the driver once the file exists; an upgrade through the module imports it and fails naming the file', async () => {
    // The bind's file does not exist yet: current says so, creates nothing and needs no driver.
    const before = await runLogged('current');
    expect(before.out.code, before.out.stderr).toBe(0);
    expect(before.out.stdout).toMatch(/^\[default\] database file .*default\.db does not exist \(at base\)$/m);
    expect(p.exists('.data/default.db')).toBe(false);

    const upgrade = await runLogged('upgrade', 'aa02');
    expect(requested(upgrade.specifiers, 'better-sqlite3')).toBe(true);
    expect(kyselyLoaded(upgrade.loaded)).toBe(true);
    expectOneLineError(upgrade.out, [exploding, 'executed!']);
    expect(p.versionsApplied('default')).toEqual([]);
    expect(p.tables('default')).toEqual([]);

    // A revision beside it still runs: the exploding module is imported only when planned.
    await p.ok('upgrade', 'aa03');
    expect(p.versionsApplied('default')).toEqual(['aa03']);

    const current = await runLogged('current');
    expect(current.out.code, current.out.stderr).toBe(0);
    expect(requested(current.specifiers, 'better-sqlite3')).toBe(true);
    expect(kyselyLoaded(current.loaded)).toBe(true);
    // Start-up: kysely comes as the dialect's one bundled chunk, none of its 262 modules.
    expect(kyselyModules(current.loaded)).toBe(0);
    expect(kyselyModules(upgrade.loaded)).toBe(0);
    expect(requested(current.specifiers, 'react')).toBe(false);
  });
});
