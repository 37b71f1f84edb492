import type { BatchInnerOp, ColumnSnapshot, DatabaseSnapshot, TableSnapshot } from '@multidb/core';
import { applyRenames } from './apply-renames.js';
import { checkReferences } from './check-references.js';
import { objectKey, tableLabel, tableRef, type CompareContext } from './compare-context.js';
import { createForeignKeyOp } from './compare-constraints.js';
import { decideRenames } from './decide-renames.js';
import { frozenCopy } from './frozen-copy.js';
import { migrationToolOf } from './migration-tool-tables.js';
import { compareEnums, type EnumUse } from './compare-enums.js';
import type { CompareOptions } from './compare-options.js';
import { compareTable, type TablePair } from './compare-table.js';
import type { Comparison, DetectedChange } from './detected-change.js';
import { normalizeTable, type ForeignKeyDefinition, type NormalizedTable } from './normalized-table.js';
import { objectWarnings } from './object-warnings.js';
import { orderByForeignKeys, type TableDependency } from './order-by-foreign-keys.js';
import { prepareComparison } from './prepare-comparison.js';
import { recreateReferringForeignKeys } from './recreate-referring-foreign-keys.js';
import { recreateRetypedForeignKeys, type PlannedPair } from './recreate-retyped-foreign-keys.js';
import { TABLE_PHASES, type PlannedOp, type TablePhase, type TablePlan, type Touch } from './table-plan.js';

