/** A name as SQLite compares identifiers: ASCII letters folded, nothing else (`"É"` and `"é"` differ). */
export const foldName = (name: string): string => name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** An index that may be a parent key of a foreign key (only a UNIQUE index, or a table's own key, can). */
const UNIQUE_INDEX = /^\s*CREATE\s+UNIQUE\s/i;

/** A table as {@link SqliteSchemaDefinitions} holds it: its name, CREATE statement and `sqlite_master` rowid (as text). */
interface Table {
  readonly name: string;
  readonly sql: string;
  readonly id: string;
}

/** A row of {@link SqliteSchemaDefinitions.SQL} (as a driver returns it: fields unchecked). */
export interface SqliteSchemaDefinitionRow {
  /** `'table'`, `'index'`, or `'reference'` (a foreign key of table `name` referring to table `tbl_name`). */
  readonly type?: unknown;
  /** The table's or index's name (a reference's child table). */
  readonly name?: unknown;
  /** The index's table (a reference's parent table, as the foreign key names it). */
  readonly tbl_name?: unknown;
  /** The CREATE statement (`null` for the indexes SQLite makes for a table's PRIMARY KEY or UNIQUE). */
  readonly sql?: unknown;
  /** The row's rowid in `sqlite_master` (a table's, for `'table'` rows). */
  readonly id?: unknown;
}

/** Which tables a transaction may have broken foreign keys of, as {@link SqliteSchemaDefinitions.checkScope} finds them. */
export interface ForeignKeyCheckScope {
  /**
   * The tables whose definition changed (created, dropped, renamed away or to, altered, another
   * table now under the name, or one of their UNIQUE indexes dropped or changed) or whose rows
   * were written, folded ({@link foldName}): the check's results for these replace what was known
   * of them.
   */
  readonly changed: ReadonlySet<string>;
  /**
   * The existing tables to run `pragma_foreign_key_check` on, as SQLite names them: each changed
   * table that has a foreign key, and each table with a foreign key referring to a changed one.
   * Empty when no foreign key can have been broken.
   */
  readonly check: readonly string[];
}

/**
 * The tables and indexes of a SQLite database's main schema (`sqlite_master`: each one's CREATE
 * statement) and the tables each table's foreign keys refer to: what decides which foreign keys a
 * transaction that changed only the schema (no row inserted, updated or deleted) may have broken.
 *
 * With foreign keys off, a schema change breaks a foreign key only through its child table (a
 * table created, rebuilt, altered) or its parent table (dropped, renamed away, rebuilt with fewer
 * rows or another key, a UNIQUE index that was its parent key dropped): in every case the CREATE
 * statement of one of the two tables changed (a rebuild ends with `ALTER TABLE … RENAME`, which
 * rewrites it), another table took the name (a table renamed away keeps its `sqlite_master` row,
 * so a new one under its name has another rowid), or a UNIQUE index of the parent went. An index
 * created, or dropped when not UNIQUE, breaks nothing. One change is not seen here: a table
 * dropped, then created again with the same statement, can get its old rowid back (when it was
 * the last row of `sqlite_master`), its rows gone; the caller must know whether a table was
 * dropped (see `SqliteSession.drops`).
 *
 * @example
 * ```ts
 * const before = SqliteSchemaDefinitions.of([
 *   { type: 'table', name: 'Parent', tbl_name: 'Parent', sql: 'CREATE TABLE "Parent" (id integer PRIMARY KEY)', id: 1 },
 *   { type: 'table', name: 'Child', tbl_name: 'Child', sql: 'CREATE TABLE "Child" (p integer REFERENCES "Parent" (id))', id: 2 },
 *   { type: 'reference', name: 'Child', tbl_name: 'Parent', sql: null },
 * ]);
 * const after = SqliteSchemaDefinitions.of([
 *   { type: 'table', name: 'Child', tbl_name: 'Child', sql: 'CREATE TABLE "Child" (p integer REFERENCES "Parent" (id))', id: 2 },
 *   { type: 'reference', name: 'Child', tbl_name: 'Parent', sql: null },
 * ]);
 * after.checkScope(before); // { changed: Set { 'parent' }, check: ['Child'] }
 * ```
 */
export class SqliteSchemaDefinitions {
  /**
   * The query that reads them, in one statement: the main schema's tables and indexes (`type`,
   * `name`, `tbl_name`, `sql`, and the rowid as `id`), then one `'reference'` row per column of each foreign key (`name`:
   * the child table, `tbl_name`: the parent table as the key names it).
   */
  static readonly SQL =
    `SELECT "type", "name", "tbl_name", "sql", rowid AS "id" FROM main.sqlite_master WHERE "type" IN ('table', 'index') ` +
    `UNION ALL SELECT 'reference', "m"."name", "f"."table", NULL, NULL FROM main.sqlite_master AS "m", pragma_foreign_key_list("m"."name", 'main') AS "f" WHERE "m"."type" = 'table'`;

  /** Name, CREATE statement and `sqlite_master` rowid of each table, by folded name. */
  readonly #tables: ReadonlyMap<string, Table>;
  /** Each UNIQUE index written as CREATE UNIQUE INDEX, by name: its statement and its table (folded). */
  readonly #uniqueIndexes: ReadonlyMap<string, { readonly table: string; readonly sql: string }>;
  /** The parent tables (folded) each table's foreign keys refer to, by the child's folded name. */
  readonly #parents: ReadonlyMap<string, ReadonlySet<string>>;

  private constructor(
    tables: ReadonlyMap<string, Table>,
    uniqueIndexes: ReadonlyMap<string, { readonly table: string; readonly sql: string }>,
    parents: ReadonlyMap<string, ReadonlySet<string>>,
  ) {
    this.#tables = tables;
    this.#uniqueIndexes = uniqueIndexes;
    this.#parents = parents;
  }

  /**
   * The definitions of what {@link SQL} returned.
   * @param rows - its rows.
   * @returns the definitions.
   */
  static of(rows: readonly SqliteSchemaDefinitionRow[]): SqliteSchemaDefinitions {
    const tables = new Map<string, Table>();
    const uniqueIndexes = new Map<string, { table: string; sql: string }>();
    const parents = new Map<string, Set<string>>();
    for (const row of rows) {
      const name = String(row.name);
      if (row.type === 'table') tables.set(foldName(name), { name, sql: String(row.sql), id: String(row.id) });
      else if (row.type === 'index' && typeof row.sql === 'string' && UNIQUE_INDEX.test(row.sql)) uniqueIndexes.set(foldName(name), { table: foldName(String(row.tbl_name)), sql: row.sql });
      else if (row.type === 'reference') {
        const child = foldName(name);
        const set = parents.get(child) ?? new Set<string>();
        set.add(foldName(String(row.tbl_name)));
        parents.set(child, set);
      }
    }
    return new SqliteSchemaDefinitions(tables, uniqueIndexes, parents);
  }

  /**
   * Whether the main schema has a table of this name (compared as SQLite compares names).
   * @param name - the table's name.
   * @returns true when it has.
   */
  hasTable(name: string): boolean {
    return this.#tables.has(foldName(name));
  }

  /**
   * Which tables a transaction that went from `before` to these definitions may have broken
   * foreign keys of (see the class), when it changed rows of no table but `written`.
   * @param before - the definitions when the transaction began.
   * @param written - tables whose rows it changed (the version table's row), as child and as parent.
   * @returns the tables changed and the tables to check.
   */
  checkScope(before: SqliteSchemaDefinitions, written: Iterable<string> = []): ForeignKeyCheckScope {
    const changed = new Set<string>([...written].map(foldName));
    for (const [name, table] of before.#tables) {
      const now = this.#tables.get(name);
      if (now?.sql !== table.sql || now.id !== table.id) changed.add(name);
    }
    for (const name of this.#tables.keys()) if (!before.#tables.has(name)) changed.add(name);
    for (const [name, index] of before.#uniqueIndexes) {
      const now = this.#uniqueIndexes.get(name);
      if (now?.sql !== index.sql || now.table !== index.table) changed.add(index.table);
    }
    const check: string[] = [];
    for (const [child, parents] of this.#parents) {
      if (changed.has(child) || [...parents].some((parent) => changed.has(parent))) check.push(this.#tables.get(child)?.name ?? child);
    }
    return { changed, check };
  }
}
