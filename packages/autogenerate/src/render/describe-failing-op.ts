import type { BatchInnerOp, ColumnSnapshot, Op } from '@multidb/core';
import { printString } from './code-printer.js';

/**
 * Whether adding this column to a table with rows fails: it is NOT NULL and gives the rows no
 * value (no server default, or a NULL one; not autoincrement, not generated).
 */
export function isNotNullWithoutDefault(column: Omit<ColumnSnapshot, 'name'>): boolean {
  if (column.nullable || column.autoincrement || column.generated) return false;
  const d = column.default;
  return d === undefined || d === null || (typeof d === 'object' && /^null$/i.test(d.sql.trim()));
}

/**
 * Why an op fails on a table with rows, as a sentence for a `// WARNING: …` comment above it in a
 * rendered revision; `undefined` when it does not. In an upgrade (what the models ask for) as in a
 * downgrade (the reverse of it):
 * - an `addColumn` of a NOT NULL column without a server default ({@link isNotNullWithoutDefault})
 *   fails as soon as the table has a row (a column the models add, a dropped one added back);
 * - an `alterColumn` that makes a column NOT NULL fails once a row holds NULL in it (PostgreSQL and
 *   MySQL refuse it; SQLite's batch copy breaks the constraint), e.g. the downgrade of a column the
 *   models made nullable.
 *
 * @param op - an op, or an inner op of a batch.
 * @returns the sentence, with what to do instead, without a final period.
 * @example
 * ```ts
 * describeFailingOp({ kind: 'AlterColumn', table: 'user', column: 'email', changes: { nullable: false }, existing: { nullable: true } });
 * // "sets column 'user'.'email' NOT NULL: this fails if a row of 'user' holds NULL in it. Fill those rows first (an UPDATE with op.execute), or leave the column nullable"
 * ```
 */
export function describeFailingOp(op: Op | BatchInnerOp): string | undefined {
  if (op.kind === 'AddColumn' && isNotNullWithoutDefault(op.column)) {
    const table = printString(op.table);
    return (
      `adds column ${table}.${printString(op.column.name)} NOT NULL without a server default: this fails if ${table} has rows. ` +
      'Give it a server default here, or add it nullable, fill it, then make it NOT NULL (op.alterColumn)'
    );
  }
  if (op.kind === 'AlterColumn' && op.changes.nullable === false && op.existing.nullable !== false) {
    const table = printString(op.table);
    return (
      `sets column ${table}.${printString(op.column)} NOT NULL: this fails if a row of ${table} holds NULL in it. ` +
      'Fill those rows first (an UPDATE with op.execute), or leave the column nullable'
    );
  }
  return undefined;
}