/**
 * Compares a bind's models with its database and returns the ops that make the database match
 * the models (autogenerate's comparison, Alembic's `compare_metadata` plus what it leaves out).
 * Pure: no I/O, the inputs are never changed, the result is new frozen data.
 *
 * What is detected: tables and columns added and removed; column type, nullability, server
 * default and comment; primary keys, unique constraints, foreign keys, check constraints and
 * indexes (added, removed, changed); table comments; PostgreSQL enum types and their new members;
 * renames (see {@link findRenameCandidates}; an accepted `options.renames` decision is honoured
 * also where the shape changed too: the table or column is renamed, then changed like any other). Types, defaults and SQL expressions compare through
 * the dialect's `comparator`, keys and constraints regardless of how they were declared
 * (column-level flag or table-level constraint), by name and then by definition, so a database
 * that matches its models gives no ops whatever the order of tables, columns and indexes.
 * Normalisation in detail: a column-level `primaryKey`/`unique`/`references` is the table-level
 * key it means; primary-key columns are NOT NULL and primary keys compare by their columns only;
 * a unique constraint and a plain unique index on the same columns are one key; referential
 * actions `no action` and `restrict` (and none) are one; on a dialect with
 * `capabilities.foreignKeyIndexes` (MySQL) an index only the database has, over exactly the
 * columns of a foreign key both sides have (not unique, no predicate), is the index InnoDB made
 * for the key and is left alone; database keys reported without a name are dropped and changed
 * by the name the database has for them (the table snapshot's `constraintNames`, as
 * introspection fills them), else the name `comparator.unnamedConstraintName` gives, else the
 * naming convention's.
 *
 * The order of the ops is one that applies: enum types created (and members added), tables and
 * columns renamed, foreign keys dropped, then each table's changes (constraints and indexes dropped,
 * columns added, altered and dropped, constraints and indexes created, comment), new tables
 * created in foreign-key order (a cycle broken by creating one of its foreign keys separately;
 * after the changes, so a new table's key can refer to a column this revision retypes or makes
 * unique), foreign keys created, tables dropped in reverse foreign-key order, enum types dropped. Where the
 * dialect cannot change the type of a column a foreign key uses (MySQL), such a key is dropped
 * before the change and created again after; so is a foreign key that refers to a primary key or
 * unique key this revision drops or changes (PostgreSQL and InnoDB refuse to drop a key a foreign
 * key depends on), created again after the table's new keys, with a warning (`revisionWarnings`
 * too) when the models leave it no primary key or unique key to refer to. Each
 * drop and alter carries its `existing…` fields, so `reverseOp` over the reversed list is the
 * downgrade. On a dialect without ALTER for columns or constraints (SQLite), each table's
 * changes are one `BatchAlterTable` op, and foreign keys stay inside their tables.
 *
 * Tables only the database has are dropped with `dropUnmodeledTables` and otherwise left alone
 * with a warning; another migration tool's bookkeeping table (`kysely_migration`,
 * `alembic_version`, …) is always left alone, with a warning naming the tool, and is never a rename
 * candidate (nor renamed by a `--rename`). An enum type only the database has is dropped only when this revision drops or
 * retypes every column that used it (never one no column uses: a function may). Views, triggers and rules are never created or dropped: a change to a table or
 * column one of them uses gives a warning naming it.
 *
 * @param models - what the database should be (`resolveModels` of the bind's models).
 * @param database - what it is (`DialectConnection.introspect()`).
 * @param options - the dialect's comparator and capabilities, the naming convention, the
 *   autogenerate hooks and the rename decisions.
 * @returns the ops, one {@link DetectedChange} per change (with the line to print), warnings, and
 *   the rename decisions that matched no candidate here (`unmatchedRenames`: the caller, which may
 *   compare several binds with the same decisions, says which matched nowhere).
 * @throws {@link RenameDecisionRequiredError} when a table or column may have been renamed and
 *   `options.renames` says nothing about it.
 * @throws {@link RenameArgumentError} for rename decisions that do not parse or contradict each other.
 * @throws {@link NoReferencedTableError} / {@link NoReferencedColumnError} when a foreign key of a
 *   compared model table refers to a table, or a column, that neither the models nor the database
 *   have (a reference into a schema neither side has is not checked; see {@link checkReferences}).
 * @example
 * ```ts
 * import { DEFAULT_CAPABILITIES, DEFAULT_COMPARATOR, DEFAULT_NAMING_CONVENTION, tableFromInput } from '@multidb/core';
 * import { compareSchemas } from '@multidb/autogenerate';
 *
 * const user = tableFromInput('user', [{ name: 'id', type: 'integer', primaryKey: true }], {}, DEFAULT_NAMING_CONVENTION);
 * const { ops, changes } = compareSchemas(
 *   { tables: [user], enums: [], objects: [] },
 *   { tables: [], enums: [], objects: [] },
 *   { comparator: DEFAULT_COMPARATOR, capabilities: DEFAULT_CAPABILITIES, namingConvention: DEFAULT_NAMING_CONVENTION },
 * );
 * ops[0]?.kind;      // 'CreateTable'
 * changes[0]?.line;  // "Detected added table 'user'"
 * ```
 */
