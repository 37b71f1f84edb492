import { formatColumnType, type DeclaredType, type TypeSubstitution } from '@multidb/core';
import { renderSqliteType } from './sqlite-type-map.js';

/**
 * Why an enum loses something on SQLite. The database keeps only `varchar(longest member)` (in a
 * STRICT table only `TEXT`), so that length is all autogenerate can compare: a member added or
 * removed that leaves it as it was is no change to the database (as with Alembic, whose SQLite
 * enum is a plain VARCHAR unless it also creates a CHECK constraint).
 */
function enumReason(strict: boolean): string {
  const seen = strict ? 'sees no change of them' : "sees a change of them only when the longest member's length changes";
  return `SQLite has no enum types: the column does not check its members, and autogenerate ${seen} (add a check constraint to keep them)`;
}

/**
 * What a declared type becomes on SQLite when that loses something or is worth a note. Outside
 * STRICT tables SQLite keeps any declared type as written, so most types (`timestamp with time
 * zone`, `uuid`, `numeric(10,2)`, `interval`) are kept and left out: SQLite stores each value as
 * given (a time stamp's text keeps its offset), the declared type only gives the column an
 * affinity. Said:
 * - `'loss'`: an enum (inline or named) becomes `varchar(n)`, `n` its longest member's length (the
 *   members are not kept: only a change of `n` is a change autogenerate sees), and other types
 *   with listed values (MySQL `set(…)`) `text`, which check no members; in a STRICT table, `numeric`, `decimal` and
 *   `money` become `REAL`, a binary floating-point number that rounds exact decimals;
 * - `'note'`: `jsonb` → `json` (text);
 * - `'fails'`: arrays (`text[]`), which the dialect refuses to write.
 *
 * @param types - the declared types (`strict` for a STRICT table's columns).
 * @returns the substituted ones, in the order given.
 * @example
 * ```ts
 * sqliteTypeSubstitutions([{ table: 't', column: 'mood', type: parseColumnType("enum('sad','ok')") }]);
 * // [{ …, rendered: 'varchar(3)', effect: 'loss', reason: 'SQLite has no enum types: the column does not check its members, …' }]
 * ```
 */
export function sqliteTypeSubstitutions(types: readonly DeclaredType[]): TypeSubstitution[] {
  return types.flatMap((t): TypeSubstitution[] => {
    const type = t.type;
    if (type.array) return [{ ...t, rendered: formatColumnType(type), effect: 'fails', reason: 'SQLite has no array types (use json instead)' }];
    const rendered = renderSqliteType(type, { strict: t.strict === true });
    if (type.name === 'enum' || type.enumName !== undefined) {
      return [{ ...t, rendered, effect: 'loss', reason: enumReason(t.strict === true) }];
    }
    if (type.args.some((a) => typeof a === 'string')) {
      return [{ ...t, rendered, effect: 'loss', reason: `SQLite has no ${type.name} type: the column does not check the listed values` }];
    }
    if (t.strict === true && rendered === 'REAL' && /^(numeric|decimal|dec|money)$/.test(type.name)) {
      return [{ ...t, rendered, effect: 'loss', reason: 'a STRICT table keeps it as REAL, a binary floating-point number: exact decimals are rounded (about 15 significant digits)' }];
    }
    if (type.name === 'jsonb') return [{ ...t, rendered, effect: 'note', reason: 'SQLite keeps JSON as text' }];
    return [];
  });
}
