import {
  indexColumnName,
  indexColumnSort,
  indexColumnSql,
  type CheckConstraintSnapshot,
  type CreateForeignKeyOp,
  type DropConstraintOp,
  type IndexColumn,
  type IndexSnapshot,
  type ReferentialAction,
} from '@multidb/core';
import { tableLabel, tableRef, type CompareContext } from './compare-context.js';
import { describeColumns, describeForeignKey, describeIndex } from './describe.js';
import type { DetectedChange } from './detected-change.js';
import { matchObjects } from './match-objects.js';
import type { ForeignKeyDefinition, KeyDefinition, NormalizedTable, UniqueDefinition } from './normalized-table.js';
import type { PlannedOp, TablePlan } from './table-plan.js';

/** The two sides of a table being compared, and its names. */
export interface ConstraintTables {
  readonly model: NormalizedTable;
  readonly database: NormalizedTable;
  /** The table's name as the ops name it (after any rename). */
  readonly table: string;
  readonly schema?: string;
  /** The table's name in the database before any rename (how the database named its unnamed constraints). */
  readonly databaseName: string;
}

/** `no action` and `restrict` both refuse the change (PostgreSQL only defers the check of one): one action. */
function action(value: ReferentialAction | undefined): string {
  return value === undefined || value === 'no action' || value === 'restrict' ? '' : value;
}

/**
 * Compares the primary key, unique keys, foreign keys, check constraints and indexes of one table
 * and adds the ops to `plan`:
 * - the primary key compares by its columns, in order (names are ignored: MySQL calls every
 *   primary key PRIMARY and SQLite keeps none);
 * - the others match by name, then by definition (columns; referred table, columns and actions;
 *   canonical check expression; index columns, expressions, uniqueness, method and predicate). A
 *   pair matched by name whose definitions differ is dropped and created again; an index matched by
 *   its definition under another name is renamed to the models' name (`RenameIndex`; see
 *   {@link renamesIndex});
 * - unique constraints and plain unique indexes are one pool (MySQL reports one as the other),
 *   except that a unique index named as an index of the other side is compared with that index
 *   (index names are unique: the two are the same index, changed). A unique key paired by its
 *   columns under another name is renamed when it is an index on both sides, as any index;
 *   a unique constraint keeps the name it has (the database may have named it itself, and there
 *   is no portable rename of a constraint);
 * - with `capabilities.foreignKeyIndexes` (MySQL), an index only the database has that is not
 *   unique, has no predicate, and covers exactly the columns of a foreign key that both sides have
 *   is the index InnoDB made for that key: it is left alone. (When the foreign key goes, the
 *   index goes with it: it is dropped like any index the models lack.)
 */
export function compareConstraints(ctx: CompareContext, given: ConstraintTables, plan: TablePlan): void {
  const tables = indexesByName(given);
  comparePrimaryKey(ctx, tables, plan);
  compareUniques(ctx, tables, plan);
  const kept = compareForeignKeys(ctx, tables, plan);
  compareChecks(ctx, tables, plan);
  compareIndexes(ctx, tables, plan, kept);
  keepForeignKeyIndexes(ctx, tables, plan);
}

/**
 * With `capabilities.foreignKeyIndexes` (MySQL): InnoDB refuses to drop the last index that begins
 * with a foreign key's columns ("needed in a foreign key constraint"). When the table's drops would
 * leave a foreign key that stays without such an index, an index over exactly its columns, named as
 * the key (as InnoDB names the index it makes), is created before them; it is then the key's own
 * index, which later comparisons leave alone ({@link isForeignKeyIndex}).
 */
