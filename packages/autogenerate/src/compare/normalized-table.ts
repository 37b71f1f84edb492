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
  /** The columns sorted `DESC` (table-level keys only). Omitted: none. */
  readonly descending?: readonly string[];
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
  /** PostgreSQL 15+: a unique constraint declared `NULLS NOT DISTINCT`. */
  readonly nullsNotDistinct?: boolean;
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

/** Whether an index is a plain unique key: unique, plain columns, no predicate, default method, no INCLUDE, NULLs distinct. */
export function isUniqueKeyIndex(index: IndexSnapshot): boolean {
  return (
    index.unique &&
    index.where === undefined &&
    (index.method === undefined || index.method.toLowerCase() === 'btree') &&
    !index.include?.length &&
    !index.nullsNotDistinct &&
    index.columns.every((c) => typeof c === 'string')
  );
}

/**
 * `{ name }` of a key the snapshot reports without a name: the database's name for it from the
 * table's `constraintNames` (introspection), else `{}`.
 * @param table - the table, as introspected.
 * @param type - the key's kind.
 * @param columns - its columns, in order.
 * @param referredTable - a foreign key's referred table.
 * @returns `{ name }`, or `{}` when the snapshot does not know one.
 */
export function knownName(table: TableSnapshot, type: 'primary' | 'unique' | 'foreignkey', columns: readonly string[], referredTable?: string): { name?: string } {
  const found = table.constraintNames?.find(
    (n) =>
      n.type === type &&
      n.columns.length === columns.length &&
      n.columns.every((c, i) => c === columns[i]) &&
      (n.referredTable === undefined || referredTable === undefined || n.referredTable === referredTable),
  );
  return found ? { name: found.name } : {};
}

/**
 * Normalizes one table (see {@link NormalizedTable}). Pure: the input is not changed. A key
 * without a name takes the one the database has for it, when the snapshot's `constraintNames`
 * (introspection) know it: drops and changes then name what the database has.
 */
export function normalizeTable(table: TableSnapshot): NormalizedTable {
  let primaryKey: KeyDefinition | undefined;
  if (table.primaryKey) {
    const name = table.primaryKey.name === undefined ? knownName(table, 'primary', table.primaryKey.columns) : { name: table.primaryKey.name };
    const descending = table.primaryKey.descending?.length ? { descending: table.primaryKey.descending } : {};
    primaryKey = { ...name, columns: table.primaryKey.columns, ...descending, inline: false };
  } else {
    const flagged: string[] = [];
    for (const c of table.columns) if (c.primaryKey) flagged.push(c.name);
    if (flagged.length) primaryKey = { ...knownName(table, 'primary', flagged), columns: flagged, inline: true };
  }
  const keyColumns = primaryKey?.columns;
  const columns: ColumnSnapshot[] = [];
  const columnsByName = new Map<string, ColumnSnapshot>();
  const uniques: UniqueDefinition[] = [];
  const foreignKeys: ForeignKeyDefinition[] = [];
  for (const u of table.uniqueConstraints) {
    uniques.push({
      ...(u.name === undefined ? knownName(table, 'unique', u.columns) : { name: u.name }),
      columns: u.columns,
      inline: false,
      ...(u.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    });
  }
  for (const fk of table.foreignKeys) foreignKeys.push({ ...fk, ...(fk.name === undefined ? knownName(table, 'foreignkey', fk.columns, fk.referredTable) : {}), inline: false });
  for (const given of table.columns) {
    const c = given.nullable && keyColumns?.includes(given.name) ? { ...given, nullable: false } : given;
    columns.push(c);
    columnsByName.set(c.name, c);
    if (c.unique) uniques.push({ ...knownName(table, 'unique', [c.name]), columns: [c.name], inline: true });
    const r = c.references;
    if (r) {
      foreignKeys.push({
        ...knownName(table, 'foreignkey', [c.name], r.table),
        columns: [c.name],
        referredTable: r.table,
        referredColumns: [r.column],
        ...(r.onDelete === undefined ? {} : { onDelete: r.onDelete }),
        ...(r.onUpdate === undefined ? {} : { onUpdate: r.onUpdate }),
        inline: true,
      });
    }
  }
  const indexes: IndexSnapshot[] = [];
  for (const ix of table.indexes) {
    if (isUniqueKeyIndex(ix)) uniques.push({ name: ix.name, columns: ix.columns as readonly string[], inline: false, index: ix });
    else indexes.push(ix);
  }
  return {
    table,
    name: table.name,
    ...(table.schema === undefined ? {} : { schema: table.schema }),
    columns,
    columnsByName,
    ...(primaryKey ? { primaryKey } : {}),
    uniques,
    foreignKeys,
    checks: table.checkConstraints,
    indexes,
  };
}
