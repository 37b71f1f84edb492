import type { CompiledQuery, DatabaseConnection, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import type { Statement } from '../dialect/dialect.js';
import { failedStatementOf, markFailedStatement } from '../dialect/failed-statement.js';
import { kyselyOfDriver } from './kysely-class.js';

/**
 * Remembers that sending `query` threw `error` (for {@link failedQueryOf}). The error is left
 * exactly as it is (no field, message or identity changes); an error that is not an object, or one
 * already marked, is left unmarked.
 *
 * @param error - what the driver rejected the query with.
 * @param query - the query as compiled and sent.
 * @example
 * ```ts
 * import { CompiledQuery } from 'kysely';
 * const query = CompiledQuery.raw('insert into "Genre" ("GenreId") values (1)');
 * try {
 *   await db.executeQuery(query);
 * } catch (error) {
 *   markFailedQuery(error, query);
 *   throw error;
 * }
 * ```
 * @internal
 */
export function markFailedQuery(error: unknown, query: CompiledQuery): void {
  markFailedStatement(error, query);
}

/**
 * The query whose sending threw `error` itself, when one of core's Kyselys (`op.db`) marked it
 * ({@link markFailedQuery}), or the statement a dialect connection marked as its own
 * (`markFailedStatement`: a COMMIT, the foreign-key check before it); not one whose error `error`
 * wraps (a caller walks the `cause` chain).
 *
 * @param error - anything thrown.
 * @returns the query's SQL and parameters, or `undefined`.
 * @example
 * ```ts
 * const error = await op.db.insertInto('Genre').values({ GenreId: 1 }).execute().catch((e: unknown) => e);
 * failedQueryOf(error)?.sql; // 'insert into "Genre" ("GenreId") values (?)'
 * failedQueryOf(new Error('mine')); // undefined
 * ```
 * @internal
 */
export function failedQueryOf(error: unknown): Statement | undefined {
  return failedStatementOf(error);
}

/**
 * Sends one compiled query through `db`; a rejection is marked with the query
 * ({@link markFailedQuery}) and rethrown unchanged.
 *
 * @param db - where the query goes (a Kysely, or a transaction of one).
 * @param query - the compiled query.
 * @returns its result.
 * @throws the driver's error, the very object it rejected with.
 * @example
 * ```ts
 * import { CompiledQuery } from 'kysely';
 * const result = await sendMarked(connection.db, CompiledQuery.raw('SELECT 1'));
 * ```
 * @internal
 */
export async function sendMarked(db: { executeQuery(query: CompiledQuery): Promise<QueryResult<unknown>> }, query: CompiledQuery): Promise<QueryResult<unknown>> {
  try {
    return await db.executeQuery(query);
  } catch (error) {
    markFailedQuery(error, query);
    throw error;
  }
}

/**
 * Runs `control` (a BEGIN, COMMIT, ROLLBACK or savepoint statement that `db`'s driver sends on
 * `connection` itself, out of reach of {@link markingKysely}'s own `executeQuery`) with every query
 * sent on `connection` meanwhile marked when it fails ({@link markFailedQuery}), so that a failing
 * COMMIT (a PostgreSQL `DEFERRABLE INITIALLY DEFERRED` foreign key checked there) or
 * `ROLLBACK TO` a savepoint that does not exist is named by the SQL the driver sent, as any other
 * query of `op.db` is. The connection's `executeQuery` is shadowed on the object for the call
 * (calls that overlap on one connection share one shadow) and restored after; a connection whose
 * method cannot be shadowed (a frozen object) runs `control` unmarked.
 */
async function markingControl<T>(connection: DatabaseConnection, control: () => Promise<T>): Promise<T> {
  let shadow = controlShadows.get(connection);
  if (!shadow) {
    const send = connection.executeQuery;
    const own = Object.getOwnPropertyDescriptor(connection, 'executeQuery');
    try {
      Object.defineProperty(connection, 'executeQuery', {
        configurable: true,
        writable: true,
        value: async function executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
          try {
            return (await send.call(connection, query)) as QueryResult<R>;
          } catch (error) {
            markFailedQuery(error, query);
            throw error;
          }
        },
      });
    } catch {
      return control(); // not configurable: unmarked, as before
    }
    shadow = { calls: 0, restore: () => (own ? Object.defineProperty(connection, 'executeQuery', own) : delete (connection as { executeQuery?: unknown }).executeQuery) };
    controlShadows.set(connection, shadow);
  }
  shadow.calls++;
  try {
    return await control();
  } finally {
    if (--shadow.calls === 0) {
      controlShadows.delete(connection);
      shadow.restore();
    }
  }
}

