import {
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  type ColumnSnapshot,
  type NamingConvention,
  type SchemaComparator,
  type TableSnapshot,
} from '@multidb/core';

/** Options of {@link tableShape}. */
export interface ShapeOptions {
  /** Names unnamed keys (the naming rule: a column-level key takes the convention's name). */
  readonly convention?: NamingConvention;
  /** Compare comments (SQLite keeps none). Default true. */
  readonly comments?: boolean;
  /** Compare primary key names (MySQL names every primary key PRIMARY). Default true. */
  readonly primaryKeyNames?: boolean;
  /**
   * A unique index over plain columns is a unique constraint (MySQL cannot tell them apart, and
   * introspection reports such an index as a unique constraint). Default false.
   */
  readonly uniqueIndexesAreConstraints?: boolean;
}

/**
 * A table reduced to what autogenerate compares, through a dialect's comparator, so a declared
 * table (what `op.createTable` built) and an introspected one can be compared with `toEqual`:
 * column-level primary keys, uniques and references folded into the table's constraints (an
 * unnamed one named by the convention, as the naming rule names it), types, defaults and
 * expressions in the comparator's canonical text, constraints and indexes sorted by name.
 */
export function tableShape(table: TableSnapshot, comparator: SchemaComparator, options: ShapeOptions = {}): unknown {
  const convention = options.convention ?? DEFAULT_NAMING_CONVENTION;
  const comments = options.comments ?? true;
  const t = table.name;
  const flagged = table.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const pkColumns = table.primaryKey?.columns ?? flagged;
  const pk = pkColumns.length
    ? {
        columns: [...pkColumns],
        ...(options.primaryKeyNames === false ? {} : { name: table.primaryKey?.name ?? conventionalName(convention, 'pk', { table: t, columns: pkColumns }) }),
      }
    : undefined;
  const asConstraint = (ix: TableSnapshot['indexes'][number]) =>
    options.uniqueIndexesAreConstraints === true && ix.unique && ix.method === undefined && ix.where === undefined && ix.columns.every((c) => typeof c === 'string');
  const uniques = [
    ...table.indexes.filter(asConstraint).map((ix) => ({ name: ix.name, columns: ix.columns as string[] })),
    ...table.uniqueConstraints.map((u) => ({ name: u.name ?? conventionalName(convention, 'uq', { table: t, columns: u.columns }), columns: [...u.columns] })),
    ...table.columns.filter((c) => c.unique).map((c) => ({ name: conventionalName(convention, 'uq', { table: t, columns: [c.name] }), columns: [c.name] })),
  ];
  const foreignKeys = [
    ...table.foreignKeys.map((f) => ({
      name: f.name ?? conventionalName(convention, 'fk', { table: t, columns: f.columns, referredTable: f.referredTable }),
      columns: [...f.columns],
      referredTable: f.referredTable,
      referredColumns: [...f.referredColumns],
      onDelete: action(f.onDelete),
      onUpdate: action(f.onUpdate),
    })),
    ...table.columns
      .filter((c) => c.references)
      .map((c) => ({
        name: conventionalName(convention, 'fk', { table: t, columns: [c.name], referredTable: c.references!.table }),
        columns: [c.name],
        referredTable: c.references!.table,
        referredColumns: [c.references!.column],
        onDelete: action(c.references!.onDelete),
        onUpdate: action(c.references!.onUpdate),
      })),
  ];
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    name: t,
    columns: table.columns.map((c) => columnShape(c, pkColumns.includes(c.name), comparator, comments)),
    primaryKey: pk,
    uniqueConstraints: uniques.sort(byName),
    foreignKeys: foreignKeys.sort(byName),
    checkConstraints: table.checkConstraints
      .map((c) => ({ name: c.name ?? '', expression: comparator.canonicalExpression(c.expression) }))
      .sort(byName),
    indexes: table.indexes
      .filter((ix) => !asConstraint(ix))
      .map((ix) => ({
        name: ix.name,
        columns: ix.columns.map((c) => (typeof c === 'string' ? c : 'sql' in c ? { ...c, sql: comparator.canonicalExpression(c.sql) } : c)),
        unique: ix.unique,
        where: ix.where === undefined ? undefined : comparator.canonicalExpression(ix.where),
        method: ix.method,
      }))
      .sort(byName),
    comment: comments ? table.comment : undefined,
  };
}

function columnShape(c: ColumnSnapshot, inPrimaryKey: boolean, comparator: SchemaComparator, comments: boolean): unknown {
  return {
    name: c.name,
    type: comparator.canonicalType(c.type),
    // Key columns are NOT NULL whatever was declared.
    nullable: c.nullable && !inPrimaryKey,
    default: c.generated ? undefined : comparator.canonicalDefault(c.default, c),
    autoincrement: c.autoincrement === true,
    comment: comments ? c.comment : undefined,
    collation: c.collation,
    generated: c.generated ? { sql: comparator.canonicalExpression(c.generated.sql), stored: c.generated.stored } : undefined,
    onUpdate: c.onUpdate === undefined ? undefined : comparator.canonicalDefault({ sql: c.onUpdate }, c),
  };
}

/** `no action` is the default: reported by no database. */
function action(a: string | undefined): string | undefined {
  return a === 'no action' ? undefined : a;
}
