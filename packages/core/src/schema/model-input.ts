import { parseColumnType, type ColumnTypeInput } from './column-type.js';
import { OperationError } from '../errors.js';
import { checkConstraintName, conventionalName, type NamingConvention } from './naming-convention.js';
import { freezeDeep } from './freeze-deep.js';
import type {
  CheckConstraintSnapshot,
  ColumnSnapshot,
  DefaultValue,
  ForeignKeySnapshot,
  IndexSnapshot,
  PrimaryKeySnapshot,
  ReferentialAction,
  TableSnapshot,
  UniqueConstraintSnapshot,
} from './table-snapshot.js';

/** A column as users write it in revisions and models. */
export interface ColumnInput {
  readonly name: string;
  /** `'varchar(3)'`, `'integer'`, `'numeric(10,2)'`, … or a parsed type. */
  readonly type: ColumnTypeInput;
  /** Default true, false for a primary key column. */
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  readonly autoincrement?: boolean;
  readonly unique?: boolean;
  readonly default?: DefaultValue;
  readonly comment?: string;
  readonly collation?: string;
  /**
   * MySQL/MariaDB `ON UPDATE` expression, e.g. `'CURRENT_TIMESTAMP'` (other dialects refuse it).
   */
  readonly onUpdate?: string;
  readonly generated?: { readonly sql: string; readonly stored: boolean };
  /** `'Artist.ArtistId'` or a full reference with actions. */
  readonly references?:
    | string
    | { readonly table: string; readonly column: string; readonly onDelete?: ReferentialAction; readonly onUpdate?: ReferentialAction };
}

/**
 * A foreign key as users write it in `createTable`. The name defaults from the naming convention;
 * `null` leaves it unnamed (as introspection reports SQLite's constraints).
 */
export interface ForeignKeyInput {
  readonly name?: string | null;
  readonly columns: readonly string[];
  readonly referredTable: string;
  readonly referredSchema?: string;
  readonly referredColumns: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  /** `DEFERRABLE` (PostgreSQL, SQLite). */
  readonly deferrable?: boolean;
  /** `INITIALLY DEFERRED` (with `deferrable`). */
  readonly initiallyDeferred?: boolean;
}

/**
 * Table-level parts of `createTable`. A constraint without a name is named from the naming
 * convention; `name: null` leaves it unnamed instead (as introspection reports SQLite's
 * constraints), so that a revision can recreate a table exactly as it was.
 */
export interface TableOptions {
  readonly schema?: string;
  /** Composite primary key: columns, or columns with a name. */
  readonly primaryKey?: readonly string[] | { readonly name?: string | null; readonly columns: readonly string[] };
  readonly foreignKeys?: readonly ForeignKeyInput[];
  readonly uniqueConstraints?: readonly (readonly string[] | { readonly name?: string | null; readonly columns: readonly string[] })[];
  readonly checkConstraints?: readonly { readonly name?: string | null; readonly expression: string }[];
  readonly indexes?: readonly (Omit<IndexSnapshot, 'name' | 'unique'> & { readonly name?: string; readonly unique?: boolean })[];
  readonly comment?: string;
  /** SQLite `STRICT`. */
  readonly strict?: boolean;
  /** SQLite `WITHOUT ROWID`. */
  readonly withoutRowid?: boolean;
}

/**
 * A table's definition as `dropTable`'s `existing` and `batchAlterTable`'s `copyFrom` take it: a
 * {@link TableSnapshot} whose columns are written as {@link ColumnInput}s (type strings), whose
 * name defaults to the op's table and whose constraint and index lists may be left out (none).
 * Unlike `createTable`'s options, nothing is named from the naming convention: an unnamed
 * constraint stays unnamed, as introspection reported it.
 */
export interface TableSnapshotInput
  extends Omit<TableSnapshot, 'name' | 'columns' | 'foreignKeys' | 'uniqueConstraints' | 'checkConstraints' | 'indexes'> {
  /** Default: the table the op names. */
  readonly name?: string;
  readonly columns: readonly ColumnInput[];
  readonly foreignKeys?: readonly ForeignKeySnapshot[];
  readonly uniqueConstraints?: readonly UniqueConstraintSnapshot[];
  readonly checkConstraints?: readonly CheckConstraintSnapshot[];
  readonly indexes?: readonly IndexSnapshot[];
}

const IDENT = /^[^\0]{1,128}$/;

/** Validates an identifier (table, column, constraint name). @throws {@link OperationError} */
export function checkIdentifier(name: unknown, what: string): string {
  if (typeof name !== 'string' || !IDENT.test(name) || name.trim() !== name || !name) {
    throw new OperationError(`Invalid ${what} name ${JSON.stringify(name)}.`);
  }
  return name;
}

/**
 * Normalizes a {@link ColumnInput} into a frozen {@link ColumnSnapshot}: parses the type,
 * fills `nullable` (true unless primary key), turns `'Table.Column'` references into objects.
 * @throws {@link OperationError} on an invalid name, type or reference.
 * @example
 * ```ts
 * columnFromInput({ name: 'Currency', type: 'varchar(3)' });
 * // { name: 'Currency', type: { name: 'varchar', args: [3], … }, nullable: true }
 * ```
 */