/** The connections whose `executeQuery` {@link markingControl} shadows, with the calls in progress. */
const controlShadows = new WeakMap<DatabaseConnection, { calls: number; readonly restore: () => void }>();

/** What {@link markingKysely} uses of a Kysely controlled transaction (its savepoints named at run time). */
interface OpenTransaction {
  commit(): { execute(): Promise<void> };
  rollback(): { execute(): Promise<void> };
  savepoint(name: string): { execute(): Promise<OpenTransaction> };
  rollbackToSavepoint(name: string): { execute(): Promise<OpenTransaction> };
  releaseSavepoint(name: string): { execute(): Promise<OpenTransaction> };
}

/** A connection of {@link markingKysely}: one of `db`'s, held from its acquisition to its release. */
interface MarkingConnection extends DatabaseConnection {
  /** `db` on that one connection: its driver's BEGIN, COMMIT, ROLLBACK and savepoints. */
  readonly bound: Kysely<any>;
  /** `db`'s connection itself, where `bound`'s driver sends them (see {@link markingControl}). */
  readonly real: DatabaseConnection;
  /** Gives the connection back to `db`. */
  readonly release: () => void;
  /** The transaction `transaction()` or `startTransaction()` opened on it, until it ends. */
  transaction: OpenTransaction | undefined;
}

/**
 * A Kysely that runs everything as `db` does (its compiler, adapter and plugins, its connections,
 * its driver's BEGIN, COMMIT, ROLLBACK and savepoints for `transaction()` and `startTransaction()`,
 * its introspection) and marks the error of each query that fails with that query's SQL, so that
 * the runner can name it ({@link failedQueryOf}), the transaction's own statements included (a
 * COMMIT refused by a deferred constraint is named `commit`, as Kysely's drivers send it): the
 * `op.db` of a revision whose progress is not recorded (SQLite, PostgreSQL). The error reaches
 * the revision unchanged, and each query goes
 * straight to `db`'s connection (one stack frame more, so the revision's line stays in the
 * error's stack).
 *
 * @param db - Kysely on the bind's pinned connection.
 * @returns a Kysely of the same class whose failed queries are marked.
 * @example
 * ```ts
 * const db = markingKysely(connection.db);
 * const error = await db.insertInto('Genre').values({ GenreId: 1 }).execute().catch((e: unknown) => e);
 * failedQueryOf(error)?.sql; // 'insert into "Genre" ("GenreId") values (?)' when the row was there
 * ```
 * @internal
 */
