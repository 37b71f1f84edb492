import { identifierLength, isOverIdentifierLimit, type BatchInnerOp, type DatabaseSnapshot, type IdentifierLimit, type Op } from '@multidb/core';
import { objectKey } from './compare-context.js';
import type { RenameArgument } from './rename-argument.js';

/** A name of the models longer than the database keeps (see {@link namesOverLimit}). */
export interface NameOverLimit {
  /** What it names, e.g. `table 'Order'`, `column 'Order'.'Note'`, `index of 'Order'`, `member of enum type 'mood'`. */
  readonly what: string;
  /** The name as the models give it. */
  readonly name: string;
  /** Its length in the limit's unit. */
  readonly length: number;
}

/** What the ops of a comparison write, by kind: tables and enum types; columns and the named objects of a table; enum labels. */
interface Written {
  readonly tables: Set<string>;
  readonly enums: Set<string>;
  readonly columns: Set<string>;
  readonly objects: Set<string>;
  readonly labels: Set<string>;
}

const inTable = (table: string, schema: string | undefined, name: string) => `${objectKey(table, schema)}\u0000${name}`;

/** `table`: the table of `op` (a batch block's inner ops are of the block's table). */
function collect(op: Op | BatchInnerOp, table: string | undefined, schema: string | undefined, out: Written): void {
  const object = (name: string | undefined) => name !== undefined && table !== undefined && out.objects.add(inTable(table, schema, name));
  const column = (name: string | undefined) => name !== undefined && table !== undefined && out.columns.add(inTable(table, schema, name));
  switch (op.kind) {
    case 'CreateTable': {
      const t = op.table;
      out.tables.add(objectKey(t.name, t.schema));
      for (const c of t.columns) out.columns.add(inTable(t.name, t.schema, c.name));
      for (const name of [t.primaryKey?.name, ...t.uniqueConstraints.map((k) => k.name), ...t.foreignKeys.map((k) => k.name), ...t.checkConstraints.map((k) => k.name), ...t.indexes.map((i) => i.name)]) {
        if (name !== undefined) out.objects.add(inTable(t.name, t.schema, name));
      }
      return;
    }
    case 'RenameTable':
      out.tables.add(objectKey(op.newName, schema));
      return;
    case 'AddColumn':
      column(op.column.name);
      return;
    case 'AlterColumn':
      column(op.changes.newName);
      return;
    case 'RenameColumn':
      column(op.newName);
      return;
    case 'CreateIndex':
      object(op.index.name);
      return;
    case 'RenameIndex':
      object(op.newName);
      return;
    case 'CreateUniqueConstraint':
    case 'CreateCheckConstraint':
    case 'CreateForeignKey':
    case 'CreatePrimaryKey':
      object(op.name);
      return;
    case 'BatchAlterTable':
      for (const inner of op.ops) collect(inner, op.table, schema, out);
      return;
    case 'CreateEnum':
      out.enums.add(objectKey(op.name, op.schema));
      for (const value of op.values) out.labels.add(`${objectKey(op.name, op.schema)}\u0000${value}`);
      return;
    case 'AddEnumValue':
      out.labels.add(`${objectKey(op.name, op.schema)}\u0000${op.value}`);
      return;
    default:
      return;
  }
}

/** What a comparison's ops write (see {@link namesOverLimit}). */
function written(ops: readonly Op[]): Written {
  const out: Written = { tables: new Set(), enums: new Set(), columns: new Set(), objects: new Set(), labels: new Set() };
  for (const op of ops) collect(op, 'table' in op && typeof op.table === 'string' ? op.table : undefined, 'schema' in op ? op.schema : undefined, out);
  return out;
}

/**
 * The names of a models snapshot (tables, columns, indexes, constraints, enum types) longer than a
 * dialect's identifier limit (PostgreSQL 63 bytes, MySQL 64 characters) that the comparison's ops
 * write, in the models' order. Pure. A name the naming convention made is never over the limit (it
 * is cut and hashed), so what this finds is a name written in the models.
 *
 * Only what the ops write counts: the comparison ({@link compareSchemas}) has already left out what
 * the bind's `includeName` / `includeObject` leave out, and paired the models' objects with the
 * database's as it pairs them (by name, then by definition: an index found under another name is
 * renamed to the models' name, a unique constraint keeps the database's), so this asks no hook:
 * each object is asked about once, by the comparison, and a name is refused exactly when the
 * revision would write it (a new table's columns, keys and checks with it; an added column; a
 * created or renamed index or constraint; a renamed table or column; a created enum type).
 *
 * @param models - the bind's models, resolved for its dialect (the order and the wording).
 * @param ops - the upgrade ops the comparison returned for them (`Comparison.ops`).
 * @param limit - the dialect's {@link IdentifierLimit}.
 * @returns the names over the limit (`[]`: none).
 * @example
 * ```ts
 * const table = { name: 'é'.repeat(40), columns: [], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] };
 * const models = { tables: [table], enums: [], objects: [] };
 * namesOverLimit(models, [{ kind: 'CreateTable', table }], { max: 63, unit: 'bytes', longer: 'truncated' });
 * // [{ what: "table 'éééé…'", name: 'éééé…', length: 80 }]
 * namesOverLimit(models, [], { max: 63, unit: 'bytes', longer: 'truncated' }); // []: not written
 * ```
 */
