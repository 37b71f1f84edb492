import { identifierLength, isOverIdentifierLimit, type DatabaseSnapshot, type IdentifierLimit } from '@multidb/core';

/** A name of the models longer than the database keeps (see {@link namesOverLimit}). */
export interface NameOverLimit {
  /** What it names, e.g. `table 'Order'`, `column 'Order'.'Note'`, `index 'ix_x' on 'Order'`. */
  readonly what: string;
  /** The name as the models give it. */
  readonly name: string;
  /** Its length in the limit's unit. */
  readonly length: number;
}

/**
 * The names of a models snapshot (tables, columns, indexes, constraints, enum types) longer than a
 * dialect's identifier limit (PostgreSQL 63 bytes, MySQL 64 characters), in the models' order.
 * Pure. A name the naming convention made is never over the limit (it is cut and hashed), so what
 * this finds is a name written in the models.
 *
 * @param models - the bind's models, resolved for its dialect.
 * @param limit - the dialect's {@link IdentifierLimit}.
 * @returns the names over the limit (`[]`: none).
 * @example
 * ```ts
 * namesOverLimit({ tables: [{ name: 'é'.repeat(40), columns: [], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] }], enums: [], objects: [] }, { max: 63, unit: 'bytes', longer: 'truncated' });
 * // [{ what: "table 'éééé…'", name: 'éééé…', length: 80 }]
 * ```
 */
export function namesOverLimit(models: DatabaseSnapshot, limit: IdentifierLimit): NameOverLimit[] {
  const out: NameOverLimit[] = [];
  const add = (what: string, name: string | undefined) => {
    if (name === undefined || !isOverIdentifierLimit(name, limit)) return;
    out.push({ what, name, length: identifierLength(name, limit.unit) });
  };
  for (const e of models.enums) add(`enum type '${e.name}'`, e.name);
  for (const t of models.tables) {
    add(`table '${t.name}'`, t.name);
    for (const c of t.columns) add(`column '${t.name}'.'${c.name}'`, c.name);
    add(`primary key of '${t.name}'`, t.primaryKey?.name);
    for (const k of t.uniqueConstraints) add(`unique constraint of '${t.name}'`, k.name);
    for (const k of t.foreignKeys) add(`foreign key of '${t.name}'`, k.name);
    for (const k of t.checkConstraints) add(`check constraint of '${t.name}'`, k.name);
    for (const i of t.indexes) add(`index of '${t.name}'`, i.name);
  }
  return out;
}
