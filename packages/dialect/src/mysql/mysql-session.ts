import { MysqlDialect, type Driver, type MysqlPool, type MysqlPoolConnection } from 'kysely';
import { KyselyQueryCount } from '../shared/kysely-query-count.js';

/** What {@link MysqlSession.run} returns: the statement's rows (none for a write or DDL) and the rows it changed. */
export interface MysqlRunResult {
  /** The rows the statement returned (a SELECT); `[]` for one that returns none. */
  readonly rows: readonly Record<string, unknown>[];
  /** Rows inserted, updated or deleted (mysql2's `affectedRows`); `undefined` for a statement that returns rows. */
  readonly affectedRows: number | undefined;
}

/**
 * What a {@link MysqlSession} uses of a mysql2 `Connection` (`mysql.createConnection(…)`, connected).
 * Structural, as Kysely types its drivers: the package's declarations then need no driver types
 * (mysql2 is an optional peer, absent from an app without MySQL binds).
 */
export interface MysqlSessionConnection {
  /** Sends a statement with `?` placeholders; the callback gets mysql2's error or result. */
  query(sql: string, values: unknown[], callback: (error: unknown, result: any) => void): unknown;
  /** The same without a callback (Kysely streams through it). */
  query(sql: string, values: unknown[]): unknown;
  /** Ends the connection once its queued statements ran. */
  end(callback: (error?: unknown) => void): void;
  /** Closes the socket at once. */
  destroy(): void;
  /** The server's id of the session (`CONNECTION_ID()`), once connected: what `KILL QUERY` names. */
  readonly threadId?: number | null;
}

/**
 * The one mysql2 connection of a bind that multidb opened itself (DESIGN §7: one pinned session
 * per bind), as Kysely's MySQL dialect sees it (a pool of one: every acquire hands out the
 * connection, `release` keeps it, `end` closes it), with one saving per statement: while no
 * Kysely query of the session is issued and unfinished, {@link MysqlSession.run} sends the
 * connection's own statements (a revision's DDL, the version-table write, the lock's queries,
 * introspection) straight to mysql2, without Kysely's executor, connection provider and driver
 * layers and their promise hops. mysql2 queues what it is sent in order, so a statement sent
 * this way runs in the order Kysely would have run it; a Kysely query of user code in flight or
 * queued (an `op.db` query not awaited, a Kysely transaction open) makes the connection's
 * statements go through Kysely, as before.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * import { CompiledQuery, Kysely } from 'kysely';
 * const raw = mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'app' });
 * const session = new MysqlSession(raw);
 * const db = new Kysely<any>({ dialect: session.kyselyDialect() });
 * await db.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'")); // through Kysely, which initializes its driver
 * const sent = session.run('CREATE TABLE `t` (`a` int)', []); // sent at once: no Kysely query is in flight
 * await sent;
 * await db.destroy();
 * ```
 */
export class MysqlSession {
  readonly #raw: MysqlSessionConnection;
  readonly #count = new KyselyQueryCount();
  /** Ended: {@link run} leaves every statement to Kysely (which then reports the destroyed instance). */
  #closed = false;
  /** Set by {@link cancel}: makes the error every statement after it is refused with, unsent. */
  #refuse: (() => Error) | undefined;
  /** The statements given to mysql2 and not settled, in the order sent (mysql2 runs them in that order), each with its answer callback (called with an error, it settles the statement with it). */
  readonly #sent = new Map<Promise<void>, (error: unknown, result: any) => void>();

  /** @param raw - the connected mysql2 connection; ending the session's pool ends it. */
  constructor(raw: MysqlSessionConnection) {
    this.#raw = raw;
  }

