import type { RunOptions } from '@multidb/core';

/** Options shared by upgrade and downgrade. */
export interface RunCommandOptions {
  /** Seconds to wait for a bind's migration lock (default: no limit). */
  readonly lockTimeout?: number;
  /** `--concurrency N`: how many binds may run at the same time (default 1). */
  readonly concurrency?: number;
}

/** Core's run options from the command line's (`--lock-timeout` seconds → milliseconds). */
export function runOptions(options: RunCommandOptions): Pick<RunOptions, 'lockTimeoutMs' | 'concurrency'> {
  return {
    ...(options.lockTimeout === undefined ? {} : { lockTimeoutMs: options.lockTimeout * 1000 }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  };
}
