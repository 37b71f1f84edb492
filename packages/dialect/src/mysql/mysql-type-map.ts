import { formatColumnType, UnsupportedOperationError, type ColumnType } from '@multidb/core';
import { mysqlInlineLiteral } from './mysql-parameter.js';

/**
 * Type names of other databases with their MySQL spelling. A function gets the parsed type
 * (to keep its arguments); a string replaces the whole type.
 */
const RENAMES: Readonly<Record<string, string | ((t: ColumnType) => string)>> = {
  // Unicode text: tables are created with DEFAULT CHARSET=utf8mb4, so plain (var)char holds it.
  nvarchar: (t) => withArgs('varchar', t),
  'national varchar': (t) => withArgs('varchar', t),
  'character varying': (t) => withArgs('varchar', t),
  nchar: (t) => withArgs('char', t),
  'national char': (t) => withArgs('char', t),
  character: (t) => withArgs('char', t),
  ntext: 'text',
  clob: 'longtext',
  // Booleans are tinyint(1) (MySQL's BOOLEAN is an alias of it).
  boolean: 'tinyint(1)',
  bool: 'tinyint(1)',
  // Integers.
  integer: (t) => withArgs('int', t),
  int4: 'int',
  int2: 'smallint',
  int8: 'bigint',
  serial: 'int',
  serial4: 'int',
  smallserial: 'smallint',
  serial2: 'smallint',
  bigserial: 'bigint',
  serial8: 'bigint',
  // Floating point: `real` is 8 bytes on MySQL (and SQLite); float4 is PostgreSQL's 4-byte real.
  real: 'double',
  float4: 'float',
  float8: 'double',
  'double precision': 'double',
  numeric: (t) => withArgs('decimal', t),
  money: 'decimal(19,4)',
  // Date and time: MySQL has no time zone types; TIMESTAMP WITH TIME ZONE keeps its range as DATETIME.
  'timestamp without time zone': (t) => withArgs('datetime', t),
  'timestamp with time zone': (t) => withArgs('datetime', t),
  timestamptz: (t) => withArgs('datetime', t),
  'time without time zone': (t) => withArgs('time', t),
  'time with time zone': (t) => withArgs('time', t),
  timetz: (t) => withArgs('time', t),
  // Other PostgreSQL types.
  bytea: 'longblob',
  jsonb: 'json',
  uuid: 'char(36)',
};

/** Types whose parsed name maps to MySQL's own, e.g. serial columns that imply AUTO_INCREMENT. */
const SERIALS: ReadonlySet<string> = new Set(['serial', 'serial4', 'smallserial', 'serial2', 'bigserial', 'serial8']);

function withArgs(name: string, t: ColumnType): string {
  return formatColumnType({ ...t, name, modifiers: t.modifiers.filter((m) => !['with', 'without', 'time', 'zone'].includes(m)) });
}

/**
 * Renders a parsed column type as a MySQL/MariaDB column type (lower-case, e.g. `varchar(40)`).
 *
 * MySQL's own types are written as given (`int unsigned`, `decimal(10,2)`, `datetime(3)`,
 * `timestamp`, `enum('a','b')`, `json`, `mediumtext`); ENUM and SET members are the members
 * themselves, written as MySQL literals (a backslash doubled: `enum('C:\\dir')`). Types of other
 * databases are mapped:
 * `nvarchar(n)`/`nchar(n)` → `varchar(n)`/`char(n)` (tables are utf8mb4), `boolean` →
 * `tinyint(1)`, `integer` → `int`, `serial`/`bigserial` → `int`/`bigint` (the column gets
 * AUTO_INCREMENT, see {@link impliesAutoIncrement}), `real` → `double`, `numeric(p,s)` →
 * `decimal(p,s)`, `timestamp with time zone`/`timestamptz` → `datetime` (MySQL has no time zone
 * types; DATETIME keeps dates before 1970), `bytea` → `longblob`, `jsonb` → `json`, `uuid` →
 * `char(36)`, `clob` → `longtext`. `datetime` stays `datetime`: MySQL's TIMESTAMP only holds
 * 1970–2038. `json` is written as `json` on both flavours (MariaDB stores it as `longtext` with a
 * `json_valid` check, which introspection reads back as `json`). Unknown names are written as
 * given, for the server to judge.
 *
 * @param type - the parsed type.
 * @returns the type text.
 * @throws {@link UnsupportedOperationError} for array types (`text[]`), and for `varchar`/`char
 *   varying` without a length (MySQL requires one).
 * @example
 * ```ts
 * renderMysqlType(parseColumnType('nvarchar(40)'));   // 'varchar(40)'
 * renderMysqlType(parseColumnType('boolean'));        // 'tinyint(1)'
 * renderMysqlType(parseColumnType('NUMERIC(10, 2)')); // 'decimal(10,2)'
 * ```
 */
export function renderMysqlType(type: ColumnType): string {
  if (type.array) {
    throw new UnsupportedOperationError('mysql', `store the array type '${formatColumnType(type)}'`, 'MySQL has no array types; use json instead.');
  }
  const zone = type.modifiers.join(' ');
  if ((type.name === 'timestamp' || type.name === 'time') && (zone === 'with time zone' || zone === 'without time zone')) {
    // PostgreSQL's spelling with a precision, e.g. `timestamp(3) with time zone`.
    return withArgs(type.name === 'time' ? 'time' : 'datetime', type);
  }
  const rename = RENAMES[type.name];
  const rendered = rename === undefined ? withMembers(type) : typeof rename === 'string' ? rename : rename(type);
  if (/^(varchar|varbinary)$/.test(rendered)) {
    throw new UnsupportedOperationError('mysql', `declare '${formatColumnType(type)}' without a length`, `Give one, e.g. '${rendered}(255)', or use text.`);
  }
  return rendered;
}

/**
 * A type as MySQL reads it: the string arguments (ENUM and SET members) as MySQL literals, so a
 * backslash is kept (`enum('C:\\dir')`; written `'C:\dir'`, MySQL would read `C:dir`, and a
 * member ending with one would not even parse).
 */
function withMembers(type: ColumnType): string {
  if (!type.args.some((a) => typeof a === 'string')) return formatColumnType(type);
  const mods = type.modifiers.length ? ` ${type.modifiers.join(' ')}` : '';
  return `${type.name}(${type.args.map((a) => (typeof a === 'number' ? String(a) : mysqlInlineLiteral(a))).join(',')})${mods}`;
}

/**
 * True when a type implies AUTO_INCREMENT (`serial`, `bigserial`, `smallserial`), as on PostgreSQL.
 * @example
 * ```ts
 * impliesAutoIncrement(parseColumnType('bigserial')); // true
 * ```
 */
export function impliesAutoIncrement(type: ColumnType): boolean {
  return SERIALS.has(type.name);
}

/**
 * True when MySQL cannot give a column of this type a literal default (TEXT, BLOB, JSON and
 * GEOMETRY families need an expression default `(…)` on MySQL 8.0.13+; MariaDB accepts literals).
 * @example
 * ```ts
 * isLobType('mediumtext'); // true
 * ```
 */
export function isLobType(rendered: string): boolean {
  return /^(tiny|medium|long)?(text|blob)\b|^json\b|^(geometry|point|linestring|polygon)\b/i.test(rendered);
}
