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
  type RenameIndexOp,
} from './op-objects.js';
import type { ColumnSnapshot, DefaultValue, IndexSnapshot, ReferentialAction } from '../schema/table-snapshot.js';

/** Where a table lives (PostgreSQL schema). */
export interface SchemaOption {
  /** The table's schema (PostgreSQL; a MySQL database). Omitted: the bind's default schema. */
  readonly schema?: string;
}

/** The previous state of a column, as `dropColumn`/`alterColumn` take it (`existing…` fields, §6). */
export interface ExistingColumnInput {
  /**
   * The column's type before the change (`'varchar(40)'` or a parsed type). MySQL needs it offline
   * to restate the column; `reverseOp` needs it to undo a type change or a drop.
   */
  readonly type?: ColumnTypeInput;
  /**
   * Whether the column allowed NULL before. MySQL needs it offline to restate the column;
   * `reverseOp` needs it to undo a nullability change.
   */
  readonly nullable?: boolean;
  /** The column's default before (omitted: none). */
  readonly default?: DefaultValue;
  /** The column's comment before (`null`: none). `reverseOp` needs it to undo a comment change. */
  readonly comment?: string | null;
  /** Whether the column is auto-increment (MySQL's MODIFY COLUMN keeps `AUTO_INCREMENT`). */
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
  /** The new type, e.g. `'numeric(12,2)'`. */
  readonly type?: ColumnTypeInput;
  /** `true`: allow NULL; `false`: NOT NULL. */
  readonly nullable?: boolean;
  /** `null` drops the default. */
  readonly default?: DefaultValue;
  /** The new comment; `null` removes it (SQLite keeps no comments). */
  readonly comment?: string | null;
  /** A new name for the column. */
  readonly newName?: string;
  /** The column as it was: MySQL restates the column from it, and `reverseOp` needs it. */
  readonly existing?: ExistingColumnInput;
}

/** Options of `createIndex`. */
export interface IndexOptions extends SchemaOption {
  /** A unique index. Default `false`. */
  readonly unique?: boolean;
  /** Partial index predicate, without `WHERE`. */
  readonly where?: string;
  /**
   * Access method other than the default B-tree: PostgreSQL `'gin' | 'gist' | 'brin' | 'hash' |
   * 'spgist'`, MySQL/MariaDB `'fulltext' | 'spatial'`.
   */
  readonly method?: string;
  /**
   * `CREATE INDEX IF NOT EXISTS` (SQLite, PostgreSQL, MariaDB; MySQL refuses it). Default `false`.
   */
  readonly ifNotExists?: boolean;
}

/** Options of `createForeignKey`. */
export interface ForeignKeyOptions extends SchemaOption {
  /** `ON DELETE` action. Omitted: the database's default (`NO ACTION`). */
  readonly onDelete?: ReferentialAction;
  /** `ON UPDATE` action. Omitted: the database's default (`NO ACTION`). */
  readonly onUpdate?: ReferentialAction;
  /**
   * Schema of the referenced table. Omitted: PostgreSQL's `search_path`; on MySQL/MariaDB the
   * source table's database.
   */
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
  /**
   * Compiles and executes one op on the bind (online), or records its statements (offline mode, SQL
   * preview).
   * @param op - the op, frozen.
   * @returns resolves when the op has run; on a dialect that holds DDL back (PostgreSQL, see
   *   `DialectConnection.executeLater`), the last statement of an op other than `execute` and
   *   `bulkInsert` may still be pending: its error then rejects the next call that reaches the
   *   database, or the revision's COMMIT.
   * @throws what compiling or executing throws (`UnsupportedOperationError`, `OperationError`, the
   *   driver's error).
   */
  run(op: Op): Promise<void>;
}

function normalizeExisting(e: ExistingColumnInput | undefined) {
  if (!e) return {};
  const { type, ...rest } = e;
  return type === undefined ? { ...rest } : { ...rest, type: parseColumnType(type) };
}

