import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultidbConfig } from './multidb-config.js';
import { CONFIG_FILE_NAMES, findConfigFile, loadConfig, validateConfig } from './config-loader.js';
import { ConfigError, ScriptError } from '../errors.js';
import { defineModels } from '../schema/models.js';
import type { ModuleLoader } from '../script/module-loader.js';

const PATH = resolve('/projects/shop/migrate.config.ts');
const SQLITE = { url: 'sqlite:.data/default.db' };

/** Runs `fn` and returns the ConfigError it throws. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig: errors name the file and the field', () => {
  it.each<[string, unknown, string]>([
    ['no export', undefined, 'the config must `export default defineConfig({ binds: { ... } })`.'],
    ['a default export that is not an object', { default: 'x' }, 'the config must `export default defineConfig({ binds: { ... } })`.'],
    ['no binds', { directory: 'migrations' }, "`binds` must name at least one database, e.g. binds: { default: { url: 'sqlite:.data/default.db' } }."],
    ['empty binds', { binds: {} }, "`binds` must name at least one database, e.g. binds: { default: { url: 'sqlite:.data/default.db' } }."],
    ['binds not an object', { binds: 'sqlite:x.db' }, "`binds` must name at least one database, e.g. binds: { default: { url: 'sqlite:.data/default.db' } }."],
    [
      'a bind name starting with a digit',
      { binds: { '2db': SQLITE } },
      "bind name '2db' is invalid: use ASCII letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters (a bind's name is its branch's folder and label, unless it sets branch).",
    ],
    ['a bind name with a dot', { binds: { 'db.2': SQLITE } }, "bind name 'db.2' is invalid: use ASCII letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters (a bind's name is its branch's folder and label, unless it sets branch)."],
    ['a bind name with a non-ASCII letter', { binds: { café: SQLITE } }, "bind name 'café' is invalid: use ASCII letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters (a bind's name is its branch's folder and label, unless it sets branch)."],
    ['a bind name of 64 characters', { binds: { ['b'.repeat(64)]: SQLITE } }, `bind name '${'b'.repeat(64)}' is invalid: use ASCII letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters (a bind's name is its branch's folder and label, unless it sets branch).`],
    // Was: `__proto__: {…}` set the binds object's prototype, and the bind was dropped without a word.
    [
      "a bind named '__proto__' in an object literal",
      { binds: { __proto__: SQLITE, db2: SQLITE } },
      "`binds` has a prototype of its own: a bind named '__proto__', which an object literal takes as its prototype (the bind would be dropped)? bind name '__proto__' is invalid: every JavaScript object has a property named '__proto__' (Object.prototype.__proto__), so it cannot name a bind or a branch: choose another name, e.g. 'proto_db'. (binds must be a plain object.)",
    ],
    [
      "a bind named '__proto__' as an own key (JSON.parse)",
      JSON.parse('{"binds": {"__proto__": {"url": "sqlite:x.db"}}}'),
      "bind name '__proto__' is invalid: every JavaScript object has a property named '__proto__' (Object.prototype.__proto__), so it cannot name a bind or a branch: choose another name, e.g. 'proto_db'.",
    ],
    ...['constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((name): [string, unknown, string] => [
      `a bind named '${name}'`,
      { binds: { [name]: SQLITE } },
      `bind name '${name}' is invalid: every JavaScript object has a property named '${name}' (Object.prototype.${name}), so it cannot name a bind or a branch: choose another name, e.g. '${name}_db'.`,
    ]),
    [
      "a bind whose branch is 'constructor'",
      { binds: { db2: { ...SQLITE, branch: 'constructor' } } },
      `bind 'db2' has an invalid branch name "constructor": every JavaScript object has a property named 'constructor' (Object.prototype.constructor), so it cannot name a bind or a branch: choose another name, e.g. 'constructor_db'.`,
    ],
    ['a bind that is not an object', { binds: { db2: 'sqlite:x.db' } }, "bind 'db2' must be an object with a url."],
    ['a bind with an empty url', { binds: { db2: { url: '  ' } } }, `bind 'db2' has an invalid url "  ".`],
    ['a bind with a non-string url', { binds: { db2: { url: 5432 } } }, "bind 'db2' has an invalid url 5432."],
    [
      'a bind with a kysely instance and no dialect',
      { binds: { db2: { kysely: {} } } },
      "bind 'db2' gives a kysely instance: also set dialect ('sqlite', 'postgres' or 'mysql').",
    ],
    [
      'a bind with an invalid branch',
      { binds: { db2: { ...SQLITE, branch: 'a/b' } } },
      `bind 'db2' has an invalid branch name "a/b": use ASCII letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters (a branch is a folder under versions/ and a branch label).`,
    ],
    ['a bad transactionMode', { binds: { default: SQLITE }, transactionMode: 'per-statement' }, "transactionMode must be 'per-revision' or 'per-run', not 'per-statement'."],
    ['a versionTable with a dash', { binds: { default: SQLITE }, versionTable: 'multidb-version' }, "versionTable 'multidb-version' is not a valid table name."],
    ['a versionTable starting with a digit', { binds: { default: SQLITE }, versionTable: '1version' }, "versionTable '1version' is not a valid table name."],
    ['a versionTable of 64 characters', { binds: { default: SQLITE }, versionTable: 'v'.repeat(64) }, `versionTable '${'v'.repeat(64)}' is not a valid table name.`],
    ['an empty directory', { binds: { default: SQLITE }, directory: '' }, `directory must be a folder path such as 'migrations', not "".`],
    ['a zero connectTimeout', { binds: { default: { ...SQLITE, connectTimeout: 0 } } }, "bind 'default' has an invalid connectTimeout: give a number of seconds greater than 0."],
    ['a string connectTimeout', { binds: { default: { ...SQLITE, connectTimeout: '5' } } }, "bind 'default' has an invalid connectTimeout: give a number of seconds greater than 0."],
    ['a non-string directory', { binds: { default: SQLITE }, directory: 42 }, "directory must be a folder path such as 'migrations', not 42."],
    ['an empty types path', { binds: { db2: { ...SQLITE, types: ' ' } } }, "bind 'db2' has an invalid types setting: give the file codegen writes, e.g. './src/db/db2-types.ts'."],
    ['an unknown bind codegen mode', { binds: { db2: { ...SQLITE, codegen: 'always' } } }, `bind 'db2' has an invalid codegen setting "always": use 'manual' or 'after-run'.`],
    ['an unknown codegen mode', { binds: { default: SQLITE }, codegen: 'afterUpgrade' }, `codegen must be 'manual' or 'after-run', not "afterUpgrade".`],
  ])('%s', (_title, raw, why) => {
    const error = configError(() => validateConfig(raw, PATH));
    expect(error.message).toBe(`${PATH}: ${why}`);
    expect(error.file).toBe(PATH);
    expect(error.code).toBe('CONFIG');
  });

  it('takes a bind with no url (an environment variable not set): only a command that needs its dialect refuses it', () => {
    const loaded = validateConfig({ binds: { default: SQLITE, db2: { url: undefined } } }, PATH);
    expect(Object.keys(loaded.config.binds)).toEqual(['default', 'db2']);
  });

  it('checks the unwrapped default export too', () => {
    expect(configError(() => validateConfig({ default: { binds: {} } }, PATH)).message).toBe(
      `${PATH}: \`binds\` must name at least one database, e.g. binds: { default: { url: 'sqlite:.data/default.db' } }.`,
    );
  });

  it('with a source (a config object, no file): errors name it, not the path, and no file', () => {
    const error = configError(() => validateConfig({ binds: { db2: { url: 5432 } } }, PATH, { source: 'The config object' }));
    expect(error.message).toBe("The config object: bind 'db2' has an invalid url 5432.");
    expect(error.file).toBeUndefined();
    expect(validateConfig({ binds: { default: SQLITE }, directory: 'db' }, PATH, { source: 'The config object' }).directory).toBe(resolve('/projects/shop/db'));
  });

  it('with a source: the result has no path, its source is the one given (a message starts with it upper-cased), its folder is the path\'s', () => {
    const loaded = validateConfig({ binds: { default: SQLITE } }, PATH, { source: 'the config object' });
    expect([loaded.path, loaded.source, loaded.baseDir]).toEqual([undefined, 'the config object', resolve('/projects/shop')]);
    expect(configError(() => validateConfig({ binds: {} }, PATH, { source: 'the config object' })).message).toMatch(/^The config object: `binds` must name/);
    expect(validateConfig({ binds: { default: SQLITE } }, PATH).source).toBe(PATH);
  });
});

describe('validateConfig: unknown keys are refused, naming the path and the key meant', () => {
  const noHint = (level: string, keys: string) => `${level} takes ${keys}.`;
  it.each<[string, unknown, string]>([
    ['a misspelled versionTable', { binds: { default: SQLITE }, versionTabel: 'x' }, 'unknown setting versionTabel: did you mean versionTable?'],
    ['a snake_case version_table', { binds: { default: SQLITE }, version_table: 'x' }, 'unknown setting version_table: did you mean versionTable?'],
    ['a misspelled binds', { bind: { default: SQLITE } }, 'unknown setting bind: did you mean binds?'],
    ['a misspelled models', { binds: { a: { ...SQLITE, modles: './m.ts' } } }, 'unknown setting binds.a.modles: did you mean models?'],
    ['a misspelled url (checked before the missing url)', { binds: { a: { uri: 'sqlite:a.db' } } }, 'unknown setting binds.a.uri: did you mean url?'],
    ['a misspelled key of a hyphenated bind', { binds: { 'my-db': { ...SQLITE, conectTimeout: 5 } } }, 'unknown setting binds.my-db.conectTimeout: did you mean connectTimeout?'],
    [
      'a top-level beforeRun',
      { binds: { default: SQLITE }, beforeRun: () => {} },
      'unknown setting beforeRun: hooks go under hooks, e.g. hooks: { beforeRun: async (ctx) => { … } }.',
    ],
    [
      'a top-level afterRun',
      { binds: { default: SQLITE }, afterRun: () => {} },
      'unknown setting afterRun: hooks go under hooks, e.g. hooks: { afterRun: async (ctx) => { … } }.',
    ],
    [
      "a bind's beforeRun",
      { binds: { default: { ...SQLITE, beforeRun: () => {} } } },
      'unknown setting binds.default.beforeRun: hooks are set once for the whole run, at the top level of the config: hooks: { beforeRun: async (ctx) => { … } }.',
    ],
    ['a misspelled hook', { binds: { default: SQLITE }, hooks: { beforRun: () => {} } }, 'unknown setting hooks.beforRun: did you mean beforeRun?'],
    [
      'a top-level url',
      { binds: { default: SQLITE }, url: 'sqlite:x.db' },
      "unknown setting url: url is a setting of each bind: put it under binds.<name>, e.g. binds: { default: { url: '…' } }.",
    ],
    [
      'a top-level models',
      { binds: { default: SQLITE }, models: './models.ts' },
      "unknown setting models: models is a setting of each bind: put it under binds.<name>, e.g. binds: { default: { url: '…', models: … } }.",
    ],
    [
      "a bind's versionTable",
      { binds: { default: { ...SQLITE, versionTable: 'v' } } },
      'unknown setting binds.default.versionTable: versionTable is a setting of the whole project: put it at the top level of the config, not in a bind.',
    ],
    [
      'a top-level autogenerate option',
      { binds: { default: SQLITE }, dropUnmodeledTables: true },
      'unknown setting dropUnmodeledTables: autogenerate settings go under autogenerate (for every bind) or binds.<name>.autogenerate, e.g. autogenerate: { dropUnmodeledTables: … }.',
    ],
    [
      "a bind's autogenerate option",
      { binds: { db2: { ...SQLITE, includeObject: () => true } } },
      'unknown setting binds.db2.includeObject: autogenerate settings of a bind go under binds.db2.autogenerate, e.g. autogenerate: { includeObject: … }.',
    ],
    ['a misspelled autogenerate option', { binds: { default: SQLITE }, autogenerate: { compareTypes: false } }, 'unknown setting autogenerate.compareTypes: did you mean compareType?'],
    [
      "a misspelled option of a bind's autogenerate",
      { binds: { db2: { ...SQLITE, autogenerate: { dropUnmodelledTables: true } } } },
      'unknown setting binds.db2.autogenerate.dropUnmodelledTables: did you mean dropUnmodeledTables?',
    ],
    ['a misspelled naming convention kind', { binds: { default: SQLITE }, namingConvention: { ixx: 'ix_%(table)s' } }, 'unknown setting namingConvention.ixx: did you mean ix?'],
    ['a misspelled drizzle', { binds: { a: { ...SQLITE, models: { drizle: './schema.ts' } } } }, 'unknown setting binds.a.models.drizle: did you mean drizzle?'],
    [
      "models that are not defineModels(…)'s",
      { binds: { a: { ...SQLITE, models: { tables: [] } } } },
      "unknown setting binds.a.models.tables: models takes a module path ('./src/models/db.ts'), defineModels({ tables: [...] }), or { drizzle: './src/db/schema.ts' } with drizzle.",
    ],
    ['an empty models path', { binds: { a: { ...SQLITE, models: ' ' } } }, "bind 'a' has an invalid models setting: give a module path ('./src/models/a.ts'), defineModels({ tables: [...] }) or { drizzle: './src/db/schema.ts' }."],
    [
      'a key close to nothing',
      { binds: { default: SQLITE }, lockTimeout: 5 },
      'unknown setting lockTimeout: ' + noHint('the config', 'directory, versionTable, namingConvention, binds, transactionMode, autogenerate, codegen, hooks'),
    ],
    [
      'a bind key close to nothing',
      { binds: { a: { ...SQLITE, pool: {} } } },
      'unknown setting binds.a.pool: ' +
        noHint('a bind', 'url, kysely, dialect, branch, onConnect, schema, versionTableSchema, connectTimeout, models, autogenerate, types, codegen'),
    ],
    ['a key that is not an identifier', { binds: { a: { ...SQLITE, 'my key': 1 } } }, 'unknown setting binds.a["my key"]: ' + noHint('a bind', 'url, kysely, dialect, branch, onConnect, schema, versionTableSchema, connectTimeout, models, autogenerate, types, codegen')],
    ['an unknown key whose value is undefined', { binds: { a: { ...SQLITE, modles: undefined } } }, 'unknown setting binds.a.modles: did you mean models?'],
    ['hooks that are not an object', { binds: { default: SQLITE }, hooks: () => {} }, 'hooks must be an object, e.g. hooks: { beforeRun: async (ctx) => { … } }.'],
    ['a hook that is not a function', { binds: { default: SQLITE }, hooks: { afterRun: 'npm test' } }, 'hooks.afterRun must be a function, e.g. afterRun: async (ctx) => { … }.'],
    ['autogenerate that is not an object', { binds: { default: SQLITE }, autogenerate: true }, 'autogenerate must be an object, e.g. autogenerate: { dropUnmodeledTables: true }.'],
    [
      "a bind's autogenerate that is not an object",
      { binds: { db2: { ...SQLITE, autogenerate: [] } } },
      'binds.db2.autogenerate must be an object, e.g. autogenerate: { dropUnmodeledTables: true }.',
    ],
  ])('%s', (_title, raw, why) => {
    const error = configError(() => validateConfig(raw, PATH));
    expect(error.message).toBe(`${PATH}: ${why}`);
    expect(error.file).toBe(PATH);
    expect(error.code).toBe('CONFIG');
  });

  it('accepts every key the config type declares, at every level', () => {
    const fn = () => undefined;
    const config: MultidbConfig = {
      directory: 'migrations',
      versionTable: 'multidb_version',
      namingConvention: { ix: 'ix_%(table)s_%(columns)s', uq: 'uq_%(table)s_%(columns)s', fk: 'fk_%(table)s_%(columns)s_%(referred_table)s', ck: 'ck_%(table)s_%(name)s', pk: 'pk_%(table)s' },
      transactionMode: 'per-run',
      codegen: 'manual',
      autogenerate: { includeObject: () => true, includeName: () => true, compareType: false, compareServerDefault: true, processRevisionDirectives: fn, postWrite: 'npx prettier --write {file}', dropUnmodeledTables: true },
      hooks: { beforeRun: fn, afterRun: fn },
      binds: {
        default: { url: 'sqlite:.data/default.db', branch: 'main', onConnect: fn, connectTimeout: 5, models: './models/default.ts', types: './types/default.ts', codegen: 'after-upgrade', autogenerate: { dropUnmodeledTables: false } },
        pg: { url: 'postgres://h/db', schema: 'app', versionTableSchema: 'meta', models: { drizzle: './schema.ts' } },
        tools: { kysely: {} as never, dialect: 'postgres' },
        // Models given in memory (a config object built by code), not a module path.
        memory: { url: 'sqlite::memory:', models: defineModels({ tables: [{ name: 'item', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] }) },
      },
    };
    expect(validateConfig(config, PATH).config).toBe(config);
    // A CommonJS module's exports as the config carry the interop marker.
    expect(validateConfig({ __esModule: true, binds: { default: SQLITE } }, PATH).versionTable).toBe('multidb_version');
  });
});

describe('validateConfig: defaults and accepted values', () => {
  it('fills the defaults: directory beside the config, versionTable multidb_version', () => {
    const config: MultidbConfig = { binds: { default: SQLITE } };
    const loaded = validateConfig(config, PATH);
    expect(loaded).toStrictEqual({
      config,
      path: PATH,
      source: PATH,
      baseDir: resolve('/projects/shop'),
      directory: resolve('/projects/shop/migrations'),
      versionTable: 'multidb_version',
    });
    expect(loaded.config).toBe(config);
    expect(Object.isFrozen(loaded)).toBe(true);
  });

  it('resolves a relative directory against the config folder, keeps an absolute one', () => {
    expect(validateConfig({ binds: { default: SQLITE }, directory: 'db/migrations' }, PATH).directory).toBe(resolve('/projects/shop/db/migrations'));
    expect(validateConfig({ binds: { default: SQLITE }, directory: '../shared/migrations' }, PATH).directory).toBe(resolve('/projects/shared/migrations'));
    expect(validateConfig({ binds: { default: SQLITE }, directory: '/srv/migrations' }, PATH).directory).toBe(resolve('/srv/migrations'));
  });

  it('unwraps `export default` (a module namespace with other exports)', () => {
    const config: MultidbConfig = { binds: { default: SQLITE, db2: { url: 'postgres://app:secret@h/db', branch: 'tenants' } }, versionTable: 'alembic_like' };
    const loaded = validateConfig({ default: config, helper: () => 1 }, PATH);
    expect(loaded.config).toBe(config);
    expect(loaded.versionTable).toBe('alembic_like');
  });

  it('does not mistake a bind named default for a default export', () => {
    const config = { binds: { default: SQLITE } };
    expect(validateConfig(config, PATH).config).toBe(config);
  });

  it('accepts both transaction modes, a kysely bind with a dialect, and a 63-character version table', () => {
    for (const transactionMode of ['per-revision', 'per-run'] as const) {
      expect(validateConfig({ binds: { default: SQLITE }, transactionMode }, PATH).config.transactionMode).toBe(transactionMode);
    }
    expect(validateConfig({ binds: { tools: { kysely: {} as never, dialect: 'postgres' } } }, PATH).config.binds.tools?.dialect).toBe('postgres');
    expect(validateConfig({ binds: { default: SQLITE }, versionTable: 'v'.repeat(63) }, PATH).versionTable).toBe('v'.repeat(63));
  });

  it("accepts each codegen mode, top level and per bind: 'manual', 'after-run' and its earlier name 'after-upgrade'", () => {
    for (const codegen of ['manual', 'after-run', 'after-upgrade'] as const) {
      expect(validateConfig({ binds: { default: SQLITE }, codegen }, PATH).config.codegen).toBe(codegen);
      expect(validateConfig({ binds: { db2: { ...SQLITE, types: './db2-types.ts', codegen } } }, PATH).config.binds.db2?.codegen).toBe(codegen);
    }
  });

  it('does not mutate the config', () => {
    const config = { binds: { default: { url: 'sqlite:x.db' } } };
    validateConfig(config, PATH);
    expect(config).toStrictEqual({ binds: { default: { url: 'sqlite:x.db' } } });
    expect(Object.isFrozen(config)).toBe(false);
  });
});

describe('findConfigFile', () => {
  let root: string;
  beforeAll(async () => {
    // realpath: on some systems the temp folder is a symlink; the search resolves paths as given.
    root = await realpath(await mkdtemp(join(tmpdir(), 'multidb-config-')));
    await mkdir(join(root, 'app', 'src', 'deep'), { recursive: true });
    await mkdir(join(root, 'other', 'nested'), { recursive: true });
    await mkdir(join(root, 'other', 'migrate.config.ts'), { recursive: true });
    await mkdir(join(root, 'lonely'), { recursive: true });
    await writeFile(join(root, 'migrate.config.ts'), 'export default {};');
    await writeFile(join(root, 'app', 'migrate.config.mjs'), 'export default {};');
    await writeFile(join(root, 'app', 'migrate.config.js'), 'export default {};');
    await writeFile(join(root, 'custom.config.ts'), 'export default {};');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('searches the file names in order', () => {
    expect(CONFIG_FILE_NAMES).toEqual(['migrate.config.ts', 'migrate.config.mts', 'migrate.config.js', 'migrate.config.mjs', 'migrate.config.cts', 'migrate.config.cjs']);
  });

  it('finds the config in the working folder', () => {
    expect(findConfigFile(root)).toBe(join(root, 'migrate.config.ts'));
  });

  it('finds the nearest config in a parent folder, preferring the earlier name', () => {
    expect(findConfigFile(join(root, 'app', 'src', 'deep'))).toBe(join(root, 'app', 'migrate.config.js'));
    expect(findConfigFile(join(root, 'app'))).toBe(join(root, 'app', 'migrate.config.js'));
  });

  it('skips a folder named like a config file', () => {
    expect(findConfigFile(join(root, 'other', 'nested'))).toBe(join(root, 'migrate.config.ts'));
  });

  it('takes an explicit path relative to the working folder', () => {
    expect(findConfigFile(join(root, 'app'), '../custom.config.ts')).toBe(join(root, 'custom.config.ts'));
    expect(findConfigFile(join(root, 'lonely'), join(root, 'custom.config.ts'))).toBe(join(root, 'custom.config.ts'));
  });

  it('an explicit path that is missing or a folder: ConfigError naming it', () => {
    const missing = configError(() => findConfigFile(join(root, 'app'), 'nope.config.ts'));
    expect(missing.message).toBe(`Config file not found: ${join(root, 'app', 'nope.config.ts')}.`);
    expect(missing.file).toBe(join(root, 'app', 'nope.config.ts'));
    const folder = configError(() => findConfigFile(root, 'other/migrate.config.ts'));
    expect(folder.message).toBe(`Config file not found: ${join(root, 'other', 'migrate.config.ts')}.`);
  });

  const configAbove = (() => {
    for (let dir = resolve(tmpdir()); ; dir = dirname(dir)) {
      if (CONFIG_FILE_NAMES.some((n) => existsSync(join(dir, n)))) return true;
      if (dirname(dir) === dir) return false;
    }
  })();

  it.skipIf(configAbove)('no config up to the root: ConfigError pointing to init and to the options of code, or the hint given (the CLI: --config)', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'multidb-noconfig-'));
    try {
      const error = configError(() => findConfigFile(bare));
      expect(error.message).toBe(
        `No migrate.config.ts found in ${resolve(bare)} or any parent folder. Run 'migrate init --multidb' to create one, or pass the \`config\` option (the config file's path) or a \`cwd\` inside the project.`,
      );
      expect(error.file).toBeUndefined();
      const cli = configError(() => findConfigFile(bare, undefined, { hint: 'pass --config PATH' }));
      expect(cli.message).toBe(`No migrate.config.ts found in ${resolve(bare)} or any parent folder. Run 'migrate init --multidb' to create one, or pass --config PATH.`);
      const loaded = await loadConfig({ cwd: bare, loader: { import: () => Promise.reject(new Error('not called')) } as unknown as ModuleLoader }).catch((e: unknown) => e);
      expect((loaded as ConfigError).message).toMatch(/or pass the `config` option \(the config file's path\) or a `cwd` inside the project\.$/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('loadConfig', () => {
  let root: string;
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'multidb-loadconfig-')));
    await writeFile(join(root, 'migrate.config.ts'), '// read through the loader below');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A loader that returns a fixed module (or throws), recording what it was asked for. */
  function loader(result: () => unknown): ModuleLoader & { files: string[] } {
    const files: string[] = [];
    return {
      files,
      import: async <T>(file: string) => {
        files.push(file);
        return result() as T;
      },
    };
  }

  it('imports the found file and validates its default export', async () => {
    const config = { binds: { default: SQLITE } };
    const l = loader(() => ({ default: config }));
    const loaded = await loadConfig({ cwd: root, loader: l });
    expect(l.files).toEqual([join(root, 'migrate.config.ts')]);
    expect(loaded).toStrictEqual({ config, path: join(root, 'migrate.config.ts'), source: join(root, 'migrate.config.ts'), baseDir: root, directory: join(root, 'migrations'), versionTable: 'multidb_version' });
  });

  it('a module that fails to load: ConfigError with the masked reason and the cause', async () => {
    const path = join(root, 'migrate.config.ts');
    const cause = new ScriptError('Cannot connect to postgres://app:secret@h/db', path, 3);
    const error = await loadConfig({ cwd: root, loader: loader(() => { throw cause; }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`Could not load config ${path}: Cannot connect to postgres://app:***@h/db`);
    expect((error as ConfigError).file).toBe(path);
    expect((error as ConfigError).cause).toBe(cause);
  });

  it('a module without a default export is refused, even when its named exports look like a config', async () => {
    const error = await loadConfig({ cwd: root, loader: loader(() => ({ binds: { default: SQLITE } })) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`${join(root, 'migrate.config.ts')}: the config must \`export default defineConfig({ binds: { ... } })\`.`);
  });

  it('an invalid config: the validation error', async () => {
    const error = await loadConfig({ cwd: root, loader: loader(() => ({ default: { binds: {} } })) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `${join(root, 'migrate.config.ts')}: \`binds\` must name at least one database, e.g. binds: { default: { url: 'sqlite:.data/default.db' } }.`,
    );
  });
});
