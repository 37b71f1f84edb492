import { closestKey } from '../edit-distance.js';
import { EnumConflictError, OperationError, type EnumDeclaration } from '../errors.js';
import { enumType, parseColumnType, type ColumnTypeInput } from './column-type.js';
import type { DatabaseSnapshot, EnumSnapshot } from './database-snapshot.js';
import { freezeDeep } from './freeze-deep.js';
import { checkColumnReferences, checkIdentifier, checkTableOptionArrays, tableColumns, tableFromInput, type ColumnInput, type TableOptions } from './model-input.js';
import type { NamingConvention } from './naming-convention.js';
import type { TableSnapshot } from './table-snapshot.js';

/**
 * A column of a models module: the same fields as a column of `op.createTable`, plus per-dialect
 * type variants (SQLAlchemy's `with_variant`).
 */
export interface ColumnModel extends ColumnInput {
  /**
   * The type to use on a given dialect instead of `type`, keyed by dialect name (`'sqlite'`,
   * `'postgres'`, `'mysql'`), e.g. `{ postgres: 'jsonb', mysql: 'json' }` with `type: 'text'`.
   */
  readonly variants?: Readonly<Partial<Record<string, ColumnTypeInput>>>;
}

/** A table of a models module: its name, columns and the table-level parts of `op.createTable`. */
export interface TableModel extends TableOptions {
  /** The table's name. */
  readonly name: string;
  /** The columns, in table order (at least one). */
  readonly columns: readonly ColumnModel[];
}

/**
 * An enum declared once in a models module. A column uses it by naming it as its type
 * (`type: 'mood'`): PostgreSQL gets the named enum type, MySQL/MariaDB an inline `ENUM(…)`, SQLite
 * text. A column may instead declare its enum inline with `type: enumType('mood', [...])`; on
 * PostgreSQL that enum is resolved as if listed here (see {@link resolveModels}).
 */
export interface EnumModel {
  /** The enum's name: PostgreSQL's type name, and what a column names as its `type`. */
  readonly name: string;
  /** Members, in order (case-sensitive). */
  readonly values: readonly string[];
  /** PostgreSQL schema; omitted: the bind's default. */
  readonly schema?: string;
}

/** What a models module declares (the argument of {@link defineModels}). */
export interface ModelsDefinition {
  /** The bind's tables. */
  readonly tables: readonly TableModel[];
  /** Enums the tables' columns use by name. Default none. */
  readonly enums?: readonly EnumModel[];
}

/**
 * A bind's declared models, validated and frozen: the default export of a models module, made by
 * {@link defineModels}. Resolve it for one dialect with {@link resolveModels}.
 */
export interface Models {
  /** Marks the object as made by {@link defineModels} (a models module must export one). */
  readonly kind: 'Models';
  /** The bind's tables, as declared. */
  readonly tables: readonly TableModel[];
  /** The declared enums (`[]`: none). */
  readonly enums: readonly EnumModel[];
}

/** Options of {@link resolveModels}. */
export interface ResolveModelsOptions {
  /** The bind's dialect name (`'sqlite' | 'postgres' | 'mysql'`): picks column type variants. */
  readonly dialect: string;
  /** Names unnamed constraints and indexes, as `op.createTable` does. */
  readonly namingConvention: NamingConvention;
  /**
   * The dialect's enum types are named schema objects (its `capabilities.namedEnums`: PostgreSQL).
   * Then an enum a column declares with `enumType(name, values)` is one of the snapshot's enums,
   * as if the models' `enums` listed it, so autogenerate creates it before its column. Default
   * false: a column's enum is its type alone (MySQL's inline `ENUM`, SQLite's text).
   */
  readonly namedEnums?: boolean;
}

/** The keys a model column may have: {@link ColumnModel}'s (a key outside them, a typo, would be ignored silently). */
const COLUMN_KEYS: ReadonlySet<string> = new Set(['name', 'type', 'variants', 'nullable', 'primaryKey', 'autoincrement', 'unique', 'default', 'comment', 'collation', 'onUpdate', 'generated', 'references']);

/** The keys of {@link ModelsDefinition}, {@link TableModel}, {@link EnumModel} and a table's index (a key outside them would be ignored silently). */
const DEFINITION_KEYS: readonly string[] = ['tables', 'enums'];
const TABLE_KEYS: readonly string[] = ['name', 'columns', 'schema', 'primaryKey', 'foreignKeys', 'uniqueConstraints', 'checkConstraints', 'indexes', 'comment', 'strict', 'withoutRowid'];
const ENUM_KEYS: readonly string[] = ['name', 'values', 'schema'];
const INDEX_KEYS: readonly string[] = ['name', 'columns', 'unique', 'where', 'method', 'include', 'nullsNotDistinct', 'tableConstraint'];

