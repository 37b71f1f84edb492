import { formatColumnType, parseColumnType, type ColumnSnapshot, type ColumnType, type DefaultValue, type SchemaComparator } from '@multidb/core';
import { canonicalExpression, type ExpressionRewrites } from '../shared/canonical-expression.js';
import { mysqlInlineLiteral } from './mysql-parameter.js';
import { readMysqlString, unwrapMysql } from './mysql-sql-text.js';
import { renderMysqlType } from './mysql-type-map.js';

/**
 * What MySQL and MariaDB do to a stored expression: charset introducers, backslash escapes, and
 * MariaDB's own names for synonymous functions (it stores `length` as `octet_length`, `lower` as
 * `lcase`, `upper` as `ucase`: each pair becomes one name).
 */
const MYSQL_REWRITES: ExpressionRewrites = Object.freeze({
  dropIntroducers: true,
  backslashEscapes: true,
  functionSynonyms: Object.freeze({ length: 'octet_length', substring: 'substr', mid: 'substr', character_length: 'char_length', lcase: 'lower', ucase: 'upper' }),
});

const INTEGERS = /^(tinyint|smallint|mediumint|int|bigint)$/;

/**
 * The text MySQL/MariaDB reports (`COLUMN_TYPE`, as introspection reads it) for a column of this
 * type: the dialect's rendering (`integer` → `int`, `numeric` → `decimal`, `boolean` →
 * `tinyint(1)`, `nvarchar(40)` → `varchar(40)`, `real` → `double`…), then integer display widths
 * dropped (`int(11)` = `int`, but `tinyint(1)` is kept: it is MySQL's boolean), `decimal` →
 * `decimal(10,0)`, `char` → `char(1)`, `float(p)` → `float` or `double`, zero fractional-second
 * precisions dropped (`datetime(0)` = `datetime`). ENUM and SET members keep their case.
 *
 * @param type - a declared or introspected type.
 * @returns the canonical text (lower-case, members as written).
 * @example
 * ```ts
 * canonicalMysqlType(parseColumnType('int(11)'));  // 'int'
 * canonicalMysqlType(parseColumnType('boolean'));  // 'tinyint(1)'
 * ```
 */
export function canonicalMysqlType(type: ColumnType): string {
  let rendered: string;
  try {
    rendered = renderMysqlType(type);
  } catch {
    return formatColumnType(type);
  }
  let t: ColumnType;
  try {
    t = parseColumnType(rendered);
  } catch {
    return rendered.toLowerCase();
  }
  const words = t.name.split(' ');
  const base = words[0]!;
  const sign = [...words.slice(1), ...t.modifiers].filter((w) => w !== 'signed');
  let args = [...t.args];
  if (base === 'tinyint' && args.length === 1 && args[0] === 1 && sign.length === 0) return 'tinyint(1)';
  if (base === 'boolean' || base === 'bool') return 'tinyint(1)';
  if (INTEGERS.test(base) || base === 'year') args = [];
  if (base === 'decimal' || base === 'dec' || base === 'numeric' || base === 'fixed') {
    args = [typeof args[0] === 'number' ? args[0] : 10, typeof args[1] === 'number' ? args[1] : 0];
    return `decimal(${args.join(',')})${sign.length ? ` ${sign.join(' ')}` : ''}`;
  }
  if (base === 'float' && typeof args[0] === 'number' && args.length === 1) return `${args[0] <= 24 ? 'float' : 'double'}${sign.length ? ` ${sign.join(' ')}` : ''}`;
  if ((base === 'char' || base === 'binary' || base === 'bit') && args.length === 0) args = [1];
  if ((base === 'datetime' || base === 'timestamp' || base === 'time') && args[0] === 0) args = [];
  return formatColumnType({ ...t, name: base, args, modifiers: sign });
}

const NUMERIC = /^(tinyint|smallint|mediumint|int|bigint|decimal|float|double|bit)\b/;
const NOW = /^(current_timestamp|now|localtime|localtimestamp)(\(\s*(\d*)\s*\))?$/i;
/** `CURRENT_DATE` and `CURRENT_TIME` as written, and as MariaDB and MySQL report them (`curdate()`, `curtime()`). */
const TODAY = /^(current_date|curdate)(\(\s*\))?$/i;
const CLOCK = /^(current_time|curtime)(\(\s*(\d*)\s*\))?$/i;

/**
 * The text of a column default as the server would report it, reduced so that equal defaults
 * compare equal across MySQL (bare `COLUMN_DEFAULT` literals) and MariaDB (quoted ones): `NULL`
 * → none; `'USD'` and `USD` → `'USD'`; numbers, and numeric strings on numeric columns, as
 * numbers (`0.00` = `0`); booleans as `1`/`0`; `current_timestamp()`, `now()` and
 * `CURRENT_TIMESTAMP` → `CURRENT_TIMESTAMP` (on a DATETIME/TIMESTAMP column with the column's
 * precision, which MariaDB gives it whatever the default says: `CURRENT_TIMESTAMP(0)` on a
 * `DATETIME(3)` → `CURRENT_TIMESTAMP(3)`; elsewhere with its own),
 * `curdate()` → `CURRENT_DATE`, `curtime()` → `CURRENT_TIME`; a date on a
 * DATETIME/TIMESTAMP column with its time (`'2020-01-01'` = `'2020-01-01 00:00:00'`), and on a
 * time without the zeros of its fraction that the server pads or drops (`'…:05.5'` = `'…:05.500'`,
 * `'…:05.000'` = `'…:05'`), with its seconds (`'10:00'` = `'10:00:00'`) and two-digit hours,
 * minutes and seconds (`'1:02'` = `'01:02:00'`); other
 * expressions by {@link canonicalExpression}.
 *
 * @param value - the default as declared or introspected.
 * @param column - its column (the type decides how a literal reads).
 * @returns the canonical text, or `undefined` for no default.
 * @example
 * ```ts
 * canonicalMysqlDefault({ sql: 'current_timestamp()' }, column); // 'CURRENT_TIMESTAMP'
 * ```
 */
