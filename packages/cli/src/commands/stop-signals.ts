import type { MigrationEnvironment, RunEvent } from '@multidb/core';
import type { CliContext } from '../cli-context.js';
import { handleStopSignals } from '../interrupt.js';

/** What a command that writes passes to core for Ctrl-C and SIGTERM (see {@link stopSignalsOf}). */
export interface CommandStopSignals {
  /** `{ signal }` for core's run or stamp options; `{}` when the command does not handle signals. */
  readonly options: { readonly signal?: AbortSignal };
  /** Wraps the command's event listener (the revisions in progress are tracked from it). */
  listen(onEvent: (event: RunEvent) => void): (event: RunEvent) => void;
  /** Settles as the command's run does, unless a second signal is ending the process (then never). */
  run<T>(run: Promise<T>): Promise<T>;
  /** Removes the handlers; call it when the command's run has ended. */
  dispose(): void;
}

/**
 * The Ctrl-C / SIGTERM handling of `upgrade`, `downgrade` and `stamp` (see `handleStopSignals`):
 * installed only in the bin's own process (`ctx.signals`); embedded, nothing changes.
 * @param ctx - the command's context.
 * @param env - the loaded environment (each bind's dialect, for what an abort leaves behind; its
 *   connections, whose running statements a second signal cancels).
 * @param command - the command.
 * @param options - `--concurrency` (several revisions in progress) and `--json`.
 * @returns the options to pass to core, a listener wrapper and `dispose`.
 */
export function stopSignalsOf(
  ctx: CliContext,
  env: MigrationEnvironment,
  command: 'upgrade' | 'downgrade' | 'stamp',
  options: { readonly concurrency?: number; readonly json?: boolean },
): CommandStopSignals {
  if (!ctx.signals) return { options: {}, listen: (onEvent) => onEvent, run: (run) => run, dispose: () => undefined };
  const stop = handleStopSignals(ctx.output, {
    command,
    dialectOf: (bind) => env.dialectName(bind),
    several: (options.concurrency ?? 1) > 1,
    // A second signal: the statements in progress are cancelled on their servers before the process ends.
    cancel: (timeoutMs) => env.cancelInFlight({ timeoutMs }),
    ...(options.json ? { json: true } : {}),
  });
  return { options: { signal: stop.signal }, listen: stop.listen, run: stop.run, dispose: stop.dispose };
}
