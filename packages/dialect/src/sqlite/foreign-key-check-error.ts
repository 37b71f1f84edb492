import { MultidbError } from '@multidb/core';

/** One row of `PRAGMA foreign_key_check`: a child row whose parent row is missing. */
export interface ForeignKeyViolation {
  /** The child table. */
  readonly table: string;
  /** The child row's rowid (`null` for a WITHOUT ROWID table). */
  readonly rowid: number | bigint | null;
  /** The parent table the row refers to. */
  readonly parent: string;
  /** Index of the foreign key in `PRAGMA foreign_key_list(table)`. */
  readonly fkid: number;
}

/**
 * A SQLite transaction left rows that break foreign keys (`PRAGMA foreign_key_check` before
 * COMMIT, DESIGN §7). The transaction has been rolled back.
 *
 * @example
 * ```ts
 * try { await connection.commit(); }
 * catch (e) { if (e instanceof ForeignKeyCheckError) console.log(e.violations); }
 * ```
 */
export class ForeignKeyCheckError extends MultidbError {
  /** Every row `PRAGMA foreign_key_check` reported (the message shows the first 10). */
  readonly violations: readonly ForeignKeyViolation[];
  constructor(violations: readonly ForeignKeyViolation[]) {
    const shown = violations.slice(0, 10).map((v) => `${v.table} rowid ${v.rowid ?? '?'} -> ${v.parent}`);
    super(
      `Foreign key check failed: ${violations.length} row${violations.length === 1 ? '' : 's'} refer${violations.length === 1 ? 's' : ''} to missing parent rows ` +
        `(${shown.join('; ')}${violations.length > shown.length ? `; and ${violations.length - shown.length} more` : ''}). The transaction was rolled back.`,
      'FOREIGN_KEY_CHECK',
    );
    this.violations = violations;
  }
}
