import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { wrappedKysely } from './kysely-class.js';

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
    execute: (query) => tracker.query(query, () => db.executeQuery(query)),
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
