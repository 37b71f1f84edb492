import {
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  enumType,
  parseColumnType,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type ConstraintNameSnapshot,
  type DatabaseSnapshot,
  type DefaultValue,
  type DialectConnection,
  type EnumSnapshot,
  type IntrospectOptions,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type IndexSortOrder,
  type NamingConvention,
  type PrimaryKeySnapshot,
  type ReferentialAction,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { compareNames } from '../shared/compare-names.js';
import { readPostgresObjects } from './postgres-schema-objects.js';

type Row = Record<string, any>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One table, found by name along the `search_path` (or in the schema given). */
const ONE_TABLE_SQL = `
SELECT c.oid::int8::text AS oid, c.relname AS name, n.nspname AS schema, ds.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0
WHERE c.relname = $1 AND c.relkind IN ('r', 'p')
  AND (CASE WHEN $2::text IS NULL THEN n.nspname = ANY (current_schemas(false)) ELSE n.nspname = $2::text END)
ORDER BY array_position(current_schemas(false), n.nspname::text)
LIMIT 1`;

/**
 * The tables the catalog queries read: one table by oid (`$1`), or every table of a schema (`$1`)
 * but the excluded names (`$2`). Partitions are part of their parent and are left out.
 */
type Scope = 'table' | 'schema';

function target(scope: Scope): string {
  const filter =
    scope === 'table'
      ? 'c.oid = $1::int8::oid'
      : "n.nspname = $1::text AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT (c.relname = ANY ($2::text[]))";
  return `WITH target AS (
  SELECT c.oid, c.relnamespace FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${filter}
)`;
}

const TABLES_SQL = `${target('schema')}
SELECT c.oid::int8::text AS oid, c.relname AS name, n.nspname AS schema, ds.description AS comment
FROM target
JOIN pg_catalog.pg_class c ON c.oid = target.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0`;

const columnsSql = (scope: Scope) => `${target(scope)}
SELECT a.attrelid::int8::text AS table_oid, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  a.attnotnull AS notnull, a.attidentity AS identity, a.attgenerated AS generated,
  pg_get_expr(d.adbin, d.adrelid, true) AS default, ds.description AS comment,
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation,
  t.typcategory = 'A' AS is_array,
  CASE WHEN et.typtype = 'e' THEN et.typname END AS enum_name,
  CASE WHEN et.typtype = 'e' AND et.typnamespace <> COALESCE(to_regnamespace(current_schema())::oid, 0) THEN et.typnamespace::regnamespace::text END AS enum_schema,
  CASE WHEN et.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = et.oid ORDER BY e.enumsortorder) END AS enum_values,
  CASE WHEN d.adbin IS NOT NULL THEN (SELECT CASE WHEN s.relnamespace = target.relnamespace THEN s.relname::text ELSE '' END
          FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
          WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
            AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a' LIMIT 1) END AS owned_sequence
FROM target
JOIN pg_catalog.pg_attribute a ON a.attrelid = target.oid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const constraintsSql = (scope: Scope) => `${target(scope)}
SELECT con.conrelid::int8::text AS table_oid, con.conname AS name, con.contype AS type,
  CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid, true) END AS definition,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS referred_columns,
  rc.relname AS referred_table, rn.nspname AS referred_schema, con.confdeltype AS on_delete, con.confupdtype AS on_update,
  con.condeferrable AS deferrable, con.condeferred AS deferred,
  con.contype = 'u' AND coalesce((to_jsonb(ci) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct
FROM target
JOIN pg_catalog.pg_constraint con ON con.conrelid = target.oid
LEFT JOIN pg_catalog.pg_index ci ON ci.indexrelid = con.conindid AND con.contype = 'u'
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c')
ORDER BY con.conrelid, con.oid`;

const indexesSql = (scope: Scope) => `${target(scope)}
SELECT i.indrelid::int8::text AS table_oid, ic.relname AS name, i.indisunique AS unique, am.amname AS method,
  string_to_array(i.indkey::text, ' ')::int[] AS keys, string_to_array(i.indoption::text, ' ')::int[] AS options,
  ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS terms,
  ARRAY(SELECT a.attname::text FROM generate_series(i.indnkeyatts + 1, i.indnatts) AS k
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] ORDER BY k) AS included,
  coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
  pg_get_expr(i.indpred, i.indrelid, true) AS predicate
FROM target
JOIN pg_catalog.pg_index i ON i.indrelid = target.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                  WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY ic.relname`;

const ENUMS_SQL = `
SELECT t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND n.nspname = $1::text`;

const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = { a: undefined, r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** What {@link PostgresIntrospector} is built with. */
export interface PostgresIntrospectorOptions {
  /**
   * The project's naming convention (default {@link DEFAULT_NAMING_CONVENTION}): a single-column
   * primary key or unique constraint carrying the convention's name is reported on its column.
   */
  readonly namingConvention?: NamingConvention;
  /** The bind's schema: what {@link PostgresIntrospector.getDatabase} reads when given none. */
  readonly schema?: string;
}

/**
 * Reads PostgreSQL tables into {@link TableSnapshot}s, the shape models produce, so autogenerate
 * can compare them: one table ({@link getTable}), or a whole schema with its enum types and the
 * views, triggers, rules and domains autogenerate must know about ({@link getDatabase}). Both run
 * the same catalog queries (filtered to one table, or to the schema): a fixed number of queries,
 * never one per table. Sources: `pg_class`/`pg_namespace`/`pg_description` (tables, comments),
 * `pg_attribute` with `format_type`, `pg_attrdef`, `pg_type`/`pg_enum` (columns, types, NOT NULL,
 * defaults, identity, generated columns, collations, enum members, comments), `pg_constraint`
 * (keys, foreign keys with actions and deferrability, unique and check constraints) and
 * `pg_index`/`pg_am` (indexes not backing a constraint, with method, expression terms and
 * partial-index predicates).
 *
 * How the catalog maps to the snapshot:
 * - types use the names models write: `varchar(n)`, `char(n)`, `timestamp(p)`, `timestamptz`,
 *   `time`, `timetz`, `varbit(n)`; others as `format_type` prints them (`integer`, `numeric(10,2)`,
 *   `double precision`, `jsonb`, `text[]`); an enum-typed column is `enumType(name, members)`;
 * - identity columns and serial columns (a `nextval` default on their own sequence) are
 *   `autoincrement`, with no default: `'always'` for `GENERATED ALWAYS AS IDENTITY`, else `true`;
 *   a serial column also carries its sequence's name (`serialSequence`, when in the table's schema);
 * - defaults: `'USD'::character varying` → `'USD'`, `'-1'::integer` → `-1`, `0.99` → `0.99`,
 *   `false` → `false`, `NULL` → `null`; anything else is `{ sql }` (`now()`, `CURRENT_TIMESTAMP`);
 * - a single-column key declared on its column is reported there: a primary key named
 *   `<table>_pkey` (PostgreSQL's name) or by the naming convention's `pk` template sets the
 *   column's `primaryKey`; a unique constraint named `<table>_<column>_key` or by the `uq`
 *   template sets `unique` (unless it is `NULLS NOT DISTINCT`, which only a table-level unique
 *   constraint carries: `nullsNotDistinct`); a foreign key named `<table>_<column>_fkey` or by the `fk` template,
 *   into the same schema, sets
 *   `references`. Other constraints are table-level, named unless the name is PostgreSQL's
 *   default one. The names of the keys reported without one are in the table's
 *   `constraintNames`, so autogenerate drops and changes them by the names they have. Check constraints always carry their name; expressions are as PostgreSQL
 *   prints them (`"Price" >= 0::numeric`);
 * - a foreign key into another schema carries `referredSchema`; referential action `NO ACTION`
 *   (the default) is omitted; `DEFERRABLE` sets `deferrable` (and `initiallyDeferred`);
 *   constraints keep their creation order, indexes are sorted by name, tables by name; an
 *   index's `method` is set when it is not `btree`; a key sorted `DESC` or with a NULLs order
 *   other than its direction's default carries `order`/`nulls` (`pg_index.indoption`).
 *
 * @example
 * ```ts
 * const introspector = new PostgresIntrospector((s) => connection.execute(s), { schema: 'sales' });
 * const snapshot = await introspector.getTable('Invoice'); // undefined when there is no such table
 * const database = await introspector.getDatabase({ exclude: ['multidb_version'] });
 * ```
 */
export class PostgresIntrospector {
  readonly #execute: DialectConnection['execute'];
  readonly #convention: NamingConvention;
  readonly #schema: string | undefined;

  /**
   * @param execute - runs a statement on the database to read.
   * @param options - naming convention and the bind's schema.
   */
  constructor(execute: DialectConnection['execute'], options: PostgresIntrospectorOptions = {}) {
    this.#execute = execute;
    this.#convention = options.namingConvention ?? DEFAULT_NAMING_CONVENTION;
    this.#schema = options.schema;
  }

  /**
   * Reads one table (or partitioned table; not a view) in four catalog queries.
   * @param name - table name, matched exactly (as a quoted identifier).
   * @param schema - the schema; omitted: the first schema of the `search_path` that has the table,
   *   as an unqualified name resolves. Set on the snapshot only when given.
   * @returns the snapshot, or `undefined` when no such table exists.
   * @throws the driver's error when a catalog query fails.
   */
  async getTable(name: string, schema?: string): Promise<TableSnapshot | undefined> {
    const [table] = await this.#execute({ sql: ONE_TABLE_SQL, parameters: [name, schema ?? null] });
    if (!table) return undefined;
    const parameters = [String(table.oid)];
    const columns = await this.#execute({ sql: columnsSql('table'), parameters });
    const constraints = await this.#execute({ sql: constraintsSql('table'), parameters });
    const indexes = await this.#execute({ sql: indexesSql('table'), parameters });
    return this.#build(table, columns, constraints, indexes, schema !== undefined);
  }

  /**
   * Reads a whole schema in six catalog queries, whatever the number of tables: its tables, its
   * enum types (members in order) and its views, materialized views, triggers, rules and domains
   * with the tables and columns they reference (see {@link readPostgresObjects}).
   * @param options - `schema`: the schema to read (default: the bind's schema, else the first
   *   schema of the `search_path`; set on the snapshot's tables, enums and objects only when
   *   given); `exclude`: table names to leave out (multidb's version table).
   * @returns the snapshot, tables sorted by name.
   * @throws the driver's error when a catalog query fails.
   */
  async getDatabase(options: IntrospectOptions = {}): Promise<DatabaseSnapshot> {
    let schema = options.schema ?? this.#schema;
    if (schema === undefined) {
      const [row] = await this.#execute({ sql: 'SELECT current_schema() AS schema', parameters: [] });
      schema = String(row?.schema ?? 'public');
    }
    const parameters = [schema, [...(options.exclude ?? [])]];
    const tables = await this.#execute({ sql: TABLES_SQL, parameters });
    const columns = group(await this.#execute({ sql: columnsSql('schema'), parameters }));
    const constraints = group(await this.#execute({ sql: constraintsSql('schema'), parameters }));
    const indexes = group(await this.#execute({ sql: indexesSql('schema'), parameters }));
    const enumRows = await this.#execute({ sql: ENUMS_SQL, parameters: [schema] });
    const objects = await readPostgresObjects(this.#execute, schema, options.schema !== undefined);
    const qualified = options.schema !== undefined;
    const snapshots = tables.map((t) => {
      const oid = String(t.oid);
      return this.#build(t, columns.get(oid) ?? [], constraints.get(oid) ?? [], indexes.get(oid) ?? [], qualified);
    });
    snapshots.sort((a, b) => compareNames(a.name, b.name));
    const enums: EnumSnapshot[] = enumRows
      .map((r) => ({ name: String(r.name), ...(qualified ? { schema } : {}), values: (r.values ?? []) as string[] }))
      .sort((a, b) => compareNames(a.name, b.name));
    return { tables: snapshots, enums, objects };
  }

  #build(table: Row, columnRows: readonly Row[], constraintRows: readonly Row[], indexRows: readonly Row[], qualified: boolean): TableSnapshot {
    const tableName = String(table.name);
    const tableSchema = String(table.schema);
    const named = (kind: 'pk' | 'uq', column: string) => conventionalName(this.#convention, kind, { table: tableName, columns: [column] });

    const columns: Mutable<ColumnSnapshot>[] = columnRows.map((r) => {
      const type = columnType(r);
      const col: Mutable<ColumnSnapshot> = { name: String(r.name), type, nullable: r.notnull !== true };
      // owned_sequence: the sequence the column owns (a serial's), '' when in another schema, null for none.
      const serial = typeof r.owned_sequence === 'string' && typeof r.default === 'string' && /^nextval\(/i.test(r.default);
      if (r.identity === 'a') col.autoincrement = 'always';
      else if (r.identity === 'd' || serial) col.autoincrement = true;
      if (serial && r.owned_sequence !== '') col.serialSequence = String(r.owned_sequence);
      if (r.generated === 's') col.generated = { sql: String(r.default ?? ''), stored: true };
      else if (r.default !== null && r.default !== undefined && !serial) col.default = parsePostgresDefault(String(r.default), type);
      if (r.collation) col.collation = String(r.collation);
      if (r.comment !== null && r.comment !== undefined) col.comment = String(r.comment);
      return col;
    });
    const column = (n: string) => columns.find((c) => c.name === n);

    let primaryKey: PrimaryKeySnapshot | undefined;
    const foreignKeys: ForeignKeySnapshot[] = [];
    const uniqueConstraints: UniqueConstraintSnapshot[] = [];
    const checkConstraints: CheckConstraintSnapshot[] = [];
    // The names of the keys reported without one (on their column, or under PostgreSQL's default name).
    const constraintNames: ConstraintNameSnapshot[] = [];
    const unnamed = (type: ConstraintNameSnapshot['type'], cols: readonly string[], name: string, referredTable?: string) =>
      constraintNames.push({ type, columns: cols, ...(referredTable === undefined ? {} : { referredTable }), name });
    for (const r of constraintRows) {
      const conName = String(r.name);
      const cols = (r.columns ?? []) as string[];
      const single = cols.length === 1 ? column(cols[0]!) : undefined;
      const withName = <T extends object>(value: T, defaultName: string): T => (conName === defaultName ? value : { name: conName, ...value });
      if (r.type === 'p') {
        if (single && (conName === `${tableName}_pkey` || conName === named('pk', single.name))) single.primaryKey = true;
        else primaryKey = withName({ columns: cols }, `${tableName}_pkey`);
        if (!primaryKey?.name) unnamed('primary', cols, conName);
      } else if (r.type === 'u') {
        // A column's `unique` has no NULLS NOT DISTINCT: such a key stays table-level.
        const nullsNotDistinct = r.nulls_not_distinct === true;
        if (single && !nullsNotDistinct && (conName === `${tableName}_${single.name}_key` || conName === named('uq', single.name))) {
          single.unique = true;
          unnamed('unique', cols, conName);
        } else {
          const unique: UniqueConstraintSnapshot = withName({ columns: cols, ...(nullsNotDistinct ? { nullsNotDistinct: true } : {}) }, `${tableName}_${cols.join('_')}_key`);
          uniqueConstraints.push(unique);
          if (unique.name === undefined) unnamed('unique', cols, conName);
        }
      } else if (r.type === 'f') {
        const referredColumns = (r.referred_columns ?? []) as string[];
        const onDelete = ACTIONS[String(r.on_delete)];
        const onUpdate = ACTIONS[String(r.on_update)];
        const extra = {
          ...(onDelete ? { onDelete } : {}),
          ...(onUpdate ? { onUpdate } : {}),
        };
        const deferral = {
          ...(r.deferrable === true ? { deferrable: true } : {}),
          ...(r.deferred === true ? { initiallyDeferred: true } : {}),
        };
        const sameSchema = r.referred_schema === tableSchema;
        const conventionalFk = single ? conventionalName(this.#convention, 'fk', { table: tableName, columns: [single.name], referredTable: String(r.referred_table) }) : undefined;
        if (single && sameSchema && !r.deferrable && (conName === `${tableName}_${single.name}_fkey` || conName === conventionalFk)) {
          single.references = { table: String(r.referred_table), column: referredColumns[0]!, ...extra };
          unnamed('foreignkey', cols, conName, String(r.referred_table));
        } else {
          if (conName === `${tableName}_${cols.join('_')}_fkey`) unnamed('foreignkey', cols, conName, String(r.referred_table));
          foreignKeys.push(
            withName(
              {
                columns: cols,
                referredTable: String(r.referred_table),
                ...(sameSchema ? {} : { referredSchema: String(r.referred_schema) }),
                referredColumns,
                ...extra,
                ...deferral,
              },
              `${tableName}_${cols.join('_')}_fkey`,
            ),
          );
        }
      } else {
        checkConstraints.push({ name: conName, expression: checkExpression(String(r.definition)) });
      }
    }

    const indexes: IndexSnapshot[] = indexRows.map((r) => {
      const keys = (r.keys ?? []) as number[];
      const terms = (r.terms ?? []) as string[];
      const options = (r.options ?? []) as number[];
      const index: Mutable<IndexSnapshot> = {
        name: String(r.name),
        columns: terms.map((term, i) => {
          const num = keys[i] ?? 0;
          const col = num > 0 ? columnRows.find((c) => Number(c.num) === num) : undefined;
          const sort = indexSort(options[i] ?? 0);
          if (!col) return { sql: term, ...sort };
          return sort.order || sort.nulls ? { name: String(col.name), ...sort } : String(col.name);
        }),
        unique: r.unique === true,
      };
      if (r.predicate) index.where = String(r.predicate);
      if (r.method && r.method !== 'btree') index.method = String(r.method);
      const included = (r.included ?? []) as string[];
      if (included.length) index.include = included.map(String);
      if (r.nulls_not_distinct === true) index.nullsNotDistinct = true;
      return index;
    });

    const snapshot: Mutable<TableSnapshot> = { name: tableName, columns, foreignKeys, uniqueConstraints, checkConstraints, indexes };
    if (qualified) snapshot.schema = tableSchema;
    if (primaryKey) snapshot.primaryKey = primaryKey;
    if (constraintNames.length) snapshot.constraintNames = constraintNames;
    if (table.comment !== null && table.comment !== undefined) snapshot.comment = String(table.comment);
    return snapshot;
  }
}

/**
 * A key's sort order from `pg_index.indoption` (bit 1: DESC, bit 2: NULLS FIRST), with the
 * defaults left out (NULLS LAST ascending, NULLS FIRST descending).
 */
function indexSort(option: number): IndexSortOrder {
  const desc = (option & 1) === 1;
  const nullsFirst = (option & 2) === 2;
  return { ...(desc ? { order: 'desc' as const } : {}), ...(nullsFirst === desc ? {} : { nulls: nullsFirst ? ('first' as const) : ('last' as const) }) };
}

function group(rows: readonly Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const key = String(r.table_oid);
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(r);
  }
  return out;
}

/** A column's type: an enum (or an array of one) as `enumType`, else as `format_type` prints it. */
function columnType(r: Row): ColumnType {
  if (r.enum_name) {
    const e = enumType(String(r.enum_name), (r.enum_values ?? []) as string[], r.enum_schema ? unquoteSchema(String(r.enum_schema)) : undefined);
    return r.is_array === true ? Object.freeze({ ...e, array: true }) : e;
  }
  return postgresCatalogType(String(r.type));
}

/** A `regnamespace` as text (`sales`, or `"Sales"` when it needs quotes) → the schema's name. */
function unquoteSchema(text: string): string {
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replaceAll('""', '"') : text;
}

/** `CHECK (expr) [NOT VALID]` → `expr`. */
function checkExpression(definition: string): string {
  const m = /^CHECK \((.*)\)( NOT VALID)?$/s.exec(definition.trim());
  return m ? m[1]!.trim() : definition;
}

const CATALOG_NAMES: readonly (readonly [RegExp, string])[] = [
  [/^character varying(\(\d+\))?$/, 'varchar$1'],
  [/^character(\(\d+\))?$/, 'char$1'],
  [/^bit varying(\(\d+\))?$/, 'varbit$1'],
  [/^timestamp(\(\d+\))? without time zone$/, 'timestamp$1'],
  [/^timestamp(\(\d+\))? with time zone$/, 'timestamptz$1'],
  [/^time(\(\d+\))? without time zone$/, 'time$1'],
  [/^time(\(\d+\))? with time zone$/, 'timetz$1'],
];

/**
 * Turns a type as `format_type` prints it into the {@link ColumnType} models write:
 * `character varying(40)` → `varchar(40)`, `timestamp(3) without time zone` → `timestamp(3)`,
 * `timestamp with time zone` → `timestamptz`, `numeric(10,2)` as is, `text[]` → an array of
 * `text`. A type the parser does not accept (a schema-qualified user type) is kept as written.
 *
 * @example
 * ```ts
 * postgresCatalogType('character varying(3)'); // { name: 'varchar', args: [3], modifiers: [], array: false }
 * ```
 */
export function postgresCatalogType(text: string): ColumnType {
  let t = text.trim();
  let array = false;
  while (t.endsWith('[]')) {
    array = true;
    t = t.slice(0, -2);
  }
  for (const [re, replacement] of CATALOG_NAMES) if (re.test(t)) t = t.replace(re, replacement);
  try {
    const parsed = parseColumnType(t);
    return Object.freeze({ ...parsed, array });
  } catch {
    return Object.freeze({ name: t, args: Object.freeze([]), modifiers: Object.freeze([]), array });
  }
}

const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

/**
 * Turns a default as `pg_get_expr` prints it into a {@link DefaultValue}: `NULL` (with or without
 * a cast) → `null`; a quoted literal with a cast (`'USD'::character varying`) → its text, or a
 * number on a numeric column (`'-1'::integer` → `-1`); numbers → numbers; `true`/`false` →
 * booleans; anything else → `{ sql }`.
 *
 * @param text - the default expression.
 * @param type - the column's type.
 * @example
 * ```ts
 * parsePostgresDefault("'USD'::character varying", parseColumnType('varchar(3)')); // 'USD'
 * parsePostgresDefault('now()', parseColumnType('timestamptz'));                 // { sql: 'now()' }
 * ```
 */
export function parsePostgresDefault(text: string, type: ColumnType): DefaultValue {
  const t = text.trim();
  if (/^NULL(::[\w\s".[\]()]+)?$/i.test(t)) return null;
  const numeric = NUMERIC_TYPES.has(type.name) && !type.array;
  const quoted = /^'((?:[^']|'')*)'(?:::[\w\s".[\]()]+)?$/.exec(t);
  if (quoted) {
    const value = quoted[1]!.replace(/''/g, "'");
    if (numeric) return toNumber(value) ?? { sql: t };
    return value;
  }
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return toNumber(t) ?? { sql: t };
  return { sql: t };
}

function toNumber(text: string): number | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) return undefined;
  return n;
}