/** Names other tools give a table's parts (SQLAlchemy's `CheckConstraint`, Drizzle's `checks`…), with the key that holds them here. */
const TABLE_KEY_ALIASES: Readonly<Record<string, string>> = {
  checks: 'checkConstraints',
  check: 'checkConstraints',
  uniques: 'uniqueConstraints',
  unique: 'uniqueConstraints',
  foreignKey: 'foreignKeys',
  fks: 'foreignKeys',
  pk: 'primaryKey',
};

/**
 * Refuses the keys of `value` outside `known`: `what` (`Model table 'user'`) names where, each
 * unknown key gets the known one it likely meant, and the message lists what `what` takes.
 */
function refuseUnknownKeys(what: string, value: unknown, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (!unknown.length) return;
  const described = unknown.map((k) => {
    const meant = aliases[k] ?? closestKey(k, known);
    return meant ? `'${k}' (did you mean ${meant}?)` : `'${k}'`;
  });
  throw new OperationError(`${what}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${described.join(', ')}; it takes ${known.join(', ')}.`);
}

/**
 * Declares a bind's models (DESIGN §3): the tables autogenerate compares with the bind's live
 * database, written with the vocabulary of `op.createTable`. The default export of the module a
 * bind's `models` setting names.
 *
 * @param definition - `{ tables, enums? }`; each table `{ name, columns, ...TableOptions }`.
 * @returns the same declarations, validated and frozen, as a {@link Models}.
 * @throws {@link OperationError} naming the table, column or enum: a name declared twice, a type
 *   that does not parse, a table without columns, an enum without members, a key, constraint or
 *   index naming a column the table does not have, a key of the models, a table, a column, an
 *   enum or an index that it does not know (`serverDefault`, `checks`).
 * @example
 * ```ts
 * import { defineModels } from '@multidb/core';
 * export default defineModels({
 *   enums: [{ name: 'mood', values: ['sad', 'ok', 'happy'] }],
 *   tables: [
 *     {
 *       name: 'user',
 *       columns: [
 *         { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
 *         { name: 'username', type: 'varchar(64)', nullable: false },
 *         { name: 'mood', type: 'mood' },
 *         { name: 'settings', type: 'text', variants: { postgres: 'jsonb', mysql: 'json' } },
 *       ],
 *       indexes: [{ columns: ['username'], unique: true }],
 *     },
 *   ],
 * });
 * ```
 */
