import { freezeDeep } from '../schema/freeze-deep.js';
import {
  dispatchOp,
  type AlterColumnOp,
  type BatchInnerOp,
  type ColumnChanges,
  type DropTableOp,
  type ExistingColumn,
  type IrreversibleOp,
  type Op,
  type OpTable,
} from './op-objects.js';
import type { TableSnapshot } from '../schema/table-snapshot.js';

/** The result of reversing: the inverse op, or an explicit irreversible marker. */
export type ReversedOp = Op | IrreversibleOp;

// Shallow freeze: the op is the caller's (a bulk insert's rows stay theirs, unfrozen).
const irreversible = (op: Op, reason: string): IrreversibleOp => Object.freeze({ kind: 'Irreversible', op, reason });

const concurrently = (op: { concurrently?: boolean }) => (op.concurrently ? { concurrently: true } : {});
const descending = (k: { descending?: readonly string[] }) => (k.descending?.length ? { descending: k.descending } : {});
const nullsNotDistinct = (u: { nullsNotDistinct?: boolean }) => (u.nullsNotDistinct ? { nullsNotDistinct: true } : {});

const ref = (op: { table: string; schema?: string }) => (op.schema === undefined ? { table: op.table } : { table: op.table, schema: op.schema });

function reverseAlter(op: AlterColumnOp): ReversedOp {
  const changes: { -readonly [K in keyof ColumnChanges]: ColumnChanges[K] } = {};
  const existing: { -readonly [K in keyof ExistingColumn]: ExistingColumn[K] } = {};
  const missing: string[] = [];
  const c = op.changes;
  if (c.type !== undefined) {
    if (op.existing.type === undefined) missing.push('existingType');
    else changes.type = op.existing.type;
    existing.type = c.type;
  } else if (op.existing.type !== undefined) existing.type = op.existing.type;
  if (c.nullable !== undefined) {
    if (op.existing.nullable === undefined) missing.push('existingNullable');
    else changes.nullable = op.existing.nullable;
    existing.nullable = c.nullable;
  } else if (op.existing.nullable !== undefined) existing.nullable = op.existing.nullable;
  if (c.default !== undefined) {
    // `existing.default` undefined means "had no default": reversing drops the default.
    changes.default = op.existing.default === undefined ? null : op.existing.default;
    existing.default = c.default;
  } else if (op.existing.default !== undefined) existing.default = op.existing.default;
  if (c.comment !== undefined) {
    if (op.existing.comment === undefined) missing.push('existingComment');
    else changes.comment = op.existing.comment;
    existing.comment = c.comment;
  } else if (op.existing.comment !== undefined) existing.comment = op.existing.comment;
  if (c.identity !== undefined) {
    if (!op.existing.autoincrement) missing.push('existing autoincrement');
    // A serial made an identity becomes that serial again.
    else if (op.existing.serialSequence !== undefined) changes.serial = op.existing.serialSequence;
    else changes.identity = op.existing.autoincrement === 'always' ? 'always' : 'by-default';
    existing.autoincrement = c.identity === 'always' ? 'always' : true;
  } else if (c.serial !== undefined) {
    if (!op.existing.autoincrement) missing.push('existing autoincrement');
    else changes.identity = op.existing.autoincrement === 'always' ? 'always' : 'by-default';
    existing.autoincrement = true;
    existing.serialSequence = c.serial;
  } else {
    if (op.existing.autoincrement !== undefined) existing.autoincrement = op.existing.autoincrement;
    if (op.existing.serialSequence !== undefined) existing.serialSequence = op.existing.serialSequence;
  }
  if (c.onUpdate !== undefined) {
    // `existing.onUpdate` undefined means "had none": reversing removes it.
    changes.onUpdate = op.existing.onUpdate ?? null;
    if (c.onUpdate !== null) existing.onUpdate = c.onUpdate;
  } else if (op.existing.onUpdate !== undefined) existing.onUpdate = op.existing.onUpdate;
  if (c.collation !== undefined) {
    // `existing.collation` undefined means "the default": reversing goes back to it.
    changes.collation = op.existing.collation ?? null;
    if (c.collation !== null) existing.collation = c.collation;
  } else if (op.existing.collation !== undefined) existing.collation = op.existing.collation;
  if (op.existing.generated !== undefined) existing.generated = op.existing.generated;
  if (c.newName !== undefined) changes.newName = op.column;
  if (missing.length) {
    return irreversible(op, `alterColumn('${op.table}', '${op.column}') lacks ${missing.join(', ')}`);
  }
  return freezeDeep({ kind: 'AlterColumn', ...ref(op), column: c.newName ?? op.column, changes, existing });
}

/** The table a `DropTable` removed, in the op's schema when the snapshot names none. */
function tableFromExisting(op: DropTableOp): TableSnapshot | undefined {
  const existing = op.existing;
  if (!existing || op.schema === undefined || existing.schema !== undefined) return existing;
  return { ...existing, schema: op.schema };
}

