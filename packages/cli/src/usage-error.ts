import { MultidbError } from '@multidb/core';

/**
 * A command line that cannot be run as written: a malformed `-x` value, a missing `--env-file`,
 * an option that needs another (`--output` without `--sql`). `code` `'USAGE'`; `migrate` exits 2
 * ({@link ExitCode}.usage) on it, as on commander's own usage errors.
 *
 * @example
 * ```ts
 * throw new UsageError("-x 'dry': expected KEY=VALUE (e.g. -x tenant=acme).");
 * ```
 */
export class UsageError extends MultidbError {
  /** @param message - what is wrong and how to write it instead. */
  constructor(message: string) {
    super(message, 'USAGE');
  }
}
