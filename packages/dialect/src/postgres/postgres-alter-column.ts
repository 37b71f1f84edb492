import type { AlterColumnOp, Statement } from '@multidb/core';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { postgresColumnComment, postgresDefault, postgresQualifiedName } from './postgres-column-definition.js';
import { renderPostgresType } from './postgres-type-map.js';

/**
 * Compiles `AlterColumn` to one statement per change, in this order:
 *
 * 1. type: `ALTER TABLE … ALTER COLUMN "c" TYPE t USING "c"::t` (when the default changes too,
 *    `DROP DEFAULT` comes first, so an old default that does not cast to the new type is not in
 *    the way);
 * 2. nullability: `SET NOT NULL` / `DROP NOT NULL`;
 * 3. default: `SET DEFAULT …` / `DROP DEFAULT` (`default: null`);
 * 4. comment: `COMMENT ON COLUMN … IS …` (`comment: null` removes it);
 * 5. name: `RENAME COLUMN "c" TO "n"` (last, so every earlier statement names the old column).
 *
 * The `existing` fields are not needed on PostgreSQL.
 *
 * @param op - the op.
 * @returns the statements (at least one: `alterColumn` refuses an op that changes nothing).
 * @throws {@link OperationError} for an empty `{ sql }` default or a value with no literal.
 * @example
 * ```ts
 * compilePostgresAlterColumn({ kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { type: parseColumnType('numeric(12,2)'), nullable: false }, existing: {} });
 * // ['ALTER TABLE "Invoice" ALTER COLUMN "Total" TYPE numeric(12,2) USING "Total"::numeric(12,2)',
 * //  'ALTER TABLE "Invoice" ALTER COLUMN "Total" SET NOT NULL'] (as statements)
 * ```
 */
export function compilePostgresAlterColumn(op: AlterColumnOp): Statement[] {
  const table = postgresQualifiedName(op.table, op.schema);
  const column = quoteIdentifier(op.column);
  const alter = (action: string) => `ALTER TABLE ${table} ALTER COLUMN ${column} ${action}`;
  const c = op.changes;
  const out: string[] = [];
  let defaultDropped = false;
  if (c.type !== undefined) {
    if (c.default !== undefined) {
      out.push(alter('DROP DEFAULT'));
      defaultDropped = true;
    }
    const type = renderPostgresType(c.type);
    out.push(alter(`TYPE ${type} USING ${column}::${type}`));
  }
  if (c.nullable !== undefined) out.push(alter(c.nullable ? 'DROP NOT NULL' : 'SET NOT NULL'));
  if (c.default !== undefined) {
    if (c.default !== null) out.push(alter(`SET DEFAULT ${postgresDefault(c.default)}`));
    else if (!defaultDropped) out.push(alter('DROP DEFAULT'));
  }
  if (c.comment !== undefined) out.push(postgresColumnComment(op.table, op.schema, op.column, c.comment));
  if (c.newName !== undefined) out.push(`ALTER TABLE ${table} RENAME COLUMN ${column} TO ${quoteIdentifier(c.newName)}`);
  return out.map((sql) => ({ sql, parameters: [] }));
}
