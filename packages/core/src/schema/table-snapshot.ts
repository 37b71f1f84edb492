import type { ColumnType } from './column-type.js';

/**
 * A column default: a literal (`'USD'`, `0`, `true`, `null`) or a raw SQL expression
 * (`{ sql: 'CURRENT_TIMESTAMP' }`), rendered verbatim by the dialect.
 */
export type DefaultValue = string | number | boolean | null | { readonly sql: string };

/** Referential action of a foreign key. */
export type ReferentialAction = 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';

/** A column as declared by models or introspected from a database (names as written). */
export interface ColumnSnapshot {
  readonly name: string;
  readonly type: ColumnType;
  /** Defaults to true when built from user input. */
  readonly nullable: boolean;
  /** Column-level `PRIMARY KEY` (single-column key); composite keys use the table's `primaryKey`. */
  readonly primaryKey?: boolean;
  /** Auto-increment (SQLite `AUTOINCREMENT`, PostgreSQL identity/serial, MySQL `AUTO_INCREMENT`). */
  readonly autoincrement?: boolean;
  /** Column-level `UNIQUE`. */
  readonly unique?: boolean;
  /** Omitted: no default. */
  readonly default?: DefaultValue;
  readonly comment?: string;
  readonly collation?: string;
  /**
   * MySQL/MariaDB `ON UPDATE` expression (e.g. `CURRENT_TIMESTAMP`, `current_timestamp(3)`), as
   * the database reports it. Omitted: none.
   */
  readonly onUpdate?: string;
  /** Generated column expression (left out of batch copies). */
  readonly generated?: { readonly sql: string; readonly stored: boolean };
  /** Column-level foreign key. */
  readonly references?: {
    readonly table: string;
    readonly column: string;
    readonly onDelete?: ReferentialAction;
    readonly onUpdate?: ReferentialAction;
  };
}

export interface PrimaryKeySnapshot {
  readonly name?: string;
  readonly columns: readonly string[];
}

export interface ForeignKeySnapshot {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly referredTable: string;
  readonly referredSchema?: string;
  readonly referredColumns: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  /** `DEFERRABLE` (PostgreSQL, SQLite): the check may wait until COMMIT. Omitted: not deferrable. */
  readonly deferrable?: boolean;
  /** `INITIALLY DEFERRED` (with `deferrable`). Omitted: initially immediate. */
  readonly initiallyDeferred?: boolean;
}

export interface UniqueConstraintSnapshot {
  readonly name?: string;
  readonly columns: readonly string[];
}

export interface CheckConstraintSnapshot {
  readonly name?: string;
  /** The boolean SQL expression, without `CHECK (…)`. */
  readonly expression: string;
}

export interface IndexSnapshot {
  readonly name: string;
  /** Column names; an expression index lists `{ sql }` entries. */
  readonly columns: readonly (string | { readonly sql: string })[];
  readonly unique: boolean;
  /** Partial index predicate (`WHERE …`), without the keyword. */
  readonly where?: string;
  /**
   * Access method, when not the dialect's default B-tree: PostgreSQL `'gist' | 'gin' | 'brin' |
   * 'hash' | 'spgist'`; MySQL/MariaDB `'fulltext' | 'spatial'` (their FULLTEXT and SPATIAL
   * indexes). Omitted: the default.
   */
  readonly method?: string;
}

/**
 * A schema object kept as its SQL text: an index, trigger or view (SQLite's `sqlite_master`).
 * SQLite batch mode recreates these around a table rebuild, verbatim, so index column
 * directions and collations, trigger bodies and view queries survive.
 */
export interface DependentObjectSnapshot {
  readonly type: 'index' | 'trigger' | 'view';
  readonly name: string;
  /** The table or view the object is on (a view: its own name), as `sqlite_master.tbl_name`. */
  readonly tableName: string;
  /** The CREATE statement as stored. */
  readonly sql: string;
}

/**
 * One table's shape: what autogenerate compares, what `createTable` creates, what SQLite batch
 * mode rebuilds, and what introspection returns. Plain readonly data.
 */
export interface TableSnapshot {
  readonly name: string;
  /** PostgreSQL schema; omitted: the bind's default. */
  readonly schema?: string;
  readonly columns: readonly ColumnSnapshot[];
  readonly primaryKey?: PrimaryKeySnapshot;
  readonly foreignKeys: readonly ForeignKeySnapshot[];
  readonly uniqueConstraints: readonly UniqueConstraintSnapshot[];
  readonly checkConstraints: readonly CheckConstraintSnapshot[];
  readonly indexes: readonly IndexSnapshot[];
  readonly comment?: string;
  /** SQLite table options. */
  readonly strict?: boolean;
  readonly withoutRowid?: boolean;
  /**
   * SQLite introspection: the objects a rebuild of this table must drop and recreate, in creation
   * order: the table's explicit indexes (their CREATE INDEX text), its triggers, and the views and
   * triggers (on any table or view) whose SQL names this table or such a view. Lets a batch
   * rebuild compile from the snapshot alone. Not part of the table's shape: comparisons ignore
   * it. Omitted: none known.
   */
  readonly dependents?: readonly DependentObjectSnapshot[];
}
