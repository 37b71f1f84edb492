// Core's command layer called as custom tooling would (no CLI): what each bind is asked for during
// one upgrade, which binds a command touches, stamp under the migration lock, the guarded
// version-table update, and the status/review/preview commands the TUI uses.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  commands,
  CONFIG_FILE_NAMES,
  ConfigError,
  createModuleLoader,
  defineConfig,
  defineModels,
  initRepository,
  LockTimeoutError,
  loadEnvironment,
  MigrationError,
  MultidbError,
  type BindConfig,
  type DialectConnection,
  type DialectDriver,
  type DialectRegistry,
  type MigrationEnvironment,
  type RunEvent,
} from '@multidb/core';
import { autogenerate, check, codegen, loadModels } from '@multidb/autogenerate';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { revisionSource, runMigrate, TempProject } from '../support/project.js';
import { describeWithServers, queryUrl, useDatabases } from '../support/servers.js';

const MODULE_ALIAS = { '@multidb/core': new URL('../../packages/core/dist/bundle/index.js', import.meta.url).pathname };

/** What the runtime asked of each bind's connection. */
interface Calls {
  /** Connections opened, per bind (an attempt that found no database and created none is not one). */
  connects: string[];
  identities: string[];
  /** `introspectTable` calls naming the version table, per bind. */
  versionTableLooks: string[];
}

/**
 * The built-in registry with each real connection wrapped to count what core asks of it (the
 * database work still happens on the real connection: this is a spy, not a mock).
 */
function countingRegistry(calls: Calls): DialectRegistry {
  return dialects.map((entry) => ({
    ...entry,
    load: async (): Promise<DialectDriver> => {
      const driver = await entry.load();
      return {
        dialect: (url) => driver.dialect(url),
        connect: async (options) => {
          const conn = await driver.connect(options);
          calls.connects.push(options.bind);
          return new Proxy(conn, {
            get(target, key, receiver) {
              if (key === 'identity') return () => (calls.identities.push(options.bind), target.identity());
              if (key === 'introspectTable') {
                return (table: string, schema?: string) => {
                  if (table === 'multidb_version') calls.versionTableLooks.push(options.bind);
                  return target.introspectTable(table, schema);
                };
              }
              const value = Reflect.get(target, key, receiver);
              return typeof value === 'function' ? value.bind(target) : value;
            },
          }) as DialectConnection;
        },
      };
    },
  }));
}

function writeRevision(p: TempProject, branch: string, r: Parameters<typeof revisionSource>[0]): void {
  p.write(`migrations/versions/${branch}/${r.revision}_x.ts`, revisionSource(r));
}

function open(p: TempProject, registry: DialectRegistry = dialects): Promise<MigrationEnvironment> {
  return loadEnvironment({ dialects: registry, cwd: p.dir, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
}

const createTable = (name: string) => `await op.createTable('${name}', [{ name: 'id', type: 'integer', primaryKey: true }]);`;

describe('one upgrade asks each bind once', () => {
  let p: TempProject;
  afterEach(() => p.remove());

  it('identifies each bind and reads its version table once, however many revisions run', async () => {
    p = new TempProject(['default', 'db2', 'db3']);
    for (const branch of ['default', 'db2', 'db3']) {
      mkdirSync(join(p.dir, 'migrations', 'versions', branch), { recursive: true });
      writeRevision(p, branch, { revision: `${branch}1`, downRevision: null, branchLabels: [branch], upgrade: createTable(`${branch}_a`) });
      writeRevision(p, branch, { revision: `${branch}2`, downRevision: `${branch}1`, upgrade: createTable(`${branch}_b`) });
    }
    const calls: Calls = { connects: [], identities: [], versionTableLooks: [] };
    const env = await open(p, countingRegistry(calls));
    try {
      const result = await commands.upgrade(env);
      expect(result.steps).toHaveLength(6);
    } finally {
      await env.close();
    }
    expect(calls.connects.sort()).toEqual(['db2', 'db3', 'default']);
    expect(calls.identities.sort()).toEqual(['db2', 'db3', 'default']);
    expect(calls.versionTableLooks.sort()).toEqual(['db2', 'db3', 'default']);
    expect(p.versionsApplied('db3')).toEqual(['db32']);
  });

  it('upgrading one tenant opens only that tenant, not the binds sharing its branch', async () => {
    const tenants = ['t1', 't2', 't3'];
    p = new TempProject(tenants, {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: { ${tenants.map((t) => `${t}: { url: 'sqlite:.data/${t}.db', branch: 'tenant' }`).join(', ')} } });\n`,
    });
    mkdirSync(join(p.dir, 'migrations', 'versions', 'tenant'), { recursive: true });
    writeRevision(p, 'tenant', { revision: 'ten1', downRevision: null, branchLabels: ['tenant'], upgrade: createTable('note') });
    const calls: Calls = { connects: [], identities: [], versionTableLooks: [] };
    const env = await open(p, countingRegistry(calls));
    try {
      await commands.upgrade(env, ['t2']);
    } finally {
      await env.close();
    }
    expect(calls.connects).toEqual(['t2']);
    expect(p.exists('.data/t1.db')).toBe(false);
    expect(p.versionsApplied('t2')).toEqual(['ten1']);
  });

  it('a downgrade or stamp naming a revision of a shared branch is refused before any bind is opened, unless allBinds', async () => {
    const tenants = ['t1', 't2', 't3'];
    p = new TempProject(tenants, {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: { ${tenants.map((t) => `${t}: { url: 'sqlite:.data/${t}.db', branch: 'tenant' }`).join(', ')} } });\n`,
    });
    mkdirSync(join(p.dir, 'migrations', 'versions', 'tenant'), { recursive: true });
    writeRevision(p, 'tenant', { revision: 'ten1', downRevision: null, branchLabels: ['tenant'], upgrade: createTable('note'), downgrade: `await op.dropTable('note');` });
    const calls: Calls = { connects: [], identities: [], versionTableLooks: [] };
    const env = await open(p, countingRegistry(calls));
    try {
      const upgraded = await commands.upgrade(env, ['ten1']);
      expect(upgraded.steps.map((s) => s.bind)).toEqual(['t1', 't2', 't3']);
      calls.connects.length = 0;
      await env.close();

      await expect(commands.downgrade(env, 'tenant@base')).rejects.toMatchObject({ name: 'SharedBranchError', branch: 'tenant', binds: tenants });
      await expect(commands.stamp(env, ['ten1'])).rejects.toMatchObject({ name: 'SharedBranchError', command: 'stamp' });
      expect(calls.connects).toEqual([]);

      const one = await commands.downgrade(env, 't2@base');
      expect(one.steps.map((s) => s.bind)).toEqual(['t2']);
      const all = await commands.downgrade(env, 'tenant@base', { allBinds: true });
      expect(all.steps.map((s) => s.bind)).toEqual(['t1', 't3']);
      expect(tenants.map((t) => p.versionsApplied(t))).toEqual([[], [], []]);
    } finally {
      await env.close();
    }
  });
});

