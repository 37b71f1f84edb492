import { OperationError } from '@multidb/core';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import type { TriggerTargetClause } from './sqlite-trigger-targets.js';

const WHERE: Readonly<Record<TriggerTargetClause, (table: string, column: string) => string>> = {
  'UPDATE OF': (_t, c) => `UPDATE OF ${c}`,
  'UPDATE SET': (t, c) => `UPDATE ${t} SET ${c} = …`,
  'INSERT column list': (t, c) => `INSERT INTO ${t} (…, ${c}, …)`,
  'ON CONFLICT': (_t, c) => `ON CONFLICT (${c})`,
  'DO UPDATE SET': (_t, c) => `DO UPDATE SET ${c} = …`,
};

/**
 * A SQLite batch would drop a column that a trigger names as a target (`UPDATE OF col`,
 * `UPDATE t SET col`, `INSERT INTO t (col)`, an upsert's `ON CONFLICT (col)` or
 * `DO UPDATE SET col`). SQLite does not check those when a column goes, so the trigger would stay
 * and every statement that fires it would fail with `no such column`. Nothing has been changed:
 * the refusal comes when the op is compiled, before any statement runs.
 *
 * @example
 * ```ts
 * try { await op.dropColumn('Album', 'Note'); }
 * catch (e) { if (e instanceof TriggerColumnError) console.log(e.trigger, e.table, e.column); }
 * ```
 */
export class TriggerColumnError extends OperationError {
  /** The table whose column would be dropped. */
  readonly table: string;
  /** The column, as the table names it. */
  readonly column: string;
  /** The trigger that names the column. */
  readonly trigger: string;
  /** Where the trigger names it. */
  readonly clause: TriggerTargetClause;
  constructor(fields: { table: string; column: string; trigger: string; clause: TriggerTargetClause }) {
    const [t, c, tr] = [quoteIdentifier(fields.table), quoteIdentifier(fields.column), quoteIdentifier(fields.trigger)];
    super(
      `Cannot drop column ${c} of table ${t}: trigger ${tr} names it (${WHERE[fields.clause](t, c)}), and SQLite would keep the trigger, ` +
        `so every statement that fires it would fail with 'no such column'. Drop the trigger first (op.execute('DROP TRIGGER ${tr}')), ` +
        `then create it again without ${c}. Nothing was changed.`,
    );
    this.table = fields.table;
    this.column = fields.column;
    this.trigger = fields.trigger;
    this.clause = fields.clause;
  }
}
