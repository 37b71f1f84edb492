import mysql from 'mysql2';
import { afterEach, beforeEach } from 'vitest';

/** mysql2's base connection class, whose `query` every connection and pool connection sends through (a test may wrap it further; {@link recordMysqlQueries} restores it after each test). */
export const BaseConnection = Object.getPrototypeOf((mysql as unknown as { Connection: { prototype: object } }).Connection.prototype).constructor as {
  prototype: { query: (...args: unknown[]) => unknown };
};

/**
 * Records the SQL text of every query mysql2 sends during each test of the enclosing `describe`
 * (each still runs on the real server): registers a `beforeEach` that empties the list and wraps
 * mysql2's `query`, and an `afterEach` that restores it.
 * @returns the list, in the order sent; a test empties it with `sent.length = 0`.
 * @example
 * ```ts
 * const sent = recordMysqlQueries();
 * it('sends one statement', async () => {
 *   sent.length = 0;
 *   // … run something on MariaDB …
 *   expect(sent).toHaveLength(1);
 * });
 * ```
 */
export function recordMysqlQueries(): string[] {
  const sent: string[] = [];
  const query = BaseConnection.prototype.query;
  beforeEach(() => {
    sent.length = 0;
    BaseConnection.prototype.query = function (this: unknown, ...args: unknown[]) {
      const sql = args[0] as string | { sql?: string };
      sent.push(typeof sql === 'string' ? sql : String(sql?.sql));
      return query.apply(this, args);
    };
  });
  afterEach(() => {
    BaseConnection.prototype.query = query;
  });
  return sent;
}
