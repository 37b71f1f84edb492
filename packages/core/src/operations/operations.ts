import type { Kysely } from 'kysely';
import { parseColumnType, type ColumnTypeInput } from '../schema/column-type.js';
import { OperationError } from '../errors.js';
import {
  checkIdentifier,
  columnFromInput,
  tableFromInput,
  tableSnapshotFromInput,
  type ColumnInput,
  type TableOptions,
  type TableSnapshotInput,
} from '../schema/model-input.js';
import { checkConstraintName, conventionalName, type NamingConvention } from '../schema/naming-convention.js';
import { freezeDeep } from '../schema/freeze-deep.js';
import {
  type AlterColumnOp,
  type BatchInnerOp,
  type BatchOptions,
  type ConstraintType,
  type CreateForeignKeyOp,
  type DropColumnOp,
  type DropConstraintOp,
  type ExistingConstraint,
  type Op,
} from './op-objects.js';
import type { ColumnSnapshot, DefaultValue, IndexSnapshot, ReferentialAction } from '../schema/table-snapshot.js';

/** Where a table lives (PostgreSQL schema). */
export interface SchemaOption {
  readonly schema?: string;
}

/** The previous state of a column, as `dropColumn`/`alterColumn` take it (`existing…` fields, §6). */
export interface ExistingColumnInput {
  readonly type?: ColumnTypeInput;
  readonly nullable?: boolean;
  readonly default?: DefaultValue;
  readonly comment?: string | null;
  readonly autoincrement?: boolean;
  /** MySQL/MariaDB `ON UPDATE` expression (`CURRENT_TIMESTAMP`), kept by MODIFY COLUMN offline. */
  readonly onUpdate?: string;
  /** The column's collation when not the table's default, kept by MODIFY COLUMN offline. */
  readonly collation?: string;
}

/**
 * The column a `dropColumn` removes, as its `existing` option takes it: the fields of
 * {@link ExistingColumnInput} plus the rest of the column's definition (key, uniqueness,
 * collation, `ON UPDATE`, generated expression, reference), so that the reverse `addColumn`
 * recreates the whole column.
 */
export interface DroppedColumnInput extends ExistingColumnInput, Partial<Pick<ColumnSnapshot, 'primaryKey' | 'unique' | 'collation' | 'onUpdate' | 'generated' | 'references'>> {}

/** Arguments of `alterColumn`. */
export interface AlterColumnOptions extends SchemaOption {
  readonly type?: ColumnTypeInput;
  readonly nullable?: boolean;
  /** `null` drops the default. */
  readonly default?: DefaultValue;
  readonly comment?: string | null;
  readonly newName?: string;
  /** The column as it was: MySQL restates the column from it, and `reverseOp` needs it. */
  readonly existing?: ExistingColumnInput;
}

/** Options of `createIndex`. */
export interface IndexOptions extends SchemaOption {
  readonly unique?: boolean;
  /** Partial index predicate, without `WHERE`. */
  readonly where?: string;
  /**
   * Access method other than the default B-tree: PostgreSQL `'gin' | 'gist' | 'brin' | 'hash' |
   * 'spgist'`, MySQL/MariaDB `'fulltext' | 'spatial'`.
   */
  readonly method?: string;
  readonly ifNotExists?: boolean;
}

/** Options of `createForeignKey`. */
export interface ForeignKeyOptions extends SchemaOption {
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly referredSchema?: string;
  /** `DEFERRABLE` (PostgreSQL, SQLite). */
  readonly deferrable?: boolean;
  /** `INITIALLY DEFERRED` (with `deferrable`). */
  readonly initiallyDeferred?: boolean;
}

/** The columns of an index: column names, and `{ sql }` entries for an expression index. */
export type IndexColumnsInput = readonly (string | { readonly sql: string })[];

/** Options of `batchAlterTable`: {@link BatchOptions}, with `copyFrom` written as `dropTable`'s `existing`. */
export interface BatchAlterTableOptions extends Omit<BatchOptions, 'copyFrom'>, SchemaOption {
  /** The table's shape, to compile a rebuild without reading the database (offline mode). */
  readonly copyFrom?: TableSnapshotInput;
}

/** The part of the run that executes ops; supplied by core's runner (or by offline mode). */
export interface OpRunner {
  /** What the `op` facade needs of the bind's dialect: its name and literal rendering. */
  readonly dialect: { readonly name: string; inlineLiteral(value: unknown): string };
  run(op: Op): Promise<void>;
}

