import {
  DEFAULT_NAMING_CONVENTION,
  formatColumnType,
  OperationError,
  type ColumnSnapshot,
  type NamingConvention,
  type Statement,
  type TableSnapshot,
} from '@multidb/core';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';
import type { BatchResult } from './sqlite-batch-table.js';
import { compileSqliteCreateIndex, compileSqliteCreateTable, qualifiedName, sqliteDescendingKeyColumn } from './sqlite-create-table.js';
import { qualifyCreateStatement, renameSqliteIndexStatement, sqlMentions } from './sqlite-sql-references.js';
import { sqliteTriggerTargets } from './sqlite-trigger-targets.js';
import { renderSqliteType, sqliteAffinity } from './sqlite-type-map.js';
import { TriggerColumnError } from './trigger-column-error.js';

/**
 * The name of the table a rebuild of `table` creates and copies into before the swap. It shows
 * in SQLite's messages about the copy (`NOT NULL constraint failed: _multidb_tmp_Album.Price`).
 * @example
 * ```ts
 * sqliteRebuildTempName('Album'); // '_multidb_tmp_Album'
 * ```
 */
export function sqliteRebuildTempName(table: string): string {
  return `_multidb_tmp_${table}`;
}

/**
 * Compiles the move-and-copy rebuild of a SQLite table (DESIGN §7, SQLite's "12-step" ALTER):
 *
 * 1. `CREATE TABLE "_multidb_tmp_T" (…)`: the new shape, under working names (STRICT, WITHOUT
 *    ROWID, COLLATE, AUTOINCREMENT and generated columns kept; constraints named);
 * 2. `INSERT INTO "_multidb_tmp_T" (…) SELECT … FROM "T"`: every row; generated columns left
 *    out; added columns take their defaults; `CAST(… AS type)` where a column's type changed to
 *    another affinity (or another STRICT type); the rowid too when the new table is a rowid
 *    table without an `INTEGER PRIMARY KEY` column, so rowids survive;
 * 3. with AUTOINCREMENT: the old `sqlite_sequence` row is carried over to the new table;
 * 4. `DROP TRIGGER` / `DROP VIEW` for the dependents (`TableSnapshot.dependents`), last first;
 * 5. `DROP TABLE "T"` and `ALTER TABLE "_multidb_tmp_T" RENAME TO "T"`;
 * 6. indexes: kept ones from their stored CREATE INDEX (directions and collations intact; a
 *    renamed one under its new name), new ones compiled;
 * 7. the dependent views and triggers, from their stored SQL, in creation order;
 * 8. `ALTER TABLE "T" RENAME COLUMN …` for renamed columns: SQLite rewrites views, triggers,
 *    indexes and other tables' foreign keys that name them. When nothing is renamed but a
 *    dropped column is named by a dependent, `RENAME COLUMN "x" TO "x"` makes SQLite check
 *    every view and trigger now (they are not checked when created), so a broken one fails the
 *    rebuild instead of a later query.
 *
 * The statements must run in one transaction with foreign keys off (SQLite ignores
 * `PRAGMA foreign_keys` inside a transaction, and dropping a parent with them on would cascade):
 * the SQLite connection's `begin()`/`commit()` do this, and `commit()` runs `PRAGMA
 * foreign_key_check`. The dialect's `requiresTransaction` tells core's runner so.
 *
 * Before anything, the triggers among the dependents are checked ({@link checkTriggerTargets}):
 * SQLite checks a trigger's expressions when a column goes (the `RENAME COLUMN` of step 8), but
 * not the columns it writes.
 *
 * @param batch - the table before and after the batch (`SqliteBatchTable.result`).
 * @param convention - names column-level keys of the rebuilt table after the table's real name
 *   (the naming rule of {@link compileSqliteCreateTable}); default {@link DEFAULT_NAMING_CONVENTION}.
 * @returns the statements, in order.
 * @throws {@link OperationError} when no column of the old table is kept and rows could not be
 *   copied; {@link TriggerColumnError} when a trigger names a dropped column as a target.
 * @example
 * ```ts
 * import { SqliteBatchTable } from './sqlite-batch-table.js';
 * const rebuilt = new SqliteBatchTable(snapshot, convention);
 * rebuilt.apply({ kind: 'DropColumn', table: 'T', column: 'c' });
 * compileSqliteRebuild(rebuilt.result()).map((s) => s.sql);
 * // ['CREATE TABLE "_multidb_tmp_T" (…)', 'INSERT INTO "_multidb_tmp_T" ("id", "b") SELECT "id", "b" FROM "T"',
 * //  'DROP TABLE "T"', 'ALTER TABLE "_multidb_tmp_T" RENAME TO "T"', 'CREATE INDEX "ix_T_b" ON "T" ("b")']
 * ```
 */
