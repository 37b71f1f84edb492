import type { DatabaseSnapshot, TableSnapshot } from '@multidb/core';
import { objectKey } from './compare-context.js';
import { normalizeTable } from './normalized-table.js';
import { NoReferencedColumnError, NoReferencedTableError, type ForeignKeyReference } from './no-referenced-table-error.js';

/**
 * Refuses a foreign key of the compared model tables that points nowhere: to a table neither the
 * models nor the database have ({@link NoReferencedTableError}), or to a column that table has on
 * neither side ({@link NoReferencedColumnError}). Both sides are taken whole, before the include
 * filters, so a reference to a table the filters leave out stays valid. A reference into a schema
 * that neither side has a table or enum of is not checked (the comparison did not read it: the
 * database is introspected in the bind's schema and in each schema the models name), nor is one
 * the database table already has (SQLite keeps a foreign key to a missing table). Names match
 * exactly, else case-insensitively (MySQL on some systems).
 *
 * @param models - the models, whole.
 * @param database - the database, whole.
 * @param compared - the model tables the comparison manages (after the include filters).
 * @param bind - the bind, for the message.
 * @throws {@link NoReferencedTableError} or {@link NoReferencedColumnError}, for the first such
 *   reference (tables in the order given, foreign keys in declaration order).
 */
export function checkReferences(models: DatabaseSnapshot, database: DatabaseSnapshot, compared: Iterable<TableSnapshot>, bind?: string): void {
  const sides = [models.tables, database.tables];
  const byKey = new Map<string, TableSnapshot[]>();
  const byFoldedKey = new Map<string, TableSnapshot[]>();
  const schemas = new Set<string | undefined>([undefined]);
  const add = (map: Map<string, TableSnapshot[]>, key: string, t: TableSnapshot) => {
    const list = map.get(key);
    if (list) list.push(t);
    else map.set(key, [t]);
  };
  for (const tables of sides) {
    for (const t of tables) {
      add(byKey, objectKey(t.name, t.schema), t);
      add(byFoldedKey, objectKey(t.name.toLowerCase(), t.schema?.toLowerCase()), t);
      schemas.add(t.schema);
    }
  }
  for (const e of [...models.enums, ...database.enums]) schemas.add(e.schema);
  const foldedSchemas = new Set([...schemas].map((s) => s?.toLowerCase()));
  const lookup = (name: string, schema: string | undefined): readonly TableSnapshot[] | undefined =>
    byKey.get(objectKey(name, schema)) ?? byFoldedKey.get(objectKey(name.toLowerCase(), schema?.toLowerCase()));

  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const table of compared) {
    // The database's own foreign keys of this table (SQLite keeps one to a missing table): not new, not refused.
    const there = database.tables.find((t) => t.name === table.name && t.schema === table.schema);
    const existing = there ? normalizeTable(there).foreignKeys : [];
    for (const fk of normalizeTable(table).foreignKeys) {
      if (existing.some((e) => e.referredTable === fk.referredTable && e.referredSchema === fk.referredSchema && same(e.columns, fk.columns) && same(e.referredColumns, fk.referredColumns))) continue;
      const schema = fk.referredSchema ?? table.schema;
      // `references: 'sales.customer.id'` names table 'sales.customer': perhaps schema 'sales'.
      const dot = fk.referredSchema === undefined ? fk.referredTable.lastIndexOf('.') : -1;
      const split = dot > 0 ? { schema: fk.referredTable.slice(0, dot), name: fk.referredTable.slice(dot + 1) } : undefined;
      const found = lookup(fk.referredTable, schema) ?? (split ? lookup(split.name, split.schema) : undefined);
      const reference: ForeignKeyReference = {
        ...(bind === undefined ? {} : { bind }),
        table: table.name,
        ...(table.schema === undefined ? {} : { schema: table.schema }),
        columns: fk.columns,
        referredTable: fk.referredTable,
        ...(fk.referredSchema === undefined ? {} : { referredSchema: fk.referredSchema }),
        referredColumns: fk.referredColumns,
      };
      if (!found) {
        // Another schema, not read: nothing to say.
        if (!foldedSchemas.has((split ? split.schema : schema)?.toLowerCase())) continue;
        throw new NoReferencedTableError(reference);
      }
      const columns = new Set(found.flatMap((t) => t.columns.map((c) => c.name)));
      const folded = new Set([...columns].map((c) => c.toLowerCase()));
      const missing = fk.referredColumns.find((c) => !columns.has(c) && !folded.has(c.toLowerCase()));
      if (missing !== undefined) throw new NoReferencedColumnError(reference, missing, [...columns]);
    }
  }
}