function normalizeExisting(e: ExistingColumnInput | undefined) {
  if (!e) return {};
  const { type, ...rest } = e;
  return type === undefined ? { ...rest } : { ...rest, type: parseColumnType(type) };
}

/**
 * The builder handed to a `batchAlterTable` callback: the same vocabulary as {@link Operations},
 * on the batch's table, collected into one `BatchAlterTable` op (synchronous; nothing runs until
 * the block ends).
 */
export class BatchOperations {
  readonly #ops: BatchInnerOp[] = [];
  readonly #ref: { table: string; schema?: string };
  readonly #convention: NamingConvention;

  constructor(table: string, schema: string | undefined, convention: NamingConvention) {
    this.#ref = schema === undefined ? { table } : { table, schema };
    this.#convention = convention;
  }

  /** The collected ops, in order. */
  get ops(): readonly BatchInnerOp[] {
    return [...this.#ops];
  }

  #push(op: BatchInnerOp): this {
    this.#ops.push(freezeDeep(op));
    return this;
  }

  addColumn(column: ColumnInput): this {
    return this.#push({ kind: 'AddColumn', ...this.#ref, column: columnFromInput(column) });
  }
  dropColumn(name: string, options: { existing?: DroppedColumnInput } = {}): this {
    return this.#push(buildDropColumn(this.#ref, name, options.existing));
  }
  alterColumn(name: string, changes: Omit<AlterColumnOptions, 'schema'>): this {
    return this.#push(buildAlterColumn(this.#ref, name, changes));
  }
  renameColumn(oldName: string, newName: string): this {
    return this.#push({ kind: 'RenameColumn', ...this.#ref, column: checkIdentifier(oldName, 'column'), newName: checkIdentifier(newName, 'column') });
  }
  createIndex(name: string | null, columns: IndexColumnsInput, options: Omit<IndexOptions, 'schema'> = {}): this {
    return this.#push({ kind: 'CreateIndex', ...this.#ref, index: buildIndex(this.#ref.table, name, columns, options, this.#convention) });
  }
  dropIndex(name: string, options: { existing?: IndexSnapshot } = {}): this {
    return this.#push({ kind: 'DropIndex', ...this.#ref, name, ...(options.existing ? { existing: options.existing } : {}) });
  }
  createUniqueConstraint(name: string | null, columns: readonly string[]): this {
    return this.#push({ kind: 'CreateUniqueConstraint', ...this.#ref, name: name ?? conventionalName(this.#convention, 'uq', { table: this.#ref.table, columns }), columns: [...columns] });
  }
  createCheckConstraint(name: string | null, expression: string): this {
    return this.#push({ kind: 'CreateCheckConstraint', ...this.#ref, name: checkConstraintName(this.#convention, this.#ref.table, name === null ? null : checkIdentifier(name, 'check constraint'), expression), expression });
  }
  createForeignKey(name: string | null, referredTable: string, localColumns: readonly string[], remoteColumns: readonly string[], options: ForeignKeyOptions = {}): this {
    return this.#push(buildForeignKey(this.#ref, name, referredTable, localColumns, remoteColumns, options, this.#convention));
  }
  createPrimaryKey(name: string | null, columns: readonly string[]): this {
    return this.#push({ kind: 'CreatePrimaryKey', ...this.#ref, name: name ?? conventionalName(this.#convention, 'pk', { table: this.#ref.table, columns }), columns: [...columns] });
  }
  dropConstraint(name: string, options: { type: ConstraintType; existing?: ExistingConstraint }): this {
    return this.#push(buildDropConstraint(this.#ref, name, options));
  }
}

function buildDropColumn(ref: { table: string; schema?: string }, name: string, existing: DroppedColumnInput | undefined): DropColumnOp {
  const op: DropColumnOp = { kind: 'DropColumn', ...ref, column: checkIdentifier(name, 'column') };
  if (!existing) return op;
  const e = normalizeExisting(existing);
  return { ...op, existing: { nullable: true, ...e } as NonNullable<DropColumnOp['existing']> };
}

function buildAlterColumn(ref: { table: string; schema?: string }, name: string, o: Omit<AlterColumnOptions, 'schema'>): AlterColumnOp {
  checkIdentifier(name, 'column');
  const changes: Record<string, unknown> = {};
  if (o.type !== undefined) changes.type = parseColumnType(o.type);
  if (o.nullable !== undefined) changes.nullable = o.nullable;
  if (o.default !== undefined) changes.default = o.default;
  if (o.comment !== undefined) changes.comment = o.comment;
  if (o.newName !== undefined) changes.newName = checkIdentifier(o.newName, 'column');
  if (Object.keys(changes).length === 0) throw new OperationError(`alterColumn('${ref.table}', '${name}') changes nothing.`);
  return { kind: 'AlterColumn', ...ref, column: name, changes, existing: normalizeExisting(o.existing) };
}