  /**
   * Kysely's MySQL dialect on the connection, whose driver tells the session when a Kysely query is
   * issued and when it is done, so that {@link run} can bypass Kysely while none is. Make the
   * session's one Kysely with it; call it once.
   */
  kyselyDialect(): MysqlDialect {
    const count = this.#count;
    return new (class extends MysqlDialect {
      override createDriver(): Driver {
        return count.wrap(super.createDriver());
      }
    })({ pool: this.#pool() });
  }

  /** A pool of one over the connection: every acquire hands it out and `release` keeps it; `end` closes it. */
  #pool(): MysqlPool {
    const raw = this.#raw;
    const pinned: MysqlPoolConnection = {
      query: ((sql: string, parameters: unknown[], callback?: (error: unknown, result: any) => void) => {
        if (callback) return this.#query(sql, parameters, callback);
        // A streamed query (Kysely's `stream()`): refused once cancelled, not tracked for cancel().
        if (this.#refuse) throw this.#refuse();
        return raw.query(sql, parameters);
      }) as MysqlPoolConnection['query'],
      release: () => undefined,
    };
    return {
      getConnection: (callback) => callback(null, pinned),
      end: (callback) => {
        this.#closed = true;
        raw.end((error) => {
          if (error) raw.destroy();
          callback(null);
        });
      },
    };
  }

  /**
   * Sends one statement at once to mysql2, as Kysely's MySQL driver would (same text and
   * parameters; a driver error is the same object, its stack extended with the caller's as
   * Kysely extends it). Only while no Kysely query of the session is issued and unfinished.
   * @param sql - the statement (`?` placeholders, formatted by mysql2).
   * @param parameters - its parameters.
   * @returns a promise of its rows and affected rows; `undefined` (nothing sent) when a Kysely
   *   query is in flight or queued, before the first Kysely query of the session has finished
   *   (Kysely's driver is initialized by it), when the session's Kysely was not made with
   *   {@link kyselyDialect}, or once ended: send it through Kysely then.
   */
  run(sql: string, parameters: readonly unknown[]): Promise<MysqlRunResult> | undefined {
    if (!this.#count.idle || this.#closed) return undefined;
    const sent = new Promise<unknown>((resolve, reject) => {
      this.#query(sql, parameters as unknown[], (error, result) => (error ? reject(error) : resolve(result)));
    });
    return settle(sent);
  }

  /**
   * mysql2's `query(sql, parameters, callback)`, tracked until its callback ran (see
   * {@link cancel}); once cancelled, the callback gets the refusal instead, and nothing is sent.
   */
  #query(sql: string, parameters: unknown[], callback: (error: unknown, result: any) => void): unknown {
    const refuse = this.#refuse;
    if (refuse) {
      queueMicrotask(() => callback(refuse(), undefined));
      return undefined;
    }
    let settled!: () => void;
    const done = new Promise<void>((resolve) => (settled = resolve));
    let answered = false;
    const answer = (error: unknown, result: any) => {
      if (answered) return; // given up before (abandon), then reported by mysql2 too
      answered = true;
      this.#sent.delete(done);
      settled();
      callback(error, result);
    };
    this.#sent.set(done, answer);
    return this.#raw.query(sql, parameters, answer);
  }

  /** The statement in flight (given to mysql2, not settled), if any: what `watchLiveness` tells one statement from the next by. */
  get inFlight(): unknown {
    return this.#sent.keys().next().value;
  }

  /**
   * Gives the session up (a dead network path): from this call on every statement is refused,
   * unsent, with `error`; the socket is destroyed, and every statement in flight rejects with
   * `error` at once (mysql2 may report it later too: only the first answer counts).
   * @param error - what the statements in flight and after reject with.
   * @param destroy - destroys the connection's socket.
   * @example
   * ```ts
   * function giveUp(session: MysqlSession): void {
   *   session.abandon(new Error('the server stopped answering'), () => undefined); // and destroy the socket
   * }
   * ```
   */
  abandon(error: Error, destroy: () => void): void {
    this.#refuse ??= () => error;
    destroy();
    for (const answer of [...this.#sent.values()]) answer(error, undefined);
  }

  /**
   * Ends the session's work on the server, for a run aborted at once (see
   * `DialectConnection.cancel`): from this call on, every statement is refused, unsent, with
   * `refuse()`'s error; while a statement is on the server, `kill` (`KILL QUERY <thread id>` from
   * a second, short connection) interrupts it, and this resolves once it has settled (error
   * `1317`, `Query execution was interrupted`, or its result when it ended first). A statement
   * that mysql2 had queued behind it goes out then, and is killed in turn. The session stays open.
   * @param kill - sends `KILL QUERY` for the given thread id on another connection; rejects when
   *   it did not (the server could not be reached, the session could not be verified there).
   * @param refuse - makes the error a refused statement rejects with.
   * @returns whether a statement was on the server (`false`: nothing was sent).
   * @throws `kill`'s error; the refusal stands.
   * @example
   * ```ts
   * import mysql from 'mysql2';
   * import { killQuery } from './mysql-kill-query.js';
   * import type { MysqlSessionIdentity } from './mysql-session-probe.js';
   * const config = { host: '127.0.0.1', user: 'root', database: 'app' };
   * async function abort(session: MysqlSession, identity: MysqlSessionIdentity): Promise<boolean> {
   *   const kill = async () => {
   *     if (!(await killQuery(mysql, config, identity, 'mariadb'))) throw new Error('not verified: not killed');
   *   };
   *   return session.cancel(kill, () => new Error('not sent'));
   * }
   * ```
   */
  async cancel(kill: (threadId: number) => Promise<void>, refuse: () => Error): Promise<boolean> {
    this.#refuse ??= refuse;
    const threadId = this.#raw.threadId;
    if (this.#sent.size === 0 || threadId === undefined || threadId === null) return false;
    while (this.#sent.size > 0) {
      const first = this.#sent.keys().next().value!;
      await kill(threadId);
      await first;
    }
    return true;
  }
}

/** The result of a query as {@link MysqlRunResult}, or its error with the caller's stack added. */
async function settle(sent: Promise<unknown>): Promise<MysqlRunResult> {
  let result: unknown;
  try {
    result = await sent;
  } catch (error) {
    throw extendStack(error, new Error());
  }
  if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affectedRows: undefined };
  const affected = (result as { affectedRows?: unknown } | null)?.affectedRows;
  return { rows: [], affectedRows: typeof affected === 'number' ? affected : undefined };
}

/** Appends the stack of `caller` (its first line left out) to the error's, as Kysely's drivers do. */
function extendStack(error: unknown, caller: Error): unknown {
  const e = error as { stack?: unknown };
  if (e !== null && typeof e === 'object' && typeof e.stack === 'string' && caller.stack) e.stack += `\n${caller.stack.split('\n').slice(1).join('\n')}`;
  return error;
}