function keepForeignKeyIndexes(ctx: CompareContext, t: ConstraintTables, plan: TablePlan): void {
  if (!ctx.capabilities.foreignKeyIndexes) return;
  const drops = plan.phases.dropConstraints.map((p) => p.op);
  const dropped = new Set(drops.flatMap((op) => (op.kind === 'DropIndex' || (op.kind === 'DropConstraint' && op.type === 'unique') ? [op.name] : [])));
  if (dropped.size === 0) return;
  const droppedKeys = new Set(plan.phases.dropForeignKeys.flatMap((p) => (p.op.kind === 'DropConstraint' ? [p.op.name] : [])));
  const keepsPrimaryKey = !drops.some((op) => op.kind === 'DropConstraint' && op.type === 'primary');
  const db = t.database;
  const keys: { readonly name?: string; readonly columns: readonly IndexColumn[] }[] = [...db.indexes, ...db.uniques];
  for (const fk of db.foreignKeys) {
    const name = ctx.foreignKeyName(t.table, t.databaseName, fk, true);
    if (droppedKeys.has(name)) continue;
    const leads = (columns: readonly IndexColumn[]) => fk.columns.every((c, i) => columns[i] === c);
    if (keepsPrimaryKey && db.primaryKey && leads(db.primaryKey.columns)) continue;
    const covering = keys.filter((k) => leads(k.columns));
    if (covering.length === 0 || covering.some((k) => k.name === undefined || !dropped.has(k.name))) continue;
    plan.phases.dropConstraints.unshift({ op: { kind: 'CreateIndex', ...tableRef(t.table, t.schema), index: { name, columns: [...fk.columns], unique: false } }, changes: [] });
  }
}

/**
 * Moves a unique index out of the unique pool into the indexes when the other side has an index
 * (not in its pool) of the same name, so the two are compared as one index.
 */
function indexesByName(t: ConstraintTables): ConstraintTables {
  const plainNames = (table: NormalizedTable) => new Set(table.indexes.map((ix) => ix.name));
  const modelNames = plainNames(t.model);
  const databaseNames = plainNames(t.database);
  const moved = (table: NormalizedTable, otherNames: ReadonlySet<string>): NormalizedTable => {
    const out = table.uniques.filter((u) => u.index && otherNames.has(u.index.name));
    if (!out.length) return table;
    return { ...table, uniques: table.uniques.filter((u) => !out.includes(u)), indexes: [...table.indexes, ...out.map((u) => u.index!)] };
  };
  return { ...t, model: moved(t.model, databaseNames), database: moved(t.database, modelNames) };
}

function base(t: ConstraintTables) {
  return { table: t.table, ...(t.schema === undefined ? {} : { schema: t.schema }) };
}

const descendingOf = (k: KeyDefinition) => (k.descending?.length ? { descending: k.descending } : {});

/** A primary key's columns, `desc` after those sorted so: `(a desc, b)`; `''` for none. */
function describeKey(k: KeyDefinition | undefined): string {
  if (!k) return '';
  return `(${k.columns.map((c) => (k.descending?.includes(c) ? `${c} desc` : c)).join(', ')})`;
}

function comparePrimaryKey(ctx: CompareContext, t: ConstraintTables, plan: TablePlan): void {
  const m = t.model.primaryKey;
  const d = t.database.primaryKey;
  const same = describeKey(m) === describeKey(d) && !!m === !!d;
  if (same) return;
  const label = tableLabel(t.table, t.schema);
  const ref = tableRef(t.table, t.schema);
  const changed = !!m && !!d;
  if (d) {
    const name = ctx.primaryKeyName(t.table, t.databaseName, d, true);
    const change: DetectedChange = changed
      ? {
          kind: 'modify_constraint',
          constraintType: 'primary',
          ...base(t),
          name,
          from: describeKey(d),
          to: describeKey(m),
          line: `Detected changed primary key on '${label}': ${describeKey(d)} to ${describeKey(m)}`,
        }
      : {
          kind: 'remove_constraint',
          constraintType: 'primary',
          ...base(t),
          name,
          line: `Detected removed primary key ${describeKey(d)} on '${label}'`,
        };
    const op: DropConstraintOp = { kind: 'DropConstraint', ...ref, name, type: 'primary', existing: { type: 'primary', columns: d.columns, ...descendingOf(d) } };
    plan.phases.dropConstraints.push({ op, changes: [change] });
  }
  if (m) {
    const name = ctx.primaryKeyName(t.table, t.table, m, false);
    const changes: DetectedChange[] = changed
      ? []
      : [{ kind: 'add_constraint', constraintType: 'primary', ...base(t), name, line: `Detected added primary key ${describeKey(m)} on '${label}'` }];
    plan.phases.createConstraints.push({ op: { kind: 'CreatePrimaryKey', ...ref, name, columns: m.columns, ...descendingOf(m) }, changes });
  }
}

