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
export interface TableRef {
  /** The table the op acts on, by name as written (case kept). */
  readonly table: string;
  /**
   * The table's schema (PostgreSQL; a MySQL database; a SQLite attached database). Omitted: the
   * bind's default schema.
   */
  readonly schema?: string;
}

/**
 * Creates a table (`op.createTable`), with its constraints and indexes.
 * - SQLite: `CREATE TABLE` (table-level constraints, `STRICT`, `WITHOUT ROWID`), then one
 *   `CREATE INDEX` per index; comments are not kept.
 * - PostgreSQL: `CREATE TABLE`, one `CREATE INDEX` per index, then `COMMENT ON TABLE/COLUMN`.
 * - MySQL/MariaDB: one `CREATE TABLE … ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` with its indexes and
 *   comments inline.
 *
 * `reverseOp` gives a {@link DropTableOp} whose `existing` is this table, so the downgrade can
 * create it again.
 */
export interface CreateTableOp {
  /** The discriminant: `'CreateTable'`. */
  readonly kind: 'CreateTable';
  /**
   * The whole table: name, schema, columns, keys, constraints and indexes (every constraint already
   * named, see `tableFromInput`).
   */
  readonly table: TableSnapshot;
  /** Write `CREATE TABLE IF NOT EXISTS` (and `IF NOT EXISTS` on its indexes). Default `false`. */
  readonly ifNotExists?: boolean;
}

/**
 * Drops a table (`op.dropTable`): `DROP TABLE [IF EXISTS]` on every dialect. `reverseOp` gives a
 * {@link CreateTableOp} of `existing`, or an {@link IrreversibleOp} without it.
 */
export interface DropTableOp extends TableRef {
  /** The discriminant: `'DropTable'`. */
  readonly kind: 'DropTable';
  /** The table as it was, so the drop can be reversed. */
  readonly existing?: TableSnapshot;
  /** Write `DROP TABLE IF EXISTS` (no error when the table is missing). Default `false`. */
  readonly ifExists?: boolean;
}

/**
 * Renames a table (`op.renameTable`). SQLite and PostgreSQL: `ALTER TABLE … RENAME TO`;
 * MySQL/MariaDB: `RENAME TABLE … TO …` (in the same database). `reverseOp` renames it back.
 */
export interface RenameTableOp extends TableRef {
  /** The discriminant: `'RenameTable'`. */
  readonly kind: 'RenameTable';
  /** The table's new name (same schema). */
  readonly newName: string;
}

/**
 * Adds a column (`op.addColumn`).
 * - SQLite: `ALTER TABLE … ADD COLUMN` when SQLite allows it, else a batch rebuild (a PRIMARY KEY
 *   or UNIQUE column, a STORED generated column, NOT NULL without a non-NULL default, a
 *   non-constant default).
 * - PostgreSQL: `ALTER TABLE … ADD COLUMN` (its key, unique and reference named by the convention),
 *   then `COMMENT ON COLUMN`.
 * - MySQL/MariaDB: one `ALTER TABLE … ADD COLUMN …`, with `ADD CONSTRAINT … UNIQUE` and
 *   `ADD CONSTRAINT … FOREIGN KEY` clauses for a unique or referencing column.
 *
 * `reverseOp` gives a {@link DropColumnOp} whose `existing` is the whole column.
 */
export interface AddColumnOp extends TableRef {
  /** The discriminant: `'AddColumn'`. */
  readonly kind: 'AddColumn';
  /** The column to add, parsed (`columnFromInput`). */
  readonly column: ColumnSnapshot;
}

/**
 * Drops a column (`op.dropColumn`). SQLite: `ALTER TABLE … DROP COLUMN` when nothing depends on the
 * column, else a batch rebuild; PostgreSQL and MySQL/MariaDB: `ALTER TABLE … DROP COLUMN`.
 * `reverseOp` gives an {@link AddColumnOp} when `existing.type` is known, else an
 * {@link IrreversibleOp}.
 */
export interface DropColumnOp extends TableRef {
  /** The discriminant: `'DropColumn'`. */
  readonly kind: 'DropColumn';
  /** The name of the column to drop. */
  readonly column: string;
  /** The column as it was (at least its type), so the drop can be reversed. */
  readonly existing?: Omit<ColumnSnapshot, 'name'>;
}

