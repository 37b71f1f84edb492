import type { BatchInnerOp, ColumnSnapshot, Op } from "@multidb/core";
import { printString } from "./code-printer.js";

/**
 * Whether adding this column to a table with rows fails: it is NOT NULL and gives the rows no
 * value (no server default, or a NULL one; not autoincrement, not generated).
 */
export function isNotNullWithoutDefault(
  column: Omit<ColumnSnapshot, "name">,
): boolean {
  if (column.nullable || column.autoincrement || column.generated) return false;
  const d = column.default;
  return (
    d === undefined ||
    d === null ||
    (typeof d === "object" && /^null$/i.test(d.sql.trim()))
  );
}

/**
 * Why an op fails on a table with rows, as a sentence for a `// WARNING: …` comment above it in a
 * rendered revision; `undefined` when it does not. An `addColumn` of a NOT NULL column without a
 * server default ({@link isNotNullWithoutDefault}) fails as soon as the table has a row, in an
 * upgrade (a column the models add) as in a downgrade (a dropped column added back as it was).
 *
 * @param op - an op, or an inner op of a batch.
 * @returns the sentence, with what to do instead, without a final period.
 */
export function describeFailingAdd(op: Op | BatchInnerOp): string | undefined {
  if (op.kind !== "AddColumn" || !isNotNullWithoutDefault(op.column))
    return undefined;
  const table = printString(op.table);
  return (
    `adds column ${table}.${printString(op.column.name)} NOT NULL without a server default: this fails if ${table} has rows. ` +
    "Give it a server default here, or add it nullable, fill it, then make it NOT NULL (op.alterColumn)"
  );
}