const nullsNotDistinct = (u: { readonly nullsNotDistinct?: boolean }) => (u.nullsNotDistinct ? { nullsNotDistinct: true } : {});

/** A unique key's columns, and `nulls not distinct` when so declared: `(code, region) nulls not distinct`. */
const describeUnique = (u: UniqueDefinition) => describeColumns(u.columns) + (u.nullsNotDistinct ? ' nulls not distinct' : '');

function compareUniques(ctx: CompareContext, t: ConstraintTables, plan: TablePlan): void {
  const label = tableLabel(t.table, t.schema);
  const ref = tableRef(t.table, t.schema);
  // NULLS NOT DISTINCT is part of a unique key's definition: with and without it, two keys differ.
  const definition = (u: UniqueDefinition) => JSON.stringify(u.nullsNotDistinct ? [u.columns, 'nulls not distinct'] : u.columns);
  const matched = matchObjects(t.model.uniques, t.database.uniques, (u) => u.name, definition);
  const nameOf = (u: UniqueDefinition, reflected: boolean) => (u.index ? u.index.name : ctx.uniqueName(t.table, reflected ? t.databaseName : t.table, u, reflected));
  const typeOf = (u: UniqueDefinition): 'index' | 'unique_constraint' => (u.index ? 'index' : 'unique_constraint');
  const included = (m: UniqueDefinition | undefined, d: UniqueDefinition | undefined) =>
    ctx.include.objects(typeOf((m ?? d)!), { table: t.table, databaseTable: t.databaseName, ...(t.schema === undefined ? {} : { schema: t.schema }) }, m && nameOf(m, false), d && nameOf(d, true));
  const what = (u: UniqueDefinition) => (u.index ? 'index' : 'unique constraint');

  const drop = (d: UniqueDefinition, change: DetectedChange | undefined) => {
    const name = nameOf(d, true);
    const op = d.index
      ? ({ kind: 'DropIndex', ...ref, name, existing: d.index } as const)
      : ({ kind: 'DropConstraint', ...ref, name, type: 'unique', existing: { type: 'unique', columns: d.columns, ...nullsNotDistinct(d) } } as const);
    plan.phases.dropConstraints.push({ op, changes: change ? [change] : [] });
  };
  const create = (m: UniqueDefinition, change: DetectedChange | undefined) => {
    const name = nameOf(m, false);
    const op = m.index
      ? ({ kind: 'CreateIndex', ...ref, index: m.index } as const)
      : ({ kind: 'CreateUniqueConstraint', ...ref, name, columns: m.columns, ...nullsNotDistinct(m) } as const);
    plan.phases.createConstraints.push({ op, changes: change ? [change] : [] });
  };
  const kinds = (u: UniqueDefinition) =>
    u.index ? ({ add: 'add_index', remove: 'remove_index', modify: 'modify_index' } as const) : ({ add: 'add_constraint', remove: 'remove_constraint', modify: 'modify_constraint' } as const);
  const constraintType = (u: UniqueDefinition) => (u.index ? {} : { constraintType: 'unique' as const });

  for (const [m, d, byName] of matched.pairs) {
    if (!byName) {
      // An index on both sides under two names: renamed, as a plain index is (compareIndexes).
      if (m.index && d.index && included(m, d)) {
        const rename = renameIndexStep(ctx, t, m.index, d.index, []);
        if (rename) plan.phases.createConstraints.push(rename);
      }
      continue;
    }
    if (definition(m) === definition(d) || !included(m, d)) continue;
    const name = nameOf(m, false);
    drop(d, {
      kind: kinds(m).modify,
      ...constraintType(m),
      ...base(t),
      name,
      from: describeUnique(d),
      to: describeUnique(m),
      line: `Detected changed ${what(m)} '${name}' on '${label}': ${describeUnique(d)} to ${describeUnique(m)}`,
    });
    create(m, undefined);
  }
  for (const d of matched.databaseOnly) {
    if (!included(undefined, d)) continue;
    const name = nameOf(d, true);
    drop(d, { kind: kinds(d).remove, ...constraintType(d), ...base(t), name, line: `Detected removed ${what(d)} '${name}' on '${label}'` });
  }
  for (const m of matched.modelOnly) {
    if (!included(m, undefined)) continue;
    const name = nameOf(m, false);
    create(m, { kind: kinds(m).add, ...constraintType(m), ...base(t), name, line: `Detected added ${what(m)} '${name}' on '${label}' ${describeUnique(m)}` });
  }
}

