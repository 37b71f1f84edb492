import {
  parseColumnType,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type DefaultValue,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type ReferentialAction,
  type Statement,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { mysqlName } from './mysql-column-definition.js';
import { readMysqlString, unwrapMysql } from './mysql-sql-text.js';
import type { MysqlFlavour } from './mysql-url.js';

/** Runs one statement and returns its rows (a `DialectConnection`'s `execute`). */
export type MysqlStatementExecutor = (statement: Statement) => Promise<readonly Record<string, unknown>[]>;

type Row = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads a MySQL or MariaDB table from `information_schema` into a {@link TableSnapshot}, the
 * shape models produce, so autogenerate can compare them.
 *
 * Sources: `TABLES` (comment, default collation), `COLUMNS` (type, nullability, default,
 * AUTO_INCREMENT, comment, collation, generated expression), `STATISTICS` (primary key, unique
 * and plain indexes, prefix and functional parts), `KEY_COLUMN_USAGE` with
 * `REFERENTIAL_CONSTRAINTS` (foreign keys and their actions) and `CHECK_CONSTRAINTS` (MySQL
 * 8.0.16+, MariaDB 10.2+).
 *
 * What MySQL does not keep is normalized:
 * - types: integer display widths are dropped (`int(11)` → `int`), `tinyint(1)` reads as
 *   `boolean`, and on MariaDB a `longtext` column with its `json_valid` check reads as `json`
 *   (the check is not reported);
 * - defaults: MariaDB's quoted literals (`'USD'`) and MySQL's bare ones (`USD`) both read as
 *   `'USD'`; numbers as numbers (booleans on `boolean` columns); `CURRENT_TIMESTAMP` and
 *   expressions as `{ sql }` without outer parentheses; `NULL` (MariaDB's text for "no default")
 *   as no default;
 * - a single-column primary key is the column's `primaryKey`, a composite one the table's
 *   `primaryKey` (MySQL names every primary key PRIMARY, so no name is reported); a unique index
 *   named after its single column is the column's `unique`; other unique indexes are
 *   `uniqueConstraints` (MySQL does not tell a UNIQUE constraint from a unique index), unless they
 *   have prefix or functional parts (then they are `indexes` with `unique: true`);
 * - foreign keys are table-level (MySQL does not keep column-level REFERENCES); `RESTRICT` and
 *   `NO ACTION` (InnoDB's default, the same behaviour) are reported as no action; the index
 *   MySQL creates for a foreign key (same name and columns) is not reported;
 * - a column's collation is reported only when it differs from the table's default.
 *
 * @example
 * ```ts
 * const introspector = new MysqlIntrospector((s) => connection.execute(s), 'mariadb');
 * const snapshot = await introspector.getTable('Invoice'); // undefined when there is no such table
 * ```
 */
export class MysqlIntrospector {
  readonly #execute: MysqlStatementExecutor;
  readonly #flavour: MysqlFlavour;

  /**
   * @param execute - runs a statement on the database to read.
   * @param flavour - `'mysql' | 'mariadb'` (defaults and checks are read differently).
   */
  constructor(execute: MysqlStatementExecutor, flavour: MysqlFlavour) {
    this.#execute = execute;
    this.#flavour = flavour;
  }

  #query(sql: string, ...parameters: unknown[]): Promise<readonly Row[]> {
    return this.#execute({ sql, parameters });
  }

  /**
   * Reads one table.
   * @param name - the table name (an exact match is preferred over a case-insensitive one).
   * @param schema - the database (default: the connection's); set on the snapshot only when given.
   * @returns the snapshot, or `undefined` when there is no such base table (views are not tables).
   * @throws the driver's error when a catalog query fails.
   */
  async getTable(name: string, schema?: string): Promise<TableSnapshot | undefined> {
    const [dbRow] = await this.#query('SELECT COALESCE(?, DATABASE()) AS db', schema ?? null);
    const db = dbRow?.db == null ? undefined : String(dbRow.db);
    if (db === undefined) return undefined;
    const tables = await this.#query(
      `SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'`,
      db,
      name,
    );
    const tableRow = tables.find((t) => t.name === name) ?? tables[0];
    if (!tableRow) return undefined;
    const table = String(tableRow.name);
    const tableCollation = tableRow.collation == null ? undefined : String(tableRow.collation);

    const checks = await this.#checks(db, table);
    const columnRows = await this.#query(
      `SELECT COLUMN_NAME AS name, COLUMN_DEFAULT AS dflt, IS_NULLABLE AS nullable, DATA_TYPE AS dataType,
              COLUMN_TYPE AS columnType, COLLATION_NAME AS collation, EXTRA AS extra, COLUMN_COMMENT AS comment,
              GENERATION_EXPRESSION AS generation
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      db,
      table,
    );
    const jsonChecks = new Set<string>();
    const jsonColumns = new Set<string>();
    const statistics = await this.#query('SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX', db, table);
    const indexGroups = groupBy(statistics, (r) => String(r.INDEX_NAME));
    const pkColumns = (indexGroups.get('PRIMARY') ?? []).map((r) => String(r.COLUMN_NAME));

    const columns: ColumnSnapshot[] = columnRows.map((r) => {
      const colName = String(r.name);
      const extra = String(r.extra ?? '');
      let type = columnType(String(r.columnType));
      // MariaDB's JSON is LONGTEXT with a column-level CHECK (json_valid(`col`)), named after the
      // column when it was made (a renamed column keeps the old name).
      const jsonCheck = checks.find((c) => c.clause.trim().toLowerCase() === `json_valid(${mysqlName(colName)})`.toLowerCase());
      if (this.#flavour === 'mariadb' && String(r.dataType).toLowerCase() === 'longtext' && jsonCheck) {
        type = parseColumnType('json');
        jsonChecks.add(jsonCheck.name);
        jsonColumns.add(colName);
      }
      const col: Mutable<ColumnSnapshot> = { name: colName, type, nullable: String(r.nullable).toUpperCase() === 'YES' };
      if (pkColumns.length === 1 && pkColumns[0] === colName) col.primaryKey = true;
      if (/auto_increment/i.test(extra)) col.autoincrement = true;
      const generated = /\b(VIRTUAL|STORED|PERSISTENT)\s+GENERATED\b/i.exec(extra);
      if (generated && r.generation != null && String(r.generation) !== '') {
        col.generated = { sql: unwrapMysql(String(r.generation)), stored: generated[1]!.toUpperCase() !== 'VIRTUAL' };
      } else {
        const dflt = this.parseDefault(r.dflt, type, extra);
        if (dflt !== undefined) col.default = dflt;
      }
      if (r.collation != null && tableCollation !== undefined && String(r.collation) !== tableCollation && !jsonColumns.has(colName)) {
        col.collation = String(r.collation);
      }
      if (r.comment != null && String(r.comment) !== '') col.comment = String(r.comment);
      return col;
    });

    // Foreign keys.
    const keyUsage = await this.#query(
      `SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS col, REFERENCED_TABLE_SCHEMA AS refSchema,
              REFERENCED_TABLE_NAME AS refTable, REFERENCED_COLUMN_NAME AS refCol
       FROM information_schema.KEY_COLUMN_USAGE
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
      db,
      table,
    );
    const rules = await this.#query(
      `SELECT CONSTRAINT_NAME AS name, UPDATE_RULE AS onUpdate, DELETE_RULE AS onDelete FROM information_schema.REFERENTIAL_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`,
      db,
      table,
    );
    const foreignKeys: ForeignKeySnapshot[] = [...groupBy(keyUsage, (r) => String(r.name))].map(([fkName, rows]) => {
      const first = rows[0]!;
      const rule = rules.find((x) => x.name === fkName);
      const fk: Mutable<ForeignKeySnapshot> = {
        name: fkName,
        columns: rows.map((x) => String(x.col)),
        referredTable: String(first.refTable),
        referredColumns: rows.map((x) => String(x.refCol)),
      };
      if (first.refSchema != null && String(first.refSchema) !== db) fk.referredSchema = String(first.refSchema);
      const onDelete = action(rule?.onDelete);
      const onUpdate = action(rule?.onUpdate);
      if (onDelete) fk.onDelete = onDelete;
      if (onUpdate) fk.onUpdate = onUpdate;
      return fk;
    });

    // Primary key, unique constraints and indexes.
    let primaryKey: TableSnapshot['primaryKey'];
    if (pkColumns.length > 1) primaryKey = { columns: pkColumns };
    const uniqueConstraints: UniqueConstraintSnapshot[] = [];
    const indexes: IndexSnapshot[] = [];
    for (const [ixName, rows] of indexGroups) {
      if (ixName === 'PRIMARY') continue;
      const unique = Number(rows[0]!.NON_UNIQUE) === 0;
      const parts = rows.map(indexPart);
      const plain = parts.every((p): p is string => typeof p === 'string');
      if (unique && plain) {
        const col = parts.length === 1 ? columns.find((c) => c.name === parts[0]) : undefined;
        if (col && ixName === col.name) (col as Mutable<ColumnSnapshot>).unique = true;
        else uniqueConstraints.push({ name: ixName, columns: parts });
        continue;
      }
      // The index InnoDB made for a foreign key carries the key's name and columns.
      if (!unique && plain && foreignKeys.some((fk) => fk.name === ixName && sameList(fk.columns, parts))) continue;
      indexes.push({ name: ixName, columns: parts, unique });
    }

    const checkConstraints: CheckConstraintSnapshot[] = checks
      .filter((c) => !jsonChecks.has(c.name))
      .map((c) => ({ name: c.name, expression: unwrapMysql(c.clause) }));

    const snapshot: Mutable<TableSnapshot> = {
      name: table,
      columns,
      foreignKeys: foreignKeys.sort(byName),
      uniqueConstraints: uniqueConstraints.sort(byName),
      checkConstraints: checkConstraints.sort(byName),
      indexes: indexes.sort(byName),
    };
    if (schema !== undefined) snapshot.schema = schema;
    if (primaryKey) snapshot.primaryKey = primaryKey;
    if (tableRow.comment != null && String(tableRow.comment) !== '') snapshot.comment = String(tableRow.comment);
    return snapshot;
  }

  /** The CHECK constraints of a table (name and clause); none on servers without the catalog table. */
  async #checks(db: string, table: string): Promise<{ name: string; clause: string }[]> {
    let rows: readonly Row[];
    try {
      rows =
        this.#flavour === 'mariadb'
          ? // MariaDB names checks per table (a column-level check takes the column's name).
            await this.#query(
              'SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?',
              db,
              table,
            )
          : // MySQL names them per database; TABLE_CONSTRAINTS says which table each belongs to.
            await this.#query(
              `SELECT cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS cc
               JOIN information_schema.TABLE_CONSTRAINTS tc
                 ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
               WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ?`,
              db,
              table,
            );
    } catch (error) {
      // MySQL before 8.0.16 has no CHECK_CONSTRAINTS table (and enforces no checks).
      if ((error as { code?: unknown }).code === 'ER_UNKNOWN_TABLE') return [];
      throw error;
    }
    return rows.map((r) => ({ name: String(r.name), clause: String(r.clause) }));
  }

  /**
   * Turns `information_schema.COLUMNS.COLUMN_DEFAULT` into a {@link DefaultValue}.
   *
   * MariaDB (10.2.7+) writes the default as SQL: string literals quoted (`'USD'`), numbers bare,
   * expressions as written (`current_timestamp()`), and `NULL` for a NULL default or none. MySQL
   * writes literals bare (`USD`) and flags expressions with `DEFAULT_GENERATED` in `EXTRA`
   * (except `CURRENT_TIMESTAMP` on older servers).
   *
   * @param raw - the COLUMN_DEFAULT value (`null`: no default → `undefined`).
   * @param type - the column's (normalized) type.
   * @param extra - the column's EXTRA text.
   * @example
   * ```ts
   * new MysqlIntrospector(exec, 'mariadb').parseDefault("'USD'", parseColumnType('varchar(3)'), ''); // 'USD'
   * new MysqlIntrospector(exec, 'mysql').parseDefault('USD', parseColumnType('varchar(3)'), '');     // 'USD'
   * ```
   */
  parseDefault(raw: unknown, type: ColumnType, extra: string): DefaultValue | undefined {
    if (raw === null || raw === undefined) return undefined;
    const text = String(raw);
    const isBool = type.name === 'boolean';
    if (this.#flavour === 'mariadb') {
      const t = text.trim();
      if (/^null$/i.test(t)) return undefined;
      const string = readMysqlString(t);
      if (string !== undefined) return string;
      const n = number(t, isBool);
      if (n !== undefined) return n;
      return { sql: unwrapMysql(t) };
    }
    if (/DEFAULT_GENERATED/i.test(extra) || /^CURRENT_TIMESTAMP(\(\d*\))?$/i.test(text.trim())) return { sql: unwrapMysql(text) };
    if (isNumericType(type)) return number(text.trim(), isBool) ?? { sql: text };
    if (/^bit$/.test(type.name)) return { sql: text };
    return text;
  }
}