export function compileSqliteRebuild(batch: BatchResult, convention: NamingConvention = DEFAULT_NAMING_CONVENTION): Statement[] {
  checkTriggerTargets(batch);
  const { before, after } = batch;
  const schema = before.schema;
  const tempName = sqliteRebuildTempName(before.name);
  const table = qualifiedName(before.name, schema);
  const temp = qualifiedName(tempName, schema);
  const sql: string[] = [];

  sql.push(compileSqliteCreateTable({ kind: 'CreateTable', table: { ...after, name: tempName, indexes: [] } }, convention, before.name)[0]!.sql);

  const targets: string[] = [];
  const sources: string[] = [];
  if (keepsRowid(before, after)) {
    targets.push('rowid');
    sources.push('rowid');
  }
  for (const c of batch.columns) {
    if (c.origin === undefined || c.column.generated) continue;
    const old = before.columns.find((o) => o.name === c.origin)!;
    if (old.generated) continue;
    targets.push(quoteIdentifier(c.column.name));
    sources.push(copyExpression(old, c.column, before.strict ?? false, after.strict ?? false));
  }
  if (targets.length === 0) {
    throw new OperationError(`The rebuilt ${JSON.stringify(before.name)} keeps no column of the old table, so its rows cannot be copied.`);
  }
  sql.push(`INSERT INTO ${temp} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${table}`);

  if (after.columns.some((c) => c.autoincrement)) {
    const sequence = schema === undefined ? 'sqlite_sequence' : `${quoteIdentifier(schema)}.sqlite_sequence`;
    const lit = (s: string) => renderLiteral(s, SQLITE_LITERAL_STYLE);
    sql.push(`DELETE FROM ${sequence} WHERE name = ${lit(tempName)}`);
    sql.push(`INSERT INTO ${sequence} (name, seq) SELECT ${lit(tempName)}, seq FROM ${sequence} WHERE name = ${lit(before.name)}`);
  }

  const dependents = (before.dependents ?? []).filter((d) => d.type !== 'index');
  for (const d of [...dependents].filter((x) => x.type === 'trigger').reverse()) sql.push(`DROP TRIGGER ${qualifiedName(d.name, schema)}`);
  for (const d of [...dependents].filter((x) => x.type === 'view').reverse()) sql.push(`DROP VIEW ${qualifiedName(d.name, schema)}`);

  sql.push(`DROP TABLE ${table}`);
  sql.push(`ALTER TABLE ${temp} RENAME TO ${quoteIdentifier(before.name)}`);

  for (const ix of after.indexes) {
    // An index the table had (renamed or not) is recreated from its stored text, under its new name.
    const origin = batch.indexOrigins.get(ix);
    const stored = origin === undefined ? undefined : before.dependents?.find((d) => d.type === 'index' && d.name.toLowerCase() === origin.toLowerCase());
    const text = stored && (origin === ix.name ? stored.sql : renameSqliteIndexStatement(stored.sql, ix.name));
    sql.push(text !== undefined ? qualifyCreateStatement(text, schema) : compileSqliteCreateIndex(before.name, schema, ix, false).sql);
  }
  for (const d of dependents) sql.push(qualifyCreateStatement(d.sql, schema));

  for (const [from, to] of batch.renames) sql.push(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}`);
  const first = after.columns[0]?.name;
  if (batch.renames.length === 0 && first !== undefined && dependents.some((d) => sqlMentions(d.sql, batch.dropped))) {
    sql.push(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(first)} TO ${quoteIdentifier(first)}`);
  }
  return sql.map((text) => ({ sql: text, parameters: [] }));
}

