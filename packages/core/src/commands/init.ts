import { existsSync } from 'node:fs';
import { mkdir, writeFile } from '../script/fs-async.js';
import { dirname, extname, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { checkOptions, keysOf } from '../option-keys.js';
import { CONFIG_FILE_NAMES, findConfigFile, loadConfig } from '../config/config-loader.js';
import { createModuleLoader, type ModuleLoader } from '../script/module-loader.js';
import { initRepository, renderStarterConfig } from '../script/repository-init.js';

/** Options of {@link init}. */
export interface InitOptions {
  /** The project folder (where a starter config is written when there is none). */
  readonly cwd: string;
  /** An explicit config path (`--config`). */
  readonly config?: string;
  /** One version branch per bind (`--multidb`); otherwise only the first bind's branch. */
  readonly multidb?: boolean;
  /** Repository folder (default: the config's `directory`, or `migrations`). */
  readonly directory?: string;
  /** Binds of the starter config when none exists (default: `default`, plus `db2` with `multidb`). */
  readonly binds?: readonly string[];
  /** Loads an existing config (default: jiti with no alias). */
  readonly loader?: ModuleLoader;
}

/** The keys of {@link InitOptions}. */
const INIT_OPTIONS = keysOf<InitOptions>({ cwd: true, config: true, multidb: true, directory: true, binds: true, loader: true });

/** What {@link init} wrote, and what it left as it was. */
export interface InitResult {
  /** The repository folder. */
  readonly directory: string;
  /** Whether the repository folder was created (`false`: it existed, empty). */
  readonly directoryCreated: boolean;
  /** The files written in it (README, template, one `versions/<branch>/.gitkeep` per branch). */
  readonly files: readonly string[];
  /** The branches given a versions folder, in order. */
  readonly branches: readonly string[];
  /** The project's config: the one found (never written to), or the starter config written. */
  readonly configPath: string;
  /** Whether a starter config was written (`false`: the config existed and was left as it was). */
  readonly configCreated: boolean;
  /**
   * With an existing config whose `directory` is not the repository written (`--directory`
   * named another): the folder the config names, where the other commands will look.
   */
  readonly configDirectory?: string;
}

/** The extensions a starter config may be written with (its source is an ES module that is also TypeScript). */
const STARTER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/**
 * `migrate init`: writes the migration repository (README, `script.ts.tmpl`, one
 * `versions/<branch>/` per bind, DESIGN §1) and, when the project has no config yet, a starter
 * config with SQLite binds: `migrate.config.ts` in `cwd`, or at `config` when that names a file
 * that does not exist (Alembic writes `-c FILE` the same way). A config in `cwd` (or given) decides
 * the branches; a parent project's config does not count. Touches no database. Never overwrites
 * anything: a repository folder that is not empty is refused before anything is written, and an
 * existing config is read, never written.
 *
 * @throws `ConfigError` when the folder exists and is not empty (nothing written), the config
 *   does not load, or a config to create is not a `.ts`, `.mts`, `.js` or `.mjs` file;
 *   `UnknownOptionError` when `options` holds a key {@link InitOptions} does not have (`multiDb`),
 *   before anything is read or written.
 * @example
 * ```ts
 * const result = await commands.init({ cwd: process.cwd(), multidb: true });
 * console.log(result.files, result.configCreated ? 'config written' : 'config kept');
 * ```
 */
export async function init(options: InitOptions): Promise<InitResult> {
  checkOptions('init()', options, INIT_OPTIONS);
  let configPath: string | undefined;
  try {
    configPath = findConfigFile(options.cwd, options.config);
  } catch {
    configPath = undefined;
  }
  // Only a config in this folder (or given with --config) counts: a parent project's config is not ours.
  if (configPath && options.config === undefined && dirname(configPath) !== resolve(options.cwd)) configPath = undefined;
  let branches: string[];
  let directory: string;
  let configDirectory: string | undefined;
  if (configPath) {
    const loaded = await loadConfig({ cwd: options.cwd, config: configPath, loader: options.loader ?? createModuleLoader() });
    directory = options.directory ? resolve(options.cwd, options.directory) : loaded.directory;
    if (directory !== loaded.directory) configDirectory = loaded.directory;
    const all = Object.entries(loaded.config.binds).map(([name, b]) => b.branch ?? name);
    branches = options.multidb ? [...new Set(all)] : all.slice(0, 1);
  } else {
    branches = options.binds?.length ? [...options.binds] : options.multidb ? ['default', 'db2'] : ['default'];
    directory = resolve(options.cwd, options.directory ?? 'migrations');
  }
  // The starter config's place, checked before anything is written.
  const starter = configPath ? undefined : resolve(options.cwd, options.config ?? CONFIG_FILE_NAMES[0]);
  if (starter !== undefined && !STARTER_EXTENSIONS.includes(extname(starter))) {
    throw new ConfigError(
      `Config file not found: ${starter}, and 'migrate init' writes a new config only as ${STARTER_EXTENSIONS.map((e) => `*${e}`).join(', ')}; nothing was written. Give --config a path with one of those extensions.`,
      starter,
    );
  }
  if (starter !== undefined && existsSync(starter)) {
    throw new ConfigError(`${starter} exists and is not a config file (a folder?); nothing was written. Give --config the path of a config file, or of one to create.`, starter);
  }
  const directoryCreated = !existsSync(directory);
  const files = await initRepository({ directory, branches, multidb: options.multidb ?? false });
  let configCreated = false;
  if (starter !== undefined) {
    configPath = starter;
    await mkdir(dirname(configPath), { recursive: true });
    const relativeDirectory = relative(dirname(configPath), directory).replace(/\\/g, '/') || '.';
    // 'wx': should a file have appeared there meanwhile, it is not overwritten (EEXIST).
    await writeFile(configPath, renderStarterConfig({ directory: relativeDirectory, binds: branches }), { flag: 'wx' });
    configCreated = true;
  }
  return {
    directory,
    directoryCreated,
    files,
    branches: options.multidb ? [...new Set(branches)] : branches.slice(0, 1),
    configPath: configPath!,
    configCreated,
    ...(configDirectory !== undefined ? { configDirectory } : {}),
  };
}