export function compareSchemas(models: DatabaseSnapshot, database: DatabaseSnapshot, options: CompareOptions): Comparison {
  const prepared = prepareComparison(models, database, options);
  checkReferences(models, database, prepared.models.values(), options.bind);
  const { ctx } = prepared;
  // A rename the user accepted stands even where the shape changed too (renamed, then changed);
  // the columns of a renamed table have candidates and decisions like any other table's.
  const resolved = decideRenames(prepared, options.renames, options.bind);
  const databaseKeyOf = new Map([...resolved.renamed].map(([databaseKey, modelKey]) => [modelKey, databaseKey] as const));

  // Accepted renames: ops first (so the downgrade undoes them last), and the database as it will be.
  const touches: Touch[] = [];
  const tableRenames = new Map<string, string>();
  const columnRenames = new Map<string, Map<string, string>>();
  const tableRenameOps: PlannedOp[] = [];
  const columnRenameOps = new Map<string, PlannedOp[]>();
  for (const c of resolved.accepted) {
    const ref = tableRef(c.table, c.schema);
    if (c.kind === 'table') {
      tableRenames.set(objectKey(c.table, c.schema), c.newName);
      tableRenameOps.push({
        op: { kind: 'RenameTable', ...ref, newName: c.newName },
        changes: [{ kind: 'rename_table', ...tableRef(c.newName, c.schema), oldName: c.table, line: `Detected renamed table '${tableLabel(c.table, c.schema)}' to '${tableLabel(c.newName, c.schema)}'` }],
      });
      touches.push({ ...ref, action: 'renames' });
    } else {
      // The candidate names the table as the models do: a renamed table is renamed first.
      const key = databaseKeyOf.get(objectKey(c.table, c.schema)) ?? objectKey(c.table, c.schema);
      let map = columnRenames.get(key);
      if (!map) columnRenames.set(key, (map = new Map()));
      map.set(c.column, c.newName);
      const label = tableLabel(c.table, c.schema);
      let list = columnRenameOps.get(key);
      if (!list) columnRenameOps.set(key, (list = []));
      list.push({
        op: { kind: 'RenameColumn', ...ref, column: c.column, newName: c.newName },
        changes: [{ kind: 'rename_column', ...ref, column: c.newName, oldName: c.column, line: `Detected renamed column '${label}.${c.column}' to '${label}.${c.newName}'` }],
      });
      touches.push({ ...tableRef(prepared.database.get(key)!.name, c.schema), column: c.column, action: 'renames' });
    }
  }
  const renamed = new Map<string, TableSnapshot>(); // database key (before renames) → table after renames
  const afterRenames = applyRenames(database.tables, { tables: tableRenames, columns: columnRenames });
  database.tables.forEach((t, i) => renamed.set(objectKey(t.name, t.schema), afterRenames[i]!));

  // Tables both sides have (by name, or renamed).
  const pairs: { modelKey: string; databaseKey: string }[] = prepared.paired.map((key) => ({ modelKey: key, databaseKey: key }));
  const renamedTo = new Set<string>();
  for (const [key, newName] of tableRenames) {
    const schema = prepared.database.get(key)!.schema;
    const modelKey = objectKey(newName, schema);
    pairs.push({ modelKey, databaseKey: key });
    renamedTo.add(modelKey);
  }
  pairs.sort((a, b) => (a.modelKey < b.modelKey ? -1 : a.modelKey > b.modelKey ? 1 : 0));
  const plannedPairs: PlannedPair[] = pairs.map(({ modelKey, databaseKey }) => {
    const original = prepared.database.get(databaseKey)!;
    const back = new Map([...(columnRenames.get(databaseKey) ?? [])].map(([from, to]) => [to, from]));
    const pair: TablePair = {
      model: normalizeTable(prepared.models.get(modelKey)!),
      database: normalizeTable(renamed.get(databaseKey)!),
      databaseName: original.name,
      databaseColumn: (c) => back.get(c) ?? c,
    };
    const plan = compareTable(ctx, pair, touches);
    plan.phases.renameColumns.push(...(columnRenameOps.get(databaseKey) ?? []));
    return { pair, plan };
  });
  recreateRetypedForeignKeys(ctx, plannedPairs);
  const unmodeledKeys = prepared.databaseOnly.filter((k) => !tableRenames.has(k));
  // Another migration tool's bookkeeping table is never dropped: that tool may still run.
  const toolTables = unmodeledKeys.filter((k) => migrationToolOf(prepared.database.get(k)!.name) !== undefined);
  const droppedKeys = unmodeledKeys.filter((k) => !toolTables.includes(k));
  const databaseOnly = droppedKeys.map((k) => normalizeTable(renamed.get(k)!));
  const referring = recreateReferringForeignKeys(ctx, plannedPairs, {
    model: (key) => {
      const table = prepared.models.get(key);
      return table && normalizeTable(table);
    },
    dropped: options.dropUnmodeledTables ? databaseOnly : [],
    leftAlone: [...(options.dropUnmodeledTables ? [] : databaseOnly), ...toolTables.map((k) => normalizeTable(renamed.get(k)!))],
  });
  const plans: TablePlan[] = plannedPairs.map((p) => p.plan);

  const created = createTables(
    ctx,
    prepared.modelOnly.filter((k) => !renamedTo.has(k)).map((k) => prepared.models.get(k)!),
  );
  let dropped: DroppedTables = { dropForeignKeys: [], dropTables: [] };
  for (const k of toolTables) {
    const t = prepared.database.get(k)!;
    ctx.warn(
      `Table '${tableLabel(t.name, t.schema)}' is the migration table of ${migrationToolOf(t.name)}, not in the models; left alone (also with ` +
        `autogenerate.dropUnmodeledTables): drop it in a revision by hand (op.dropTable) once ${migrationToolOf(t.name)} no longer migrates this database`,
    );
  }
  if (options.dropUnmodeledTables) {
    dropped = dropTables(ctx, droppedKeys.map((k) => renamed.get(k)!), referring);
    for (const k of droppedKeys) {
      const t = prepared.database.get(k)!;
      touches.push({ ...tableRef(t.name, t.schema), action: 'drops' });
    }
  } else {
    for (const k of droppedKeys) {
      const t = prepared.database.get(k)!;
      ctx.warn(`Table '${tableLabel(t.name, t.schema)}' is in the database but not in the models; left alone (set autogenerate.dropUnmodeledTables to drop it)`);
    }
  }

  // Enum types only the database has: which database columns use one, and which of those this
  // revision drops (with their table, or alone) or changes to another type.
  const gone = new Set(options.dropUnmodeledTables ? droppedKeys : []);
  const planOf = new Map(plannedPairs.map((p, i) => [pairs[i]!.databaseKey, p] as const));
  const enums = compareEnums(ctx, models.enums, database.enums, (name): EnumUse => {
    const usesEnum = (type: ColumnSnapshot['type'] | undefined) => type !== undefined && (type.enumName === name || (type.name === name && type.args.length === 0));
    let used = false;
    for (const t of database.tables) {
      const key = objectKey(t.name, t.schema);
      if (!t.columns.some((c) => usesEnum(c.type))) continue;
      used = true;
      if (gone.has(key)) continue;
      const kept: EnumUse = { kind: 'kept', table: tableLabel(t.name, t.schema) };
      const planned = planOf.get(key);
      if (planned === undefined) return kept;
      // A managed table: does a column (named as the models name it) keep the type?
      const ops = [...planned.plan.phases.dropColumns, ...planned.plan.phases.alterColumns].map((p) => p.op);
      const dropsOrRetypes = (column: string) =>
        ops.some(
          (op) =>
            (op.kind === 'DropColumn' && op.column === column) ||
            (op.kind === 'AlterColumn' && op.column === column && op.changes.type !== undefined && !usesEnum(op.changes.type)),
        );
      if (planned.pair.database.columns.some((c) => usesEnum(c.type) && !dropsOrRetypes(c.name))) return kept;
    }
    return used ? { kind: 'released' } : { kind: 'unused' };
  });

  const planned = assemble(ctx, { enums, tableRenameOps, plans, created, dropped });
  const warnings = [...ctx.warnings, ...objectWarnings(database.objects, touches)];
  return Object.freeze({
    ops: Object.freeze(planned.map((p) => frozenCopy(p.op))),
    changes: Object.freeze(planned.flatMap((p) => p.changes.map(frozenCopy))),
    warnings: Object.freeze(warnings),
    revisionWarnings: Object.freeze([...ctx.revisionWarnings]),
    unmatchedRenames: Object.freeze([...resolved.unmatched]),
  });
}

