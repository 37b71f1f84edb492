import { indexColumnName, type DropConstraintOp, type Op } from '@multidb/core';
import { objectKey, tableLabel, tableRef, type CompareContext } from './compare-context.js';
import { createForeignKeyOp } from './compare-constraints.js';
import { describeColumns } from './describe.js';
import type { ForeignKeyDefinition, NormalizedTable } from './normalized-table.js';
import type { PlannedPair } from './recreate-retyped-foreign-keys.js';

/** The tables around the compared pairs that {@link recreateReferringForeignKeys} looks at. */
export interface ReferringTablesInput {
  /** The models' table of a key (`objectKey`), when the models have it. */
  readonly model: (key: string) => NormalizedTable | undefined;
  /** Tables only the database has, after renames, that this revision drops. */
  readonly dropped: readonly NormalizedTable[];
  /** Tables only the database has that this revision leaves alone. */
  readonly leftAlone: readonly NormalizedTable[];
}

/**
 * A primary key, unique key or index that another table's foreign key may depend on (the
 * referred columns are its columns, or on MySQL its leading ones) cannot be dropped while the
 * foreign key is there: PostgreSQL refuses ("cannot drop constraint … because other objects
 * depend on it"), InnoDB too ("Foreign key constraint is incorrectly formed"). So, as one writes
 * it by hand with Alembic, every foreign key of a compared table that refers to a key the plans
 * drop (a primary key changed, a unique key changed or dropped) is dropped before the key and
 * created again after the table's new keys (the `dropForeignKeys` and `createForeignKeys`
 * phases); the downgrade, reversed, does the same around the old key. A key the plans already
 * drop or create is left as planned. The added ops carry no detected change of their own: the
 * key's change is the change. On a batch dialect (SQLite) foreign keys are checked at COMMIT,
 * once the rebuilt table has its new keys: nothing is added.
 *
 * Where the models leave such a foreign key without a primary key or unique key over exactly its
 * referred columns, the upgrade cannot work on most databases: a warning names the key and its
 * table, for the console and for the rendered revision (`revisionWarnings`). A table only the
 * database has that is left alone and has such a key gets a warning too (its key is not the
 * models' to drop).
 *
 * Mutates the plans' phases (they are the comparison's own).
 *
 * @param ctx - the comparison's context (capabilities, names, warnings).
 * @param planned - every table both sides have, with its plan.
 * @param around - the models' tables, and the database-only tables dropped or left alone.
 * @returns per database-only table dropped (by key), the tables its foreign keys refer to that
 *   must come off it before the plans run (the caller drops those foreign keys first).
 */
