import type { Statement } from './dialect.js';

/**
 * The statement whose sending threw each error, keyed by that very error object: a revision that
 * catches such an error and throws one of its own has that other error named by nothing here.
 */
const failedStatements = new WeakMap<object, Statement>();

/**
 * Remembers that sending `statement` threw `error`, so that a failed step names it
 * (`MigrationError.statement`, the CLI's `statement:` line and `--json`'s `sql`). What a dialect
 * connection calls for a statement of its own that fails (a `COMMIT` refused by a deferred
 * constraint, the foreign-key check before it, a `BEGIN`), which core cannot see otherwise; core's
 * runner does the same for the statements of ops and the queries of `op.db`. The error is left
 * exactly as it is (no field, message or identity changes); an error that is not an object, or one
 * already marked, is left as it was (the first statement named stays).
 *
 * @param error - what the driver rejected the statement with (or the connection's own error for it).
 * @param statement - the statement as sent.
 * @example
 * ```ts
 * try {
 *   await connection.execute({ sql: 'COMMIT', parameters: [] });
 * } catch (error) {
 *   markFailedStatement(error, { sql: 'COMMIT', parameters: [] });
 *   throw error;
 * }
 * ```
 */
export function markFailedStatement(error: unknown, statement: Statement): void {
  if (typeof error !== 'object' || error === null || failedStatements.has(error)) return;
  failedStatements.set(error, { sql: statement.sql, parameters: statement.parameters });
}

/**
 * The statement whose sending threw `error` itself, when it was marked ({@link markFailedStatement});
 * not one whose error `error` wraps (a caller walks the `cause` chain).
 *
 * @param error - anything thrown.
 * @returns the statement's SQL and parameters, or `undefined`.
 * @example
 * ```ts
 * const failure = await connection.commit().catch((e: unknown) => e);
 * failedStatementOf(failure)?.sql; // 'COMMIT' when the COMMIT itself failed
 * ```
 */
export function failedStatementOf(error: unknown): Statement | undefined {
  return typeof error === 'object' && error !== null ? failedStatements.get(error) : undefined;
}
