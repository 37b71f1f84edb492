import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BindConfig, CodegenMode, MultidbConfig } from './multidb-config.js';
import { ConfigError, ScriptError } from '../errors.js';
import type { ModuleLoader } from '../script/module-loader.js';
import { unknownKeyProblem, type ConfigLevel } from './config-keys.js';
import { maskUrl } from './database-url.js';
import { reservedNameProblem } from './reserved-names.js';
import { isModels } from '../schema/models.js';

/** File names searched for, in order, from the working directory upward. */
export const CONFIG_FILE_NAMES = ['migrate.config.ts', 'migrate.config.mts', 'migrate.config.js', 'migrate.config.mjs', 'migrate.config.cts', 'migrate.config.cjs'] as const;

/** A loaded, validated configuration with defaults filled in. */
export interface LoadedConfig {
  /** The configuration as written (the config module's default export). */
  readonly config: MultidbConfig;
  /**
   * Absolute path of the config file; `undefined` for a config given as an object (the
   * `configObject` of `loadEnvironment`, a {@link validateConfig} `source`), which has no file.
   */
  readonly path: string | undefined;
  /**
   * How messages name the config: its {@link path}, or for a config object what the caller said it
   * is (`loadEnvironment`: `'the configObject given to loadEnvironment'`), e.g.
   * `` `set binds.db2.models in ${loaded.source}` ``.
   */
  readonly source: string;
  /**
   * Folder of the config file (a config object's `baseDir`): relative paths (directory, SQLite
   * files, models) resolve against it.
   */
  readonly baseDir: string;
  /** Absolute path of the migration repository. */
  readonly directory: string;
  /** The version table's name (`config.versionTable`, default `'multidb_version'`). */
  readonly versionTable: string;
}

/**
 * What the error for a missing config tells a caller of code ({@link loadConfig}) to do, naming the
 * options it has (`loadEnvironment` names its own, the CLI says `pass --config PATH`).
 */
const CODE_CONFIG_HINT = "pass the `config` option (the config file's path) or a `cwd` inside the project";

/**
 * Finds the config file: `explicit` if given (relative to `cwd`), else the first
 * {@link CONFIG_FILE_NAMES} entry in `cwd` or a parent folder.
 *
 * @param cwd - where the search starts.
 * @param explicit - an explicit config path, relative to `cwd`.
 * @param options - `hint`: how the user can name a config, ending the error for a missing one
 *   (default: ``pass the `config` option (the config file's path) or a `cwd` inside the
 *   project``, the options of {@link loadConfig}; the CLI passes `'pass --config PATH'`).
 * @returns the absolute path.
 * @throws {@link ConfigError} when none is found (pointing to `migrate init` and the hint) or `explicit` is missing.
 * @example
 * ```ts
 * findConfigFile(process.cwd()); // '/app/migrate.config.ts'
 * ```
 */
export function findConfigFile(cwd: string, explicit?: string, options: { readonly hint?: string } = {}): string {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!isFile(path)) throw new ConfigError(`Config file not found: ${path}.`, path);
    return path;
  }
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ConfigError(
    `No migrate.config.ts found in ${resolve(cwd)} or any parent folder. Run 'migrate init --multidb' to create one, or ${options.hint ?? CODE_CONFIG_HINT}.`,
  );
}

/** Whether a path is an existing file (a folder named `migrate.config.ts` is not a config). */
function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

const BIND_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
/** {@link BIND_NAME} in words, for the errors that refuse a bind or branch name. */
const NAME_RULE = "use ASCII letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters";
/** `'after-upgrade'` is the earlier name of `'after-run'`: accepted, no longer suggested. */
const CODEGEN_MODES: readonly CodegenMode[] = ['manual', 'after-run', 'after-upgrade'];
const modeList = "'manual' or 'after-run'";

/**
 * Checks a configuration object and fills defaults: at least one bind, valid bind names, each bind
 * with a `url` or a `kysely` instance (with `dialect`), known option values; `directory` resolved
 * against the config file's folder, `versionTable` defaulted. A key that its level does not take
 * (top level, a bind, `hooks`, `autogenerate`, a bind's `autogenerate`, `namingConvention`, a
 * `models` object) is refused, naming its path and the key it most likely meant
 * (`binds.a.modles`: did you mean models?), since it would otherwise be ignored without a word.
 * @param raw - the config module's export (a module namespace with a `default` is unwrapped), or a
 *   {@link MultidbConfig}.
 * @param path - the config file's path: relative paths resolve against its folder, and errors name
 *   it. With `source` (no file), only its folder counts.
 * @param options - `source`: what errors and the result's `source` name instead of `path` when
 *   there is no such file (a config object given to `loadEnvironment`: `'the configObject given
 *   to loadEnvironment'`); the errors' `file` and the result's `path` are then undefined.
 * @returns the {@link LoadedConfig}.
 * @throws {@link ConfigError} naming the file and the bad field (the URL's password masked), or
 *   the unknown key.
 * @example
 * ```ts
 * const loaded = validateConfig({ binds: { default: { url: 'sqlite:app.db' } } }, '/srv/app/migrate.config.ts');
 * loaded.directory; // '/srv/app/migrations'
 * ```
 */