export function defineModels(definition: ModelsDefinition): Models {
  if (!definition || typeof definition !== 'object' || !Array.isArray(definition.tables)) {
    throw new OperationError('defineModels() takes { tables: [...] } (and optionally enums).');
  }
  refuseUnknownKeys('defineModels()', definition, DEFINITION_KEYS);
  const enums = definition.enums ?? [];
  if (!Array.isArray(enums)) throw new OperationError('defineModels(): enums must be an array of { name, values }.');
  const enumNames = new Set<string>();
  for (const e of enums) {
    checkIdentifier(e?.name, 'enum');
    refuseUnknownKeys(`Model enum '${e.name}'`, e, ENUM_KEYS);
    if (enumNames.has(e.name)) throw new OperationError(`Models declare enum '${e.name}' twice.`);
    enumNames.add(e.name);
    enumType(e.name, e.values); // validates the members
  }
  const tableNames = new Set<string>();
  for (const table of definition.tables) {
    const name = checkIdentifier(table?.name, 'table');
    const key = `${table.schema ?? ''}.${name}`;
    if (tableNames.has(key)) throw new OperationError(`Models declare table '${name}' twice.`);
    tableNames.add(key);
    refuseUnknownKeys(`Model table '${name}'`, table, TABLE_KEYS, TABLE_KEY_ALIASES);
    if (tableColumns(`Model table '${name}'`, table.columns).length === 0) throw new OperationError(`Model table '${name}' needs at least one column.`);
    checkTableOptionArrays(`Model table '${name}'`, table);
    const indexes: NonNullable<TableModel['indexes']> = Array.isArray(table.indexes) ? table.indexes : [];
    indexes.forEach((index, i) => refuseUnknownKeys(`Model table '${name}', index ${index?.name !== undefined ? `'${index.name}'` : `#${i + 1}`}`, index, INDEX_KEYS));
    const { name: _name, columns: _columns, ...options } = table;
    checkColumnReferences(`Model table '${name}'`, new Set((table.columns as readonly ColumnModel[]).map((c) => c?.name)), options);
    for (const column of table.columns) {
      const unknown = column && typeof column === 'object' ? Object.keys(column).filter((k) => !COLUMN_KEYS.has(k)) : [];
      if (unknown.length) {
        throw new OperationError(
          `Model column '${name}.${String(column?.name)}': unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown
            .map((k) => {
              const meant = k === 'serverDefault' ? undefined : closestKey(k, [...COLUMN_KEYS]);
              return meant ? `'${k}' (did you mean ${meant}?)` : `'${k}'`;
            })
            .join(', ')}` +
            `${unknown.includes('serverDefault') ? " (a default the database computes is default: { sql: '…' })" : ''}; a column takes ${[...COLUMN_KEYS].join(', ')}.`,
        );
      }
      for (const type of [column?.type, ...Object.values(column?.variants ?? {})]) {
        if (typeof type === 'string' && enumNames.has(type)) continue;
        try {
          parseColumnType(type as ColumnTypeInput);
        } catch (error) {
          throw new OperationError(`Model column '${name}.${String(column?.name)}': ${(error as Error).message}`);
        }
      }
    }
  }
  return freezeDeep({ kind: 'Models', tables: structuredClone(definition.tables) as TableModel[], enums: structuredClone(enums) as EnumModel[] });
}

/**
 * Whether a value is a {@link Models} made by {@link defineModels} (what a models module must
 * export by default).
 * @example
 * ```ts
 * isModels(defineModels({ tables: [] })); // true
 * ```
 */
export function isModels(value: unknown): value is Models {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'Models' && Array.isArray((value as Models).tables);
}

/**
 * Turns a bind's models into the {@link DatabaseSnapshot} its database should have on one dialect:
 * type variants picked for the dialect, enum names turned into enum types, unnamed constraints and
 * indexes named by the convention (as `op.createTable` names them). Pure.
 *
 * With `namedEnums`, the snapshot's enums are the models' `enums` and every other enum a column
 * declares with `enumType(name, values, schema?)` (the column type picked for the dialect), once
 * per schema and name.
 *
 * @param models - from {@link defineModels}.
 * @param options - the bind's dialect name, naming convention and whether its enums are named types.
 * @returns tables (sorted by schema, name), enums (sorted by name), and no other objects.
 * @throws {@link OperationError} as `op.createTable` does for an invalid table.
 * @throws {@link EnumConflictError} with `namedEnums`, when one enum (schema and name) is declared
 *   with different members in two places: the models' `enums` and a column, or two columns.
 * @example
 * ```ts
 * import { DEFAULT_NAMING_CONVENTION, defineModels, resolveModels } from '@multidb/core';
 * const models = defineModels({ tables: [{ name: 'note', columns: [{ name: 'body', type: 'text', variants: { postgres: 'jsonb' } }] }] });
 * const snapshot = resolveModels(models, { dialect: 'postgres', namingConvention: DEFAULT_NAMING_CONVENTION });
 * snapshot.tables[0]?.columns[0]?.type.name; // 'jsonb'
 * ```
 */
export function resolveModels(models: Models, options: ResolveModelsOptions): DatabaseSnapshot {
  const enums = new Map(models.enums.map((e) => [e.name, e]));
  const typeOf = (column: ColumnModel): ColumnTypeInput => {
    const type = column.variants?.[options.dialect] ?? column.type;
    if (typeof type === 'string') {
      const e = enums.get(type);
      if (e) return enumType(e.name, e.values, e.schema);
    }
    return type;
  };
  const tables: TableSnapshot[] = models.tables.map((table) => {
    const { name, columns, ...rest } = table;
    const inputs: ColumnInput[] = columns.map(({ variants: _v, ...column }) => ({ ...column, type: typeOf({ ...column, ...(_v ? { variants: _v } : {}) }) }));
    return tableFromInput(name, inputs, rest, options.namingConvention);
  });
  const declared = options.namedEnums ? declaredEnums(models.enums, tables) : models.enums;
  tables.sort((a, b) => (a.schema ?? '').localeCompare(b.schema ?? '') || a.name.localeCompare(b.name));
  const enumSnapshots: EnumSnapshot[] = declared
    .map((e) => ({ name: e.name, values: [...e.values], ...(e.schema !== undefined ? { schema: e.schema } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return freezeDeep({ tables, enums: enumSnapshots, objects: [] });
}

/**
 * The models' `enums`, then each enum the columns of `tables` (in model order) declare with
 * `enumType` that they do not list. Throws {@link EnumConflictError} when two declarations of one
 * schema and name disagree on the members or their order.
 */
function declaredEnums(enums: readonly EnumModel[], tables: readonly TableSnapshot[]): EnumModel[] {
  const found = new Map<string, { readonly model: EnumModel; readonly declaration: EnumDeclaration }>();
  const declare = (model: EnumModel, source: string) => {
    const key = `${model.schema ?? ''}\u0000${model.name}`;
    const declaration: EnumDeclaration = { source, values: [...model.values] };
    const earlier = found.get(key);
    if (!earlier) found.set(key, { model, declaration });
    else if (earlier.model.values.join('\u0000') !== model.values.join('\u0000')) throw new EnumConflictError(model.name, model.schema, earlier.declaration, declaration);
  };
  for (const e of enums) declare(e, "the models' enums");
  for (const table of tables) {
    const label = table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
    for (const column of table.columns) {
      const { enumName, enumSchema, args } = column.type;
      if (enumName === undefined) continue;
      declare({ name: enumName, values: args.map(String), ...(enumSchema !== undefined ? { schema: enumSchema } : {}) }, `column '${label}.${column.name}'`);
    }
  }
  return [...found.values()].map((f) => f.model);
}
