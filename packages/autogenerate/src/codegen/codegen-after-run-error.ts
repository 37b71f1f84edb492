import { MultidbError, type RunResult, type StepResult } from '@multidb/core';

/**
 * The codegen after an upgrade or a downgrade failed (`codegen: 'after-run'`; see
 * `codegenAfterRun`): the run itself completed, every step committed and recorded, and only the
 * types files of {@link binds} may be stale. `code` `'CODEGEN_AFTER_RUN'`; `cause` is what codegen
 * threw (a file system error, a connection error, a `CodegenError`). The message says so:
 * `The downgrade completed (1 revision), but regenerating the types of db2 failed: EACCES: … The
 * types may be stale: run 'migrate codegen db2' once that is fixed.`
 * @example
 * ```ts
 * try { await codegenAfterRun(env, await commands.downgrade(env, 'db2')); }
 * catch (e) { if (e instanceof CodegenAfterRunError) console.error(`${e.command} done; types of ${e.binds.join(', ')} stale`); }
 * ```
 */
export class CodegenAfterRunError extends MultidbError {
  /** The run that completed: `'upgrade'` or `'downgrade'`. */
  readonly command: 'upgrade' | 'downgrade';
  /** The binds whose types were being regenerated (config order). */
  readonly binds: readonly string[];
  /** The steps the run completed (all of them: it succeeded), in plan order. */
  readonly completed: readonly StepResult[];
  /** Where each bind the run touched stands: its version-table rows (`[]`: base), as `RunResult.heads`. */
  readonly heads: ReadonlyMap<string, readonly string[]>;
  constructor(result: RunResult, binds: readonly string[], cause: unknown) {
    const command = result.steps[0]?.direction === 'down' ? 'downgrade' : 'upgrade';
    const n = result.steps.length;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `The ${command} completed (${n} revision${n === 1 ? '' : 's'}), but regenerating the types of ${binds.join(', ')} failed: ${reason.replace(/\.?\s*$/, '.')} ` +
        `The types may be stale: run 'migrate codegen ${binds.join(' ')}' once that is fixed.`,
      'CODEGEN_AFTER_RUN',
      { cause },
    );
    this.command = command;
    this.binds = Object.freeze([...binds]);
    this.completed = result.steps;
    this.heads = result.heads;
  }
}