function buildIndex(table: string, name: string | null, columns: IndexColumnsInput, options: Omit<IndexOptions, 'schema'>, convention: NamingConvention): IndexSnapshot {
  if (!Array.isArray(columns) || columns.length === 0) throw new OperationError(`createIndex on '${table}' needs at least one column.`);
  const index: { -readonly [K in keyof IndexSnapshot]: IndexSnapshot[K] } = {
    // An expression takes the place of a column name as 'expr', as in createTable's indexes.
    name: name ?? conventionalName(convention, 'ix', { table, columns: columns.map((c) => (typeof c === 'string' ? c : 'expr')) }),
    columns: columns.map((c) => (typeof c === 'string' ? c : { ...c })),
    unique: options.unique ?? false,
  };
  if (options.where !== undefined) index.where = options.where;
  if (options.method !== undefined) index.method = options.method;
  return index;
}

function buildForeignKey(
  ref: { table: string; schema?: string },
  name: string | null,
  referredTable: string,
  localColumns: readonly string[],
  remoteColumns: readonly string[],
  options: ForeignKeyOptions,
  convention: NamingConvention,
): CreateForeignKeyOp {
  if (localColumns.length === 0 || localColumns.length !== remoteColumns.length) {
    throw new OperationError(`createForeignKey on '${ref.table}' needs as many local as remote columns (got ${localColumns.length} and ${remoteColumns.length}).`);
  }
  const { schema: _s, ...actions } = options;
  return {
    kind: 'CreateForeignKey',
    ...ref,
    name: name ?? conventionalName(convention, 'fk', { table: ref.table, columns: localColumns, referredTable }),
    columns: [...localColumns],
    referredTable: checkIdentifier(referredTable, 'table'),
    referredColumns: [...remoteColumns],
    ...actions,
  };
}

function buildDropConstraint(ref: { table: string; schema?: string }, name: string, options: { type: ConstraintType; existing?: ExistingConstraint }): DropConstraintOp {
  const types: readonly ConstraintType[] = ['unique', 'check', 'foreignkey', 'primary'];
  if (!types.includes(options?.type)) {
    throw new OperationError(`dropConstraint('${name}') needs type: one of ${types.join(', ')}.`);
  }
  return { kind: 'DropConstraint', ...ref, name: checkIdentifier(name, 'constraint'), type: options.type, ...(options.existing ? { existing: options.existing } : {}) };
}

/**
 * The `op` object a revision's `upgrade(op)` and `downgrade(op)` receive (DESIGN §6). Each method
 * builds a readonly op object, hands it to the run (which compiles it through the bind's dialect
 * and executes it), and resolves when it has run. `op.db` is Kysely on the revision's connection.
 *
 * Errors: an invalid argument throws {@link OperationError} before anything runs; an op the
 * dialect cannot perform throws `UnsupportedOperationError`; a failing statement rejects with the
 * driver's error (the runner wraps it in a `MigrationError` naming the statement).
 *
 * @example
 * ```ts
 * export async function upgrade(op: Operations): Promise<void> {
 *   await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: true });
 *   await op.db.updateTable('Invoice').set({ Currency: 'USD' }).execute();
 * }
 * ```
 */
export class Operations {
  /** Kysely on the revision's connection (inside its transaction). */
  readonly db: Kysely<any>;
  /** The bind this revision runs on. */
  readonly bind: string;
  /** The bind's dialect name (`'sqlite' | 'postgres' | 'mysql'`), for the rare dialect-specific branch. */
  readonly dialectName: string;
  readonly #runner: OpRunner;
  readonly #convention: NamingConvention;

  constructor(options: { db: Kysely<any>; bind: string; runner: OpRunner; namingConvention: NamingConvention }) {
    this.db = options.db;
    this.bind = options.bind;
    this.#runner = options.runner;
    this.dialectName = options.runner.dialect.name;
    this.#convention = options.namingConvention;
  }