function number(t: string, isBool: boolean): DefaultValue | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  if (isBool && (n === 0 || n === 1)) return n === 1;
  if (Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) return n;
  return { sql: t };
}

const NUMERIC = /^(boolean|tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real)$/;

function isNumericType(type: ColumnType): boolean {
  return NUMERIC.test(type.name);
}

/**
 * Parses `COLUMN_TYPE` (`int(11) unsigned`, `varchar(3)`, `tinyint(1)`, `enum('a','b')`) into a
 * {@link ColumnType}, dropping integer display widths and reading `tinyint(1)` as `boolean`.
 */
function columnType(text: string): ColumnType {
  const t = text.trim().toLowerCase();
  if (t === 'tinyint(1)') return parseColumnType('boolean');
  const normalized = t.replace(/^(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)/, '$1');
  try {
    return parseColumnType(normalized);
  } catch {
    return Object.freeze({ name: normalized.replace(/\s+/g, ' '), args: Object.freeze([]), modifiers: Object.freeze([]), array: false });
  }
}

/** One key part of an index: a column, `` `col`(n) `` for a prefix, or `(expr)` for a functional part. */
function indexPart(r: Row): string | { readonly sql: string } {
  if (r.COLUMN_NAME == null) return { sql: `(${unwrapMysql(String(r.EXPRESSION ?? ''))})` };
  const column = String(r.COLUMN_NAME);
  return r.SUB_PART == null ? column : { sql: `${mysqlName(column)}(${Number(r.SUB_PART)})` };
}

function action(value: unknown): ReferentialAction | undefined {
  const v = String(value ?? '').toLowerCase();
  return v === 'cascade' || v === 'set null' || v === 'set default' ? v : undefined;
}

function groupBy(rows: readonly Row[], key: (r: Row) => string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const k = key(r);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(r);
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
}

function byName(a: { readonly name?: string }, b: { readonly name?: string }): number {
  const x = a.name ?? '';
  const y = b.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
