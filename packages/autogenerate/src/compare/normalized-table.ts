import type {
  CheckConstraintSnapshot,
  ColumnSnapshot,
  ForeignKeySnapshot,
  IndexSnapshot,
  TableSnapshot,
} from '@multidb/core';

/** A primary key, however it was declared (column-level `primaryKey` or table-level). */
export interface KeyDefinition {
  readonly name?: string;
  readonly columns: readonly string[];
  /** Declared on the column (`primaryKey: true`). */
  readonly inline: boolean;
}

/** A unique key: a unique constraint (table- or column-level) or a plain unique index. */
export interface UniqueDefinition {
  readonly name?: string;
  readonly columns: readonly string[];
  /** Declared on the column (`unique: true`). */
  readonly inline: boolean;
  /** Set when the key is a unique index (`CREATE UNIQUE INDEX`), not a constraint. */
  readonly index?: IndexSnapshot;
}

/** A foreign key, however it was declared (column-level `references` or table-level). */
export interface ForeignKeyDefinition extends ForeignKeySnapshot {
  /** Declared on the column (`references`). */
  readonly inline: boolean;
}

/**
 * One table with every constraint in one place, so the two sides compare alike whatever the
 * declaration style: a column-level `primaryKey`/`unique`/`references` becomes the table-level
 * key it means; a unique index over plain columns joins the unique constraints (MySQL and
 * SQLite report some of each as the other); primary-key columns are NOT NULL.
 */
export interface NormalizedTable {
  /** The table as given. */
  readonly table: TableSnapshot;
  readonly name: string;
  readonly schema?: string;
  /** Columns in the table's order, primary-key columns NOT NULL. */
  readonly columns: readonly ColumnSnapshot[];
  readonly columnsByName: ReadonlyMap<string, ColumnSnapshot>;
  readonly primaryKey?: KeyDefinition;
  readonly uniques: readonly UniqueDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  readonly checks: readonly CheckConstraintSnapshot[];
  /** Indexes other than the unique ones in {@link uniques}. */
  readonly indexes: readonly IndexSnapshot[];
}

/** Whether an index is a plain unique key: unique, plain columns, no predicate, default method. */
export function isUniqueKeyIndex(index: IndexSnapshot): boolean {
  return (
    index.unique &&
    index.where === undefined &&
    (index.method === undefined || index.method.toLowerCase() === 'btree') &&
    index.columns.every((c) => typeof c === 'string')
  );
}

/**
 * Normalizes one table (see {@link NormalizedTable}). Pure: the input is not changed.
 */
export function normalizeTable(table: TableSnapshot): NormalizedTable {
  const flagged = table.columns.filter((c) => c.primaryKey);
  const primaryKey: KeyDefinition | undefined = table.primaryKey
    ? { ...(table.primaryKey.name === undefined ? {} : { name: table.primaryKey.name }), columns: table.primaryKey.columns, inline: false }
    : flagged.length
      ? { columns: flagged.map((c) => c.name), inline: true }
      : undefined;
  const keyColumns = new Set(primaryKey?.columns ?? []);
  const columns = table.columns.map((c) => (keyColumns.has(c.name) && c.nullable ? { ...c, nullable: false } : c));
  const uniques: UniqueDefinition[] = [
    ...table.uniqueConstraints.map((u) => ({ ...(u.name === undefined ? {} : { name: u.name }), columns: u.columns, inline: false })),
    ...table.columns.filter((c) => c.unique).map((c) => ({ columns: [c.name], inline: true })),
    ...table.indexes.filter(isUniqueKeyIndex).map((ix) => ({ name: ix.name, columns: ix.columns as readonly string[], inline: false, index: ix })),
  ];
  const foreignKeys: ForeignKeyDefinition[] = [
    ...table.foreignKeys.map((fk) => ({ ...fk, inline: false })),
    ...table.columns
      .filter((c) => c.references)
      .map((c) => {
        const r = c.references!;
        return {
          columns: [c.name],
          referredTable: r.table,
          referredColumns: [r.column],
          ...(r.onDelete === undefined ? {} : { onDelete: r.onDelete }),
          ...(r.onUpdate === undefined ? {} : { onUpdate: r.onUpdate }),
          inline: true,
        };
      }),
  ];
  return {
    table,
    name: table.name,
    ...(table.schema === undefined ? {} : { schema: table.schema }),
    columns,
    columnsByName: new Map(columns.map((c) => [c.name, c])),
    ...(primaryKey ? { primaryKey } : {}),
    uniques,
    foreignKeys,
    checks: table.checkConstraints,
    indexes: table.indexes.filter((ix) => !isUniqueKeyIndex(ix)),
  };
}
