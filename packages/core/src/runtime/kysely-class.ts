import type { CompiledQuery, DatabaseConnection, DatabaseIntrospector, Driver, Kysely, KyselyConfig, KyselyPlugin, QueryResult } from 'kysely';

/**
 * The `Kysely` class `db` was made from (for a transaction, the class it extends), taken from the
 * copy of kysely that made `db`. Core builds its wrapping Kysely instances with it instead of
 * importing kysely: a command that opens no connection (`heads`, `history`) so never loads kysely,
 * and a wrapper is an instance of the same class as the dialect's own.
 *
 * @param db - any Kysely instance (a `Transaction` too).
 * @returns its `Kysely` class (the one whose `isTransaction` is `false`).
 * @throws TypeError when `db` is not a Kysely instance.
 * @example
 * ```ts
 * import { SqliteDialect } from 'kysely';
 * const KyselyClass = kyselyClassOf(dialect.queryBuilder());
 * const db = new KyselyClass({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
 * ```
 * @internal
 */
export function kyselyClassOf(db: Kysely<any>): new (config: KyselyConfig) => Kysely<any> {
  for (let proto: object | null = Object.getPrototypeOf(db); proto !== null; proto = Object.getPrototypeOf(proto)) {
    // Kysely's own `isTransaction` getter answers false; Transaction's, which overrides it, true.
    if (Object.getOwnPropertyDescriptor(proto, 'isTransaction')?.get?.call(db) === false) {
      return (proto as { constructor: new (config: KyselyConfig) => Kysely<any> }).constructor;
    }
  }
  throw new TypeError('expected a Kysely instance');
}

/** What {@link wrappedKysely} takes: where a wrapper's queries go, its transactions, its introspection. */
export interface KyselyWrapping {
  /** Runs one compiled query (streamed queries yield its one result). */
  readonly execute: (query: CompiledQuery) => Promise<QueryResult<unknown>>;
  /** BEGIN, COMMIT and ROLLBACK of `wrapper.transaction()`. */
  readonly begin: () => Promise<void>;
  readonly commit: () => Promise<void>;
  readonly rollback: () => Promise<void>;
  /** What `wrapper.introspection` answers. */
  readonly introspector: DatabaseIntrospector;
  /** The wrapper's plugins, which transform its queries before they compile and their results (default none). */
  readonly plugins?: readonly KyselyPlugin[];
}

/**
 * A Kysely that compiles with `db`'s adapter and query compiler (so its queries read exactly as
 * `db`'s, given `db`'s plugins in `wrapping.plugins`) and hands each compiled query to
 * `wrapping.execute`, on one connection: the plumbing of core's tracking (`op.db` with recorded
 * progress) and capturing (offline, preview) Kyselys.
 *
 * @param db - the Kysely whose dialect compiles (its class makes the wrapper).
 * @param wrapping - where queries, transactions and introspection go.
 * @returns the wrapper.
 * @example
 * ```ts
 * const dry = wrappedKysely(dialect.queryBuilder(), {
 *   execute: async (q) => (console.log(q.sql), { rows: [] }),
 *   begin: async () => {}, commit: async () => {}, rollback: async () => {},
 *   introspector: dialect.queryBuilder().introspection,
 * });
 * ```
 * @internal
 */
export function wrappedKysely(db: Kysely<any>, wrapping: KyselyWrapping): Kysely<any> {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      return (await wrapping.execute(query)) as QueryResult<R>;
    },
    async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      yield (await wrapping.execute(query)) as QueryResult<R>;
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    beginTransaction: () => wrapping.begin(),
    commitTransaction: () => wrapping.commit(),
    rollbackTransaction: () => wrapping.rollback(),
    async releaseConnection() {},
    async destroy() {},
  };
  return kyselyOfDriver(db, driver, wrapping.introspector, wrapping.plugins);
}

/**
 * A Kysely of `db`'s class that compiles with `db`'s adapter and query compiler (its queries read
 * exactly as `db`'s) and runs them through `driver`: what core's wrapping Kyselys share.
 *
 * @param db - the Kysely whose dialect compiles.
 * @param driver - where connections, queries and transactions go.
 * @param introspector - what the new Kysely's `introspection` answers.
 * @param plugins - its plugins (default none).
 * @returns the new Kysely.
 * @example
 * ```ts
 * import type { Driver } from 'kysely';
 * const none = async () => {};
 * const driver: Driver = {
 *   init: none, beginTransaction: none, commitTransaction: none, rollbackTransaction: none, releaseConnection: none, destroy: none,
 *   acquireConnection: async () => ({ executeQuery: async () => ({ rows: [] }), streamQuery: async function* () {} }),
 * };
 * const dry = kyselyOfDriver(db, driver, db.introspection, db.getExecutor().plugins); // queries compiled as db's, run nowhere
 * ```
 * @internal
 */
export function kyselyOfDriver(db: Kysely<any>, driver: Driver, introspector: DatabaseIntrospector, plugins: readonly KyselyPlugin[] = []): Kysely<any> {
  const executor = db.getExecutor();
  const KyselyClass = kyselyClassOf(db);
  return new KyselyClass({
    dialect: {
      createAdapter: () => executor.adapter,
      createDriver: () => driver,
      createQueryCompiler: () => ({ compileQuery: (node, queryId) => executor.compileQuery(node, queryId) }),
      createIntrospector: () => introspector,
    },
    ...(plugins.length ? { plugins: [...plugins] } : {}),
  });
}
