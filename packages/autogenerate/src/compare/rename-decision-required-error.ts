import { MultidbError } from '@multidb/core';
import type { RenameCandidate } from './rename-candidate.js';

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
  /** The candidates without a decision, tables first, in name order. */
  readonly candidates: readonly RenameCandidate[];
  /** The bind compared, when known. */
  readonly bind: string | undefined;
  constructor(candidates: readonly RenameCandidate[], bind?: string) {
    const n = candidates.length;
    super(
      `${bind ? `[${bind}] ` : ''}${n === 1 ? 'A table or column looks' : `${n} tables or columns look`} renamed: ` +
        'the database has one the models lack, and the models one of the same shape the database lacks. ' +
        'Say for each whether it is a rename (or drop the old one and add the new one):\n' +
        candidates
          .map((c) => {
            const what =
              c.kind === 'table'
                ? `table '${qualified(c.schema, c.table)}' -> '${qualified(c.schema, c.newName)}'`
                : `column '${qualified(c.schema, c.table)}.${c.column}' -> '${qualified(c.schema, c.table)}.${c.newName}'`;
            return `  ${what}: --rename ${shellWord(c.argument)}  or  --no-rename ${shellWord(c.argument)}`;
          })
          .join('\n'),
      'RENAME_DECISION_REQUIRED',
    );
    this.candidates = Object.freeze([...candidates]);
    this.bind = bind;
  }
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`;
}

/** The argument as a shell word: quoted when it holds characters a shell would read. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.=@%+:,/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
