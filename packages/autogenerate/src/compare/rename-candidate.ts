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

/**
 * A candidate as the CLI names it, with the two decisions to type: `table 'users' -> 'members':
 * --rename users=members  or  --no-rename users=members` (a column: `column 'users.name' ->
 * 'users.full_name': …`; an argument a shell would split is quoted).
 * @param candidate - a candidate of `findRenameCandidates`.
 * @returns one line, without a bind.
 * @example
 * ```ts
 * import { describeRenameCandidate } from '@multidb/autogenerate';
 * describeRenameCandidate({ kind: 'table', table: 'users', newName: 'members', argument: 'users=members' });
 * // "table 'users' -> 'members': --rename users=members  or  --no-rename users=members"
 * ```
 */
export function describeRenameCandidate(candidate: RenameCandidate): string {
  const c = candidate;
  const what =
    c.kind === 'table'
      ? `table '${qualified(c.schema, c.table)}' -> '${qualified(c.schema, c.newName)}'`
      : `column '${qualified(c.schema, c.table)}.${c.column}' -> '${qualified(c.schema, c.table)}.${c.newName}'`;
  return `${what}: --rename ${shellWord(c.argument)}  or  --no-rename ${shellWord(c.argument)}`;
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`;
}

/** The argument as a shell word: quoted when it holds characters a shell would read. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.=@%+:,/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