export function validateConfig(raw: unknown, path: string, options: { readonly source?: string } = {}): LoadedConfig {
  const fail = (why: string): never => {
    throw new ConfigError(`${options.source === undefined ? path : sentence(options.source)}: ${why}`, options.source === undefined ? path : undefined);
  };
  const value = (raw && typeof raw === 'object' && 'default' in raw ? (raw as { default: unknown }).default : raw) as MultidbConfig | undefined;
  if (!value || typeof value !== 'object') fail('the config must `export default defineConfig({ binds: { ... } })`.');
  const config = value as MultidbConfig;
  /** Refuses a key `object` does not take at its level (see {@link unknownKeyProblem}). */
  const knownKeys = (level: ConfigLevel, where: string, object: object): void => {
    const problem = unknownKeyProblem(level, where, object);
    if (problem) fail(problem);
  };
  /** An optional setting that must be an object of known keys when given. */
  const section = (level: ConfigLevel, where: string, object: unknown, example: string): void => {
    if (object === undefined) return;
    if (!object || typeof object !== 'object' || Array.isArray(object)) fail(`${where} must be an object, e.g. ${where.split('.').pop()}: ${example}.`);
    knownKeys(level, where, object as object);
  };
  knownKeys('config', '', config);
  // `binds: { __proto__: {…} }` sets the object's prototype: that bind would be dropped without a word.
  const bindsPrototype: unknown = config.binds && typeof config.binds === 'object' ? Object.getPrototypeOf(config.binds) : null;
  if (bindsPrototype !== null && Object.getPrototypeOf(bindsPrototype) !== null) {
    fail(
      "`binds` has a prototype of its own: a bind named '__proto__', which an object literal takes as its prototype (the bind would be dropped)? " +
        `bind name '__proto__' is invalid: ${reservedNameProblem('__proto__')}. (binds must be a plain object.)`,
    );
  }
  if (!config.binds || typeof config.binds !== 'object' || Object.keys(config.binds).length === 0) {
    fail("`binds` must name at least one database, e.g. binds: { default: { url: 'sqlite:.data/default.db' } }.");
  }
  section('hooks', 'hooks', config.hooks, '{ beforeRun: async (ctx) => { … } }');
  for (const hook of ['beforeRun', 'afterRun'] as const) {
    const fn = config.hooks?.[hook] as unknown;
    if (fn !== undefined && typeof fn !== 'function') fail(`hooks.${hook} must be a function, e.g. ${hook}: async (ctx) => { … }.`);
  }
  section('autogenerate', 'autogenerate', config.autogenerate, '{ dropUnmodeledTables: true }');
  section('namingConvention', 'namingConvention', config.namingConvention, "{ ix: 'ix_%(table)s_%(columns)s' }");
  for (const [name, bind] of Object.entries(config.binds) as [string, BindConfig][]) {
    if (!BIND_NAME.test(name)) fail(`bind name '${name}' is invalid: ${NAME_RULE} (a bind's name is its branch's folder and label, unless it sets branch).`);
    const reserved = reservedNameProblem(name);
    if (reserved) fail(`bind name '${name}' is invalid: ${reserved}.`);
    if (!bind || typeof bind !== 'object') fail(`bind '${name}' must be an object with a url.`);
    knownKeys('bind', `binds.${name}`, bind);
    section('autogenerate', `binds.${name}.autogenerate`, bind.autogenerate, '{ dropUnmodeledTables: true }');
    if (bind.models !== null && typeof bind.models === 'object' && !isModels(bind.models)) knownKeys('models', `binds.${name}.models`, bind.models);
    // A bind with neither a url nor a kysely instance (`url: process.env.DB2_URL` with the variable
    // unset, as in a CI job without database secrets) is refused only by a command that needs its
    // dialect or a connection (see Environment), so `heads`, `history` or `revision` still work.
    if (bind.url !== undefined && (typeof bind.url !== 'string' || !bind.url.trim())) {
      fail(`bind '${name}' has an invalid url ${maskUrl(JSON.stringify(bind.url))}.`);
    }
    if (bind.kysely !== undefined && !bind.dialect) fail(`bind '${name}' gives a kysely instance: also set dialect ('sqlite', 'postgres' or 'mysql').`);
    if (bind.connectTimeout !== undefined && !(typeof bind.connectTimeout === 'number' && bind.connectTimeout > 0)) {
      fail(`bind '${name}' has an invalid connectTimeout: give a number of seconds greater than 0.`);
    }
    if (bind.branch !== undefined && (typeof bind.branch !== 'string' || !BIND_NAME.test(bind.branch))) {
      fail(`bind '${name}' has an invalid branch name ${JSON.stringify(bind.branch)}: ${NAME_RULE} (a branch is a folder under versions/ and a branch label).`);
    }
    const reservedBranch = bind.branch === undefined ? undefined : reservedNameProblem(bind.branch);
    if (reservedBranch) fail(`bind '${name}' has an invalid branch name ${JSON.stringify(bind.branch)}: ${reservedBranch}.`);
    const models = bind.models as unknown;
    const modelsPath = typeof models === 'object' && models !== null ? (models as { drizzle?: unknown }).drizzle : models;
    if (models !== undefined && !isModels(models) && (typeof modelsPath !== 'string' || !modelsPath.trim())) {
      fail(`bind '${name}' has an invalid models setting: give a module path ('./src/models/${name}.ts'), defineModels({ tables: [...] }) or { drizzle: './src/db/schema.ts' }.`);
    }
    if (bind.types !== undefined && (typeof bind.types !== 'string' || !bind.types.trim())) {
      fail(`bind '${name}' has an invalid types setting: give the file codegen writes, e.g. './src/db/${name}-types.ts'.`);
    }
    if (bind.codegen !== undefined && !CODEGEN_MODES.includes(bind.codegen)) {
      fail(`bind '${name}' has an invalid codegen setting ${JSON.stringify(bind.codegen)}: use ${modeList}.`);
    }
  }
  if (config.codegen !== undefined && !CODEGEN_MODES.includes(config.codegen)) {
    fail(`codegen must be ${modeList}, not ${JSON.stringify(config.codegen)}.`);
  }
  if (config.transactionMode !== undefined && config.transactionMode !== 'per-revision' && config.transactionMode !== 'per-run') {
    fail(`transactionMode must be 'per-revision' or 'per-run', not '${String(config.transactionMode)}'.`);
  }
  if (config.directory !== undefined && (typeof config.directory !== 'string' || !config.directory.trim())) {
    fail(`directory must be a folder path such as 'migrations', not ${JSON.stringify(config.directory)}.`);
  }
  const versionTable = config.versionTable ?? 'multidb_version';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(versionTable)) fail(`versionTable '${versionTable}' is not a valid table name.`);
  const baseDir = dirname(path);
  const file = options.source === undefined ? { path, source: path } : { path: undefined, source: options.source };
  return Object.freeze({ config, ...file, baseDir, directory: resolve(baseDir, config.directory ?? 'migrations'), versionTable });
}

