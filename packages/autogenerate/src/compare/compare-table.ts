import type { AddColumnOp, ColumnSnapshot, DropColumnOp } from '@multidb/core';
import { tableLabel, tableRef, type CompareContext } from './compare-context.js';
import { compareColumn } from './compare-columns.js';
import { compareConstraints } from './compare-constraints.js';
import type { NormalizedTable } from './normalized-table.js';
import { isNotNullWithoutDefault } from '../render/describe-failing-op.js';
import { emptyTablePlan, type TablePlan, type Touch } from './table-plan.js';

/** A table both sides have, after renames: the two sides and the database's own names. */
export interface TablePair {
  readonly model: NormalizedTable;
  /** The database's table, with accepted renames applied (table and column names as the models name them). */
  readonly database: NormalizedTable;
  /** The table's name in the database before any rename. */
  readonly databaseName: string;
  /** A column's name in the database before any rename. */
  readonly databaseColumn: (column: string) => string;
}

/**
 * A column as an `AddColumn` / `DropColumn` carries it: without its column-level `primaryKey`,
 * `unique` and `references`, which the comparison adds and drops as constraints of their own.
 */
export function plainColumn(column: ColumnSnapshot): ColumnSnapshot {
  if (!column.primaryKey && !column.unique && !column.references) return column;
  const { primaryKey: _p, unique: _u, references: _r, ...rest } = column;
  return rest;
}

function comment(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Compares one table both sides have: columns added, dropped and altered (each column asked of
 * `includeObject`), keys, indexes and checks ({@link compareConstraints}), and the table's
 * comment where the dialect keeps comments. Returns the ops by phase and records what the ops do
 * to database columns (for the warnings about views and triggers) in `touches`.
 */
export function compareTable(ctx: CompareContext, pair: TablePair, touches: Touch[]): TablePlan {
  const { model, database } = pair;
  const table = model.name;
  const schema = model.schema;
  const plan = emptyTablePlan(table, schema);
  const ref = tableRef(table, schema);
  const label = tableLabel(table, schema);
  const where = { table, databaseTable: pair.databaseName, ...(schema === undefined ? {} : { schema }) };
  const touch = (column: string, action: Touch['action']) =>
    touches.push({ table: pair.databaseName, ...(schema === undefined ? {} : { schema }), column: pair.databaseColumn(column), action });

  const columnTable = {
    ...ref,
    ...(database.table.defaultCollation === undefined ? {} : { defaultCollation: database.table.defaultCollation }),
    ...(model.table.strict ? { modelStrict: true } : {}),
    ...(database.table.strict ? { databaseStrict: true } : {}),
  };
  for (const column of model.columns) {
    const other = database.columnsByName.get(column.name);
    if (other) {
      if (!ctx.include.objects('column', where, column.name, pair.databaseColumn(column.name))) continue;
      const alter = compareColumn(ctx, columnTable, column, other);
      if (alter) {
        plan.phases.alterColumns.push(alter);
        touch(column.name, 'alters');
      }
      continue;
    }
    if (!ctx.include.objects('column', where, column.name, undefined)) continue;
    const op: AddColumnOp = { kind: 'AddColumn', ...ref, column: plainColumn(column) };
    plan.phases.addColumns.push({
      op,
      changes: [{ kind: 'add_column', ...ref, column: column.name, line: `Detected added column '${label}.${column.name}'` }],
    });
    if (isNotNullWithoutDefault(column)) {
      ctx.warn(`Column '${label}.${column.name}' is added NOT NULL without a server default: the upgrade fails if '${label}' has rows.`);
    }
  }
  for (const column of database.columns) {
    if (model.columnsByName.has(column.name)) continue;
    if (!ctx.include.objects('column', where, undefined, pair.databaseColumn(column.name))) continue;
    const { name, ...existing } = plainColumn(column);
    const op: DropColumnOp = { kind: 'DropColumn', ...ref, column: name, existing };
    plan.phases.dropColumns.push({ op, changes: [{ kind: 'remove_column', ...ref, column: name, line: `Detected removed column '${label}.${name}'` }] });
    touch(name, 'drops');
  }

  compareConstraints(ctx, { model, database, table, ...(schema === undefined ? {} : { schema }), databaseName: pair.databaseName }, plan);

  if (ctx.comments && comment(model.table.comment) !== comment(database.table.comment)) {
    const from = comment(database.table.comment);
    const to = comment(model.table.comment);
    plan.phases.tableComment.push({
      op: { kind: 'AlterTableComment', ...ref, comment: to ?? null, existing: from ?? null },
      changes: [
        {
          kind: 'modify_table_comment',
          ...ref,
          from: from ?? 'none',
          to: to ?? 'none',
          line: to === undefined ? `Detected removed table comment on '${label}'` : `Detected table comment on '${label}'`,
        },
      ],
    });
  }
  for (const option of ['strict', 'withoutRowid'] as const) {
    if (!!model.table[option] !== !!database.table[option]) {
      const word = option === 'strict' ? 'STRICT' : 'WITHOUT ROWID';
      ctx.warn(
        `Table '${label}' is ${database.table[option] ? '' : 'not '}${word} in the database but ${model.table[option] ? '' : 'not '}in the models; ` +
          'autogenerate does not change table options: rebuild the table by hand.',
      );
    }
  }
  return plan;
}
