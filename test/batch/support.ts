// Helpers of the batch-mode tests (test/batch/): a dialect-neutral picture of a bind's tables
// (columns, indexes, constraints and rows) read straight from each database's catalog
// (sqlite_master and pragmas, pg_catalog, information_schema), so the same expectation can be
// checked on SQLite, PostgreSQL and MariaDB/MySQL; and digests of the rows of kept columns.
//
// Everything is normalized to short strings so catalogs of the three dialects compare equal:
//   columns      'sku varchar(12)', 'qty integer not null', 'rank integer not null default 0'
//   indexes      'ix_item_tag (tag)', 'unique ix_x (a,b)' — indexes made by CREATE INDEX only
//                (not those behind a primary key or unique constraint, nor the one InnoDB makes
//                for a foreign key while that foreign key exists)
//   constraints  'primary key (id)', 'unique uq_item_sku (sku)', 'check ck_item_qty',
//                'foreign key fk_child_parent (parent_id) -> parent (id) on delete cascade'
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { dialectOf, sqliteFile, withMysql, withPostgres } from '../support/servers.js';

/** Runs one statement on the open connection of {@link withQuery}. */
export type Query = <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<T[]>;

/**
 * Runs `fn` with one connection to a bind's database (quote identifiers with `"`: MySQL sessions
 * use ANSI_QUOTES; parameters `?`, or `$1` on PostgreSQL), closed after. SQLite opens read-only.
 */
export async function withQuery<T>(url: string, baseDir: string, fn: (query: Query) => Promise<T>): Promise<T> {
  switch (dialectOf(url)) {
    case 'sqlite': {
      const db = new Database(sqliteFile(url, baseDir), { readonly: true, fileMustExist: true });
      try {
        return await fn(async <R>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as R[]);
      } finally {
        db.close();
      }
    }
    case 'postgres':
      return withPostgres((c) => fn(async <R>(sql: string, params: readonly unknown[] = []) => (await c.query(sql, [...params])).rows as R[]), url);
    case 'mysql':
      return withMysql(
        (c) =>
          fn(async <R>(sql: string, params: readonly unknown[] = []) => {
            const [rows] = await c.query(sql, [...params]);
            return (Array.isArray(rows) ? rows : []) as R[];
          }),
        url,
      );
  }
}

/** One table as the catalog shows it, plus its rows (values as strings, `null` kept). */
export interface TableState {
  readonly columns: string[];
  readonly indexes: string[];
  readonly constraints: string[];
  /** Column names in order (the order of each row's values). */
  readonly names: string[];
  /** Rows sorted by their first column (numerically). */
  readonly rows: (string | null)[][];
}

/** One bind: its version-table rows, its tables, and (SQLite) `PRAGMA foreign_key_check` rows. */
export interface BindState {
  readonly versions: string[];
  readonly tables: Record<string, TableState>;
  readonly foreignKeyViolations: unknown[];
}

/** The catalog part of a table (no rows), for comparing shapes. */
export type TableCatalog = Pick<TableState, 'columns' | 'indexes' | 'constraints'>;

type Row = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** `character varying(12)`, `VARCHAR(12)`, `int(11)`, `int4`, `INTEGER` → `varchar(12)`, `integer`. */
export function normalizeType(type: string): string {
  const t = type.toLowerCase().trim().replace(/\s+/g, ' ').replace(/^character varying/, 'varchar').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',');
  if (/^(int|integer|int4)(\(\d+\))?$/.test(t)) return 'integer';
  return t;
}

/** A column default as the catalog shows it → `undefined` (none) or its bare text (`0`, `abc`). */
function normalizeDefault(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  let s = String(value).trim();
  if (s === '' || s.toUpperCase() === 'NULL') return undefined;
  while (/^\(.*\)$/.test(s)) s = s.slice(1, -1).trim();
  s = s.replace(/::[a-z ]+(\(\d+\))?$/i, '');
  if (/^'.*'$/.test(s)) s = s.slice(1, -1).replace(/''/g, "'");
  return s;
}

