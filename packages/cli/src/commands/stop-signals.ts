import type { MigrationEnvironment, RunEvent } from '@multidb/core';
import type { CliContext } from '../cli-context.js';
import { handleCommandSignals, type OutsideRun, type StopSignal } from '../interrupt.js';
import type { StepJson } from '../json-output.js';

/** What a command that writes uses for Ctrl-C and SIGTERM over its whole life (see {@link commandSignalsOf}). */
export interface CommandStopSignals {
  /**
   * Runs the command's run: while it runs, the first signal stops it after the revisions in
   * progress and a second aborts at once (see `handleCommandSignals`).
   * @param env - the loaded environment (each bind's dialect, for what an abort leaves behind; its
   *   connections, whose running statements a second signal cancels).
   * @param start - starts the run with what core takes (`stop.options`, `stop.listen`).
   * @returns what the run returns; it rejects as the run does (never, while a second signal is
   *   ending the process).
   */
  during<T>(env: MigrationEnvironment, start: (stop: RunStopSignals) => Promise<T>): Promise<T>;
  /** The run completed: from now on a signal ends the command saying so (see {@link completedRun}). */
  after(what: OutsideRun): void;
  /** Removes the handlers; call it when the command ends. */
  dispose(): void;
}

/** What the command gives core for its run. */
export interface RunStopSignals {
  /** `{ signal }` for core's run or stamp options; `{}` when the command does not handle signals. */
  readonly options: { readonly signal?: AbortSignal };
  /** Wraps the command's event listener (the revisions in progress are tracked from it). */
  listen(onEvent: (event: RunEvent) => void): (event: RunEvent) => void;
}

/**
 * The Ctrl-C / SIGTERM handling of `upgrade`, `downgrade` and `stamp` from the command's start
 * (the config loading) to its end (codegen after an upgrade): see `handleCommandSignals`.
 * Installed only in the bin's own process (`ctx.signals`); embedded, nothing changes.
 * @param ctx - the command's context.
 * @param command - the command.
 * @param options - `--concurrency` (several revisions in progress) and `--json`.
 * @returns the run's switch, the after-run switch and `dispose`.
 * @example
 * ```ts
 * import { commands } from '@multidb/core';
 * import { withEnvironment } from '../cli-context.js';
 * import { runJson } from '../json-output.js';
 * import { renderEvents } from '../render-events.js';
 * import { commandSignalsOf, completedRun } from './stop-signals.js';
 * const signals = commandSignalsOf(cliContext, 'upgrade', { concurrency: 1 });
 * try {
 *   await withEnvironment(cliContext, async (env) => {
 *     const result = await signals.during(env, (stop) => commands.upgrade(env, [], { onEvent: stop.listen(renderEvents(cliContext.output)), ...stop.options }));
 *     signals.after(completedRun('upgrade', runJson(result), { codegen: false }));
 *   });
 * } finally {
 *   signals.dispose();
 * }
 * ```
 */
export function commandSignalsOf(
  ctx: CliContext,
  command: 'upgrade' | 'downgrade' | 'stamp',
  options: { readonly concurrency?: number; readonly json?: boolean },
): CommandStopSignals {
  if (!ctx.signals) {
    const none: RunStopSignals = { options: {}, listen: (onEvent) => onEvent };
    return { during: (_env, start) => start(none), after: () => undefined, dispose: () => undefined };
  }
  const signals = handleCommandSignals(ctx.output, { command, ...(options.json ? { json: true } : {}) });
  return {
    during: async (env, start) => {
      const several = (options.concurrency ?? 1) > 1;
      // Every bind SQLite: a second signal may then be left to the OS (see handleCommandSignals).
      const sqliteOnly = env.bindNames.every((bind) => env.dialectName(bind) === 'sqlite');
      const stop = signals.startRun({
        dialectOf: (bind) => env.dialectName(bind),
        several,
        sqliteOnly,
        // Its tenants may run on worker threads (core's RunOptions.workers, which the upgrade passes):
        // the second signal then ends the process by itself, not waiting for a worker blocked in SQLite.
        workers: command === 'upgrade' && several && sqliteOnly,
        // A second signal: the statements in progress are cancelled on their servers before the process ends.
        cancel: (timeoutMs) => env.cancelInFlight({ timeoutMs }),
      });
      try {
        return await stop.run(start({ options: { signal: stop.signal }, listen: stop.listen }));
      } finally {
        stop.dispose();
      }
    },
    after: signals.after,
    dispose: signals.dispose,
  };
}

/**
 * What a signal says once the run completed: during the codegen after an upgrade, that the
 * upgrade completed and the types files may be stale (`migrate codegen` writes them); otherwise
 * (its connections closing), that it had completed. Exit 130 (143) either way; `--json`: an
 * `INTERRUPTED` {@link ErrorJson} with the run's steps and heads, nothing pending.
 * @param command - the command that completed.
 * @param done - its steps and the heads of the binds it touched (`RunJson`'s; a stamp: none, and
 *   the rows it wrote).
 * @param options - `codegen`: the types files are being written now.
 * @returns what {@link CommandStopSignals.after} takes.
 * @example
 * ```ts
 * import type { RunResult } from '@multidb/core';
 * import { runJson } from '../json-output.js';
 * import { completedRun, type CommandStopSignals } from './stop-signals.js';
 * function codegenStarts(signals: CommandStopSignals, result: RunResult): void {
 *   signals.after(completedRun('upgrade', runJson(result), { codegen: true }));
 * }
 * ```
 */
export function completedRun(
  command: 'upgrade' | 'downgrade' | 'stamp',
  done: { readonly steps: readonly StepJson[]; readonly heads: Readonly<Record<string, readonly string[]>> },
  options: { readonly codegen: boolean },
): OutsideRun {
  const n = done.steps.length;
  const revisions = command === 'stamp' ? '' : ` (${n} revision${n === 1 ? '' : 's'})`;
  const say = (signal: StopSignal) =>
    options.codegen
      ? `Interrupted (${signal}) during codegen: the ${command} completed${revisions}; the types may be stale: run 'migrate codegen'.`
      : `Interrupted (${signal}) after the ${command} completed${revisions}: nothing was left undone.`;
  return {
    lines: (signal) => [say(signal)],
    json: (signal) => ({ error: { message: say(signal), code: 'INTERRUPTED', steps: [...done.steps], heads: done.heads, pending: [], notStarted: [] } }),
  };
}
