/** One INSERT's worth of rows: every row has exactly `columns` as its keys. */
export interface BulkInsertChunk {
  /** The columns of every row in this chunk, sorted. Empty: rows that insert only defaults. */
  readonly columns: readonly string[];
  /**
   * The rows of this chunk, in their original order; at most `floor(maxParameters / columns)` of
   * them.
   */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Splits the rows of a `bulkInsert` into INSERT statements (DESIGN §6).
 *
 * Rows are grouped by their sorted set of keys (a key whose value is `undefined` counts as
 * absent), because a multi-row INSERT names one column list and Kysely writes `NULL`, not the
 * column default, for a value a row lacks. Each group is then cut into chunks of at most
 * `floor(maxParameters / columns)` rows, so no statement binds more than `maxParameters` values.
 * Groups come out in the order of their first row; rows keep their order inside a group.
 *
 * @param rows - plain objects, column name to value.
 * @param maxParameters - the dialect's bound-parameter limit (SQLite 32,766).
 * @returns the chunks; an empty array for no rows.
 * @example
 * ```ts
 * bulkInsertChunks([{ a: 1 }, { a: 2, b: 3 }, { a: 4 }], 32_766);
 * // [{ columns: ['a'], rows: [{ a: 1 }, { a: 4 }] }, { columns: ['a', 'b'], rows: [{ a: 2, b: 3 }] }]
 * ```
 */
export function bulkInsertChunks(
  rows: readonly Readonly<Record<string, unknown>>[],
  maxParameters: number,
): BulkInsertChunk[] {
  const groups = new Map<string, { columns: string[]; rows: Record<string, unknown>[] }>();
  for (const row of rows) {
    const columns = Object.keys(row)
      .filter((k) => row[k] !== undefined)
      .sort();
    const key = JSON.stringify(columns);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { columns, rows: [] }));
    const clean: Record<string, unknown> = {};
    for (const c of columns) clean[c] = row[c];
    group.rows.push(clean);
  }
  const chunks: BulkInsertChunk[] = [];
  for (const group of groups.values()) {
    const size = Math.max(1, Math.floor(maxParameters / Math.max(1, group.columns.length)));
    for (let i = 0; i < group.rows.length; i += size) {
      chunks.push({ columns: group.columns, rows: group.rows.slice(i, i + size) });
    }
  }
  return chunks;
}
