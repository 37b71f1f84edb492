import type { DatabaseSnapshot } from '@multidb/core';
import type { CompareOptions } from './compare-options.js';
import { renameCandidates } from './decide-renames.js';
import { prepareComparison } from './prepare-comparison.js';
import type { RenameCandidate } from './rename-candidate.js';

/**
 * Finds the tables and columns that may have been renamed: what the database has and the models
 * do not, paired with what the models have and the database does not, of the same shape. A
 * command asks about each (or takes `--rename` / `--no-rename` answers) and passes the decisions
 * to {@link compareSchemas} as `options.renames`; autogenerate never drops a table or column that
 * has a rename candidate without a decision. A `--rename` a person gives for a pair of another
 * shape is no candidate, yet {@link compareSchemas} honours it (renamed, then changed).
 *
 * - table: same schema, the same columns (names and canonical types); another migration tool's
 *   table (`kysely_migration`, `alembic_version`, …) never, as autogenerate leaves it alone;
 * - column: in a table both sides have, the same canonical type, nullability and canonical default.
 *
 * Pure. `includeName` / `includeObject` apply: an excluded table or column is no candidate.
 *
 * @param models - what the database should be.
 * @param database - what it is.
 * @param options - as for {@link compareSchemas}; of `renames`, only the accepted table renames count.
 * @returns the candidates, tables first, each in the order of its `--rename` text. One old table
 *   or column may have several candidates (accept at most one).
 * @throws {@link RenameArgumentError} for a decision text in `options.renames` that does not parse.
 * @example
 * ```ts
 * import { DEFAULT_CAPABILITIES, DEFAULT_COMPARATOR, DEFAULT_NAMING_CONVENTION, tableFromInput } from '@multidb/core';
 * import { findRenameCandidates } from '@multidb/autogenerate';
 *
 * const table = (name: string, column: string) =>
 *   tableFromInput(name, [{ name: 'id', type: 'integer', primaryKey: true }, { name: column, type: 'text' }], {}, DEFAULT_NAMING_CONVENTION);
 * const candidates = findRenameCandidates(
 *   { tables: [table('members', 'full_name')], enums: [], objects: [] },
 *   { tables: [table('users', 'full_name')], enums: [], objects: [] },
 *   { comparator: DEFAULT_COMPARATOR, capabilities: DEFAULT_CAPABILITIES, namingConvention: DEFAULT_NAMING_CONVENTION },
 * );
 * candidates.map((c) => c.argument); // ['users=members']
 * ```
 */
export function findRenameCandidates(models: DatabaseSnapshot, database: DatabaseSnapshot, options: CompareOptions): RenameCandidate[] {
  return [...renameCandidates(prepareComparison(models, database, options), options.renames, false).candidates];
}
