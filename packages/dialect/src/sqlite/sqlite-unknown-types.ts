import type { DeclaredType, UnknownType } from '@multidb/core';
import { renderSqliteType } from './sqlite-type-map.js';

/**
 * The declared types SQLite does not know. Outside STRICT tables it takes any name (the name only
 * gives the column an affinity), so none. A STRICT table takes only `INT`, `INTEGER`, `REAL`,
 * `TEXT`, `BLOB` and `ANY`: the dialect writes other names as one of them by SQLite's affinity
 * rules (`varchar(20)` → `TEXT`, `boolean` → `INTEGER`, `timestamp` → `TEXT`), and a name those
 * rules do not place (`string`, `geometry`) would be declared `ANY`, which checks nothing: that
 * one is reported. No database is asked; a type the dialect refuses to write (an array) is left
 * to compile, which says why.
 *
 * @param types - the declared types (`strict` for a STRICT table's columns).
 * @returns the unknown ones, in the order given.
 * @example
 * ```ts
 * await sqliteUnknownTypes([{ table: 'note', column: 'body', type: parseColumnType('string'), strict: true }]);
 * // [{ …, rendered: 'string', reason: 'SQLite knows no such type, and a STRICT table takes INT, INTEGER, REAL, TEXT, BLOB or ANY: it would be declared ANY' }]
 * ```
 */
export async function sqliteUnknownTypes(types: readonly DeclaredType[]): Promise<UnknownType[]> {
  return types.flatMap((t) => {
    if (!t.strict) return [];
    let declared: string;
    let strict: string;
    try {
      declared = renderSqliteType(t.type);
      strict = renderSqliteType(t.type, { strict: true });
    } catch {
      return [];
    }
    if (strict !== 'ANY' || declared.toUpperCase() === 'ANY') return [];
    return [{ ...t, rendered: declared, reason: 'SQLite knows no such type, and a STRICT table takes INT, INTEGER, REAL, TEXT, BLOB or ANY: it would be declared ANY' }];
  });
}