/** What makes two foreign keys the same: columns, target, actions, and whether (and how) checks are deferred. */
function foreignKeyDefinition(fk: ForeignKeyDefinition): string {
  const deferred = fk.deferrable ? (fk.initiallyDeferred ? 'deferred' : 'immediate') : '';
  return JSON.stringify([fk.columns, fk.referredSchema ?? '', fk.referredTable, fk.referredColumns, action(fk.onDelete), action(fk.onUpdate), deferred]);
}

/** @returns the database's foreign keys that stay on the same columns (for {@link isForeignKeyIndex}). */
function compareForeignKeys(ctx: CompareContext, t: ConstraintTables, plan: TablePlan): ForeignKeyDefinition[] {
  const label = tableLabel(t.table, t.schema);
  const ref = tableRef(t.table, t.schema);
  const matched = matchObjects(t.model.foreignKeys, t.database.foreignKeys, (fk) => fk.name, foreignKeyDefinition);
  const nameOf = (fk: ForeignKeyDefinition, reflected: boolean) => ctx.foreignKeyName(t.table, reflected ? t.databaseName : t.table, fk, reflected);
  const included = (m: ForeignKeyDefinition | undefined, d: ForeignKeyDefinition | undefined) =>
    ctx.include.objects(
      'foreign_key_constraint',
      { table: t.table, databaseTable: t.databaseName, ...(t.schema === undefined ? {} : { schema: t.schema }) },
      m && nameOf(m, false),
      d && nameOf(d, true),
    );
  const drop = (d: ForeignKeyDefinition, change: DetectedChange) => {
    const { name: _name, inline: _inline, ...definition } = d;
    const op: DropConstraintOp = { kind: 'DropConstraint', ...ref, name: nameOf(d, true), type: 'foreignkey', existing: { type: 'foreignkey', ...definition } };
    plan.phases.dropForeignKeys.push({ op, changes: [change] });
  };
  const create = (m: ForeignKeyDefinition, changes: DetectedChange[]) => {
    plan.phases.createForeignKeys.push({ op: createForeignKeyOp(ref, nameOf(m, false), m), changes });
  };
  for (const [m, d, byName] of matched.pairs) {
    if (!byName || foreignKeyDefinition(m) === foreignKeyDefinition(d) || !included(m, d)) continue;
    const name = nameOf(m, false);
    drop(d, {
      kind: 'modify_fk',
      ...base(t),
      name,
      from: describeForeignKey(d),
      to: describeForeignKey(m),
      line: `Detected changed foreign key '${name}' on table '${label}': ${describeForeignKey(d)} to ${describeForeignKey(m)}`,
    });
    create(m, []);
  }
  for (const d of matched.databaseOnly) {
    if (!included(undefined, d)) continue;
    drop(d, { kind: 'remove_fk', ...base(t), name: nameOf(d, true), line: `Detected removed foreign key ${describeForeignKey(d)} on table '${label}'` });
  }
  for (const m of matched.modelOnly) {
    if (!included(m, undefined)) continue;
    create(m, [{ kind: 'add_fk', ...base(t), name: nameOf(m, false), line: `Detected added foreign key ${describeForeignKey(m)} on table '${label}'` }]);
  }
  return matched.pairs.filter(([m, d]) => sameColumns(m.columns, d.columns)).map(([, d]) => d);
}

