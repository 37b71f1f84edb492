import type { Client } from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * The pinned `pg.Client` of a bind that multidb opened itself, as a Kysely pool of one, with two
 * savings in round trips per revision (DESIGN §7: one pinned session per bind):
 *
 * - `deferBegin()`: BEGIN goes out with the transaction's first statement, in the same simple-
 *   protocol query (`BEGIN;<statement>`) when that statement has no parameters, else just
 *   before it. A transaction in which nothing ran sends neither BEGIN nor COMMIT.
 * - `lastCommand`: the command tag of the last statement. PostgreSQL answers COMMIT of a
 *   transaction aborted by an earlier error with the tag `ROLLBACK`, so the connection can tell a
 *   failed commit without a probe query before COMMIT.
 *
 * Queries sent at the same time (kysely-codegen's introspector runs several with `Promise.all`)
 * go to the client one after the other, in the order they were sent: pg deprecates queueing
 * them itself.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
 * const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/app' });
 * await client.connect();
 * const session = new PostgresSession(client, () => client.end());
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: session.pool }) });
 * session.deferBegin();
 * await db.executeQuery(CompiledQuery.raw('CREATE TABLE "t" (a int)')); // sends BEGIN;CREATE TABLE …
 * ```
 */
export class PostgresSession {
  /** The pool of one to give Kysely: every query runs on the client; releasing keeps it open. */
  readonly pool: PostgresPool;
  #beginPending = false;
  #lastCommand: string | undefined;
  /** Settles when the last query sent has settled: the next one waits for it. */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param client - the connected client.
   * @param end - ends the client (Kysely calls it on `destroy()`).
   */
  constructor(client: Client, end: () => Promise<void>) {
    const send = async (sql: string, parameters: readonly unknown[]) => {
      let text = sql;
      if (this.#beginPending) {
        this.#beginPending = false;
        if (parameters.length === 0) text = `BEGIN;${sql}`;
        else await client.query('BEGIN');
      }
      // A multi-statement simple query answers with one result per statement: the last is ours.
      const result = (await client.query(text, [...parameters])) as unknown;
      const last = (Array.isArray(result) ? result[result.length - 1] : result) as { command?: string };
      this.#lastCommand = last.command;
      return last;
    };
    const pooled = {
      query: (sql: string, parameters: readonly unknown[]) => {
        const result = this.#queue.then(() => send(sql, parameters));
        this.#queue = result.catch(() => undefined);
        return result;
      },
      release: () => undefined,
    } as unknown as PostgresPoolClient;
    this.pool = { connect: async () => pooled, end };
  }

  /** Sends BEGIN with the next statement instead of on its own. */
  deferBegin(): void {
    this.#beginPending = true;
  }

  /**
   * Drops a deferred BEGIN that has not gone out yet.
   * @returns whether one was pending (then no transaction was opened on the server).
   */
  cancelBegin(): boolean {
    const pending = this.#beginPending;
    this.#beginPending = false;
    return pending;
  }

  /** The command tag of the last statement (`'COMMIT'`, `'ROLLBACK'`, `'CREATE'`, …). */
  get lastCommand(): string | undefined {
    return this.#lastCommand;
  }
}
