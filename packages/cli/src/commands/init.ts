import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAMES, findConfigFile, initRepository, renderStarterConfig, loadConfig } from '@multidb/core';
import { cliModuleLoader, type CliContext } from '../cli-context.js';

/** Options of `migrate init`. */
export interface InitOptions {
  readonly multidb?: boolean;
  readonly directory?: string;
  /** Binds of the starter config when none exists (default: `default`, plus `db2` with --multidb). */
  readonly bind?: readonly string[];
}

/**
 * `migrate init [--multidb] [--directory DIR]`: writes the migration repository (README,
 * script.ts.tmpl, one `versions/<branch>/` per bind) and, when the project has no config yet, a
 * starter `migrate.config.ts`. Touches no database; refuses a non-empty directory.
 */
export async function initCommand(ctx: CliContext, options: InitOptions): Promise<void> {
  let configPath: string | undefined;
  try {
    configPath = findConfigFile(ctx.cwd, ctx.config);
  } catch {
    configPath = undefined;
  }
  // Only a config in this folder (or given with --config) counts: a parent project's config is not ours.
  if (configPath && !ctx.config && resolve(configPath, '..') !== resolve(ctx.cwd)) configPath = undefined;
  let branches: string[];
  let directory: string;
  if (configPath) {
    const loaded = await loadConfig({ cwd: ctx.cwd, config: configPath, loader: cliModuleLoader() });
    directory = options.directory ? resolve(ctx.cwd, options.directory) : loaded.directory;
    const all = Object.entries(loaded.config.binds).map(([name, b]) => b.branch ?? name);
    branches = options.multidb ? [...new Set(all)] : all.slice(0, 1);
  } else {
    const binds = options.bind?.length ? [...options.bind] : options.multidb ? ['default', 'db2'] : ['default'];
    branches = binds;
    directory = resolve(ctx.cwd, options.directory ?? 'migrations');
  }
  // Report only once written: a refused init (non-empty directory) must not claim "done".
  const files = await initRepository({ directory, branches, multidb: options.multidb ?? false });
  ctx.output.out(`Creating directory ${directory} ...  done`);
  for (const file of files) ctx.output.out(`Generating ${file} ...  done`);
  if (!configPath) {
    const path = join(ctx.cwd, CONFIG_FILE_NAMES[0]);
    if (!existsSync(path)) {
      await writeFile(path, renderStarterConfig({ directory: relative(ctx.cwd, directory) || '.', binds: branches }), { flag: 'wx' });
      ctx.output.out(`Generating ${path} ...  done`);
    }
  }
  ctx.output.out(`Please edit ${configPath ?? join(ctx.cwd, CONFIG_FILE_NAMES[0])} to set your database URLs before running 'migrate upgrade'.`);
}
