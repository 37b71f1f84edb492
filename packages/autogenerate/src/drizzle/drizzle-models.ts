import { normalizeIndexColumn, type ColumnModel, type DefaultValue, type EnumModel, type ModelsDefinition, type ReferentialAction, type TableModel } from '@multidb/core';

/**
 * Reading Drizzle ORM table definitions (`pgTable`, `mysqlTable`, `sqliteTable`) into the
 * `defineModels` shape, through drizzle-orm's own public API: `getTableConfig` of each dialect's
 * core module, `is()`, each dialect's SQL printer for `sql` expressions, and `pgEnum`'s
 * `enumName`/`enumValues`. drizzle-orm is an optional peer: it is imported here only, and only
 * when a bind's `models` names Drizzle tables.
 *
 * The names are the ones drizzle-kit gives: a foreign key, unique constraint or composite primary
 * key without a name gets Drizzle's own default (`posts_author_id_users_id_fk`,
 * `users_email_unique`, `post_tags_post_id_tag_pk`), which its `getName()` returns; an index
 * without one (PostgreSQL's `index()`, `uniqueIndex()`) gets drizzle-kit's
 * `<table>_<columns>_index` (`posts_title_index`). A
 * column-level primary key is named as the database names drizzle-kit's `PRIMARY KEY` (PostgreSQL
 * `<table>_pkey`; unnamed on SQLite; MySQL calls every one PRIMARY).
 */

/** The Drizzle dialect of a schema module. */
export type DrizzleDialect = 'postgres' | 'mysql' | 'sqlite';

// Small structural views of drizzle-orm's objects: only what is read here.
interface DrizzleSql {
  inlineParams(): DrizzleSql;
}
interface DrizzleColumn {
  readonly name: string;
  readonly notNull: boolean;
  readonly primary: boolean;
  readonly hasDefault: boolean;
  readonly default: unknown;
  readonly isUnique: boolean;
  readonly uniqueName?: string;
  /** PostgreSQL: `'not distinct'` for `.unique(name, { nulls: 'not distinct' })`. */
  readonly uniqueType?: string;
  readonly columnType: string;
  /** `type` is `'always'` (or `'byDefault'`); `mode` says where the value is kept (PostgreSQL's are `'stored'`). */
  readonly generated?: { readonly as: unknown; readonly type?: string; readonly mode?: 'stored' | 'virtual' };
  /** PostgreSQL identity (`generatedAlwaysAsIdentity()`, `generatedByDefaultAsIdentity()`). */
  readonly generatedIdentity?: { readonly type?: 'always' | 'byDefault' };
  readonly autoIncrement?: boolean;
  readonly hasOnUpdateNow?: boolean;
  readonly enum?: { readonly enumName: string; readonly enumValues: readonly string[]; readonly schema?: string };
  /** The members of a MySQL `mysqlEnum` (and of a `text`/`varchar` declared with `enum`). */
  readonly enumValues?: readonly string[];
  readonly table: unknown;
  getSQLType(): string;
  /** The value the driver is sent for an application value (a `Date`, an array, JSON). */
  mapToDriverValue(value: unknown): unknown;
}
interface DrizzleIndex {
  readonly config: {
    readonly name?: string;
    readonly columns: readonly unknown[];
    readonly unique: boolean;
    readonly where?: unknown;
    readonly method?: string;
    readonly using?: string;
  };
}
interface DrizzleForeignKey {
  reference(): { readonly columns: readonly DrizzleColumn[]; readonly foreignColumns: readonly DrizzleColumn[] };
  readonly onDelete?: string;
  readonly onUpdate?: string;
  getName(): string;
}
interface DrizzleTableConfig {
  readonly name: string;
  readonly schema?: string;
  readonly columns: readonly DrizzleColumn[];
  readonly indexes: readonly DrizzleIndex[];
  readonly foreignKeys: readonly DrizzleForeignKey[];
  readonly checks: readonly { readonly name: string; readonly value: unknown }[];
  readonly primaryKeys: readonly { readonly columns: readonly DrizzleColumn[]; getName(): string }[];
  readonly uniqueConstraints: readonly { readonly columns: readonly DrizzleColumn[]; getName(): string | undefined; readonly name?: string; readonly nullsNotDistinct?: boolean }[];
}

