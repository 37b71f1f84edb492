import type { DropConstraintOp } from '@multidb/core';
import { objectKey, tableRef, type CompareContext } from './compare-context.js';
import { createForeignKeyOp } from './compare-constraints.js';
import type { TablePair } from './compare-table.js';
import type { TablePlan } from './table-plan.js';

/** A table both sides have, with its comparison and its planned changes. */
export interface PlannedPair {
  readonly pair: TablePair;
  readonly plan: TablePlan;
}

/**
 * On a dialect that refuses to change the type of a column a foreign key uses
 * (`capabilities.retypeForeignKeyColumns === false`: MySQL/MariaDB), adds to the plans a drop
 * (before the type change) and a create (after it) of every foreign key that both sides have
 * unchanged and that uses, at either end, a column whose type the plans change. A key the plans
 * already drop or create is left as planned. The added ops carry no detected change of their
 * own: the type change is the change. Mutates the plans' phases (they are the comparison's own).
 *
 * @param ctx - the comparison's context (capabilities, names).
 * @param planned - every table both sides have, with its plan (foreign keys live there).
 */
export function recreateRetypedForeignKeys(ctx: CompareContext, planned: readonly PlannedPair[]): void {
  if (ctx.capabilities.retypeForeignKeyColumns !== false) return;
  const retyped = new Set<string>();
  for (const { plan } of planned) {
    for (const { op } of plan.phases.alterColumns) {
      if (op.kind === 'AlterColumn' && op.changes.type !== undefined) retyped.add(columnKey(plan.table, plan.schema, op.column));
    }
  }
  if (retyped.size === 0) return;
  for (const { pair, plan } of planned) {
    const ref = tableRef(plan.table, plan.schema);
    const planned = (kind: 'CreateForeignKey' | 'DropConstraint', name: string) =>
      [...plan.phases.createForeignKeys, ...plan.phases.dropForeignKeys].some((p) => p.op.kind === kind && 'name' in p.op && p.op.name === name);
    for (const m of pair.model.foreignKeys) {
      const referredSchema = m.referredSchema ?? plan.schema;
      const uses =
        m.columns.some((c) => retyped.has(columnKey(plan.table, plan.schema, c))) || m.referredColumns.some((c) => retyped.has(columnKey(m.referredTable, referredSchema, c)));
      if (!uses) continue;
      const name = ctx.foreignKeyName(plan.table, plan.table, m, false);
      if (planned('CreateForeignKey', name)) continue;
      const d = pair.database.foreignKeys.find((fk) => ctx.foreignKeyName(plan.table, pair.databaseName, fk, true) === name);
      if (!d) continue;
      const dropName = ctx.foreignKeyName(plan.table, pair.databaseName, d, true);
      if (planned('DropConstraint', dropName)) continue;
      const { name: _name, inline: _inline, ...definition } = d;
      const drop: DropConstraintOp = { kind: 'DropConstraint', ...ref, name: dropName, type: 'foreignkey', existing: { type: 'foreignkey', ...definition } };
      plan.phases.dropForeignKeys.push({ op: drop, changes: [] });
      plan.phases.createForeignKeys.push({ op: createForeignKeyOp(ref, name, m), changes: [] });
    }
  }
}

function columnKey(table: string, schema: string | undefined, column: string): string {
  return `${objectKey(table, schema)}\u0000${column}`;
}
