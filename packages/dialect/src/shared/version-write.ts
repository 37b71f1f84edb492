import type { Statement } from '@multidb/core';
import { quoteIdentifier } from './quote-identifier.js';

/**
 * The write that replaces the version table's row `from` by `to`: an UPDATE, or an INSERT (no
 * `from`) or a DELETE (no `to`), with the revisions as `?` parameters (SQLite, MySQL). It must
 * change exactly one row; the caller checks that.
 * @param table - the version table's name and schema (SQLite: an attached database; MySQL: another database).
 * @param from - the revision its row holds now, if any.
 * @param to - the revision it must hold, if any.
 * @param quote - the dialect's identifier quote (`"` SQLite, `` ` `` MySQL).
 * @throws TypeError when neither `from` nor `to` is given.
 * @example
 * ```ts
 * versionWrite({ name: 'multidb_version' }, 'a1', 'a2', '`');
 * // { sql: 'UPDATE `multidb_version` SET `version_num` = ? WHERE `version_num` = ?', parameters: ['a2', 'a1'] }
 * ```
 */
export function versionWrite(
  table: { readonly name: string; readonly schema?: string | undefined },
  from: string | undefined,
  to: string | undefined,
  quote: '"' | '`',
): Statement {
  const target = (table.schema ? `${quoteIdentifier(table.schema, quote)}.` : '') + quoteIdentifier(table.name, quote);
  const column = quoteIdentifier('version_num', quote);
  if (from === undefined && to === undefined) throw new TypeError('versionWrite: neither `from` nor `to` given');
  if (from === undefined) return { sql: `INSERT INTO ${target} (${column}) VALUES (?)`, parameters: [to] };
  if (to === undefined) return { sql: `DELETE FROM ${target} WHERE ${column} = ?`, parameters: [from] };
  return { sql: `UPDATE ${target} SET ${column} = ? WHERE ${column} = ?`, parameters: [to, from] };
}
