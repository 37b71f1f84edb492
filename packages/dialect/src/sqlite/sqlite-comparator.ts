import { type ColumnSnapshot, type ColumnType, type DefaultValue, type SchemaComparator } from '@multidb/core';
import { canonicalExpression, type ExpressionRewrites } from '../shared/canonical-expression.js';
import { unqualifyOwnColumns } from './sqlite-sql-references.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';
import { renderSqliteType, sqliteAffinity } from './sqlite-type-map.js';

/** SQLite stores expressions as written; `[name]` is a quoted identifier. */
const SQLITE_REWRITES: ExpressionRewrites = Object.freeze({ bracketIdentifiers: true });

/**
 * The declared type SQLite keeps for a column of this type, compared case-insensitively: the
 * dialect's rendering (`bool` → `boolean`, `serial` → `integer`, `enum('a','bc')` → `varchar(2)`,
 * `jsonb` → `json`), lower-case with single spaces. SQLite keeps any declared text, so `int` and
 * `integer` stay different (only `INTEGER PRIMARY KEY` is a rowid alias). An `AUTOINCREMENT`
 * column of any integer type (`bigint`) is `integer`: SQLite allows AUTOINCREMENT only on an
 * `INTEGER PRIMARY KEY`, so that is what the dialect declares.
 *
 * @param type - a declared or introspected type.
 * @param column - the column of the type (its `autoincrement`); omitted: the type alone.
 * @param table - the column's table: in a `STRICT` one the type is what the dialect declares
 *   there (`varchar(3)` → `text`, `boolean` → `integer`), as introspection reads it back.
 * @returns the canonical text (empty for a column without a type).
 * @example
 * ```ts
 * canonicalSqliteType(parseColumnType('VARCHAR(3)')); // 'varchar(3)'
 * canonicalSqliteType(parseColumnType('bigint'), { name: 'id', type: parseColumnType('bigint'), nullable: false, autoincrement: true }); // 'integer'
 * ```
 */
export function canonicalSqliteType(type: ColumnType, column?: ColumnSnapshot, table?: { readonly strict?: boolean }): string {
  let rendered: string;
  try {
    rendered = renderSqliteType(type, { strict: table?.strict === true });
  } catch {
    rendered = type.name;
  }
  if (column?.autoincrement && sqliteAffinity(rendered) === 'INTEGER') return 'integer';
  return rendered.toLowerCase().replace(/\s+/g, ' ').replace(/\s*,\s*/g, ',').replace(/\s*\(\s*/g, '(').replace(/\s*\)/g, ')');
}

/**
 * The text of a column default as SQLite stores it (`PRAGMA table_xinfo.dflt_value`), reduced
 * so that equal defaults compare equal: `NULL` → none; strings quoted (`'USD'`); booleans as
 * `1`/`0` (SQLite has no booleans); numbers as numbers; an expression by
 * {@link canonicalExpression} (`(datetime('now'))` = `datetime('now')`, `CURRENT_TIMESTAMP` =
 * `current_timestamp`), a literal written as `{ sql }` as that literal.
 *
 * @param value - the default as declared or introspected.
 * @param _column - its column (SQLite keeps defaults as written, whatever the type).
 * @returns the canonical text, or `undefined` for no default.
 * @example
 * ```ts
 * canonicalSqliteDefault(true, column);                     // '1'
 * canonicalSqliteDefault({ sql: "(datetime('now'))" }, column); // "datetime('now')"
 * ```
 */
export function canonicalSqliteDefault(value: DefaultValue | undefined, _column: ColumnSnapshot): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') {
    const text = canonicalExpression(value.sql, SQLITE_REWRITES);
    if (text === 'null') return undefined;
    if (text === 'true' || text === 'false') return text === 'true' ? '1' : '0';
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/.test(text)) return numberText(text);
    return text;
  }
  if (typeof value === 'number') return numberText(String(value));
  return renderLiteral(value, SQLITE_LITERAL_STYLE);
}

function numberText(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n)) ? String(n) : text;
}

/**
 * SQLite's comparison rules for autogenerate (the dialect's {@link SchemaComparator}): types by
 * {@link canonicalSqliteType}, defaults by {@link canonicalSqliteDefault}, expressions (stored as
 * written) by {@link canonicalExpression}: quotes, case, spacing and redundant parentheses
 * ignored.
 *
 * @example
 * ```ts
 * import { sqliteComparator } from '@multidb/dialect';
 * sqliteComparator.canonicalExpression('("Total" >= 0)'); // 'total >= 0'
 * ```
 */
export const sqliteComparator: SchemaComparator = Object.freeze({
  canonicalType: canonicalSqliteType,
  canonicalDefault: canonicalSqliteDefault,
  // A table's own name before a column is dropped, as the introspector reads it (drizzle-kit's
  // `"users"."ratio"`); so is `main.users.`, kept as written by introspection but dropped by a batch
  // rebuild (the table is rebuilt under a working name): a model's `main.users.ratio >= 0` and the
  // rebuilt table's `ratio >= 0` mean the same.
  canonicalExpression: (sql: string, table?: string) => canonicalExpression(table === undefined ? sql : unqualifyOwnColumns(sql, table, { schema: 'main' }), SQLITE_REWRITES),
});
