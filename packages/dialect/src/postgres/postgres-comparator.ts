import { parseColumnType, type ColumnSnapshot, type ColumnType, type DefaultValue, type SchemaComparator } from '@multidb/core';
import { canonicalExpression, type ExpressionRewrites } from '../shared/canonical-expression.js';
import { postgresLiteral } from './postgres-literal.js';
import { renderPostgresType } from './postgres-type-map.js';

/** What PostgreSQL does to a stored expression: casts added, `IN` as `= ANY (ARRAY[…])`, `LIKE` as `~~`. */
const POSTGRES_REWRITES: ExpressionRewrites = Object.freeze({ dropCasts: true, postgresOperators: true });

/** PostgreSQL's own spelling (as `format_type` prints it) of type names models may write. */
const CATALOG_NAMES: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int2: 'smallint',
  smallint: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  int8: 'bigint',
  bigint: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  varchar: 'character varying',
  'character varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  bool: 'boolean',
  boolean: 'boolean',
  float8: 'double precision',
  'double precision': 'double precision',
  float4: 'real',
  real: 'real',
  decimal: 'numeric',
  numeric: 'numeric',
  varbit: 'bit varying',
  'bit varying': 'bit varying',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  'time without time zone': 'time without time zone',
  time: 'time without time zone',
};

/**
 * The text PostgreSQL reports (`format_type`) for a column of this type: `int`, `int4`, `integer`
 * and `serial` → `integer`; `varchar(64)` → `character varying(64)`; `char` → `character(1)`;
 * `bool` → `boolean`; `float8` → `double precision`; `decimal(10,2)` → `numeric(10,2)`, `numeric(5)` →
 * `numeric(5,0)`;
 * `timestamp(3)` → `timestamp(3) without time zone`; `timestamptz` → `timestamp with time zone`;
 * an enum type → its name (quoted when PostgreSQL would quote it); arrays keep `[]`. Other
 * databases' spellings are mapped first as the dialect renders them (`nvarchar(40)`,
 * `datetime`, `tinyint(1)`…).
 *
 * @param type - a declared or introspected type.
 * @returns the canonical text.
 * @example
 * ```ts
 * canonicalPostgresType(parseColumnType('varchar(64)')); // 'character varying(64)'
 * canonicalPostgresType(parseColumnType('serial'));      // 'integer'
 * ```
 */
export function canonicalPostgresType(type: ColumnType): string {
  const suffix = type.array ? '[]' : '';
  if (type.enumName !== undefined) return `${type.enumSchema !== undefined ? `${postgresTypeName(type.enumSchema)}.` : ''}${postgresTypeName(type.enumName)}${suffix}`;
  const rendered = renderPostgresType({ ...type, array: false });
  let parsed: ColumnType;
  try {
    parsed = parseColumnType(rendered);
  } catch {
    return `${rendered.toLowerCase()}${suffix}`;
  }
  let name = parsed.name;
  let args = [...parsed.args];
  let zone = parsed.modifiers.join(' ');
  // `timestamp(3) with time zone` parses as timestamp + modifiers.
  if ((name === 'timestamp' || name === 'time') && (zone === 'with time zone' || zone === 'without time zone')) {
    name = `${name} ${zone}`;
    zone = '';
  }
  if (name === 'float') {
    const p = typeof args[0] === 'number' ? args[0] : 53;
    return `${p <= 24 ? 'real' : 'double precision'}${suffix}`;
  }
  const canonical = CATALOG_NAMES[name] ?? name;
  if ((canonical === 'character' || canonical === 'bit') && args.length === 0) args = [1];
  if (canonical === 'numeric' && args.length === 1) args = [args[0]!, 0];
  const argText = args.length ? `(${args.join(',')})` : '';
  const rest = zone ? ` ${zone}` : '';
  const zoned = /^(timestamp|time) (with|without) time zone$/.exec(canonical);
  if (zoned) return `${zoned[1]}${argText} ${zoned[2]} time zone${suffix}`;
  return `${canonical}${argText}${rest}${suffix}`;
}

/** A type name as `format_type` prints it: bare when it is a plain lower-case word, else quoted. */
function postgresTypeName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision)$/;
const NOW = /^(now\(\)|current_timestamp|transaction_timestamp\(\))$/i;