/** What one dialect's core module gives: its table class, `getTableConfig` and SQL printer. */
interface DialectApi {
  readonly dialect: DrizzleDialect;
  readonly tableClass: unknown;
  getTableConfig(table: unknown): DrizzleTableConfig;
  sqlToString(value: DrizzleSql, forIndex: boolean): string;
  isEnum?(value: unknown): boolean;
}

/** drizzle-orm's modules, imported on first use. */
interface DrizzleApi {
  is(value: unknown, type: unknown): boolean;
  readonly SQL: unknown;
  getTableName(table: unknown): string;
  readonly dialects: readonly DialectApi[];
}

let loaded: Promise<DrizzleApi> | undefined;

/**
 * Imports drizzle-orm (an optional peer of `@multidb/autogenerate`).
 * @throws Error saying to install drizzle-orm when it cannot be imported.
 */
export function importDrizzle(): Promise<DrizzleApi> {
  loaded ??= (async () => {
    const [orm, pg, mysql, sqlite] = await Promise.all([
      import('drizzle-orm'),
      import('drizzle-orm/pg-core'),
      import('drizzle-orm/mysql-core'),
      import('drizzle-orm/sqlite-core'),
    ]);
    const pgDialect = new pg.PgDialect();
    const mysqlDialect = new mysql.MySqlDialect();
    const sqliteDialect = new sqlite.SQLiteSyncDialect();
    type Printer = { sqlToQuery(sql: never, invokeSource?: 'indexes'): { sql: string } };
    const printer = (d: Printer) => (value: DrizzleSql, forIndex: boolean) =>
      d.sqlToQuery(value.inlineParams() as never, forIndex ? 'indexes' : undefined).sql;
    return {
      is: orm.is as (value: unknown, type: unknown) => boolean,
      SQL: orm.SQL,
      getTableName: orm.getTableName as (table: unknown) => string,
      dialects: [
        {
          dialect: 'postgres',
          tableClass: pg.PgTable,
          getTableConfig: pg.getTableConfig as unknown as (t: unknown) => DrizzleTableConfig,
          sqlToString: printer(pgDialect as unknown as Printer),
          isEnum: (value: unknown) => pg.isPgEnum(value),
        },
        {
          dialect: 'mysql',
          tableClass: mysql.MySqlTable,
          getTableConfig: mysql.getTableConfig as unknown as (t: unknown) => DrizzleTableConfig,
          sqlToString: printer(mysqlDialect as unknown as Printer),
        },
        {
          dialect: 'sqlite',
          tableClass: sqlite.SQLiteTable,
          getTableConfig: sqlite.getTableConfig as unknown as (t: unknown) => DrizzleTableConfig,
          sqlToString: printer(sqliteDialect as unknown as Printer),
        },
      ],
    };
  })();
  return loaded;
}

/** A Drizzle schema module that cannot be read as models; the message says why. */
export class DrizzleSchemaError extends Error {}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  cascade: 'cascade',
  'set null': 'set null',
  'set default': 'set default',
  restrict: 'restrict',
  'no action': 'no action',
};

function action(value: string | undefined): ReferentialAction | undefined {
  if (value === undefined) return undefined;
  const a = ACTIONS[value.toLowerCase()];
  // drizzle-kit writes no clause for `no action` (the database's default).
  return a === 'no action' ? undefined : a;
}