/**
 * Refuses a batch that drops a column a trigger names as a target (`UPDATE OF`, `UPDATE … SET`,
 * an INSERT's column list, an upsert's `ON CONFLICT` and `DO UPDATE SET`; see
 * {@link sqliteTriggerTargets}) while no column of the rebuilt table takes its name: SQLite would
 * keep the trigger, and every statement that fires it would fail with `no such column`. Renamed
 * columns need no check: SQLite's `RENAME COLUMN` rewrites those places in every trigger.
 *
 * @param batch - the table before and after the batch; its `before.dependents` hold the triggers.
 * @throws {@link TriggerColumnError} naming the table, the column and the trigger.
 * @example
 * ```ts
 * import { SqliteBatchTable } from './sqlite-batch-table.js';
 * const rebuilt = new SqliteBatchTable(snapshot, convention);
 * rebuilt.apply({ kind: 'DropColumn', table: 'T', column: 'dropped' });
 * checkTriggerTargets(rebuilt.result()); // throws when a trigger does UPDATE "T" SET "dropped" = …
 * ```
 */
export function checkTriggerTargets(batch: BatchResult): void {
  if (batch.dropped.length === 0) return;
  const kept = new Set(batch.columns.map((c) => c.name.toLowerCase()));
  const gone = batch.dropped.filter((d) => !kept.has(d.toLowerCase()));
  for (const trigger of (batch.before.dependents ?? []).filter((d) => d.type === 'trigger')) {
    for (const target of sqliteTriggerTargets(trigger.sql, batch.before.name)) {
      const column = gone.find((d) => d.toLowerCase() === target.column.toLowerCase());
      if (column !== undefined) throw new TriggerColumnError({ table: batch.before.name, column, trigger: trigger.name, clause: target.clause });
    }
  }
}

/** A new rowid table without an `INTEGER PRIMARY KEY` column keeps the old rowids: copy them. */
function keepsRowid(before: TableSnapshot, after: TableSnapshot): boolean {
  if (before.withoutRowid || after.withoutRowid || rowidAlias(after)) return false;
  const shadowed = (t: TableSnapshot) => t.columns.some((c) => ['rowid', 'oid', '_rowid_'].includes(c.name.toLowerCase()));
  return !shadowed(before) && !shadowed(after);
}

/** The `INTEGER PRIMARY KEY` column that is the rowid, if any (not a DESC one written on its column). */
function rowidAlias(t: TableSnapshot): boolean {
  const key = t.primaryKey?.columns ?? t.columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (key.length !== 1 || sqliteDescendingKeyColumn(t) !== undefined) return false;
  const column = t.columns.find((c) => c.name.toLowerCase() === key[0]!.toLowerCase());
  return column !== undefined && renderSqliteType(column.type, { strict: t.strict ?? false }).toUpperCase() === 'INTEGER';
}

/**
 * The SELECT term copying a column: the old column, in a CAST when its type changed so that
 * values convert (to another affinity; in a STRICT table, to another of its types). A change
 * within one affinity (`varchar(10)` → `varchar(20)`) needs none: the values already conform.
 */
function copyExpression(old: ColumnSnapshot, now: ColumnSnapshot, oldStrict: boolean, strict: boolean): string {
  const source = quoteIdentifier(old.name);
  if (formatColumnType(old.type) === formatColumnType(now.type)) return source;
  const from = renderSqliteType(old.type, { strict: oldStrict });
  const to = renderSqliteType(now.type, { strict });
  if (strict ? to === 'ANY' || to === from : to === '' || sqliteAffinity(to) === sqliteAffinity(from)) return source;
  return `CAST(${source} AS ${to})`;
}