/**
 * The text of a column default as PostgreSQL would report it, reduced so that equal defaults
 * compare equal: `NULL` (however cast) → none; `nextval(…)` on an auto-increment column → none
 * (an identity or serial column has no default of its own); `'USD'::character varying` and
 * `'USD'` → `'USD'`; a number (or a numeric string on a numeric column) → the number;
 * `true`/`'t'` on a boolean column → `true`; `now()`, `CURRENT_TIMESTAMP` and
 * `transaction_timestamp()` → `CURRENT_TIMESTAMP`; other expressions by
 * {@link canonicalExpression} (casts dropped).
 *
 * @param value - the default as declared or introspected.
 * @param column - its column (the type decides how a literal reads).
 * @returns the canonical text, or `undefined` for no default.
 * @example
 * ```ts
 * canonicalPostgresDefault({ sql: "'USD'::character varying" }, column); // "'USD'"
 * canonicalPostgresDefault({ sql: 'now()' }, column);                    // 'CURRENT_TIMESTAMP'
 * ```
 */
export function canonicalPostgresDefault(value: DefaultValue | undefined, column: ColumnSnapshot): string | undefined {
  if (value === undefined || value === null) return undefined;
  const type = canonicalPostgresType(column.type);
  const numeric = NUMERIC.test(type.replace(/\(.*$/, ''));
  const boolean = type === 'boolean';
  if (typeof value === 'object') {
    const sql = value.sql.trim();
    if (/^\(*\s*null\s*\)*(::.*)?$/i.test(sql)) return undefined;
    if (/^nextval\(/i.test(sql) && (column.autoincrement || /serial/.test(column.type.name))) return undefined;
    if (NOW.test(sql)) return 'CURRENT_TIMESTAMP';
    const text = canonicalExpression(sql, POSTGRES_REWRITES);
    const literal = /^'((?:[^']|'')*)'$/.exec(text);
    if (literal) return literalText(literal[1]!.replace(/''/g, "'"), numeric, boolean, type);
    if (/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/.test(text)) return numberText(Number(text), text);
    if (text === 'true' || text === 'false') return text;
    if (NOW.test(text)) return 'CURRENT_TIMESTAMP';
    return text;
  }
  if (typeof value === 'number') return numberText(value, String(value));
  if (typeof value === 'boolean') return boolean ? String(value) : postgresLiteral(value);
  return literalText(value, numeric, boolean, type);
}