/** Changes of an `alterColumn`. A field left out is unchanged. `default: null` drops the default. */
export interface ColumnChanges {
  /** The new type (parsed); PostgreSQL converts with `USING "c"::type`. */
  readonly type?: ColumnType;
  /** `true`: allow NULL; `false`: NOT NULL. */
  readonly nullable?: boolean;
  /** `undefined`: unchanged. `null`: DROP DEFAULT. */
  readonly default?: DefaultValue;
  /** The new comment; `null` removes it. Not kept on SQLite. */
  readonly comment?: string | null;
  /** Renames the column (after the other changes, on every dialect). */
  readonly newName?: string;
  /**
   * How an identity column generates its values (PostgreSQL: `ALTER COLUMN … SET GENERATED ALWAYS`
   * / `SET GENERATED BY DEFAULT`; see `ColumnSnapshot.autoincrement`). Other dialects have no
   * such distinction: nothing to do.
   */
  readonly identity?: 'always' | 'by-default';
  /**
   * PostgreSQL: turns an identity column back into a serial column drawing from this sequence
   * (created in the table's schema, owned by the column, its next value after the column's
   * largest): the reverse of an `identity` change on a serial column (`existing.serialSequence`).
   * Nothing on other dialects. Not together with `identity`.
   */
  readonly serial?: string;
  /**
   * The new MySQL/MariaDB `ON UPDATE` expression (`'CURRENT_TIMESTAMP'`); `null` removes it.
   * PostgreSQL and SQLite have none: a new one is refused there, `null` is nothing to do.
   */
  readonly onUpdate?: string | null;
  /**
   * The column's new collation (`'C'`, `'utf8mb4_bin'`, `'NOCASE'`); `null`: back to the default
   * (the type's on PostgreSQL, the table's on MySQL, BINARY on SQLite).
   */
  readonly collation?: string | null;
}

/** What the column was before an alter: MySQL restates the column from it; `reverseOp` needs it. */
export interface ExistingColumn {
  /**
   * The type before the change. Needed by MySQL to restate the column offline, and by `reverseOp`
   * when `changes.type` is set.
   */
  readonly type?: ColumnType;
  /**
   * Whether the column allowed NULL before. Needed by MySQL to restate the column offline, and by
   * `reverseOp` when `changes.nullable` is set.
   */
  readonly nullable?: boolean;
  /**
   * The default before (omitted: none). Reversing a default change restores it, or drops the
   * default when it is omitted.
   */
  readonly default?: DefaultValue;
  /** The comment before (`null`: none). Needed by `reverseOp` when `changes.comment` is set. */
  readonly comment?: string | null;
  /**
   * Whether the column is auto-increment (`'always'`: PostgreSQL `GENERATED ALWAYS AS IDENTITY`):
   * MySQL's MODIFY COLUMN keeps `AUTO_INCREMENT` from it; `reverseOp` needs it to undo an
   * `identity` change.
   */
  readonly autoincrement?: boolean | 'always';
  /**
   * PostgreSQL: the column is a serial column, not an identity column: its default is `nextval`
   * on this sequence (in the table's schema), which the column owns (`ColumnSnapshot.serialSequence`).
   * An `identity` change then drops the default and the sequence and adds the identity, its next
   * value after the column's largest (PostgreSQL cannot `SET GENERATED` on a serial column);
   * `reverseOp` turns it back into this serial (`changes.serial`).
   */
  readonly serialSequence?: string;
  /** MySQL/MariaDB `ON UPDATE` expression (e.g. `CURRENT_TIMESTAMP`): MODIFY COLUMN keeps it. */
  readonly onUpdate?: string;
  /** The column's collation when not the table's default: MODIFY COLUMN keeps it. */
  readonly collation?: string;
  /**
   * MySQL/MariaDB: the column's generation expression (`GENERATED ALWAYS AS (…) STORED|VIRTUAL`):
   * MODIFY COLUMN restates it (without it, a STORED generated column silently becomes a plain
   * column). Online it is read from the database; offline it comes only from here.
   */
  readonly generated?: { readonly sql: string; readonly stored: boolean };
}