/** `text` with its first letter upper-cased, to start a message. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Finds, loads (through jiti, so a `.ts` config works from any folder) and validates the config.
 *
 * @param options.cwd - where the search starts.
 * @param options.config - an explicit config path (`--config`).
 * @param options.hint - ends the error for a missing config (see {@link findConfigFile}).
 * @param options.loader - the module loader (its alias maps `@multidb/core` to the caller's copy).
 * @throws {@link ConfigError} when the file is missing, does not load (syntax error, throw at
 *   import) or holds invalid values.
 * @example
 * ```ts
 * const loaded = await loadConfig({ cwd: process.cwd(), loader: createModuleLoader() });
 * Object.keys(loaded.config.binds); // ['default', 'db2']
 * ```
 */
export async function loadConfig(options: { cwd: string; config?: string; hint?: string; loader: ModuleLoader }): Promise<LoadedConfig> {
  return importConfig(findConfigFile(options.cwd, options.config, options.hint !== undefined ? { hint: options.hint } : {}), options.loader);
}

/**
 * Loads and validates the config file at `path` (found by {@link findConfigFile}): {@link loadConfig}
 * without the search, for a caller that needed the path first (`loadEnvironment`: the dialects'
 * module alias depends on the config's folder).
 *
 * @throws {@link ConfigError} when the file does not load or holds invalid values.
 * @internal
 */
export async function importConfig(path: string, loader: ModuleLoader): Promise<LoadedConfig> {
  let mod: unknown;
  try {
    mod = await loader.import(path);
  } catch (error) {
    const reason = error instanceof ScriptError ? error.message : error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Could not load config ${path}: ${maskUrl(reason)}`, path, { cause: error });
  }
  // A module namespace: only its default export is the config (named exports are not merged in).
  // A CommonJS config (`.cjs`, `.cts`) without one is its `module.exports`.
  const commonJs = /\.c[jt]s$/.test(path);
  if (!mod || typeof mod !== 'object' || (!('default' in mod) && !commonJs)) {
    throw new ConfigError(`${path}: the config must \`export default defineConfig({ binds: { ... } })\`.`, path);
  }
  return validateConfig('default' in mod ? (mod as { default: unknown }).default : mod, path);
}
