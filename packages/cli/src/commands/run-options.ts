import type { RunOptions } from '@multidb/core';

/** Options shared by upgrade and downgrade. */
export interface RunCommandOptions {
  /** Seconds to wait for a bind's migration lock (default: no limit). */
  readonly lockTimeout?: number;
  /** `--concurrency N`: how many binds may run at the same time (default 1). */
  readonly concurrency?: number;
  /** `--json`: print the result as one JSON document. */
  readonly json?: boolean;
}

/** Core's run options from the command line's (`--lock-timeout` seconds → milliseconds; `-x` → `xArgs`). */
export function runOptions(options: RunCommandOptions, xArgs?: Readonly<Record<string, string>>): Pick<RunOptions, 'lockTimeoutMs' | 'concurrency' | 'xArgs'> {
  return {
    ...(options.lockTimeout === undefined ? {} : { lockTimeoutMs: options.lockTimeout * 1000 }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(xArgs === undefined ? {} : { xArgs }),
  };
}