/**
 * Alters a column's type, nullability, default, comment or name (`op.alterColumn`).
 * - SQLite: a rename alone is `ALTER TABLE … RENAME COLUMN` and a comment alone compiles to
 *   nothing; any other change is a batch rebuild.
 * - PostgreSQL: one `ALTER TABLE … ALTER COLUMN` statement per change (`TYPE … USING`,
 *   `SET/DROP NOT NULL`, `SET/DROP DEFAULT`), `COMMENT ON COLUMN`, then `RENAME COLUMN`.
 * - MySQL/MariaDB: `ALTER COLUMN … SET/DROP DEFAULT` and `RENAME COLUMN` when only those change;
 *   otherwise `MODIFY COLUMN` (or `CHANGE COLUMN` with a rename) restating the whole column from
 *   the live table online, or from `existing` offline.
 *
 * `reverseOp` swaps `changes` and `existing`; it gives an {@link IrreversibleOp} when a changed
 * type, nullability or comment has no `existing` value.
 */
export interface AlterColumnOp extends TableRef {
  /** The discriminant: `'AlterColumn'`. */
  readonly kind: 'AlterColumn';
  /** The column's current name. */
  readonly column: string;
  /** What changes (at least one field; `op.alterColumn` refuses an empty change). */
  readonly changes: ColumnChanges;
  /** The column before the change, as far as the revision states it (`{}` when unknown). */
  readonly existing: ExistingColumn;
}

/**
 * Renames a column (`op.renameColumn`): `ALTER TABLE … RENAME COLUMN … TO …` on every dialect
 * (MySQL 8.0+, MariaDB 10.5+). `reverseOp` renames it back.
 */
export interface RenameColumnOp extends TableRef {
  /** The discriminant: `'RenameColumn'`. */
  readonly kind: 'RenameColumn';
  /** The column's current name. */
  readonly column: string;
  /** The column's new name. */
  readonly newName: string;
}

/**
 * Creates an index (`op.createIndex`): `CREATE [UNIQUE] INDEX … ON …`, with a partial index's
 * `WHERE` (SQLite, PostgreSQL), PostgreSQL's `USING method`, MySQL/MariaDB `FULLTEXT`/`SPATIAL`.
 * MySQL refuses partial indexes and `ifNotExists` (MariaDB has it). `reverseOp` gives a
 * {@link DropIndexOp} carrying the index as `existing` (and `concurrently`, when set).
 */
export interface CreateIndexOp extends TableRef {
  /** The discriminant: `'CreateIndex'`. */
  readonly kind: 'CreateIndex';
  /**
   * The index: name (from the convention when not given), columns or expressions, uniqueness,
   * predicate, method.
   */
  readonly index: IndexSnapshot;
  /**
   * Write `CREATE INDEX IF NOT EXISTS` (SQLite, PostgreSQL, MariaDB; MySQL refuses it). Default
   * `false`.
   */
  readonly ifNotExists?: boolean;
  /**
   * Build the index without blocking writes to the table (Alembic's `postgresql_concurrently`).
   * PostgreSQL: `CREATE INDEX CONCURRENTLY`, which it refuses inside a transaction block, so the
   * op must run in a revision with `transaction = false` (the runner refuses it otherwise,
   * before sending anything); MySQL/MariaDB: `ALGORITHM=INPLACE LOCK=NONE`, so the server
   * refuses the statement rather than lock writes; SQLite cannot build an index without
   * blocking writers and refuses the op. Default `false`.
   */
  readonly concurrently?: boolean;
}

/**
 * Drops an index (`op.dropIndex`). SQLite and PostgreSQL: `DROP INDEX "schema"."name"`;
 * MySQL/MariaDB: `DROP INDEX … ON table` (so `table` is required there). `reverseOp` gives a
 * {@link CreateIndexOp} (with `concurrently`, when set) when `existing` and `table` are known,
 * else an {@link IrreversibleOp}.
 */
