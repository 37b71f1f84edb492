import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { wrappedKysely } from './kysely-class.js';
import { sendMarked } from './marking-kysely.js';

/** What a {@link trackingKysely} hands each query to, and how it opens and ends transactions. */
export interface QueryTracker {
  /** Runs (or skips) one query: `send` sends it on the real connection. */
  query(query: CompiledQuery, send: () => Promise<QueryResult<unknown>>): Promise<QueryResult<unknown>>;
  /** `op.db.transaction()` began a transaction. */
  begin(): Promise<void>;
  /** It committed. */
  commit(): Promise<void>;
  /** It rolled back. */
  rollback(): Promise<void>;
}

/**
 * A Kysely that sends every query through `db` (a bind's pinned connection) by way of `tracker`,
 * which can record it or, on resume, skip it: the `op.db` of a revision whose progress is
 * recorded (MySQL, MariaDB). Compiles with `db`'s adapter and compiler, so queries read the same.
 * The error of a query the database refuses is marked with that query (see `failedQueryOf`), so
 * that the runner can name it; it reaches the revision unchanged.
 *
 * @param db - Kysely on the bind's pinned connection.
 * @param tracker - sees each query and transaction.
 * @returns a Kysely whose queries go through `tracker`.
 * @example
 * ```ts
 * const seen: string[] = [];
 * const db = trackingKysely(connection.db, {
 *   query: (q, send) => (seen.push(q.sql), send()),
 *   begin: () => connection.begin(), commit: () => connection.commit(), rollback: () => connection.rollback(),
 * });
 * ```
 * @internal
 */
export function trackingKysely(db: Kysely<any>, tracker: QueryTracker): Kysely<any> {
  return wrappedKysely(db, {
    // The driver's error is marked with its query (the runner names it); the tracker's own are not.
    execute: (query) => tracker.query(query, () => sendMarked(db, query)),
    begin: () => tracker.begin(),
    commit: () => tracker.commit(),
    rollback: () => tracker.rollback(),
    introspector: {
      getSchemas: () => db.introspection.getSchemas(),
      getTables: (options) => db.introspection.getTables(options),
      getMetadata: (options) => db.introspection.getMetadata(options),
    },
  });
}