export function canonicalMysqlDefault(value: DefaultValue | undefined, column: ColumnSnapshot): string | undefined {
  if (value === undefined || value === null) return undefined;
  const type = canonicalMysqlType(column.type);
  const numeric = NUMERIC.test(type);
  const temporal = /^(datetime|timestamp)\b/.test(type);
  // The column's fractional-second precision: MariaDB gives a `CURRENT_TIMESTAMP` default (or ON
  // UPDATE) of a DATETIME(3)/TIMESTAMP(3) column that precision (`current_timestamp(3)`), and pads
  // a literal's fraction to it (`'… 00:00:00.000'`).
  const fsp = /^(datetime|timestamp|time)\((\d+)\)/.exec(type)?.[2];
  const hasTime = /^(datetime|timestamp|time)\b/.test(type);
  if (typeof value === 'object') {
    let sql = value.sql.trim();
    for (let inner = unwrapMysql(sql); inner !== sql; inner = unwrapMysql(sql)) sql = inner;
    if (/^null$/i.test(sql)) return undefined;
    const now = NOW.exec(sql);
    if (now) {
      // MariaDB gives a DATETIME/TIMESTAMP column's default the column's precision whatever the
      // default declares (`CURRENT_TIMESTAMP(0)` or `(6)` on a DATETIME(3) is stored
      // `current_timestamp(3)`; MySQL refuses a precision other than the column's).
      const precision = temporal ? fsp : now[3];
      return precision && precision !== '0' ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP';
    }
    if (TODAY.test(sql)) return 'CURRENT_DATE';
    const clock = CLOCK.exec(sql);
    if (clock) return clock[3] && clock[3] !== '0' ? `CURRENT_TIME(${clock[3]})` : 'CURRENT_TIME';
    const string = readMysqlString(sql.replace(/^_[a-z0-9]+(?=')/i, ''));
    if (string !== undefined) return literalText(string, numeric, temporal, hasTime);
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(sql)) return numberText(sql);
    if (/^(true|false)$/i.test(sql)) return /^true$/i.test(sql) ? '1' : '0';
    return canonicalExpression(sql, MYSQL_REWRITES);
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return numberText(String(value));
  return literalText(value, numeric, temporal, hasTime);
}

function literalText(text: string, numeric: boolean, temporal: boolean, hasTime: boolean): string {
  if (numeric && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return numberText(text.trim());
  if (temporal && /^\d{4}-\d{2}-\d{2}$/.test(text)) return mysqlInlineLiteral(`${text} 00:00:00`);
  // A time as the server keeps it: hours, minutes and seconds of two digits at least ('1:2' =
  // '01:02:00', '-1:02' = '-01:02:00', '2020-01-01 1:02:03' = '2020-01-01 01:02:03'), seconds given
  // ('10:00' = '10:00:00'), the fraction without the zeros it pads to the column's precision or
  // that a column without one drops ('….5' = '….500', '…:05.000' = '…:05').
  const time = hasTime ? /^(\d{4}-\d{2}-\d{2} |-?)(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?(?:\.(\d*))?$/.exec(text) : null;
  if (time) {
    const two = (n: string | undefined) => (n ?? '0').padStart(2, '0');
    const digits = (time[5] ?? '').replace(/0+$/, '');
    return mysqlInlineLiteral(`${time[1]}${two(time[2])}:${two(time[3])}:${two(time[4])}${digits ? `.${digits}` : ''}`);
  }
  return mysqlInlineLiteral(text);
}

function numberText(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n)) ? String(n) : text;
}

/**
 * MySQL's and MariaDB's comparison rules for autogenerate (the dialect's
 * {@link SchemaComparator}): types by {@link canonicalMysqlType}, defaults by
 * {@link canonicalMysqlDefault}, expressions by {@link canonicalExpression} (backticks,
 * `_utf8mb4` introducers, case, spacing and the parentheses MySQL adds ignored).
 *
 * @example
 * ```ts
 * import { parseColumnType } from '@multidb/core';
 * import { mysqlComparator } from '@multidb/dialect';
 * mysqlComparator.canonicalType(parseColumnType('int(11)')) === mysqlComparator.canonicalType(parseColumnType('integer')); // true
 * ```
 */
export const mysqlComparator: SchemaComparator = Object.freeze({
  canonicalType: canonicalMysqlType,
  canonicalDefault: canonicalMysqlDefault,
  canonicalExpression: (sql: string) => canonicalExpression(sql, MYSQL_REWRITES),
});