export interface DropIndexOp extends TableRef {
  /** The discriminant: `'DropIndex'`. */
  readonly kind: 'DropIndex';
  /** The index's name. */
  readonly name: string;
  /** The index as it was, so the drop can be reversed. */
  readonly existing?: IndexSnapshot;
  /**
   * Drop the index without blocking reads and writes of its table. PostgreSQL: `DROP INDEX
   * CONCURRENTLY`, refused inside a transaction block (as {@link CreateIndexOp.concurrently});
   * MySQL/MariaDB: `ALTER TABLE … DROP INDEX …, ALGORITHM=INPLACE, LOCK=NONE`; SQLite refuses it.
   * Default `false`.
   */
  readonly concurrently?: boolean;
  /**
   * No error when there is no such index: `DROP INDEX IF EXISTS` (SQLite, PostgreSQL, MariaDB;
   * MySQL has none). Default `false`.
   */
  readonly ifExists?: boolean;
}

/**
 * Renames an index (`op.renameIndex`), keeping its definition.
 * - PostgreSQL: `ALTER INDEX "schema"."old" RENAME TO "new"`;
 * - MySQL/MariaDB: `ALTER TABLE … RENAME INDEX old TO new` (MySQL 5.7+, MariaDB 10.5.2+);
 * - SQLite has no rename: `DROP INDEX` then `CREATE INDEX` of the same definition under the new
 *   name. Online the definition is read from the database (`sqlite_master`'s CREATE INDEX text,
 *   so directions and collations survive); offline from the script's own tables, else from
 *   `existing`.
 *
 * `reverseOp` renames it back, keeping `existing`.
 */
export interface RenameIndexOp extends TableRef {
  /** The discriminant: `'RenameIndex'`. */
  readonly kind: 'RenameIndex';
  /** The index's current name. */
  readonly name: string;
  /** The index's new name. */
  readonly newName: string;
  /**
   * The index's definition (columns or expressions, uniqueness, predicate, method), without its
   * name. Only SQLite uses it, to create the index again when neither the database (offline) nor
   * the script knows it.
   */
  readonly existing?: Omit<IndexSnapshot, 'name'>;
}

/**
 * Adds a unique constraint (`op.createUniqueConstraint`). SQLite: a batch rebuild; PostgreSQL and
 * MySQL/MariaDB: `ALTER TABLE … ADD CONSTRAINT "name" UNIQUE (…)`. `reverseOp` gives a
 * {@link DropConstraintOp} of type `'unique'` with its columns (and `nullsNotDistinct`) as `existing`.
 */
export interface CreateUniqueConstraintOp extends TableRef {
  /** The discriminant: `'CreateUniqueConstraint'`. */
  readonly kind: 'CreateUniqueConstraint';
  /** The constraint's name (from the convention's `uq` template when not given). */
  readonly name: string;
  /** The constrained columns, in order. */
  readonly columns: readonly string[];
  /** PostgreSQL 15+: `UNIQUE NULLS NOT DISTINCT (…)`. Omitted: NULLs distinct. Other dialects refuse it. */
  readonly nullsNotDistinct?: boolean;
}

/**
 * Adds a check constraint (`op.createCheckConstraint`). SQLite: a batch rebuild; PostgreSQL and
 * MySQL/MariaDB: `ALTER TABLE … ADD CONSTRAINT "name" CHECK (…)`. `reverseOp` gives a
 * {@link DropConstraintOp} of type `'check'` with its expression as `existing`.
 */
export interface CreateCheckConstraintOp extends TableRef {
  /** The discriminant: `'CreateCheckConstraint'`. */
  readonly kind: 'CreateCheckConstraint';
  /** The constraint's name (from the convention's `ck` template when not given). */
  readonly name: string;
  /** The boolean SQL expression, without `CHECK (…)`, written as is. */
  readonly expression: string;
}

/**
 * Adds a foreign key (`op.createForeignKey`). SQLite: a batch rebuild; PostgreSQL and
 * MySQL/MariaDB: `ALTER TABLE … ADD CONSTRAINT "name" FOREIGN KEY (…) REFERENCES …`. MySQL/MariaDB
 * refuse `deferrable`. `reverseOp` gives a {@link DropConstraintOp} of type `'foreignkey'` carrying
 * the whole key as `existing`.
 */
