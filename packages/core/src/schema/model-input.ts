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
  /** The column's name (1 to 128 characters, no NUL, no leading or trailing space). */
  readonly name: string;
  /** `'varchar(3)'`, `'integer'`, `'numeric(10,2)'`, … or a parsed type. */
  readonly type: ColumnTypeInput;
  /** Default true, false for a primary key column. */
  readonly nullable?: boolean;
  /**
   * Column-level `PRIMARY KEY` (single-column key; for a composite key use the table's
   * `primaryKey`). Default `false`.
   */
  readonly primaryKey?: boolean;
  /**
   * Auto-increment: SQLite `AUTOINCREMENT` (integer primary key only), PostgreSQL identity, MySQL
   * `AUTO_INCREMENT`. Default `false`.
   */
  readonly autoincrement?: boolean;
  /** Column-level `UNIQUE`, named by the convention's `uq` template. Default `false`. */
  readonly unique?: boolean;
  /**
   * The default: a literal (`'USD'`, `0`, `true`, `null`) or `{ sql: 'CURRENT_TIMESTAMP' }`.
   * Omitted: no default.
   */
  readonly default?: DefaultValue;
  /** The column's comment (PostgreSQL, MySQL/MariaDB; ignored on SQLite). */
  readonly comment?: string;
  /** The column's collation (`'NOCASE'`, `'utf8mb4_bin'`, `'C'`). Omitted: the table's default. */
  readonly collation?: string;
  /**
   * MySQL/MariaDB `ON UPDATE` expression, e.g. `'CURRENT_TIMESTAMP'` (other dialects refuse it).
   */
  readonly onUpdate?: string;
  /**
   * A generated column: its SQL expression, `stored` (`true`) or virtual (`false`). Omitted: an
   * ordinary column.
   */
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
  /** The constraint's name. Omitted: from the convention's `fk` template; `null`: unnamed. */
  readonly name?: string | null;
  /** The referencing columns, in order. */
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly referredTable: string;
  /** The referenced table's schema. Omitted: the same schema. */
  readonly referredSchema?: string;
  /** The referenced columns, in the order of `columns`. */
  readonly referredColumns: readonly string[];
  /** `ON DELETE` action. Omitted: the database's default (`NO ACTION`). */
  readonly onDelete?: ReferentialAction;
  /** `ON UPDATE` action. Omitted: the database's default (`NO ACTION`). */
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
  /** The table's schema (PostgreSQL; a MySQL database). Omitted: the bind's default. */
  readonly schema?: string;
  /** Composite primary key: columns, or columns with a name. */
  readonly primaryKey?: readonly string[] | { readonly name?: string | null; readonly columns: readonly string[] };
  /** Table-level foreign keys. */
  readonly foreignKeys?: readonly ForeignKeyInput[];
  /**
   * Unique constraints: column lists (named by the convention), or `{ name, columns }`
   * (`name: null`: unnamed).
   */
  readonly uniqueConstraints?: readonly (readonly string[] | { readonly name?: string | null; readonly columns: readonly string[] })[];
  /**
   * Check constraints: `{ name?, expression }`, the expression without `CHECK (…)`; a missing name
   * comes from the convention's `ck` template.
   */
  readonly checkConstraints?: readonly { readonly name?: string | null; readonly expression: string }[];
  /**
   * Indexes: `{ columns, unique?, where?, method?, name? }`; a missing name comes from the
   * convention's `ix` template.
   */
  readonly indexes?: readonly (Omit<IndexSnapshot, 'name' | 'unique'> & { readonly name?: string; readonly unique?: boolean })[];
  /** The table's comment (PostgreSQL, MySQL/MariaDB; ignored on SQLite). */
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
  /** The columns, with type strings. */
  readonly columns: readonly ColumnInput[];
  /** Table-level foreign keys. Default `[]`. */
  readonly foreignKeys?: readonly ForeignKeySnapshot[];
  /** Unique constraints. Default `[]`. */
  readonly uniqueConstraints?: readonly UniqueConstraintSnapshot[];
  /** Check constraints. Default `[]`. */
  readonly checkConstraints?: readonly CheckConstraintSnapshot[];
  /** Indexes. Default `[]`. */
  readonly indexes?: readonly IndexSnapshot[];
}

const IDENT = /^[^\0]{1,128}$/;

/**
 * Validates an identifier (table, column, constraint, index or enum name): a string of 1 to 128
 * characters, without NUL and without leading or trailing spaces.
 * @param name - the value to check.
 * @param what - what it names, for the message (`'table'`, `'column'`…).
 * @param where - the call it was given to, for the message (`"createIndex on 'Track'"`); default: none.
 * @returns `name`, typed as a string.
 * @throws {@link OperationError} `Invalid <what> name … [in <where>].` otherwise.
 * @example
 * ```ts
 * checkIdentifier('Invoice', 'table'); // 'Invoice'
 * checkIdentifier(' Invoice', 'table'); // throws OperationError: Invalid table name " Invoice".
 * checkIdentifier('', 'index', "createIndex on 'Track'"); // throws OperationError: Invalid index name "" in createIndex on 'Track'.
 * ```
 */
