import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { wrappedKysely } from './kysely-class.js';
import { failedQueryOf, sendMarked } from './marking-kysely.js';

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
 * recorded (MySQL, MariaDB). Compiles with `db`'s adapter and compiler and runs `db`'s plugins
 * (a bind given an application's Kysely with `CamelCasePlugin` writes snake_case names), so
 * queries read the same. The error of a query the database refuses is marked with that query (see
 * `failedQueryOf`), so that the runner can name it, and gets the stack of the revision's call
 * appended (as Kysely's drivers append theirs), so that the runner finds the revision's line: the
 * tracker sends the query once the writes before it settled, out of reach of the driver's own
 * stack. It reaches the revision otherwise unchanged (the same object, message and fields).
 *
 * @param db - Kysely on the bind's pinned connection (its plugins are the wrapper's).
 * @param tracker - sees each query and transaction.
 * @param plain - `db` without its plugins (default `db`), where queries are sent: the wrapper
 *   already ran the plugins, so a result is transformed once, not a second time by `db`.
 * @returns a Kysely whose queries go through `tracker`.
 * @example
 * ```ts
 * const seen: string[] = [];
 * const db = trackingKysely(
 *   connection.db,
 *   {
 *     query: (q, send) => (seen.push(q.sql), send()),
 *     begin: () => connection.begin(), commit: () => connection.commit(), rollback: () => connection.rollback(),
 *   },
 *   connection.plainDb,
 * );
 * ```
 * @internal
 */
export function trackingKysely(db: Kysely<any>, tracker: QueryTracker, plain: Kysely<any> = db): Kysely<any> {
  return wrappedKysely(db, {
    execute: async (query) => {
      try {
        return await tracker.query(query, () => sendMarked(plain, query));
      } catch (error) {
        // The driver's error is marked with its query (the runner names it); the tracker's own are not.
        if (failedQueryOf(error)) appendCallerStack(error, new Error());
        throw error;
      }
    },
    begin: () => tracker.begin(),
    commit: () => tracker.commit(),
    rollback: () => tracker.rollback(),
    introspector: {
      getSchemas: () => db.introspection.getSchemas(),
      getTables: (options) => db.introspection.getTables(options),
      getMetadata: (options) => db.introspection.getMetadata(options),
    },
    plugins: db.getExecutor().plugins,
  });
}

/** Appends the stack of `caller` (its first line, the message, left out) to `error`'s. */
function appendCallerStack(error: unknown, caller: Error): void {
  const e = error as { stack?: unknown };
  if (typeof e.stack === 'string' && caller.stack) e.stack += `\n${caller.stack.split('\n').slice(1).join('\n')}`;
}
