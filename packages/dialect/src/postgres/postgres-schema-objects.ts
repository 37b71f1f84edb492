import type { DialectConnection, ObjectReference, SchemaObjectSnapshot } from '@multidb/core';
import { compareNames } from '../shared/compare-names.js';

/**
 * One query for every object of a schema autogenerate must know about, each with the tables and
 * columns it references as JSON (`[{ table, schema, column }]`):
 * - views and materialized views: `pg_get_viewdef`; references from `pg_depend` on their
 *   `_RETURN` rule (`pg_rewrite`), column by column;
 * - triggers (not internal ones): `pg_get_triggerdef`; the table, and the columns of
 *   `UPDATE OF` (`pg_trigger.tgattr`);
 * - rules other than a view's `_RETURN`: `pg_get_ruledef`; references from `pg_depend`;
 * - domains: base type, NOT NULL, DEFAULT and CHECK constraints; the columns of tables that use it.
 */
const OBJECTS_SQL = `
WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1::text),
rule_refs AS (
  SELECT d.objid AS rule_oid, rc.relname AS table, rn.nspname AS schema, ra.attname AS column
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_catalog.pg_attribute ra ON ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid AND d.refobjsubid > 0
  WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')
)
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END AS type, c.relname AS name, c.relname AS table,
  pg_get_viewdef(c.oid, true) AS sql,
  (SELECT json_agg(json_build_object('table', x.table, 'schema', x.schema, 'column', x.column))
     FROM rule_refs x JOIN pg_catalog.pg_rewrite r ON r.oid = x.rule_oid
     WHERE r.ev_class = c.oid AND NOT (x.table = c.relname AND x.schema = $1::text)) AS refs
FROM pg_catalog.pg_class c
WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('v', 'm')
UNION ALL
SELECT 'trigger', tg.tgname, c.relname, pg_get_triggerdef(tg.oid, true),
  (SELECT json_agg(json_build_object('table', c.relname, 'schema', $1::text, 'column', a.attname) ORDER BY k.ord)
     FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY AS k(num, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.num)
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
WHERE NOT tg.tgisinternal AND c.relnamespace IN (SELECT oid FROM ns)
UNION ALL
SELECT 'rule', r.rulename, c.relname, pg_get_ruledef(r.oid, true),
  (SELECT json_agg(json_build_object('table', x.table, 'schema', x.schema, 'column', x.column)) FROM rule_refs x WHERE x.rule_oid = r.oid)
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
WHERE r.rulename <> '_RETURN' AND c.relnamespace IN (SELECT oid FROM ns)
UNION ALL
SELECT 'domain', t.typname, NULL,
  format_type(t.typbasetype, t.typtypmod)
    || CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END
    || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
    || COALESCE(' DEFAULT ' || t.typdefault, '')
    || COALESCE((SELECT string_agg(' CONSTRAINT ' || quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid, true), '' ORDER BY con.conname)
                 FROM pg_catalog.pg_constraint con WHERE con.contypid = t.oid), ''),
  (SELECT json_agg(json_build_object('table', ac.relname, 'schema', an.nspname, 'column', a.attname) ORDER BY ac.relname, a.attnum)
     FROM pg_catalog.pg_attribute a
     JOIN pg_catalog.pg_class ac ON ac.oid = a.attrelid AND ac.relkind IN ('r', 'p')
     JOIN pg_catalog.pg_namespace an ON an.oid = ac.relnamespace
     WHERE a.atttypid = t.oid AND a.attnum > 0 AND NOT a.attisdropped)
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
WHERE t.typtype = 'd' AND t.typnamespace IN (SELECT oid FROM ns)`;

const TYPE_ORDER: Readonly<Record<SchemaObjectSnapshot['type'], number>> = { view: 0, 'materialized view': 1, trigger: 2, rule: 3, domain: 4 };

/**
 * Reads the views, materialized views, triggers, rules and domains of one PostgreSQL schema in
 * one catalog query, each with the tables and columns it references as the catalog records them
 * (a view's columns from `pg_depend`; a trigger's table and the columns of `UPDATE OF`; a domain's
 * using columns). References list a column where the catalog names one, else the table alone;
 * they carry `schema` only for a table outside the schema read.
 *
 * @param execute - runs a statement on the database.
 * @param schema - the schema to read.
 * @param qualified - set `schema` on each object (when the caller asked for a schema by name).
 * @returns the objects, by type (views, materialized views, triggers, rules, domains) then name.
 * @throws the driver's error when the query fails.
 * @example
 * ```ts
 * const objects = await readPostgresObjects((s) => connection.execute(s), 'public', false);
 * // [{ type: 'view', name: 'v_album', table: 'v_album', sql: ' SELECT …', references: [{ table: 'Album', column: 'Title' }] }, …]
 * ```
 */
export async function readPostgresObjects(execute: DialectConnection['execute'], schema: string, qualified: boolean): Promise<SchemaObjectSnapshot[]> {
  const rows = await execute({ sql: OBJECTS_SQL, parameters: [schema] });
  const objects = rows.map((r): SchemaObjectSnapshot => {
    const type = String(r.type) as SchemaObjectSnapshot['type'];
    const refs = (r.refs ?? []) as { table: string; schema: string; column: string | null }[];
    // A trigger or rule is on its table, whichever columns it names.
    if ((type === 'trigger' || type === 'rule') && !refs.some((x) => x.table === r.table && x.schema === schema)) {
      refs.push({ table: String(r.table), schema, column: null });
    }
    return {
      type,
      name: String(r.name),
      ...(qualified ? { schema } : {}),
      ...(r.table !== null && r.table !== undefined ? { table: String(r.table) } : {}),
      sql: String(r.sql ?? ''),
      references: references(refs, schema),
    };
  });
  return objects.sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || compareNames(a.name, b.name) || compareNames(a.table ?? '', b.table ?? ''));
}

/** Deduplicated, sorted references; a table named with columns is not listed alone too. */
function references(raw: readonly { table: string; schema: string; column: string | null }[], schema: string): ObjectReference[] {
  const key = (r: { table: string; schema: string }) => `${r.schema}\u0000${r.table}`;
  const withColumns = new Set(raw.filter((r) => r.column !== null).map(key));
  const seen = new Set<string>();
  const out: ObjectReference[] = [];
  for (const r of raw) {
    if (r.column === null && withColumns.has(key(r))) continue;
    const id = `${key(r)}\u0000${r.column ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ table: r.table, ...(r.schema !== schema ? { schema: r.schema } : {}), ...(r.column !== null ? { column: r.column } : {}) });
  }
  return out.sort((a, b) => compareNames(a.schema ?? '', b.schema ?? '') || compareNames(a.table, b.table) || compareNames(a.column ?? '', b.column ?? ''));
}
