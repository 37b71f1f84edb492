import type { RenameArgument } from './rename-argument.js';

/**
 * A possible rename found by {@link findRenameCandidates}: a table or column the database has and
 * the models do not, and one the models have and the database does not, of the same shape.
 * `argument` is its `--rename` / `--no-rename` text. Pass a candidate (or its text) back in
 * {@link RenameDecisions} to decide it.
 *
 * @example
 * ```ts
 * import type { RenameCandidate } from '@multidb/autogenerate';
 * const candidate: RenameCandidate = { kind: 'table', table: 'users', newName: 'members', argument: 'users=members' };
 * ```
 */
export type RenameCandidate = RenameArgument & {
  /** `'users.name=users.full_name'` (column) or `'users=members'` (table), see {@link formatRenameArgument}. */
  readonly argument: string;
};
