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
 * The types a fresh PostgreSQL database has (PostgreSQL 14 to 17): the names of the base, range and
 * multirange types in `pg_catalog`, and the SQL spellings CREATE TABLE takes for them. Anything
 * else (an extension's type such as `citext` or PostGIS's `geometry`, a domain, a composite type)
 * is made in a database, and a fresh one lacks it.
 */
const BUILT_IN: ReadonlySet<string> = new Set([
  // pg_catalog: base types.
  'aclitem', 'bit', 'bool', 'box', 'bpchar', 'bytea', 'char', 'cid', 'cidr', 'circle', 'date', 'float4', 'float8', 'gtsvector', 'inet',
  'int2', 'int2vector', 'int4', 'int8', 'interval', 'json', 'jsonb', 'jsonpath', 'line', 'lseg', 'macaddr', 'macaddr8', 'money', 'name',
  'numeric', 'oid', 'oidvector', 'path', 'pg_brin_bloom_summary', 'pg_brin_minmax_multi_summary', 'pg_dependencies', 'pg_lsn', 'pg_mcv_list',
  'pg_ndistinct', 'pg_node_tree', 'pg_snapshot', 'point', 'polygon', 'refcursor', 'regclass', 'regcollation', 'regconfig', 'regdictionary',
  'regnamespace', 'regoper', 'regoperator', 'regproc', 'regprocedure', 'regrole', 'regtype', 'text', 'tid', 'time', 'timestamp',
  'timestamptz', 'timetz', 'tsquery', 'tsvector', 'txid_snapshot', 'uuid', 'varbit', 'varchar', 'xid', 'xid8', 'xml',
  // pg_catalog: range and multirange types.
  'daterange', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange',
  'datemultirange', 'int4multirange', 'int8multirange', 'nummultirange', 'tsmultirange', 'tstzmultirange',
  // SQL spellings.
  'smallint', 'integer', 'int', 'bigint', 'real', 'double precision', 'float', 'decimal', 'dec', 'boolean',
  'character', 'character varying', 'char varying', 'national character', 'national char', 'national character varying',
  'national char varying', 'nchar', 'nchar varying', 'bit varying',
  'time with time zone', 'time without time zone', 'timestamp with time zone', 'timestamp without time zone',
]);

/**
 * The name of a type as the dialect writes it, without its parameters and array brackets, in the
 * case PostgreSQL folds it to (`timestamp(3) with time zone` → `timestamp with time zone`,
 * `"Mood"[]` → `Mood`), and its schema when qualified (`pg_catalog.int4`). Interval fields
 * (`interval day to second`) are left out: `interval`.
 */
function typeNameOf(rendered: string): { schema?: string; name: string } {
  const bare = rendered.replace(/\([^)]*\)/g, ' ').replace(/(\s*\[\d*\])+\s*$/, '');
  const parts = bare.match(/"(?:[^"]|"")*"|[^."]+/g) ?? [];
  const fold = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase().replace(/\s+/g, ' ').trim());
  const names = parts.map(fold).filter((n) => n !== '');
  const name = names.at(-1) ?? '';
  const plain = name.startsWith('interval ') ? 'interval' : name;
  return names.length > 1 ? { schema: names[0]!, name: plain } : { name: plain };
}

/**
 * Whether a fresh database has the type (see {@link BUILT_IN}): an unqualified built-in name, or
 * one qualified by `pg_catalog`.
 */
function builtIn(rendered: string): boolean {
  const { schema, name } = typeNameOf(rendered);
  return (schema === undefined || schema === 'pg_catalog') && (BUILT_IN.has(name) || SERIALS.has(name));
}

/** The reason for a type no fresh database has: where it must come from. */
const NOT_BUILT_IN =
  "a fresh PostgreSQL database has no such type (not built in: an extension's type, such as citext, or a domain or type made in the database); " +
  "create it first in the upgrade (await op.execute('CREATE EXTENSION IF NOT EXISTS …') or 'CREATE DOMAIN …'), or the upgrade of a fresh database fails";

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
 * Without a database (a baseline, which opens none, or a database not created yet), the types
 * a FRESH database lacks are unknown: those not built into PostgreSQL (an extension's type such as
 * `citext`, a domain, a composite type), by name, from the built-in types' names and SQL's
 * spellings of them (a name qualified by a schema other than `pg_catalog` included).
 *
 * @param types - the declared types.
 * @param execute - runs a query on the bind's database; omitted: no database to ask (see above).
 * @returns the unknown ones, in the order given, with the reason `'PostgreSQL has no such type'`,
 *   or for a name that schemas off the search path have, `'PostgreSQL has no such type on the
 *   search path (schema 'other' has one, which an unqualified type is not looked up in: declare
 *   the enum in the models' enums with its schema)'` (for a type that is no enum: `put the schema
 *   on the bind's search_path`); without a database, the reason `'a fresh PostgreSQL database has
 *   no such type (not built in: …); create it first in the upgrade (…), or the upgrade of a fresh
 *   database fails'`.
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
  if (types.length === 0) return [];
  // A type the dialect refuses to write is left to compile, which says why.
  const rendered = types.flatMap((t) => {
    try {
      return [{ declared: t, text: renderPostgresType(t.type) }];
    } catch {
      return [];
    }
  });
  // No database (a baseline, a database not created yet): what a fresh one has.
  if (!execute) return rendered.filter((r) => !builtIn(r.text)).map((r) => ({ ...r.declared, rendered: r.text, reason: NOT_BUILT_IN }));
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
