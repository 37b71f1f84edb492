import { formatColumnType, indexColumnName, indexColumnSort, indexColumnSql, type ColumnType, type DefaultValue, type ForeignKeySnapshot, type IndexColumn, type IndexSnapshot } from '@multidb/core';

/** A default as lines show it: `'USD'`, `0`, `true`, `now()`, or `none`. */
export function describeDefault(value: DefaultValue | undefined): string {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'object') return value.sql;
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

/** A type as lines show it (`varchar(20)`, `enum mood`). */
export function describeType(type: ColumnType): string {
  return type.enumName !== undefined ? `enum ${type.enumName}${type.array ? '[]' : ''}` : formatColumnType(type);
}

/** `(a, b)`; an index's keys with their order: `(amount desc nulls last, lower(name))`. */
export function describeColumns(columns: readonly IndexColumn[]): string {
  const key = (c: IndexColumn) => {
    const sort = indexColumnSort(c);
    return `${indexColumnName(c) ?? indexColumnSql(c)}${sort.order === 'desc' ? ' desc' : ''}${sort.nulls ? ` nulls ${sort.nulls}` : ''}`;
  };
  return `(${columns.map(key).join(', ')})`;
}

/** An index's definition: `(email, lower(name)) unique using gin where deleted_at is null`. */
export function describeIndex(index: IndexSnapshot): string {
  return (
    describeColumns(index.columns) +
    (index.unique ? ' unique' : '') +
    (index.method ? ` using ${index.method}` : '') +
    (index.include?.length ? ` include ${describeColumns(index.include)}` : '') +
    (index.nullsNotDistinct ? ' nulls not distinct' : '') +
    (index.where !== undefined ? ` where ${index.where}` : '')
  );
}

/** A foreign key's definition: `(user_id) -> user(id) on delete cascade deferrable initially deferred`. */
export function describeForeignKey(fk: Omit<ForeignKeySnapshot, 'name'>): string {
  const target = fk.referredSchema === undefined ? fk.referredTable : `${fk.referredSchema}.${fk.referredTable}`;
  return (
    `${describeColumns(fk.columns)} -> ${target}${describeColumns(fk.referredColumns)}` +
    (fk.onDelete ? ` on delete ${fk.onDelete}` : '') +
    (fk.onUpdate ? ` on update ${fk.onUpdate}` : '') +
    (fk.deferrable ? ` deferrable${fk.initiallyDeferred ? ' initially deferred' : ''}` : '')
  );
}
