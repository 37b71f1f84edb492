import type { DeclaredType, TypeSubstitution } from '@multidb/core';
import { renderPostgresType } from './postgres-type-map.js';

/** Date-time names of other databases that the type map writes as `timestamp`, with at most 6 fractional digits. */
const DATETIMES = new Set(['datetime', 'datetime2', 'smalldatetime']);

/**
 * What a declared type of another database becomes on PostgreSQL when that loses something or is
 * worth a note (PostgreSQL's own types, and mere spellings such as `nvarchar(n)` → `varchar(n)`,
 * `datetime` → `timestamp`, `tinyint(1)` → `boolean`, `blob` → `bytea`, are left out):
 * - `'loss'`: an inline enum (`enum('a','bc')`, no enum name) becomes `varchar` and a MySQL
 *   `set(…)` becomes `text`, which check no members; a `datetime(7)` keeps 6 fractional digits;
 * - `'note'`: an unsigned integer becomes a wider signed one (every value fits; negative ones are
 *   no longer refused).
 *
 * @param types - the declared types.
 * @returns the substituted ones, in the order given.
 * @example
 * ```ts
 * postgresTypeSubstitutions([{ table: 't', column: 'mood', type: parseColumnType("enum('sad','ok')") }]);
 * // [{ …, rendered: 'varchar(3)', effect: 'loss', reason: 'PostgreSQL has no inline enum type: …' }]
 * ```
 */
export function postgresTypeSubstitutions(types: readonly DeclaredType[]): TypeSubstitution[] {
  return types.flatMap((t): TypeSubstitution[] => {
    const type = t.type;
    if (type.enumName !== undefined) return [];
    const rendered = renderPostgresType(type);
    if (type.name === 'enum') {
      const reason = `PostgreSQL has no inline enum type: the column does not check its members (declare a named enum: enumType('name', [...]) or the models' enums)`;
      return [{ ...t, rendered, effect: 'loss', reason }];
    }
    if (type.args.some((a) => typeof a === 'string')) {
      return [{ ...t, rendered, effect: 'loss', reason: `PostgreSQL has no ${type.name} type: the column does not check the listed values` }];
    }
    if (DATETIMES.has(type.name) && typeof type.args[0] === 'number' && type.args[0] > 6) {
      return [{ ...t, rendered, effect: 'loss', reason: 'PostgreSQL keeps at most 6 fractional digits of a second (microseconds)' }];
    }
    if (type.name.split(' ').includes('unsigned') || type.modifiers.includes('unsigned')) {
      return [{ ...t, rendered, effect: 'note', reason: 'PostgreSQL has no unsigned integers: a wider signed type holds every value, and takes negative ones too' }];
    }
    return [];
  });
}