describe('stamp and the version table', () => {
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject(['default']);
    mkdirSync(join(p.dir, 'migrations', 'versions', 'default'), { recursive: true });
    writeRevision(p, 'default', { revision: 'a1', downRevision: null, branchLabels: ['default'], upgrade: createTable('one') });
    writeRevision(p, 'default', {
      revision: 'a2',
      downRevision: 'a1',
      // Another runner's work, simulated: the row this step is to replace disappears before the update.
      upgrade: `${createTable('two')} await op.db.deleteFrom('multidb_version').execute();`,
    });
  });
  afterAll(() => p.remove());

  it('stamp waits for the migration lock like upgrade and downgrade', async () => {
    const holder = await open(p);
    const stamper = await open(p);
    try {
      const conn = await holder.connection('default');
      await conn.acquireLock({ name: 'multidb::multidb_version' });
      await expect(commands.stamp(stamper, ['a1'], { lockTimeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
      await conn.releaseLock();
      const [change] = await commands.stamp(stamper, ['a1'], { lockTimeoutMs: 2000 });
      expect(change).toEqual({ bind: 'default', from: [], to: ['a1'], outcome: 'stamped' });
    } finally {
      await holder.close();
      await stamper.close();
    }
    expect(p.versionsApplied('default')).toEqual(['a1']);
  });

  // A run ignores what its listener throws; a stamp let it out after the first bind's table was
  // written: the other binds were left unstamped and the stamp rejected with the listener's error.
  it("a listener that throws does not stop a stamp of several binds half way", async () => {
    const two = new TempProject(['aa', 'bb']);
    try {
      for (const bind of ['aa', 'bb']) writeRevision(two, bind, { revision: `${bind}1`, downRevision: null, branchLabels: [bind], upgrade: createTable('one') });
      const env = await open(two);
      const seen: string[] = [];
      try {
        const changes = await commands.stamp(env, ['aa@head', 'bb@head'], {
          onEvent: (e) => {
            if (e.type !== 'stamp') return;
            seen.push(e.bind);
            throw new Error('a bug in the progress printer');
          },
        });
        expect(changes).toEqual([
          { bind: 'aa', from: [], to: ['aa1'], outcome: 'stamped' },
          { bind: 'bb', from: [], to: ['bb1'], outcome: 'stamped' },
        ]);
        expect(seen).toEqual(['aa', 'bb']);
      } finally {
        await env.close();
      }
      expect([two.versionsApplied('aa'), two.versionsApplied('bb')]).toEqual([['aa1'], ['bb1']]);
    } finally {
      two.remove();
    }
  });

  // As a run's binds: each bind stamped ends with bind-done (ok, its new rows) right after its
  // stamp event; a bind whose write fails, with ok: false and the rows it keeps; a bind with
  // nothing to change, with none. The write fails for real: a trigger on bb's version table.
  it('a stamp ends each bind it writes with bind-done, as a run does (ok, or not when its write fails)', async () => {
    const three = new TempProject(['aa', 'bb', 'cc']);
    try {
      for (const bind of ['aa', 'bb', 'cc']) writeRevision(three, bind, { revision: `${bind}1`, downRevision: null, branchLabels: [bind], upgrade: createTable('one') });
      const env = await open(three);
      try {
        await commands.upgrade(env, ['aa@head', 'bb@head', 'cc@head']);
        const events: RunEvent[] = [];
        const onEvent = (e: RunEvent) => events.push(e);
        expect(await commands.stamp(env, ['aa@base', 'cc@head'], { onEvent })).toEqual([
          { bind: 'aa', from: ['aa1'], to: [], outcome: 'stamped' },
          { bind: 'cc', from: ['cc1'], to: ['cc1'], outcome: 'unchanged' },
        ]);
        expect(events.filter((e) => e.type !== 'lock-acquired')).toEqual([
          { type: 'stamp', bind: 'aa', from: ['aa1'], to: [] },
          { type: 'bind-done', bind: 'aa', ok: true, heads: [] },
        ]);

        three.exec('bb', `CREATE TRIGGER keep_bb BEFORE DELETE ON multidb_version BEGIN SELECT RAISE(ABORT, 'bb keeps its rows'); END;`);
        events.length = 0;
        const error = await commands.stamp(env, ['aa@head', 'bb@base'], { onEvent }).catch((e: unknown) => e);
        expect((error as Error).message).toMatch(/bb keeps its rows/);
        expect(events.filter((e) => e.type !== 'lock-acquired')).toEqual([
          { type: 'stamp', bind: 'aa', from: [], to: ['aa1'] },
          { type: 'bind-done', bind: 'aa', ok: true, heads: ['aa1'] },
          { type: 'bind-done', bind: 'bb', ok: false, heads: ['bb1'] },
        ]);
      } finally {
        await env.close();
      }
      expect([three.versionsApplied('aa'), three.versionsApplied('bb')]).toEqual([['aa1'], ['bb1']]);
    } finally {
      three.remove();
    }
  });

  it('a version-table update that finds other rows than expected rolls the step back', async () => {
    const env = await open(p);
    try {
      const error = await commands.upgrade(env).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/another runner changed it first/);
    } finally {
      await env.close();
    }
    expect(p.versionsApplied('default')).toEqual(['a1']);
    expect(p.tables('default')).not.toContain('two');
  });
});

