import { quoteIdentifier } from '../shared/quote-identifier.js';
import { formatColumnType, longestMemberLength, UnsupportedOperationError, type ColumnType } from '@multidb/core';

/** Integer types, with the wider type an `unsigned` variant needs. */
const INTEGERS: Readonly<Record<string, { readonly type: string; readonly unsigned: string }>> = {
  tinyint: { type: 'smallint', unsigned: 'smallint' },
  smallint: { type: 'smallint', unsigned: 'integer' },
  int2: { type: 'smallint', unsigned: 'integer' },
  mediumint: { type: 'integer', unsigned: 'integer' },
  int: { type: 'integer', unsigned: 'bigint' },
  integer: { type: 'integer', unsigned: 'bigint' },
  int4: { type: 'integer', unsigned: 'bigint' },
  bigint: { type: 'bigint', unsigned: 'numeric(20)' },
  int8: { type: 'bigint', unsigned: 'numeric(20)' },
};

/** Type names that are other spellings of one PostgreSQL type (arguments are kept). */
const SYNONYMS: Readonly<Record<string, string>> = {
  nvarchar: 'varchar',
  varchar2: 'varchar',
  nvarchar2: 'varchar',
  'character varying': 'varchar',
  'national character varying': 'varchar',
  nchar: 'char',
  character: 'char',
  'national character': 'char',
  decimal: 'numeric',
  dec: 'numeric',
  bool: 'boolean',
  float8: 'double precision',
  double: 'double precision',
  float4: 'real',
  tinytext: 'text',
  mediumtext: 'text',
  longtext: 'text',
  ntext: 'text',
  clob: 'text',
  blob: 'bytea',
  tinyblob: 'bytea',
  mediumblob: 'bytea',
  longblob: 'bytea',
  binary: 'bytea',
  varbinary: 'bytea',
  image: 'bytea',
  uniqueidentifier: 'uuid',
  year: 'smallint',
};

/** Date-time names of other databases: rendered as `timestamp`, keeping a precision up to 6. */
const DATETIMES = new Set(['datetime', 'datetime2', 'smalldatetime']);

/** Types whose arguments PostgreSQL does not take (`blob(100)` → `bytea`, `double(10,2)` → `double precision`). */
const NO_ARGS = new Set(['bytea', 'text', 'uuid', 'smallint', 'boolean', 'double precision', 'real']);

/**
 * Renders a parsed column type as a PostgreSQL type.
 *
 * Spellings of other databases become their PostgreSQL equivalent: `nvarchar(40)` → `varchar(40)`,
 * `nchar(2)` → `char(2)`, `datetime` → `timestamp` (`datetime(3)` → `timestamp(3)`), `blob` and
 * the MySQL blob/binary types → `bytea`, `double` → `double precision`, `float` (no precision) →
 * `double precision`, `tinyint(1)` and `bool` → `boolean`, `tinyint` → `smallint`, `mediumint` →
 * `integer`, MySQL text types → `text`, `decimal` → `numeric`, `enum('a','bc')` → `varchar(2)`
 * (the longest member, in characters) and `set(…)` → `text`. Integer display widths (`int(11)`) are dropped, and
 * `unsigned` widens an integer (`int unsigned` → `bigint`, `bigint unsigned` → `numeric(20)`).
 * Everything else is written as given (`numeric(10,2)`, `json`, `jsonb`, `uuid`, `timestamptz`,
 * `timestamp with time zone`, `serial`); an array type (`text[]`) keeps its `[]`.
 *
 * @param type - the parsed type.
 * @returns the PostgreSQL type text.
 * @example
 * ```ts
 * renderPostgresType(parseColumnType('nvarchar(40)')); // 'varchar(40)'
 * renderPostgresType(parseColumnType('tinyint(1)'));   // 'boolean'
 * renderPostgresType(parseColumnType('integer[]'));    // 'integer[]'
 * ```
 */
export function renderPostgresType(type: ColumnType): string {
  const base =
    type.enumName !== undefined ? `${type.enumSchema !== undefined ? `${quoteIdentifier(type.enumSchema)}.` : ''}${quoteIdentifier(type.enumName)}` : baseType(type);
  return type.array ? `${base}[]` : base;
}

function baseType(type: ColumnType): string {
  // MySQL's sign words: `int unsigned` parses as one name, `int(11) unsigned` as a modifier.
  const sign = (word: string) => word === 'unsigned' || word === 'signed' || word === 'zerofill';
  const words = type.name.split(' ');
  const unsigned = words.includes('unsigned') || type.modifiers.includes('unsigned');
  const name = words.filter((w) => !sign(w)).join(' ') || type.name;
  const modifiers = type.modifiers.filter((m) => !sign(m));
  const rest = { ...type, name, modifiers, array: false };
  if (name === 'tinyint' && type.args.length === 1 && type.args[0] === 1) return 'boolean';
  const integer = INTEGERS[name];
  if (integer) return unsigned ? integer.unsigned : integer.type;
  if (DATETIMES.has(name)) {
    const precision = typeof type.args[0] === 'number' ? `(${Math.min(6, type.args[0])})` : '';
    return `timestamp${precision}`;
  }
  if (name === 'enum' || type.args.some((a) => typeof a === 'string')) {
    if (name !== 'enum') return 'text';
    return `varchar(${Math.max(1, longestMemberLength(type))})`;
  }
  if (name === 'float' && type.args.length === 0) return 'double precision';
  const renamed = SYNONYMS[name];
  if (renamed) return formatColumnType({ ...rest, name: renamed, args: NO_ARGS.has(renamed) ? [] : type.args });
  return formatColumnType(rest);
}

/**
 * The column type with its identity clause, for an `autoincrement` column: `smallint`, `integer`
 * and `bigint` become `… GENERATED BY DEFAULT AS IDENTITY` (BY DEFAULT, so rows may still be
 * inserted with explicit ids, as data loads do), or `… GENERATED ALWAYS AS IDENTITY` for
 * `autoincrement: 'always'`; `serial`, `smallserial` and `bigserial` are already
 * auto-incrementing and are written as they are.
 *
 * @param type - the parsed type.
 * @param column - the column's name, for the error.
 * @param generation - `'by-default'` (the default) or `'always'`.
 * @returns the type text with the identity clause.
 * @throws {@link UnsupportedOperationError} for any other type (PostgreSQL identity columns are
 *   integers).
 * @example
 * ```ts
 * renderPostgresIdentityType(parseColumnType('integer'), 'InvoiceId'); // 'integer GENERATED BY DEFAULT AS IDENTITY'
 * renderPostgresIdentityType(parseColumnType('bigint'), 'Id', 'always'); // 'bigint GENERATED ALWAYS AS IDENTITY'
 * ```
 */
export function renderPostgresIdentityType(type: ColumnType, column: string, generation: 'always' | 'by-default' = 'by-default'): string {
  const rendered = renderPostgresType(type);
  if (['serial', 'smallserial', 'bigserial', 'serial4', 'serial8', 'serial2'].includes(rendered)) return rendered;
  if (!['smallint', 'integer', 'bigint'].includes(rendered)) {
    throw new UnsupportedOperationError(
      'postgres',
      `make the ${rendered} column "${column}" auto-increment`,
      'PostgreSQL identity columns are smallint, integer or bigint.',
    );
  }
  return `${rendered} GENERATED ${generation === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
}
