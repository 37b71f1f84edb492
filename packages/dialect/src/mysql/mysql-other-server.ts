import type { ColumnSnapshot, IndexSnapshot, OfflineOtherServer, Op } from '@multidb/core';
import { mysqlUnsupportedIndex } from './mysql-unsupported-index.js';

/** A change of an alterColumn that MySQL writes as MODIFY COLUMN, restating the whole column. */
function restates(changes: { readonly type?: unknown; readonly nullable?: unknown; readonly comment?: unknown }): boolean {
  return changes.type !== undefined || changes.nullable !== undefined || changes.comment !== undefined;
}

const DROP_CHECK = 'MariaDB has no DROP CHECK, only DROP CONSTRAINT';
const GENERATED = 'MariaDB refuses NULL or NOT NULL on a generated column';
const EXPRESSION_INDEX = 'MariaDB has no expression indexes';

const generated = (columns: readonly ColumnSnapshot[]) => columns.some((c) => c.generated !== undefined);
const expressionIndex = (indexes: readonly IndexSnapshot[]) => indexes.some((ix) => mysqlUnsupportedIndex('mariadb', ix) !== undefined);

/**
 * What MariaDB refuses in the statements the MySQL flavour writes for `op`: `DROP CHECK` (MariaDB's
 * is `DROP CONSTRAINT`), `NULL`/`NOT NULL` on a generated column (a created table's, an added
 * column, a generated column restated by MODIFY COLUMN as its `existing` says), an expression
 * index key; a batch block: the first of its inner ops'.
 */
function caveat(op: Op): string | undefined {
  switch (op.kind) {
    case 'DropConstraint':
      return op.type === 'check' ? DROP_CHECK : undefined;
    case 'CreateTable':
      if (generated(op.table.columns)) return GENERATED;
      return expressionIndex(op.table.indexes) ? EXPRESSION_INDEX : undefined;
    case 'AddColumn':
      return op.column.generated ? GENERATED : undefined;
    case 'AlterColumn':
      return op.existing.generated && restates(op.changes) ? GENERATED : undefined;
    case 'CreateIndex':
      return expressionIndex([op.index]) ? EXPRESSION_INDEX : undefined;
    case 'BatchAlterTable':
      for (const inner of op.ops) {
        const found = caveat(inner as Op);
        if (found !== undefined) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * What an offline script of a `mysql://` bind says about MariaDB (the MySQL flavour's
 * `dialect.offline.otherServer`): offline mode opens no database, so the URL's scheme decides the
 * rules, and `mysql://` gives MySQL's even when the server is MariaDB, which refuses some of what
 * they write. Each op MariaDB would refuse gets a comment naming what ({@link OfflineOtherServer.caveat});
 * the script one warning, once, saying that `mariadb://` selects MariaDB's rules. Statements the two
 * write differently but MariaDB takes (a TEXT default in parentheses, the prepared statements
 * that drop the index of a foreign key of a table the script does not know) say nothing.
 * @example
 * ```ts
 * MYSQL_OTHER_SERVER.caveat({ kind: 'DropConstraint', table: 't', name: 'ck_x', type: 'check' });
 * // 'MariaDB has no DROP CHECK, only DROP CONSTRAINT'
 * ```
 */
export const MYSQL_OTHER_SERVER: OfflineOtherServer = Object.freeze({
  caveat,
  warning: (caveats: readonly string[]) =>
    "This script follows MySQL's rules: offline mode opens no database, and the bind's URL (mysql://) names MySQL. " +
    `If the server is MariaDB, statements of the script fail there (${caveats.join('; ')}; a WARNING comment precedes each). ` +
    "Write the URL as mariadb://… and write the script again, for MariaDB's rules.",
});
