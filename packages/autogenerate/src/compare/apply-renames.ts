import { indexColumnSql, type ColumnSnapshot, type ForeignKeySnapshot, type IndexSnapshot, type TableSnapshot } from '@multidb/core';
import { objectKey } from './compare-context.js';
import { renameSqlIdentifiers } from './rename-sql-identifiers.js';

/** Accepted renames, keyed by the database's names. */
export interface AcceptedRenames {
  /** Table key (`objectKey(name, schema)`) in the database → new name. */
  readonly tables: ReadonlyMap<string, string>;
  /** Table key in the database → (old column name → new column name). */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * The database's tables as they will be once the accepted renames ran: tables and columns
 * renamed, and every place that names them too (keys, indexes, foreign keys of any table that
 * refer to them, check and index expressions, generated columns), as the database itself
 * rewrites them. Pure: returns new snapshots for the tables that change, the others as given.
 */
export function applyRenames(tables: readonly TableSnapshot[], renames: AcceptedRenames): TableSnapshot[] {
  if (!renames.tables.size && !renames.columns.size) return [...tables];
  return tables.map((table) => renameInTable(table, renames));
}

function renameInTable(table: TableSnapshot, renames: AcceptedRenames): TableSnapshot {
  const key = objectKey(table.name, table.schema);
  const own = renames.columns.get(key);
  const newName = renames.tables.get(key);
  const col = (name: string) => own?.get(name) ?? name;
  const sql = (text: string) => (own ? renameSqlIdentifiers(text, own) : text);
  const referred = (name: string, schema: string | undefined) => {
    const k = objectKey(name, schema ?? table.schema);
    return { table: renames.tables.get(k) ?? name, column: (c: string) => renames.columns.get(k)?.get(c) ?? c };
  };
  const touchesOthers =
    table.foreignKeys.some((fk) => isRenamed(renames, fk.referredTable, fk.referredSchema ?? table.schema)) ||
    table.columns.some((c) => c.references && isRenamed(renames, c.references.table, table.schema));
  if (!own && newName === undefined && !touchesOthers) return table;

  const columns = table.columns.map((c): ColumnSnapshot => {
    let out: ColumnSnapshot = c;
    if (own?.has(c.name)) out = { ...out, name: col(c.name) };
    if (c.generated && own) out = { ...out, generated: { ...c.generated, sql: sql(c.generated.sql) } };
    if (c.references) {
      const target = referred(c.references.table, undefined);
      out = { ...out, references: { ...c.references, table: target.table, column: target.column(c.references.column) } };
    }
    return out;
  });
  const foreignKeys = table.foreignKeys.map((fk): ForeignKeySnapshot => {
    const target = referred(fk.referredTable, fk.referredSchema);
    return { ...fk, columns: fk.columns.map(col), referredTable: target.table, referredColumns: fk.referredColumns.map(target.column) };
  });
  const indexes = table.indexes.map(
    (ix): IndexSnapshot => ({
      ...ix,
      columns: ix.columns.map((c) => (typeof c === 'string' ? col(c) : 'name' in c ? { ...c, name: col(c.name) } : { ...c, sql: sql(indexColumnSql(c)!) })),
      ...(ix.where === undefined ? {} : { where: sql(ix.where) }),
    }),
  );
  return {
    ...table,
    name: newName ?? table.name,
    columns,
    ...(table.primaryKey
      ? {
          primaryKey: {
            ...table.primaryKey,
            columns: table.primaryKey.columns.map(col),
            ...(table.primaryKey.descending ? { descending: table.primaryKey.descending.map(col) } : {}),
          },
        }
      : {}),
    foreignKeys,
    uniqueConstraints: table.uniqueConstraints.map((u) => ({ ...u, columns: u.columns.map(col) })),
    checkConstraints: table.checkConstraints.map((c) => ({ ...c, expression: sql(c.expression) })),
    indexes,
    ...(table.constraintNames
      ? {
          constraintNames: table.constraintNames.map((n) => ({
            ...n,
            columns: n.columns.map(col),
            ...(n.referredTable === undefined ? {} : { referredTable: referred(n.referredTable, undefined).table }),
          })),
        }
      : {}),
  };
}

function isRenamed(renames: AcceptedRenames, table: string, schema: string | undefined): boolean {
  const k = objectKey(table, schema);
  return renames.tables.has(k) || renames.columns.has(k);
}
