import {
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  parseColumnType,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type ConstraintNameSnapshot,
  type DatabaseSnapshot,
  type DefaultValue,
  type ForeignKeySnapshot,
  type IndexColumn,
  type IndexSnapshot,
  type IntrospectOptions,
  type NamingConvention,
  type ReferentialAction,
  type SchemaObjectSnapshot,
  type Statement,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { compareNames } from '../shared/compare-names.js';
import { sqlReferences } from '../shared/sql-references.js';
import { mysqlName } from './mysql-column-definition.js';
import { readMysqlString, unwrapMysql } from './mysql-sql-text.js';
import type { MysqlFlavour } from './mysql-url.js';

/** Runs one statement and returns its rows (a `DialectConnection`'s `execute`). */
export type MysqlStatementExecutor = (statement: Statement) => Promise<readonly Record<string, unknown>[]>;

type Row = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Base tables of a database (`?`), with comment and default collation. */
const TABLES_SQL = `SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`;

/** What the catalog queries returned for the tables read. */
interface CatalogRows {
  readonly tables: readonly Row[];
  readonly columns: ReadonlyMap<string, Row[]>;
  readonly statistics: ReadonlyMap<string, Row[]>;
  readonly foreignKeys: ReadonlyMap<string, Row[]>;
  readonly checks: ReadonlyMap<string, Row[]>;
}

/** What {@link MysqlIntrospector} is built with. */
export interface MysqlIntrospectorOptions {
  /**
   * The project's naming convention (default {@link DEFAULT_NAMING_CONVENTION}): a single-column
   * unique index carrying the convention's `uq` name is reported on its column.
   */
  readonly namingConvention?: NamingConvention;
}

/**
 * Reads MySQL or MariaDB tables from `information_schema` into {@link TableSnapshot}s, the shape
 * models produce, so autogenerate can compare them: one table ({@link getTable}) or a whole
 * database with its views and triggers ({@link getDatabase}), by the same catalog queries
 * (filtered to one table, or to the database), never one query per table (but for an ENUM/SET
 * column whose members the catalog could not write: see below).
 *
 * Sources: `TABLES` (comment, default collation), `COLUMNS` (type, nullability, default,
 * AUTO_INCREMENT, `ON UPDATE`, comment, collation, generated expression), `STATISTICS` (primary
 * key, unique, plain, FULLTEXT and SPATIAL indexes, prefix and functional parts),
 * `KEY_COLUMN_USAGE` with `REFERENTIAL_CONSTRAINTS` (foreign keys and their actions),
 * `CHECK_CONSTRAINTS` (MySQL 8.0.16+, MariaDB 10.2+), and for a whole database `VIEWS`,
 * `VIEW_TABLE_USAGE` (MySQL 8.0.13+) and `TRIGGERS`.
 *
 * What MySQL does not keep is normalized:
 * - types: integer display widths are dropped (`int(11)` → `int`), `tinyint(1)` reads as
 *   `boolean`, ENUM and SET members keep their case (they are case-sensitive values), and on
 *   MariaDB a `longtext` column with its `json_valid` check reads as `json` (the check is not
 *   reported); the catalog writes types and defaults in utf8mb3, an emoji member as `?`: for such
 *   a column (a member with a `?`) the members are read from the column itself, with a temporary
 *   table on this connection (`CREATE TEMPORARY TABLE … LIMIT 0`, given each member by its index,
 *   then dropped: it needs the CREATE TEMPORARY TABLES privilege; without it the `?` text stays),
 *   and a default with a `?` is the member it stands for;
 * - defaults: MariaDB's quoted literals (`'USD'`) and MySQL's bare ones (`USD`) both read as
 *   `'USD'`; numbers as numbers (booleans on `boolean` columns); `CURRENT_TIMESTAMP` and
 *   expressions as `{ sql }` without outer parentheses; `NULL` (MariaDB's text for "no default")
 *   as no default; `ON UPDATE current_timestamp()` as `onUpdate` (as the server prints it);
 * - a single-column primary key is the column's `primaryKey`, a composite one (or one with a key
 *   sorted DESC, then with `descending`) the table's `primaryKey` (MySQL names every primary key
 *   PRIMARY, so no name is reported); a unique index
 *   on one column named after the column (MySQL's name for a column-level UNIQUE) or by the
 *   naming convention's `uq` template is the column's `unique` (its name in the table's
 *   `constraintNames`, so autogenerate drops it by that name); other unique indexes are
 *   `uniqueConstraints` (MySQL does not tell a UNIQUE constraint from a unique index), unless they
 *   have prefix or functional parts (then they are `indexes` with `unique: true`); FULLTEXT and
 *   SPATIAL indexes carry `method: 'fulltext' | 'spatial'`;
 * - foreign keys are table-level (MySQL does not keep column-level REFERENCES); `RESTRICT` and
 *   `NO ACTION` (InnoDB's default, the same behaviour) are reported as no action; the index
 *   MySQL creates for a foreign key (same name and columns) is not reported, unless another index
 *   begins with the key's columns too (then it was made by hand: InnoDB drops its own);
 * - a column's collation is reported only when it differs from the table's default, which is the
 *   snapshot's `defaultCollation`.
 *
 * @example
 * ```ts
 * const introspector = new MysqlIntrospector((s) => connection.execute(s), 'mariadb');
 * const snapshot = await introspector.getTable('Invoice'); // undefined when there is no such table
 * const database = await introspector.getDatabase({ exclude: ['multidb_version'] });
 * ```
 */
export class MysqlIntrospector {
  readonly #execute: MysqlStatementExecutor;
  readonly #flavour: MysqlFlavour;
  readonly #convention: NamingConvention;

  /**
   * @param execute - runs a statement on the database to read.
   * @param flavour - `'mysql' | 'mariadb'` (defaults and checks are read differently).
   * @param options - the naming convention.
   */
  constructor(execute: MysqlStatementExecutor, flavour: MysqlFlavour, options: MysqlIntrospectorOptions = {}) {
    this.#execute = execute;
    this.#flavour = flavour;
    this.#convention = options.namingConvention ?? DEFAULT_NAMING_CONVENTION;
  }

  #query(sql: string, ...parameters: unknown[]): Promise<readonly Row[]> {
    return this.#execute({ sql, parameters });
  }

  /**
   * Reads one table, in six catalog queries (plus, for each ENUM/SET column with a member the
   * catalog wrote as `?`, the temporary-table probe that reads its members).
   * @param name - the table name (an exact match is preferred over a case-insensitive one).
   * @param schema - the database (default: the connection's); set on the snapshot only when given.
   * @returns the snapshot, or `undefined` when there is no such base table (views are not tables).
   * @throws the driver's error when a catalog query fails.
   */
  async getTable(name: string, schema?: string): Promise<TableSnapshot | undefined> {
    const db = await this.#database(schema);
    if (db === undefined) return undefined;
    const tables = await this.#query(`${TABLES_SQL} AND TABLE_NAME = ?`, db, name);
    const tableRow = tables.find((t) => t.name === name) ?? tables[0];
    if (!tableRow) return undefined;
    const rows = await this.#read(db, [tableRow], String(tableRow.name));
    return this.#build(tableRow, rows, db, schema);
  }

  /**
   * Reads a whole database in at most nine catalog queries, whatever the number of tables (plus
   * the probe of each ENUM/SET column with a member the catalog wrote as `?`, as {@link getTable}): its
   * base tables (`exclude`d names left out), and its views and triggers as objects. A view's
   * referenced tables come from `VIEW_TABLE_USAGE` where the server has it (MySQL 8.0.13+), else
   * from the names in its stored definition; its columns, and a trigger's, are the columns of
   * those tables whose names the SQL uses. MySQL has no enum types (ENUM is a column type).
   * @param options - `schema`: the database to read (default: the connection's; set on the
   *   snapshot when given); `exclude`: table names to leave out.
   * @returns the snapshot, tables sorted by name.
   * @throws the driver's error when a catalog query fails.
   */
  async getDatabase(options: IntrospectOptions = {}): Promise<DatabaseSnapshot> {
    const db = await this.#database(options.schema);
    if (db === undefined) return { tables: [], enums: [], objects: [] };
    const excluded = new Set(options.exclude ?? []);
    const tableRows = (await this.#query(TABLES_SQL, db)).filter((t) => !excluded.has(String(t.name)));
    const rows = await this.#read(db, tableRows);
    const tables = tableRows.map((t) => this.#build(t, rows, db, options.schema));
    tables.sort((a, b) => compareNames(a.name, b.name));
    const objects = await this.#objects(db, rows, options.schema);
    return { tables, enums: [], objects };
  }

  async #database(schema: string | undefined): Promise<string | undefined> {
    if (schema !== undefined) return schema;
    const [dbRow] = await this.#query('SELECT DATABASE() AS db');
    return dbRow?.db == null ? undefined : String(dbRow.db);
  }

  /** The catalog queries for the tables of a database, or for one table (`table`). */
  async #read(db: string, tables: readonly Row[], table?: string): Promise<CatalogRows> {
    const filter = table === undefined ? '' : ' AND TABLE_NAME = ?';
    const args = table === undefined ? [db] : [db, table];
    const columns = await this.#query(
      `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_DEFAULT AS dflt, IS_NULLABLE AS nullable, DATA_TYPE AS dataType,
              COLUMN_TYPE AS columnType, COLLATION_NAME AS collation, EXTRA AS extra, COLUMN_COMMENT AS comment,
              GENERATION_EXPRESSION AS generation
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?${filter} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      ...args,
    );
    const statistics = await this.#query(
      `SELECT s.TABLE_NAME AS tbl, s.* FROM information_schema.STATISTICS s
       WHERE s.TABLE_SCHEMA = ?${filter.replace('TABLE_NAME', 's.TABLE_NAME')} ORDER BY s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX`,
      ...args,
    );
    const foreignKeys = await this.#query(
      `SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_SCHEMA AS refSchema,
              k.REFERENCED_TABLE_NAME AS refTable, k.REFERENCED_COLUMN_NAME AS refCol, rc.UPDATE_RULE AS onUpdate, rc.DELETE_RULE AS onDelete
       FROM information_schema.KEY_COLUMN_USAGE k
       LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc
         ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND rc.TABLE_NAME = k.TABLE_NAME
       WHERE k.TABLE_SCHEMA = ?${filter.replace('TABLE_NAME', 'k.TABLE_NAME')} AND k.REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      ...args,
    );
    for (const r of columns) {
      const members = await this.#membersLostByCatalog(db, r);
      if (members) r.members = members;
    }
    const checks = await this.#checks(db, table);
    const tableNames = new Set(tables.map((t) => String(t.name)));
    const byTable = (list: readonly Row[]) => {
      const out = new Map<string, Row[]>();
      for (const r of list) {
        const key = String(r.tbl);
        if (!tableNames.has(key)) continue; // a view's columns, or an excluded table
        let l = out.get(key);
        if (!l) out.set(key, (l = []));
        l.push(r);
      }
      return out;
    };
    return { tables, columns: byTable(columns), statistics: byTable(statistics), foreignKeys: byTable(foreignKeys), checks: byTable(checks) };
  }

  /**
   * The members of an ENUM or SET column whose `COLUMN_TYPE` lost some of them: the catalog
   * (information_schema, SHOW CREATE TABLE) writes the type in the server's system character set,
   * utf8mb3, so a character outside it (an emoji, '🌧') reads as `?` though the column keeps it.
   * For such a column only (a member with a `?` in it), the members are read from the column's own
   * values: a temporary table of that column (`CREATE TEMPORARY TABLE … SELECT … LIMIT 0`, on this
   * connection only, dropped at once) is given each member by its index (ENUM) or bit (SET).
   * @returns the members in order, or `undefined` when none was lost or they cannot be read so
   *   (no CREATE TEMPORARY TABLES privilege): the catalog's text is kept then.
   */
  async #membersLostByCatalog(db: string, r: Row): Promise<readonly string[] | undefined> {
    const type = columnType(String(r.columnType));
    if ((type.name !== 'enum' && type.name !== 'set') || !type.args.some((a) => typeof a === 'string' && a.includes('?'))) return undefined;
    const probe = mysqlName(`multidb_members_${Math.random().toString(16).slice(2, 10)}`);
    const column = mysqlName(String(r.name));
    const values = type.args.map((_, i) => (type.name === 'enum' ? String(i + 1) : String(1n << BigInt(i))));
    try {
      await this.#query(`CREATE TEMPORARY TABLE ${probe} SELECT ${column} FROM ${mysqlName(db)}.${mysqlName(String(r.tbl))} LIMIT 0`);
      await this.#query(`INSERT INTO ${probe} (${column}) VALUES ${values.map((v) => `(${v})`).join(', ')}`);
      const members = (await this.#query(`SELECT ${column} AS member FROM ${probe} ORDER BY ${column} + 0`)).map((m) => String(m.member));
      // The same members as the catalog's, each character it could not write a '?'.
      return members.length === type.args.length && members.every((m, i) => lost(m) === lost(String(type.args[i]))) ? Object.freeze(members) : undefined;
    } catch {
      return undefined;
    } finally {
      await this.#query(`DROP TEMPORARY TABLE IF EXISTS ${probe}`).catch(() => undefined);
    }
  }

  #build(tableRow: Row, rows: CatalogRows, db: string, schema: string | undefined): TableSnapshot {
    const table = String(tableRow.name);
    const tableCollation = tableRow.collation == null ? undefined : String(tableRow.collation);
    const checks = (rows.checks.get(table) ?? []).map((r) => ({ name: String(r.name), clause: String(r.clause) }));
    const columnRows = rows.columns.get(table) ?? [];
    const jsonChecks = new Set<string>();
    const jsonColumns = new Set<string>();
    const indexGroups = groupBy(rows.statistics.get(table) ?? [], (r) => String(r.INDEX_NAME));
    const pkRows = indexGroups.get('PRIMARY') ?? [];
    const pkColumns = pkRows.map((r) => String(r.COLUMN_NAME));
    // Keys sorted DESC (COLLATION 'D': MySQL 8, MariaDB 10.8+): the table's primaryKey, even on one column.
    const pkDescending = pkRows.filter((r) => String(r.COLLATION ?? '').toUpperCase() === 'D').map((r) => String(r.COLUMN_NAME));

    const columns: ColumnSnapshot[] = columnRows.map((r) => {
      const colName = String(r.name);
      const extra = String(r.extra ?? '');
      let type = columnType(String(r.columnType));
      if (Array.isArray(r.members)) type = Object.freeze({ ...type, args: r.members as readonly string[] });
      // MariaDB's JSON is LONGTEXT with a column-level CHECK (json_valid(`col`)), named after the
      // column when it was made (a renamed column keeps the old name).
      const jsonCheck = checks.find((c) => c.clause.trim().toLowerCase() === `json_valid(${mysqlName(colName)})`.toLowerCase());
      if (this.#flavour === 'mariadb' && String(r.dataType).toLowerCase() === 'longtext' && jsonCheck) {
        type = parseColumnType('json');
        jsonChecks.add(jsonCheck.name);
        jsonColumns.add(colName);
      }
      const col: Mutable<ColumnSnapshot> = { name: colName, type, nullable: String(r.nullable).toUpperCase() === 'YES' };
      if (pkColumns.length === 1 && pkColumns[0] === colName && !pkDescending.length) col.primaryKey = true;
      if (/auto_increment/i.test(extra)) col.autoincrement = true;
      const generated = /\b(VIRTUAL|STORED|PERSISTENT)\s+GENERATED\b/i.exec(extra);
      if (generated && r.generation != null && String(r.generation) !== '') {
        col.generated = { sql: unwrapMysql(String(r.generation)), stored: generated[1]!.toUpperCase() !== 'VIRTUAL' };
      } else {
        const dflt = this.parseDefault(r.dflt, type, extra);
        if (dflt !== undefined) col.default = Array.isArray(r.members) ? memberDefault(dflt, r.members as readonly string[], type.name) : dflt;
      }
      const onUpdate = /\bon update (\S+)/i.exec(extra);
      if (onUpdate) col.onUpdate = onUpdate[1]!;
      if (r.collation != null && tableCollation !== undefined && String(r.collation) !== tableCollation && !jsonColumns.has(colName)) {
        col.collation = String(r.collation);
      }
      if (r.comment != null && String(r.comment) !== '') col.comment = String(r.comment);
      return col;
    });

    // Foreign keys.
    const foreignKeys: ForeignKeySnapshot[] = [...groupBy(rows.foreignKeys.get(table) ?? [], (r) => String(r.name))].map(([fkName, group]) => {
      const first = group[0]!;
      const fk: Mutable<ForeignKeySnapshot> = {
        name: fkName,
        columns: group.map((x) => String(x.col)),
        referredTable: String(first.refTable),
        referredColumns: group.map((x) => String(x.refCol)),
      };
      if (first.refSchema != null && String(first.refSchema) !== db) fk.referredSchema = String(first.refSchema);
      const onDelete = action(first.onDelete);
      const onUpdate = action(first.onUpdate);
      if (onDelete) fk.onDelete = onDelete;
      if (onUpdate) fk.onUpdate = onUpdate;
      return fk;
    });

    // Primary key, unique constraints and indexes.
    let primaryKey: TableSnapshot['primaryKey'];
    if (pkColumns.length > 1 || pkDescending.length) primaryKey = { columns: pkColumns, ...(pkDescending.length ? { descending: pkDescending } : {}) };
    const uniqueConstraints: UniqueConstraintSnapshot[] = [];
    const indexes: IndexSnapshot[] = [];
    // The names of the unique keys reported on their column (MySQL names a column-level UNIQUE after its column).
    const constraintNames: ConstraintNameSnapshot[] = [];
    // Whether an index other than `ixName` (the primary key included) begins with `columns`.
    const servedElsewhere = (columns: readonly string[], ixName: string) =>
      [...indexGroups].some(([other, group]) => other !== ixName && columns.every((c, i) => group[i] !== undefined && indexPart(group[i]!) === c));
    for (const [ixName, group] of indexGroups) {
      if (ixName === 'PRIMARY') continue;
      const unique = Number(group[0]!.NON_UNIQUE) === 0;
      const indexType = String(group[0]!.INDEX_TYPE ?? '').toLowerCase();
      const method = indexType === 'fulltext' || indexType === 'spatial' ? indexType : undefined;
      const parts = group.map(indexPart);
      const plain = parts.every((p): p is string => typeof p === 'string');
      if (unique && plain && !method) {
        const col = parts.length === 1 ? columns.find((c) => c.name === parts[0]) : undefined;
        const columnLevel = col && (ixName === col.name || ixName === conventionalName(this.#convention, 'uq', { table, columns: [col.name] }));
        if (col && columnLevel) {
          (col as Mutable<ColumnSnapshot>).unique = true;
          constraintNames.push({ type: 'unique', columns: parts, name: ixName });
        } else uniqueConstraints.push({ name: ixName, columns: parts });
        continue;
      }
      // The index InnoDB made for a foreign key carries the key's name and columns. One that is not
      // the key's only index was made by hand (InnoDB drops its own once another serves the key):
      // it is reported, so that dropping the other index does not make the key one again.
      if (!unique && plain && !method && foreignKeys.some((fk) => fk.name === ixName && sameList(fk.columns, parts) && !servedElsewhere(fk.columns, ixName))) continue;
      indexes.push({ name: ixName, columns: parts, unique, ...(method ? { method } : {}) });
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
    if (constraintNames.length) snapshot.constraintNames = constraintNames;
    if (tableCollation !== undefined) snapshot.defaultCollation = tableCollation;
    if (tableRow.comment != null && String(tableRow.comment) !== '') snapshot.comment = String(tableRow.comment);
    return snapshot;
  }

  /** The CHECK constraints of a database's tables (or one table's); none on servers without the catalog table. */
  async #checks(db: string, table: string | undefined): Promise<readonly Row[]> {
    const filter = table === undefined ? '' : ' AND TABLE_NAME = ?';
    const args = table === undefined ? [db] : [db, table];
    try {
      return this.#flavour === 'mariadb'
        ? // MariaDB names checks per table (a column-level check takes the column's name).
          await this.#query(
            `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?${filter}`,
            ...args,
          )
        : // MySQL names them per database; TABLE_CONSTRAINTS says which table each belongs to.
          await this.#query(
            `SELECT tc.TABLE_NAME AS tbl, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS cc
             JOIN information_schema.TABLE_CONSTRAINTS tc
               ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
             WHERE tc.TABLE_SCHEMA = ?${filter.replace('TABLE_NAME', 'tc.TABLE_NAME')}`,
            ...args,
          );
    } catch (error) {
      // MySQL before 8.0.16 has no CHECK_CONSTRAINTS table (and enforces no checks).
      if ((error as { code?: unknown }).code === 'ER_UNKNOWN_TABLE') return [];
      throw error;
    }
  }

  /** Views and triggers of the database, with the tables and columns they use. */
  async #objects(db: string, rows: CatalogRows, schema: string | undefined): Promise<SchemaObjectSnapshot[]> {
    const views = await this.#query('SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', db);
    let usage: readonly Row[] | undefined;
    if (this.#flavour === 'mysql') {
      try {
        usage = await this.#query('SELECT VIEW_NAME AS view, TABLE_SCHEMA AS tableSchema, TABLE_NAME AS tbl FROM information_schema.VIEW_TABLE_USAGE WHERE VIEW_SCHEMA = ?', db);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ER_UNKNOWN_TABLE') throw error; // before MySQL 8.0.13
      }
    }
    const triggers = await this.#query(
      `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS statement
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME`,
      db,
    );
    const relations = new Map<string, readonly string[]>();
    for (const t of rows.tables) relations.set(String(t.name), (rows.columns.get(String(t.name)) ?? []).map((c) => String(c.name)));
    for (const v of views) if (!relations.has(String(v.name))) relations.set(String(v.name), []);
    const objects: SchemaObjectSnapshot[] = [];
    for (const v of views) {
      const name = String(v.name);
      const sql = String(v.definition ?? '');
      const used = usage?.filter((u) => u.view === name && u.tableSchema === db).map((u) => String(u.tbl));
      objects.push({ type: 'view', name, ...(schema !== undefined ? { schema } : {}), table: name, sql, references: sqlReferences(sql, relations, { self: name, ...(used ? { tables: used } : {}) }) });
    }
    for (const t of triggers) {
      const on = String(t.tbl);
      const sql = `CREATE TRIGGER ${mysqlName(String(t.name))} ${String(t.timing)} ${String(t.event)} ON ${mysqlName(on)} FOR EACH ROW ${String(t.statement)}`;
      objects.push({ type: 'trigger', name: String(t.name), ...(schema !== undefined ? { schema } : {}), table: on, sql, references: sqlReferences(String(t.statement), relations, { on }) });
    }
    return objects;
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
   * new MysqlIntrospector((s) => conn.execute(s), 'mariadb').parseDefault("'USD'", parseColumnType('varchar(3)'), ''); // 'USD'
   * new MysqlIntrospector((s) => conn.execute(s), 'mysql').parseDefault('USD', parseColumnType('varchar(3)'), '');     // 'USD'
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

