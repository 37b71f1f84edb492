import type { AutogenerateOptions, DialectCapabilities, NamingConvention, SchemaComparator } from '@multidb/core';
import type { RenameCandidate } from './rename-candidate.js';

/**
 * Decisions on rename candidates (see {@link findRenameCandidates}): each entry a candidate, or
 * its `--rename` text (`'users.name=users.full_name'` for a column, `'users=members'` for a
 * table; see {@link formatRenameArgument}). A candidate neither accepted nor rejected makes
 * {@link compareSchemas} throw {@link RenameDecisionRequiredError}.
 *
 * @example
 * ```ts
 * import type { RenameDecisions } from '@multidb/autogenerate';
 * const renames: RenameDecisions = { accept: ['users=members'], reject: ['post.body=post.content'] };
 * ```
 */
export interface RenameDecisions {
  /**
   * Renames to make (`--rename`): a `RenameTable` / `RenameColumn` op instead of a drop and an add.
   * A decision that is no candidate only because the shape changed too (a table given a new column,
   * a column retyped) is honoured as well: renamed, then changed. It must name a table only the
   * database has and one only the models have (same schema), or a column only the database has and
   * one only the models have in a table both have (or one an accepted decision renames, named by
   * its old or new name: `posts.title=posts.headline` or `articles.title=articles.headline` with
   * `posts=articles`); otherwise it matches nothing (`unmatchedRenames`).
   */
  readonly accept?: readonly (RenameCandidate | string)[];
  /** Not renames (`--no-rename`): the old table or column is dropped and the new one added. */
  readonly reject?: readonly (RenameCandidate | string)[];
}

/**
 * What {@link compareSchemas} needs besides the two snapshots: the bind's dialect rules, its
 * naming convention, the autogenerate hooks of its config (`includeName`, `includeObject`,
 * `compareType`, `compareServerDefault`, `dropUnmodeledTables`: see `AutogenerateOptions`), and
 * the rename decisions.
 *
 * @example
 * ```ts
 * import { DEFAULT_CAPABILITIES, DEFAULT_COMPARATOR, DEFAULT_NAMING_CONVENTION } from '@multidb/core';
 * import type { CompareOptions } from '@multidb/autogenerate';
 * const options: CompareOptions = {
 *   comparator: DEFAULT_COMPARATOR, // a bind's dialect: dialect.comparator
 *   capabilities: DEFAULT_CAPABILITIES, // dialect.capabilities
 *   namingConvention: DEFAULT_NAMING_CONVENTION, // config.namingConvention
 *   includeObject: (o) => !(o.type === 'table' && o.name.startsWith('tmp_')),
 *   renames: { accept: ['users=members'] },
 *   bind: 'db2',
 * };
 * ```
 */
export interface CompareOptions
  extends Pick<AutogenerateOptions, 'includeObject' | 'includeName' | 'compareType' | 'compareServerDefault' | 'dropUnmodeledTables'> {
  /** The dialect's comparison rules (`dialect.comparator`; `DEFAULT_COMPARATOR` in tests). */
  readonly comparator: SchemaComparator;
  /** The dialect's capabilities: `namedEnums`, `alterColumn`/`alterConstraints` (batch mode), `comments`, `foreignKeyIndexes`, `renameIndex` (without it, a renamed index carries its definition). */
  readonly capabilities: DialectCapabilities;
  /** Names the constraints the ops create without a declared name (column-level `unique`, `references`, `primaryKey`). */
  readonly namingConvention: NamingConvention;
  /** Decisions on rename candidates; a candidate with none makes the comparison throw. */
  readonly renames?: RenameDecisions;
  /** The bind compared, named in errors. */
  readonly bind?: string;
}
