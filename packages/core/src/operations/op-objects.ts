import type { ColumnType } from '../schema/column-type.js';
import type {
  CheckConstraintSnapshot,
  ColumnSnapshot,
  DefaultValue,
  ForeignKeySnapshot,
  IndexSnapshot,
  ReferentialAction,
  TableSnapshot,
} from '../schema/table-snapshot.js';

/**
 * Op objects: readonly plain data with a `kind` discriminant (DESIGN §6). `op.*` builds them;
 * a dialect compiles them to statements; `reverseOp` derives the downgrade; autogenerate renders
 * them to source. Each function keyed by `kind` uses an exhaustive table, so a new kind is a
 * compile error until every table handles it.
 */

/** Where a table lives: the table name and, on PostgreSQL, an optional schema. */
interface TableRef {
  readonly table: string;
  readonly schema?: string;
}

export interface CreateTableOp {
  readonly kind: 'CreateTable';
  readonly table: TableSnapshot;
  readonly ifNotExists?: boolean;
}

export interface DropTableOp extends TableRef {
  readonly kind: 'DropTable';
  /** The table as it was, so the drop can be reversed. */
  readonly existing?: TableSnapshot;
  readonly ifExists?: boolean;
}

export interface RenameTableOp extends TableRef {
  readonly kind: 'RenameTable';
  readonly newName: string;
}

export interface AddColumnOp extends TableRef {
  readonly kind: 'AddColumn';
  readonly column: ColumnSnapshot;
}

export interface DropColumnOp extends TableRef {
  readonly kind: 'DropColumn';
  readonly column: string;
  /** The column as it was (at least its type), so the drop can be reversed. */
  readonly existing?: Omit<ColumnSnapshot, 'name'>;
}

/** Changes of an `alterColumn`. A field left out is unchanged. `default: null` drops the default. */
export interface ColumnChanges {
  readonly type?: ColumnType;
  readonly nullable?: boolean;
  /** `undefined`: unchanged. `null`: DROP DEFAULT. */
  readonly default?: DefaultValue;
  readonly comment?: string | null;
  readonly newName?: string;
}

/** What the column was before an alter: MySQL restates the column from it; `reverseOp` needs it. */
export interface ExistingColumn {
  readonly type?: ColumnType;
  readonly nullable?: boolean;
  readonly default?: DefaultValue;
  readonly comment?: string | null;
  readonly autoincrement?: boolean;
  /** MySQL/MariaDB `ON UPDATE` expression (e.g. `CURRENT_TIMESTAMP`): MODIFY COLUMN keeps it. */
  readonly onUpdate?: string;
  /** The column's collation when not the table's default: MODIFY COLUMN keeps it. */
  readonly collation?: string;
}

export interface AlterColumnOp extends TableRef {
  readonly kind: 'AlterColumn';
  readonly column: string;
  readonly changes: ColumnChanges;
  readonly existing: ExistingColumn;
}

export interface RenameColumnOp extends TableRef {
  readonly kind: 'RenameColumn';
  readonly column: string;
  readonly newName: string;
}

export interface CreateIndexOp extends TableRef {
  readonly kind: 'CreateIndex';
  readonly index: IndexSnapshot;
  readonly ifNotExists?: boolean;
}

export interface DropIndexOp extends TableRef {
  readonly kind: 'DropIndex';
  readonly name: string;
  /** The index as it was, so the drop can be reversed. */
  readonly existing?: IndexSnapshot;
}

export interface CreateUniqueConstraintOp extends TableRef {
  readonly kind: 'CreateUniqueConstraint';
  readonly name: string;
  readonly columns: readonly string[];
}

export interface CreateCheckConstraintOp extends TableRef {
  readonly kind: 'CreateCheckConstraint';
  readonly name: string;
  readonly expression: string;
}

