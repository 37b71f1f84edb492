import { InterruptedError, type MigrationEnvironment, type RunResult } from '@multidb/core';
import type { CliContext } from '../cli-context.js';
import { runJson } from '../json-output.js';
import { MaskingOutput } from '../output.js';
import { printCodegenResults } from './codegen.js';
import { completedRun, type CommandStopSignals } from './stop-signals.js';
import { noteStaleTypes } from '../stale-types.js';

/**
 * `codegen: 'after-run'` after `migrate upgrade` or `migrate downgrade` completed: regenerates the
 * types of the binds the run changed (autogenerate's `codegenAfterRun`) and prints a line per file
 * (`[db2] Wrote src/db/db2-types.ts`; on stderr with `--json`, whose stdout holds the run's one
 * document). Does nothing, and loads nothing, when the run ran no step or no bind names `types`.
 * While files are written a signal says the run completed and the types may be stale. A failure
 * rejects with autogenerate's `CodegenAfterRunError`, which says the run completed (exit 1;
 * `--json`: its `ErrorJson` carries the run's `steps` and `heads`).
 * @param ctx - the command's context.
 * @param env - the environment the run used (its connections still open).
 * @param command - the command that ran.
 * @param result - what it returned.
 * @param signals - the command's Ctrl-C / SIGTERM handling.
 * @param options - `json`: the command prints JSON on stdout.
 */
export async function codegenAfterRunCommand(
  ctx: CliContext,
  env: MigrationEnvironment,
  command: 'upgrade' | 'downgrade',
  result: RunResult,
  signals: CommandStopSignals,
  options: { readonly json?: boolean },
): Promise<void> {
  if (result.steps.length === 0 || !env.binds.some((b) => b.config.types !== undefined)) return;
  const { codegenAfterRun, codegenBindsAfterRun } = await import('@multidb/autogenerate');
  if (codegenBindsAfterRun(env, result).length === 0) return;
  // With --json, stdout holds the one JSON document: the codegen lines go to stderr.
  const output = options.json ? new MaskingOutput({ out: (line) => ctx.output.err(line), err: (line) => ctx.output.err(line) }) : ctx.output;
  // A signal while types files are written says they may be stale.
  signals.after(completedRun(command, runJson(result), { codegen: true }));
  const written = await codegenAfterRun(env, result);
  signals.after(completedRun(command, runJson(result), { codegen: false }));
  printCodegenResults({ ...ctx, output }, written, (bind) => env.bind(bind).branch);
}

/**
 * `run`, and when it rejects with core's `InterruptedError` after changing binds whose
 * `codegen` is `'after-run'`: those binds noted on the error ({@link noteStaleTypes}), since no
 * codegen follows an interrupted run (and running the command again may change other binds, or
 * none when the signal came during the last revision). Loads autogenerate only when a bind names
 * `types`.
 * @param env - the run's environment.
 * @param run - the run.
 * @returns what `run` resolves to.
 * @throws what `run` rejects with, unchanged.
 * @example
 * ```ts
 * const result = await noteStaleTypesOf(env, commands.upgrade(env, []));
 * ```
 */
export async function noteStaleTypesOf<T>(env: MigrationEnvironment, run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof InterruptedError && error.completed.length > 0 && env.binds.some((b) => b.config.types !== undefined)) {
      const { codegenBindsAfterRun } = await import('@multidb/autogenerate');
      noteStaleTypes(error, codegenBindsAfterRun(env, { steps: error.completed, heads: new Map(), elapsedMs: 0 }));
    }
    throw error;
  }
}