/** A text as the catalog (utf8mb3) writes it: each character outside the BMP (an emoji) a `?`. */
function lost(text: string): string {
  return text.replace(/[\u{10000}-\u{10FFFF}]/gu, '?');
}

/**
 * The default of an ENUM/SET column whose members were read from the column itself
 * ({@link MysqlIntrospector}'s probe): the catalog wrote its default with `?` for each character
 * outside utf8mb3 as well (`'?'` for `'🌧'`), so a text default is the member (ENUM) or members
 * (SET, comma-separated) it stands for, when exactly one member matches each; else as read.
 */
function memberDefault(dflt: DefaultValue, members: readonly string[], typeName: string): DefaultValue {
  if (typeof dflt !== 'string' || !dflt.includes('?')) return dflt;
  const member = (text: string): string | undefined => {
    const matches = members.filter((m) => lost(m) === text);
    return matches.length === 1 ? matches[0] : undefined;
  };
  if (typeName === 'enum') return member(dflt) ?? dflt;
  const parts = dflt.split(',').map(member);
  return parts.every((p) => p !== undefined) ? parts.join(',') : dflt;
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
 * Parses `COLUMN_TYPE` (`int(11) unsigned`, `varchar(3)`, `tinyint(1)`, `enum('PG','NC-17')`) into
 * a {@link ColumnType}, dropping integer display widths, reading `tinyint(1)` as `boolean` and
 * keeping ENUM/SET members as the members themselves (their case kept, a literal's `\\` read as `\`).
 */
function columnType(text: string): ColumnType {
  const t = text.trim();
  if (/^tinyint\(1\)$/i.test(t)) return parseColumnType('boolean');
  // Members of ENUM and SET keep their case: parseColumnType lower-cases names, not string arguments.
  const normalized = t.replace(/^(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)/i, '$1');
  try {
    const type = parseColumnType(normalized);
    // The server writes a member as a literal (`enum('C:\\dir','it''s')`): read as MySQL reads it,
    // the member itself, as the models give it.
    if (!/^(enum|set)$/.test(type.name) || !type.args.some((a) => typeof a === 'string' && a.includes('\\'))) return type;
    return Object.freeze({ ...type, args: Object.freeze(type.args.map((a) => (typeof a === 'string' ? (readMysqlString(`'${a.replace(/'/g, "''")}'`) ?? a) : a))) });
  } catch {
    return Object.freeze({ name: normalized.toLowerCase().replace(/\s+/g, ' '), args: Object.freeze([]), modifiers: Object.freeze([]), array: false });
  }
}

/** One key part of an index: a column, `` `col`(n) `` for a prefix, or `(expr)` for a functional part. */
/** One key of an index: a column, a prefix or an expression; descending (`COLLATION` 'D', MySQL 8, MariaDB 10.8+) with `order: 'desc'`. */
function indexPart(r: Row): IndexColumn {
  const desc = String(r.COLLATION ?? '').toUpperCase() === 'D' ? { order: 'desc' as const } : {};
  if (r.COLUMN_NAME == null) return { sql: `(${unwrapMysql(String(r.EXPRESSION ?? ''))})`, ...desc };
  const column = String(r.COLUMN_NAME);
  if (r.SUB_PART != null) return { sql: `${mysqlName(column)}(${Number(r.SUB_PART)})`, ...desc };
  return desc.order ? { name: column, ...desc } : column;
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