const REVERSE: OpTable<ReversedOp> = {
  CreateTable: (op) =>
    freezeDeep({
      kind: 'DropTable',
      table: op.table.name,
      ...(op.table.schema === undefined ? {} : { schema: op.table.schema }),
      existing: op.table,
    }),
  DropTable: (op) => {
    const table = tableFromExisting(op);
    return table ? freezeDeep({ kind: 'CreateTable', table }) : irreversible(op, `dropTable('${op.table}') has no existing table definition`);
  },
  RenameTable: (op) => freezeDeep({ kind: 'RenameTable', table: op.newName, ...(op.schema === undefined ? {} : { schema: op.schema }), newName: op.table }),
  AddColumn: (op) => {
    const { name, ...existing } = op.column;
    return freezeDeep({ kind: 'DropColumn', ...ref(op), column: name, existing });
  },
  DropColumn: (op) =>
    op.existing?.type
      ? freezeDeep({ kind: 'AddColumn', ...ref(op), column: { ...op.existing, name: op.column } })
      : irreversible(op, `dropColumn('${op.table}', '${op.column}') has no existing column type`),
  AlterColumn: reverseAlter,
  RenameColumn: (op) => freezeDeep({ kind: 'RenameColumn', ...ref(op), column: op.newName, newName: op.column }),
  // A concurrent create reverses to a concurrent drop and back: the downgrade blocks writes no more than the upgrade.
  CreateIndex: (op) => freezeDeep({ kind: 'DropIndex', ...ref(op), name: op.index.name, existing: op.index, ...concurrently(op) }),
  DropIndex: (op) => {
    if (!op.existing) return irreversible(op, `dropIndex('${op.name}') has no existing index definition`);
    // `op.dropIndex(name)` without `table` leaves it empty: the index cannot be recreated on nothing.
    if (!op.table) return irreversible(op, `dropIndex('${op.name}') has no table`);
    return freezeDeep({ kind: 'CreateIndex', ...ref(op), index: op.existing, ...concurrently(op) });
  },
  RenameIndex: (op) =>
    freezeDeep({ kind: 'RenameIndex', ...ref(op), name: op.newName, newName: op.name, ...(op.existing === undefined ? {} : { existing: op.existing }) }),
  CreateUniqueConstraint: (op) =>
    freezeDeep({ kind: 'DropConstraint', ...ref(op), name: op.name, type: 'unique', existing: { type: 'unique', columns: op.columns, ...nullsNotDistinct(op) } }),
  CreateCheckConstraint: (op) =>
    freezeDeep({ kind: 'DropConstraint', ...ref(op), name: op.name, type: 'check', existing: { type: 'check', expression: op.expression } }),
  CreateForeignKey: (op) => {
    const { kind: _k, name, table: _t, schema: _s, ...fk } = op;
    return freezeDeep({ kind: 'DropConstraint', ...ref(op), name, type: 'foreignkey', existing: { type: 'foreignkey', ...fk } });
  },
  CreatePrimaryKey: (op) =>
    freezeDeep({ kind: 'DropConstraint', ...ref(op), name: op.name, type: 'primary', existing: { type: 'primary', columns: op.columns, ...descending(op) } }),
  DropConstraint: (op) => {
    const e = op.existing;
    if (!e) return irreversible(op, `dropConstraint('${op.name}') has no existing constraint definition`);
    switch (e.type) {
      case 'unique':
        return freezeDeep({ kind: 'CreateUniqueConstraint', ...ref(op), name: op.name, columns: e.columns, ...nullsNotDistinct(e) });
      case 'check':
        return freezeDeep({ kind: 'CreateCheckConstraint', ...ref(op), name: op.name, expression: e.expression });
      case 'primary':
        return freezeDeep({ kind: 'CreatePrimaryKey', ...ref(op), name: op.name, columns: e.columns, ...descending(e) });
      case 'foreignkey': {
        const { type: _t, ...fk } = e;
        return freezeDeep({ kind: 'CreateForeignKey', ...ref(op), name: op.name, ...fk });
      }
    }
  },
  BatchAlterTable: (op) => {
    const inner: BatchInnerOp[] = [];
    for (const child of [...op.ops].reverse()) {
      const r = reverseOp(child);
      if (r.kind === 'Irreversible') return irreversible(op, r.reason);
      inner.push(r as BatchInnerOp);
    }
    // copyFrom and partialReordering describe the table before the upgrade: they do not apply
    // to the downgrade's table. `recreate` is kept as given (absent means 'auto').
    const options = op.options.recreate === undefined ? {} : { recreate: op.options.recreate };
    return freezeDeep({ kind: 'BatchAlterTable', ...ref(op), ops: inner, options });
  },
  Execute: (op) => irreversible(op, 'execute() runs arbitrary SQL'),
  BulkInsert: (op) => irreversible(op, `bulkInsert('${op.table}') inserts data`),
  CreateEnum: (op) =>
    freezeDeep({ kind: 'DropEnum', name: op.name, ...(op.schema === undefined ? {} : { schema: op.schema }), existing: { values: op.values } }),
  DropEnum: (op) =>
    op.existing
      ? freezeDeep({ kind: 'CreateEnum', name: op.name, ...(op.schema === undefined ? {} : { schema: op.schema }), values: op.existing.values })
      : irreversible(op, `dropEnum('${op.name}') has no existing members`),
  AddEnumValue: (op) => irreversible(op, `PostgreSQL cannot remove the member '${op.value}' from enum '${op.name}'`),
  AlterTableComment: (op) => freezeDeep({ kind: 'AlterTableComment', ...ref(op), comment: op.existing ?? null, existing: op.comment }),
};

/**
 * Derives the inverse of an op (Alembic's `reverse()`): the downgrade of an upgrade op.
 *
 * @param op - any op object.
 * @returns the inverse op, or `{ kind: 'Irreversible', op, reason }` when the op lacks the
 *   `existing…` fields needed (never a guess).
 * @example
 * ```ts
 * reverseOp({ kind: 'RenameColumn', table: 'Invoice', column: 'a', newName: 'b' });
 * // { kind: 'RenameColumn', table: 'Invoice', column: 'b', newName: 'a' }
 * ```
 */
export function reverseOp(op: Op): ReversedOp {
  return dispatchOp(REVERSE, op);
}
