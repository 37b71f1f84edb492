import { UsageError } from './usage-error.js';

/**
 * What is wrong with one `-x` value, or `undefined` when it is a `KEY=VALUE` with a non-empty key.
 * The command line checks each value with it as it parses (exit 2), {@link parseXArgs} again.
 *
 * @param value - one `-x` value.
 * @returns the problem, e.g. `'expected KEY=VALUE (e.g. -x tenant=acme).'`, or `undefined`.
 * @example
 * ```ts
 * xArgProblem('seed'); // 'expected KEY=VALUE (e.g. -x tenant=acme).'
 * ```
 */
export function xArgProblem(value: string): string | undefined {
  return value.indexOf('=') <= 0 ? 'expected KEY=VALUE (e.g. -x tenant=acme).' : undefined;
}

/**
 * Parses Alembic's `-x KEY=VALUE` arguments (repeatable) into the frozen record revisions read as
 * `op.xArgs`. The value is everything after the first `=` (it may hold `=` itself, or be empty);
 * a later key wins over an earlier one.
 *
 * @param values - the `-x` values in command-line order.
 * @returns a frozen `Record<string, string>` (empty when none were given).
 * @throws {@link UsageError} (exit 2) for a value without `=` or with an empty key, naming it.
 * @example
 * ```ts
 * parseXArgs(['tenant=acme', 'seed=true']); // { tenant: 'acme', seed: 'true' }
 * ```
 */
export function parseXArgs(values: readonly string[]): Readonly<Record<string, string>> {
  const entries = new Map<string, string>();
  for (const value of values) {
    const problem = xArgProblem(value);
    if (problem !== undefined) throw new UsageError(`-x '${value}': ${problem}`);
    const eq = value.indexOf('=');
    entries.set(value.slice(0, eq), value.slice(eq + 1));
  }
  return Object.freeze(Object.fromEntries(entries));
}
