import { MultidbError } from '@multidb/core';

/**
 * A rename argument or decision that cannot be used: text that is not `old=new` /
 * `table.old=table.new`, or decisions that contradict each other (one table or column renamed
 * twice, a rename both accepted and rejected).
 *
 * @example
 * ```ts
 * import { parseRenameArgument, RenameArgumentError } from '@multidb/autogenerate';
 * try { parseRenameArgument('users.name'); }
 * catch (e) { if (e instanceof RenameArgumentError) console.log(e.argument); } // 'users.name'
 * ```
 */
export class RenameArgumentError extends MultidbError {
  /** The argument concerned, as given. */
  readonly argument: string;
  constructor(message: string, argument: string) {
    super(message, 'RENAME_ARGUMENT');
    this.argument = argument;
  }
}