describe('the environment takes its targets as a string or an array', () => {
  let p: TempProject;
  afterEach(() => p.remove());

  it('upgrade, stamp and downgrade take one target as a string or in an array, and refuse anything else with a clear error', async () => {
    p = new TempProject(['default']);
    mkdirSync(join(p.dir, 'migrations', 'versions', 'default'), { recursive: true });
    writeRevision(p, 'default', { revision: 'a1', downRevision: null, branchLabels: ['default'], upgrade: createTable('one') });
    writeRevision(p, 'default', { revision: 'a2', downRevision: 'a1', upgrade: createTable('two') });
    writeRevision(p, 'default', { revision: 'a3', downRevision: 'a2', upgrade: createTable('three') });
    const env = await open(p);
    try {
      // A string is one target (it was read as a list of one-letter targets: "No revision … matches 'd'").
      expect((await env.upgrade('default@a2')).steps.map((s) => s.revision)).toEqual(['a1', 'a2']);
      expect((await env.upgrade(['default@head'])).steps.map((s) => s.revision)).toEqual(['a3']);
      expect((await env.downgrade(['default@-1'])).steps.map((s) => s.revision)).toEqual(['a3']);
      expect(p.versionsApplied('default')).toEqual(['a2']);
      expect(await env.stamp('a1')).toEqual([{ bind: 'default', from: ['a2'], to: ['a1'], outcome: 'stamped' }]);
      for (const call of [() => env.downgrade(['a1', 'base'] as never), () => env.upgrade([1] as never), () => env.stamp({ target: 'a1' } as never)]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MultidbError);
        expect((error as MultidbError).code).toBe('INVALID_OPTION');
        expect((error as Error).message).toMatch(/takes (one target|its targets)/);
      }
    } finally {
      await env.close();
    }
    expect(p.versionsApplied('default')).toEqual(['a1']);
  });

  // From JavaScript (no types), a bind name passed as a string was read character by character
  // (`status(env, 'db2')`: "Unknown bind 'd'") or failed inside the command (`current(env, 'db2')`:
  // "binds.map is not a function"). The commands take one string as a list of one, as the
  // environment's upgrade and stamp do, and refuse anything else naming the command and the value.
  it('the commands that take binds or ranges take one as a string, and refuse other values with INVALID_OPTION', async () => {
    p = new TempProject([], {
      config:
        "import { defineConfig } from '@multidb/core';\n" +
        "export default defineConfig({ binds: { app: { url: 'sqlite:.data/app.db', models: './models.ts', types: './types.ts' }, other: { url: 'sqlite:.data/other.db' } } });\n",
    });
    p.write('models.ts', "import { defineModels } from '@multidb/core';\nexport default defineModels({ tables: [{ name: 'one', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });\n");
    writeRevision(p, 'app', { revision: 'a1', downRevision: null, branchLabels: ['app'], upgrade: createTable('one'), downgrade: "await op.dropTable('one');" });
    writeRevision(p, 'other', { revision: 'o1', downRevision: null, branchLabels: ['other'], upgrade: createTable('two') });
    const env = await open(p);
    try {
      expect((await commands.upgrade(env, 'app')).steps.map((s) => s.revision)).toEqual(['a1']);
      expect((await commands.current(env, 'app')).map((b) => [b.bind, b.revisions.map((r) => r.revision)])).toEqual([['app', ['a1']]]);
      expect((await commands.status(env, 'app')).map((b) => [b.bind, b.condition.kind])).toEqual([['app', 'up-to-date']]);
      expect((await commands.reviewUpgrade(env, 'other')).binds.map((b) => [b.bind, b.steps.map((s) => s.revision)])).toEqual([['other', ['o1']]]);
      expect((await check(env, 'app')).map((r) => [r.bind, r.outcome])).toEqual([['app', 'match']]);
      expect((await codegen(env, 'app')).map((r) => [r.bind, r.outcome])).toEqual([['app', 'written']]);
      expect((await commands.upgradeSql(env, 'other@base:head')).map((s) => [s.bind, s.to])).toEqual([['other', ['o1']]]);
      expect((await commands.downgradeSql(env, ['app@head:base'])).map((s) => [s.bind, s.from, s.to])).toEqual([['app', ['a1'], []]]);
      expect((await commands.stampSql(env, 'other@head')).map((s) => [s.bind, s.to])).toEqual([['other', ['o1']]]);
      expect(await commands.stamp(env, 'other@head')).toEqual([{ bind: 'other', from: [], to: ['o1'], outcome: 'stamped' }]);
      const refused: [() => Promise<unknown>, string][] = [
        [() => commands.current(env, 5 as never), 'current() binds: give a string (\'db2\') or an array of strings ([\'db2\']); got 5.'],
        [() => commands.status(env, [1] as never), 'status() binds: give a string (\'db2\') or an array of strings ([\'db2\']); got [1].'],
        [() => check(env, { bind: 'app' } as never), 'check() binds: give a string (\'db2\') or an array of strings ([\'db2\']); got {"bind":"app"}.'],
        [() => codegen(env, 7 as never), "codegen() binds: give a string ('db2') or an array of strings (['db2']); got 7."],
        [() => commands.upgradeSql(env, 1 as never), "upgradeSql() ranges: give a string ('db2@base:head') or an array of strings (['db2@base:head']); got 1."],
        [() => commands.downgradeSql(env, ['app@head:base', 'other@head:base'] as never), "downgradeSql() range: give one range ('db2@head:base'); got 2: a downgrade moves to one target."],
      ];
      for (const [call, message] of refused) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MultidbError);
        expect(error).toMatchObject({ code: 'INVALID_OPTION', message });
      }
    } finally {
      await env.close();
    }
  });
});

