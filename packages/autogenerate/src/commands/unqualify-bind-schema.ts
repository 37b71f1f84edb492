import type { ColumnSnapshot, DatabaseSnapshot, EnumSnapshot, ForeignKeySnapshot, TableSnapshot } from '@multidb/core';

/**
 * The models' snapshot with the bind's own PostgreSQL schema left unnamed, as an op without
 * `schema` and the introspection of the bind's schema leave it: a table or enum declared in
 * `schema` loses it, a column's enum type loses an `enumSchema` that names it (the database reports
 * an enum of the current schema, the bind's, unqualified), and a foreign key of a table in the
 * bind's schema loses a `referredSchema` that names it (it is relative to its table's). Other
 * schemas are kept. Pure: returns `snapshot` itself when nothing names the schema.
 *
 * @param snapshot - the resolved models.
 * @param schema - the bind's `schema` (`undefined`: nothing to do).
 * @returns the snapshot, the bind's schema unnamed.
 * @example
 * ```ts
 * const snapshot = unqualifyBindSchema(resolveModels(models, { dialect: 'postgres', namingConvention: env.namingConvention }), env.bind('sales').config.schema);
 * // { name: 'customer', schema: 'sales', … } is now { name: 'customer', … }
 * ```
 */
export function unqualifyBindSchema(snapshot: DatabaseSnapshot, schema: string | undefined): DatabaseSnapshot {
  if (schema === undefined) return snapshot;
  const names = (s: string | undefined) => s === schema;
  const inBindSchema = (t: TableSnapshot) => t.schema === undefined || names(t.schema);
  const namesIt =
    snapshot.enums.some((e) => names(e.schema)) ||
    snapshot.tables.some((t) => names(t.schema) || t.columns.some((c) => names(c.type.enumSchema)) || (inBindSchema(t) && t.foreignKeys.some((f) => names(f.referredSchema))));
  if (!namesIt) return snapshot;
  const enums = snapshot.enums.map((e): EnumSnapshot => (names(e.schema) ? without(e, 'schema') : e));
  const tables = snapshot.tables.map((t): TableSnapshot => {
    const columns = t.columns.map((c): ColumnSnapshot => (names(c.type.enumSchema) ? { ...c, type: without(c.type, 'enumSchema') } : c));
    const foreignKeys = inBindSchema(t) ? t.foreignKeys.map((f): ForeignKeySnapshot => (names(f.referredSchema) ? without(f, 'referredSchema') : f)) : t.foreignKeys;
    return { ...(names(t.schema) ? without(t, 'schema') : t), columns, foreignKeys };
  });
  return { ...snapshot, tables, enums };
}

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
