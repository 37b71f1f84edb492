import { identifierLength, isOverIdentifierLimit, type AutogenerateObjectType, type AutogenerateOptions, type DatabaseSnapshot, type IdentifierLimit, type TableSnapshot } from '@multidb/core';
import { objectKey } from './compare-context.js';
import { IncludeFilter } from './include-filter.js';

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
 * What {@link namesOverLimit} needs to leave out the objects the bind's autogenerate hooks leave
 * out of the comparison: the hooks, and the database (whether a table is new, and whether an
 * object has a counterpart of its name).
 */
export interface NamesOverLimitOptions extends Pick<AutogenerateOptions, 'includeName' | 'includeObject'> {
  /** The bind's database as introspected (default: empty, every table new). */
  readonly database?: DatabaseSnapshot;
}

/**
 * The names of a models snapshot (tables, columns, indexes, constraints, enum types) longer than a
 * dialect's identifier limit (PostgreSQL 63 bytes, MySQL 64 characters), in the models' order.
 * Pure. A name the naming convention made is never over the limit (it is cut and hashed), so what
 * this finds is a name written in the models.
 *
 * Only the objects the comparison keeps count: with `options.includeName` / `includeObject`, a
 * name over the limit is reported only when the hooks keep it, asked as `compareSchemas` asks
 * them (the models' object, `reflected: false`, and its counterpart of the same name in the
 * database, if any: a pair is compared only when both are kept). A table is kept when `includeName` and
 * `includeObject` keep it, and everything in it only then. In a new table (none of its schema
 * and name in `options.database`) only the indexes are asked about (as Alembic does); its columns,
 * keys, foreign keys and checks are created with it. In a table the database has, its columns,
 * unique constraints, foreign keys, checks and indexes are asked about (`hasCounterpart`: the
 * database table has one of that name); its primary key goes with the table. An enum type is
 * asked about with `includeName` and `includeObject`. The hooks are called only for names over
 * the limit (and for their tables).
 *
 * @param models - the bind's models, resolved for its dialect.
 * @param limit - the dialect's {@link IdentifierLimit}.
 * @param options - the bind's hooks and database (default: none, every name counts).
 * @returns the names over the limit (`[]`: none).
 * @example
 * ```ts
 * const table = { name: 'é'.repeat(40), columns: [], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] };
 * namesOverLimit({ tables: [table], enums: [], objects: [] }, { max: 63, unit: 'bytes', longer: 'truncated' });
 * // [{ what: "table 'éééé…'", name: 'éééé…', length: 80 }]
 * namesOverLimit({ tables: [table], enums: [], objects: [] }, { max: 63, unit: 'bytes', longer: 'truncated' }, { includeName: (name) => !name.startsWith('é') });
 * // []
 * ```
 */
export function namesOverLimit(models: DatabaseSnapshot, limit: IdentifierLimit, options: NamesOverLimitOptions = {}): NameOverLimit[] {
  const include = new IncludeFilter(options);
  const database = options.database ?? { tables: [], enums: [], objects: [] };
  const databaseTables = new Map(database.tables.map((t) => [objectKey(t.name, t.schema), t] as const));
  const databaseEnums = new Set(database.enums.map((e) => objectKey(e.name, e.schema)));
  const out: NameOverLimit[] = [];
  const add = (what: string, name: string | undefined, kept: () => boolean) => {
    if (name === undefined || !isOverIdentifierLimit(name, limit) || !kept()) return;
    out.push({ what, name, length: identifierLength(name, limit.unit) });
  };
  for (const e of models.enums) {
    const schema = e.schema === undefined ? {} : { schema: e.schema };
    add(`enum type '${e.name}'`, e.name, () => include.name(e.name, 'enum', e.schema) && include.object({ type: 'enum', name: e.name, ...schema, reflected: false, hasCounterpart: databaseEnums.has(objectKey(e.name, e.schema)) }));
  }
  for (const t of models.tables) {
    const other = databaseTables.get(objectKey(t.name, t.schema));
    const where = { table: t.name, ...(t.schema === undefined ? {} : { schema: t.schema }) };
    const tableKept = () => include.name(t.name, 'table', t.schema) && include.objects('table', t.schema === undefined ? {} : { schema: t.schema }, t.name, other?.name);
    // An object of the table: asked about (a table the database has; a new table's indexes), or created with its table.
    const kept = (type: AutogenerateObjectType, name: string, names: (table: TableSnapshot) => readonly (string | undefined)[]) => () => {
      if (!tableKept()) return false;
      if (!other) return type === 'index' ? include.objects(type, where, name, undefined) : true;
      return include.objects(type, where, name, names(other).includes(name) ? name : undefined);
    };
    add(`table '${t.name}'`, t.name, tableKept);
    for (const c of t.columns) add(`column '${t.name}'.'${c.name}'`, c.name, kept('column', c.name, (d) => d.columns.map((x) => x.name)));
    add(`primary key of '${t.name}'`, t.primaryKey?.name, tableKept);
    for (const k of t.uniqueConstraints) if (k.name !== undefined) add(`unique constraint of '${t.name}'`, k.name, kept('unique_constraint', k.name, (d) => d.uniqueConstraints.map((x) => x.name)));
    for (const k of t.foreignKeys) if (k.name !== undefined) add(`foreign key of '${t.name}'`, k.name, kept('foreign_key_constraint', k.name, (d) => d.foreignKeys.map((x) => x.name)));
    for (const k of t.checkConstraints) if (k.name !== undefined) add(`check constraint of '${t.name}'`, k.name, kept('check_constraint', k.name, (d) => d.checkConstraints.map((x) => x.name)));
    for (const i of t.indexes) add(`index of '${t.name}'`, i.name, kept('index', i.name, (d) => d.indexes.map((x) => x.name)));
  }
  return out;
}
