import { formatColumnType, longestMemberLength, UnsupportedOperationError, type ColumnType } from '@multidb/core';

/** Options of {@link renderSqliteType}. */
export interface SqliteTypeOptions {
  /**
   * The table is `STRICT`: only `INTEGER`, `REAL`, `TEXT`, `BLOB` and `ANY` are allowed, so the
   * type is mapped to one of them by SQLite's affinity rules. Default false.
   */
  readonly strict?: boolean;
}

/** Type names that mean something on another database only, with their SQLite spelling. */
const RENAMES: Readonly<Record<string, string>> = {
  bool: 'boolean',
  jsonb: 'json',
  bytea: 'blob',
  serial: 'integer',
  smallserial: 'integer',
  bigserial: 'integer',
};

/**
 * Renders a parsed column type as a SQLite declared type.
 *
 * Outside STRICT tables SQLite keeps any declared type and derives the column's affinity from
 * it, so the declared text is kept as written (`varchar(3)`, `numeric(10,2)`, `nvarchar(40)`,
 * `timestamp with time zone`): introspection then reads back the same type. A few spellings are
 * mapped: `bool` → `boolean` (values stored as 1/0), `jsonb` → `json` (JSON text), `bytea` →
 * `blob`, `serial`/`bigserial`/`smallserial` → `integer`, `enum('a','bc')` → `varchar(2)` (the
 * longest member, in characters: `enum('🌧')` → `varchar(1)`) and other types with string arguments (MySQL `set(…)`) → `text`.
 *
 * In a STRICT table the type becomes `INTEGER`, `REAL`, `TEXT`, `BLOB` or `ANY` (booleans →
 * `INTEGER`; dates, times, JSON and UUIDs → `TEXT`; `numeric`/`decimal` → `REAL`).
 *
 * @param type - the parsed type.
 * @param options - `strict` for a STRICT table.
 * @returns the declared type text (empty for a column declared without a type).
 * @throws {@link UnsupportedOperationError} for array types (`text[]`): SQLite has none.
 * @example
 * ```ts
 * renderSqliteType(parseColumnType('NUMERIC(10, 2)')); // 'numeric(10,2)'
 * renderSqliteType(parseColumnType('varchar(3)'), { strict: true }); // 'TEXT'
 * ```
 */
export function renderSqliteType(type: ColumnType, options: SqliteTypeOptions = {}): string {
  if (type.array) {
    throw new UnsupportedOperationError('sqlite', `store the array type '${formatColumnType(type)}'`, 'SQLite has no array types; use json instead.');
  }
  const declared = sqliteDeclaredType(type);
  return options.strict ? strictType(declared) : declared;
}

function sqliteDeclaredType(type: ColumnType): string {
  if (!type.name) return '';
  const renamed = RENAMES[type.name];
  if (renamed) return renamed;
  if (type.args.some((a) => typeof a === 'string')) {
    if (type.name === 'enum') {
      return `varchar(${Math.max(1, longestMemberLength(type))})`;
    }
    return 'text';
  }
  return formatColumnType(type);
}

/**
 * The STRICT-table type for a declared type: the type itself when it is already one of
 * SQLite's five, else by affinity (SQLite's rules 1–4), then by name for NUMERIC affinity.
 */
function strictType(declared: string): string {
  const upper = declared.toUpperCase();
  if (upper === 'INT') return 'INTEGER';
  if (['INTEGER', 'REAL', 'TEXT', 'BLOB', 'ANY'].includes(upper)) return upper;
  const affinity = sqliteAffinity(declared);
  if (affinity !== 'NUMERIC') return affinity;
  if (/^BOOL/.test(upper)) return 'INTEGER';
  if (/DATE|TIME|JSON|UUID/.test(upper)) return 'TEXT';
  if (/^(NUMERIC|DECIMAL|NUMBER|MONEY)/.test(upper)) return 'REAL';
  return 'ANY';
}

/** SQLite's column affinity for a declared type (datatype3.html §3.1). */
export type SqliteAffinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/**
 * The affinity SQLite gives a declared type.
 * @example
 * ```ts
 * sqliteAffinity('varchar(3)'); // 'TEXT'
 * sqliteAffinity('boolean');    // 'NUMERIC'
 * ```
 */
export function sqliteAffinity(declared: string): SqliteAffinity {
  const upper = declared.toUpperCase();
  if (upper.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(upper)) return 'TEXT';
  if (upper === '' || upper.includes('BLOB')) return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(upper)) return 'REAL';
  return 'NUMERIC';
}