function literalText(text: string, numeric: boolean, boolean: boolean, type: string): string {
  if (numeric && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return numberText(Number(text), text.trim());
  if (boolean) {
    const b = text.trim().toLowerCase();
    if (['t', 'true', 'y', 'yes', 'on', '1'].includes(b)) return 'true';
    if (['f', 'false', 'n', 'no', 'off', '0'].includes(b)) return 'false';
  }
  return postgresLiteral(valueText(text, type) ?? text);
}

/**
 * One text for the inputs PostgreSQL reads as the same value of a type whose output it spells its
 * own way, so that a default declared as an application writes it (Drizzle's mapping of a `Date`,
 * an array, a JSON value) equals the default the database reports: `json`/`jsonb` by their JSON
 * value (`{"a":1}` and `{"a": 1}`; object keys sorted, as `jsonb` keeps them), arrays by their
 * elements (`{"a","b c"}` and `{a,"b c"}`; a `boolean[]`'s `{true}` and `{t}`), `date` by its date (`2024-01-02T00:00:00.000Z` and
 * `2024-01-02`), `timestamp` by its date and time, its zone ignored as PostgreSQL ignores it
 * (`2024-01-02T03:04:05.000Z` and `2024-01-02 03:04:05`), and `timestamptz` by its instant
 * (`2024-01-02T03:04:05.000Z` and `2024-01-02 03:04:05+00`). `undefined`: compare the text.
 */
function valueText(text: string, type: string): string | undefined {
  if (type.endsWith('[]')) {
    const parsed = parsePostgresArray(text.trim());
    // A boolean[] reads `{true,false}` and prints `{t,f}`.
    const elements = parsed && type === 'boolean[]' ? parsed.map(booleanElement) : parsed;
    return elements === undefined ? undefined : `array:${JSON.stringify(elements)}`;
  }
  if (type === 'json' || type === 'jsonb') {
    try {
      return `json:${sortedJson(JSON.parse(text))}`;
    } catch {
      return undefined;
    }
  }
  const stamp = /^\s*(\d{4,}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(text);
  if (!stamp) return undefined;
  const [, date, time, fraction, zone] = stamp;
  if (type === 'date') return `date:${date}`;
  const clock = `${time ?? '00:00'}${time?.length === 5 || time === undefined ? ':00' : ''}${(fraction ?? '').replace(/\.?0+$/, '')}`;
  if (/^timestamp(\(\d+\))? without time zone$/.test(type)) return `timestamp:${date} ${clock}`;
  if (/^timestamp(\(\d+\))? with time zone$/.test(type) && zone !== undefined) {
    const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
    const instant = Date.parse(`${date}T${clock.split('.')[0]}${offset}`);
    return Number.isNaN(instant) ? undefined : `instant:${instant}${(fraction ?? '').replace(/\.?0+$/, '')}`;
  }
  return undefined;
}

/** A boolean array's element as PostgreSQL prints it (`t`, `f`), or as it is when not a boolean. */
function booleanElement(e: ArrayElement): ArrayElement {
  if (Array.isArray(e)) return e.map(booleanElement);
  if (e === null) return e;
  const b = e.trim().toLowerCase();
  return ['t', 'true', 'y', 'yes', 'on', '1'].includes(b) ? 't' : ['f', 'false', 'n', 'no', 'off', '0'].includes(b) ? 'f' : e;
}

/** JSON text with every object's keys sorted. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type ArrayElement = string | null | ArrayElement[];

/**
 * The elements of a PostgreSQL array literal (`{a,"b c",NULL,{1,2}}`), `undefined` when the text is
 * not one. An unquoted `NULL` is null; quotes and backslash escapes are undone.
 */
function parsePostgresArray(text: string): ArrayElement[] | undefined {
  let i = 0;
  const parse = (): ArrayElement[] | undefined => {
    if (text[i] !== '{') return undefined;
    i++;
    const out: ArrayElement[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      while (text[i] === ' ') i++;
      if (text[i] === '{') {
        const inner = parse();
        if (inner === undefined) return undefined;
        out.push(inner);
      } else if (text[i] === '"') {
        let value = '';
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          value += text[i] ?? '';
          i++;
        }
        if (text[i] !== '"') return undefined;
        i++;
        out.push(value);
      } else {
        let value = '';
        while (i < text.length && text[i] !== ',' && text[i] !== '}') value += text[i++];
        value = value.trim();
        if (value === '') return undefined;
        out.push(/^null$/i.test(value) ? null : value);
      }
      while (text[i] === ' ') i++;
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      return undefined;
    }
  };
  const result = parse();
  return result !== undefined && i === text.length ? result : undefined;
}

function numberText(n: number, text: string): string {
  return Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n)) ? String(n) : text;
}

/**
 * PostgreSQL's comparison rules for autogenerate (the dialect's {@link SchemaComparator}): types
 * by {@link canonicalPostgresType}, defaults by {@link canonicalPostgresDefault}, expressions by
 * {@link canonicalExpression} with PostgreSQL's rewrites undone (casts such as `::numeric` and
 * `::text` dropped, `= ANY (ARRAY[…])` read as `IN (…)`, `~~` as `LIKE`, the parentheses it adds
 * or drops ignored): `"Milliseconds" > 0` and `("Milliseconds" > 0)` compare equal,
 * `"Kind" IN ('a', 'b')` and `("Kind")::text = ANY (ARRAY['a'::character varying, …]::text[])`
 * too.
 *
 * @example
 * ```ts
 * import { parseColumnType } from '@multidb/core';
 * import { postgresComparator } from '@multidb/dialect';
 * postgresComparator.canonicalType(parseColumnType('int4')) === postgresComparator.canonicalType(parseColumnType('integer')); // true
 * ```
 */
export const postgresComparator: SchemaComparator = Object.freeze({
  canonicalType: canonicalPostgresType,
  canonicalDefault: canonicalPostgresDefault,
  canonicalExpression: (sql: string) => canonicalExpression(sql, POSTGRES_REWRITES),
});
