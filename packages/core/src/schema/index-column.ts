/**
 * How an index sorts one of its keys. Omitted fields are the defaults: ascending, and NULLs where
 * the direction puts them (PostgreSQL: last ascending, first descending).
 */
export interface IndexSortOrder {
  /** `'desc'`: descending. Omitted (or `'asc'`): ascending. */
  readonly order?: 'asc' | 'desc';
  /** `NULLS FIRST` / `NULLS LAST` (PostgreSQL only). Omitted: the direction's default. */
  readonly nulls?: 'first' | 'last';
}

/**
 * One key of an index: a column name (ascending); a column with its sort order
 * (`{ name: 'amount', order: 'desc', nulls: 'last' }`); or an expression, with its sort order if
 * any (`{ sql: 'lower(email)' }`, `{ sql: 'lower(email)', order: 'desc' }`).
 */
export type IndexColumn = string | ({ readonly name: string } & IndexSortOrder) | ({ readonly sql: string } & IndexSortOrder);

/**
 * The column an index key names, or `undefined` for an expression.
 * @param column - the key.
 * @example
 * ```ts
 * indexColumnName({ name: 'amount', order: 'desc' }); // 'amount'
 * indexColumnName({ sql: 'lower(email)' });           // undefined
 * ```
 */
export function indexColumnName(column: IndexColumn): string | undefined {
  return typeof column === 'string' ? column : 'name' in column ? column.name : undefined;
}

/**
 * The expression of an index key, or `undefined` for a column.
 * @param column - the key.
 * @example
 * ```ts
 * indexColumnSql({ sql: 'lower(email)', order: 'desc' }); // 'lower(email)'
 * ```
 */
export function indexColumnSql(column: IndexColumn): string | undefined {
  return typeof column === 'object' && 'sql' in column ? column.sql : undefined;
}

/**
 * The sort order of an index key, with the defaults left out: `{}` for an ascending key with the
 * default NULLs order, else `{ order: 'desc' }` and/or `{ nulls }` (a `nulls` equal to the
 * direction's PostgreSQL default, last ascending and first descending, is left out).
 * @param column - the key.
 * @example
 * ```ts
 * indexColumnSort({ name: 'amount', order: 'desc', nulls: 'first' }); // { order: 'desc' }
 * indexColumnSort({ name: 'amount', order: 'desc', nulls: 'last' });  // { order: 'desc', nulls: 'last' }
 * indexColumnSort('amount');                                          // {}
 * ```
 */
export function indexColumnSort(column: IndexColumn): IndexSortOrder {
  if (typeof column === 'string') return {};
  const desc = column.order === 'desc';
  const nulls = column.nulls === undefined || column.nulls === (desc ? 'first' : 'last') ? undefined : column.nulls;
  return { ...(desc ? { order: 'desc' as const } : {}), ...(nulls === undefined ? {} : { nulls }) };
}

/**
 * An index key in its shortest form: a column sorted by default is its name; otherwise the
 * object with only the fields that differ from the defaults ({@link indexColumnSort}).
 * @param column - the key, as written in models or an op.
 * @returns a new key (the input is not changed).
 * @example
 * ```ts
 * normalizeIndexColumn({ name: 'amount', order: 'asc' }); // 'amount'
 * normalizeIndexColumn({ name: 'amount', order: 'desc', nulls: 'first' }); // { name: 'amount', order: 'desc' }
 * ```
 */
export function normalizeIndexColumn(column: IndexColumn): IndexColumn {
  if (typeof column === 'string') return column;
  const sort = indexColumnSort(column);
  if ('name' in column) return sort.order === undefined && sort.nulls === undefined ? column.name : { name: column.name, ...sort };
  return { sql: column.sql, ...sort };
}
