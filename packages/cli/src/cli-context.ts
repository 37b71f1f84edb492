import { fileURLToPath } from 'node:url';
import * as core from '@multidb/core';
import { createModuleLoader, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import type { MaskingOutput } from './output.js';

/** How a user of the CLI names a config: the end of the error when none is found (core's `configHint`). */
export const CONFIG_HINT = 'pass --config PATH';

/** What every command gets: where it runs, its global options and its output. */
export interface CliContext {
  readonly cwd: string;
  /** `--config PATH`. */
  readonly config: string | undefined;
  /** Masks every line; told the binds' URLs once the config is loaded. */
  readonly output: MaskingOutput;
  /** Whether questions may be asked on the terminal (false when embedded with an own output). */
  readonly interactive?: boolean;
  /**
   * Whether `upgrade`, `downgrade` and `stamp` handle SIGINT and SIGTERM (stop after the revisions
   * in progress; a second signal ends the process): the bin's own process, not `main` embedded
   * with an own output.
   */
  readonly signals?: boolean;
  /** `-x KEY=VALUE` (repeatable): the revisions' `op.xArgs`; `{}` when none. */
  readonly xArgs?: Readonly<Record<string, string>>;
}

/**
 * The module loader of the CLI: a config or revision that imports `@multidb/core` gets the CLI's
 * own copy (DESIGN §4), so a project needs nothing installed to run `migrate`: given as it is
 * (`modules`, no file to load: the bin loaded core as a script), and by `alias` for what jiti loads.
 *
 * @param dialectAlias - the dialects' module alias for the project (what `loadEnvironment` hands a
 *   loader function: `kysely` to the dialects' bundled copy, or to the project's own when it has
 *   another version installed; see `kyselyModuleAlias`).
 */
export function cliModuleLoader(dialectAlias: Readonly<Record<string, string>>) {
  return createModuleLoader({ alias: { ...dialectAlias, ...cliModuleAlias() }, modules: { '@multidb/core': core } });
}

/**
 * The CLI's own module alias, over the dialects' (see {@link cliModuleLoader}): `@multidb/core`
 * resolves to the CLI's copy. For worker threads and the TUI, which add the dialects' alias for the
 * project as `loadEnvironment` does.
 */
export function cliModuleAlias(): Record<string, string> {
  const alias: Record<string, string> = { '@multidb/core': fileURLToPath(import.meta.resolve('@multidb/core')) };
  // Each subpath core exports, to its file: the alias of the package to its entry file alone took
  // '@multidb/core/module-format' for '<entry>/module-format' (ENOTDIR).
  for (const sub of CORE_SUBPATHS) alias[`@multidb/core/${sub}`] = fileURLToPath(import.meta.resolve(`@multidb/core/${sub}`));
  return alias;
}

/** The subpaths `@multidb/core`'s package.json exports besides its entry (as core's `loadEnvironment` maps them). */
const CORE_SUBPATHS = ['cache-folder', 'module-format'] as const;

/**
 * Loads the project's environment with the built-in dialects and has the output mask the binds'
 * URLs from then on. Warnings about the repository (a helper file skipped in a versions folder, a
 * revision file named after another id) go to stderr as `WARNING: …` lines, each once. Opens no
 * connection.
 */
export async function openEnvironment(ctx: CliContext): Promise<MigrationEnvironment> {
  const env = await loadEnvironment({
    dialects,
    cwd: ctx.cwd,
    loader: cliModuleLoader,
    configHint: CONFIG_HINT,
    onWarning: (warning) => ctx.output.err(`WARNING: ${warning.message}`),
    ...(ctx.config !== undefined ? { config: ctx.config } : {}),
  });
  ctx.output.addUrls(env.binds.map((b) => b.config.url));
  return env;
}

/** Opens the environment, runs `fn`, and always closes the connections. */
export async function withEnvironment<T>(ctx: CliContext, fn: (env: MigrationEnvironment) => Promise<T>): Promise<T> {
  const env = await openEnvironment(ctx);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}
