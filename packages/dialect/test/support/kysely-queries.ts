import type { Kysely } from 'kysely';

/**
 * Records the SQL text of every query that goes through `db`'s `executeQuery` from now on (each
 * still runs): what a connection sends through its Kysely rather than straight to the driver.
 * @param db - the connection's Kysely (its `executeQuery` is wrapped in place).
 * @returns the list, in the order sent.
 * @example
 * ```ts
 * const throughKysely = recordKyselyQueries(conn.db);
 * await conn.execute({ sql: 'CREATE TABLE "t" ("a" int)', parameters: [] });
 * expect(throughKysely).toEqual([]);
 * ```
 */
export function recordKyselyQueries(db: Kysely<any>): string[] {
  const sent: string[] = [];
  const executeQuery = db.executeQuery.bind(db);
  db.executeQuery = ((query: { sql: string }) => {
    sent.push(query.sql);
    return executeQuery(query as never);
  }) as typeof db.executeQuery;
  return sent;
}