/** PostgreSQL's serial types: the integer type with an auto-increment (a sequence default). */
const SERIALS: Readonly<Record<string, string>> = { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' };

/**
 * Converts the Drizzle tables (and, on PostgreSQL, enums) a module exports into the argument of
 * `defineModels`.
 *
 * @param exports - the module's namespace (every export is looked at; other values are ignored).
 * @param drizzle - from {@link importDrizzle}.
 * @param options - `schema`: on PostgreSQL, the schema of the tables declared without one (the
 *   bind's `schema`, default `'public'`), which a foreign key from a table of another schema
 *   (`pgSchema('other').table(…)`) names as the schema it refers to.
 * @returns the dialect of the tables and the models definition.
 * @throws {@link DrizzleSchemaError} when the module exports no Drizzle table, mixes dialects, or
 *   uses what a models module cannot declare (a default or expression with bound parameters).
 */
export function drizzleModels(
  exports: Readonly<Record<string, unknown>>,
  drizzle: DrizzleApi,
  options: { readonly schema?: string } = {},
): { dialect: DrizzleDialect; definition: ModelsDefinition } {
  const tables: { api: DialectApi; table: unknown }[] = [];
  const enums = new Map<string, EnumModel>();
  for (const value of Object.values(exports)) {
    if (!value || (typeof value !== 'object' && typeof value !== 'function')) continue;
    const api = drizzle.dialects.find((d) => drizzle.is(value, d.tableClass));
    if (api) tables.push({ api, table: value });
    else {
      const pgApi = drizzle.dialects.find((d) => d.dialect === 'postgres')!;
      if (pgApi.isEnum?.(value)) addEnum(enums, value as never);
    }
  }
  if (tables.length === 0) throw new DrizzleSchemaError('it exports no Drizzle table (pgTable, mysqlTable or sqliteTable).');
  const kinds = [...new Set(tables.map((t) => t.api.dialect))];
  if (kinds.length > 1) throw new DrizzleSchemaError(`it mixes Drizzle dialects (${kinds.join(', ')}): a bind's models are tables of one dialect.`);
  const api = tables[0]!.api;
  const seen = new Set<unknown>();
  const models: TableModel[] = [];
  for (const { table } of tables) {
    if (seen.has(table)) continue; // exported twice under two names
    seen.add(table);
    models.push(tableModel(api.getTableConfig(table), api, drizzle, enums, options.schema ?? 'public'));
  }
  return { dialect: api.dialect, definition: { tables: models, ...(enums.size ? { enums: [...enums.values()] } : {}) } };
}

function addEnum(enums: Map<string, EnumModel>, e: { enumName: string; enumValues: readonly string[]; schema?: string }): void {
  const key = `${e.schema ?? ''}.${e.enumName}`;
  if (!enums.has(key)) enums.set(key, { name: e.enumName, values: [...e.enumValues], ...(e.schema !== undefined ? { schema: e.schema } : {}) });
}

function tableModel(config: DrizzleTableConfig, api: DialectApi, drizzle: DrizzleApi, enums: Map<string, EnumModel>, defaultSchema: string): TableModel {
  const t = config.name;
  const where = `table '${t}'`;
  const sqlText = (value: unknown, what: string, forIndex = false): string => {
    if (typeof value === 'string') return value;
    if (drizzle.is(value, drizzle.SQL)) return api.sqlToString(value as DrizzleSql, forIndex);
    throw new DrizzleSchemaError(`${where}: ${what} is neither SQL nor text.`);
  };
  const single = config.columns.filter((c) => c.primary);
  const columns: ColumnModel[] = config.columns.map((c) => {
    const sqlType = c.getSQLType();
    let type: string = sqlType;
    let autoincrement: boolean | 'always' = false;
    // PostgreSQL keeps no array dimensions nor sizes: `text[][]` and `integer[3]` are `text[]` and `integer[]`.
    if (api.dialect === 'postgres') type = type.replace(/(\[\d*\])+$/, '[]');
    if (api.dialect === 'postgres' && SERIALS[sqlType]) {
      type = SERIALS[sqlType]!;
      autoincrement = true;
    }
    if (c.generatedIdentity || c.autoIncrement) autoincrement = c.generatedIdentity?.type === 'always' ? 'always' : true;
    // Drizzle writes a MySQL enum's members unescaped (`enum('it's')`): quote them as a models type
    // is read (`''`; a backslash is a member's own, which the dialect escapes when it writes the DDL).
    if (api.dialect === 'mysql' && /^enum\(/i.test(sqlType) && c.enumValues) type = `enum(${c.enumValues.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')})`;
    if (api.dialect === 'mysql' && sqlType === 'serial') {
      // MySQL's SERIAL: BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
      type = 'bigint unsigned';
      autoincrement = true;
    }
    if (c.enum && api.dialect === 'postgres') {
      addEnum(enums, c.enum);
      type = c.enum.enumName;
    }
    const column: { -readonly [K in keyof ColumnModel]: ColumnModel[K] } = { name: c.name, type };
    // A column-level key is written at table level (below) where the database names it.
    const inlineKey = c.primary && single.length === 1 && api.dialect !== 'postgres';
    if (inlineKey) column.primaryKey = true;
    column.nullable = !(c.notNull || c.primary || (api.dialect === 'mysql' && sqlType === 'serial'));
    if (autoincrement) column.autoincrement = autoincrement;
    if (c.isUnique || (api.dialect === 'mysql' && sqlType === 'serial')) column.unique = true;
    const d = defaultOf(c, sqlText);
    if (d !== undefined) column.default = d;
    if (c.hasOnUpdateNow) column.onUpdate = 'CURRENT_TIMESTAMP';
    if (c.generated) {
      // `generatedAlwaysAs(sql`…`)` or `generatedAlwaysAs(() => sql`…`)`, as drizzle-kit reads both.
      const as = typeof c.generated.as === 'function' ? (c.generated.as as () => unknown)() : c.generated.as;
      column.generated = { sql: sqlText(as, `the generated column '${c.name}'`, true), stored: c.generated.mode === 'stored' };
    }
    return column;
  });
  // Column-level `.unique()`: Drizzle names it `<table>_<column>_unique`.
  const uniqueConstraints: { name: string | null; columns: string[]; nullsNotDistinct?: boolean }[] = [];
  const nulls = (notDistinct: boolean | undefined) => (notDistinct ? { nullsNotDistinct: true } : {});
  for (const [i, c] of config.columns.entries()) {
    if (!c.isUnique || !c.uniqueName) continue;
    delete (columns[i] as { unique?: boolean }).unique;
    uniqueConstraints.push({ name: c.uniqueName, columns: [c.name], ...nulls(c.uniqueType === 'not distinct') });
  }
  for (const u of config.uniqueConstraints) uniqueConstraints.push({ name: u.getName() ?? u.name ?? null, columns: u.columns.map((c) => c.name), ...nulls(u.nullsNotDistinct) });
  let primaryKey: TableModel['primaryKey'];
  if (config.primaryKeys.length > 0) {
    const pk = config.primaryKeys[0]!;
    primaryKey = { name: pk.getName(), columns: pk.columns.map((c) => c.name) };
  } else if (single.length > 0 && (api.dialect === 'postgres' || single.length > 1)) {
    primaryKey = { name: api.dialect === 'postgres' ? `${t}_pkey` : null, columns: single.map((c) => c.name) };
  }
  const foreignKeys = config.foreignKeys.map((fk) => {
    const ref = fk.reference();
    const referred = ref.foreignColumns[0]?.table;
    const onDelete = action(fk.onDelete);
    const onUpdate = action(fk.onUpdate);
    // A key into another schema names it (a table without one is in the bind's schema).
    const referredSchema = api.dialect === 'postgres' ? api.getTableConfig(referred).schema : undefined;
    const otherSchema = referredSchema !== config.schema ? { referredSchema: referredSchema ?? defaultSchema } : {};
    return {
      name: fk.getName(),
      columns: ref.columns.map((c) => c.name),
      referredTable: drizzle.getTableName(referred),
      ...otherSchema,
      referredColumns: ref.foreignColumns.map((c) => c.name),
      ...(onDelete ? { onDelete } : {}),
      ...(onUpdate ? { onUpdate } : {}),
    };
  });
  const pick = (config: { order?: 'asc' | 'desc'; nulls?: 'first' | 'last' }) => ({
    ...(config.order ? { order: config.order } : {}),
    ...(config.nulls ? { nulls: config.nulls } : {}),
  });
  const indexes = config.indexes.map((ix) => {
    const cfg = ix.config;
    const name = cfg.name || drizzleKitIndexName(t, cfg.columns, drizzle, where);
    const method = cfg.method ?? cfg.using;
    return {
      name,
      columns: cfg.columns.map((c) => {
        if (drizzle.is(c, drizzle.SQL)) return { sql: sqlText(c, `index '${name}'`, true) };
        // pg-core's IndexedColumn: `.desc()`, `.nullsFirst()` (its defaults: asc, nulls last).
        const { name: column, indexConfig } = c as { name: string; indexConfig?: { order?: 'asc' | 'desc'; nulls?: 'first' | 'last' } };
        return api.dialect === 'postgres' && indexConfig ? normalizeIndexColumn({ name: column, ...pick(indexConfig) }) : column;
      }),
      unique: cfg.unique,
      ...(cfg.where !== undefined ? { where: sqlText(cfg.where, `the WHERE of index '${name}'`, true) } : {}),
      ...(method !== undefined && method !== 'btree' ? { method } : {}),
    };
  });
  // Column references without their table (`"score" >= 0`): what the database keeps of them.
  const checkConstraints = config.checks.map((c) => ({ name: c.name, expression: sqlText(c.value, `check '${c.name}'`, true) }));
  return {
    name: t,
    ...(config.schema !== undefined ? { schema: config.schema } : {}),
    columns,
    ...(primaryKey ? { primaryKey } : {}),
    ...(foreignKeys.length ? { foreignKeys } : {}),
    ...(uniqueConstraints.length ? { uniqueConstraints } : {}),
    ...(checkConstraints.length ? { checkConstraints } : {}),
    ...(indexes.length ? { indexes } : {}),
  };
}

/**
 * The name drizzle-kit gives an index without one (`index().on(t.title)`, PostgreSQL's
 * `index(name?)`; a unique index too): `<table>_<column>_<column>_index`. drizzle-kit names only
 * indexes on columns: one on an expression without a name is refused, as drizzle-kit refuses it.
 */
function drizzleKitIndexName(table: string, columns: readonly unknown[], drizzle: DrizzleApi, where: string): string {
  if (columns.some((c) => drizzle.is(c, drizzle.SQL))) {
    throw new DrizzleSchemaError(`${where}: an index on an expression has no name; drizzle-kit names only indexes on columns (give index('name')).`);
  }
  return `${table}_${columns.map((c) => (c as { name: string }).name).join('_')}_index`;
}

/** A column's database default (a `$defaultFn`/`$onUpdate` runs in the application: none). */
function defaultOf(c: DrizzleColumn, sqlText: (value: unknown, what: string) => string): DefaultValue | undefined {
  if (!c.hasDefault || c.default === undefined) return undefined;
  const value = c.default;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return bigintDefault(value);
  try {
    return { sql: sqlText(value, `the default of '${c.name}'`) };
  } catch {
    return driverDefault(c, value);
  }
}

/** A `bigint` default: a number while that is exact, else its digits (`9007199254740993n` is not the number 9007199254740992). */
function bigintDefault(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/**
 * The default of a value in the application's terms (a `Date`, an array, a JSON value): what the
 * driver is sent for it, through the column's own `mapToDriverValue`, so that a row that takes the
 * default reads back as that value (SQLite's `integer({ mode: 'timestamp' })`: seconds, not an ISO
 * text the column would read as an invalid date; a PostgreSQL array: the literal `{"a","b"}`, not
 * JSON; MySQL's `datetime`: `2024-01-02 03:04:05.000`; JSON: its text). A mapping to bytes (a
 * SQLite `blob({ mode: 'json' })`) or one that throws keeps the JSON text.
 */
function driverDefault(c: DrizzleColumn, value: unknown): DefaultValue {
  let mapped: unknown;
  try {
    mapped = c.mapToDriverValue(value);
  } catch {
    mapped = undefined;
  }
  if (mapped === null || typeof mapped === 'string' || typeof mapped === 'number' || typeof mapped === 'boolean') return mapped;
  if (typeof mapped === 'bigint') return bigintDefault(mapped);
  // A `date` column (MySQL's `date()` leaves a `Date` to the driver): the day, as drizzle-kit writes it.
  if (mapped instanceof Date) return /^date$/i.test(c.getSQLType()) ? mapped.toISOString().slice(0, 10) : mapped.toISOString();
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}
