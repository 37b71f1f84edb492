import { existsSync } from 'node:fs';
import { writeFile } from '../script/fs-async.js';
import { dirname, join, relative, resolve } from 'node:path';
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

/** What {@link init} wrote. */
export interface InitResult {
  /** The repository folder. */
  readonly directory: string;
  /** The files written in it (README, template, one `versions/<branch>/.gitkeep` per branch). */
  readonly files: readonly string[];
  /** The project's config: the one found, or the starter config written. */
  readonly configPath: string;
  /** Whether a starter config was written. */
  readonly configCreated: boolean;
}

/**
 * `migrate init`: writes the migration repository (README, `script.ts.tmpl`, one
 * `versions/<branch>/` per bind, DESIGN §1) and, when the project has no config yet, a starter
 * `migrate.config.ts` with SQLite binds. A config in `cwd` (or given) decides the branches; a
 * parent project's config does not count. Touches no database; refuses a non-empty folder.
 *
 * @throws `ConfigError` when the folder exists and is not empty, or the config does not load.
 * @example
 * ```ts
 * const result = await init({ cwd: process.cwd(), multidb: true });
 * console.log(result.files);
 * ```
 */
export async function init(options: InitOptions): Promise<InitResult> {
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
  if (configPath) {
    const loaded = await loadConfig({ cwd: options.cwd, config: configPath, loader: options.loader ?? createModuleLoader() });
    directory = options.directory ? resolve(options.cwd, options.directory) : loaded.directory;
    const all = Object.entries(loaded.config.binds).map(([name, b]) => b.branch ?? name);
    branches = options.multidb ? [...new Set(all)] : all.slice(0, 1);
  } else {
    branches = options.binds?.length ? [...options.binds] : options.multidb ? ['default', 'db2'] : ['default'];
    directory = resolve(options.cwd, options.directory ?? 'migrations');
  }
  const files = await initRepository({ directory, branches, multidb: options.multidb ?? false });
  let configCreated = false;
  if (!configPath) {
    configPath = join(options.cwd, CONFIG_FILE_NAMES[0]);
    if (!existsSync(configPath)) {
      await writeFile(configPath, renderStarterConfig({ directory: relative(options.cwd, directory) || '.', binds: branches }), { flag: 'wx' });
      configCreated = true;
    }
  }
  return { directory, files, configPath, configCreated };
}
