import type { CompiledQuery, Kysely } from 'kysely';
import { wrappedKysely } from './kysely-class.js';

/**
 * A Kysely that compiles queries with another Kysely's adapter and query compiler but never sends
 * them: each query is handed to `capture` and "returns" no rows. A revision's `op.db` statements
 * can so be shown (SQL preview) or printed (offline mode) exactly as a run would send them, with
 * no chance of a write.
 *
 * @param db - a Kysely of the bind's dialect (e.g. `dialect.queryBuilder()`): only its compiler
 *   and adapter are used.
 * @param capture - receives each compiled query.
 * @returns a Kysely whose queries are captured, never executed.
 * @example
 * ```ts
 * import type { CompiledQuery } from 'kysely';
 * const seen: CompiledQuery[] = [];
 * const dry = capturingKysely(dialect.queryBuilder(), (q) => seen.push(q));
 * await dry.updateTable('Invoice').set({ Currency: 'USD' }).execute(); // seen[0].sql: update "Invoice" set "Currency" = ?
 * ```
 */
export function capturingKysely(db: Kysely<any>, capture: (query: CompiledQuery) => void): Kysely<any> {
  const unavailable = async (): Promise<never> => {
    throw new Error('introspection is not available while compiling without running');
  };
  const nothing = async () => {};
  return wrappedKysely(db, {
    execute: async (query) => {
      capture(query);
      return { rows: [] };
    },
    begin: nothing,
    commit: nothing,
    rollback: nothing,
    introspector: { getSchemas: unavailable, getTables: unavailable, getMetadata: unavailable },
  });
}
