import type { CompiledQuery, DatabaseConnection, DatabaseIntrospector, Driver, Kysely, QueryResult } from 'kysely';
import { kyselyClassOf } from './kysely-class.js';

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
  const executor = db.getExecutor();
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      capture(query);
      return { rows: [] };
    },
    async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      capture(query);
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const unavailable = async (): Promise<never> => {
    throw new Error('introspection is not available while compiling without running');
  };
  const introspector: DatabaseIntrospector = { getSchemas: unavailable, getTables: unavailable, getMetadata: unavailable };
  const KyselyClass = kyselyClassOf(db);
  return new KyselyClass({
    dialect: {
      createAdapter: () => executor.adapter,
      createDriver: () => driver,
      createQueryCompiler: () => ({ compileQuery: (node, queryId) => executor.compileQuery(node, queryId) }),
      createIntrospector: () => introspector,
    },
  });
}