export function recreateReferringForeignKeys(ctx: CompareContext, planned: readonly PlannedPair[], around: ReferringTablesInput): Map<string, Set<string>> {
  const droppedKeys = new Map<string, (readonly string[])[]>();
  for (const { plan } of planned) {
    const keys = plan.phases.dropConstraints.flatMap(({ op }) => droppedKeyColumns(ctx, op));
    if (keys.length) droppedKeys.set(objectKey(plan.table, plan.schema), keys);
  }
  const deferred = new Map<string, Set<string>>();
  if (droppedKeys.size === 0) return deferred;
  const refersToDroppedKey = (fk: ForeignKeyDefinition, schema: string | undefined): string | undefined => {
    const target = objectKey(fk.referredTable, fk.referredSchema ?? schema);
    return droppedKeys.get(target)?.some((key) => backs(ctx, key, fk.referredColumns)) ? target : undefined;
  };

  for (const { pair, plan } of planned) {
    const ref = tableRef(plan.table, plan.schema);
    const planned = (kind: 'CreateForeignKey' | 'DropConstraint', name: string) =>
      [...plan.phases.createForeignKeys, ...plan.phases.dropForeignKeys].some((p) => p.op.kind === kind && 'name' in p.op && p.op.name === name);
    for (const d of pair.database.foreignKeys) {
      if (refersToDroppedKey(d, plan.schema) === undefined) continue;
      const name = ctx.foreignKeyName(plan.table, pair.databaseName, d, true);
      // The models' key of that name (as it is, or as this revision changes it).
      const m = pair.model.foreignKeys.find((fk) => ctx.foreignKeyName(plan.table, plan.table, fk, false) === name);
      if (m) warnWithoutTarget(ctx, around.model(objectKey(m.referredTable, m.referredSchema ?? plan.schema)), plan.table, plan.schema, name, m);
      if (ctx.batch || !m || planned('DropConstraint', name) || planned('CreateForeignKey', name)) continue;
      const { name: _name, inline: _inline, ...definition } = d;
      const drop: DropConstraintOp = { kind: 'DropConstraint', ...ref, name, type: 'foreignkey', existing: { type: 'foreignkey', ...definition } };
      plan.phases.dropForeignKeys.push({ op: drop, changes: [] });
      plan.phases.createForeignKeys.push({ op: createForeignKeyOp(ref, name, m), changes: [] });
    }
  }
  for (const t of around.dropped) {
    for (const fk of t.foreignKeys) {
      const target = refersToDroppedKey(fk, t.schema);
      if (target === undefined || ctx.batch) continue;
      const key = objectKey(t.name, t.schema);
      let set = deferred.get(key);
      if (!set) deferred.set(key, (set = new Set()));
      set.add(target);
    }
  }
  for (const t of around.leftAlone) {
    for (const fk of t.foreignKeys) {
      if (refersToDroppedKey(fk, t.schema) === undefined) continue;
      const name = ctx.foreignKeyName(t.name, t.name, fk, true);
      ctx.warn(
        `Foreign key '${name}' on table '${tableLabel(t.name, t.schema)}' (not in the models, left alone) refers to ${describeColumns(fk.referredColumns)} of ` +
          `'${tableLabel(fk.referredTable, fk.referredSchema ?? t.schema)}', a key this revision drops: the upgrade may fail while the foreign key is there. ` +
          'Drop it before that change and create it again after, by hand.',
        { inRevision: true },
      );
    }
  }
  return deferred;
}

/** The columns of a primary key, unique key or index that `op` (of a table's plan) drops; none for other ops. */
function droppedKeyColumns(ctx: CompareContext, op: Op): (readonly string[])[] {
  if (op.kind === 'DropConstraint' && (op.type === 'primary' || op.type === 'unique')) {
    const existing = op.existing;
    return existing && (existing.type === 'primary' || existing.type === 'unique') ? [existing.columns] : [];
  }
  if (op.kind === 'DropIndex' && op.existing && op.existing.where === undefined && (op.existing.unique || ctx.capabilities.foreignKeyIndexes)) {
    const names = op.existing.columns.map(indexColumnName);
    return names.every((n): n is string => n !== undefined) ? [names] : [];
  }
  return [];
}

/**
 * Whether a foreign key over `referred` may depend on a key over `key`: the same columns (in any
 * order: PostgreSQL and SQLite look for such a unique key), or, with
 * `capabilities.foreignKeyIndexes` (InnoDB), an index that leads with them.
 */
function backs(ctx: CompareContext, key: readonly string[], referred: readonly string[]): boolean {
  if (sameSet(key, referred)) return true;
  return ctx.capabilities.foreignKeyIndexes === true && referred.length <= key.length && referred.every((c, i) => key[i] === c);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/**
 * Warns when the models give the table a foreign key refers to no primary key or unique key over
 * exactly its referred columns (what PostgreSQL, SQLite and MySQL require).
 */
function warnWithoutTarget(ctx: CompareContext, target: NormalizedTable | undefined, table: string, schema: string | undefined, name: string, fk: ForeignKeyDefinition): void {
  if (target === undefined) return;
  const referred = fk.referredColumns;
  if (target.primaryKey && sameSet(target.primaryKey.columns, referred)) return;
  if (target.uniques.some((u) => sameSet(u.columns, referred))) return;
  const label = tableLabel(target.name, target.schema);
  ctx.warn(
    `Foreign key '${name}' on table '${tableLabel(table, schema)}' refers to ${describeColumns(referred)} of '${label}', which the models no longer make ` +
      `its primary key or a unique key: the upgrade fails, as a foreign key must refer to one (on every database but MariaDB). ` +
      `Give '${label}' a unique constraint on ${describeColumns(referred)}, or change the foreign key, in the models; then autogenerate again.`,
    { inRevision: true },
  );
}
