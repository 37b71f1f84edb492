import { conventionalName } from '@multidb/core';
import type { AddColumnOp, ColumnSnapshot, CompileContext, Statement } from '@multidb/core';
import { isConstantSql, sqliteColumnDefinition } from './sqlite-column-definition.js';
import { qualifiedName } from './sqlite-create-table.js';
import { needsBatchMode } from './sqlite-unsupported.js';

/**
 * Why SQLite's `ALTER TABLE … ADD COLUMN` cannot add this column, or `undefined` when it can.
 * SQLite refuses a PRIMARY KEY or UNIQUE column, a STORED generated column, a NOT NULL column
 * without a non-NULL default, a default that is not a constant (`CURRENT_TIMESTAMP`, an
 * expression), and a REFERENCES column with a non-NULL default (lang_altertable.html).
 *
 * @param column - the column to add.
 * @returns the reason, phrased to follow "cannot add …", e.g. `'the UNIQUE column "Code"'`.
 * @example
 * ```ts
 * sqliteAddColumnProblem(columnFromInput({ name: 'Code', type: 'text', unique: true })); // 'the UNIQUE column "Code"'
 * ```
 */
export function sqliteAddColumnProblem(column: ColumnSnapshot): string | undefined {
  const name = JSON.stringify(column.name);
  if (column.primaryKey || column.autoincrement) return `the PRIMARY KEY column ${name}`;
  if (column.unique) return `the UNIQUE column ${name}`;
  if (column.generated?.stored) return `the STORED generated column ${name}`;
  const d = column.default;
  if (d !== null && typeof d === 'object' && !isConstantSql(d.sql)) return `the column ${name} with the non-constant default ${d.sql.trim()}`;
  const nullDefault = d === undefined || d === null || (typeof d === 'object' && /^null$/i.test(d.sql.trim()));
  if (!column.nullable && nullDefault && !column.generated) return `the NOT NULL column ${name} without a non-NULL default`;
  if (column.references && !nullDefault) return `the REFERENCES column ${name} with a non-NULL default`;
  return undefined;
}

/**
 * Compiles `AddColumn` to `ALTER TABLE "t" ADD COLUMN …` when SQLite can add the column natively.
 * When the table's snapshot is in the context and the table is STRICT, the type is mapped to
 * SQLite's STRICT types.
 *
 * @throws {@link UnsupportedOperationError} pointing to `op.batchAlterTable` when it cannot
 *   ({@link sqliteAddColumnProblem}).
 * @example
 * ```ts
 * compileSqliteAddColumn({ kind: 'AddColumn', table: 'Invoice', column: columnFromInput({ name: 'Currency', type: 'varchar(3)' }) }, ctx);
 * // [{ sql: 'ALTER TABLE "Invoice" ADD COLUMN "Currency" varchar(3)', parameters: [] }]
 * ```
 */
export function compileSqliteAddColumn(op: AddColumnOp, ctx: CompileContext): Statement[] {
  const problem = sqliteAddColumnProblem(op.column);
  if (problem) {
    throw needsBatchMode(`add ${problem} to ${JSON.stringify(op.table)}`, op.table, `addColumn({ name: ${JSON.stringify(op.column.name)}, … })`);
  }
  const strict = ctx.snapshots.get(op.table)?.strict ?? false;
  return [
    {
      sql: `ALTER TABLE ${qualifiedName(op.table, op.schema)} ADD COLUMN ${sqliteColumnDefinition(op.column, { strict, ...(op.column.references ? { names: { foreignKey: conventionalName(ctx.namingConvention, 'fk', { table: op.table, columns: [op.column.name], referredTable: op.column.references.table }) } } : {}) })}`,
      parameters: [],
    },
  ];
}
