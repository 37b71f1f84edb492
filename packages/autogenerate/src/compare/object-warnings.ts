import type { SchemaObjectSnapshot } from '@multidb/core';
import { tableLabel } from './compare-context.js';
import type { Touch } from './table-plan.js';

/**
 * Warnings for the views, triggers, rules and domains (never created or dropped by autogenerate)
 * that use a table or column the comparison's ops drop, rename or alter, e.g.
 * `view 'v_sales' uses column 'invoice.total', which this revision alters`. An object that names
 * only the table (its columns unknown) is warned about every change to the table's columns.
 *
 * @param objects - the database's objects (`DatabaseSnapshot.objects`).
 * @param touches - what the ops do, with the database's names (before renames).
 * @returns one line per object and change, in object order, without duplicates.
 */
export function objectWarnings(objects: readonly SchemaObjectSnapshot[], touches: readonly Touch[]): string[] {
  if (!objects.length || !touches.length) return [];
  const byTable = new Map<string, Touch[]>();
  for (const t of touches) {
    let list = byTable.get(t.table);
    if (!list) byTable.set(t.table, (list = []));
    list.push(t);
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  const add = (line: string) => {
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  };
  for (const object of objects) {
    const who = `${object.type} '${tableLabel(object.name, object.schema)}'`;
    for (const ref of object.references) {
      if (object.type.endsWith('view') && ref.table === object.name && ref.column === undefined) continue;
      for (const t of byTable.get(ref.table) ?? []) {
        if (t.schema !== undefined && object.schema !== undefined && t.schema !== object.schema) continue;
        const table = tableLabel(t.table, t.schema);
        if (t.column === undefined) add(`${who} uses table '${table}', which this revision ${t.action}`);
        else if (ref.column === t.column) add(`${who} uses column '${table}.${t.column}', which this revision ${t.action}`);
        else if (ref.column === undefined) add(`${who} uses table '${table}', whose column '${table}.${t.column}' this revision ${t.action}`);
      }
    }
  }
  return lines;
}