export function columnFromInput(input: ColumnInput): ColumnSnapshot {
  if (!input || typeof input !== 'object') throw new OperationError(`Invalid column definition: ${JSON.stringify(input)}.`);
  checkIdentifier(input.name, 'column');
  const { references, type, nullable, ...rest } = input;
  const column: { -readonly [K in keyof ColumnSnapshot]: ColumnSnapshot[K] } = {
    ...rest,
    type: parseColumnType(type),
    nullable: nullable ?? !input.primaryKey,
  };
  // Copy nested objects: the snapshot is deep-frozen, the caller's objects must stay theirs.
  if (rest.generated) column.generated = { ...rest.generated };
  if (rest.default && typeof rest.default === 'object') column.default = { ...rest.default };
  if (references !== undefined) {
    if (typeof references === 'string') {
      const dot = references.lastIndexOf('.');
      if (dot <= 0 || dot === references.length - 1) {
        throw new OperationError(`Invalid reference '${references}' on column '${input.name}': write 'Table.Column'.`);
      }
      column.references = { table: references.slice(0, dot), column: references.slice(dot + 1) };
    } else column.references = { ...references };
  }
  return freezeDeep(column);
}

/**
 * Normalizes a {@link TableSnapshotInput} (or a {@link TableSnapshot}, returned equal) into a
 * frozen {@link TableSnapshot}: column types parsed, `nullable` filled as {@link columnFromInput}
 * does, missing lists empty. Names nothing from the naming convention.
 *
 * @param table - the table the op names: the snapshot's name when the input gives none.
 * @param input - the definition.
 * @returns a new frozen snapshot (the input is not changed).
 * @throws {@link OperationError} on an invalid column name or type.
 * @example
 * ```ts
 * tableSnapshotFromInput('Genre', { columns: [{ name: 'GenreId', type: 'integer', primaryKey: true }] });
 * // { name: 'Genre', columns: [{ name: 'GenreId', type: { name: 'integer', … }, nullable: false, primaryKey: true }],
 * //   foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] }
 * ```
 */
export function tableSnapshotFromInput(table: string, input: TableSnapshotInput): TableSnapshot {
  if (!input || typeof input !== 'object' || !Array.isArray(input.columns)) {
    throw new OperationError(`The definition of table '${table}' needs a columns array.`);
  }
  return freezeDeep({
    ...structuredClone(input),
    name: input.name ?? table,
    columns: input.columns.map(columnFromInput),
    foreignKeys: structuredClone(input.foreignKeys ?? []),
    uniqueConstraints: structuredClone(input.uniqueConstraints ?? []),
    checkConstraints: structuredClone(input.checkConstraints ?? []),
    indexes: structuredClone(input.indexes ?? []),
  });
}

/**
 * Builds a frozen {@link TableSnapshot} from `createTable` arguments, naming unnamed
 * constraints and indexes from the naming convention.
 * @throws {@link OperationError} on an invalid name or an empty column list.
 * @example
 * ```ts
 * tableFromInput('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }], {}, {});
 * ```
 */
export function tableFromInput(
  name: string,
  columns: readonly ColumnInput[],
  options: TableOptions,
  convention: NamingConvention,
): TableSnapshot {
  checkIdentifier(name, 'table');
  if (!Array.isArray(columns) || columns.length === 0) throw new OperationError(`createTable('${name}') needs at least one column.`);
  const cols = columns.map(columnFromInput);
  const seen = new Set<string>();
  for (const c of cols) {
    if (seen.has(c.name)) throw new OperationError(`createTable('${name}') declares column '${c.name}' twice.`);
    seen.add(c.name);
  }
  let primaryKey: PrimaryKeySnapshot | undefined;
  if (options.primaryKey) {
    const pk = Array.isArray(options.primaryKey)
      ? { columns: options.primaryKey as readonly string[] }
      : (options.primaryKey as { readonly name?: string | null; readonly columns: readonly string[] });
    const pkName = pk.name === null ? undefined : (pk.name ?? conventionalName(convention, 'pk', { table: name, columns: pk.columns }));
    primaryKey = { ...(pkName === undefined ? {} : { name: pkName }), columns: [...pk.columns] };
  }
  const foreignKeys: ForeignKeySnapshot[] = (options.foreignKeys ?? []).map(({ name: given, ...fk }) => ({
    ...fk,
    columns: [...fk.columns],
    referredColumns: [...fk.referredColumns],
    ...(given === null ? {} : { name: given ?? conventionalName(convention, 'fk', { table: name, columns: fk.columns, referredTable: fk.referredTable }) }),
  }));
  const uniqueConstraints: UniqueConstraintSnapshot[] = (options.uniqueConstraints ?? []).map((u) => {
    const cols = Array.isArray(u) ? (u as readonly string[]) : (u as UniqueConstraintSnapshot).columns;
    const given = Array.isArray(u) ? undefined : (u as { readonly name?: string | null }).name;
    return given === null ? { columns: [...cols] } : { name: given ?? conventionalName(convention, 'uq', { table: name, columns: cols }), columns: [...cols] };
  });
  const checkConstraints: CheckConstraintSnapshot[] = (options.checkConstraints ?? []).map((c) =>
    c.name === null ? { expression: c.expression } : { name: checkConstraintName(convention, name, c.name, c.expression), expression: c.expression },
  );
  const indexes: IndexSnapshot[] = (options.indexes ?? []).map((ix) => ({
    ...ix,
    columns: ix.columns.map((c) => (typeof c === 'string' ? c : { ...c })),
    unique: ix.unique ?? false,
    name: ix.name ?? conventionalName(convention, 'ix', { table: name, columns: ix.columns.map((c) => (typeof c === 'string' ? c : 'expr')) }),
  }));
  const table: { -readonly [K in keyof TableSnapshot]: TableSnapshot[K] } = {
    name,
    columns: cols,
    foreignKeys,
    uniqueConstraints,
    checkConstraints,
    indexes,
  };
  if (options.schema !== undefined) table.schema = options.schema;
  if (primaryKey) table.primaryKey = primaryKey;
  if (options.comment !== undefined) table.comment = options.comment;
  if (options.strict) table.strict = true;
  if (options.withoutRowid) table.withoutRowid = true;
  return freezeDeep(table);
}
