import type { BatchInnerOp, DialectCapabilities, IrreversibleOp, Op } from '@multidb/core';

/** For each kind a batch may hold: whether the dialect needs a batch (a table rebuild) to run it. */
const NEEDS_BATCH: { readonly [K in BatchInnerOp['kind']]: (capabilities: DialectCapabilities) => boolean } = {
  AddColumn: () => false,
  DropColumn: () => false,
  RenameColumn: () => false,
  CreateIndex: () => false,
  DropIndex: () => false,
  AlterColumn: (c) => !c.alterColumn,
  CreateUniqueConstraint: (c) => !c.alterConstraints,
  CreateCheckConstraint: (c) => !c.alterConstraints,
  CreateForeignKey: (c) => !c.alterConstraints,
  CreatePrimaryKey: (c) => !c.alterConstraints,
  DropConstraint: (c) => !c.alterConstraints,
};

/** An op a batch of its table can hold (a batch's `createIndex` has no `ifNotExists`). */
function batchable(op: Op | IrreversibleOp): op is BatchInnerOp {
  if (!Object.hasOwn(NEEDS_BATCH, op.kind)) return false;
  const inner = op as BatchInnerOp;
  return inner.table !== '' && !(inner.kind === 'CreateIndex' && inner.ifNotExists);
}

const sameTable = (a: BatchInnerOp, b: BatchInnerOp): boolean => a.table === b.table && a.schema === b.schema;

/**
 * Puts the changes a dialect cannot make with a plain ALTER inside `batchAlterTable` (Alembic's
 * `render_as_batch`), so a revision for SQLite reads as what it does: one move-and-copy rebuild
 * per table. Each run of consecutive ops on one table that a batch can hold becomes one
 * `BatchAlterTable` op when at least one of them needs it (an `alterColumn` where the dialect
 * lacks `capabilities.alterColumn`; a constraint added or dropped where it lacks
 * `alterConstraints`); other runs, and every other op, stay as they are, in order. Pure.
 *
 * Autogenerate calls it on a bind's upgrade ops before it reverses them, with the bind's dialect
 * capabilities; {@link renderRevisionBody} calls it when given `capabilities`.
 *
 * @param ops - ops in the order they run (irreversible markers stay where they are and end a run).
 * @param capabilities - the bind's dialect capabilities (`dialect.capabilities`).
 * @returns a new list; ops are not copied or changed.
 * @example
 * ```ts
 * import { DEFAULT_CAPABILITIES, parseColumnType } from '@multidb/core';
 * const sqlite = { ...DEFAULT_CAPABILITIES, alterColumn: false, alterConstraints: false };
 * groupIntoBatches(
 *   [
 *     { kind: 'AddColumn', table: 'user', column: { name: 'code', type: parseColumnType('varchar(3)'), nullable: true } },
 *     { kind: 'AlterColumn', table: 'user', column: 'name', changes: { nullable: false }, existing: { nullable: true } },
 *   ],
 *   sqlite,
 * );
 * // [{ kind: 'BatchAlterTable', table: 'user', ops: [the AddColumn, the AlterColumn], options: {} }]
 * ```
 */
export function groupIntoBatches<T extends Op | IrreversibleOp>(ops: readonly T[], capabilities: DialectCapabilities): (T | Op)[] {
  const out: (T | Op)[] = [];
  let run: BatchInnerOp[] = [];
  const flush = () => {
    if (run.length > 0 && run.some((op) => (NEEDS_BATCH[op.kind] as (c: DialectCapabilities) => boolean)(capabilities))) {
      const { table, schema } = run[0]!;
      out.push({ kind: 'BatchAlterTable', table, ...(schema === undefined ? {} : { schema }), ops: run, options: {} });
    } else out.push(...(run as unknown as T[]));
    run = [];
  };
  for (const op of ops) {
    if (batchable(op)) {
      if (run.length > 0 && !sameTable(run[0]!, op)) flush();
      run.push(op);
    } else {
      flush();
      out.push(op);
    }
  }
  flush();
  return out;
}