export interface CreateForeignKeyOp extends TableRef {
  readonly kind: 'CreateForeignKey';
  readonly name: string;
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

export interface CreatePrimaryKeyOp extends TableRef {
  readonly kind: 'CreatePrimaryKey';
  readonly name: string;
  readonly columns: readonly string[];
}

/** Constraint type of a `dropConstraint` (Alembic's `type_`). */
export type ConstraintType = 'unique' | 'check' | 'foreignkey' | 'primary';

/** The constraint as it was, so a drop can be reversed (shape per `type`). */
export type ExistingConstraint =
  | { readonly type: 'unique'; readonly columns: readonly string[] }
  | { readonly type: 'check'; readonly expression: string }
  | ({ readonly type: 'foreignkey' } & Omit<ForeignKeySnapshot, 'name'>)
  | { readonly type: 'primary'; readonly columns: readonly string[] };

export interface DropConstraintOp extends TableRef {
  readonly kind: 'DropConstraint';
  readonly name: string;
  readonly type: ConstraintType;
  readonly existing?: ExistingConstraint;
}

/** Options of `batchAlterTable` (DESIGN §6, SQLite move-and-copy). */
export interface BatchOptions {
  /** `'auto'` (default): rebuild only when SQLite cannot ALTER natively. */
  readonly recreate?: 'auto' | 'always' | 'never';
  /** The table's shape, to compile a rebuild without reading the database (offline mode). */
  readonly copyFrom?: TableSnapshot;
  /** Column order of the rebuilt table, as pairs or a full list. */
  readonly partialReordering?: readonly (readonly string[])[];
}

/** Ops allowed inside a batch block (all on the batch's table). */
export type BatchInnerOp =
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | RenameColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreateForeignKeyOp
  | CreatePrimaryKeyOp
  | DropConstraintOp;

export interface BatchAlterTableOp extends TableRef {
  readonly kind: 'BatchAlterTable';
  readonly ops: readonly BatchInnerOp[];
  readonly options: BatchOptions;
}

/** One SQL statement, run as written (DESIGN §7: one statement per call). */
export interface ExecuteOp {
  readonly kind: 'Execute';
  readonly sql: string;
  readonly parameters?: readonly unknown[];
}

export interface BulkInsertOp extends TableRef {
  readonly kind: 'BulkInsert';
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Creates a PostgreSQL enum type (`CREATE TYPE name AS ENUM (…)`). Other dialects have no enum
 * objects: they compile it to nothing (their columns carry the members inline).
 */
export interface CreateEnumOp {
  readonly kind: 'CreateEnum';
  readonly name: string;
  readonly schema?: string;
  readonly values: readonly string[];
}

/** Drops a PostgreSQL enum type; `existing` (its members) makes the drop reversible. */
export interface DropEnumOp {
  readonly kind: 'DropEnum';
  readonly name: string;
  readonly schema?: string;
  readonly existing?: { readonly values: readonly string[] };
}

/**
 * Adds a member to a PostgreSQL enum type (`ALTER TYPE … ADD VALUE`). Not reversible: PostgreSQL
 * cannot remove a member.
 */
export interface AddEnumValueOp {
  readonly kind: 'AddEnumValue';
  readonly name: string;
  readonly schema?: string;
  readonly value: string;
  /** Place it before this member (else after `after`, else last). */
  readonly before?: string;
  readonly after?: string;
}

/** Sets or removes (`comment: null`) a table's comment; `existing` makes it reversible. */
export interface AlterTableCommentOp extends TableRef {
  readonly kind: 'AlterTableComment';
  readonly comment: string | null;
  /** The comment before (`null`: none). Omitted: unknown, so the reverse removes the comment. */
  readonly existing?: string | null;
}

/** Every op a revision can run. */
export type Op =
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | RenameColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreateForeignKeyOp
  | CreatePrimaryKeyOp
  | DropConstraintOp
  | BatchAlterTableOp
  | ExecuteOp
  | BulkInsertOp
  | CreateEnumOp
  | DropEnumOp
  | AddEnumValueOp
  | AlterTableCommentOp;

/** Every op kind. */
export type OpKind = Op['kind'];

/** The op of a given kind. */
export type OpOfKind<K extends OpKind> = Extract<Op, { kind: K }>;

/** A table keyed by every op kind: the compiler reports a missing kind. */
export type OpTable<R> = { readonly [K in OpKind]: (op: OpOfKind<K>) => R };

/** Dispatches an op to the handler of its kind in an exhaustive {@link OpTable}. */
export function dispatchOp<R>(table: OpTable<R>, op: Op): R {
  return (table[op.kind] as (o: Op) => R)(op);
}

/** Where `reverseOp` cannot derive the inverse: the op and why (rendered as a comment/throw). */
export interface IrreversibleOp {
  readonly kind: 'Irreversible';
  readonly op: Op;
  readonly reason: string;
}

export type { CheckConstraintSnapshot };