/** New tables in creation order, and the foreign keys created after them (cycles). */
interface CreatedTables {
  readonly createTables: readonly PlannedOp[];
  readonly createForeignKeys: readonly PlannedOp[];
}

/** Dropped tables in drop order, and the foreign keys dropped before them (cycles). */
interface DroppedTables {
  readonly dropForeignKeys: readonly PlannedOp[];
  readonly dropTables: readonly PlannedOp[];
}

function referredKey(fk: ForeignKeyDefinition, table: NormalizedTable): string {
  return objectKey(fk.referredTable, fk.referredSchema ?? table.schema);
}

/** Splits a table's foreign keys: those into `targets` come out of the table (column-level ones too). */
function withoutForeignKeys(table: NormalizedTable, targets: ReadonlySet<string>): { table: TableSnapshot; removed: ForeignKeyDefinition[] } {
  const removed = table.foreignKeys.filter((fk) => targets.has(referredKey(fk, table)));
  if (!removed.length) return { table: table.table, removed };
  const source = table.table;
  const columns = source.columns.map((c): ColumnSnapshot => {
    if (!c.references || !targets.has(objectKey(c.references.table, source.schema))) return c;
    const { references: _r, ...rest } = c;
    return rest;
  });
  const foreignKeys = source.foreignKeys.filter((fk) => !targets.has(objectKey(fk.referredTable, fk.referredSchema ?? source.schema)));
  return { table: { ...source, columns, foreignKeys }, removed };
}