/**
 * The builder handed to a `batchAlterTable` callback: the same vocabulary as {@link Operations}, on
 * the batch's table, collected into one `BatchAlterTable` op (synchronous; nothing runs until the
 * block ends). Each method validates its arguments, appends one op and returns the builder, so
 * calls chain.
 * @example
 * ```ts
 * await op.batchAlterTable('Invoice', (batch) => {
 *   batch.addColumn({ name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
 *   batch.alterColumn('Total', { type: 'numeric(12,2)', existing: { type: 'numeric(10,2)', nullable: false } });
 * });
 * ```
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

  /**
   * Adds a column to the batch's table (see {@link Operations.addColumn}).
   * @param column - the column: name, type string, nullability (default nullable), default, key
   *   flags, reference.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name, type or reference.
   * @example
   * ```ts
   * batch.addColumn({ name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
   * ```
   */
  addColumn(column: ColumnInput): this {
    return this.#push({ kind: 'AddColumn', ...this.#ref, column: columnFromInput(column) });
  }
  /**
   * Drops a column of the batch's table (see {@link Operations.dropColumn}).
   * @param name - the column.
   * @param options - `existing`: the column as it was (at least its type), so the drop can be
   *   reversed.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name or type.
   * @example
   * ```ts
   * batch.dropColumn('Legacy', { existing: { type: 'text', nullable: true } });
   * ```
   */
  dropColumn(name: string, options: { existing?: DroppedColumnInput } = {}): this {
    return this.#push(buildDropColumn(this.#ref, name, options.existing));
  }
  /**
   * Alters a column of the batch's table (see {@link Operations.alterColumn}).
   * @param name - the column's current name.
   * @param changes - the new `type`, `nullable`, `default` (`null` drops it), `comment`, `newName`,
   *   and `existing` (the column before).
   * @returns this builder.
   * @throws {@link OperationError} when nothing changes, or for an invalid name or type.
   * @example
   * ```ts
   * batch.alterColumn('Total', { nullable: false, existing: { type: 'numeric(10,2)', nullable: true } });
   * ```
   */
  alterColumn(name: string, changes: Omit<AlterColumnOptions, 'schema'>): this {
    return this.#push(buildAlterColumn(this.#ref, name, changes));
  }
  /**
   * Renames a column of the batch's table.
   * @param oldName - the column's current name.
   * @param newName - its new name.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * batch.renameColumn('BillingCity', 'City');
   * ```
   */
  renameColumn(oldName: string, newName: string): this {
    return this.#push({ kind: 'RenameColumn', ...this.#ref, column: checkIdentifier(oldName, 'column'), newName: checkIdentifier(newName, 'column') });
  }
  /**
   * Creates an index on the batch's table (see {@link Operations.createIndex}).
   * @param name - the index's name; `null` names it from the convention's `ix` template.
   * @param columns - column names, or `{ sql }` entries for an expression index.
   * @param options - `unique`, `where`, `method`, `ifNotExists`.
   * @returns this builder.
   * @throws {@link OperationError} for an empty column list or an invalid name.
   * @example
   * ```ts
   * batch.createIndex(null, ['CustomerId', 'InvoiceDate']);
   * ```
   */
  createIndex(name: string | null, columns: IndexColumnsInput, options: Omit<IndexOptions, 'schema'> = {}): this {
    return this.#push({ kind: 'CreateIndex', ...this.#ref, index: buildIndex(this.#ref.table, name, columns, options, this.#convention) });
  }
  /**
   * Drops an index of the batch's table.
   * @param name - the index's name.
   * @param options - `existing`: the index as it was, so the drop can be reversed.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * batch.dropIndex('ix_Invoice_CustomerId', { existing: { name: 'ix_Invoice_CustomerId', columns: ['CustomerId'], unique: false } });
   * ```
   */
  dropIndex(name: string, options: { existing?: IndexSnapshot } = {}): this {
    return this.#push({ kind: 'DropIndex', ...this.#ref, name: checkIdentifier(name, 'index', `dropIndex on '${this.#ref.table}'`), ...(options.existing ? { existing: options.existing } : {}) });
  }
  /**
   * Renames an index of the batch's table (see {@link Operations.renameIndex}).
   * @param oldName - the index's current name.
   * @param newName - its new name.
   * @param options - `existing`: the index's definition without its name (SQLite, offline, when
   *   the script did not create the table).
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * batch.renameIndex('ix_Invoice_Total', 'ix_Invoice_Amount', { existing: { columns: ['Amount'], unique: false } });
   * ```
   */
  renameIndex(oldName: string, newName: string, options: { existing?: Omit<IndexSnapshot, 'name'> } = {}): this {
    return this.#push(buildRenameIndex(this.#ref, oldName, newName, options.existing));
  }
  /**
   * Adds a unique constraint to the batch's table.
   * @param name - the constraint's name; `null` names it from the convention's `uq` template.
   * @param columns - the constrained columns.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * batch.createUniqueConstraint(null, ['Email']);
   * ```
   */
  createUniqueConstraint(name: string | null, columns: readonly string[]): this {
    return this.#push({ kind: 'CreateUniqueConstraint', ...this.#ref, name: constraintName(this.#convention, 'uq', 'createUniqueConstraint', this.#ref.table, name, columns), columns: [...columns] });
  }
  /**
   * Adds a check constraint to the batch's table.
   * @param name - the constraint's name; `null` names it from the convention's `ck` template.
   * @param expression - the boolean SQL expression, without `CHECK (…)`.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * batch.createCheckConstraint('positive_total', '"Total" >= 0');
   * ```
   */
  createCheckConstraint(name: string | null, expression: string): this {
    const { table } = this.#ref;
    return this.#push({ kind: 'CreateCheckConstraint', ...this.#ref, name: checkConstraintName(this.#convention, table, name === null ? null : checkIdentifier(name, 'check constraint', `createCheckConstraint on '${table}'`), expression), expression });
  }
  /**
   * Adds a foreign key from the batch's table (see {@link Operations.createForeignKey}).
   * @param name - the constraint's name; `null` names it from the convention's `fk` template.
   * @param referredTable - the referenced table.
   * @param localColumns - the referencing columns of the batch's table.
   * @param remoteColumns - the referenced columns, as many as `localColumns`.
   * @param options - `onDelete`, `onUpdate`, `referredSchema`, `deferrable`, `initiallyDeferred`.
   * @returns this builder.
   * @throws {@link OperationError} when the column lists are empty or differ in length, or for an invalid name.
   * @example
   * ```ts
   * batch.createForeignKey(null, 'Customer', ['CustomerId'], ['CustomerId'], { onDelete: 'cascade' });
   * ```
   */
  createForeignKey(name: string | null, referredTable: string, localColumns: readonly string[], remoteColumns: readonly string[], options: ForeignKeyOptions = {}): this {
    return this.#push(buildForeignKey(this.#ref, name, referredTable, localColumns, remoteColumns, options, this.#convention));
  }
  /**
   * Adds a primary key to the batch's table.
   * @param name - the constraint's name; `null` names it from the convention's `pk` template.
   * @param columns - the key's columns, in order.
   * @returns this builder.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * batch.createPrimaryKey(null, ['PlaylistId', 'TrackId']);
   * ```
   */
  createPrimaryKey(name: string | null, columns: readonly string[]): this {
    return this.#push({ kind: 'CreatePrimaryKey', ...this.#ref, name: constraintName(this.#convention, 'pk', 'createPrimaryKey', this.#ref.table, name, columns), columns: [...columns] });
  }
  /**
   * Drops a named constraint of the batch's table (see {@link Operations.dropConstraint}).
   * @param name - the constraint's name.
   * @param options - `type` (required): `'unique' | 'check' | 'foreignkey' | 'primary'`;
   *   `existing`: the constraint as it was, so the drop can be reversed.
   * @returns this builder.
   * @throws {@link OperationError} for a missing or unknown `type`, or an invalid name.
   * @example
   * ```ts
   * batch.dropConstraint('uq_Customer_Email', { type: 'unique', existing: { type: 'unique', columns: ['Email'] } });
   * ```
   */
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
    name: name == null ? conventionalName(convention, 'ix', { table, columns: columns.map((c) => (typeof c === 'string' ? c : 'expr')) }) : checkIdentifier(name, 'index', `createIndex on '${table}'`),
    columns: columns.map((c) => (typeof c === 'string' ? c : { ...c })),
    unique: options.unique ?? false,
  };
  if (options.where !== undefined) index.where = options.where;
  if (options.method !== undefined) index.method = options.method;
  return index;
}

