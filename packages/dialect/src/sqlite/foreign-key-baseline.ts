import type { ForeignKeyViolation } from './foreign-key-check-error.js';
import { foldName } from './sqlite-schema-definitions.js';

/** How many violating rows a baseline remembers one by one; past it, only the counts per foreign key. */
const MAX_REMEMBERED_ROWS = 10_000;

/** A foreign key of a child table, as `PRAGMA foreign_key_check` names it. */
const keyOf = (v: ForeignKeyViolation): string => `${v.table}\u0000${v.parent}\u0000${v.fkid}`;
/** One child row of a foreign key. */
const rowOf = (v: ForeignKeyViolation): string => `${keyOf(v)}\u0000${String(v.rowid)}`;
/** The child table of a key or row ({@link keyOf}, {@link rowOf}), folded as SQLite compares names. */
const tableOf = (keyOrRow: string): string => foldName(keyOrRow.slice(0, keyOrRow.indexOf('\u0000')));

/**
 * The rows that broke foreign keys before a SQLite transaction (what `PRAGMA foreign_key_check`
 * reported then), so that the check before COMMIT blames the transaction only for what it added.
 *
 * SQLite lets rows break foreign keys whenever they are off (SQLite's default, and the sqlite3
 * shell's, Python's and SQLAlchemy's): a database an app wrote for years may hold orphans that no
 * revision made. Checking every row then failed every revision, even one creating an unrelated
 * table, and left the user no way to migrate without cleaning the data first. Now a transaction
 * fails only when a foreign key has more violating rows after it than before it; the rows it names
 * are those of such keys that were not there before (all of that key's rows when the baseline
 * holds too many to remember one by one, or when a rebuild renumbered them).
 *
 * @example
 * ```ts
 * const before = ForeignKeyBaseline.of([{ table: 'Child', rowid: 2, parent: 'Parent', fkid: 0 }]);
 * before.added([{ table: 'Child', rowid: 2, parent: 'Parent', fkid: 0 }]); // []: it was there
 * before.added([
 *   { table: 'Child', rowid: 2, parent: 'Parent', fkid: 0 },
 *   { table: 'Child', rowid: 7, parent: 'Parent', fkid: 0 },
 * ]); // [{ table: 'Child', rowid: 7, parent: 'Parent', fkid: 0 }]
 * ```
 */
export class ForeignKeyBaseline {
  /** A database without violating rows. */
  static readonly EMPTY = new ForeignKeyBaseline(new Map(), new Set());

  readonly #counts: ReadonlyMap<string, number>;
  readonly #rows: ReadonlySet<string> | undefined;

  private constructor(counts: ReadonlyMap<string, number>, rows: ReadonlySet<string> | undefined) {
    this.#counts = counts;
    this.#rows = rows;
  }

  /**
   * The baseline of what a check reported.
   * @param violations - every row `PRAGMA foreign_key_check` reported.
   * @returns the baseline ({@link EMPTY} for no row).
   */
  static of(violations: readonly ForeignKeyViolation[]): ForeignKeyBaseline {
    if (violations.length === 0) return ForeignKeyBaseline.EMPTY;
    const counts = new Map<string, number>();
    for (const v of violations) counts.set(keyOf(v), (counts.get(keyOf(v)) ?? 0) + 1);
    return new ForeignKeyBaseline(counts, violations.length <= MAX_REMEMBERED_ROWS ? new Set(violations.map(rowOf)) : undefined);
  }

  /** How many rows broke foreign keys. */
  get size(): number {
    return this.sizeOutside(new Set());
  }

  /**
   * How many rows of the other child tables broke foreign keys.
   * @param tables - child tables left out, folded (`foldName`: ASCII letters in lower case).
   * @returns the count.
   */
  sizeOutside(tables: ReadonlySet<string>): number {
    let n = 0;
    for (const [key, count] of this.#counts) if (!tables.has(tableOf(key))) n += count;
    return n;
  }

  /**
   * The baseline after a check of some child tables only (`pragma_foreign_key_check(table)`):
   * what it knew of the other tables, and what the check reported of these.
   * @param tables - the tables checked, and those that no longer exist, folded (`foldName`).
   * @param violations - every row the check reported (of `tables` only).
   * @returns the new baseline (this one when neither it nor the check holds a row).
   */
  replacing(tables: ReadonlySet<string>, violations: readonly ForeignKeyViolation[]): ForeignKeyBaseline {
    if (this.#counts.size === 0) return ForeignKeyBaseline.of(violations);
    const counts = new Map([...this.#counts].filter(([key]) => !tables.has(tableOf(key))));
    for (const v of violations) counts.set(keyOf(v), (counts.get(keyOf(v)) ?? 0) + 1);
    const kept = this.#rows === undefined ? undefined : [...this.#rows].filter((row) => !tables.has(tableOf(row)));
    const rows = kept === undefined || kept.length + violations.length > MAX_REMEMBERED_ROWS ? undefined : new Set([...kept, ...violations.map(rowOf)]);
    return counts.size === 0 ? ForeignKeyBaseline.EMPTY : new ForeignKeyBaseline(counts, rows);
  }

  /**
   * The rows a transaction is to blame for.
   * @param violations - every row the check reports now.
   * @returns the rows of each foreign key with more violating rows than the baseline's, without
   *   those the baseline held (all of that key's rows when none can be told apart); empty when no
   *   foreign key has more.
   */
  added(violations: readonly ForeignKeyViolation[]): ForeignKeyViolation[] {
    if (violations.length === 0) return [];
    const now = new Map<string, ForeignKeyViolation[]>();
    for (const v of violations) {
      const rows = now.get(keyOf(v));
      if (rows === undefined) now.set(keyOf(v), [v]);
      else rows.push(v);
    }
    const blamed: ForeignKeyViolation[] = [];
    for (const [key, rows] of now) {
      if (rows.length <= (this.#counts.get(key) ?? 0)) continue;
      const remembered = this.#rows;
      const fresh = remembered === undefined ? [] : rows.filter((v) => !remembered.has(rowOf(v)));
      blamed.push(...(fresh.length > 0 ? fresh : rows));
    }
    return blamed;
  }
}
