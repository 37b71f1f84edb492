import { commands } from '@multidb/core';
import { cliModuleLoader, type CliContext } from '../cli-context.js';

/** Options of `migrate init`. */
export interface InitCommandOptions {
  readonly multidb?: boolean;
  readonly directory?: string;
  /** Binds of the starter config when none exists (default: `default`, plus `db2` with --multidb). */
  readonly bind?: readonly string[];
}

/**
 * `migrate init [--multidb] [--directory DIR] [--bind NAME...]`: writes the migration repository
 * and, when the project has no config yet, a starter `migrate.config.ts`. Touches no database.
 */
export async function initCommand(ctx: CliContext, options: InitCommandOptions): Promise<void> {
  const result = await commands.init({
    cwd: ctx.cwd,
    loader: cliModuleLoader(),
    ...(ctx.config !== undefined ? { config: ctx.config } : {}),
    ...(options.multidb !== undefined ? { multidb: options.multidb } : {}),
    ...(options.directory !== undefined ? { directory: options.directory } : {}),
    ...(options.bind !== undefined ? { binds: options.bind } : {}),
  });
  // Reported only once written: a refused init (non-empty directory) must not claim "done".
  ctx.output.out(`Creating directory ${result.directory} ...  done`);
  for (const file of result.files) ctx.output.out(`Generating ${file} ...  done`);
  if (result.configCreated) ctx.output.out(`Generating ${result.configPath} ...  done`);
  ctx.output.out(`Please edit ${result.configPath} to set your database URLs before running 'migrate upgrade'.`);
}
