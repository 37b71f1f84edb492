import type { Op } from '../operations/op-objects.js';
import type { TableSnapshot } from '../schema/table-snapshot.js';
import type { SnapshotSource } from './op-compiler.js';

/**
 * Whether an op's effect is in the database: `'done'` (present), `'not-done'` (absent, or the op
 * is safe to send again, as MySQL's MODIFY COLUMN restating a column), `'unknown'` (the database
 * cannot tell, as for raw SQL or data).
 */
export type OpEffect = 'done' | 'not-done' | 'unknown';

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
const hasColumn = (t: TableSnapshot | undefined, name: string) => !!t?.columns.some((c) => same(c.name, name));
const yes = (present: boolean): OpEffect => (present ? 'done' : 'not-done');
const constraintNames = (t: TableSnapshot | undefined): (string | undefined)[] =>
  t
    ? [t.primaryKey?.name, ...t.foreignKeys.map((f) => f.name), ...t.uniqueConstraints.map((u) => u.name), ...t.checkConstraints.map((c) => c.name), ...t.indexes.map((i) => i.name)]
    : [];

type Check = (op: Op, table: (name: string, schema?: string) => Promise<TableSnapshot | undefined>) => Promise<OpEffect>;
type Checks = { readonly [K in Op['kind']]: (op: Extract<Op, { kind: K }>, table: (name: string, schema?: string) => Promise<TableSnapshot | undefined>) => Promise<OpEffect> };

const CHECKS: Checks = {
  CreateTable: async (op, table) => yes((await table(op.table.name, op.table.schema)) !== undefined),
  DropTable: async (op, table) => yes((await table(op.table, op.schema)) === undefined),
  RenameTable: async (op, table) => {
    const [from, to] = [await table(op.table, op.schema), await table(op.newName, op.schema)];
    return to && !from ? 'done' : from && !to ? 'not-done' : 'unknown';
  },
  AddColumn: async (op, table) => yes(hasColumn(await table(op.table, op.schema), op.column.name)),
  DropColumn: async (op, table) => {
    const t = await table(op.table, op.schema);
    return t ? yes(!hasColumn(t, op.column)) : 'unknown';
  },
  AlterColumn: async (op, table) => {
    if (op.changes.newName === undefined) return 'not-done'; // restating the column again is harmless
    const t = await table(op.table, op.schema);
    const [from, to] = [hasColumn(t, op.column), hasColumn(t, op.changes.newName)];
    return to && !from ? 'done' : from && !to ? 'not-done' : 'unknown';
  },
  RenameColumn: async (op, table) => {
    const t = await table(op.table, op.schema);
    const [from, to] = [hasColumn(t, op.column), hasColumn(t, op.newName)];
    return to && !from ? 'done' : from && !to ? 'not-done' : 'unknown';
  },
  CreateIndex: async (op, table) => yes(!!(await table(op.table, op.schema))?.indexes.some((i) => same(i.name, op.index.name))),
  DropIndex: async (op, table) => {
    const t = await table(op.table, op.schema);
    return t ? yes(!t.indexes.some((i) => same(i.name, op.name))) : 'unknown';
  },
  RenameIndex: async (op, table) => {
    const t = await table(op.table, op.schema);
    const has = (name: string) => !!t?.indexes.some((i) => same(i.name, name));
    const [from, to] = [has(op.name), has(op.newName)];
    // Neither name (SQLite's drop and create stopped between the two): cannot be told.
    return to && !from ? 'done' : from && !to ? 'not-done' : 'unknown';
  },
  CreateUniqueConstraint: async (op, table) => yes(constraintNames(await table(op.table, op.schema)).some((n) => same(n, op.name))),
  CreateCheckConstraint: async (op, table) => yes(constraintNames(await table(op.table, op.schema)).some((n) => same(n, op.name))),
  CreateForeignKey: async (op, table) => yes(!!(await table(op.table, op.schema))?.foreignKeys.some((f) => same(f.name, op.name))),
  CreatePrimaryKey: async (op, table) => yes(!!(await table(op.table, op.schema))?.primaryKey),
  DropConstraint: async (op, table) => {
    const t = await table(op.table, op.schema);
    if (!t) return 'unknown';
    return yes(op.type === 'primary' ? !t.primaryKey : !constraintNames(t).some((n) => same(n, op.name)));
  },
  AlterTableComment: async () => 'not-done', // setting the comment again is harmless
  BatchAlterTable: async () => 'unknown',
  Execute: async () => 'unknown',
  BulkInsert: async () => 'unknown',
  CreateEnum: async () => 'unknown',
  DropEnum: async () => 'unknown',
  AddEnumValue: async () => 'unknown',
};

/** The ops whose effect introspection can never tell (their checks answer `'unknown'` always). */
const UNTELLABLE: ReadonlySet<Op['kind']> = new Set(['BatchAlterTable', 'Execute', 'BulkInsert', 'CreateEnum', 'DropEnum', 'AddEnumValue']);

/**
 * Whether {@link opEffect} may tell, from the database, whether the op took effect (a created
 * table, a renamed column); `false` for raw SQL, data, enums and batch rebuilds.
 * @example
 * ```ts
 * effectCanBeTold({ kind: 'DropTable', table: 'Genre' }); // true
 * effectCanBeTold({ kind: 'Execute', sql: 'ALTER TABLE t ADD x int' }); // false
 * ```
 * @internal
 */
export function effectCanBeTold(op: Op): boolean {
  return !UNTELLABLE.has(op.kind);
}

/**
 * Checks, by introspection, whether a DDL op that was sent but whose completion was not recorded
 * (a revision killed in that window on a database without transactional DDL) took effect: a
 * created table or column exists, a dropped one does not, a renamed one (table, column, index)
 * has its new name. Data and raw SQL cannot be judged (`'unknown'`).
 *
 * @param op - the op.
 * @param snapshots - reads the live tables.
 * @returns `'done'`, `'not-done'` or `'unknown'` (see {@link OpEffect}).
 * @throws what the snapshot source throws.
 * @example
 * ```ts
 * const effect = await opEffect({ kind: 'DropTable', table: 'Genre' }, { snapshot: async () => undefined }); // 'done'
 * ```
 */
export async function opEffect(op: Op, snapshots: SnapshotSource): Promise<OpEffect> {
  const table = (name: string, schema?: string) => snapshots.snapshot(name, schema);
  return (CHECKS[op.kind] as Check)(op, table);
}
