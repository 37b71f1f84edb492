/**
 * The binds whose `codegen: 'after-run'` types an interrupted run left stale (see
 * {@link noteStaleTypes}), kept by error: `main` prints them under the run's summary.
 */
const staleByError = new WeakMap<object, readonly string[]>();

/**
 * Records that `error` (a run that stopped, e.g. core's `InterruptedError`) left the types files of
 * `binds` stale: the run changed them, and codegen after a run waits for one that completes.
 * @param error - the run's error.
 * @param binds - the binds (`[]`: nothing is recorded).
 * @example
 * ```ts
 * const error = new Error('interrupted');
 * noteStaleTypes(error, ['db2']);
 * staleTypesOf(error); // ['db2']
 * ```
 */
export function noteStaleTypes(error: object, binds: readonly string[]): void {
  if (binds.length > 0) staleByError.set(error, Object.freeze([...binds]));
}

/**
 * The binds {@link noteStaleTypes} recorded for `error`, if any.
 * @param error - what the command threw.
 * @returns the binds, or `undefined`.
 * @example
 * ```ts
 * const stale = staleTypesOf(error);
 * if (stale) console.error(`run 'migrate codegen ${stale.join(' ')}'`);
 * ```
 */
export function staleTypesOf(error: unknown): readonly string[] | undefined {
  return typeof error === 'object' && error !== null ? staleByError.get(error) : undefined;
}

/**
 * The line saying which binds' types an interrupted run left stale, and the command that
 * regenerates them.
 * @param binds - the binds (non-empty).
 * @returns one line for stderr.
 * @example
 * ```ts
 * staleTypesLine(['db2']); // "The types of db2 were not regenerated (codegen 'after-run' runs after a run that completes): run 'migrate codegen db2'."
 * ```
 */
export function staleTypesLine(binds: readonly string[]): string {
  return `The types of ${binds.join(', ')} were not regenerated (codegen 'after-run' runs after a run that completes): run 'migrate codegen ${binds.join(' ')}'.`;
}