export function namesOverLimit(models: DatabaseSnapshot, ops: readonly Op[], limit: IdentifierLimit): NameOverLimit[] {
  const w = written(ops);
  const out: NameOverLimit[] = [];
  const add = (what: string, name: string | undefined, set: ReadonlySet<string>, key: (name: string) => string) => {
    if (name === undefined || !isOverIdentifierLimit(name, limit) || !set.has(key(name))) return;
    out.push({ what, name, length: identifierLength(name, limit.unit) });
  };
  for (const e of models.enums) add(`enum type '${e.name}'`, e.name, w.enums, (n) => objectKey(n, e.schema));
  for (const t of models.tables) {
    const here = (n: string) => inTable(t.name, t.schema, n);
    add(`table '${t.name}'`, t.name, w.tables, (n) => objectKey(n, t.schema));
    for (const c of t.columns) add(`column '${t.name}'.'${c.name}'`, c.name, w.columns, here);
    add(`primary key of '${t.name}'`, t.primaryKey?.name, w.objects, here);
    for (const k of t.uniqueConstraints) add(`unique constraint of '${t.name}'`, k.name, w.objects, here);
    for (const k of t.foreignKeys) add(`foreign key of '${t.name}'`, k.name, w.objects, here);
    for (const k of t.checkConstraints) add(`check constraint of '${t.name}'`, k.name, w.objects, here);
    for (const i of t.indexes) add(`index of '${t.name}'`, i.name, w.objects, here);
  }
  return out;
}

/**
 * The new names of rename candidates (tables and columns only the models have, each paired with
 * one only the database has) longer than a dialect's identifier limit, in the models' order and
 * worded as {@link namesOverLimit} words them. Pure. Such a name is written whether the candidate
 * is accepted (a rename) or rejected (an added table or column), so it can be refused before
 * anyone is asked about the rename or told to decide it (`--rename`): on PostgreSQL a table the
 * database keeps under a name it cut to 63 bytes is a candidate for the models' longer name, and
 * asking about it would hide the real problem. The candidates come from a comparison that has
 * already asked `includeName` / `includeObject` (an object they leave out is no candidate), so this
 * asks no hook.
 *
 * @param models - the bind's models, resolved for its dialect (the order and the wording).
 * @param candidates - the rename candidates (a column's names its table as the models do).
 * @param limit - the dialect's {@link IdentifierLimit}.
 * @returns the new names over the limit (`[]`: none).
 * @example
 * ```ts
 * const long = `t_${'é'.repeat(34)}`; // 70 bytes
 * const table = { name: long, columns: [], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] };
 * const models = { tables: [table], enums: [], objects: [] };
 * renameNamesOverLimit(models, [{ kind: 'table', table: long.slice(0, 32), newName: long }], { max: 63, unit: 'bytes', longer: 'truncated' });
 * // [{ what: "table 't_éééé…'", name: 't_éééé…', length: 70 }]
 * ```
 */
export function renameNamesOverLimit(models: DatabaseSnapshot, candidates: readonly RenameArgument[], limit: IdentifierLimit): NameOverLimit[] {
  // As the ops of either decision would write them: a rename's ops name the same new name as an add's.
  const ops = candidates.map((c): Op => {
    const schema = c.schema === undefined ? {} : { schema: c.schema };
    return c.kind === 'table' ? { kind: 'RenameTable', ...schema, table: c.table, newName: c.newName } : { kind: 'RenameColumn', ...schema, table: c.table, column: c.column, newName: c.newName };
  });
  return namesOverLimit(models, ops, limit);
}

/**
 * The enum labels (members of a PostgreSQL enum type) that a comparison's ops write (a created
 * type's members, an added member) and that are longer than the dialect accepts
 * (`DialectCapabilities.enumLabelLimit`: PostgreSQL 63 bytes, refused by the server only when the
 * upgrade runs: "invalid enum label … Labels must be 63 bytes or less"), in the ops' order. Pure.
 *
 * @param ops - the upgrade ops the comparison returned (`Comparison.ops`).
 * @param limit - the dialect's limit on an enum label.
 * @returns the labels over the limit (`what`: `member of enum type 'sky'`; `[]`: none).
 * @example
 * ```ts
 * enumLabelsOverLimit([{ kind: 'AddEnumValue', name: 'sky', value: '🌧'.repeat(16) }], { max: 63, unit: 'bytes', longer: 'refused' });
 * // [{ what: "member of enum type 'sky'", name: '🌧🌧…', length: 64 }]
 * ```
 */
export function enumLabelsOverLimit(ops: readonly Op[], limit: IdentifierLimit): NameOverLimit[] {
  const out: NameOverLimit[] = [];
  const add = (type: string, value: string) => {
    if (isOverIdentifierLimit(value, limit)) out.push({ what: `member of enum type '${type}'`, name: value, length: identifierLength(value, limit.unit) });
  };
  for (const op of ops) {
    if (op.kind === 'CreateEnum') for (const value of op.values) add(op.name, value);
    else if (op.kind === 'AddEnumValue') add(op.name, op.value);
  }
  return out;
}
