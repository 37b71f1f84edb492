import { formatColumnType } from '../schema/column-type.js';
import type { DefaultValue } from '../schema/table-snapshot.js';
import type { SchemaComparator } from './dialect.js';

/**
 * The comparison rules of a dialect that adds none of its own: types compare by their canonical
 * string (`formatColumnType`), defaults by value (`NULL` is no default; a SQL expression by its
 * text, trimmed).
 *
 * @example
 * ```ts
 * import { DEFAULT_COMPARATOR, parseColumnType } from '@multidb/core';
 * DEFAULT_COMPARATOR.canonicalType(parseColumnType('VARCHAR(3)')); // 'varchar(3)'
 * ```
 */
export const DEFAULT_COMPARATOR: SchemaComparator = Object.freeze({
  canonicalType: formatColumnType,
  canonicalDefault: (value: DefaultValue | undefined) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object') return value.sql.trim();
    return JSON.stringify(value);
  },
});
