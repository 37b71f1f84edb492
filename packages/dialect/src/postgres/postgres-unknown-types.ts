import type { DeclaredType, Statement, UnknownType } from '@multidb/core';
import { renderPostgresType } from './postgres-type-map.js';

/** Names CREATE TABLE takes that are no types of their own (an integer column with a sequence). */
const SERIALS: ReadonlySet<string> = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

const LOOKUP = 'SELECT t AS type, to_regtype(t) IS NOT NULL AS known FROM unnest($1::text[]) AS t';

/** The schemas that have a type of each name (`typtype` `'e'`: an enum), to say where an unknown one is. */
const ELSEWHERE =
  'SELECT t.typname AS name, n.nspname AS schema, t.typtype = \'e\' AS enum FROM pg_catalog.pg_type AS t ' +
  'JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace WHERE t.typname = ANY($1::text[]) ORDER BY n.nspname';

/** A type name as PostgreSQL stores an unquoted one: one word, lower case. */
const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

const NO_SUCH_TYPE = 'PostgreSQL has no such type';

/**
 * The declared types PostgreSQL does not know, asked of the live database: each type as the
 * dialect writes it in DDL (`varchar(20)`, `integer[]`, `"mood"`, `geometry(Point,4326)`) goes
 * through `to_regtype`, which resolves it as CREATE TABLE would, with its parameters and array
 * brackets: a type qualified with its schema (`"other"."mood"`) in that schema, an unqualified
 * one on the connection's `search_path` only, whatever the table's schema (CREATE TABLE
 * `other.t` does not look for an unqualified type in `other`: checked, it fails with `type "mood"
 * does not exist`). So a type that only a schema off the search path has is unknown, and the
 * reason names the schemas that have it (one more catalog query, only when some type is unknown),
 * the table's first, so the warning says how to fix it. `serial` and its kin are known (CREATE
 * TABLE's shorthand); a type the dialect refuses to write is left to compile. A type text
 * `to_regtype` cannot even parse is unknown. One query for every distinct type (a text that
 * breaks it is then asked alone).
 *
 * @param types - the declared types.
 * @param execute - runs a query on the bind's database; omitted: nothing can be told (none unknown).
 * @returns the unknown ones, in the order given, with the reason `'PostgreSQL has no such type'`,
 *   or for a name that schemas off the search path have, `'PostgreSQL has no such type on the
 *   search path (schema 'other' has one, which an unqualified type is not looked up in: declare
 *   the enum in the models' enums with its schema)'` (for a type that is no enum: `put the schema
 *   on the bind's search_path`).
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
  const unknown = rendered.filter((r) => !SERIALS.has(r.text.toLowerCase()) && !known.has(r.text));
  const elsewhere = await schemasHaving(unknown.map((r) => r.declared.type.name), execute);
  return unknown.map((r) => ({ ...r.declared, rendered: r.text, reason: reasonFor(r.declared, elsewhere.get(r.declared.type.name)) }));
}

/** Where a type of each plain name is, by name: its schemas (sorted) and whether one is an enum. Empty when the catalog cannot be read. */
async function schemasHaving(
  names: readonly string[],
  execute: (statement: Statement) => Promise<readonly Record<string, unknown>[]>,
): Promise<Map<string, { schemas: string[]; enum: boolean }>> {
  const out = new Map<string, { schemas: string[]; enum: boolean }>();
  const plain = [...new Set(names.filter((n) => PLAIN_NAME.test(n)))];
  if (plain.length === 0) return out;
  try {
    for (const row of await execute({ sql: ELSEWHERE, parameters: [plain] })) {
      const name = String(row.name);
      const found = out.get(name) ?? { schemas: [], enum: false };
      found.schemas.push(String(row.schema));
      found.enum ||= row.enum === true;
      out.set(name, found);
    }
  } catch {
    // The reason stays the plain one.
  }
  return out;
}

/** The reason for an unknown type: where the schemas off the search path that have it are, if any (the table's first). */
function reasonFor(declared: DeclaredType, found: { schemas: string[]; enum: boolean } | undefined): string {
  if (!found) return NO_SUCH_TYPE;
  const schemas = declared.schema !== undefined && found.schemas.includes(declared.schema) ? [declared.schema, ...found.schemas.filter((s) => s !== declared.schema)] : found.schemas;
  const named = schemas.map((s) => `'${s}'`).join(', ');
  const fix = found.enum ? "declare the enum in the models' enums with its schema" : "put the schema on the bind's search_path";
  return `${NO_SUCH_TYPE} on the search path (${schemas.length === 1 ? `schema ${named} has one` : `schemas ${named} have one`}, which an unqualified type is not looked up in: ${fix})`;
}