function column(name: string, type: string, notNull: boolean, dflt: unknown): string {
  const d = normalizeDefault(dflt);
  return `${name} ${normalizeType(type)}${notNull ? ' not null' : ''}${d === undefined ? '' : ` default ${d}`}`;
}

/** `CASCADE`, `c`, `SET NULL`… → the clause, or '' for the default (no action / restrict). */
function onDelete(rule: string): string {
  const r = rule.toLowerCase();
  const named = { c: 'cascade', n: 'set null', d: 'set default' }[r] ?? r;
  return named === 'cascade' || named === 'set null' || named === 'set default' ? ` on delete ${named}` : '';
}

const fk = (name: string, cols: readonly string[], table: string, refCols: readonly string[], rule: string) =>
  `foreign key ${name} (${cols.join(',')}) -> ${table} (${refCols.join(',')})${onDelete(rule)}`;

// ---------------------------------------------------------------------------------------------
// SQLite

/** Identifiers in a parenthesized SQLite column list: `("a", "b")` → `['a', 'b']`. */
function sqliteNames(list: string): string[] {
  return list.split(',').map((s) => s.trim().replace(/^["`[](.*)["`\]]$/, '$1'));
}

const NAMED_CONSTRAINT = /CONSTRAINT\s+(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|(\w+))\s+(PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY)\s*(?:\(([^)]*)\))?/gi;

async function sqliteCatalog(query: Query, table: string): Promise<TableCatalog> {
  const sql = (await query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table]))[0]?.sql ?? '';
  const named: { name: string; kind: string; cols: string[] }[] = [];
  for (const m of sql.matchAll(NAMED_CONSTRAINT)) {
    const name = m[1]?.replace(/""/g, '"') ?? m[2] ?? m[3] ?? m[4] ?? '';
    named.push({ name, kind: m[5]!.toUpperCase().replace(/\s+/g, ' '), cols: m[6] !== undefined ? sqliteNames(m[6]) : [] });
  }
  const info = await query<Row>(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, [table]);
  const columns = info.map((c) => column(str(c.name), str(c.type), Number(c.notnull) === 1 || Number(c.pk) > 0, c.dflt_value));
  const pk = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => str(c.name));

  const constraints: string[] = [];
  if (pk.length) constraints.push(`primary key (${pk.join(',')})`);
  const indexes: string[] = [];
  const indexList = await query<Row>(`SELECT name, "unique", origin FROM pragma_index_list(?)`, [table]);
  for (const ix of indexList) {
    const cols = (await query<Row>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [str(ix.name)])).map((r) => str(r.name));
    if (ix.origin === 'c') indexes.push(`${Number(ix.unique) ? 'unique ' : ''}${str(ix.name)} (${cols.join(',')})`);
    else if (ix.origin === 'u') {
      const name = named.find((n) => n.kind === 'UNIQUE' && n.cols.join(',') === cols.join(','))?.name ?? '?';
      constraints.push(`unique ${name} (${cols.join(',')})`);
    }
  }
  for (const n of named.filter((n) => n.kind === 'CHECK')) constraints.push(`check ${n.name}`);
  const fkRows = await query<Row>(`SELECT id, seq, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, [table]);
  const groups = new Map<number, Row[]>();
  for (const r of fkRows) groups.set(Number(r.id), [...(groups.get(Number(r.id)) ?? []), r]);
  for (const rows of groups.values()) {
    const from = rows.map((r) => str(r.from));
    const name = named.find((n) => n.kind === 'FOREIGN KEY' && n.cols.join(',') === from.join(','))?.name ?? '?';
    constraints.push(fk(name, from, str(rows[0]!.table), rows.map((r) => str(r.to)), str(rows[0]!.on_delete)));
  }
  return { columns, indexes: indexes.sort(), constraints: constraints.sort() };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (pg_catalog: the constraint names and key columns information_schema spreads thin)

const PG_TABLE = `c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`;
const pgNames = (rel: string, keys: string) =>
  `array_to_string(ARRAY(SELECT a.attname FROM unnest(${keys}) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = u.n ORDER BY u.o), ',')`;

async function postgresCatalog(query: Query, table: string): Promise<TableCatalog> {
  const cols = await query<Row>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE ${PG_TABLE} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  const idx = await query<Row>(
    `SELECT i.relname AS name, x.indisunique AS uniq, ${pgNames('x.indrelid', 'x.indkey')} AS cols
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
      WHERE ${PG_TABLE} AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))`,
    [table],
  );
  const cons = await query<Row>(
    `SELECT k.conname AS name, k.contype AS type, ${pgNames('k.conrelid', 'k.conkey')} AS cols, f.relname AS ref, ${pgNames('k.confrelid', 'k.confkey')} AS refcols, k.confdeltype AS del
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
      WHERE ${PG_TABLE} AND k.contype IN ('p', 'u', 'c', 'f')`,
    [table],
  );
  const constraints = cons.map((k) => {
    const c = str(k.cols);
    switch (k.type) {
      case 'p':
        return `primary key (${c})`;
      case 'u':
        return `unique ${str(k.name)} (${c})`;
      case 'c':
        return `check ${str(k.name)}`;
      default:
        return fk(str(k.name), c.split(','), str(k.ref), str(k.refcols).split(','), str(k.del));
    }
  });
  return {
    columns: cols.map((c) => column(str(c.name), str(c.type), c.notnull === true, c.dflt)),
    indexes: idx.map((i) => `${i.uniq ? 'unique ' : ''}${str(i.name)} (${str(i.cols)})`).sort(),
    constraints: constraints.sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// MariaDB / MySQL (information_schema)

async function mysqlCatalog(query: Query, table: string): Promise<TableCatalog> {
  const where = `TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`;
  const cols = await query<Row>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt FROM information_schema.COLUMNS WHERE ${where} ORDER BY ORDINAL_POSITION`,
    [table],
  );
  const stats = await query<Row>(
    `SELECT INDEX_NAME AS name, MIN(NON_UNIQUE) AS nonunique, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ',') AS cols
       FROM information_schema.STATISTICS WHERE ${where} GROUP BY INDEX_NAME`,
    [table],
  );
  const cons = await query<Row>(
    `SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS WHERE ${where}`, [table]);
  const keys = await query<Row>(
    `SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS ref, REFERENCED_COLUMN_NAME AS refcol
       FROM information_schema.KEY_COLUMN_USAGE WHERE ${where} ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
    [table],
  );
  const rules = await query<Row>(
    `SELECT CONSTRAINT_NAME AS name, DELETE_RULE AS del FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
    [table],
  );
  const keyCols = (name: string) => keys.filter((k) => k.name === name);
  const constraints: string[] = [];
  for (const k of cons) {
    const name = str(k.name);
    const kc = keyCols(name);
    switch (str(k.type).toUpperCase()) {
      case 'PRIMARY KEY':
        constraints.push(`primary key (${kc.map((c) => str(c.col)).join(',')})`);
        break;
      case 'UNIQUE':
        constraints.push(`unique ${name} (${kc.map((c) => str(c.col)).join(',')})`);
        break;
      case 'CHECK':
        constraints.push(`check ${name}`);
        break;
      case 'FOREIGN KEY':
        constraints.push(
          fk(
            name,
            kc.map((c) => str(c.col)),
            str(kc[0]?.ref),
            kc.map((c) => str(c.refcol)),
            str(rules.find((r) => r.name === name)?.del),
          ),
        );
        break;
    }
  }
  const constraintNames = new Set(cons.map((k) => str(k.name)));
  const indexes = stats
    .filter((s) => s.name !== 'PRIMARY' && !constraintNames.has(str(s.name)))
    .map((s) => `${Number(s.nonunique) === 0 ? 'unique ' : ''}${str(s.name)} (${str(s.cols)})`);
  return {
    columns: cols.map((c) => column(str(c.name), str(c.type), c.nullable === 'NO', c.dflt)),
    indexes: indexes.sort(),
    constraints: constraints.sort(),
  };
}

// ---------------------------------------------------------------------------------------------

/** The catalog of one table, normalized (see the top of this file), on a {@link withQuery} connection. */
export function tableCatalog(dialect: 'sqlite' | 'postgres' | 'mysql', query: Query, table: string): Promise<TableCatalog> {
  return { sqlite: sqliteCatalog, postgres: postgresCatalog, mysql: mysqlCatalog }[dialect](query, table);
}

/** Every row of a table, values as strings (`null` kept), sorted by the first column as a number. */
async function tableRows(query: Query, table: string): Promise<{ names: string[]; rows: (string | null)[][] }> {
  const raw = await query<Row>(`SELECT * FROM "${table}"`);
  const names = raw[0] ? Object.keys(raw[0]) : [];
  const rows = raw.map((r) => names.map((n) => (r[n] === null || r[n] === undefined ? null : String(r[n]))));
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return { names, rows };
}

/**
 * Everything the batch tests compare of one bind, read on one connection: the version-table
 * rows, and the catalog and rows of `tables`.
 */
export function bindState(url: string, tables: readonly string[], baseDir: string): Promise<BindState> {
  const dialect = dialectOf(url);
  return withQuery(url, baseDir, async (query) => {
    const out: Record<string, TableState> = {};
    for (const table of tables) {
      const catalog = await tableCatalog(dialect, query, table);
      const { names, rows } = await tableRows(query, table);
      // An empty table has no row to take names from: use the catalog's column names.
      out[table] = { ...catalog, names: names.length ? names : catalog.columns.map((c) => c.split(' ')[0]!), rows };
    }
    const foreignKeyViolations = dialect === 'sqlite' ? await query('PRAGMA foreign_key_check') : [];
    const versions = (await query<{ v: string }>(`SELECT version_num AS v FROM "multidb_version" ORDER BY 1`)).map((r) => r.v);
    return { versions, tables: out, foreignKeyViolations };
  });
}

/** The catalog part of every table of a bind state. */
export function catalogOf(state: BindState): Record<string, TableCatalog> {
  return Object.fromEntries(Object.entries(state.tables).map(([t, s]) => [t, { columns: s.columns, indexes: s.indexes, constraints: s.constraints }]));
}

/** sha256 of the values of `columns` (names of `table`'s columns) of every row, in row order. */
export function digest(table: TableState, columns: readonly string[]): string {
  const at = columns.map((c) => {
    const i = table.names.indexOf(c);
    if (i < 0) throw new Error(`no column ${c} (columns: ${table.names.join(', ')})`);
    return i;
  });
  return createHash('sha256')
    .update(JSON.stringify(table.rows.map((r) => at.map((i) => r[i]))))
    .digest('hex');
}

/** What a change did to a catalog: sorted lists of what was added and removed, per part. */
export interface CatalogDiff {
  readonly columns?: { readonly added?: readonly string[]; readonly removed?: readonly string[] };
  readonly indexes?: { readonly added?: readonly string[]; readonly removed?: readonly string[] };
  readonly constraints?: { readonly added?: readonly string[]; readonly removed?: readonly string[] };
}

/** The difference between two catalogs of a bind, per table (tables without a change left out). */
export function catalogDiff(before: Record<string, TableCatalog>, after: Record<string, TableCatalog>): Record<string, CatalogDiff> {
  const out: Record<string, CatalogDiff> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d: Record<string, { added?: string[]; removed?: string[] }> = {};
    for (const part of ['columns', 'indexes', 'constraints'] as const) {
      const b = before[table]?.[part] ?? [];
      const a = after[table]?.[part] ?? [];
      const added = a.filter((x) => !b.includes(x)).sort();
      const removed = b.filter((x) => !a.includes(x)).sort();
      if (added.length || removed.length) d[part] = { ...(added.length ? { added } : {}), ...(removed.length ? { removed } : {}) };
    }
    if (Object.keys(d).length) out[table] = d;
  }
  return out;
}