function deferredByTable(deferred: readonly TableDependency[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { from, to } of deferred) {
    let set = out.get(from);
    if (!set) out.set(from, (set = new Set()));
    set.add(to);
  }
  return out;
}

/**
 * A new or dropped table without the indexes `includeObject` leaves out (asked as Alembic does:
 * type `'index'`, `hasCounterpart` false, `reflected` false for a new table's, true for a dropped
 * one's). Its columns, keys, foreign keys and checks go with the table and are not asked about; so
 * does the index SQLite keeps for a table-level UNIQUE of its CREATE TABLE (`tableConstraint`):
 * dropping the table drops it whatever a hook says, and the downgrade's CREATE TABLE must give it
 * back, as it gives back the table's other keys.
 */
function withIncludedIndexes(ctx: CompareContext, table: TableSnapshot, reflected: boolean): TableSnapshot {
  const where = { table: table.name, ...(table.schema === undefined ? {} : { schema: table.schema }) };
  const indexes = table.indexes.filter(
    (ix) => ix.tableConstraint === true || (reflected ? ctx.include.objects('index', where, undefined, ix.name) : ctx.include.objects('index', where, ix.name, undefined)),
  );
  return indexes.length === table.indexes.length ? table : { ...table, indexes };
}

function createTables(ctx: CompareContext, tables: readonly TableSnapshot[]): CreatedTables {
  const normalized = new Map(tables.map((t) => [objectKey(t.name, t.schema), normalizeTable(withIncludedIndexes(ctx, t, false))] as const));
  const order = orderByForeignKeys([...normalized.keys()], (key) => {
    const t = normalized.get(key)!;
    return t.foreignKeys.map((fk) => referredKey(fk, t));
  });
  // Without ALTER for constraints (SQLite), a foreign key can only be created with its table;
  // SQLite accepts one that refers to a table not created yet.
  const deferred = ctx.batch ? new Map<string, Set<string>>() : deferredByTable(order.deferred);
  const createTables: PlannedOp[] = [];
  const createForeignKeys: PlannedOp[] = [];
  for (const key of order.order) {
    const t = normalized.get(key)!;
    const { table, removed } = withoutForeignKeys(t, deferred.get(key) ?? new Set());
    createTables.push({
      op: { kind: 'CreateTable', table },
      changes: [{ kind: 'add_table', ...tableRef(t.name, t.schema), line: `Detected added table '${tableLabel(t.name, t.schema)}'` }],
    });
    for (const fk of removed) {
      createForeignKeys.push({ op: createForeignKeyOp(tableRef(t.name, t.schema), ctx.foreignKeyName(t.name, t.name, fk, false), fk), changes: [] });
    }
  }
  return { createTables, createForeignKeys };
}

/**
 * @param referring - per table, the tables its foreign keys refer to whose keys the plans drop
 *   (see {@link recreateReferringForeignKeys}): those foreign keys come off first too.
 */