/** A `RenameIndex` op of `ref`'s table, its names checked. */
function buildRenameIndex(ref: { table: string; schema?: string }, oldName: string, newName: string, existing: Omit<IndexSnapshot, 'name'> | undefined): RenameIndexOp {
  const where = `renameIndex on '${ref.table}'`;
  return {
    kind: 'RenameIndex',
    ...ref,
    name: checkIdentifier(oldName, 'index', where),
    newName: checkIdentifier(newName, 'index', where),
    // A copy: freezing the op must not freeze the caller's object.
    ...(existing ? { existing: { ...existing, columns: existing.columns.map((c) => (typeof c === 'string' ? c : { ...c })) } } : {}),
  };
}

/** An explicit constraint name, checked (see {@link checkIdentifier}), or the convention's for `null`. */
function constraintName(convention: NamingConvention, key: 'uq' | 'pk', call: string, table: string, name: string | null, columns: readonly string[]): string {
  if (name == null) return conventionalName(convention, key, { table, columns });
  return checkIdentifier(name, key === 'uq' ? 'unique constraint' : 'primary key', `${call} on '${table}'`);
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
  checkIdentifier(ref.table, 'table');
  return {
    kind: 'CreateForeignKey',
    ...ref,
    name: name == null ? conventionalName(convention, 'fk', { table: ref.table, columns: localColumns, referredTable }) : checkIdentifier(name, 'foreign key', `createForeignKey on '${ref.table}'`),
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
 * `DB` is the bind's database interface for `op.db` (default `any`): with a `types` file written by
 * `migrate codegen` (kysely-codegen's `DB`), `upgrade(op: Operations<Db2>)` type-checks the
 * revision's queries against that bind's tables and columns. The ops themselves take names as
 * strings either way (a revision creates tables the types do not know yet).
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
 * Typed with the bind's types (what `migrate codegen` writes to `binds.db2.types`, imported as
 * `import type { DB as Db2 } from '../../../src/db/db2-types.js'`):
 * ```ts
 * interface Db2 { Invoice: { InvoiceId: number; BillingCountry: string | null } }
 * export async function upgrade(op: Operations<Db2>): Promise<void> {
 *   await op.db.updateTable('Invoice').set({ BillingCountry: 'USA' }).where('BillingCountry', '=', 'United States').execute();
 * }
 * ```
 */
export class Operations<DB = any> {
  /**
   * Kysely on the revision's connection (inside its transaction), typed with `DB`. On MySQL/MariaDB
   * each write through it is recorded in the bind's progress table in its own transaction; when a
   * partly applied revision resumes, a write already applied is not sent again and returns no rows
   * (reads are always sent).
   */
  get db(): Kysely<DB> {
    if (typeof this.#db === 'function') this.#db = this.#db();
    return this.#db;
  }
  /** `db`, or the function that makes it on first use (see the constructor). */
  #db: Kysely<DB> | (() => Kysely<DB>);
  /** The bind this revision runs on. */
  readonly bind: string;
  /** The bind's dialect name (`'sqlite' | 'postgres' | 'mysql'`), for the rare dialect-specific branch. */
  readonly dialectName: string;
  /**
   * The run's extra arguments, Alembic's `-x`: `migrate -x tenant=acme upgrade` gives
   * `{ tenant: 'acme' }`; from code, the `xArgs` run option. Frozen; `{}` when none were given.
   * Online, offline (`--sql`) and in the TUI's preview alike.
   * @example
   * ```ts
   * export async function upgrade(op: Operations): Promise<void> {
   *   if (op.xArgs.seed === 'true') await op.bulkInsert('Genre', [{ GenreId: 1, Name: 'Rock' }]);
   * }
   * ```
   */
  readonly xArgs: Readonly<Record<string, string>>;
  readonly #runner: OpRunner;
  readonly #convention: NamingConvention;

  /**
   * @param options - `db`: the Kysely of {@link db}, or a function that makes it, called on the
   *   first read of `op.db` (compiling a revision without running it makes one per revision, and
   *   most revisions never read it); `bind`, `runner`, `namingConvention`, `xArgs` as the
   *   properties of the same names.
   */
  constructor(options: { db: Kysely<DB> | (() => Kysely<DB>); bind: string; runner: OpRunner; namingConvention: NamingConvention; xArgs?: Readonly<Record<string, string>> }) {
    this.#db = options.db;
    this.bind = options.bind;
    this.xArgs = Object.freeze({ ...options.xArgs });
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

  /**
   * Creates a table with its columns, keys, constraints and indexes. Unnamed constraints and
   * indexes get names from the naming convention; `name: null` on a constraint leaves it unnamed.
   * See {@link CreateTableOp} for what each dialect runs.
   * @param name - the table's name.
   * @param columns - at least one column; `nullable` defaults to true (false for a primary key
   *   column); `references: 'Table.Column'` declares a column-level foreign key.
   * @param options - table-level parts ({@link TableOptions}: `schema`, composite `primaryKey`,
   *   `foreignKeys`, `uniqueConstraints`, `checkConstraints`, `indexes`, `comment`, SQLite
   *   `strict`/`withoutRowid`) and `ifNotExists` (default `false`).
   * @returns resolves when the table has been created.
   * @throws {@link OperationError} (before anything runs) for an invalid name or type, no columns,
   *   or a column declared twice; `UnsupportedOperationError` for what the dialect cannot create
   *   (SQLite AUTOINCREMENT outside an integer primary key, MySQL deferrable keys).
   * @example
   * ```ts
   * await op.createTable('account', [
   *   { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
   *   { name: 'email', type: 'varchar(255)', nullable: false, unique: true },
   *   { name: 'owner_id', type: 'integer', references: 'user.id' },
   * ], { indexes: [{ columns: ['owner_id'] }] });
   * ```
   */
  createTable(name: string, columns: readonly ColumnInput[], options: TableOptions & { ifNotExists?: boolean } = {}): Promise<void> {
    const { ifNotExists, ...rest } = options;
    return this.#run({ kind: 'CreateTable', table: tableFromInput(name, columns, rest, this.#convention), ...(ifNotExists ? { ifNotExists } : {}) });
  }

  /**
   * Drops a table (`DROP TABLE`). Pass `existing` (its definition: a `TableSnapshot`, or the same
   * with type strings, see {@link TableSnapshotInput}) so the drop can be reversed; without it
   * `reverseOp` marks the drop irreversible.
   * @param name - the table's name.
   * @param options - `schema`; `existing`: the table as it was; `ifExists`: no error when the table
   *   is missing (default `false`).
   * @returns resolves when the table has been dropped.
   * @throws {@link OperationError} for an invalid name or an `existing` without a columns array.
   * @example
   * ```ts
   * await op.dropTable('account', {
   *   existing: { columns: [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'email', type: 'varchar(255)' }] },
   * });
   * ```
   */
  dropTable(name: string, options: SchemaOption & { existing?: TableSnapshotInput; ifExists?: boolean } = {}): Promise<void> {
    const { existing, ...rest } = options;
    checkIdentifier(name, 'table');
    return this.#run({ kind: 'DropTable', table: name, ...rest, ...(existing ? { existing: tableSnapshotFromInput(name, existing) } : {}) });
  }

  /**
   * Renames a table (`ALTER TABLE … RENAME TO`; MySQL `RENAME TABLE`). Reversible.
   * @param oldName - the table's current name.
   * @param newName - its new name (same schema).
   * @param options - `schema`.
   * @returns resolves when the table has been renamed.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * await op.renameTable('Invoice', 'Bill');
   * ```
   */
  renameTable(oldName: string, newName: string, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'RenameTable', table: checkIdentifier(oldName, 'table'), newName: checkIdentifier(newName, 'table'), ...options });
  }

  /**
   * Adds a column (`ALTER TABLE … ADD COLUMN`). On SQLite a column that ADD COLUMN cannot add
   * (PRIMARY KEY, UNIQUE, NOT NULL without a default, a non-constant default) is added by a batch
   * rebuild instead. Reversible: the downgrade drops it.
   * @param table - the table.
   * @param column - the column: name, type string (`'varchar(3)'`, `'numeric(10,2)'`…), `nullable`
   *   (default true), `default`, key flags, `references`.
   * @param options - `schema`.
   * @returns resolves when the column has been added.
   * @throws {@link OperationError} for an invalid name, type or reference.
   * @example
   * ```ts
   * await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' });
   * ```
   */
  addColumn(table: string, column: ColumnInput, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'AddColumn', table: checkIdentifier(table, 'table'), ...options, column: columnFromInput(column) });
  }

  /**
   * Drops a column (`ALTER TABLE … DROP COLUMN`; on SQLite a batch rebuild when a key, constraint,
   * index, trigger or view uses the column). `existing` (at least its type) makes the drop
   * reversible: the downgrade adds the column back as it was (its data is not restored).
   * @param table - the table.
   * @param column - the column to drop.
   * @param options - `schema`; `existing`: the column as it was ({@link DroppedColumnInput}).
   * @returns resolves when the column has been dropped.
   * @throws {@link OperationError} for an invalid name or `existing.type`.
   * @example
   * ```ts
   * await op.dropColumn('Invoice', 'Currency', { existing: { type: 'varchar(3)', nullable: true } });
   * ```
   */
  dropColumn(table: string, column: string, options: SchemaOption & { existing?: DroppedColumnInput } = {}): Promise<void> {
    const { existing, ...ref } = options;
    return this.#run(buildDropColumn({ table: checkIdentifier(table, 'table'), ...ref }, column, existing));
  }

  /**
   * Alters a column's type, nullability, default, comment or name (see {@link AlterColumnOp} for
   * each dialect's statements: PostgreSQL `ALTER COLUMN`, MySQL `MODIFY COLUMN` restating the
   * column, SQLite a batch rebuild). Give `existing` with what changes, so the downgrade can undo
   * it and MySQL can restate the column offline.
   * @param table - the table.
   * @param column - the column's current name.
   * @param options - `type`, `nullable`, `default` (`null` drops it), `comment` (`null` removes
   *   it), `newName`, `existing`, `schema`; at least one change.
   * @returns resolves when the column has been altered.
   * @throws {@link OperationError} when nothing changes or for an invalid name or type;
   *   `SchemaUnknownError` on MySQL when the current type or nullability is needed and neither the
   *   database (offline) nor `existing` gives it.
   * @example
   * ```ts
   * await op.alterColumn('Invoice', 'Total', {
   *   type: 'numeric(12,2)',
   *   nullable: false,
   *   existing: { type: 'numeric(10,2)', nullable: true },
   * });
   * ```
   */
  alterColumn(table: string, column: string, options: AlterColumnOptions): Promise<void> {
    const { schema, ...changes } = options;
    checkIdentifier(table, 'table');
    return this.#run(buildAlterColumn(schema === undefined ? { table } : { table, schema }, column, changes));
  }

  /**
   * Renames a column (`ALTER TABLE … RENAME COLUMN`). Reversible.
   * @param table - the table.
   * @param oldName - the column's current name.
   * @param newName - its new name.
   * @param options - `schema`.
   * @returns resolves when the column has been renamed.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * await op.renameColumn('Customer', 'SupportRepId', 'SupportRepresentativeId');
   * ```
   */
  renameColumn(table: string, oldName: string, newName: string, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'RenameColumn', table: checkIdentifier(table, 'table'), ...options, column: checkIdentifier(oldName, 'column'), newName: checkIdentifier(newName, 'column') });
  }

  /**
   * Creates an index (`CREATE [UNIQUE] INDEX`). Reversible: the downgrade drops it.
   * @param name - the index's name; `null` names it from the convention's `ix` template (an
   *   expression counts as `expr`).
   * @param table - the table.
   * @param columns - column names, or `{ sql }` entries for an expression index.
   * @param options - `unique`, `where` (partial index; not on MySQL), `method` (PostgreSQL `gin`…,
   *   MySQL `fulltext`/`spatial`), `ifNotExists`, `schema`.
   * @returns resolves when the index has been created.
   * @throws {@link OperationError} for an empty column list or an invalid name (the index's or the table's);
   *   `UnsupportedOperationError` for what the dialect lacks (a partial index on MySQL, a method on
   *   SQLite).
   * @example
   * ```ts
   * await op.createIndex(null, 'Track', ['AlbumId', 'Name'], { unique: true });
   * await op.createIndex('ix_Customer_email_lower', 'Customer', [{ sql: 'lower("Email")' }]);
   * ```
   */
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

  /**
   * Drops an index (`DROP INDEX`). MySQL/MariaDB need the index's `table`; `existing` (and `table`)
   * make the drop reversible.
   * @param name - the index's name.
   * @param options - `table`: the index's table (required on MySQL/MariaDB and to reverse the
   *   drop); `existing`: the index as it was; `schema`.
   * @returns resolves when the index has been dropped.
   * @throws {@link OperationError} for an invalid name, or on MySQL/MariaDB without `table`.
   * @example
   * ```ts
   * await op.dropIndex('ix_Track_AlbumId', {
   *   table: 'Track',
   *   existing: { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: false },
   * });
   * ```
   */
  dropIndex(name: string, options: SchemaOption & { table?: string; existing?: IndexSnapshot } = {}): Promise<void> {
    const { table, ...rest } = options;
    return this.#run({ kind: 'DropIndex', table: table ?? '', name: checkIdentifier(name, 'index'), ...rest });
  }

  /**
   * Renames an index, keeping its definition: PostgreSQL `ALTER INDEX … RENAME TO`, MySQL/MariaDB
   * `ALTER TABLE … RENAME INDEX` (MySQL 5.7+, MariaDB 10.5.2+), SQLite `DROP INDEX` then `CREATE
   * INDEX` of the same definition under the new name. Reversible: the downgrade renames it back.
   * @param table - the index's table.
   * @param oldName - the index's current name.
   * @param newName - its new name.
   * @param options - `schema`; `existing`: the index's definition without its name (`{ columns,
   *   unique, where?, method? }`), which SQLite needs offline (`--sql`) when the script did not
   *   create the table; online SQLite reads it from the database.
   * @returns resolves when the index has been renamed.
   * @throws {@link OperationError} for an invalid name; on SQLite, `OperationError` when the table
   *   has no such index and `SchemaUnknownError` offline when neither the script nor `existing`
   *   gives the index's definition.
   * @example
   * ```ts
   * await op.renameIndex('Invoice', 'ix_Invoice_Total', 'ix_Invoice_Amount');
   * await op.renameIndex('Invoice', 'ix_Invoice_Total', 'ix_Invoice_Amount', {
   *   existing: { columns: ['Amount'], unique: false },
   * });
   * ```
   */
  renameIndex(table: string, oldName: string, newName: string, options: SchemaOption & { existing?: Omit<IndexSnapshot, 'name'> } = {}): Promise<void> {
    const { existing, ...ref } = options;
    return this.#run(buildRenameIndex({ table: checkIdentifier(table, 'table'), ...ref }, oldName, newName, existing));
  }

  /**
   * Adds a unique constraint (`ALTER TABLE … ADD CONSTRAINT … UNIQUE`; SQLite: a batch rebuild).
   * Reversible.
   * @param name - the constraint's name; `null` names it from the convention's `uq` template.
   * @param table - the table.
   * @param columns - the constrained columns.
   * @param options - `schema`.
   * @returns resolves when the constraint has been added.
   * @throws {@link OperationError} for an invalid name (the constraint's or the table's).
   * @example
   * ```ts
   * await op.createUniqueConstraint(null, 'Customer', ['Email']);
   * ```
   */
  createUniqueConstraint(name: string | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'CreateUniqueConstraint', table: checkIdentifier(table, 'table'), ...options, name: constraintName(this.#convention, 'uq', 'createUniqueConstraint', table, name, columns), columns: [...columns] });
  }

  /**
   * Adds a check constraint (`ALTER TABLE … ADD CONSTRAINT … CHECK (…)`; SQLite: a batch rebuild).
   * Reversible.
   * @param name - the constraint's name; `null` names it from the convention's `ck` template and
   *   the expression.
   * @param table - the table.
   * @param expression - the boolean SQL expression, without `CHECK (…)`, written as is.
   * @param options - `schema`.
   * @returns resolves when the constraint has been added.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * await op.createCheckConstraint('ck_Invoice_total', 'Invoice', '"Total" >= 0');
   * ```
   */
  createCheckConstraint(name: string | null, table: string, expression: string, options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'CreateCheckConstraint', table: checkIdentifier(table, 'table'), ...options, name: checkConstraintName(this.#convention, table, name === null ? null : checkIdentifier(name, 'check constraint', `createCheckConstraint on '${table}'`), expression), expression });
  }

  /**
   * Adds a foreign key (`ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … REFERENCES`; SQLite: a batch
   * rebuild). Reversible.
   * @param name - the constraint's name; `null` names it from the convention's `fk` template.
   * @param sourceTable - the referencing table.
   * @param referredTable - the referenced table.
   * @param localColumns - the referencing columns.
   * @param remoteColumns - the referenced columns, as many as `localColumns`.
   * @param options - `onDelete`, `onUpdate`, `referredSchema`, `deferrable`, `initiallyDeferred`
   *   (not on MySQL), `schema`.
   * @returns resolves when the key has been added.
   * @throws {@link OperationError} when the column lists are empty or differ in length, or for an
   *   invalid name (the key's or the referred table's).
   * @example
   * ```ts
   * await op.createForeignKey(null, 'Invoice', 'Customer', ['CustomerId'], ['CustomerId'], { onDelete: 'cascade' });
   * ```
   */
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

  /**
   * Adds a primary key (PostgreSQL `ADD CONSTRAINT … PRIMARY KEY`, MySQL `ADD PRIMARY KEY`; SQLite:
   * a batch rebuild). Reversible.
   * @param name - the constraint's name; `null` names it from the convention's `pk` template (MySQL
   *   names every key `PRIMARY`).
   * @param table - the table.
   * @param columns - the key's columns, in order.
   * @param options - `schema`.
   * @returns resolves when the key has been added.
   * @throws {@link OperationError} for an invalid name (the key's or the table's).
   * @example
   * ```ts
   * await op.createPrimaryKey(null, 'PlaylistTrack', ['PlaylistId', 'TrackId']);
   * ```
   */
  createPrimaryKey(name: string | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    return this.#run({ kind: 'CreatePrimaryKey', table: checkIdentifier(table, 'table'), ...options, name: constraintName(this.#convention, 'pk', 'createPrimaryKey', table, name, columns), columns: [...columns] });
  }

  /**
   * Drops a named constraint. `type` is required (MySQL drops each kind with its own clause);
   * `existing` makes the drop reversible. SQLite: a batch rebuild.
   * @param name - the constraint's name.
   * @param table - the table.
   * @param options - `type`: `'unique' | 'check' | 'foreignkey' | 'primary'`; `existing`: the
   *   constraint as it was ({@link ExistingConstraint}); `schema`.
   * @returns resolves when the constraint has been dropped.
   * @throws {@link OperationError} for a missing or unknown `type`, or an invalid name.
   * @example
   * ```ts
   * await op.dropConstraint('fk_Invoice_CustomerId_Customer', 'Invoice', {
   *   type: 'foreignkey',
   *   existing: { type: 'foreignkey', columns: ['CustomerId'], referredTable: 'Customer', referredColumns: ['CustomerId'] },
   * });
   * ```
   */
  dropConstraint(name: string, table: string, options: SchemaOption & { type: ConstraintType; existing?: ExistingConstraint }): Promise<void> {
    const { schema, ...rest } = options ?? {};
    checkIdentifier(table, 'table');
    return this.#run(buildDropConstraint(schema === undefined ? { table } : { table, schema }, name, rest as { type: ConstraintType; existing?: ExistingConstraint }));
  }

  /**
   * Groups alterations of one table (Alembic's `batch_alter_table`). On SQLite, what ALTER cannot
   * do runs as one move-and-copy rebuild that keeps every row (DESIGN §7), and ALTERs SQLite can do
   * run as they are (`recreate: 'auto'`); elsewhere the same block runs as ordinary ALTERs, in
   * order.
   * @param table - the table.
   * @param build - called at once with a {@link BatchOperations} builder; its calls are collected,
   *   nothing runs until it returns.
   * @param options - `recreate` (`'auto'` default, `'always'`, `'never'`), `copyFrom` (the table's
   *   shape, for offline mode), `partialReordering` (column order of a rebuild), `schema`.
   * @returns resolves when the batch has run.
   * @throws (as a rejection) what `build` throws; {@link OperationError} for an invalid argument;
   *   `UnsupportedOperationError` with `recreate: 'never'` when a rebuild is needed;
   *   `SchemaUnknownError` when a rebuild needs the table's shape and nothing gives it (offline
   *   without `copyFrom`).
   * @example
   * ```ts
   * await op.batchAlterTable('Invoice', (batch) => {
   *   batch.alterColumn('Total', { type: 'numeric(12,2)', existing: { type: 'numeric(10,2)', nullable: false } });
   *   batch.dropColumn('Legacy', { existing: { type: 'text' } });
   * });
   * ```
   */
  async batchAlterTable(table: string, build: (batch: BatchOperations) => void, options: BatchAlterTableOptions = {}): Promise<void> {
    const { schema, copyFrom, ...rest } = options;
    const batch = new BatchOperations(checkIdentifier(table, 'table'), schema, this.#convention);
    build(batch);
    const batchOptions: BatchOptions = copyFrom ? { ...rest, copyFrom: tableSnapshotFromInput(table, copyFrom) } : rest;
    await this.#run({ kind: 'BatchAlterTable', table, ...(schema === undefined ? {} : { schema }), ops: batch.ops, options: batchOptions });
  }

  /**
   * Creates a PostgreSQL enum type (`CREATE TYPE … AS ENUM (…)`); a no-op on dialects without enum
   * types (their columns carry the members, see `enumType`). Reversible.
   * @param name - the type's name.
   * @param values - its members, in order.
   * @param options - `schema`.
   * @returns resolves when the type has been created.
   * @throws {@link OperationError} for an invalid name or no members.
   * @example
   * ```ts
   * await op.createEnum('mood', ['sad', 'ok', 'happy']);
   * ```
   */
  createEnum(name: string, values: readonly string[], options: SchemaOption = {}): Promise<void> {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
      throw new OperationError(`createEnum('${name}') needs at least one member, each a string.`);
    }
    return this.#run({ kind: 'CreateEnum', name: checkIdentifier(name, 'enum'), ...options, values: [...values] });
  }

  /**
   * Drops a PostgreSQL enum type (`DROP TYPE`); a no-op elsewhere. `existing.values` makes the drop
   * reversible.
   * @param name - the type's name.
   * @param options - `existing`: `{ values }`, the members it had; `schema`.
   * @returns resolves when the type has been dropped.
   * @throws {@link OperationError} for an invalid name.
   * @example
   * ```ts
   * await op.dropEnum('mood', { existing: { values: ['sad', 'ok', 'happy'] } });
   * ```
   */
  dropEnum(name: string, options: SchemaOption & { existing?: { values: readonly string[] } } = {}): Promise<void> {
    return this.#run({ kind: 'DropEnum', name: checkIdentifier(name, 'enum'), ...options });
  }

  /**
   * Adds a member to a PostgreSQL enum type (`ALTER TYPE … ADD VALUE`), last or `before`/`after` a
   * member. PostgreSQL cannot remove one again: the op is irreversible. A no-op elsewhere.
   * @param name - the type's name.
   * @param value - the new member.
   * @param options - `before` or `after`: the member to place it next to; `schema`.
   * @returns resolves when the member has been added.
   * @throws {@link OperationError} for an invalid name or a member that is not a string.
   * @example
   * ```ts
   * await op.addEnumValue('mood', 'ecstatic', { after: 'happy' });
   * ```
   */
  addEnumValue(name: string, value: string, options: SchemaOption & { before?: string; after?: string } = {}): Promise<void> {
    if (typeof value !== 'string') throw new OperationError(`addEnumValue('${name}') needs a string member.`);
    return this.#run({ kind: 'AddEnumValue', name: checkIdentifier(name, 'enum'), value, ...options });
  }

  /**
   * Sets a table's comment (`null` removes it): PostgreSQL `COMMENT ON TABLE`, MySQL
   * `ALTER TABLE … COMMENT =`, nothing on SQLite. `existing` (the comment before) makes it
   * reversible; without it the downgrade removes the comment.
   * @param table - the table.
   * @param comment - the new comment, or `null`.
   * @param options - `existing`: the comment before (`null`: none); `schema`.
   * @returns resolves when the comment has been set.
   * @throws {@link OperationError} for an invalid table name.
   * @example
   * ```ts
   * await op.alterTableComment('Invoice', 'One row per sale', { existing: null });
   * ```
   */
  alterTableComment(table: string, comment: string | null, options: SchemaOption & { existing?: string | null } = {}): Promise<void> {
    return this.#run({ kind: 'AlterTableComment', table: checkIdentifier(table, 'table'), ...options, comment });
  }

  /**
   * Runs one SQL statement as written (DESIGN §7: one statement per call), with optional parameters
   * bound to its placeholders (`?` on SQLite and MySQL, `$1` on PostgreSQL). Irreversible: write
   * its inverse in `downgrade` yourself.
   * @param sql - one statement.
   * @param parameters - values for the placeholders, in order (default none).
   * @returns resolves when the statement has run.
   * @throws {@link OperationError} for an empty statement; the driver's error when it fails (the
   *   runner wraps it in a `MigrationError`).
   * @example
   * ```ts
   * await op.execute('UPDATE "Invoice" SET "Currency" = ? WHERE "Currency" IS NULL', ['USD']);
   * ```
   */
  execute(sql: string, parameters: readonly unknown[] = []): Promise<void> {
    if (typeof sql !== 'string' || !sql.trim()) throw new OperationError('execute() needs one SQL statement.');
    return this.#run({ kind: 'Execute', sql, parameters });
  }

  /**
   * Inserts rows with bound parameters, grouped by their set of keys and chunked under the
   * dialect's parameter limit (SQLite 32,766; PostgreSQL and MySQL 65,535). Irreversible.
   * @param table - the table.
   * @param rows - plain objects, column name to value; an empty array does nothing.
   * @param options - `schema`.
   * @returns resolves when every row has been inserted.
   * @throws {@link OperationError} when `rows` is not an array or the table name is invalid.
   * @example
   * ```ts
   * await op.bulkInsert('Genre', [
   *   { GenreId: 1, Name: 'Rock' },
   *   { GenreId: 2, Name: 'Jazz' },
   * ]);
   * ```
   */
  bulkInsert(table: string, rows: readonly Readonly<Record<string, unknown>>[], options: SchemaOption = {}): Promise<void> {
    if (!Array.isArray(rows)) throw new OperationError(`bulkInsert('${table}') needs an array of rows.`);
    if (rows.length === 0) return Promise.resolve();
    return this.#run({ kind: 'BulkInsert', table: checkIdentifier(table, 'table'), ...options, rows });
  }

  /**
   * Renders a value as an inline SQL literal for the bind's dialect (`'O''Reilly'`, `NULL`, `42`),
   * for SQL that cannot take parameters.
   * @param value - a string, number, bigint, boolean, `null`/`undefined` (`NULL`), `Date` (its
   *   ISO-8601 string), `Uint8Array` (the dialect's bytes literal), or a plain object or array (its
   *   JSON text).
   * @returns the literal's SQL text.
   * @throws {@link OperationError} for a value with no literal (`NaN`, `Infinity`, an invalid
   *   `Date`, a function, a symbol).
   * @example
   * ```ts
   * await op.execute(`CREATE VIEW "rock" AS SELECT * FROM "Track" WHERE "Name" <> ${op.inlineLiteral("Rock 'n' Roll")}`);
   * ```
   */
  inlineLiteral(value: unknown): string {
    return this.#runner.dialect.inlineLiteral(value);
  }
}
