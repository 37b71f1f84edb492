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
 * COMMIT, DESIGN §7). The transaction has been rolled back. Only rows the transaction added are
 * blamed: rows that broke a foreign key before it (SQLite lets them in while foreign keys are off)
 * are counted in {@link preexisting} and left as they are (see `ForeignKeyBaseline`).
 *
 * @example
 * ```ts
 * try { await connection.commit(); }
 * catch (e) { if (e instanceof ForeignKeyCheckError) console.log(e.violations, e.preexisting); }
 * ```
 */
export class ForeignKeyCheckError extends MultidbError {
  /** The rows the transaction added that break foreign keys (the message shows the first 10). */
  readonly violations: readonly ForeignKeyViolation[];
  /** How many other rows broke foreign keys already before the transaction (not its doing; 0 for none). */
  readonly preexisting: number;
  /**
   * @param violations - the rows the transaction is blamed for.
   * @param preexisting - how many rows broke foreign keys before it.
   */
  constructor(violations: readonly ForeignKeyViolation[], preexisting = 0) {
    const shown = violations.slice(0, 10).map((v) => `${v.table} rowid ${v.rowid ?? '?'} -> ${v.parent}`);
    const before =
      preexisting > 0
        ? ` ${preexisting} other row${preexisting === 1 ? '' : 's'} already broke foreign keys before it and ${preexisting === 1 ? 'was' : 'were'} left as ${preexisting === 1 ? 'it was' : 'they were'}.`
        : '';
    super(
      `Foreign key check failed: ${violations.length} row${violations.length === 1 ? '' : 's'} refer${violations.length === 1 ? 's' : ''} to missing parent rows ` +
        `(${shown.join('; ')}${violations.length > shown.length ? `; and ${violations.length - shown.length} more` : ''}). The transaction was rolled back.${before}`,
      'FOREIGN_KEY_CHECK',
    );
    this.violations = violations;
    this.preexisting = preexisting;
  }
}
