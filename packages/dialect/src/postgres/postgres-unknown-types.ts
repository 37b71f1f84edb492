import type { DeclaredType, Statement, UnknownType } from '@multidb/core';
import { renderPostgresType } from './postgres-type-map.js';

/** Names CREATE TABLE takes that are no types of their own (an integer column with a sequence). */
const SERIALS: ReadonlySet<string> = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

const LOOKUP = 'SELECT t AS type, to_regtype(t) IS NOT NULL AS known FROM unnest($1::text[]) AS t';

/**
 * The declared types PostgreSQL does not know, asked of the live database: each type as the
 * dialect writes it in DDL (`varchar(20)`, `integer[]`, `"mood"`, `geometry(Point,4326)`) goes
 * through `to_regtype`, which resolves it on the connection's `search_path` as CREATE TABLE would,
 * with its parameters and array brackets. `serial` and its kin are known (CREATE TABLE's
 * shorthand); a type the dialect refuses to write is left to compile. A type text `to_regtype`
 * cannot even parse is unknown. One query for every distinct
 * type (a text that breaks it is then asked alone).
 *
 * @param types - the declared types.
 * @param execute - runs a query on the bind's database; omitted: nothing can be told (none unknown).
 * @returns the unknown ones, in the order given, with the reason `'PostgreSQL has no such type'`.
 * @throws the driver's error when the database cannot be asked at all.
 * @example
 * ```ts
 * await postgresUnknownTypes([{ table: 'note', column: 'body', type: parseColumnType('string') }], (s) => conn.execute(s));
 * // [{ table: 'note', column: 'body', type: …, rendered: 'string', reason: 'PostgreSQL has no such type' }]
 * ```
 */
export async function postgresUnknownTypes(
  types: readonly DeclaredType[],
  execute?: (statement: Statement) => Promise<readonly Record<string, unknown>[]>,
): Promise<UnknownType[]> {
  if (!execute || types.length === 0) return [];
  // A type the dialect refuses to write is left to compile, which says why.
  const rendered = types.flatMap((t) => {
    try {
      return [{ declared: t, text: renderPostgresType(t.type) }];
    } catch {
      return [];
    }
  });
  const asked = [...new Set(rendered.map((r) => r.text).filter((text) => !SERIALS.has(text.toLowerCase())))];
  const known = new Set<string>();
  if (asked.length) {
    try {
      for (const row of await execute({ sql: LOOKUP, parameters: [asked] })) if (row.known === true) known.add(String(row.type));
    } catch {
      // A text to_regtype cannot parse fails the whole query: ask each alone.
      for (const text of asked) {
        try {
          const [row] = await execute({ sql: LOOKUP, parameters: [[text]] });
          if (row?.known === true) known.add(text);
        } catch {
          // Not even a type name: unknown.
        }
      }
    }
  }
  return rendered
    .filter((r) => !SERIALS.has(r.text.toLowerCase()) && !known.has(r.text))
    .map((r) => ({ ...r.declared, rendered: r.text, reason: 'PostgreSQL has no such type' }));
}
