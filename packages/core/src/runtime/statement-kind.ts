/**
 * What one SQL statement does, told by its first keyword (no dialect's grammar beyond that):
 * - `'read'`: reads or sets the session (`SELECT`, `VALUES`, `TABLE`, `SHOW`, `EXPLAIN`,
 *   `DESCRIBE`, `SET`, `USE`, `HELP`);
 * - `'dml'`: changes rows (`INSERT`, `UPDATE`, `DELETE`, `REPLACE`, `MERGE`, `UPSERT`, `LOAD`, and
 *   `WITH`, which starts a data statement);
 * - `'procedural'`: runs code that may do anything (`CALL` a procedure, a `DO` block);
 * - `'ddl'`: anything else (`CREATE`, `ALTER`, `DROP`, `RENAME`, `GRANT`…).
 */
export type StatementKind = 'read' | 'dml' | 'procedural' | 'ddl';

const READ: ReadonlySet<string> = new Set(['select', 'values', 'table', 'show', 'explain', 'describe', 'desc', 'set', 'use', 'help']);
const DML: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'replace', 'merge', 'upsert', 'load', 'with']);
const PROCEDURAL: ReadonlySet<string> = new Set(['call', 'do']);

/**
 * A SQL text from its first keyword on: leading blanks, opening parentheses, line comments (`--`)
 * and block comments removed.
 * @internal
 */
export function fromFirstKeyword(sql: string): string {
  return sql.replace(/^(\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
}

/**
 * The kind of one SQL statement, by its first keyword past blanks, opening parentheses and
 * comments (case-insensitive). The one classification of raw SQL in multidb: a MySQL/MariaDB run
 * counts raw SQL (`op.execute`, a raw `op.db` query) of kind `'dml'`, `'procedural'` or `'ddl'` as
 * one write in its progress table (a `'read'` is sent again on resume; any other op is one write,
 * whatever number of statements it compiles to: see `CompiledStatement.write`), and the TUI's
 * revision viewer cuts long `'read'` and `'dml'` statements while showing `'ddl'` and
 * `'procedural'` ones whole.
 *
 * It reads no further than the first keyword: `WITH … SELECT` is `'dml'` (counted as a write, the
 * safe side), `EXPLAIN ANALYZE DELETE …` is `'read'`.
 * @param sql - one statement's text.
 * @returns its {@link StatementKind}; `'ddl'` for an unknown or missing keyword.
 * @example
 * ```ts
 * import { statementKind } from '@multidb/core';
 *
 * statementKind('-- seed\nINSERT INTO t VALUES (1)'); // 'dml'
 * statementKind('(SELECT 1)'); // 'read'
 * statementKind('CALL refresh_totals()'); // 'procedural'
 * statementKind('ALTER TABLE t ADD x int'); // 'ddl'
 * ```
 */
export function statementKind(sql: string): StatementKind {
  const word = /^[A-Za-z]+/.exec(fromFirstKeyword(sql))?.[0]?.toLowerCase() ?? '';
  if (READ.has(word)) return 'read';
  if (DML.has(word)) return 'dml';
  if (PROCEDURAL.has(word)) return 'procedural';
  return 'ddl';
}
