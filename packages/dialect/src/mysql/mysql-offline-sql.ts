import type { OfflineSql, Statement } from '@multidb/core';
import { hasInnerSemicolon, offlineComment, renderOfflineStatement, type OfflineStatementStyle } from '../shared/offline-statement.js';
import { MYSQL_OTHER_SERVER } from './mysql-other-server.js';
import { mysqlInlineLiteral, toMysqlParameter } from './mysql-parameter.js';
import type { MysqlFlavour } from './mysql-url.js';

/**
 * A parameter as the MySQL literal that mysql2's binding of it amounts to (see
 * {@link toMysqlParameter}): dates as UTC DATETIME text, objects and arrays as JSON text,
 * backslashes doubled, a NUL character as `\0` (so clients read the file as text).
 * @example
 * ```ts
 * mysqlParameterLiteral(new Date('2024-01-31T12:00:00Z')); // "'2024-01-31 12:00:00.000'"
 * ```
 */
export function mysqlParameterLiteral(value: unknown): string {
  return mysqlInlineLiteral(toMysqlParameter(value)).replace(/\0/g, '\\0');
}

const STYLE: OfflineStatementStyle = Object.freeze({
  placeholders: 'question',
  backslashEscapes: true,
  hashComments: true,
  literal: mysqlParameterLiteral,
});

const offlineSql = new Map<MysqlFlavour, OfflineSql>();

/**
 * How offline scripts are written for MySQL or MariaDB (`dialect.offline` of the mysql
 * dialect), mirroring `MysqlConnection` and the driver's connect:
 * - prologue: `SET NAMES utf8mb4` and `SET time_zone = '+00:00'` (as at connect);
 * - begin/commit: `BEGIN` / `COMMIT`, written only around a version-table change of several
 *   statements (every DDL statement commits implicitly, so core's writer wraps no revision: the
 *   dialect declares `transactionalDdl: false`);
 * - statements: `?` parameters as MySQL literals ({@link mysqlParameterLiteral}), then `;`; a
 *   statement with `;` inside (a trigger body) is wrapped in `DELIMITER //` … `DELIMITER ;`.
 *
 * - MySQL's (`mysql://`, which may name a MariaDB server: offline mode opens none): what MariaDB
 *   refuses of what it writes is said (`otherServer`: see {@link MYSQL_OTHER_SERVER}).
 *
 * Run a script with `mariadb DATABASE < FILE` (or `mysql`): the client stops at the first error.
 *
 * @param flavour - `'mysql'` or `'mariadb'` (the client named in the header).
 * @example
 * ```ts
 * mysqlOfflineSql('mariadb').renderStatement({ sql: 'update `t` set `a` = ?', parameters: ['C:\\temp'] }); // "update `t` set `a` = 'C:\\\\temp';"
 * ```
 */
export function mysqlOfflineSql(flavour: MysqlFlavour): OfflineSql {
  let sql = offlineSql.get(flavour);
  if (!sql) {
    sql = Object.freeze({
      runWith: `${flavour === 'mariadb' ? 'mariadb' : 'mysql'} DATABASE < FILE`,
      prologue: () => ['SET NAMES utf8mb4', "SET time_zone = '+00:00'"],
      begin: () => ['BEGIN'],
      commit: () => ['COMMIT'],
      renderStatement: (statement: Statement) => {
        const text = renderOfflineStatement(statement, STYLE);
        return hasInnerSemicolon(statement.sql, STYLE) ? `DELIMITER //\n${text.replace(/;$/, '')}\n//\nDELIMITER ;` : text;
      },
      comment: offlineComment,
      // A mysql:// URL may name a MariaDB server: what MariaDB refuses of MySQL's SQL is said.
      ...(flavour === 'mysql' ? { otherServer: MYSQL_OTHER_SERVER } : {}),
    });
    offlineSql.set(flavour, sql);
  }
  return sql;
}
