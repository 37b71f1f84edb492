import type { AutogenerateOptions, DialectCapabilities, NamingConvention, SchemaComparator } from '@multidb/core';
import type { RenameCandidate } from './rename-candidate.js';

/**
 * Decisions on rename candidates (see {@link findRenameCandidates}): each entry a candidate, or
 * its `--rename` text (`'users.name=users.full_name'` for a column, `'users=members'` for a
 * table; see {@link formatRenameArgument}).
 */
export interface RenameDecisions {
  /** Renames to make (`--rename`): a `RenameTable` / `RenameColumn` op instead of a drop and an add. */
  readonly accept?: readonly (RenameCandidate | string)[];
  /** Not renames (`--no-rename`): the old table or column is dropped and the new one added. */
  readonly reject?: readonly (RenameCandidate | string)[];
}

/**
 * What {@link compareSchemas} needs besides the two snapshots: the bind's dialect rules, its
 * naming convention, the autogenerate hooks of its config, and the rename decisions.
 */
export interface CompareOptions
  extends Pick<AutogenerateOptions, 'includeObject' | 'includeName' | 'compareType' | 'compareServerDefault' | 'dropUnmodeledTables'> {
  /** The dialect's comparison rules (`dialect.comparator`; `DEFAULT_COMPARATOR` in tests). */
  readonly comparator: SchemaComparator;
  /** The dialect's capabilities: `namedEnums`, `alterColumn`/`alterConstraints` (batch mode), `comments`, `foreignKeyIndexes`. */
  readonly capabilities: DialectCapabilities;
  /** Names the constraints the ops create without a declared name (column-level `unique`, `references`, `primaryKey`). */
  readonly namingConvention: NamingConvention;
  /** Decisions on rename candidates; a candidate with none makes the comparison throw. */
  readonly renames?: RenameDecisions;
  /** The bind compared, named in errors. */
  readonly bind?: string;
}
