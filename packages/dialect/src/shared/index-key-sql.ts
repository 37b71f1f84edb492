import { indexColumnName, indexColumnSort, indexColumnSql, UnsupportedOperationError, type IndexColumn } from '@multidb/core';

/** How a dialect writes the keys of an index. */
export interface IndexKeyStyle {
  /** The dialect, for the error (`'sqlite' | 'postgres' | 'mysql'`). */
  readonly dialect: string;
  /** Quotes a column name. */
  readonly quote: (name: string) => string;
  /** Writes an expression key (PostgreSQL wraps it in parentheses). */
  readonly expression: (sql: string) => string;
  /** Whether the dialect has `NULLS FIRST` / `NULLS LAST` in an index (PostgreSQL). */
  readonly nulls: boolean;
}

/**
 * One key of a CREATE INDEX's column list: the column or expression, then ` DESC` for a
 * descending key and ` NULLS FIRST|LAST` when the NULLs order is not the direction's default.
 *
 * @param column - the key.
 * @param style - how the dialect writes it.
 * @param index - the index's name, for the error.
 * @returns the key's SQL.
 * @throws {@link UnsupportedOperationError} for a NULLs order on a dialect without one (MySQL,
 *   MariaDB, SQLite).
 * @example
 * ```ts
 * indexKeySql({ name: 'amount', order: 'desc', nulls: 'last' }, { dialect: 'postgres', quote: (n) => `"${n}"`, expression: (s) => `(${s})`, nulls: true }, 'ix');
 * // '"amount" DESC NULLS LAST'
 * ```
 */
export function indexKeySql(column: IndexColumn, style: IndexKeyStyle, index: string): string {
  const name = indexColumnName(column);
  const sort = indexColumnSort(column);
  const key = name !== undefined ? style.quote(name) : style.expression(indexColumnSql(column)!);
  if (sort.nulls !== undefined && !style.nulls) {
    throw new UnsupportedOperationError(style.dialect, `sort NULLS ${sort.nulls.toUpperCase()} in the index '${index}'`, 'only PostgreSQL indexes have NULLS FIRST/LAST: leave nulls out.');
  }
  return `${key}${sort.order === 'desc' ? ' DESC' : ''}${sort.nulls !== undefined ? ` NULLS ${sort.nulls.toUpperCase()}` : ''}`;
}
