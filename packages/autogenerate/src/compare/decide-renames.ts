import { objectKey } from './compare-context.js';
import type { RenameDecisions } from './compare-options.js';
import { explicitRenames, tablePairs } from './explicit-renames.js';
import { compareText } from './match-objects.js';
import { columnRenameCandidates, type PreparedComparison } from './prepare-comparison.js';
import { formatRenameArgument, parseRenameArgument, type RenameArgument } from './rename-argument.js';
import type { RenameCandidate } from './rename-candidate.js';
import { resolveRenameDecisions, type ResolvedRenames } from './rename-decisions.js';

/** The rename candidates of a comparison once the accepted table renames are known. */
export interface RenameCandidates {
  /** Tables first, then columns, each in the order of its `--rename` text. */
  readonly candidates: readonly RenameCandidate[];
  /** The table renames accepted: database key → models key. */
  readonly renamed: ReadonlyMap<string, string>;
  /**
   * A decision as its candidate names it: a column decision that names a renamed table by its
   * old name (`posts.title=posts.headline` for `posts=articles`) names it by its new one.
   */
  readonly alias: (rename: RenameArgument) => RenameArgument;
}

/**
 * Every rename candidate of a comparison: the tables (same shape, and, with `explicit`, the
 * accepted decisions of another shape), then the columns of each table both sides have, by name
 * or renamed by an accepted table decision (a column of a renamed table may have been renamed
 * too: its candidate names the table by its new name, and a decision may name it by either).
 *
 * @param prepared - the comparison's first steps.
 * @param decisions - the rename decisions; the accepted table renames (of any shape) say which
 *   renamed tables' columns are searched.
 * @param explicit - include the accepted decisions that are no candidate only because the shape
 *   changed too ({@link explicitRenames}): what {@link compareSchemas} honours, not what a
 *   person is asked about.
 * @throws {@link RenameArgumentError} for a decision text that does not parse.
 */
export function renameCandidates(prepared: PreparedComparison, decisions: RenameDecisions | undefined, explicit: boolean): RenameCandidates {
  const sameShapeTables = prepared.candidates.filter((c) => c.kind === 'table');
  const explicitTables = explicitRenames(prepared, decisions, 'table', sameShapeTables);
  const tables = [...sameShapeTables, ...(explicit ? explicitTables : [])].sort(byText);
  const accepted = new Set((decisions?.accept ?? []).map((d) => formatRenameArgument(typeof d === 'string' ? parseRenameArgument(d) : d)));
  const renamed = new Map<string, string>();
  for (const c of [...sameShapeTables, ...explicitTables]) {
    if (c.kind !== 'table' || !accepted.has(c.argument)) continue;
    const key = objectKey(c.table, c.schema);
    // Two accepted renames of one table are refused by resolveRenameDecisions: keep the first.
    if (!renamed.has(key)) renamed.set(key, objectKey(c.newName, c.schema));
  }
  const sameShapeColumns: RenameCandidate[] = prepared.candidates.filter((c) => c.kind === 'column');
  for (const [databaseKey, modelKey] of renamed) {
    const model = prepared.models.get(modelKey);
    const database = prepared.database.get(databaseKey);
    if (model && database) sameShapeColumns.push(...columnRenameCandidates(prepared.ctx, model, database));
  }
  const pairs = tablePairs(prepared, renamed);
  const alias = (rename: RenameArgument): RenameArgument => {
    if (rename.kind !== 'column') return rename;
    const key = objectKey(rename.table, rename.schema);
    const model = renamed.has(key) ? pairs.get(key)?.model : undefined;
    return model ? { ...rename, table: model.name } : rename;
  };
  const columns = [...sameShapeColumns, ...(explicit ? explicitRenames(prepared, decisions, 'column', sameShapeColumns, renamed) : [])].sort(byText);
  return { candidates: [...tables, ...columns], renamed, alias };
}

/**
 * Decides the renames of a comparison: {@link renameCandidates} (the explicit decisions
 * included), then {@link resolveRenameDecisions}, a decision naming a renamed table by either name.
 *
 * @throws {@link RenameDecisionRequiredError} when any candidate (a column of a renamed table
 *   included) has no decision.
 * @throws {@link RenameArgumentError} as {@link resolveRenameDecisions}.
 */
export function decideRenames(prepared: PreparedComparison, decisions: RenameDecisions | undefined, bind: string | undefined): ResolvedRenames & { readonly renamed: ReadonlyMap<string, string> } {
  const { candidates, renamed, alias } = renameCandidates(prepared, decisions, true);
  return { ...resolveRenameDecisions(candidates, decisions, bind, alias), renamed };
}

function byText(a: RenameCandidate, b: RenameCandidate): number {
  return compareText(a.argument, b.argument);
}
