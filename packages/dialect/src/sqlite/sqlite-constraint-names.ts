import { checkConstraintName, conventionalName, type NamingConvention, type TableSnapshot } from '@multidb/core';

/**
 * Names the unnamed table-level constraints of a reflected table from the naming convention, so a
 * batch can drop them by name and the rebuilt table declares them with `CONSTRAINT "name"`:
 * the primary key (`pk`), foreign keys (`fk`), unique constraints (`uq`) and checks (`ck`, with
 * a hash of the expression as `%(name)s`, see `checkConstraintName`). Named constraints keep
 * their names. Column-level `PRIMARY KEY`, `UNIQUE` and `REFERENCES` stay on their columns;
 * {@link inlineConstraintName} gives their names.
 *
 * @param table - the reflected table (not modified).
 * @param convention - the project's naming convention.
 * @returns a new snapshot; the input when nothing needed a name.
 * @example
 * ```ts
 * nameReflectedConstraints({ ...table, uniqueConstraints: [{ columns: ['Code'] }] }, DEFAULT_NAMING_CONVENTION);
 * // uniqueConstraints: [{ name: 'uq_Invoice_Code', columns: ['Code'] }]
 * ```
 */
export function nameReflectedConstraints(table: TableSnapshot, convention: NamingConvention): TableSnapshot {
  const t = table.name;
  const unnamed =
    (table.primaryKey && !table.primaryKey.name) ||
    table.foreignKeys.some((f) => !f.name) ||
    table.uniqueConstraints.some((u) => !u.name) ||
    table.checkConstraints.some((c) => !c.name);
  if (!unnamed) return table;
  return {
    ...table,
    ...(table.primaryKey
      ? { primaryKey: { ...table.primaryKey, name: table.primaryKey.name ?? conventionalName(convention, 'pk', { table: t, columns: table.primaryKey.columns }) } }
      : {}),
    foreignKeys: table.foreignKeys.map((f) =>
      f.name ? f : { ...f, name: conventionalName(convention, 'fk', { table: t, columns: f.columns, referredTable: f.referredTable }) },
    ),
    uniqueConstraints: table.uniqueConstraints.map((u) => (u.name ? u : { ...u, name: conventionalName(convention, 'uq', { table: t, columns: u.columns }) })),
    checkConstraints: table.checkConstraints.map((c) => (c.name ? c : { ...c, name: checkConstraintName(convention, t, null, c.expression) })),
  };
}

/**
 * The convention's name of a constraint declared on a column (`PRIMARY KEY`, `UNIQUE`,
 * `REFERENCES`), which SQLite keeps unnamed: what `dropConstraint` matches it by.
 *
 * @param kind - `'pk' | 'uq' | 'fk'`.
 * @example
 * ```ts
 * inlineConstraintName(DEFAULT_NAMING_CONVENTION, 'fk', 'Album', 'ArtistId', 'Artist'); // 'fk_Album_ArtistId_Artist'
 * ```
 */
export function inlineConstraintName(convention: NamingConvention, kind: 'pk' | 'uq' | 'fk', table: string, column: string, referredTable?: string): string {
  return conventionalName(convention, kind, { table, columns: [column], ...(referredTable !== undefined ? { referredTable } : {}) });
}
