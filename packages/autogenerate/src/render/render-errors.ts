import { MultidbError } from '@multidb/core';

/**
 * An op object the renderer cannot write as `op.*` calls that rebuild it exactly: a field the
 * `op` facade cannot express, a value that has no source form (a function, a class instance), or
 * an inconsistent op (an inner op of a batch on another table). Raised instead of writing a
 * revision that would silently differ from the ops it was given.
 *
 * @example
 * ```ts
 * try {
 *   renderOp({ kind: 'Execute', sql: 'SELECT 1', parameters: [() => 1] });
 * } catch (error) {
 *   if (error instanceof RenderError) console.error(error.opKind, error.message);
 * }
 * ```
 */
export class RenderError extends MultidbError {
  /** The kind of the op that could not be rendered (`'AddColumn'`, …). */
  readonly opKind: string;
  constructor(opKind: string, message: string) {
    super(message, 'RENDER');
    this.opKind = opKind;
  }
}

/**
 * A post-write hook that failed: its command could not be started or exited non-zero, or the
 * command line does not parse. The message names the command and carries its stderr.
 *
 * @example
 * ```ts
 * try {
 *   await runPostWriteHook('npx prettier --write {file}', '/project/migrations/versions/db2/abc_add.ts');
 * } catch (error) {
 *   if (error instanceof PostWriteHookError) console.error(error.command, error.exitCode, error.stderr);
 * }
 * ```
 */
export class PostWriteHookError extends MultidbError {
  /** The hook's command line, as configured. */
  readonly command: string;
  /** The revision file the hook ran on. */
  readonly file: string;
  /** The exit code; `undefined` when the command did not start or was killed by a signal. */
  readonly exitCode: number | undefined;
  /** What the command wrote to stderr (trimmed). */
  readonly stderr: string;
  constructor(message: string, fields: { command: string; file: string; exitCode?: number; stderr?: string }, options?: { cause?: unknown }) {
    super(message, 'POST_WRITE_HOOK', options);
    this.command = fields.command;
    this.file = fields.file;
    this.exitCode = fields.exitCode;
    this.stderr = fields.stderr ?? '';
  }
}
