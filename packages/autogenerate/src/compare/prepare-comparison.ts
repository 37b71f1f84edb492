import type { DatabaseSnapshot, TableSnapshot } from '@multidb/core';
import { CompareContext, objectKey } from './compare-context.js';
import type { CompareOptions } from './compare-options.js';
import { compareText } from './match-objects.js';
import { migrationToolOf } from './migration-tool-tables.js';
import { normalizeTable, type NormalizedTable } from './normalized-table.js';
import { formatRenameArgument, type RenameArgument } from './rename-argument.js';
import type { RenameCandidate } from './rename-candidate.js';

/** The tables of both sides after `includeName` / `includeObject`, paired by name, and the rename candidates. */
export interface PreparedComparison {
  readonly ctx: CompareContext;
  /** Included model tables by key. */
  readonly models: ReadonlyMap<string, TableSnapshot>;
  /** Included database tables by key. */
  readonly database: ReadonlyMap<string, TableSnapshot>;
  /** Keys both sides have, sorted. */
  readonly paired: readonly string[];
  /** Keys only the models have, sorted. */
  readonly modelOnly: readonly string[];
  /** Keys only the database has, sorted. */
  readonly databaseOnly: readonly string[];
  /** Tables first, then columns, each in name order. */
  readonly candidates: readonly RenameCandidate[];
}

function candidate(rename: RenameArgument): RenameCandidate {
  return Object.freeze({ ...rename, argument: formatRenameArgument(rename) });
}

/**
 * The first steps of a comparison, shared by {@link compareSchemas} and
 * {@link findRenameCandidates}: `includeName` on every table name of both sides, `includeObject`
 * on every table, pairing by schema and name, and the rename candidates:
 * - a table only the database has and one only the models have, in the same schema, with the
 *   same columns (names and canonical types); another migration tool's table (`kysely_migration`,
 *   see {@link migrationToolOf}) is none: it is left alone;
 * - in a table both sides have, a column only the database has and one only the models have
 *   (both included) with the same canonical type, nullability and canonical default.
 */
export function prepareComparison(models: DatabaseSnapshot, database: DatabaseSnapshot, options: CompareOptions): PreparedComparison {
  const ctx = new CompareContext(options);
  const byKey = (tables: readonly TableSnapshot[]) => {
    const map = new Map<string, TableSnapshot>();
    for (const t of tables) if (ctx.include.name(t.name, 'table', t.schema)) map.set(objectKey(t.name, t.schema), t);
    return map;
  };
  const m = byKey(models.tables);
  const d = byKey(database.tables);
  const where = (t: TableSnapshot) => (t.schema === undefined ? {} : { schema: t.schema });
  const paired: string[] = [];
  const modelOnly: string[] = [];
  const databaseOnly: string[] = [];
  for (const [key, t] of m) {
    const other = d.get(key);
    if (other) {
      if (ctx.include.objects('table', where(t), t.name, other.name)) paired.push(key);
    } else if (ctx.include.objects('table', where(t), t.name, undefined)) modelOnly.push(key);
  }
  for (const [key, t] of d) if (!m.has(key) && ctx.include.objects('table', where(t), undefined, t.name)) databaseOnly.push(key);
  for (const list of [paired, modelOnly, databaseOnly]) list.sort(compareText);
  const included = (map: Map<string, TableSnapshot>, keys: readonly string[]) => new Map(keys.map((k) => [k, map.get(k)!] as const));

  const candidates: RenameCandidate[] = [];
  // Tables: same schema and the same columns (names and canonical types).
  const shape = (t: TableSnapshot) =>
    `${t.schema ?? ''}\u0000${t.columns
      .map((c) => `${c.name}\u0001${ctx.typeKey(c.type, c, t)}`)
      .sort(compareText)
      .join('\u0000')}`;
  const added = new Map<string, TableSnapshot[]>();
  for (const key of databaseOnly.length ? modelOnly : []) {
    const t = m.get(key)!;
    const s = shape(t);
    let list = added.get(s);
    if (!list) added.set(s, (list = []));
    list.push(t);
  }
  for (const key of databaseOnly) {
    const old = d.get(key)!;
    // Another migration tool's bookkeeping table is left alone, never renamed (see compareSchemas).
    if (migrationToolOf(old.name) !== undefined) continue;
    for (const t of added.get(shape(old)) ?? []) {
      candidates.push(candidate({ kind: 'table', ...where(old), table: old.name, newName: t.name }));
    }
  }
  // Columns of tables both sides have: same canonical type, nullability and default.
  const columnCandidates = paired.flatMap((key) => columnRenameCandidates(ctx, m.get(key)!, d.get(key)!));
  const order = (a: RenameCandidate, b: RenameCandidate) => compareText(a.argument, b.argument);
  return {
    ctx,
    models: included(m, [...paired, ...modelOnly]),
    database: included(d, [...paired, ...databaseOnly]),
    paired,
    modelOnly,
    databaseOnly,
    candidates: [...candidates.sort(order), ...columnCandidates.sort(order)],
  };
}

/**
 * The column rename candidates of one table both sides have (by name, or renamed: `database` is
 * the table as the database names it): a column only the database has and one only the models
 * have (both included) with the same canonical type, nullability and canonical default. Each
 * names the table as the models do (a renamed table by its new name).
 */
export function columnRenameCandidates(ctx: CompareContext, rawModel: TableSnapshot, rawDb: TableSnapshot): RenameCandidate[] {
  const dbNames = new Set(rawDb.columns.map((c) => c.name));
  if (rawModel.columns.every((c) => dbNames.has(c.name))) return [];
  const model = normalizeTable(rawModel);
  const db = normalizeTable(rawDb);
  const schema = model.schema === undefined ? {} : { schema: model.schema };
  const w = { table: model.name, databaseTable: db.name, ...schema };
  const newColumns = model.columns.filter((c) => !db.columnsByName.has(c.name) && ctx.include.objects('column', w, c.name, undefined));
  if (!newColumns.length) return [];
  const oldColumns = db.columns.filter((c) => !model.columnsByName.has(c.name) && ctx.include.objects('column', w, undefined, c.name));
  const out: RenameCandidate[] = [];
  for (const old of oldColumns) {
    for (const c of newColumns) {
      if (sameColumnShape(ctx, model, db, c.name, old.name)) out.push(candidate({ kind: 'column', ...schema, table: model.name, column: old.name, newName: c.name }));
    }
  }
  return out;
}

function sameColumnShape(ctx: CompareContext, model: NormalizedTable, database: NormalizedTable, newName: string, oldName: string): boolean {
  const c = model.columnsByName.get(newName)!;
  const old = database.columnsByName.get(oldName)!;
  return ctx.typeKey(c.type, c, model.table) === ctx.typeKey(old.type, old, database.table) && c.nullable === old.nullable && ctx.defaultKey(c.default, c) === ctx.defaultKey(old.default, old);
}
