import { formatColumnType, type BatchAlterTableOp, type BatchInnerOp, type IrreversibleOp, type Op } from '@multidb/core';
import { sameKindNarrowing, type DataLossOptions } from './describe-data-loss.js';
import { isNotNullWithoutDefault } from './describe-failing-op.js';

/** `schema.table`, or `table` in the default schema, as the comparison's warnings name a table. */
const tableLabel = (table: string, schema: string | undefined) => (schema === undefined ? table : `${schema}.${table}`);

/** The warnings about one op of a downgrade (or an inner op of `batch`). */
function warningsOf(op: Op | BatchInnerOp, batch: BatchAlterTableOp | undefined, options: DataLossOptions): string[] {
  if (op.kind !== 'AddColumn' && op.kind !== 'AlterColumn') return [];
  const table = tableLabel(op.table, op.schema ?? batch?.schema);
  if (op.kind === 'AddColumn') {
    return isNotNullWithoutDefault(op.column)
      ? [`Column '${table}.${op.column.name}' is added back NOT NULL without a server default by the downgrade: the downgrade fails if '${table}' has rows.`]
      : [];
  }
  const warnings: string[] = [];
  if (op.changes.nullable === false && op.existing.nullable !== false) {
    warnings.push(`Column '${table}.${op.column}' is set NOT NULL again by the downgrade: the downgrade fails if a row of '${table}' holds NULL in it.`);
  }
  const narrowed = sameKindNarrowing(op, options);
  if (narrowed !== undefined) {
    warnings.push(
      `Column '${table}.${op.column}' is changed back from ${formatColumnType(narrowed.from)} to ${formatColumnType(narrowed.to)} by the downgrade: ` +
        'values that do not fit are cut, rounded or make the downgrade fail.',
    );
  }
  return warnings;
}

/**
 * What a revision's downgrade may fail at or lose, which the person reviewing the upgrade is not
 * looking at, as warnings for the console of the command that writes the revision (`migrate
 * migrate`, `revision --autogenerate`; `check` writes none and says none of these): a dropped
 * NOT NULL column without a server default added back (fails once the table has a row), a column
 * the models made nullable set NOT NULL again (fails once a row holds NULL in it), a type the
 * models widened narrowed again within its kind where the database checks sizes
 * ({@link sameKindNarrowing}: values that do not fit are cut, rounded or refused). The rendered
 * downgrade says the same in its `// WARNING:` and `// Data loss:` comments above those ops.
 *
 * @param downgradeOps - the downgrade ops as the revision is written (after
 *   `processRevisionDirectives`), in the order they run; batches are looked into.
 * @param options - how the bind's database keeps types and whether it checks their sizes (as
 *   {@link describeDataLoss}'s).
 * @returns the warnings, in the order of the ops, each once; `[]` for none.
 * @example
 * ```ts
 * downgradeWarnings(reverseOps([
 *   { kind: 'AlterColumn', table: 'user', column: 'fax', changes: { nullable: true }, existing: { nullable: false } },
 * ]));
 * // ["Column 'user.fax' is set NOT NULL again by the downgrade: the downgrade fails if a row of 'user' holds NULL in it."]
 * ```
 */
export function downgradeWarnings(downgradeOps: readonly (Op | IrreversibleOp)[], options: DataLossOptions = {}): string[] {
  const warnings: string[] = [];
  for (const op of downgradeOps) {
    if (op.kind === 'Irreversible') continue;
    const batch = op.kind === 'BatchAlterTable' ? op : undefined;
    for (const inner of batch ? batch.ops : [op]) {
      for (const warning of warningsOf(inner, batch, options)) if (!warnings.includes(warning)) warnings.push(warning);
    }
  }
  return warnings;
}
