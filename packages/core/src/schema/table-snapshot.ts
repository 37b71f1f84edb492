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
  /** The column's name, as written (case kept). */
  readonly name: string;
  /** The parsed type (`{ name: 'varchar', args: [3] }`), rendered by each dialect's type map. */
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
  /** The column's comment (PostgreSQL, MySQL/MariaDB; SQLite keeps none). Omitted: none. */
  readonly comment?: string;
  /**
   * The column's collation (`'NOCASE'`, `'utf8mb4_bin'`, `'C'`) when not the table's default.
   * Omitted: the default.
   */
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

/** A table's primary key (composite, or a single column declared at table level). */
export interface PrimaryKeySnapshot {
  /**
   * The constraint's name. Omitted: unnamed (SQLite's usual case; MySQL names every key `PRIMARY`).
   */
  readonly name?: string;
  /** The key's columns, in order. */
  readonly columns: readonly string[];
}

/** A table-level foreign key. */
export interface ForeignKeySnapshot {
  /** The constraint's name. Omitted: unnamed (as SQLite introspection may report it). */
  readonly name?: string;
  /** The referencing columns of this table, in order. */
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly referredTable: string;
  /**
   * The referenced table's schema (PostgreSQL; a MySQL database). Omitted: the same schema as this
   * table.
   */
  readonly referredSchema?: string;
  /** The referenced columns, in the order of `columns`. */
  readonly referredColumns: readonly string[];
  /** `ON DELETE` action. Omitted: the database's default (`NO ACTION`). */
  readonly onDelete?: ReferentialAction;
  /** `ON UPDATE` action. Omitted: the database's default (`NO ACTION`). */
  readonly onUpdate?: ReferentialAction;
  /** `DEFERRABLE` (PostgreSQL, SQLite): the check may wait until COMMIT. Omitted: not deferrable. */
  readonly deferrable?: boolean;
  /** `INITIALLY DEFERRED` (with `deferrable`). Omitted: initially immediate. */
  readonly initiallyDeferred?: boolean;
}

/** A table-level unique constraint. */
export interface UniqueConstraintSnapshot {
  /** The constraint's name. Omitted: unnamed. */
  readonly name?: string;
  /** The constrained columns, in order. */
  readonly columns: readonly string[];
}

/** A check constraint. */
export interface CheckConstraintSnapshot {
  /** The constraint's name. Omitted: unnamed. */
  readonly name?: string;
  /** The boolean SQL expression, without `CHECK (…)`. */
  readonly expression: string;
}

/** An index of a table (not the ones the database makes for its keys and unique constraints). */
export interface IndexSnapshot {
  /** The index's name. */
  readonly name: string;
  /** Column names; an expression index lists `{ sql }` entries. */
  readonly columns: readonly (string | { readonly sql: string })[];
  /** A unique index. */
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
 * The name a database has for a primary key, unique constraint or foreign key that a
 * {@link TableSnapshot} reports without one: on its column (`primaryKey`, `unique`,
 * `references`), or table-level and unnamed because the database named it by its own default
 * (PostgreSQL `album_pkey`, `album_title_key`, `album_artist_id_fkey`; MySQL names a
 * column-level UNIQUE after its column). Found by type and columns (and, for a foreign key, the
 * referred table).
 */
export interface ConstraintNameSnapshot {
  /** What the constraint is. */
  readonly type: 'primary' | 'unique' | 'foreignkey';
  /** Its columns, in order. */
  readonly columns: readonly string[];
  /** A foreign key's referred table. Omitted: any. */
  readonly referredTable?: string;
  /** The name the database has for it. */
  readonly name: string;
}

/**
 * A schema object kept as its SQL text: an index, trigger or view (SQLite's `sqlite_master`).
 * SQLite batch mode recreates these around a table rebuild, verbatim, so index column
 * directions and collations, trigger bodies and view queries survive.
 */
export interface DependentObjectSnapshot {
  /** What the object is. */
  readonly type: 'index' | 'trigger' | 'view';
  /** The object's name. */
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
  /** The table's name, as written (case kept). */
  readonly name: string;
  /** PostgreSQL schema; omitted: the bind's default. */
  readonly schema?: string;
  /** The columns, in table order. */
  readonly columns: readonly ColumnSnapshot[];
  /** The table-level primary key. Omitted: none, or a single column flagged `primaryKey`. */
  readonly primaryKey?: PrimaryKeySnapshot;
  /**
   * Table-level foreign keys (`[]`: none; column-level ones are on their column's `references`).
   */
  readonly foreignKeys: readonly ForeignKeySnapshot[];
  /** Table-level unique constraints (`[]`: none). */
  readonly uniqueConstraints: readonly UniqueConstraintSnapshot[];
  /** Check constraints (`[]`: none). */
  readonly checkConstraints: readonly CheckConstraintSnapshot[];
  /** Indexes (`[]`: none). */
  readonly indexes: readonly IndexSnapshot[];
  /** The table's comment (PostgreSQL, MySQL/MariaDB; SQLite keeps none). Omitted: none. */
  readonly comment?: string;
  /** SQLite `STRICT` table (types checked). Omitted: not strict. */
  readonly strict?: boolean;
  /** SQLite `WITHOUT ROWID` table. Omitted: an ordinary rowid table. */
  readonly withoutRowid?: boolean;
  /**
   * SQLite introspection: the objects a rebuild of this table must drop and recreate, in creation
   * order: the table's explicit indexes (their CREATE INDEX text), its triggers, and the views and
   * triggers (on any table or view) whose SQL names this table or such a view. Lets a batch
   * rebuild compile from the snapshot alone. Not part of the table's shape: comparisons ignore
   * it. Omitted: none known.
   */
  readonly dependents?: readonly DependentObjectSnapshot[];
  /**
   * Introspection: the names the database has for the keys this snapshot reports without a name
   * (see {@link ConstraintNameSnapshot}), so autogenerate drops and changes them by the name they
   * have, as Alembic does with reflected names, while models that leave such names out still
   * compare equal. Not part of the table's shape: comparisons match by definition, and models
   * never carry it. Omitted: none known (the naming convention's names are assumed).
   */
  readonly constraintNames?: readonly ConstraintNameSnapshot[];
}