export function markingKysely(db: Kysely<any>): Kysely<any> {
  const held = new Set<MarkingConnection>();
  const marking = (connection: DatabaseConnection) => connection as MarkingConnection;
  const open = (connection: DatabaseConnection): OpenTransaction => {
    const transaction = marking(connection).transaction;
    if (!transaction) throw new Error('no transaction is open on this connection');
    return transaction;
  };
  const driver: Driver = {
    async init() {},
    acquireConnection: () =>
      new Promise<DatabaseConnection>((resolve, reject) => {
        let release!: () => void;
        const released = new Promise<void>((done) => (release = done));
        db.connection()
          .execute(async (bound) => {
            // db's connection itself (bound's provider is left free for the transactions on it).
            const real = await bound.getExecutor().provideConnection(async (c) => c);
            const connection: MarkingConnection = {
              bound,
              real,
              release: () => {
                held.delete(connection);
                release();
              },
              transaction: undefined,
              async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
                try {
                  return await real.executeQuery<R>(query);
                } catch (error) {
                  markFailedQuery(error, query);
                  throw error;
                }
              },
              async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
                try {
                  yield* real.streamQuery<R>(query, chunkSize);
                } catch (error) {
                  markFailedQuery(error, query);
                  throw error;
                }
              },
            };
            held.add(connection);
            resolve(connection);
            await released;
          })
          .catch(reject);
      }),
    // The driver sends these on db's connection itself: marked there (see markingControl).
    async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
      let builder = marking(connection).bound.startTransaction();
      if (settings.isolationLevel) builder = builder.setIsolationLevel(settings.isolationLevel);
      if (settings.accessMode) builder = builder.setAccessMode(settings.accessMode);
      marking(connection).transaction = (await markingControl(marking(connection).real, () => builder.execute())) as unknown as OpenTransaction;
    },
    async commitTransaction(connection: DatabaseConnection) {
      // A COMMIT that fails keeps the transaction: Kysely rolls it back next.
      await markingControl(marking(connection).real, () => open(connection).commit().execute());
      marking(connection).transaction = undefined;
    },
    async rollbackTransaction(connection: DatabaseConnection) {
      try {
        await markingControl(marking(connection).real, () => open(connection).rollback().execute());
      } finally {
        marking(connection).transaction = undefined;
      }
    },
    async savepoint(connection: DatabaseConnection, name: string) {
      marking(connection).transaction = await markingControl(marking(connection).real, () => open(connection).savepoint(name).execute());
    },
    async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
      marking(connection).transaction = await markingControl(marking(connection).real, () => open(connection).rollbackToSavepoint(name).execute());
    },
    async releaseSavepoint(connection: DatabaseConnection, name: string) {
      marking(connection).transaction = await markingControl(marking(connection).real, () => open(connection).releaseSavepoint(name).execute());
    },
    async releaseConnection(connection: DatabaseConnection) {
      marking(connection).release();
    },
    // Ending db is its owner's business (the bind's connection), not the revision's.
    async destroy() {},
  };
  const marked = kyselyOfDriver(db, driver, db.introspection, db.getExecutor().plugins);
  heldConnections.set(marked, held);
  return marked;
}

/** The connections each Kysely of {@link markingKysely} holds (acquired and not released). */
const heldConnections = new WeakMap<Kysely<any>, Set<MarkingConnection>>();

/**
 * Ends what a revision left of its `op.db` (a Kysely of {@link markingKysely}) once its step is
 * over: each transaction that `startTransaction()` (or a `transaction()` whose callback never
 * settled) began and that was neither committed nor rolled back is rolled back through `db`'s
 * driver (its ROLLBACK, marked as any other statement of it), and each connection still held is
 * given back to `db`. Without it, such a transaction would stay open on the bind's session and
 * its connection held: on SQLite every later query of the bind would wait for it forever.
 * A ROLLBACK that fails (the session is gone) still gives the connection back.
 *
 * @param marked - the Kysely {@link markingKysely} returned (any other: nothing to do).
 * @returns whether a transaction was left open (and has been rolled back).
 * @example
 * ```ts
 * const opDb = markingKysely(connection.db);
 * await opDb.startTransaction().execute(); // never committed
 * await endMarkingKysely(opDb); // true: rolled back, the connection given back
 * ```
 * @internal
 */
export async function endMarkingKysely(marked: Kysely<any>): Promise<boolean> {
  const held = heldConnections.get(marked);
  if (!held) return false;
  let leftOpen = false;
  for (const connection of [...held]) {
    const transaction = connection.transaction;
    if (transaction) {
      leftOpen = true;
      connection.transaction = undefined;
      await markingControl(connection.real, () => transaction.rollback().execute()).catch(() => undefined);
    }
    connection.release();
  }
  return leftOpen;
}
