import { cliModuleAlias, CONFIG_HINT, type CliContext } from '../cli-context.js';

/** Options of `migrate tui`. */
export interface TuiCommandOptions {
  /** Seconds to wait for a bind's migration lock during a run (default: wait, showing it). */
  readonly lockTimeout?: number;
}


/**
 * `migrate tui` (and `migrate` with no command on a terminal): opens the Ink UI of
 * `@multidb/tui`. The TUI is imported on demand, so other commands do not load React; Ink loads
 * only inside `runTui`, after it has applied `NO_COLOR`.
 *
 * @returns the exit code: 0; 1 when the config does not load or the last run failed; 2 when
 *   stdin or stdout is not a terminal (it prints which plain commands to use); 130 when ctrl+c
 *   abandoned a run (a second ctrl+c during it), or stopped the last run after its revisions in
 *   progress (the first).
 * @example
 * ```ts
 * process.exitCode = await tuiCommand(cliContext, { lockTimeout: 30 });
 * ```
 */
export async function tuiCommand(ctx: CliContext, options: TuiCommandOptions = {}): Promise<number> {
  const { runTui } = await import('@multidb/tui');
  return runTui({
    cwd: ctx.cwd,
    ...(ctx.config !== undefined ? { config: ctx.config } : {}),
    configHint: CONFIG_HINT,
    moduleAlias: cliModuleAlias(),
    ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
    // `migrate tui -x tenant=acme`: the revisions run (and previewed) from the TUI read them as op.xArgs.
    ...(ctx.xArgs !== undefined ? { xArgs: ctx.xArgs } : {}),
  });
}
