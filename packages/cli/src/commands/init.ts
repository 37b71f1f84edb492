import { dirname, resolve } from 'node:path';
import { commands } from '@multidb/core';
import { kyselyModuleAlias } from '@multidb/dialect/registry';
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
 * and, when the project has no config yet, a starter `migrate.config.ts` (or the `--config` file).
 * Touches no database and overwrites nothing. Prints what it wrote, as Alembic's `init`
 * (`Creating directory …` for a folder it created, `Generating …` per file), and what it left: an
 * existing config is read, never written (`File …/migrate.config.ts already exists, skipping`, as
 * Alembic), so `Please edit … to set your database URLs` comes only after a starter config. A
 * repository folder that is not empty is refused before anything is written.
 */
export async function initCommand(ctx: CliContext, options: InitCommandOptions): Promise<void> {
  const result = await commands.init({
    cwd: ctx.cwd,
    // An existing config is read from its folder (--config) or this one, as loadEnvironment would.
    loader: cliModuleLoader(kyselyModuleAlias(ctx.config !== undefined ? dirname(resolve(ctx.cwd, ctx.config)) : ctx.cwd)),
    ...(ctx.config !== undefined ? { config: ctx.config } : {}),
    ...(options.multidb !== undefined ? { multidb: options.multidb } : {}),
    ...(options.directory !== undefined ? { directory: options.directory } : {}),
    ...(options.bind !== undefined ? { binds: options.bind } : {}),
  });
  // Reported only once written: a refused init (non-empty directory) must not claim "done".
  if (result.directoryCreated) ctx.output.out(`Creating directory ${result.directory} ...  done`);
  for (const file of result.files) ctx.output.out(`Generating ${file} ...  done`);
  if (result.configCreated) {
    ctx.output.out(`Generating ${result.configPath} ...  done`);
    ctx.output.out(`Please edit ${result.configPath} to set your database URLs before running 'migrate upgrade'.`);
    return;
  }
  ctx.output.out(`File ${result.configPath} already exists, skipping`);
  if (options.bind?.length) ctx.output.err(`WARNING: --bind ${options.bind.join(', ')} ignored: it names the binds of a new config, and ${result.configPath} exists.`);
  if (result.configDirectory !== undefined) {
    ctx.output.err(
      `WARNING: ${result.configPath} names the repository ${result.configDirectory}, not ${result.directory}: the other commands read ${result.configDirectory} until its 'directory' is changed.`,
    );
  }
}