  #run(op: Op): Promise<void> {
    // Rows of a bulk insert and parameters of an execute are the caller's values (a Buffer cannot
    // even be frozen): freeze the op and a copy of the parameter list, not their data.
    if (op.kind === 'BulkInsert') return this.#runner.run(Object.freeze(op));
    if (op.kind === 'Execute') return this.#runner.run(Object.freeze({ ...op, parameters: Object.freeze([...(op.parameters ?? [])]) }));
    return this.#runner.run(freezeDeep(op));
  }

  /** Creates a table. Unnamed constraints and indexes get names from the naming convention. */
  createTable(name: string, columns: readonly ColumnInput[], options: TableOptions & { ifNotExists?: boolean } = {}): Promise<void> {
    const { ifNotExists, ...rest } = options;
    return this.#run({ kind: 'CreateTable', table: tableFromInput(name, columns, rest, this.#convention), ...(ifNotExists ? { ifNotExists } : {}) });
  }

  /**
   * Drops a table. Pass `existing` (its definition: a `TableSnapshot`, or the same with type
   * strings, see {@link TableSnapshotInput}) so the drop can be reversed.
   */
  dropTable(name: string, options: SchemaOption & { existing?: TableSnapshotInput; ifExists?: boolean } = {}): Promise<void> {
    const { existing, ...rest } = options;
    checkIdentifier(name, 'table');
    return this.#run({ kind: 'DropTable', table: name, ...rest, ...(existing ? { existing: tableSnapshotFromInput(name, existing) } : {}) });
  }

  renameTable(oldName: string, newName: string, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'RenameTable', table: checkIdentifier(oldName, 'table'), newName: checkIdentifier(newName, 'table'), ...options });
  }

  addColumn(table: string, column: ColumnInput, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'AddColumn', table: checkIdentifier(table, 'table'), ...options, column: columnFromInput(column) });
  }

  /** Drops a column. `existing` (at least its type) makes the drop reversible. */
  dropColumn(table: string, column: string, options: SchemaOption & { existing?: DroppedColumnInput } = {}): Promise<void> {
    const { existing, ...ref } = options;
    return this.#run(buildDropColumn({ table: checkIdentifier(table, 'table'), ...ref }, column, existing));
  }

  /** Alters a column's type, nullability, default, comment or name. */
  alterColumn(table: string, column: string, options: AlterColumnOptions): Promise<void> {
    const { schema, ...changes } = options;
    checkIdentifier(table, 'table');
    return this.#run(buildAlterColumn(schema === undefined ? { table } : { table, schema }, column, changes));
  }

  renameColumn(table: string, oldName: string, newName: string, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'RenameColumn', table: checkIdentifier(table, 'table'), ...options, column: checkIdentifier(oldName, 'column'), newName: checkIdentifier(newName, 'column') });
  }

  /** Creates an index; `name: null` names it from the convention. `{ sql }` columns make an expression index. */
  createIndex(name: string | null, table: string, columns: IndexColumnsInput, options: IndexOptions = {}): Promise<void> {
    const { schema, ifNotExists, ...rest } = options;
    return this.#run({
      kind: 'CreateIndex',
      table: checkIdentifier(table, 'table'),
      ...(schema === undefined ? {} : { schema }),
      index: buildIndex(table, name, columns, rest, this.#convention),
      ...(ifNotExists ? { ifNotExists } : {}),
    });
  }

  dropIndex(name: string, options: SchemaOption & { table?: string; existing?: IndexSnapshot } = {}): Promise<void> {
    const { table, ...rest } = options;
    return this.#run({ kind: 'DropIndex', table: table ?? '', name: checkIdentifier(name, 'index'), ...rest });
  }

  createUniqueConstraint(name: string | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'CreateUniqueConstraint', table: checkIdentifier(table, 'table'), ...options, name: name ?? conventionalName(this.#convention, 'uq', { table, columns }), columns: [...columns] });
  }

  /** Creates a check constraint; `name: null` names it from the `ck` convention and the expression. */
  createCheckConstraint(name: string | null, table: string, expression: string, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'CreateCheckConstraint', table: checkIdentifier(table, 'table'), ...options, name: checkConstraintName(this.#convention, table, name === null ? null : checkIdentifier(name, 'check constraint'), expression), expression });
  }

  createForeignKey(
    name: string | null,
    sourceTable: string,
    referredTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: ForeignKeyOptions = {},
  ): Promise<void> {
    const ref = options.schema === undefined ? { table: sourceTable } : { table: sourceTable, schema: options.schema };
    return this.#run(buildForeignKey(ref, name, referredTable, localColumns, remoteColumns, options, this.#convention));
  }

  createPrimaryKey(name: string | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'CreatePrimaryKey', table: checkIdentifier(table, 'table'), ...options, name: name ?? conventionalName(this.#convention, 'pk', { table, columns }), columns: [...columns] });
  }

  /** Drops a named constraint; `type` is required, `existing` makes it reversible. */
  dropConstraint(name: string, table: string, options: SchemaOption & { type: ConstraintType; existing?: ExistingConstraint }): Promise<void> {
    const { schema, ...rest } = options ?? {};
    checkIdentifier(table, 'table');
    return this.#run(buildDropConstraint(schema === undefined ? { table } : { table, schema }, name, rest as { type: ConstraintType; existing?: ExistingConstraint }));
  }

  /**
   * Groups alterations of one table. On SQLite, what ALTER cannot do runs as a move-and-copy
   * rebuild (DESIGN §7); elsewhere the same block runs as ordinary ALTERs.
   */
  async batchAlterTable(table: string, build: (batch: BatchOperations) => void, options: BatchAlterTableOptions = {}): Promise<void> {
    const { schema, copyFrom, ...rest } = options;
    const batch = new BatchOperations(checkIdentifier(table, 'table'), schema, this.#convention);
    build(batch);
    const batchOptions: BatchOptions = copyFrom ? { ...rest, copyFrom: tableSnapshotFromInput(table, copyFrom) } : rest;
    await this.#run({ kind: 'BatchAlterTable', table, ...(schema === undefined ? {} : { schema }), ops: batch.ops, options: batchOptions });
  }

  /**
   * Creates a PostgreSQL enum type; a no-op on dialects without enum types (their columns carry
   * the members, see `enumType`).
   * @param name - the type's name.
   * @param values - its members, in order.
   * @throws {@link OperationError} for an invalid name or no members.
   */
  createEnum(name: string, values: readonly string[], options: SchemaOption = {}): Promise<void> {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
      throw new OperationError(`createEnum('${name}') needs at least one member, each a string.`);
    }
    return this.#run({ kind: 'CreateEnum', name: checkIdentifier(name, 'enum'), ...options, values: [...values] });
  }

  /** Drops a PostgreSQL enum type; `existing.values` makes the drop reversible. No-op elsewhere. */
  dropEnum(name: string, options: SchemaOption & { existing?: { values: readonly string[] } } = {}): Promise<void> {
    return this.#run({ kind: 'DropEnum', name: checkIdentifier(name, 'enum'), ...options });
  }

  /**
   * Adds a member to a PostgreSQL enum type (`ALTER TYPE … ADD VALUE`), last or `before`/`after`
   * a member. PostgreSQL cannot remove one again: the op is irreversible. No-op elsewhere.
   */
  addEnumValue(name: string, value: string, options: SchemaOption & { before?: string; after?: string } = {}): Promise<void> {
    if (typeof value !== 'string') throw new OperationError(`addEnumValue('${name}') needs a string member.`);
    return this.#run({ kind: 'AddEnumValue', name: checkIdentifier(name, 'enum'), value, ...options });
  }

  /** Sets a table's comment (`null` removes it); `existing` (the comment before) makes it reversible. */
  alterTableComment(table: string, comment: string | null, options: SchemaOption & { existing?: string | null } = {}): Promise<void> {
    return this.#run({ kind: 'AlterTableComment', table: checkIdentifier(table, 'table'), ...options, comment });
  }

  /** Runs one SQL statement (DESIGN §7: one statement per call), with optional parameters. */
  execute(sql: string, parameters: readonly unknown[] = []): Promise<void> {
    if (typeof sql !== 'string' || !sql.trim()) throw new OperationError('execute() needs one SQL statement.');
    return this.#run({ kind: 'Execute', sql, parameters });
  }

  /**
   * Inserts rows, grouped by their set of keys and chunked under the dialect's parameter limit.
   * @param rows - plain objects, column name to value.
   */
  bulkInsert(table: string, rows: readonly Readonly<Record<string, unknown>>[], options: SchemaOption = {}): Promise<void> {
    if (!Array.isArray(rows)) throw new OperationError(`bulkInsert('${table}') needs an array of rows.`);
    if (rows.length === 0) return Promise.resolve();
    return this.#run({ kind: 'BulkInsert', table: checkIdentifier(table, 'table'), ...options, rows });
  }

  /** Renders a value as an inline SQL literal for this dialect (`'O''Reilly'`, `NULL`, `42`). */
  inlineLiteral(value: unknown): string {
    return this.#runner.dialect.inlineLiteral(value);
  }
}