describe('commands for the TUI and custom tooling', () => {
  let p: TempProject;
  let env: MigrationEnvironment;
  beforeAll(async () => {
    p = new TempProject(['default', 'db2'], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: { default: { url: 'sqlite:.data/default.db' }, db2: { url: 'sqlite:.data/db2.db' }, far: { url: 'postgres://app:s3cret@127.0.0.1:1/nowhere', connectTimeout: 2 } } });\n`,
    });
    const made = await commands.init({ cwd: p.dir, multidb: true, loader: createModuleLoader({ alias: MODULE_ALIAS }) });
    expect(made).toMatchObject({ configCreated: false, directory: join(p.dir, 'migrations') });
    writeRevision(p, 'default', { revision: 'a1', downRevision: null, branchLabels: ['default'], message: 'create artist', upgrade: createTable('Artist') });
    writeRevision(p, 'default', { revision: 'a2', downRevision: 'a1', message: 'fill artist', upgrade: `await op.db.insertInto('Artist').values({ id: 1 }).execute();` });
    writeRevision(p, 'db2', { revision: 'b1', downRevision: null, branchLabels: ['db2'], dependsOn: ['a1'], message: 'create invoice', upgrade: createTable('Invoice') });
    env = await open(p);
  });
  afterAll(async () => {
    await env.close();
    p.remove();
  });

  it('status reports every bind, an unreachable one with its masked reason, the others still read', async () => {
    const statuses = await commands.status(env);
    expect(statuses.map((s) => [s.bind, s.dialect, s.condition.kind, s.pending.map((r) => r.revision)])).toEqual([
      ['default', 'sqlite', 'pending', ['a1', 'a2']],
      ['db2', 'sqlite', 'pending', ['b1']],
      ['far', 'postgres', 'unreachable', []],
    ]);
    const far = statuses[2]!;
    expect(far.displayUrl).toBe('postgres://app:***@127.0.0.1:1/nowhere');
    expect(JSON.stringify(far)).not.toContain('s3cret');
  });

  it('reviews an upgrade with the bind it depends on pulled in, and previews SQL without running it', async () => {
    const review = await commands.reviewUpgrade(env, ['db2']);
    expect(review.binds.map((b) => [b.bind, b.selected, b.steps.map((s) => s.revision)])).toEqual([
      ['db2', true, ['b1']],
      ['default', false, ['a1']],
    ]);
    const preview = await commands.previewRevision(env, 'default', 'a2', 'up');
    expect(preview.statements).toEqual([{ sql: 'insert into "Artist" ("id") values (?)', parameters: [1], source: 'query-builder', write: 1 }]);
    expect(p.tables('default')).toEqual([]);
  });

  it('writes a revision on the head a --head names, through the one target grammar', async () => {
    const written = await commands.revision(env, { message: 'on default', head: 'a1@head', revId: 'a3' });
    expect(written).toMatchObject({ revision: 'a3', branch: 'default', downRevisions: ['a2'] });
    await expect(commands.revision(env, { message: 'x', head: 'base' })).rejects.toThrow(/names no head/);
    // a1 is followed by a2: a revision on it would add a head, so it takes splice (Alembic's --splice).
    await expect(commands.revision(env, { message: 'x', head: 'a1' })).rejects.toThrow(/revision a1 is not a head \(a2 follows it\)\. Give --splice/);
    expect(await commands.revision(env, { message: 'beside a2', head: 'a1', splice: true, revId: 'a4' })).toMatchObject({ revision: 'a4', branch: 'default', downRevisions: ['a1'] });
    await expect(commands.revision(env, { message: 'x' })).rejects.toThrow(/needs a bind/);
  });
});

describe('config errors name what the caller has: the options of code, the config object, the CLI\'s --config', () => {
  /** Whether a config lies in the temporary folder or above it (then no search fails). */
  const configAbove = (() => {
    for (let dir = resolve(tmpdir()); ; dir = dirname(dir)) {
      if (CONFIG_FILE_NAMES.some((n) => existsSync(join(dir, n)))) return true;
      if (dirname(dir) === dir) return false;
    }
  })();

  it.skipIf(configAbove)('no config found: loadEnvironment names its options (config, cwd, configObject), the CLI --config PATH', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'multidb-noconfig-'));
    try {
      const error = await loadEnvironment({ dialects, cwd: bare }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        `No migrate.config.ts found in ${bare} or any parent folder. Run 'migrate init --multidb' to create one, or give loadEnvironment a \`config\` (the config file's path), a \`cwd\` inside the project, or a \`configObject\`.`,
      );
      const cli = await runMigrate(bare, ['current']);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/No migrate\.config\.ts found in .* Run 'migrate init --multidb' to create one, or pass --config PATH\.$/m);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  // From JavaScript: `loadEnvironment({ dialects: require('@multidb/dialect') })` (the module for its
  // `dialects` export), or no options at all, failed with "dialects is not iterable" / "Cannot read
  // properties of undefined"; the error now says what to give.
  it('options that are not an object, or dialects that are not a registry, are refused saying what to give', async () => {
    const dialectModule = await import('@multidb/dialect/registry');
    const hint = "give it { dialects } from '@multidb/dialect' (import { dialects } from '@multidb/dialect', or require('@multidb/dialect').dialects)";
    const cases: [unknown, string][] = [
      [undefined, `loadEnvironment() takes an options object: ${hint}; got undefined.`],
      [{ dialects: { ...dialectModule } }, `loadEnvironment() options.dialects must be a registry of dialects (an array of entries): ${hint}; got an object with keys dialects, kyselyModuleAlias.`],
      [{}, `loadEnvironment() options.dialects must be a registry of dialects (an array of entries): ${hint}; got undefined.`],
      [{ dialects: ['sqlite'] }, `loadEnvironment() options.dialects must be a registry of dialects (an array of entries): ${hint}; got an array of 1.`],
    ];
    for (const [options, message] of cases) {
      const error = await loadEnvironment(options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MultidbError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION', message });
    }
  });

  it('an invalid configObject: the error names the config object, not a migrate.config.ts that does not exist', async () => {
    const error = await loadEnvironment({ dialects, baseDir: tmpdir(), configObject: { binds: { db2: { url: 5432 } } } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("The configObject given to loadEnvironment: bind 'db2' has an invalid url 5432.");
    expect((error as ConfigError).file).toBeUndefined();
    const unknown = await loadEnvironment({ dialects, baseDir: tmpdir(), configObject: { binds: { db2: { url: 'sqlite::memory:', modles: 'x' } } } as never }).catch((e: unknown) => e);
    expect((unknown as ConfigError).message).toBe("The configObject given to loadEnvironment: unknown setting binds.db2.modles: did you mean models?");
    expect((unknown as ConfigError).message).not.toMatch(/migrate\.config\.ts/);
  });

  it('a configObject has no file: loaded.path is undefined, and errors that name the config name the object, never a migrate.config.ts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-configobject-'));
    try {
      mkdirSync(join(dir, 'migrations', 'versions', 'main'), { recursive: true });
      const fileless = (bind: BindConfig) => loadEnvironment({ dialects, baseDir: dir, configObject: { binds: { main: bind } } });
      const env = await fileless({ url: 'sqlite:main.db', branch: 'nowhere' });
      expect(env.loaded.path).toBeUndefined();
      expect(env.loaded.source).toBe('the configObject given to loadEnvironment');
      expect(env.loaded.baseDir).toBe(dir);
      const errors: unknown[] = [await env.scriptDirectory().catch((e: unknown) => e)]; // a branch naming no folder
      expect((errors[0] as Error).message).toMatch(/^Bind 'main' has branch: 'nowhere', which names no folder/);
      const plain = await fileless({ url: 'sqlite:main.db' });
      errors.push(await check(plain).catch((e: unknown) => e), await codegen(plain, ['main']).catch((e: unknown) => e));
      expect((errors[1] as Error).message).toMatch(/Set binds\.main\.models in the configObject given to loadEnvironment to the module/);
      expect((errors[2] as Error).message).toBe("bind 'main' names no types file: set binds.main.types (e.g. './src/db/main-types.ts') in the configObject given to loadEnvironment.");
      errors.push(await loadModels(await fileless({ url: 'sqlite:main.db', models: './src/models/main.ts' }), 'main').catch((e: unknown) => e));
      expect((errors[3] as Error).message).toContain(`is relative to ${dir}, the baseDir of the configObject given to loadEnvironment).`);
      for (const error of errors) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).not.toMatch(/migrate\.config\.ts/);
      }
      // The errors about the config have no file (a models module that is missing is the file of its error).
      expect(errors.slice(0, 3).map((e) => (e as ConfigError).file)).toEqual([undefined, undefined, undefined]);
      expect(existsSync(join(dir, 'main.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a configObject with its models in memory', () => {
  // `models: defineModels({…})` in a configObject was refused with "unknown setting
  // binds.default.models.kind" (read as a { drizzle } object); it is used as a models module's
  // default export would be.
  it('takes models given as defineModels(…): check compares them, autogenerate writes their revision', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'multidb-models-object-'));
    try {
      await initRepository({ directory: join(dir, 'migrations'), branches: ['main'], multidb: true });
      const models = defineModels({ tables: [{ name: 'item', columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'label', type: 'text' }] }] });
      const env = await loadEnvironment({ dialects, baseDir: dir, configObject: defineConfig({ binds: { main: { url: 'sqlite:main.db', models } } }) });
      try {
        expect(await loadModels(env, 'main')).toBe(models);
        const before = await check(env);
        expect(before.map((r) => [r.bind, r.outcome, r.changes.map((c) => c.kind)])).toEqual([['main', 'differs', ['add_table']]]);
        const written = await autogenerate(env, { message: 'item' });
        expect(written.map((r) => [r.bind, r.outcome])).toEqual([['main', 'written']]);
        await commands.upgrade(env, []);
        expect((await check(env)).map((r) => r.outcome)).toEqual(['match']);
      } finally {
        await env.close();
      }
      // An object that is neither models nor { drizzle }: what models takes.
      const error = await loadEnvironment({ dialects, baseDir: dir, configObject: { binds: { main: { url: 'sqlite:main.db', models: { tables: [] } } } } as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        "The configObject given to loadEnvironment: unknown setting binds.main.models.tables: models takes a module path ('./src/models/db.ts'), defineModels({ tables: [...] }), or { drizzle: './src/db/schema.ts' } with drizzle.",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Two revisions on a bind's branch: one creates a table, the next alters it and inserts `op.xArgs.id`. */
function writeRevisions(p: TempProject, bind: string): void {
  const addColumn = `await op.addColumn('Artist', { name: 'Country', type: 'varchar(40)', nullable: true });`;
  writeRevision(p, bind, { revision: `${bind}1`, downRevision: null, branchLabels: [bind], upgrade: createTable('Artist') });
  writeRevision(p, bind, { revision: `${bind}2`, downRevision: `${bind}1`, upgrade: `${addColumn}\n  await op.db.insertInto('Artist').values({ id: Number(op.xArgs.id ?? 0) }).execute();` });
}

describe('reviewing and previewing an upgrade create no database', () => {
  it('a SQLite bind whose file and folder do not exist is at base: the review and the preview create nothing', async () => {
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { aa: { url: 'sqlite:data/aa.db' } } });\n` });
    writeRevisions(p, 'aa');
    const env = await open(p);
    try {
      const review = await commands.reviewUpgrade(env, ['aa']);
      expect(review.binds.map((b) => [b.bind, b.current, b.steps.map((s) => s.revision)])).toEqual([['aa', [], ['aa1', 'aa2']]]);
      const first = await commands.previewRevision(env, 'aa', 'aa1', 'up');
      expect(first.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^CREATE TABLE "Artist" \(/)]);
      expect(first.notes).toEqual([`The bind's database file ${join(p.dir, 'data', 'aa.db')} does not exist yet: it is at base, with no tables (the first upgrade creates it).`]);
      // An op that needs a table's shape says why it is not shown; op.xArgs reaches the revision.
      const second = await commands.previewRevision(env, 'aa', 'aa2', 'up', { xArgs: { id: '7' } });
      // The op that does not compile here is write 1 still, as a run counts it (write 2: the insert).
      expect(second.statements).toEqual([{ sql: 'insert into "Artist" ("id") values (?)', parameters: [7], source: 'query-builder', write: 2 }]);
      expect(second.notes.join('\n')).toMatch(/AddColumn on 'Artist' does not compile against the current schema: .*the bind's database does not exist yet/);
      expect(p.exists('data')).toBe(false);
      await commands.upgrade(env, ['aa@head']);
      expect(p.exists('data/aa.db')).toBe(true);
    } finally {
      await env.close();
      p.remove();
    }
  });
});

describe('previewing a revision that pending revisions of its bind run before', () => {
  it('says the shape was read as it is now and names the revisions that run first; the next revision and a bind at its parent get no such note', async () => {
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { cc: { url: 'sqlite:cc.db' } } });\n` });
    const rebuild = (column: string) => `await op.batchAlterTable('Artist', (batch) => { batch.addColumn({ name: '${column}', type: 'text' }); }, { recreate: 'always' });`;
    writeRevision(p, 'cc', { revision: 'cc1', downRevision: null, branchLabels: ['cc'], upgrade: createTable('Artist') });
    writeRevision(p, 'cc', { revision: 'cc2', downRevision: 'cc1', upgrade: `await op.addColumn('Artist', { name: 'Country', type: 'varchar(40)' });`, downgrade: rebuild('Gone') });
    writeRevision(p, 'cc', { revision: 'cc3', downRevision: 'cc2', upgrade: rebuild('Note'), downgrade: `await op.dropColumn('Artist', 'Note');` });
    const env = await open(p);
    try {
      await commands.upgrade(env, ['cc@cc1']);
      // cc3's rebuild is compiled from Artist as it is now, without the Country that cc2 adds first.
      const third = await commands.previewRevision(env, 'cc', 'cc3', 'up');
      expect(third.statements[0]?.sql).not.toContain('Country');
      expect(third.notes).toEqual([
        "The shape of 'Artist' was read from the database as it is now, but the upgrade of 1 revision of this bind runs before this one (cc2): where it changes that table, the statements run will differ from these.",
      ]);
      expect((await commands.previewRevision(env, 'cc', 'cc2', 'up')).notes).toEqual([]);
      await commands.upgrade(env, ['cc@head']);
      // At cc3: cc2's downgrade runs after cc3's.
      expect((await commands.previewRevision(env, 'cc', 'cc2', 'down')).notes).toEqual([
        "The shape of 'Artist' was read from the database as it is now, but the downgrade of 1 revision of this bind runs before this one (cc3): where it changes that table, the statements run will differ from these.",
      ]);
      await commands.downgrade(env, 'cc@cc2');
      const now = await commands.previewRevision(env, 'cc', 'cc3', 'up');
      expect(now.statements[0]?.sql).toContain('Country');
      expect(now.notes).toEqual([]);
    } finally {
      await env.close();
      p.remove();
    }
  });
});

describeWithServers('previewing a revision on a PostgreSQL bind whose schema does not exist', ['postgres'], () => {
  const dbs = useDatabases('preview_schema', { pg: 'postgres' });

  it('is at base and creates no schema', async () => {
    process.env.PREVIEW_PG_URL = dbs.pg.url;
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { pg: { url: process.env.PREVIEW_PG_URL, schema: 'tenant_absent' } } });\n` });
    writeRevisions(p, 'pg');
    const env = await open(p);
    try {
      const preview = await commands.previewRevision(env, 'pg', 'pg1', 'up');
      expect(preview.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^CREATE TABLE "Artist" \(/)]);
      expect(preview.notes).toEqual([expect.stringMatching(/^The bind's schema "tenant_absent" on .* does not exist yet: it is at base/)]);
      const schemas = await queryUrl<{ n: number }>(dbs.pg.url, `SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'tenant_absent'`);
      expect(schemas).toEqual([{ n: 0 }]);
    } finally {
      await env.close();
      p.remove();
    }
  });

  it('a downgrade, a stamp to base, a resolve, planUpgrade, inFlight and lockHolders find it at base and create no schema; a stamp of a revision creates it', async () => {
    process.env.PREVIEW_PG_URL = dbs.pg.url;
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { pg: { url: process.env.PREVIEW_PG_URL, schema: 'tenant_absent2' } } });\n` });
    writeRevisions(p, 'pg');
    const schemas = () => queryUrl<{ n: number }>(dbs.pg.url, `SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'tenant_absent2'`);
    const env = await open(p);
    try {
      expect((await commands.downgrade(env, 'pg@base')).steps).toEqual([]);
      expect(await commands.stamp(env, ['base'], { purge: true })).toEqual([{ bind: 'pg', from: [], to: [], outcome: 'unchanged' }]);
      await expect(env.resolve('pg', { applied: true })).rejects.toThrow(/has no revision in flight/);
      expect(await schemas()).toEqual([{ n: 0 }]);
      expect((await env.planUpgrade([])).steps.map((s) => s.revision)).toEqual(['pg1', 'pg2']);
      expect(await schemas()).toEqual([{ n: 0 }]);
      expect((await env.inFlight()).size).toBe(0);
      expect((await env.lockHolders()).size).toBe(0);
      expect((await env.connectAll(['pg'], { create: false })).size).toBe(0);
      expect(await schemas()).toEqual([{ n: 0 }]);
      await commands.stamp(env, ['pg@pg1']);
      expect(await schemas()).toEqual([{ n: 1 }]);
      expect(await env.currentHeads(['pg'])).toEqual(new Map([['pg', ['pg1']]]));
    } finally {
      await env.close();
      await queryUrl(dbs.pg.url, 'DROP SCHEMA IF EXISTS tenant_absent2 CASCADE');
      p.remove();
    }
  });
});

describeWithServers('the guarded version-table update on the servers', ['postgres', 'mysql'], () => {
  const dbs = useDatabases('command_layer', { pg: 'postgres', my: 'mysql' });
  let p: TempProject;
  beforeAll(() => {
    p = new TempProject([], {
      config:
        `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({ binds: { pg: { url: process.env.PG_URL }, my: { url: process.env.MY_URL } } });\n`,
    });
    for (const branch of ['pg', 'my']) {
      mkdirSync(join(p.dir, 'migrations', 'versions', branch), { recursive: true });
      writeRevision(p, branch, { revision: `${branch}1`, downRevision: null, branchLabels: [branch], upgrade: createTable(`${branch}_one`) });
      writeRevision(p, branch, { revision: `${branch}2`, downRevision: `${branch}1`, upgrade: `await op.db.deleteFrom('multidb_version').execute();` });
    }
  });
  afterAll(() => p.remove());

  it('refuses to record a step whose expected row is gone, on PostgreSQL and MariaDB', async () => {
    process.env.PG_URL = dbs.pg.url;
    process.env.MY_URL = dbs.my.url;
    const env = await open(p);
    try {
      // PostgreSQL rolls the whole step back (its DELETE included); on MariaDB the revision's own
      // work is committed before its version update, which alone is refused and rolled back.
      for (const [bind, after] of [['pg', ['pg1']], ['my', []]] as const) {
        const error = await commands.upgrade(env, [bind]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as Error).message).toMatch(/another runner changed it first/);
        expect((await env.currentHeads([bind])).get(bind)).toEqual(after);
      }
    } finally {
      await env.close();
    }
  });
});

describeWithServers('previewing a revision on a mysql:// bind whose server is MariaDB', ['mysql'], () => {
  const dbs = useDatabases('preview_flavour', { my: 'mysql' });

  it('compiles for the flavour the server is, as the run does, and names it (mariadb, as `status` does)', async () => {
    // Was: compiled for the URL's flavour (MySQL) and labelled `mysql`, while the binds screen and a
    // run said MariaDB: an `ifNotExists` index, which MariaDB has, was shown as not compiling.
    expect(dbs.my.url).toMatch(/^mysql:\/\//);
    process.env.PREVIEW_MY_URL = dbs.my.url;
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { my: { url: process.env.PREVIEW_MY_URL } } });\n` });
    writeRevision(p, 'my', { revision: 'my1', downRevision: null, branchLabels: ['my'], upgrade: createTable('Artist') });
    writeRevision(p, 'my', { revision: 'my2', downRevision: 'my1', upgrade: `await op.createIndex('ix_artist_id', 'Artist', ['id'], { ifNotExists: true });` });
    const env = await open(p);
    try {
      await commands.upgrade(env, ['my@my1']);
      const preview = await commands.previewRevision(env, 'my', 'my2', 'up');
      expect(preview.dialect).toBe('mariadb');
      expect(preview.dialect).toBe((await commands.bindStatus(env, 'my')).dialect);
      expect(preview.statements.map((s) => s.sql)).toEqual(['CREATE INDEX IF NOT EXISTS `ix_artist_id` ON `Artist` (`id`)']);
      expect(preview.notes).toEqual([]);
      await commands.upgrade(env, ['my@head']);
      expect(await queryUrl(dbs.my.url, "SELECT index_name AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = 'ix_artist_id'")).toEqual([{ n: 'ix_artist_id' }]);
    } finally {
      await env.close();
      p.remove();
    }
  });

  it('unreachable, compiles for the flavour the URL names (mysql://: mysql) and says so in its notes', async () => {
    // Nothing listens on port 9: the flavour cannot be asked, so the URL's scheme decides.
    process.env.PREVIEW_MY_URL = 'mysql://root@127.0.0.1:9/nowhere';
    const p = new TempProject([], { config: `import { defineConfig } from '@multidb/core';\nexport default defineConfig({ binds: { my: { url: process.env.PREVIEW_MY_URL, connectTimeout: 5 } } });\n` });
    writeRevision(p, 'my', { revision: 'my1', downRevision: null, branchLabels: ['my'], upgrade: createTable('Artist') });
    const env = await open(p);
    try {
      const preview = await commands.previewRevision(env, 'my', 'my1', 'up');
      expect(preview.dialect).toBe('mysql');
      expect(preview.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^CREATE TABLE `Artist`/)]);
      expect(preview.notes).toEqual([
        expect.stringMatching(/^Not connected \(.*ECONNREFUSED.*\): ops that need a table's shape are not shown\.$/),
        "The SQL is for mysql, as the URL's scheme says: the server's own flavour is known once connected, and its SQL may differ.",
      ]);
    } finally {
      await env.close();
      p.remove();
    }
  });
});
