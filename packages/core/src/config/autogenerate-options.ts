import type { IrreversibleOp, Op } from '../operations/op-objects.js';
import type { ColumnType } from '../schema/column-type.js';
import type { ColumnSnapshot } from '../schema/table-snapshot.js';

/** Kinds of schema objects autogenerate compares (Alembic's `type_` of `include_object`). */
export type AutogenerateObjectType = 'table' | 'column' | 'index' | 'unique_constraint' | 'foreign_key_constraint' | 'check_constraint' | 'enum';

/** What {@link AutogenerateOptions.includeObject} is asked about. */
export interface IncludeObjectContext {
  /** What kind of object it is. */
  readonly type: AutogenerateObjectType;
  /** The object's name. */
  readonly name: string;
  /** The table the object belongs to (for columns, indexes and constraints). */
  readonly table?: string;
  /** The object's schema (PostgreSQL), when not the bind's default. */
  readonly schema?: string;
  /** True when the object was read from the database, false when it comes from the models. */
  readonly reflected: boolean;
  /**
   * Whether the other side has its counterpart (models vs database): an object of that name, or an
   * index or constraint the comparison pairs it with by definition under another name.
   */
  readonly hasCounterpart: boolean;
}

/** What {@link AutogenerateOptions.compareType} and `compareServerDefault` are asked about. */
export interface CompareColumnContext {
  /** The table of the column. */
  readonly table: string;
  /** The table's schema (PostgreSQL), when not the bind's default. */
  readonly schema?: string;
  /** The column as the models declare it. */
  readonly declared: ColumnSnapshot;
  /** The column as the database has it. */
  readonly reflected: ColumnSnapshot;
}

/**
 * One revision autogenerate is about to write, before rendering (Alembic's `directives`): hooks
 * may change the message or the ops, or set `skip` to write nothing.
 */
export interface RevisionDirectives {
  /** The bind the revision is for. */
  readonly bind: string;
  /** The branch it will be written in. */
  readonly branch: string;
  /** The revision's message (`-m`); may be changed. */
  message: string;
  /** The upgrade ops, in the order they run. */
  upgradeOps: Op[];
  /** The downgrade ops (the upgrade reversed), irreversible ones marked. */
  downgradeOps: (Op | IrreversibleOp)[];
  /** Set to true to write no revision for this bind. */
  skip: boolean;
}

/**
 * Autogenerate settings of a bind (or, at the top level of the config, of every bind that sets
 * none itself), named as Alembic's `env.py` options.
 */
export interface AutogenerateOptions {
  /**
   * Whether to compare an object at all (false: leave it out of the comparison: it is neither
   * created, dropped nor changed). Asked as Alembic's `include_object` is, once per object (its
   * type, schema, table and name) in a comparison, however many steps ask about it:
   * - each table of either side (a table both have: once, from the models' side, `reflected:
   *   false`, `hasCounterpart: true`; a pair of two names, as a renamed table, is asked about by
   *   each name and compared only when both are kept);
   * - in a table both sides have, each column, unique constraint, foreign key, check constraint
   *   and index of either side, paired as the comparison pairs them (by name, then by definition:
   *   `hasCounterpart` is true for an index the database has under another name) and asked about
   *   as tables are (a primary key goes with its table and is not asked about);
   * - in a new table (only the models have it), each index (`reflected: false`,
   *   `hasCounterpart: false`): one left out is not created. Its columns, keys, foreign keys and
   *   checks are created with the table and are not asked about;
   * - in a table dropped with {@link dropUnmodeledTables}, each index (`reflected: true`): one
   *   left out goes with the table, and the downgrade does not create it again. The index
   *   SQLite keeps for a table-level UNIQUE of its CREATE TABLE (`tableConstraint`) is part of the
   *   table, as its keys are: not asked about, and created again with the table;
   * - each PostgreSQL enum type of either side.
   *
   * A name longer than the bind's database keeps (PostgreSQL 63 bytes, MySQL 64 characters), or a
   * PostgreSQL enum member over 63 bytes, makes autogenerate and `check` refuse the models only
   * when the revision would write it: for an object this hook (and {@link includeName}) keeps, as
   * the comparison pairs it (the names check asks no hook of its own).
   * @example
   * ```ts
   * // Indexes managed outside the migrations (by a search extension) are left alone.
   * const includeObject = (o: IncludeObjectContext) => !(o.type === 'index' && o.name.startsWith('search_'));
   * ```
   */
  readonly includeObject?: (object: IncludeObjectContext) => boolean;
  /**
   * Whether to consider a name at all, before anything is read about it: table and enum type names
   * of either side (`type` `'table'` or `'enum'`). A table left out is not compared, nor is
   * anything in it, nor are its names checked against the database's identifier limit.
   * @example
   * ```ts
   * const includeName = (name: string, type: AutogenerateObjectType) => !(type === 'table' && name.startsWith('legacy_'));
   * ```
   */
  readonly includeName?: (name: string, type: AutogenerateObjectType, parent: { readonly table?: string; readonly schema?: string }) => boolean;
  /**
   * Decides whether a column's type changed: `true` changed, `false` same, `undefined` let the
   * dialect's comparison decide. `false` turns type comparison off.
   */
  readonly compareType?: boolean | ((column: CompareColumnContext & { readonly declaredType: ColumnType; readonly reflectedType: ColumnType }) => boolean | undefined);
  /** As {@link compareType}, for server defaults (default: compared). */
  readonly compareServerDefault?: boolean | ((column: CompareColumnContext) => boolean | undefined);
  /** Changes or drops what is about to be written. */
  readonly processRevisionDirectives?: (directives: RevisionDirectives) => void | Promise<void>;
  /**
   * Runs on each written revision file, as Alembic's post-write hooks: a command line with
   * `{file}` for the path (e.g. `'npx prettier --write {file}'`), or a function.
   */
  readonly postWrite?: string | ((file: string) => void | Promise<void>);
  /**
   * Report tables the database has and the models do not as drops (default `false`: they are left
   * alone, with a note). multidb's own tables are never reported, and another migration tool's
   * bookkeeping table (`alembic_version`, `kysely_migration`, `__drizzle_migrations`, …, by its
   * default name) is never dropped: it is left alone with a warning naming the tool.
   */
  readonly dropUnmodeledTables?: boolean;
}
