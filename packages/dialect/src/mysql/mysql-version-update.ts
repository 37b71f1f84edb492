import type { Statement } from '@multidb/core';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { versionWrite } from '../shared/version-write.js';

/** A table as the version-table methods of a connection take it (`schema`: another database). */
export interface MysqlTableRef {
  /** The table's name. */
  readonly name: string;
  /** Its database, when not the session's. */
  readonly schema?: string | undefined;
}

/**
 * The message of the `SIGNAL` a {@link mariadbVersionUpdate} statement raises when its write did
 * not change exactly one row (another runner moved the version table): the transaction was rolled
 * back first.
 */
export const MARIADB_VERSION_CONFLICT = 'multidb: version table conflict';

/** `` `schema`.`name` `` or `` `name` ``. */
function qualified(table: MysqlTableRef): string {
  return (table.schema ? `${quoteIdentifier(table.schema, '`')}.` : '') + quoteIdentifier(table.name, '`');
}

/**
 * The write that replaces the version table's row `from` by `to` ({@link versionWrite} with
 * MySQL's quoting): an UPDATE, or an INSERT (no `from`) or a DELETE (no `to`), the revisions as
 * parameters. It must change exactly one row.
 * @param table - the version table.
 * @param from - the revision its row holds now, if any.
 * @param to - the revision it must hold, if any.
 * @throws TypeError when neither `from` nor `to` is given.
 * @example
 * ```ts
 * mysqlVersionWrite({ name: 'multidb_version' }, 'a1', 'a2');
 * // { sql: 'UPDATE `multidb_version` SET `version_num` = ? WHERE `version_num` = ?', parameters: ['a2', 'a1'] }
 * ```
 */
export function mysqlVersionWrite(table: MysqlTableRef, from: string | undefined, to: string | undefined): Statement {
  return versionWrite(table, from, to, '`');
}

/**
 * `DELETE FROM <table>`: every row of a table (the progress table of the revision in flight).
 * @example
 * ```ts
 * mysqlClearTable({ name: 'multidb_version_progress' }).sql; // 'DELETE FROM `multidb_version_progress`'
 * ```
 */
export function mysqlClearTable(table: MysqlTableRef): Statement {
  return { sql: `DELETE FROM ${qualified(table)}`, parameters: [] };
}

/**
 * One MariaDB statement (an anonymous compound statement, `BEGIN NOT ATOMIC … END`, MariaDB 10.1
 * and later; no multi-statement flag needed) that, in a transaction of its own, runs
 * {@link mysqlVersionWrite}, raises {@link MARIADB_VERSION_CONFLICT} after a ROLLBACK unless that
 * write changed exactly one row, runs {@link mysqlClearTable} of `clear` when given (the progress
 * table of the revision in flight), and commits: one round trip and one commit where BEGIN, the
 * write, the DELETE and COMMIT took four round trips. `START TRANSACTION` commits an open
 * transaction first, as `BEGIN` does. The revisions travel as parameters (formatted by mysql2 into
 * the text, like every query of the session). With `next` (one statement, the progress header of
 * the bind's next step), that write runs after the DELETE, in the same transaction.
 * @param table - the version table.
 * @param from - the revision its row holds now, if any.
 * @param to - the revision it must hold, if any.
 * @param clear - a table whose rows are all deleted in the same transaction.
 * @param next - a write run after the DELETE, in the same transaction (its parameters follow the write's).
 * @throws TypeError when neither `from` nor `to` is given.
 * @example
 * ```ts
 * mariadbVersionUpdate({ name: 'multidb_version' }, 'a1', 'a2', { name: 'multidb_version_progress' }).sql;
 * // "BEGIN NOT ATOMIC START TRANSACTION; UPDATE `multidb_version` SET `version_num` = ? WHERE `version_num` = ?; IF ROW_COUNT() <> 1 THEN … END IF; DELETE FROM `multidb_version_progress`; COMMIT; END"
 * ```
 */
export function mariadbVersionUpdate(table: MysqlTableRef, from: string | undefined, to: string | undefined, clear?: MysqlTableRef, next?: Statement): Statement {
  const write = mysqlVersionWrite(table, from, to);
  const sql =
    `BEGIN NOT ATOMIC START TRANSACTION; ${write.sql}; ` +
    `IF ROW_COUNT() <> 1 THEN ROLLBACK; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${MARIADB_VERSION_CONFLICT}'; END IF; ` +
    (clear ? `${mysqlClearTable(clear).sql}; ` : '') +
    (next ? `${next.sql}; ` : '') +
    'COMMIT; END';
  return { sql, parameters: next ? [...write.parameters, ...next.parameters] : write.parameters };
}