function dropTables(ctx: CompareContext, tables: readonly TableSnapshot[], referring: ReadonlyMap<string, ReadonlySet<string>>): DroppedTables {
  // An index `includeObject` leaves out goes with the table, and the downgrade does not create it again.
  const normalized = new Map(tables.map((t) => [objectKey(t.name, t.schema), normalizeTable(withIncludedIndexes(ctx, t, true))] as const));
  const order = orderByForeignKeys([...normalized.keys()], (key) => {
    const t = normalized.get(key)!;
    return t.foreignKeys.map((fk) => referredKey(fk, t));
  });
  // SQLite runs a revision with foreign keys off: its tables drop in any order.
  const deferred = ctx.batch ? new Map<string, Set<string>>() : deferredByTable(order.deferred);
  for (const [key, targets] of referring) {
    let set = deferred.get(key);
    if (!set) deferred.set(key, (set = new Set()));
    for (const target of targets) set.add(target);
  }
  const dropForeignKeys: PlannedOp[] = [];
  const dropTables: PlannedOp[] = [];
  for (const key of [...order.order].reverse()) {
    const t = normalized.get(key)!;
    const ref = tableRef(t.name, t.schema);
    const { table, removed } = withoutForeignKeys(t, deferred.get(key) ?? new Set());
    for (const fk of removed) {
      const { name: _n, inline: _i, ...definition } = fk;
      dropForeignKeys.push({
        op: { kind: 'DropConstraint', ...ref, name: ctx.foreignKeyName(t.name, t.name, fk, true), type: 'foreignkey', existing: { type: 'foreignkey', ...definition } },
        changes: [],
      });
    }
    const { dependents: _d, constraintNames: _n, defaultCollation: _c, ...existing } = table;
    dropTables.push({
      op: { kind: 'DropTable', ...ref, existing },
      changes: [{ kind: 'remove_table', ...ref, line: `Detected removed table '${tableLabel(t.name, t.schema)}'` }],
    });
  }
  return { dropForeignKeys, dropTables };
}

interface Parts {
  readonly enums: { readonly creates: readonly PlannedOp[]; readonly drops: readonly PlannedOp[] };
  readonly tableRenameOps: readonly PlannedOp[];
  readonly plans: readonly TablePlan[];
  readonly created: CreatedTables;
  readonly dropped: DroppedTables;
}

/** Puts the planned ops in the order they apply (see {@link compareSchemas}). */
function assemble(ctx: CompareContext, parts: Parts): PlannedOp[] {
  const { enums, tableRenameOps, plans, created, dropped } = parts;
  const phase = (name: TablePhase) => plans.flatMap((p) => p.phases[name]);
  if (!ctx.batch) {
    return [
      ...enums.creates,
      ...tableRenameOps,
      ...phase('renameColumns'),
      ...phase('dropForeignKeys'),
      ...dropped.dropForeignKeys,
      // The tables both sides have are changed before new tables are created: a new table's
      // foreign key may refer to a column this revision retypes or makes unique, which MySQL and
      // PostgreSQL check as the key is created. No change to an existing table needs a new one
      // (its foreign keys to new tables come after them), and the downgrade drops the new tables
      // before it undoes the changes they relied on.
      ...plans.flatMap((p) =>
        (['dropConstraints', 'addColumns', 'alterColumns', 'dropColumns', 'createConstraints', 'tableComment'] as const).flatMap((name) => p.phases[name]),
      ),
      ...created.createTables,
      ...created.createForeignKeys,
      ...phase('createForeignKeys'),
      ...dropped.dropTables,
      ...enums.drops,
    ];
  }
  const batches = plans.flatMap((p): PlannedOp[] => {
    const inner = TABLE_PHASES.filter((name) => name !== 'tableComment').flatMap((name) => p.phases[name]);
    const out: PlannedOp[] = [];
    if (inner.length) {
      out.push({
        op: { kind: 'BatchAlterTable', ...tableRef(p.table, p.schema), ops: inner.map((e) => e.op as BatchInnerOp), options: {} },
        changes: inner.flatMap((e) => e.changes),
      });
    }
    return [...out, ...p.phases.tableComment];
  });
  return [...enums.creates, ...tableRenameOps, ...created.createTables, ...batches, ...dropped.dropTables, ...enums.drops];
}

export type { DetectedChange };
