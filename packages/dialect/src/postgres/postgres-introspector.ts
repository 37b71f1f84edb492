import {
  parseColumnType,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type DefaultValue,
  type DialectConnection,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type PrimaryKeySnapshot,
  type ReferentialAction,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';

type Row = Record<string, any>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const TABLE_SQL = `
SELECT c.oid::int8::text AS oid, c.relname AS name, n.nspname AS schema, obj_description(c.oid, 'pg_class') AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = $1 AND c.relkind IN ('r', 'p')
  AND (CASE WHEN $2::text IS NULL THEN n.nspname = ANY (current_schemas(false)) ELSE n.nspname = $2::text END)
ORDER BY array_position(current_schemas(false), n.nspname::text)
LIMIT 1`;

const COLUMNS_SQL = `
SELECT a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
  a.attidentity AS identity, a.attgenerated AS generated, pg_get_expr(d.adbin, d.adrelid, true) AS default,
  col_description(a.attrelid, a.attnum) AS comment,
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation,
  pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL AS owns_sequence
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

const CONSTRAINTS_SQL = `
SELECT con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid, true) AS definition,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS referred_columns,
  rc.relname AS referred_table, rn.nspname AS referred_schema, con.confdeltype AS on_delete, con.confupdtype AS on_update
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.conrelid = $1::int8::oid AND con.contype IN ('p', 'u', 'f', 'c')
ORDER BY con.oid`;

const INDEXES_SQL = `
SELECT ic.relname AS name, i.indisunique AS unique, string_to_array(i.indkey::text, ' ')::int[] AS keys,
  ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS terms,
  pg_get_expr(i.indpred, i.indrelid, true) AS predicate
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = $1::int8::oid
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                  WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY ic.relname`;

const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = { a: undefined, r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/**
 * Reads a PostgreSQL table into a {@link TableSnapshot}, the shape models produce, so autogenerate
 * can compare them. Sources: `pg_class`/`pg_namespace` (the table, its comment), `pg_attribute`
 * with `format_type` and `pg_attrdef` (columns, types, NOT NULL, defaults, identity, generated
 * columns, collations, comments), `pg_constraint` (primary key, foreign keys with their actions,
 * unique and check constraints) and `pg_index` (indexes not backing a constraint, with expression
 * terms and partial-index predicates).
 *
 * How the catalog maps to the snapshot:
 * - types use the names models write: `varchar(n)`, `char(n)`, `timestamp(p)`, `timestamptz`,
 *   `time`, `timetz`, `varbit(n)`; others as `format_type` prints them (`integer`, `numeric(10,2)`,
 *   `double precision`, `jsonb`, `text[]`);
 * - identity columns and serial columns (a `nextval` default on their own sequence) are
 *   `autoincrement`, with no default;
 * - defaults: `'USD'::character varying` → `'USD'`, `'-1'::integer` → `-1`, `0.99` → `0.99`,
 *   `false` → `false`, `NULL` → `null`; anything else is `{ sql }` (`now()`, `CURRENT_TIMESTAMP`);
 * - a constraint with PostgreSQL's default name is reported as if declared on its column: a
 *   single-column primary key named `<table>_pkey` sets `primaryKey`, a unique constraint named
 *   `<table>_<column>_key` sets `unique`, a foreign key named `<table>_<column>_fkey` into the same
 *   schema sets `references`. Other constraints are table-level, named unless the name is the
 *   default one. Check constraints always carry their name; expressions are as PostgreSQL
 *   prints them (`"Price" >= 0::numeric`);
 * - a foreign key into another schema carries `referredSchema`; referential action `NO ACTION`
 *   (the default) is omitted; constraints keep their creation order, indexes are sorted by name.
 *
 * @example
 * ```ts
 * const introspector = new PostgresIntrospector((s) => connection.execute(s));
 * const snapshot = await introspector.getTable('Invoice'); // undefined when there is no such table
 * ```
 */
export class PostgresIntrospector {
  readonly #execute: DialectConnection['execute'];

  /** @param execute - runs a statement on the database to read. */
  constructor(execute: DialectConnection['execute']) {
    this.#execute = execute;
  }

  /**
   * Reads one table (or partitioned table; not a view).
   * @param name - table name, matched exactly (as a quoted identifier).
   * @param schema - the schema; omitted: the first schema of the `search_path` that has the table,
   *   as an unqualified name resolves. Set on the snapshot only when given.
   * @returns the snapshot, or `undefined` when no such table exists.
   * @throws the driver's error when a catalog query fails.
   */
  async getTable(name: string, schema?: string): Promise<TableSnapshot | undefined> {
    const [table] = await this.#execute({ sql: TABLE_SQL, parameters: [name, schema ?? null] });
    if (!table) return undefined;
    const oid = String(table.oid);
    const tableName = String(table.name);
    const tableSchema = String(table.schema);
    const columnRows = await this.#execute({ sql: COLUMNS_SQL, parameters: [oid] });
    const constraintRows = await this.#execute({ sql: CONSTRAINTS_SQL, parameters: [oid] });
    const indexRows = await this.#execute({ sql: INDEXES_SQL, parameters: [oid] });

    const columns: Mutable<ColumnSnapshot>[] = columnRows.map((r: Row) => {
      const type = postgresCatalogType(String(r.type));
      const col: Mutable<ColumnSnapshot> = { name: String(r.name), type, nullable: r.notnull !== true };
      const serial = r.owns_sequence === true && typeof r.default === 'string' && /^nextval\(/i.test(r.default);
      if (r.identity === 'a' || r.identity === 'd' || serial) col.autoincrement = true;
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
    for (const r of constraintRows as Row[]) {
      const conName = String(r.name);
      const cols = (r.columns ?? []) as string[];
      const named = <T extends object>(value: T, defaultName: string): T => (conName === defaultName ? value : { name: conName, ...value });
      if (r.type === 'p') {
        if (cols.length === 1 && conName === `${tableName}_pkey`) column(cols[0]!)!.primaryKey = true;
        else primaryKey = named({ columns: cols }, `${tableName}_pkey`);
      } else if (r.type === 'u') {
        if (cols.length === 1 && conName === `${tableName}_${cols[0]}_key`) column(cols[0]!)!.unique = true;
        else uniqueConstraints.push(named({ columns: cols }, `${tableName}_${cols.join('_')}_key`));
      } else if (r.type === 'f') {
        const referredColumns = (r.referred_columns ?? []) as string[];
        const onDelete = ACTIONS[String(r.on_delete)];
        const onUpdate = ACTIONS[String(r.on_update)];
        const actions = { ...(onDelete ? { onDelete } : {}), ...(onUpdate ? { onUpdate } : {}) };
        const sameSchema = r.referred_schema === tableSchema;
        if (cols.length === 1 && sameSchema && conName === `${tableName}_${cols[0]}_fkey`) {
          column(cols[0]!)!.references = { table: String(r.referred_table), column: referredColumns[0]!, ...actions };
        } else {
          foreignKeys.push(
            named(
              {
                columns: cols,
                referredTable: String(r.referred_table),
                ...(sameSchema ? {} : { referredSchema: String(r.referred_schema) }),
                referredColumns,
                ...actions,
              },
              `${tableName}_${cols.join('_')}_fkey`,
            ),
          );
        }
      } else {
        checkConstraints.push({ name: conName, expression: checkExpression(String(r.definition)) });
      }
    }

    const indexes: IndexSnapshot[] = (indexRows as Row[]).map((r) => {
      const keys = (r.keys ?? []) as number[];
      const terms = (r.terms ?? []) as string[];
      const index: Mutable<IndexSnapshot> = {
        name: String(r.name),
        columns: terms.map((term, i) => {
          const num = keys[i] ?? 0;
          const col = num > 0 ? columnRows.find((c: Row) => Number(c.num) === num) : undefined;
          return col ? String(col.name) : { sql: term };
        }),
        unique: r.unique === true,
      };
      if (r.predicate) index.where = String(r.predicate);
      return index;
    });

    const snapshot: Mutable<TableSnapshot> = { name: tableName, columns, foreignKeys, uniqueConstraints, checkConstraints, indexes };
    if (schema !== undefined) snapshot.schema = tableSchema;
    if (primaryKey) snapshot.primaryKey = primaryKey;
    if (table.comment !== null && table.comment !== undefined) snapshot.comment = String(table.comment);
    return snapshot;
  }
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
