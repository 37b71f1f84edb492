import { UsageError } from './usage-error.js';

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
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`-x '${value}': expected KEY=VALUE (e.g. -x tenant=acme).`);
    entries.set(value.slice(0, eq), value.slice(eq + 1));
  }
  return Object.freeze(Object.fromEntries(entries));
}