export interface CreateForeignKeyOp extends TableRef {
  /** The discriminant: `'CreateForeignKey'`. */
  readonly kind: 'CreateForeignKey';
  /** The constraint's name (from the convention's `fk` template when not given). */
  readonly name: string;
  /** The referencing columns of `table`, in order. */
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly referredTable: string;
  /**
   * The referenced table's schema. Omitted: PostgreSQL uses the `search_path`; MySQL/MariaDB the
   * op's own database.
   */
  readonly referredSchema?: string;
  /** The referenced columns, in the order of `columns` (as many). */
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
 * Adds a primary key (`op.createPrimaryKey`). SQLite: a batch rebuild; PostgreSQL: `ALTER TABLE …
 * ADD CONSTRAINT "name" PRIMARY KEY (…)`; MySQL/MariaDB: `ALTER TABLE … ADD PRIMARY KEY (…)` (MySQL
 * names every primary key `PRIMARY`). `reverseOp` gives a {@link DropConstraintOp} of type
 * `'primary'` with its columns (and `descending`) as `existing`.
 */
export interface CreatePrimaryKeyOp extends TableRef {
  /** The discriminant: `'CreatePrimaryKey'`. */
  readonly kind: 'CreatePrimaryKey';
  /**
   * The constraint's name (from the convention's `pk` template when not given; not written on
   * MySQL/MariaDB).
   */
  readonly name: string;
  /** The key's columns, in order. */
  readonly columns: readonly string[];
  /** The key's columns sorted `DESC` (see `PrimaryKeySnapshot.descending`). Omitted: none. */
  readonly descending?: readonly string[];
}

/** Constraint type of a `dropConstraint` (Alembic's `type_`). */
export type ConstraintType = 'unique' | 'check' | 'foreignkey' | 'primary';

/** The constraint as it was, so a drop can be reversed (shape per `type`). */
export type ExistingConstraint =
  | { readonly type: 'unique'; readonly columns: readonly string[]; readonly nullsNotDistinct?: boolean }
  | { readonly type: 'check'; readonly expression: string }
  | ({ readonly type: 'foreignkey' } & Omit<ForeignKeySnapshot, 'name'>)
  | { readonly type: 'primary'; readonly columns: readonly string[]; readonly descending?: readonly string[] };

/**
 * Drops a named constraint (`op.dropConstraint`). SQLite: a batch rebuild; PostgreSQL:
 * `ALTER TABLE … DROP CONSTRAINT`; MySQL/MariaDB by `type`: `DROP INDEX` (unique),
 * `DROP FOREIGN KEY` (and the index InnoDB made for the key: see `Operations.dropConstraint`),
 * `DROP PRIMARY KEY`, `DROP CHECK` (MySQL) or `DROP CONSTRAINT` (MariaDB).
 * `reverseOp` recreates the constraint from `existing`, or gives an {@link IrreversibleOp} without
 * it.
 */
export interface DropConstraintOp extends TableRef {
  /** The discriminant: `'DropConstraint'`. */
  readonly kind: 'DropConstraint';
  /** The constraint's name. */
  readonly name: string;
  /**
   * What kind of constraint it is (Alembic's `type_`): MySQL drops each kind with its own clause.
   */
  readonly type: ConstraintType;
  /** The constraint as it was, so the drop can be reversed. */
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
  | RenameIndexOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreateForeignKeyOp
  | CreatePrimaryKeyOp
  | DropConstraintOp;

/**
 * A batch of alterations of one table (`op.batchAlterTable`, DESIGN §6). SQLite: plain ALTERs where
 * SQLite can, else one move-and-copy rebuild of the table (`recreate`); PostgreSQL and
 * MySQL/MariaDB: the inner ops' ALTER statements, in order. `reverseOp` reverses the inner ops in
 * reverse order (an {@link IrreversibleOp} if any of them is), keeping `recreate` and dropping
 * `copyFrom` and `partialReordering`.
 */
export interface BatchAlterTableOp extends TableRef {
  /** The discriminant: `'BatchAlterTable'`. */
  readonly kind: 'BatchAlterTable';
  /** The inner ops, in order, each naming the batch's table. */
  readonly ops: readonly BatchInnerOp[];
  /** How SQLite rebuilds (ignored by the other dialects). */
  readonly options: BatchOptions;
}

/** One SQL statement, run as written (DESIGN §7: one statement per call). */
export interface ExecuteOp {
  /** The discriminant: `'Execute'`. */
  readonly kind: 'Execute';
  /**
   * The statement, run as written on every dialect (`?` placeholders on SQLite and MySQL, `$1` on
   * PostgreSQL). `reverseOp` gives an {@link IrreversibleOp}.
   */
  readonly sql: string;
  /** Values bound to the statement's placeholders, in order. Default `[]`. */
  readonly parameters?: readonly unknown[];
}

/**
 * Inserts rows (`op.bulkInsert`): multi-row `INSERT`s with bound parameters, rows grouped by their
 * set of keys and chunked under the dialect's parameter limit (SQLite 32,766; PostgreSQL and MySQL
 * 65,535). `reverseOp` gives an {@link IrreversibleOp}.
 */
export interface BulkInsertOp extends TableRef {
  /** The discriminant: `'BulkInsert'`. */
  readonly kind: 'BulkInsert';
  /** The rows, each a plain object from column name to value (kept as given, not frozen). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Creates a PostgreSQL enum type (`CREATE TYPE name AS ENUM (…)`). Other dialects have no enum
 * objects: they compile it to nothing (their columns carry the members inline).
 */
export interface CreateEnumOp {
  /** The discriminant: `'CreateEnum'`. */
  readonly kind: 'CreateEnum';
  /** The enum type's name. */
  readonly name: string;
  /** PostgreSQL schema of the type. Omitted: the bind's default. */
  readonly schema?: string;
  /** The members, in order (case-sensitive). */
  readonly values: readonly string[];
}

/** Drops a PostgreSQL enum type; `existing` (its members) makes the drop reversible. */
export interface DropEnumOp {
  /** The discriminant: `'DropEnum'`. */
  readonly kind: 'DropEnum';
  /** The enum type's name. */
  readonly name: string;
  /** PostgreSQL schema of the type. Omitted: the bind's default. */
  readonly schema?: string;
  /** The type's members, in order, so `reverseOp` can create it again. Omitted: irreversible. */
  readonly existing?: { readonly values: readonly string[] };
}

/**
 * Adds a member to a PostgreSQL enum type (`ALTER TYPE … ADD VALUE IF NOT EXISTS`). Not
 * reversible: PostgreSQL cannot remove a member (a downgrade leaves it, and upgrading again keeps it).
 */
export interface AddEnumValueOp {
  /** The discriminant: `'AddEnumValue'`. */
  readonly kind: 'AddEnumValue';
  /** The enum type's name. */
  readonly name: string;
  /** PostgreSQL schema of the type. Omitted: the bind's default. */
  readonly schema?: string;
  /** The new member. */
  readonly value: string;
  /** Place it before this member (else after `after`, else last). */
  readonly before?: string;
  /** Place it after this member (used when `before` is not given). */
  readonly after?: string;
}

/** Sets or removes (`comment: null`) a table's comment; `existing` makes it reversible. */
export interface AlterTableCommentOp extends TableRef {
  /** The discriminant: `'AlterTableComment'`. */
  readonly kind: 'AlterTableComment';
  /**
   * The new comment; `null` removes it. PostgreSQL: `COMMENT ON TABLE … IS …`; MySQL/MariaDB:
   * `ALTER TABLE … COMMENT = '…'`; SQLite keeps no comments (compiles to nothing).
   */
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
  | RenameIndexOp
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

/**
 * Dispatches an op to the handler of its kind in an exhaustive {@link OpTable}.
 *
 * @param table - one handler per op kind.
 * @param op - the op.
 * @returns what the handler of `op.kind` returns.
 * @example
 * ```ts
 * const describe: OpTable<string> = { ...({} as OpTable<string>), DropTable: (o) => `drop ${o.table}` };
 * dispatchOp(describe, { kind: 'DropTable', table: 'Genre' }); // 'drop Genre'
 * ```
 */
export function dispatchOp<R>(table: OpTable<R>, op: Op): R {
  return (table[op.kind] as (o: Op) => R)(op);
}

/** Where `reverseOp` cannot derive the inverse: the op and why (rendered as a comment/throw). */
export interface IrreversibleOp {
  /** The discriminant: `'Irreversible'`. */
  readonly kind: 'Irreversible';
  /** The op that could not be reversed. */
  readonly op: Op;
  /**
   * Why, in one phrase (e.g. `dropColumn('Invoice', 'Currency') has no existing column type`), for
   * the rendered comment or error.
   */
  readonly reason: string;
}

export type { CheckConstraintSnapshot };
