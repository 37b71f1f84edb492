import {
  parseColumnType,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type DefaultValue,
  type DependentObjectSnapshot,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type PrimaryKeySnapshot,
  type ReferentialAction,
  type Statement,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { isWrapped } from './sqlite-column-definition.js';
import { parseSqliteCreateIndex } from './sqlite-index-parser.js';
import { sqlNames } from './sqlite-sql-references.js';
import { parseSqliteCreateTable, type ParsedTable } from './sqlite-table-parser.js';

/** Runs one statement and returns its rows (a `DialectConnection`'s `execute`). */
export type StatementExecutor = (statement: Statement) => Promise<readonly Record<string, unknown>[]>;

type Row = Record<string, unknown>;

/**
 * Reads a SQLite table into a {@link TableSnapshot}: the shape models produce, so autogenerate
 * can compare them and batch mode can rebuild from it.
 *
 * Sources: `PRAGMA table_xinfo` (columns, types, NOT NULL, defaults, primary key order, generated
 * columns), `PRAGMA index_list`/`index_xinfo` (unique constraints and indexes),
 * `PRAGMA foreign_key_list` (foreign keys and their actions), `PRAGMA table_list` (STRICT,
 * WITHOUT ROWID) and the CREATE TABLE / CREATE INDEX text in `sqlite_master` for what pragmas do
 * not report: constraint names, CHECK constraints, collations, AUTOINCREMENT, generated-column
 * expressions, expression index terms and partial-index predicates.
 *
 * `dependents` (set when there are any) holds what a batch rebuild must recreate, as stored in
 * `sqlite_master`, in creation order: the table's explicit indexes, its triggers, and every view
 * or trigger whose SQL names the table or such a view (found by name, so a false match only
 * costs a needless drop and recreate).
 *
 * Constraints are reported where they were declared: a column-level PRIMARY KEY, UNIQUE or
 * REFERENCES sets the column's `primaryKey`/`unique`/`references`; table-level ones fill
 * `primaryKey`, `uniqueConstraints` and `foreignKeys` (with their `CONSTRAINT` names). SQLite
 * keeps no comments; index column directions (`DESC`) are not part of the snapshot. An
 * `INTEGER PRIMARY KEY` (rowid alias) and WITHOUT ROWID key columns are reported NOT NULL.
 *
 * @example
 * ```ts
 * const introspector = new SqliteIntrospector((s) => connection.execute(s));
 * const snapshot = await introspector.getTable('Invoice'); // undefined when there is no such table
 * ```
 */
export class SqliteIntrospector {
  readonly #execute: StatementExecutor;

  /** @param execute - runs a statement on the database to read (one connection). */
  constructor(execute: StatementExecutor) {
    this.#execute = execute;
  }

  #query(sql: string, ...parameters: unknown[]): Promise<readonly Row[]> {
    return this.#execute({ sql, parameters });
  }

  /**
   * Reads one table.
   * @param name - table name (matched case-insensitively, as SQLite does; the snapshot carries
   *   the name as declared).
   * @param schema - attached database name (default `main`); set on the snapshot only when given.
   * @returns the snapshot, or `undefined` when no such table exists (views are not tables).
   * @throws the driver's error when a pragma fails.
   */
  async getTable(name: string, schema?: string): Promise<TableSnapshot | undefined> {
    const db = schema ?? 'main';
    const master = `"${db.replace(/"/g, '""')}".sqlite_master`;
    const [tableRow] = await this.#query(`SELECT name, sql FROM ${master} WHERE type = 'table' AND name = ? COLLATE NOCASE`, name);
    if (!tableRow) return undefined;
    const table = String(tableRow.name);
    const parsed = typeof tableRow.sql === 'string' ? parseSqliteCreateTable(tableRow.sql) : undefined;
    const [listed] = await this.#query('SELECT * FROM pragma_table_list(?) WHERE schema = ?', table, db);
    const strict = listed ? Number(listed.strict) === 1 : (parsed?.strict ?? false);
    const withoutRowid = listed ? Number(listed.wr) === 1 : (parsed?.withoutRowid ?? false);

    const xinfo = (await this.#query('SELECT * FROM pragma_table_xinfo(?, ?) ORDER BY cid', table, db)).filter((r) => Number(r.hidden) !== 1);
    const pkRows = xinfo.filter((r) => Number(r.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
    const pkColumns = pkRows.map((r) => String(r.name));
    const rowidAlias = !withoutRowid && pkRows.length === 1 && String(pkRows[0]!.type).toUpperCase() === 'INTEGER';
    const parsedColumn = (n: string) => parsed?.columns.find((c) => same(c.name, n));
    const inlinePk = pkColumns.length === 1 && parsedColumn(pkColumns[0]!)?.primaryKey !== undefined ? pkColumns[0] : undefined;

    // Foreign keys, resolved to the parent's primary key where no columns are named.
    const fkRows = await this.#query('SELECT * FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq', table, db);
    const fks: (ForeignKeySnapshot & { inline?: string })[] = [];
    const ids = [...new Set(fkRows.map((r) => Number(r.id)))].sort((a, b) => b - a); // ids count from the last declared
    for (const id of ids) {
      const rows = fkRows.filter((r) => Number(r.id) === id);
      const first = rows[0]!;
      const referredTable = String(first.table);
      const columns = rows.map((r) => String(r.from));
      let referredColumns = rows.map((r) => (r.to === null ? '' : String(r.to)));
      if (referredColumns.some((c) => c === '')) referredColumns = await this.#primaryKeyOf(referredTable, db);
      const match = matchForeignKey(parsed, columns, referredTable);
      const fk: { -readonly [K in keyof ForeignKeySnapshot]: ForeignKeySnapshot[K] } & { inline?: string } = { columns, referredTable, referredColumns };
      if (match?.name) fk.name = match.name;
      const onDelete = action(first.on_delete);
      const onUpdate = action(first.on_update);
      if (onDelete) fk.onDelete = onDelete;
      if (onUpdate) fk.onUpdate = onUpdate;
      if (match?.inline) fk.inline = columns[0]!;
      fks.push(fk);
    }

    const columns: ColumnSnapshot[] = xinfo.map((r) => {
      const colName = String(r.name);
      const p = parsedColumn(colName);
      const type = declaredType(String(r.type ?? ''));
      const isPk = pkColumns.includes(colName);
      const col: { -readonly [K in keyof ColumnSnapshot]: ColumnSnapshot[K] } = {
        name: colName,
        type,
        nullable: Number(r.notnull) === 0 && !(isPk && (rowidAlias || withoutRowid)),
      };
      if (colName === inlinePk) col.primaryKey = true;
      if (isPk && pkColumns.length === 1 && (p?.primaryKey?.autoincrement || parsed?.primaryKey?.autoincrement)) col.autoincrement = true;
      if (p?.unique) col.unique = true;
      const dflt = parseDefault(r.dflt_value, type);
      if (dflt !== undefined) col.default = dflt;
      if (p?.collation) col.collation = p.collation;
      const hidden = Number(r.hidden);
      if (hidden === 2 || hidden === 3) col.generated = { sql: p?.generated?.sql ?? '', stored: hidden === 3 };
      const fk = fks.find((f) => f.inline === colName);
      if (fk) {
        col.references = {
          table: fk.referredTable,
          column: fk.referredColumns[0] ?? '',
          ...(fk.onDelete ? { onDelete: fk.onDelete } : {}),
          ...(fk.onUpdate ? { onUpdate: fk.onUpdate } : {}),
        };
      }
      return col;
    });

    let primaryKey: PrimaryKeySnapshot | undefined;
    if (pkColumns.length && !inlinePk) {
      primaryKey = parsed?.primaryKey?.name ? { name: parsed.primaryKey.name, columns: pkColumns } : { columns: pkColumns };
    }

    const uniqueConstraints: UniqueConstraintSnapshot[] = [];
    const indexes: IndexSnapshot[] = [];
    const indexList = await this.#query('SELECT * FROM pragma_index_list(?, ?) ORDER BY seq DESC', table, db);
    for (const ix of indexList) {
      const ixName = String(ix.name);
      const origin = String(ix.origin);
      if (origin === 'pk') continue;
      const keyRows = (await this.#query('SELECT * FROM pragma_index_xinfo(?, ?) WHERE key = 1 ORDER BY seqno', ixName, db)) as Row[];
      if (origin === 'u') {
        const cols = keyRows.map((k) => String(k.name));
        if (cols.length === 1 && parsedColumn(cols[0]!)?.unique) continue; // column-level UNIQUE
        const declared = parsed?.uniqueConstraints.find((u) => sameList(u.columns, cols));
        uniqueConstraints.push(declared?.name ? { name: declared.name, columns: cols } : { columns: cols });
        continue;
      }
      const [ixRow] = await this.#query(`SELECT sql FROM ${master} WHERE type = 'index' AND name = ?`, ixName);
      const parsedIx = typeof ixRow?.sql === 'string' ? parseSqliteCreateIndex(ixRow.sql) : undefined;
      const index: { -readonly [K in keyof IndexSnapshot]: IndexSnapshot[K] } = {
        name: ixName,
        columns: keyRows.map((k, i) => (Number(k.cid) >= 0 ? String(k.name) : { sql: parsedIx?.terms[i] ?? '' })),
        unique: Number(ix.unique) === 1,
      };
      if (Number(ix.partial) === 1 && parsedIx?.where) index.where = parsedIx.where;
      indexes.push(index);
    }
    // Keep the declaration order of table-level UNIQUE constraints.
    const order = (u: UniqueConstraintSnapshot) => parsed?.uniqueConstraints.findIndex((d) => sameList(d.columns, u.columns)) ?? -1;
    uniqueConstraints.sort((a, b) => order(a) - order(b));
    indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const checkConstraints: CheckConstraintSnapshot[] = [
      ...(parsed?.columns.flatMap((c) => c.checks) ?? []),
      ...(parsed?.checkConstraints ?? []),
    ].map((c) => (c.name ? { name: c.name, expression: c.expression } : { expression: c.expression }));

    const snapshot: { -readonly [K in keyof TableSnapshot]: TableSnapshot[K] } = {
      name: table,
      columns,
      foreignKeys: fks.filter((f) => !f.inline).map(({ inline: _inline, ...fk }) => fk),
      uniqueConstraints,
      checkConstraints,
      indexes,
    };
    if (schema !== undefined) snapshot.schema = schema;
    if (primaryKey) snapshot.primaryKey = primaryKey;
    if (strict) snapshot.strict = true;
    if (withoutRowid) snapshot.withoutRowid = true;
    const dependents = await this.#dependents(table, master);
    if (dependents.length) snapshot.dependents = dependents;
    return snapshot;
  }

  /** Indexes and triggers of the table, and views and triggers that name it, directly or through a view. */
  async #dependents(table: string, master: string): Promise<DependentObjectSnapshot[]> {
    const rows = await this.#query(
      `SELECT type, name, tbl_name, sql FROM ${master} WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid`,
    );
    const objects = rows.map((r) => ({
      type: String(r.type) as DependentObjectSnapshot['type'],
      name: String(r.name),
      tableName: String(r.tbl_name),
      sql: String(r.sql),
    }));
    const names = objects.map((o) => (o.type === 'index' ? new Set<string>() : sqlNames(o.sql)));
    const reached = new Set([table.toLowerCase()]);
    const chosen = new Set<number>();
    objects.forEach((o, i) => {
      if (o.type === 'index' && reached.has(o.tableName.toLowerCase())) chosen.add(i);
    });
    for (let grew = true; grew; ) {
      grew = false;
      objects.forEach((o, i) => {
        if (o.type === 'index' || chosen.has(i)) return;
        const on = o.type === 'trigger' && reached.has(o.tableName.toLowerCase());
        if (!on && ![...reached].some((n) => names[i]!.has(n))) return;
        chosen.add(i);
        if (o.type === 'view') reached.add(o.name.toLowerCase());
        grew = true;
      });
    }
    return objects.filter((_o, i) => chosen.has(i));
  }

  async #primaryKeyOf(table: string, db: string): Promise<string[]> {
    const rows = await this.#query('SELECT name, pk FROM pragma_table_xinfo(?, ?) WHERE pk > 0 ORDER BY pk', table, db);
    return rows.map((r) => String(r.name));
  }
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}

/** Finds the declaration of a foreign key: a column-level REFERENCES or a table-level FOREIGN KEY. */
function matchForeignKey(parsed: ParsedTable | undefined, columns: readonly string[], referredTable: string): { name?: string; inline: boolean } | undefined {
  if (!parsed) return undefined;
  if (columns.length === 1) {
    const col = parsed.columns.find((c) => same(c.name, columns[0]!) && c.references && same(c.references.referredTable, referredTable));
    if (col?.references) return { ...(col.references.name ? { name: col.references.name } : {}), inline: true };
  }
  const fk = parsed.foreignKeys.find((f) => sameList(f.columns, columns) && same(f.referredTable, referredTable));
  return fk ? { ...(fk.name ? { name: fk.name } : {}), inline: false } : undefined;
}

function action(value: unknown): ReferentialAction | undefined {
  const v = String(value ?? '').toLowerCase();
  return v === 'cascade' || v === 'set null' || v === 'set default' || v === 'restrict' ? v : undefined;
}

/** Parses a declared type; a type our parser does not accept is kept as written (lower-cased). */
function declaredType(text: string): ColumnType {
  const t = text.trim();
  if (t) {
    try {
      return parseColumnType(t);
    } catch {
      // fall through: keep the text
    }
  }
  return Object.freeze({ name: t.toLowerCase().replace(/\s+/g, ' '), args: Object.freeze([]), modifiers: Object.freeze([]), array: false });
}

/**
 * Turns `PRAGMA table_xinfo.dflt_value` (the default's SQL text) into a {@link DefaultValue}:
 * `NULL`, string and number literals become values (`1`/`0` and `TRUE`/`FALSE` become booleans on
 * a boolean column); anything else is `{ sql }` without its outer parentheses.
 * @param raw - the pragma's `dflt_value` (`null`: no default → `undefined`).
 * @param type - the column's type.
 * @example
 * ```ts
 * parseDefault("'USD'", parseColumnType('varchar(3)'));        // 'USD'
 * parseDefault("datetime('now')", parseColumnType('text'));    // { sql: "datetime('now')" }
 * ```
 */
export function parseDefault(raw: unknown, type: ColumnType): DefaultValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  const t = String(raw).trim();
  const isBool = type.name === 'boolean' || type.name === 'bool';
  if (/^null$/i.test(t)) return null;
  if (/^'(?:[^']|'')*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (/^(true|false)$/i.test(t)) return isBool ? t.toLowerCase() === 'true' : { sql: t.toUpperCase() };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const n = Number(t);
    if (isBool && (n === 0 || n === 1)) return n === 1;
    if (Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) return n;
    return { sql: t };
  }
  return { sql: isWrapped(t) ? t.slice(1, -1).trim() : t };
}
