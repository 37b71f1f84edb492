import {
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  parseColumnType,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type DatabaseSnapshot,
  type DefaultValue,
  type DependentObjectSnapshot,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type IntrospectOptions,
  type NamingConvention,
  type PrimaryKeySnapshot,
  type ReferentialAction,
  type SchemaObjectSnapshot,
  type Statement,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { compareNames } from '../shared/compare-names.js';
import { sqlReferences } from '../shared/sql-references.js';
import { isWrapped } from './sqlite-column-definition.js';
import { parseSqliteCreateIndex } from './sqlite-index-parser.js';
import { sqlNames, unqualifyOwnColumns } from './sqlite-sql-references.js';
import { parseSqliteCreateTable, type ParsedForeignKey, type ParsedTable } from './sqlite-table-parser.js';

/** Runs one statement and returns its rows (a `DialectConnection`'s `execute`). */
export type StatementExecutor = (statement: Statement) => Promise<readonly Record<string, unknown>[]>;

type Row = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the catalog queries returned for the tables read, grouped by table (lower-case name). */
interface CatalogRows {
  /** Every row of `sqlite_master` read, in creation order. */
  readonly master: readonly Row[];
  /** The stored CREATE INDEX text of each explicit index, by name. */
  readonly indexSql: ReadonlyMap<string, string>;
  /** Indexes, triggers and views as dependents, read once for every table of the read. */
  readonly dependents: DependentCandidates;
  readonly tableList: ReadonlyMap<string, Row>;
  readonly columns: ReadonlyMap<string, Row[]>;
  readonly foreignKeys: ReadonlyMap<string, Row[]>;
  readonly indexColumns: ReadonlyMap<string, Row[]>;
}

/**
 * Reads SQLite tables into {@link TableSnapshot}s: the shape models produce, so autogenerate can
 * compare them and batch mode can rebuild from it. One table ({@link getTable}) or the whole
 * database with its views and triggers ({@link getDatabase}) are read by the same five catalog
 * queries (filtered to one table, or not), never one query per table.
 *
 * Sources: `pragma_table_xinfo` (columns, types, NOT NULL, defaults, primary key order, generated
 * columns), `pragma_index_list`/`pragma_index_xinfo` (unique constraints and indexes),
 * `pragma_foreign_key_list` (foreign keys and their actions), `pragma_table_list` (STRICT,
 * WITHOUT ROWID), each joined with `sqlite_master` so one query covers every table, and the
 * CREATE TABLE / CREATE INDEX text in `sqlite_master` for what pragmas do not report: constraint
 * names, CHECK constraints, collations, AUTOINCREMENT, generated-column expressions, expression
 * index terms and partial-index predicates.
 *
 * `dependents` (set when there are any) holds what a batch rebuild must recreate, as stored in
 * `sqlite_master`, in creation order: the table's explicit indexes, its triggers, and every view
 * or trigger whose SQL names the table or such a view (found by name, so a false match only
 * costs a needless drop and recreate).
 *
 * Constraints are reported where they were declared: a column-level PRIMARY KEY, UNIQUE or
 * REFERENCES sets the column's `primaryKey`/`unique`/`references` (their `CONSTRAINT` names are
 * the naming convention's, by the naming rule, and are not repeated); table-level ones fill
 * `primaryKey` (with the columns written `DESC` as `descending`, except on a rowid alias, where
 * the order means nothing), `uniqueConstraints` and `foreignKeys` (with their `CONSTRAINT`
 * names). A column-level `INTEGER PRIMARY KEY DESC`, which SQLite keeps out of the rowid, is a
 * table-level `primaryKey` with `descending` (what CREATE TABLE writes on its column again). A
 * table-level UNIQUE with a key sorted `DESC` is reported as a unique index with the key's
 * `order` (`tableConstraint: true`), named by its `CONSTRAINT` name or else by the naming
 * convention's `uq` name (a unique constraint has no key order in the snapshot). SQLite keeps no
 * comments. An
 * `INTEGER PRIMARY KEY` (rowid alias) and WITHOUT ROWID key columns are reported NOT NULL.
 *
 * @example
 * ```ts
 * const introspector = new SqliteIntrospector((s) => connection.execute(s));
 * const snapshot = await introspector.getTable('Invoice'); // undefined when there is no such table
 * const database = await introspector.getDatabase({ exclude: ['multidb_version'] });
 * ```
 */
export class SqliteIntrospector {
  readonly #execute: StatementExecutor;
  readonly #convention: NamingConvention;

  /**
   * @param execute - runs a statement on the database to read (one connection).
   * @param convention - names an unnamed table-level UNIQUE reported as an index (one with a
   *   `DESC` key); default {@link DEFAULT_NAMING_CONVENTION}.
   */
  constructor(execute: StatementExecutor, convention: NamingConvention = DEFAULT_NAMING_CONVENTION) {
    this.#execute = execute;
    this.#convention = convention;
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
    const rows = await this.#read(schema ?? 'main', name);
    const tableRow = rows.master.find((r) => r.type === 'table' && same(String(r.name), name));
    if (!tableRow) return undefined;
    return this.#build(tableRow, rows, schema);
  }

  /**
   * Reads the whole database (`main`, or an attached one) in five catalog queries, whatever the
   * number of tables: every table (SQLite's own `sqlite_…` tables and `exclude`d names left out),
   * and its views and triggers as objects with the tables and columns their SQL names (read with
   * the SQL tokenizer: a table is referenced when its name appears, a column when its name
   * appears and its table is referenced). SQLite has no enum types.
   * @param options - `schema`: an attached database's name (set on the tables and objects);
   *   `exclude`: table names to leave out (case-insensitive, as SQLite names are).
   * @returns the snapshot, tables sorted by name.
   * @throws the driver's error when a query fails.
   */
  async getDatabase(options: IntrospectOptions = {}): Promise<DatabaseSnapshot> {
    const rows = await this.#read(options.schema ?? 'main');
    const excluded = new Set((options.exclude ?? []).map((n) => n.toLowerCase()));
    const tableRows = rows.master.filter((r) => r.type === 'table' && !/^sqlite_/i.test(String(r.name)) && !excluded.has(String(r.name).toLowerCase()));
    const tables: TableSnapshot[] = [];
    for (const r of tableRows) tables.push(await this.#build(r, rows, options.schema));
    tables.sort((a, b) => compareNames(a.name, b.name));
    return { tables, enums: [], objects: objectsOf(rows, options.schema) };
  }

  /** The five catalog queries, for one table (`table`) or every table of the database. */
  async #read(db: string, table?: string): Promise<CatalogRows> {
    const master = `"${db.replace(/"/g, '""')}".sqlite_master`;
    // One table: its own row, its indexes, and every trigger and view (its dependents are found among them).
    const masterFilter =
      table === undefined
        ? ''
        : ` WHERE (type = 'table' AND name = ? COLLATE NOCASE) OR (type = 'index' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL) OR type IN ('trigger', 'view')`;
    const tableFilter = table === undefined ? '' : ' AND m.name = ? COLLATE NOCASE';
    const masterRows = await this.#query(
      `SELECT type, name, tbl_name, sql FROM ${master}${masterFilter} ORDER BY rowid`,
      ...(table === undefined ? [] : [table, table]),
    );
    const tableList = await this.#query(
      table === undefined ? 'SELECT name, strict, wr FROM pragma_table_list WHERE schema = ?' : 'SELECT name, strict, wr FROM pragma_table_list(?) WHERE schema = ?',
      ...(table === undefined ? [db] : [table, db]),
    );
    const one = table === undefined ? [] : [table];
    const columns = await this.#query(
      `SELECT m.name AS tbl, x.cid, x.name, x.type, x."notnull", x.dflt_value, x.pk, x.hidden
       FROM ${master} m JOIN pragma_table_xinfo(m.name, ?) x WHERE m.type = 'table'${tableFilter} ORDER BY m.name, x.cid`,
      db,
      ...one,
    );
    const foreignKeys = await this.#query(
      `SELECT m.name AS tbl, f.id, f.seq, f."table" AS referred, f."from", f."to", f.on_update, f.on_delete
       FROM ${master} m JOIN pragma_foreign_key_list(m.name, ?) f WHERE m.type = 'table'${tableFilter} ORDER BY m.name, f.id, f.seq`,
      db,
      ...one,
    );
    const indexColumns = await this.#query(
      `SELECT m.name AS tbl, il.seq AS list_seq, il.name AS index_name, il."unique", il.origin, il.partial, ix.seqno, ix.cid, ix.name AS column_name, ix."desc" AS descending
       FROM ${master} m JOIN pragma_index_list(m.name, ?) il JOIN pragma_index_xinfo(il.name, ?) ix
       WHERE m.type = 'table' AND ix.key = 1${tableFilter} ORDER BY m.name, il.seq DESC, ix.seqno`,
      db,
      db,
      ...one,
    );
    const byTable = (list: readonly Row[]) => {
      const out = new Map<string, Row[]>();
      for (const r of list) {
        const key = String(r.tbl).toLowerCase();
        let l = out.get(key);
        if (!l) out.set(key, (l = []));
        l.push(r);
      }
      return out;
    };
    return {
      master: masterRows,
      indexSql: new Map(masterRows.filter((r) => r.type === 'index' && typeof r.sql === 'string').map((r) => [String(r.name), String(r.sql)])),
      dependents: dependentCandidates(masterRows),
      tableList: new Map(tableList.map((r) => [String(r.name).toLowerCase(), r])),
      columns: byTable(columns),
      foreignKeys: byTable(foreignKeys),
      indexColumns: byTable(indexColumns),
    };
  }

  async #build(tableRow: Row, rows: CatalogRows, schema: string | undefined): Promise<TableSnapshot> {
    const table = String(tableRow.name);
    const key = table.toLowerCase();
    const parsed = typeof tableRow.sql === 'string' ? parseSqliteCreateTable(tableRow.sql) : undefined;
    const listed = rows.tableList.get(key);
    const strict = listed ? Number(listed.strict) === 1 : (parsed?.strict ?? false);
    const withoutRowid = listed ? Number(listed.wr) === 1 : (parsed?.withoutRowid ?? false);

    const xinfo = (rows.columns.get(key) ?? []).filter((r) => Number(r.hidden) !== 1);
    const pkRows = xinfo.filter((r) => Number(r.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
    const pkColumns = pkRows.map((r) => String(r.name));
    const parsedColumn = (n: string) => parsed?.columns.find((c) => same(c.name, n));
    // SQLite's quirk: a column-level `INTEGER PRIMARY KEY DESC` is no rowid alias (a table-level
    // `PRIMARY KEY ("id" DESC)` is one): it is reported as a table-level key with `descending`.
    const columnKey = pkColumns.length === 1 ? parsedColumn(pkColumns[0]!)?.primaryKey : undefined;
    const integerKey = !withoutRowid && pkRows.length === 1 && String(pkRows[0]!.type).toUpperCase() === 'INTEGER';
    const rowidAlias = integerKey && columnKey?.descending !== true;
    const inlinePk = columnKey !== undefined && columnKey.descending !== true ? pkColumns[0] : undefined;

    // Foreign keys, resolved to the parent's primary key where no columns are named.
    const fkRows = rows.foreignKeys.get(key) ?? [];
    const fks: (ForeignKeySnapshot & { inline?: string })[] = [];
    const ids = [...new Set(fkRows.map((r) => Number(r.id)))].sort((a, b) => b - a); // ids count from the last declared
    for (const id of ids) {
      const group = fkRows.filter((r) => Number(r.id) === id);
      const first = group[0]!;
      const referredTable = String(first.referred);
      const columns = group.map((r) => String(r.from));
      let referredColumns = group.map((r) => (r.to === null ? '' : String(r.to)));
      if (referredColumns.some((c) => c === '')) referredColumns = await this.#primaryKeyOf(referredTable, rows, schema ?? 'main');
      const match = matchForeignKey(parsed, columns, referredTable);
      const fk: Mutable<ForeignKeySnapshot> & { inline?: string } = { columns, referredTable, referredColumns };
      if (match?.declared.name) fk.name = match.declared.name;
      if (match?.declared.deferrable) fk.deferrable = true;
      if (match?.declared.initiallyDeferred) fk.initiallyDeferred = true;
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
      const col: Mutable<ColumnSnapshot> = {
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
      // The key order as written: a column-level PRIMARY KEY DESC, or the table-level PRIMARY KEY
      // (…) — except on a rowid alias, whose order means nothing (it is the rowid's).
      const written = columnKey?.descending ? pkColumns : rowidAlias ? [] : (parsed?.primaryKey?.descending ?? []);
      const descending = pkColumns.filter((c) => written.some((d) => same(d, c)));
      const name = columnKey?.descending ? columnKey.name : parsed?.primaryKey?.name;
      primaryKey = {
        ...(name ? { name } : {}),
        columns: pkColumns,
        ...(descending.length ? { descending } : {}),
      };
    }

    const uniqueConstraints: UniqueConstraintSnapshot[] = [];
    const indexes: IndexSnapshot[] = [];
    const indexRows = rows.indexColumns.get(key) ?? [];
    for (const ixName of [...new Set(indexRows.map((r) => String(r.index_name)))]) {
      const keyRows = indexRows.filter((r) => String(r.index_name) === ixName);
      const ix = keyRows[0]!;
      const origin = String(ix.origin);
      if (origin === 'pk') continue;
      if (origin === 'u') {
        const cols = keyRows.map((k) => String(k.column_name));
        if (cols.length === 1 && parsedColumn(cols[0]!)?.unique) continue; // column-level UNIQUE
        const declared = parsed?.uniqueConstraints.find((u) => sameList(u.columns, cols));
        if (keyRows.some((k) => Number(k.descending) === 1)) {
          // A key sorted DESC: a unique index with the order (a unique constraint has none).
          indexes.push({
            name: declared?.name ?? conventionalName(this.#convention, 'uq', { table, columns: cols }),
            columns: keyRows.map((k) => (Number(k.descending) === 1 ? { name: String(k.column_name), order: 'desc' as const } : String(k.column_name))),
            unique: true,
            tableConstraint: true,
          });
          continue;
        }
        uniqueConstraints.push(declared?.name ? { name: declared.name, columns: cols } : { columns: cols });
        continue;
      }
      const stored = rows.indexSql.get(ixName);
      const parsedIx = stored !== undefined ? parseSqliteCreateIndex(stored) : undefined;
      const index: Mutable<IndexSnapshot> = {
        name: ixName,
        columns: keyRows.map((k, i) => {
          const desc = Number(k.descending) === 1 ? { order: 'desc' as const } : {};
          if (Number(k.cid) >= 0) return Number(k.descending) === 1 ? { name: String(k.column_name), ...desc } : String(k.column_name);
          return { sql: parsedIx?.terms[i] ?? '', ...desc };
        }),
        unique: Number(ix.unique) === 1,
      };
      if (Number(ix.partial) === 1 && parsedIx?.where) index.where = unqualifyOwnColumns(parsedIx.where, table);
      indexes.push(index);
    }
    // Keep the declaration order of table-level UNIQUE constraints.
    const order = (u: UniqueConstraintSnapshot) => parsed?.uniqueConstraints.findIndex((d) => sameList(d.columns, u.columns)) ?? -1;
    uniqueConstraints.sort((a, b) => order(a) - order(b));
    indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const checkConstraints: CheckConstraintSnapshot[] = [
      ...(parsed?.columns.flatMap((c) => c.checks) ?? []),
      ...(parsed?.checkConstraints ?? []),
    ].map((c) => {
      // drizzle-kit writes `"users"."email"` in a CHECK: the same as `"email"` in the table.
      const expression = unqualifyOwnColumns(c.expression, table);
      return c.name ? { name: c.name, expression } : { expression };
    });

    const snapshot: Mutable<TableSnapshot> = {
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
    const dependents = dependentsOf(table, rows.dependents);
    if (dependents.length) snapshot.dependents = dependents;
    return snapshot;
  }

  /** The primary key of a referred table: from the rows read, else (one-table reads) one more query. */
  async #primaryKeyOf(table: string, rows: CatalogRows, db: string): Promise<string[]> {
    const known = rows.columns.get(table.toLowerCase());
    const pk = known ?? (await this.#query('SELECT name, pk FROM pragma_table_xinfo(?, ?)', table, db));
    return pk
      .filter((r) => Number(r.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((r) => String(r.name));
  }
}

/** The objects of `sqlite_master` that can be a table's dependents, prepared once per read. */
interface DependentCandidates {
  /** Explicit indexes (with SQL), by table (lower-case), in creation order. */
  readonly indexes: ReadonlyMap<string, readonly (DependentObjectSnapshot & { readonly order: number })[]>;
  /** Views and triggers, in creation order, with the names their SQL uses. */
  readonly others: readonly (DependentObjectSnapshot & { readonly order: number; readonly names: ReadonlySet<string> })[];
}

function dependentCandidates(master: readonly Row[]): DependentCandidates {
  const indexes = new Map<string, (DependentObjectSnapshot & { order: number })[]>();
  const others: (DependentObjectSnapshot & { order: number; names: ReadonlySet<string> })[] = [];
  master.forEach((r, order) => {
    if (typeof r.sql !== 'string' || (r.type !== 'index' && r.type !== 'trigger' && r.type !== 'view')) return;
    const o = { type: String(r.type) as DependentObjectSnapshot['type'], name: String(r.name), tableName: String(r.tbl_name), sql: r.sql };
    if (o.type === 'index') {
      const key = o.tableName.toLowerCase();
      let list = indexes.get(key);
      if (!list) indexes.set(key, (list = []));
      list.push({ ...o, order });
    } else others.push({ ...o, order, names: sqlNames(o.sql) });
  });
  return { indexes, others };
}

/** Indexes and triggers of the table, and views and triggers that name it, directly or through a view. */
function dependentsOf(table: string, candidates: DependentCandidates): DependentObjectSnapshot[] {
  const reached = new Set([table.toLowerCase()]);
  const chosen = new Set<number>();
  for (let grew = true; grew; ) {
    grew = false;
    candidates.others.forEach((o, i) => {
      if (chosen.has(i)) return;
      const on = o.type === 'trigger' && reached.has(o.tableName.toLowerCase());
      if (!on && ![...reached].some((n) => o.names.has(n))) return;
      chosen.add(i);
      if (o.type === 'view') reached.add(o.name.toLowerCase());
      grew = true;
    });
  }
  const found = [...(candidates.indexes.get(table.toLowerCase()) ?? []), ...candidates.others.filter((_o, i) => chosen.has(i))];
  return found.sort((a, b) => a.order - b.order).map(({ type, name, tableName, sql }) => ({ type, name, tableName, sql }));
}

/**
 * The views and triggers of the database as {@link SchemaObjectSnapshot}s. References are read
 * from their SQL: a table or view whose name the SQL uses (a trigger's own table always), and
 * each of its columns whose name the SQL uses.
 */
function objectsOf(rows: CatalogRows, schema: string | undefined): SchemaObjectSnapshot[] {
  const relations = new Map<string, readonly string[]>();
  for (const r of rows.master) {
    if (r.type === 'table' || r.type === 'view') relations.set(String(r.name), (rows.columns.get(String(r.name).toLowerCase()) ?? []).map((c) => String(c.name)));
  }
  const objects: SchemaObjectSnapshot[] = [];
  for (const r of rows.master) {
    if ((r.type !== 'view' && r.type !== 'trigger') || typeof r.sql !== 'string') continue;
    const name = String(r.name);
    const on = String(r.tbl_name);
    const references = sqlReferences(r.sql, relations, r.type === 'view' ? { self: name } : { on });
    objects.push({ type: r.type === 'view' ? 'view' : 'trigger', name, ...(schema !== undefined ? { schema } : {}), table: on, sql: r.sql, references });
  }
  return objects.sort((a, b) => (a.type === b.type ? compareNames(a.name, b.name) : a.type === 'view' ? -1 : 1));
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}

/** Finds the declaration of a foreign key: a column-level REFERENCES or a table-level FOREIGN KEY. */
function matchForeignKey(parsed: ParsedTable | undefined, columns: readonly string[], referredTable: string): { declared: ParsedForeignKey; inline: boolean } | undefined {
  if (!parsed) return undefined;
  if (columns.length === 1) {
    const col = parsed.columns.find((c) => same(c.name, columns[0]!) && c.references && same(c.references.referredTable, referredTable));
    // A column's REFERENCES has no place for DEFERRABLE in the snapshot: such a key is table-level.
    if (col?.references) return { declared: col.references, inline: !col.references.deferrable };
  }
  const fk = parsed.foreignKeys.find((f) => sameList(f.columns, columns) && same(f.referredTable, referredTable));
  return fk ? { declared: fk, inline: false } : undefined;
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