function sameColumns(a: readonly IndexColumn[], b: readonly IndexColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** A `CreateForeignKey` op for a foreign key of a table. */
export function createForeignKeyOp(ref: { readonly table: string; readonly schema?: string }, name: string, fk: ForeignKeyDefinition): CreateForeignKeyOp {
  return {
    kind: 'CreateForeignKey',
    ...ref,
    name,
    columns: fk.columns,
    referredTable: fk.referredTable,
    ...(fk.referredSchema === undefined ? {} : { referredSchema: fk.referredSchema }),
    referredColumns: fk.referredColumns,
    ...(fk.onDelete === undefined ? {} : { onDelete: fk.onDelete }),
    ...(fk.onUpdate === undefined ? {} : { onUpdate: fk.onUpdate }),
    ...(fk.deferrable ? { deferrable: true, ...(fk.initiallyDeferred ? { initiallyDeferred: true } : {}) } : {}),
  };
}

function compareChecks(ctx: CompareContext, t: ConstraintTables, plan: TablePlan): void {
  const label = tableLabel(t.table, t.schema);
  const ref = tableRef(t.table, t.schema);
  // The models' table name: a model may qualify a column by it (the database side was read unqualified).
  const definition = (c: CheckConstraintSnapshot) => ctx.expression(c.expression, t.table);
  const matched = matchObjects(t.model.checks, t.database.checks, (c) => c.name, definition);
  const nameOf = (c: CheckConstraintSnapshot) => ctx.checkName(t.table, c);
  const included = (m: CheckConstraintSnapshot | undefined, d: CheckConstraintSnapshot | undefined) =>
    ctx.include.objects('check_constraint', { table: t.table, databaseTable: t.databaseName, ...(t.schema === undefined ? {} : { schema: t.schema }) }, m && nameOf(m), d && nameOf(d));
  const drop = (d: CheckConstraintSnapshot, change: DetectedChange) => {
    const op: DropConstraintOp = { kind: 'DropConstraint', ...ref, name: nameOf(d), type: 'check', existing: { type: 'check', expression: d.expression } };
    plan.phases.dropConstraints.push({ op, changes: [change] });
  };
  const create = (m: CheckConstraintSnapshot, changes: DetectedChange[]) => {
    plan.phases.createConstraints.push({ op: { kind: 'CreateCheckConstraint', ...ref, name: nameOf(m), expression: m.expression }, changes });
  };
  for (const [m, d, byName] of matched.pairs) {
    if (!byName || definition(m) === definition(d) || !included(m, d)) continue;
    drop(d, {
      kind: 'modify_constraint',
      constraintType: 'check',
      ...base(t),
      name: nameOf(m),
      from: d.expression,
      to: m.expression,
      line: `Detected changed check constraint '${nameOf(m)}' on table '${label}': ${d.expression} to ${m.expression}`,
    });
    create(m, []);
  }
  for (const d of matched.databaseOnly) {
    if (!included(undefined, d)) continue;
    drop(d, { kind: 'remove_constraint', constraintType: 'check', ...base(t), name: nameOf(d), line: `Detected removed check constraint '${nameOf(d)}' on table '${label}'` });
  }
  for (const m of matched.modelOnly) {
    if (!included(m, undefined)) continue;
    create(m, [{ kind: 'add_constraint', constraintType: 'check', ...base(t), name: nameOf(m), line: `Detected added check constraint '${nameOf(m)}' on table '${label}'` }]);
  }
}

function compareIndexes(ctx: CompareContext, t: ConstraintTables, plan: TablePlan, keptForeignKeys: readonly ForeignKeyDefinition[]): void {
  const label = tableLabel(t.table, t.schema);
  const ref = tableRef(t.table, t.schema);
  const definition = (ix: IndexSnapshot) =>
    JSON.stringify([
      ix.unique,
      ix.method === undefined || ix.method.toLowerCase() === 'btree' ? '' : ix.method.toLowerCase(),
      ix.columns.map((c) => {
        // A key sorted by default compares as before (a name, or `{ sql }`); a sorted one with its order.
        const sql = indexColumnSql(c);
        const key = sql === undefined ? indexColumnName(c) : { sql: ctx.expression(sql) };
        const sort = indexColumnSort(c);
        return sort.order === undefined && sort.nulls === undefined ? key : [key, sort.order ?? 'asc', sort.nulls ?? ''];
      }),
      ix.where === undefined ? null : ctx.expression(ix.where, t.table),
      ix.include ?? [],
      ix.nullsNotDistinct === true,
    ]);
  const matched = matchObjects(t.model.indexes, t.database.indexes, (ix) => ix.name, definition);
  const included = (m: IndexSnapshot | undefined, d: IndexSnapshot | undefined) =>
    ctx.include.objects('index', { table: t.table, databaseTable: t.databaseName, ...(t.schema === undefined ? {} : { schema: t.schema }) }, m?.name, d?.name);
  const drop = (d: IndexSnapshot, change: DetectedChange) => {
    plan.phases.dropConstraints.push({ op: { kind: 'DropIndex', ...ref, name: d.name, existing: d }, changes: [change] });
  };
  const create = (m: IndexSnapshot, changes: DetectedChange[]) => {
    plan.phases.createConstraints.push({ op: { kind: 'CreateIndex', ...ref, index: m }, changes });
  };
  for (const [m, d, byName] of matched.pairs) {
    if (!byName) {
      const rename = included(m, d) ? renameIndexStep(ctx, t, m, d, keptForeignKeys) : undefined;
      if (rename) plan.phases.createConstraints.push(rename);
      continue;
    }
    if (definition(m) === definition(d) || !included(m, d)) continue;
    drop(d, {
      kind: 'modify_index',
      ...base(t),
      name: m.name,
      from: describeIndex(d),
      to: describeIndex(m),
      line: `Detected changed index '${m.name}' on '${label}': ${describeIndex(d)} to ${describeIndex(m)}`,
    });
    create(m, []);
  }
  for (const d of matched.databaseOnly) {
    if (isForeignKeyIndex(ctx, d, keptForeignKeys) || !included(undefined, d)) continue;
    drop(d, { kind: 'remove_index', ...base(t), name: d.name, line: `Detected removed index '${d.name}' on '${label}'` });
  }
  for (const m of matched.modelOnly) {
    if (!included(m, undefined)) continue;
    create(m, [{ kind: 'add_index', ...base(t), name: m.name, line: `Detected added index '${m.name}' on '${label}' ${describeIndex(m)}` }]);
  }
}

/**
 * The `RenameIndex` step that gives a database index paired with the models' by its definition
 * the models' name, or `undefined` when it keeps its name (see {@link renamesIndex}).
 */
function renameIndexStep(ctx: CompareContext, t: ConstraintTables, m: IndexSnapshot, d: IndexSnapshot, keptForeignKeys: readonly ForeignKeyDefinition[]): PlannedOp | undefined {
  if (!renamesIndex(ctx, t, m, d, keptForeignKeys)) return undefined;
  // The whole definition (a covering list, NULLS NOT DISTINCT, a table-level constraint's origin), without its name.
  const { name: _name, ...existing } = d;
  return {
    // Where the rename drops and creates the index (SQLite), its definition goes with it, for offline runs.
    op: { kind: 'RenameIndex', ...tableRef(t.table, t.schema), name: d.name, newName: m.name, ...(ctx.capabilities.renameIndex === false ? { existing } : {}) },
    changes: [{ kind: 'rename_index', ...base(t), name: m.name, oldName: d.name, line: `Detected renamed index '${d.name}' to '${m.name}' on '${tableLabel(t.table, t.schema)}'` }],
  };
}

/**
 * Whether a database index paired with the models' by its definition alone (a column renamed since
 * the index was named after it, or a name the database gave it) is renamed to the models' name:
 * when both have a name and the names differ, except on MySQL where the new name is that of a
 * foreign key over the same columns (introspection does not report the index InnoDB names after
 * its key, so the renamed index would look missing the next time).
 */
function renamesIndex(ctx: CompareContext, t: ConstraintTables, m: IndexSnapshot, d: IndexSnapshot, keptForeignKeys: readonly ForeignKeyDefinition[]): boolean {
  if (m.name === undefined || d.name === undefined || m.name === d.name) return false;
  if (!ctx.capabilities.foreignKeyIndexes) return true;
  return !keptForeignKeys.some((fk) => sameColumns(fk.columns, m.columns) && ctx.foreignKeyName(t.table, t.databaseName, fk, true) === m.name);
}

/** The index InnoDB made for a foreign key that stays (see {@link compareConstraints}). */
function isForeignKeyIndex(ctx: CompareContext, index: IndexSnapshot, keptForeignKeys: readonly ForeignKeyDefinition[]): boolean {
  if (!ctx.capabilities.foreignKeyIndexes || index.unique || index.where !== undefined || index.method !== undefined) return false;
  return keptForeignKeys.some((fk) => sameColumns(fk.columns, index.columns));
}
