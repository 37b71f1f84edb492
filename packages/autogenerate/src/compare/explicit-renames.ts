import { objectKey } from './compare-context.js';
import type { RenameDecisions } from './compare-options.js';
import { compareText } from './match-objects.js';
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
 * - a table: `old` only the database has, `new` only the models have, in the same schema;
 * - a column: in a table both sides have, `old` only the database has, `new` only the models have.
 *
 * Any other accepted decision (a name neither side has, a table both sides have) is left to
 * {@link resolveRenameDecisions}, which reports it as matching no candidate.
 *
 * @param prepared - the comparison's first steps ({@link prepareComparison}).
 * @param decisions - the rename decisions (`options.renames`).
 * @returns the new candidates, tables first, each in the order of its `--rename` text; none that
 *   `prepared.candidates` already has.
 * @throws {@link RenameArgumentError} for a decision text that does not parse.
 */
export function explicitRenames(prepared: PreparedComparison, decisions: RenameDecisions | undefined): RenameCandidate[] {
  const known = new Set(prepared.candidates.map((c) => c.argument));
  const databaseOnly = new Set(prepared.databaseOnly);
  const modelOnly = new Set(prepared.modelOnly);
  const paired = new Set(prepared.paired);
  const out = new Map<string, RenameCandidate>();
  for (const decision of decisions?.accept ?? []) {
    const rename: RenameArgument = typeof decision === 'string' ? parseRenameArgument(decision) : decision;
    const argument = formatRenameArgument(rename);
    if (known.has(argument) || out.has(argument)) continue;
    if (rename.kind === 'table') {
      const valid = databaseOnly.has(objectKey(rename.table, rename.schema)) && modelOnly.has(objectKey(rename.newName, rename.schema));
      if (valid) out.set(argument, Object.freeze({ kind: 'table' as const, ...schemaOf(rename), table: rename.table, newName: rename.newName, argument }));
      continue;
    }
    const key = objectKey(rename.table, rename.schema);
    if (!paired.has(key)) continue;
    const model = prepared.models.get(key)!;
    const database = prepared.database.get(key)!;
    const where = { table: model.name, databaseTable: database.name, ...schemaOf(rename) };
    const inModel = (name: string) => model.columns.some((c) => c.name === name);
    const inDatabase = (name: string) => database.columns.some((c) => c.name === name);
    const valid =
      inDatabase(rename.column) &&
      !inModel(rename.column) &&
      inModel(rename.newName) &&
      !inDatabase(rename.newName) &&
      prepared.ctx.include.objects('column', where, undefined, rename.column) &&
      prepared.ctx.include.objects('column', where, rename.newName, undefined);
    if (valid) out.set(argument, Object.freeze({ kind: 'column' as const, ...schemaOf(rename), table: rename.table, column: rename.column, newName: rename.newName, argument }));
  }
  const order = (a: RenameCandidate, b: RenameCandidate) => (a.kind !== b.kind ? (a.kind === 'table' ? -1 : 1) : compareText(a.argument, b.argument));
  return [...out.values()].sort(order);
}

function schemaOf(rename: RenameArgument): { schema?: string } {
  return rename.schema === undefined ? {} : { schema: rename.schema };
}
