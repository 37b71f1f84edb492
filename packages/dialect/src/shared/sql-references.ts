import type { ObjectReference } from '@multidb/core';
import { sqlNames } from '../sqlite/sqlite-sql-references.js';
import { compareNames } from './compare-names.js';

/** Options of {@link sqlReferences}. */
export interface SqlReferenceOptions {
  /** The object's own name (a view): never a reference of itself. */
  readonly self?: string;
  /** The table a trigger is on: always referenced, whatever its SQL names. */
  readonly on?: string;
  /**
   * The tables the database says the object uses (MySQL `VIEW_TABLE_USAGE`): used instead of
   * the names found in the SQL; their columns are still read from the SQL.
   */
  readonly tables?: readonly string[];
}

/**
 * The tables and columns a view's query or a trigger's body uses, read from its SQL where the
 * database records none: a table (or view) is referenced when its name appears as a word or
 * quoted identifier (`"t"`, `` `t` ``, `[t]`; not in a string literal, not as a function name),
 * and one of its columns when that column's name appears too. Names compare case-insensitively.
 * A table with no column named is referenced as a whole. Conservative: a name shared by two
 * tables' columns counts for both.
 *
 * @param sql - the view's query or the trigger's statement, as stored.
 * @param relations - the tables and views that may be referenced, with their columns.
 * @param options - the object's own name, a trigger's table, tables known from the catalog.
 * @returns references sorted by table, then column.
 * @example
 * ```ts
 * sqlReferences('SELECT "Title" FROM "Album"', new Map([['Album', ['AlbumId', 'Title']]]));
 * // [{ table: 'Album', column: 'Title' }]
 * ```
 */
export function sqlReferences(sql: string, relations: ReadonlyMap<string, readonly string[]>, options: SqlReferenceOptions = {}): ObjectReference[] {
  const used = sqlNames(sql);
  const listed = options.tables ? new Set(options.tables.map((t) => t.toLowerCase())) : undefined;
  const out: ObjectReference[] = [];
  for (const [table, columns] of relations) {
    const key = table.toLowerCase();
    if (options.self !== undefined && key === options.self.toLowerCase()) continue;
    const isOn = options.on !== undefined && key === options.on.toLowerCase();
    if (!isOn && !(listed ? listed.has(key) : used.has(key))) continue;
    const named = columns.filter((c) => used.has(c.toLowerCase()));
    if (named.length === 0) out.push({ table });
    for (const column of named) out.push({ table, column });
  }
  return out.sort((a, b) => compareNames(a.table, b.table) || compareNames(a.column ?? '', b.column ?? ''));
}