export function checkIdentifier(name: unknown, what: string, where?: string): string {
  if (typeof name !== 'string' || !IDENT.test(name) || name.trim() !== name || !name) {
    throw new OperationError(`Invalid ${what} name ${JSON.stringify(name)}${where ? ` in ${where}` : ''}.`);
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
 * Checks that a model table's keys, constraints and indexes name only its own columns, and that
 * each foreign key refers to as many columns as it has: the database would refuse the table
 * otherwise, and only once an autogenerated revision runs. Used by `defineModels`.
 * @param where - what to name in the message (`"createTable('Track')"`, `"Model table 'Track'"`).
 * @param columns - the table's column names.
 * @param options - the table's primary key, foreign keys, unique constraints and indexes.
 * @throws {@link OperationError} naming the column, the constraint and the table's columns.
 * @example
 * ```ts
 * checkColumnReferences("createTable('T')", new Set(['id']), { indexes: [{ columns: ['name'] }] });
 * // throws OperationError: createTable('T'): index names column 'name', which the table does not have (columns: id).
 * ```
 */
export function checkColumnReferences(where: string, columns: ReadonlySet<string>, options: TableOptions): void {
  // Case-insensitive, as SQLite and MySQL match column names.
  const known = new Set([...columns].map((c) => String(c).toLowerCase()));
  const check = (names: readonly (string | { readonly sql: string })[] | undefined, what: string) => {
    for (const c of names ?? []) {
      if (typeof c === 'string' && !known.has(c.toLowerCase())) {
        throw new OperationError(`${where}: ${what} names column '${c}', which the table does not have (columns: ${[...columns].join(', ')}).`);
      }
    }
  };
  const pk = options.primaryKey;
  check(pk === undefined ? undefined : Array.isArray(pk) ? (pk as readonly string[]) : (pk as { readonly columns: readonly string[] }).columns, 'the primary key');
  for (const fk of options.foreignKeys ?? []) {
    check(fk.columns, `the foreign key to '${fk.referredTable}'`);
    if (fk.columns?.length !== fk.referredColumns?.length) {
      throw new OperationError(
        `${where}: the foreign key (${fk.columns?.join(', ')}) to '${fk.referredTable}' refers to ${fk.referredColumns?.length ?? 0} column(s) (${fk.referredColumns?.join(', ') ?? ''}); give one for each of its ${fk.columns?.length ?? 0}.`,
      );
    }
  }
  for (const u of options.uniqueConstraints ?? []) check(Array.isArray(u) ? (u as readonly string[]) : (u as { readonly columns: readonly string[] }).columns, 'a unique constraint');
  for (const ix of options.indexes ?? []) check(ix.columns, ix.name ? `index '${ix.name}'` : 'an index');
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
  const where = `createTable('${name}')`;
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
    const pkName = pk.name === null ? undefined : pk.name === undefined ? conventionalName(convention, 'pk', { table: name, columns: pk.columns }) : checkIdentifier(pk.name, 'primary key', where);
    primaryKey = { ...(pkName === undefined ? {} : { name: pkName }), columns: [...pk.columns] };
  }
  const foreignKeys: ForeignKeySnapshot[] = (options.foreignKeys ?? []).map(({ name: given, ...fk }) => ({
    ...fk,
    columns: [...fk.columns],
    referredColumns: [...fk.referredColumns],
    ...(given === null ? {} : { name: given === undefined ? conventionalName(convention, 'fk', { table: name, columns: fk.columns, referredTable: fk.referredTable }) : checkIdentifier(given, 'foreign key', where) }),
  }));
  const uniqueConstraints: UniqueConstraintSnapshot[] = (options.uniqueConstraints ?? []).map((u) => {
    const cols = Array.isArray(u) ? (u as readonly string[]) : (u as UniqueConstraintSnapshot).columns;
    const given = Array.isArray(u) ? undefined : (u as { readonly name?: string | null }).name;
    return given === null ? { columns: [...cols] } : { name: given === undefined ? conventionalName(convention, 'uq', { table: name, columns: cols }) : checkIdentifier(given, 'unique constraint', where), columns: [...cols] };
  });
  const checkConstraints: CheckConstraintSnapshot[] = (options.checkConstraints ?? []).map((c) =>
    c.name === null ? { expression: c.expression } : { name: checkConstraintName(convention, name, c.name === undefined ? undefined : checkIdentifier(c.name, 'check constraint', where), c.expression), expression: c.expression },
  );
  const indexes: IndexSnapshot[] = (options.indexes ?? []).map((ix) => ({
    ...ix,
    columns: ix.columns.map((c) => (typeof c === 'string' ? c : { ...c })),
    unique: ix.unique ?? false,
    name: ix.name == null ? conventionalName(convention, 'ix', { table: name, columns: ix.columns.map((c) => (typeof c === 'string' ? c : 'expr')) }) : checkIdentifier(ix.name, 'index', where),
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
