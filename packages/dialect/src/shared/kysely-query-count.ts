import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from 'kysely';

/**
 * Counts the queries of one Kysely that are issued and not finished, through its driver (see
 * {@link KyselyQueryCount.wrap}), so that a session can send its connection's own statements
 * straight to the database driver while none is: nothing can then be queued before them, and
 * they run in the order Kysely would have run them. A query counts from the moment it is issued
 * (Kysely asks its driver for the connection synchronously when a query or a transaction starts),
 * once Kysely's driver is initialized: the first query first waits for the initialization,
 * uncounted, so the count is trusted only after a query has finished.
 *
 * @example
 * ```ts
 * import { Kysely, MysqlDialect, type Driver } from 'kysely';
 * const count = new KyselyQueryCount();
 * const dialect = new (class extends MysqlDialect {
 *   override createDriver(): Driver {
 *     return count.wrap(super.createDriver());
 *   }
 * })({ pool: async () => { throw new Error('no pool in this example'); } });
 * const db = new Kysely<any>({ dialect });
 * console.log(count.idle); // false until a query of `db` has finished
 * ```
 */
export class KyselyQueryCount {
  /** Queries issued and not finished: connections asked of the driver (a query queued included) and not released. */
  #pending = 0;
  /** A query has finished: the driver is initialized, so every later query is counted as it is issued. */
  #ready = false;

  /** Whether no query is issued and unfinished (and the count can be trusted: one has finished). */
  get idle(): boolean {
    return this.#ready && this.#pending === 0;
  }

  /**
   * Kysely's driver `inner`, counting the connections acquired and released; everything else is
   * passed through.
   * @param inner - the dialect's own driver (`super.createDriver()`).
   * @returns the driver to give Kysely.
   */
  wrap(inner: Driver): Driver {
    const counted: Driver = {
      init: () => inner.init(),
      acquireConnection: async () => {
        this.#pending++;
        try {
          return await inner.acquireConnection();
        } catch (error) {
          this.#pending--;
          throw error;
        }
      },
      releaseConnection: async (connection: DatabaseConnection) => {
        this.#pending--;
        this.#ready = true;
        await inner.releaseConnection(connection);
      },
      beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) => inner.beginTransaction(connection, settings),
      commitTransaction: (connection: DatabaseConnection) => inner.commitTransaction(connection),
      rollbackTransaction: (connection: DatabaseConnection) => inner.rollbackTransaction(connection),
      destroy: () => inner.destroy(),
    };
    if (inner.savepoint) counted.savepoint = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) => inner.savepoint!(connection, name, compile);
    if (inner.rollbackToSavepoint) {
      counted.rollbackToSavepoint = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) => inner.rollbackToSavepoint!(connection, name, compile);
    }
    if (inner.releaseSavepoint) counted.releaseSavepoint = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) => inner.releaseSavepoint!(connection, name, compile);
    return counted;
  }
}
