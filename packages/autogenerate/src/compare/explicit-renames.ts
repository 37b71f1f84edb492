import type { TableSnapshot } from '@multidb/core';
import { objectKey } from './compare-context.js';
import type { RenameDecisions } from './compare-options.js';
import { compareText } from './match-objects.js';
import { migrationToolOf } from './migration-tool-tables.js';
import type { PreparedComparison } from './prepare-comparison.js';
import { formatRenameArgument, parseRenameArgument, type RenameArgument } from './rename-argument.js';
import type { RenameCandidate } from './rename-candidate.js';

/**
 * The accepted decisions (`--rename`) that are no candidate only because the shape changed with
 * the name: a person who says "this is a rename" has decided, as Atlas and Drizzle Kit ask
 * "created or renamed?" whatever else changed. Each is a candidate of its own, so that the table
 * or column is renamed and then changed like any other (types, nullability, columns, keys,
 * indexes), rather than dropped with its data and created again.
 *
 * A decision counts when it names, after `includeName` / `includeObject`:
 * - a table: `old` only the database has, `new` only the models have, in the same schema, `old`
 *   not another migration tool's table (`kysely_migration`: left alone, never renamed);
 * - a column: in a table both sides have (by name, or one of `renamed`: named by its old or new
 *   name), `old` only the database has, `new` only the models have. Its candidate names the table
 *   as the models do.
 *
 * Any other accepted decision (a name neither side has, a table both sides have) is left to
 * {@link resolveRenameDecisions}, which reports it as matching no candidate.
 *
 * @param prepared - the comparison's first steps ({@link prepareComparison}).
 * @param decisions - the rename decisions (`options.renames`).
 * @param kind - the decisions of tables, or of columns.
 * @param known - the candidates already found (none of them is returned).
 * @param renamed - for columns: the accepted table renames, database key → models key.
 * @returns the new candidates, in the order of their `--rename` text.
 * @throws {@link RenameArgumentError} for a decision text that does not parse.
 */
export function explicitRenames(
  prepared: PreparedComparison,
  decisions: RenameDecisions | undefined,
  kind: 'table' | 'column',
  known: readonly RenameCandidate[],
  renamed: ReadonlyMap<string, string> = new Map(),
): RenameCandidate[] {
  const knownText = new Set(known.map((c) => c.argument));
  const databaseOnly = new Set(prepared.databaseOnly);
  const modelOnly = new Set(prepared.modelOnly);
  const pairs = tablePairs(prepared, renamed);
  const out = new Map<string, RenameCandidate>();
  for (const decision of decisions?.accept ?? []) {
    const given: RenameArgument = typeof decision === 'string' ? parseRenameArgument(decision) : decision;
    if (given.kind !== kind) continue;
    if (given.kind === 'table') {
      const argument = formatRenameArgument(given);
      if (knownText.has(argument) || out.has(argument)) continue;
      const valid =
        databaseOnly.has(objectKey(given.table, given.schema)) && modelOnly.has(objectKey(given.newName, given.schema)) && migrationToolOf(given.table) === undefined;
      if (valid) out.set(argument, Object.freeze({ kind: 'table' as const, ...schemaOf(given), table: given.table, newName: given.newName, argument }));
      continue;
    }
    const pair = pairs.get(objectKey(given.table, given.schema));
    if (!pair) continue;
    const { model, database } = pair;
    const rename = { kind: 'column' as const, ...schemaOf(given), table: model.name, column: given.column, newName: given.newName };
    const argument = formatRenameArgument(rename);
    if (knownText.has(argument) || out.has(argument)) continue;
    const where = { table: model.name, databaseTable: database.name, ...schemaOf(given) };
    const inModel = (name: string) => model.columns.some((c) => c.name === name);
    const inDatabase = (name: string) => database.columns.some((c) => c.name === name);
    const valid =
      inDatabase(rename.column) &&
      !inModel(rename.column) &&
      inModel(rename.newName) &&
      !inDatabase(rename.newName) &&
      prepared.ctx.include.objects('column', where, undefined, rename.column) &&
      prepared.ctx.include.objects('column', where, rename.newName, undefined);
    if (valid) out.set(argument, Object.freeze({ ...rename, argument }));
  }
  return [...out.values()].sort((a, b) => compareText(a.argument, b.argument));
}

/** A table both sides have, by name or renamed. */
export interface PairedTables {
  readonly model: TableSnapshot;
  readonly database: TableSnapshot;
}

/**
 * The tables both sides have, by key: each paired table by its name, each renamed one by its
 * old name and by its new name (the two are never another table's: the old name is only the
 * database's, the new one only the models').
 */
export function tablePairs(prepared: PreparedComparison, renamed: ReadonlyMap<string, string>): Map<string, PairedTables> {
  const out = new Map<string, PairedTables>();
  for (const key of prepared.paired) out.set(key, { model: prepared.models.get(key)!, database: prepared.database.get(key)! });
  for (const [databaseKey, modelKey] of renamed) {
    const model = prepared.models.get(modelKey);
    const database = prepared.database.get(databaseKey);
    if (!model || !database) continue;
    out.set(databaseKey, { model, database });
    out.set(modelKey, { model, database });
  }
  return out;
}

function schemaOf(rename: RenameArgument): { schema?: string } {
  return rename.schema === undefined ? {} : { schema: rename.schema };
}
