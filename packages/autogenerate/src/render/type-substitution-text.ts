import { formatColumnType, type TypeSubstitution } from '@multidb/core';

/**
 * What a substitution does, after the column it concerns: `"timestamptz becomes datetime: MariaDB
 * has no time zone types: …"`, or for `'fails'` `"text[] cannot be stored: MariaDB has no array
 * types (use json instead); the upgrade fails"`, as the revision's comment above the op says it.
 * @example
 * ```ts
 * typeSubstitutionText({ table: 'doc', column: 'id', type: parseColumnType('uuid'), rendered: 'char(36)', effect: 'note', reason: 'the UUID is kept as its 36-character text' });
 * // "uuid becomes char(36): the UUID is kept as its 36-character text"
 * ```
 */
export function typeSubstitutionText(s: TypeSubstitution): string {
  const declared = formatColumnType(s.type);
  return s.effect === 'fails' ? `${declared} cannot be stored: ${s.reason}; the upgrade fails` : `${declared} becomes ${s.rendered}: ${s.reason}`;
}
