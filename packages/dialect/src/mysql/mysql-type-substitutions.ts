import { formatColumnType, type DeclaredType, type TypeSubstitution } from '@multidb/core';
import { renderMysqlType } from './mysql-type-map.js';
import type { MysqlFlavour } from './mysql-url.js';

/** PostgreSQL's date-time spellings with a time zone, which the type map writes without one. */
const ZONED = new Set(['timestamptz', 'timetz', 'timestamp with time zone', 'time with time zone']);
/** PostgreSQL's spellings without one (the same map, and the same default precision). */
const UNZONED = new Set(['timestamp without time zone', 'time without time zone']);

/**
 * What a declared type becomes on MySQL/MariaDB when that is not the type itself, or a spelling of
 * it that means the same (`integer` → `int`, `boolean` → `tinyint(1)`, `nvarchar(n)` →
 * `varchar(n)`, `real` → `double`, `bytea` → `longblob`: left out):
 * - `'loss'`: PostgreSQL's time zone types (`timestamptz`, `timestamp with time zone`, `timetz`,
 *   `time with time zone`) become `datetime`/`time`, which keep no time zone; those and
 *   `timestamp`/`time without time zone` without a precision also lose the fractional seconds that
 *   PostgreSQL keeps by default (6 digits: MySQL's default is 0); `numeric` without a precision
 *   (any number on PostgreSQL) becomes `decimal`, which is `decimal(10,0)`;
 * - `'note'`: `jsonb` → `json` (MariaDB keeps it as checked text), `uuid` → `char(36)`;
 * - `'fails'`: arrays (`text[]`), and `varchar`/`varbinary` without a length, which the dialect
 *   refuses to write.
 *
 * @param flavour - `'mysql'` or `'mariadb'` (named in the reasons).
 * @returns the check, as `Dialect.typeSubstitutions` takes it.
 * @example
 * ```ts
 * mysqlTypeSubstitutions('mariadb')([{ table: 'event', column: 'at', type: parseColumnType('timestamptz') }]);
 * // [{ table: 'event', column: 'at', type: …, rendered: 'datetime', effect: 'loss', reason: 'MariaDB has no time zone types: … ' }]
 * ```
 */
export function mysqlTypeSubstitutions(flavour: MysqlFlavour): (types: readonly DeclaredType[]) => TypeSubstitution[] {
  const server = flavour === 'mariadb' ? 'MariaDB' : 'MySQL';
  return (types) => types.flatMap((t): TypeSubstitution[] => {
    const substitution = substitute(t, server);
    return substitution ? [{ ...t, ...substitution }] : [];
  });
}

function substitute(t: DeclaredType, server: string): Pick<TypeSubstitution, 'rendered' | 'effect' | 'reason'> | undefined {
  const type = t.type;
  const declared = formatColumnType(type);
  if (type.array) return { rendered: declared, effect: 'fails', reason: `${server} has no array types (use json instead)` };
  let rendered: string;
  try {
    rendered = renderMysqlType(type);
  } catch {
    // The only other refusal of the type map: a varchar or varbinary without a length.
    return { rendered: declared, effect: 'fails', reason: `${server} needs a length for ${type.name} (e.g. '${type.name}(255)'), or use text` };
  }
  const zone = type.modifiers.join(' ');
  const zoned = ZONED.has(type.name) || ((type.name === 'timestamp' || type.name === 'time') && zone === 'with time zone');
  const unzoned = UNZONED.has(type.name) || ((type.name === 'timestamp' || type.name === 'time') && zone === 'without time zone');
  if (zoned || unzoned) {
    const time = type.name.startsWith('timestamp') ? 'timestamp' : 'time';
    const precise = typeof type.args[0] === 'number';
    const fraction = `${rendered} keeps no fractional seconds (PostgreSQL keeps microseconds by default; declare a precision, e.g. '${time}(6)${zoned ? ' with time zone' : ''}', to keep them)`;
    if (!zoned) return precise ? undefined : { rendered, effect: 'loss', reason: `${server}'s ${fraction}` };
    return { rendered, effect: 'loss', reason: `${server} has no time zone types: values are stored without their time zone${precise ? '' : `, and ${fraction}`}` };
  }
  if (type.name === 'numeric' && type.args.length === 0) {
    return {
      rendered,
      effect: 'loss',
      reason: `${server}'s decimal without a precision is decimal(10,0): fractions are rounded away and at most 10 digits fit (PostgreSQL's numeric keeps any number); declare a precision, e.g. 'numeric(20,6)'`,
    };
  }
  if (type.name === 'jsonb') {
    const how = server === 'MariaDB' ? 'MariaDB keeps JSON as text checked by json_valid' : 'MySQL keeps JSON in a binary form, as jsonb does';
    return { rendered, effect: 'note', reason: `${server} has no jsonb: ${how}` };
  }
  if (type.name === 'uuid') return { rendered, effect: 'note', reason: `the UUID is kept as its 36-character text` };
  return undefined;
}
