import { MultidbError } from '@multidb/core';
import { describeRenameCandidate, type RenameCandidate } from './rename-candidate.js';

/**
 * The undecided rename candidates of one bind: an entry of {@link RenameDecisionRequiredError.byBind}.
 * @example
 * ```ts
 * const group: BindRenameCandidates = { bind: 'db2', candidates: [] };
 * ```
 */
export interface BindRenameCandidates {
  /** The bind compared. */
  readonly bind: string;
  /** Its candidates without a decision, tables first, in name order. */
  readonly candidates: readonly RenameCandidate[];
}

/**
 * Autogenerate found tables or columns that may have been renamed, and no decision was given for
 * them: it never drops a table or column that has a rename candidate without asking. The message
 * lists each candidate with the `--rename` (it is a rename) and `--no-rename` (drop and add)
 * argument to type.
 *
 * @example
 * ```ts
 * import { DEFAULT_CAPABILITIES, DEFAULT_COMPARATOR, DEFAULT_NAMING_CONVENTION, tableFromInput, type DatabaseSnapshot } from '@multidb/core';
 * import { compareSchemas, RenameDecisionRequiredError } from '@multidb/autogenerate';
 *
 * const one = (column: string): DatabaseSnapshot => ({
 *   tables: [tableFromInput('user', [{ name: column, type: 'text' }], {}, DEFAULT_NAMING_CONVENTION)],
 *   enums: [],
 *   objects: [],
 * });
 * const options = { comparator: DEFAULT_COMPARATOR, capabilities: DEFAULT_CAPABILITIES, namingConvention: DEFAULT_NAMING_CONVENTION };
 * try {
 *   compareSchemas(one('full_name'), one('name'), options);
 * } catch (e) {
 *   if (e instanceof RenameDecisionRequiredError) console.log(e.candidates.map((c) => c.argument)); // ['user.name=user.full_name']
 * }
 * compareSchemas(one('full_name'), one('name'), { ...options, renames: { accept: ['user.name=user.full_name'] } }).ops[0]?.kind; // 'RenameColumn'
 * ```
 */
export class RenameDecisionRequiredError extends MultidbError {
  /** The candidates without a decision, tables first, in name order (bind after bind, for several binds). */
  readonly candidates: readonly RenameCandidate[];
  /** The bind compared, when known; `undefined` when the candidates are those of several binds (see {@link byBind}). */
  readonly bind: string | undefined;
  /** The candidates of each bind, in the order the binds were compared (empty when no bind is known). */
  readonly byBind: readonly BindRenameCandidates[];
  /**
   * @param candidates - the undecided candidates.
   * @param bind - the bind compared, when known.
   * @param byBind - for several binds' candidates (`bind` then `undefined`): each bind's, in order;
   *   {@link RenameDecisionRequiredError.ofBinds} gives it.
   */
  constructor(candidates: readonly RenameCandidate[], bind?: string, byBind?: readonly BindRenameCandidates[]) {
    const groups = byBind ?? (bind === undefined ? [] : [{ bind, candidates }]);
    super(message(groups.length ? groups : [{ bind: undefined, candidates }]), 'RENAME_DECISION_REQUIRED');
    this.candidates = Object.freeze([...candidates]);
    this.bind = bind;
    this.byBind = Object.freeze(groups.map((g) => Object.freeze({ bind: g.bind, candidates: Object.freeze([...g.candidates]) })));
  }

  /**
   * One error for the undecided candidates of every bind of a run, so that one `migrate migrate`
   * names them all (a run stopping at the first bind would need one more run per bind to list them).
   *
   * @param errors - one error per bind, in the order the binds were compared (at least one).
   * @returns the only error when there is one; else an error whose `bind` is `undefined`, whose
   *   `candidates` are every bind's and whose `byBind` keeps them apart, each line of its message
   *   starting with its bind.
   * @example
   * ```ts
   * import { RenameDecisionRequiredError } from '@multidb/autogenerate';
   *
   * const error = RenameDecisionRequiredError.ofBinds([
   *   new RenameDecisionRequiredError([{ kind: 'column', table: 'post', column: 'body', newName: 'content', argument: 'post.body=post.content' }], 'db2'),
   *   new RenameDecisionRequiredError([{ kind: 'table', table: 'session', newName: 'visit', argument: 'session=visit' }], 'analytics'),
   * ]);
   * console.log(error.byBind.map((g) => g.bind)); // ['db2', 'analytics']
   * ```
   */
  static ofBinds(errors: readonly RenameDecisionRequiredError[]): RenameDecisionRequiredError {
    if (errors.length === 1) return errors[0]!;
    const groups = errors.flatMap((e) => (e.byBind.length ? e.byBind : [{ bind: e.bind ?? '?', candidates: e.candidates }]));
    return new RenameDecisionRequiredError(
      groups.flatMap((g) => g.candidates),
      undefined,
      groups,
    );
  }
}

/** One bind (`[db2] A column looks renamed: …`, a line per candidate), or several (a line per candidate, each starting with its bind). */
function message(groups: readonly { readonly bind: string | undefined; readonly candidates: readonly RenameCandidate[] }[]): string {
  const n = groups.reduce((sum, g) => sum + g.candidates.length, 0);
  const several = groups.length > 1;
  const lead = several ? `${n} tables or columns in binds ${groups.map((g) => g.bind).join(', ')} look` : `${groups[0]!.bind ? `[${groups[0]!.bind}] ` : ''}${n === 1 ? 'A table or column looks' : `${n} tables or columns look`}`;
  return (
    `${lead} renamed: ` +
    'the database has one the models lack, and the models one of the same shape the database lacks. ' +
    'Say for each whether it is a rename (or drop the old one and add the new one):\n' +
    groups
      .flatMap((g) =>
        g.candidates.map((c) => `  ${several ? `[${g.bind}] ` : ''}${describeRenameCandidate(c)}`),
      )
      .join('\n')
  );
}
