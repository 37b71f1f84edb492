import { MultidbError } from '@multidb/core';

/** A foreign key whose referred columns are not a key of its parent table (see {@link ForeignKeyMismatchError}). */
export interface MismatchedForeignKey {
  /** The child table's columns. */
  readonly columns: readonly string[];
  /** The parent's columns as declared; empty: the parent's primary key (`REFERENCES parent` alone). */
  readonly referredColumns: readonly string[];
  /** Referred columns the parent does not have. */
  readonly missingColumns: readonly string[];
  /** How many columns the parent's primary key has (0: none). */
  readonly primaryKeyColumns: number;
}

/** What SQLite says when a parent key is no key: `foreign key mismatch - "child" referencing "parent"`. */
const MISMATCH = /foreign key mismatch - "((?:[^"]|"")*)" referencing "((?:[^"]|"")*)"/;

/**
 * Runs one query on the connection, in the open transaction: what {@link ForeignKeyMismatchError.of}
 * asks the `PRAGMA`s that tell which key with.
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const sqlite = new Database('.data/default.db');
 * const query: ForeignKeyCheckQuery = (sql, parameters = []) => sqlite.prepare(sql).all(...parameters) as Record<string, unknown>[];
 * ```
 */
export type ForeignKeyCheckQuery = (sql: string, parameters?: readonly unknown[]) => readonly Record<string, unknown>[] | Promise<readonly Record<string, unknown>[]>;

const list = (columns: readonly string[]) => `(${columns.join(', ')})`;

/**
 * SQLite's foreign-key check before COMMIT (DESIGN §7) failed with `foreign key mismatch`: a
 * foreign key of {@link table} refers to columns of {@link parent} that are not its primary key
 * and have no unique index (or that it does not have), as happens when a revision changes or
 * drops the key that the foreign key refers to and gives it no other. SQLite checks no row then:
 * the transaction has been rolled back. The message names the foreign key, the parent's columns,
 * and what to do; SQLite's own words follow.
 *
 * @example
 * ```ts
 * try { await connection.commit(); }
 * catch (e) { if (e instanceof ForeignKeyMismatchError) console.log(e.table, e.parent, e.foreignKeys); }
 * ```
 */
export class ForeignKeyMismatchError extends MultidbError {
  /** The child table, whose foreign key it is. */
  readonly table: string;
  /** The parent table the foreign key refers to. */
  readonly parent: string;
  /** The child's foreign keys to the parent that have no key to refer to (empty: not found, see the message). */
  readonly foreignKeys: readonly MismatchedForeignKey[];

  /**
   * @param table - the child table.
   * @param parent - the parent table.
   * @param foreignKeys - the child's foreign keys to the parent without a key to refer to.
   * @param cause - SQLite's error.
   */
  constructor(table: string, parent: string, foreignKeys: readonly MismatchedForeignKey[], cause?: unknown) {
    const what = (fk: MismatchedForeignKey) => {
      const referred = fk.referredColumns.length ? `'${parent}'${list(fk.referredColumns)}` : `the primary key of '${parent}'`;
      const why = fk.missingColumns.length
        ? `and '${parent}' has no column ${fk.missingColumns.map((c) => `'${c}'`).join(', ')}`
        : fk.referredColumns.length
          ? `which is neither the primary key of '${parent}' nor a unique key of it`
          : `which it ${fk.primaryKeyColumns === 0 ? 'does not have' : `has over ${fk.primaryKeyColumns} column${fk.primaryKeyColumns === 1 ? '' : 's'}, not ${fk.columns.length}`}`;
      return `foreign key ${list(fk.columns)} of table '${table}' refers to ${referred}, ${why}`;
    };
    const found = foreignKeys.length ? foreignKeys.map(what).join('; ') : `a foreign key of table '${table}' refers to columns of '${parent}' that are not its primary key nor a unique key of it`;
    const target = foreignKeys.length === 1 && foreignKeys[0]!.referredColumns.length && !foreignKeys[0]!.missingColumns.length ? `'${parent}'${list(foreignKeys[0]!.referredColumns)}` : `the referred columns`;
    super(
      `Foreign key check failed: ${found}. Make ${target} unique (a unique constraint or index, or the primary key), or change or drop the foreign key, ` +
        `in the same revision. The transaction was rolled back. (SQLite: foreign key mismatch - "${table}" referencing "${parent}")`,
      'FOREIGN_KEY_MISMATCH',
      { cause },
    );
    this.table = table;
    this.parent = parent;
    this.foreignKeys = foreignKeys;
  }

  /**
   * The error for a failed foreign-key check, read while its transaction is still open.
   * @param error - what the check threw.
   * @param query - runs a query in the transaction (the `PRAGMA`s that tell which key).
   * @returns a {@link ForeignKeyMismatchError}, or `undefined` when `error` is no `foreign key mismatch`.
   */
  static async of(error: unknown, query: ForeignKeyCheckQuery): Promise<ForeignKeyMismatchError | undefined> {
    const match = error instanceof Error ? MISMATCH.exec(error.message) : null;
    if (!match) return undefined;
    const table = match[1]!.replaceAll('""', '"');
    const parent = match[2]!.replaceAll('""', '"');
    let foreignKeys: MismatchedForeignKey[] = [];
    try {
      foreignKeys = await mismatched(query, table, parent);
    } catch {
      // The names are enough to act on.
    }
    return new ForeignKeyMismatchError(table, parent, foreignKeys, error);
  }
}

/** The foreign keys of `table` to `parent` whose referred columns are no key of `parent`. */
async function mismatched(query: ForeignKeyCheckQuery, table: string, parent: string): Promise<MismatchedForeignKey[]> {
  const fold = (s: string) => s.toLowerCase();
  const keys = new Map<number, { columns: string[]; referred: (string | null)[] }>();
  for (const row of await query('SELECT "id", "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY "id", "seq"', [table])) {
    if (fold(String(row.table)) !== fold(parent)) continue;
    const id = Number(row.id);
    let key = keys.get(id);
    if (!key) keys.set(id, (key = { columns: [], referred: [] }));
    key.columns.push(String(row.from));
    key.referred.push(row.to === null ? null : String(row.to));
  }
  const columns = (await query('SELECT "name", "pk" FROM pragma_table_info(?)', [parent])).map((r) => ({ name: String(r.name), pk: Number(r.pk) }));
  const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => fold(c.name));
  const uniques: string[][] = [];
  for (const index of await query('SELECT "name" FROM pragma_index_list(?) WHERE "unique" = 1 AND "partial" = 0', [parent])) {
    const names = (await query('SELECT "name" FROM pragma_index_info(?)', [String(index.name)])).map((r) => (r.name === null ? null : fold(String(r.name))));
    if (names.every((n): n is string => n !== null)) uniques.push(names);
  }
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c) => b.includes(c));
  const out: MismatchedForeignKey[] = [];
  for (const { columns: from, referred } of keys.values()) {
    const declared = referred.every((c) => c !== null) ? (referred as string[]) : [];
    const missingColumns = declared.filter((c) => !columns.some((x) => fold(x.name) === fold(c)));
    const target = declared.length ? declared.map(fold) : primaryKey;
    const isKey = target.length === from.length && (sameSet(target, primaryKey) || uniques.some((u) => sameSet(u, target)));
    if (!isKey || missingColumns.length) out.push({ columns: from, referredColumns: declared, missingColumns, primaryKeyColumns: primaryKey.length });
  }
  return out;
}
