import type { Client, Query } from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { markFailedStatement } from '@multidb/core';

/**
 * What a {@link PostgresSession} is given of pg: a connected `pg.Client`. Structural, as Kysely
 * types its drivers: the package's declarations then need no driver types (pg is an optional
 * peer, and its types a separate `@types/pg` package). The session relies on pg's `Client`
 * behind these two methods (its query forms, and a `pg.Query` as a submittable).
 */
export interface PostgresSessionClient {
  /** pg's `client.query(…)`. */
  query(...args: any[]): unknown;
  /** pg's `client.getTransactionStatus()`: `'I'` idle, `'T'` in a transaction, `'E'` in a failed one. */
  getTransactionStatus(): string | null;
}

/** pg's `Query` class (`pg.Query`), structurally (see {@link PostgresSessionClient}). */
export type PostgresQueryClass = abstract new (...args: any[]) => object;

/**
 * The pinned `pg.Client` of a bind that multidb opened itself, as a Kysely pool of one, with three
 * savings in round trips per revision (DESIGN §7: one pinned session per bind):
 *
 * - `deferBegin()`: BEGIN goes out with the transaction's first statement, in the same simple-
 *   protocol query (`BEGIN;<statement>`) when that statement has no parameters, else just
 *   before it. A transaction in which nothing ran sends neither BEGIN nor COMMIT.
 * - `hold()`: a statement whose rows nobody reads (an op's DDL) waits for the next query: any
 *   query sends it first, on its own, and fails with its error if it fails (the query itself is
 *   then not sent); {@link PostgresSession.finish} sends it in the same query as the transaction's
 *   end (`BEGIN;<DDL>;<version write>;COMMIT`: a revision of one DDL statement is one round trip).
 *   Its error goes to the `onError` it was held with, then to whoever's query sent it.
 * - `lastCommand`: the command tag of the last statement. PostgreSQL answers COMMIT of a
 *   transaction aborted by an earlier error with the tag `ROLLBACK`, so the connection can tell a
 *   failed commit without a probe query before COMMIT.
 *
 * An error's `position` (where in the SQL it points) is made relative to the failing statement's
 * own text, whatever was sent before it in the same query.
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
 * const session = new PostgresSession(client, () => client.end(), pg.Query);
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: session.pool }) });
 * session.deferBegin();
 * await db.executeQuery(CompiledQuery.raw('CREATE TABLE "t" (a int)')); // sends BEGIN;CREATE TABLE …
 * session.deferBegin();
 * await session.hold('CREATE TABLE "u" (a int)', (error) => console.error('CREATE TABLE "u" failed:', error));
 * await session.finish('COMMIT'); // sends BEGIN;CREATE TABLE "u" (a int);COMMIT
 * ```
 */
export class PostgresSession {
  /** The pool of one to give Kysely: every query runs on the client; releasing keeps it open. */
  readonly pool: PostgresPool;
  readonly #client: Client;
  /** pg's Query, counting the statements of a multi-statement query that completed; `undefined`: nothing is held back. */
  readonly #CountingQuery: (new (text: string) => CountingQuery) | undefined;
  #beginPending = false;
  #lastCommand: string | undefined;
  /** The statement held back, if any. */
  #held: HeldStatement | undefined;
  /** A query of the open transaction named a savepoint: an error could be rolled back to it, so nothing is held back. */
  #savepoint = false;
  /** Settles when the last query sent has settled: the next one waits for it. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The error of a pipelined {@link finish} that failed: every query after it is refused until {@link drop}. */
  #failed: { readonly error: unknown } | undefined;
  /** Set by {@link cancel}: makes the error every query after it is refused with, unsent. */
  #refuse: (() => Error) | undefined;
  /** The query on the server (sent to the client and not settled), if any: what {@link cancel} cancels. */
  #onServer: Promise<unknown> | undefined;

  /**
   * @param client - the connected client.
   * @param end - ends the client (Kysely calls it on `destroy()`).
   * @param query - pg's `Query` class (`pg.Query`): with it, {@link hold} holds statements back;
   *   without it, or in a `pg` whose queries no longer count completed statements, `hold` sends
   *   at once.
   */
  constructor(client: PostgresSessionClient, end: () => Promise<void>, query?: PostgresQueryClass) {
    this.#client = client as unknown as Client;
    this.#CountingQuery = query ? countingQueryClass(query as unknown as typeof Query) : undefined;
    const pooled = {
      query: (sql: string, parameters: readonly unknown[]) => this.#enqueue(() => this.#send(sql, parameters)),
      release: () => undefined,
    } as unknown as PostgresPoolClient;
    this.pool = { connect: async () => pooled, end };
  }

  /**
   * Runs `task` once every task enqueued before it has settled. After a pipelined {@link finish}
   * failed, a gated task is refused, unsent, with a {@link PipelineAbortedError} until
   * {@link drop} (the statements of a transaction begun behind a commit that failed never reach
   * the server).
   */
  #enqueue<T>(task: () => Promise<T>, gated = true): Promise<T> {
    const result = this.#queue.then(() => {
      if (gated && this.#refuse) throw this.#refuse();
      if (gated && this.#failed) throw new PipelineAbortedError(this.#failed.error);
      return task();
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Sends the held statement on its own, then `sql`: the last statement's result. */
  async #send(sql: string, parameters: readonly unknown[]): Promise<unknown> {
    await this.#sendHeld();
    if (SAVEPOINT.test(sql)) this.#savepoint = true;
    if (this.#beginPending) {
      this.#beginPending = false;
      if (parameters.length === 0) return this.#last(await this.#sendWithBegin(sql));
      await this.#query('BEGIN');
    }
    return this.#last(await this.#query(sql, [...parameters]));
  }

  /** Sends the held statement, if any, on its own (with a pending BEGIN); its error goes to its `onError`, then is thrown. */
  async #sendHeld(): Promise<void> {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    const begin = this.#beginPending;
    this.#beginPending = false;
    try {
      this.#last(await (begin ? this.#sendWithBegin(held.sql) : this.#query(held.sql)));
    } catch (error) {
      report(held, error);
      throw error;
    }
  }

  /**
   * Sends `BEGIN;<sql>` (`sql` without parameters) in one simple query; an error's `position` is
   * made relative to `sql`. PostgreSQL parses the whole query before it runs any of it: when `sql`
   * does not parse (a syntax error), BEGIN does not run either, and the statements that follow
   * would each commit on their own. BEGIN then goes out on its own, and `sql` after it, which
   * fails again and aborts the transaction, as it does after a BEGIN of its own: a revision that
   * catches the error cannot go on outside its transaction. Without pg's `Query` (no count of the
   * statements that completed), BEGIN goes out on its own first.
   * @returns the query's result.
   * @throws the driver's error.
   */
  async #sendWithBegin(sql: string): Promise<unknown> {
    const Counting = this.#CountingQuery;
    if (!Counting) {
      await this.#query('BEGIN');
      return this.#query(sql);
    }
    const query = new Counting(`BEGIN;${sql}`);
    let unparsed: unknown;
    try {
      return await this.#submit(query);
    } catch (error) {
      if (query.completed > 0) throw shiftPosition(error, 'BEGIN;'.length);
      unparsed = error; // nothing of the query ran
    }
    try {
      await this.#query('BEGIN');
    } catch {
      throw shiftPosition(unparsed, 'BEGIN;'.length); // the session is gone: the first error is the one to tell
    }
    return this.#query(sql);
  }

  /** Sends a {@link CountingQuery}: its result, or its error. Refused, unsent, once {@link cancel}led. */
  #submit(query: CountingQuery): Promise<unknown> {
    if (this.#refuse) return Promise.reject(this.#refuse());
    return this.#onServerUntil(
      new Promise((resolve, reject) => {
        query.callback = (error, result) => (error ? reject(error) : resolve(result));
        this.#client.query(query);
      }),
    );
  }

  /** pg's `client.query(sql[, parameters])`: its result, or its error. Refused, unsent, once {@link cancel}led. */
  #query(sql: string, parameters?: unknown[]): Promise<unknown> {
    if (this.#refuse) return Promise.reject(this.#refuse());
    return this.#onServerUntil(Promise.resolve(parameters ? this.#client.query(sql, parameters) : this.#client.query(sql)));
  }

  /** Marks `sent` as the query on the server until it settles (see {@link cancel}). */
  #onServerUntil<T>(sent: Promise<T>): Promise<T> {
    this.#onServer = sent;
    const clear = () => {
      if (this.#onServer === sent) this.#onServer = undefined;
    };
    sent.then(clear, clear);
    return sent;
  }

  /** A multi-statement simple query answers with one result per statement: the last is ours. */
  #last(result: unknown): unknown {
    const last = (Array.isArray(result) ? result[result.length - 1] : result) as { command?: string };
    this.#lastCommand = last.command;
    return last;
  }

  /**
   * Sends BEGIN with the next statement instead of on its own. Takes effect in the session's
   * order: after every query and {@link finish} called before it, so a transaction can be begun
   * while a pipelined {@link finish} of the one before is still on the server.
   */
  deferBegin(): void {
    void this.#enqueue(async () => {
      this.#beginPending = true;
      this.#savepoint = false;
    }, false);
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

  /**
   * Holds `sql` back until the next query, or sends it at once where it cannot be held back:
   * held only in an open transaction (a deferred BEGIN, or the server says one is open: not after
   * the statements a revision sent itself committed it) in which no query named a savepoint (a
   * revision could then roll back to it after catching the statement's error, which a held
   * statement would raise too late), when the session was given pg's `Query`. `sql` must be one
   * statement without parameters, ending in code (not in a comment): it is joined to others with
   * `;`. A statement held before is sent first (its error then rejects this call).
   * @param sql - one statement, without parameters.
   * @param onError - receives the statement's error when it fails after this call resolved
   *   (before that error rejects the call that sent it).
   * @returns resolves when `sql` is held or has run.
   * @throws the error of the statement held before, or `sql`'s own when it was sent at once.
   */
  hold(sql: string, onError: (error: unknown) => void): Promise<void> {
    return this.#enqueue(async () => {
      await this.#sendHeld();
      const open = this.#beginPending || this.#client.getTransactionStatus() === 'T';
      if (this.#CountingQuery && open && !this.#savepoint) this.#held = { sql, onError };
      else await this.#send(sql, []);
    });
  }

  /**
   * Sends `statements`, the end of a transaction (`COMMIT`, or a version write then `COMMIT`), in
   * one query with what is pending: `BEGIN;<held statement>;<statements>`. When the held statement
   * fails, its error goes to its `onError` before this rejects with it; PostgreSQL runs nothing
   * after the failing statement of the query. When one of `statements` fails (a COMMIT refused by
   * a `DEFERRABLE INITIALLY DEFERRED` constraint), its error is marked with it
   * (`markFailedStatement`), as is the error of a COMMIT that PostgreSQL answered `ROLLBACK`.
   * @param statements - one statement, or several without parameters, the last ending the transaction.
   * @param options - `skipEmpty`: when neither BEGIN nor a statement is pending (nothing ran in the
   *   transaction: it was never opened on the server), send nothing. `pipelined`: the caller may
   *   begin its next transaction and send its statements before this settles ({@link deferBegin}
   *   and every query take their turn after it); when it fails (or PostgreSQL answers `ROLLBACK`: an
   *   error earlier in the transaction), the session rolls the transaction back on the server and
   *   refuses every query, {@link hold} and {@link finish} called after it with a
   *   {@link PipelineAbortedError}, unsent, until {@link drop}.
   * @returns whether a query was sent (`false` only with `skipEmpty`).
   * @throws the driver's error; pipelined, also the `25P02` error of a transaction PostgreSQL
   *   rolled back at COMMIT.
   */
  finish(statements: string | readonly string[], options: { readonly skipEmpty?: boolean; readonly pipelined?: boolean } = {}): Promise<boolean> {
    const list = typeof statements === 'string' ? [statements] : statements;
    if (!options.pipelined) return this.#enqueue(() => this.#finish(list, options));
    return this.#enqueue(async () => {
      try {
        await this.#finish(list, options);
        if (this.#lastCommand === 'ROLLBACK') throw abortedAtCommit();
        return true;
      } catch (error) {
        // What is queued behind it belongs to a transaction begun after it: refused until drop().
        this.#failed = { error };
        this.#held = undefined;
        this.#beginPending = false;
        if (this.#client.getTransactionStatus() !== 'I') await this.#query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * {@link finish}'s query, in the session's turn: `BEGIN;<held>;<statements>` (each part only
   * when pending), counting the statements that completed so that the one that failed is known.
   */
  async #finish(statements: readonly string[], options: { readonly skipEmpty?: boolean }): Promise<boolean> {
    const held = this.#held;
    this.#held = undefined;
    if (!held && options.skipEmpty && this.cancelBegin()) return false;
    const Counting = this.#CountingQuery;
    if (!Counting) {
      // Nothing is held back without pg's Query, and a failing statement of several cannot be told.
      try {
        await this.#send(statements.join(';'), []);
      } catch (error) {
        if (statements.length === 1) markFailedStatement(error, { sql: statements[0]!, parameters: [] });
        throw error;
      }
      return true;
    }
    const begin = this.#beginPending;
    this.#beginPending = false;
    const parts = [...(begin ? ['BEGIN'] : []), ...(held ? [held.sql] : []), ...statements];
    const query = new Counting(parts.join(';'));
    try {
      this.#last(await this.#submit(query));
    } catch (error) {
      // BEGIN completes, then the held statement: anything failing before its completion is its
      // error (a held statement that does not parse fails the whole query, none completed).
      const failed = query.completed;
      if (held && failed < (begin ? 2 : 1)) report(held, shiftPosition(error, begin ? 'BEGIN;'.length : 0));
      else if (failed >= parts.length - statements.length && failed < parts.length) markFailedStatement(error, { sql: parts[failed]!, parameters: [] });
      throw error;
    }
    return true;
  }

  /**
   * Rolls back a transaction open on the server that the session did not begin with a deferred
   * BEGIN (statements a revision sent began it: a BEGIN of its own), in the session's turn: pg's
   * transaction status says whether one is open (`'T'`, or `'E'` once a statement failed in it, when
   * PostgreSQL refuses every statement until ROLLBACK); ROLLBACK is sent when it is, or when the
   * status is unknown (PostgreSQL only warns when none is open). A statement held back and a
   * deferred BEGIN are dropped. Nothing is sent once {@link cancel}led, nor behind a failed
   * pipelined {@link finish} (which rolled back).
   * @returns whether ROLLBACK was sent.
   * @throws the driver's error for the ROLLBACK.
   */
  rollbackOpen(): Promise<boolean> {
    return this.#enqueue(async () => {
      this.#held = undefined;
      this.#beginPending = false;
      if (this.#refuse || this.#failed || this.#client.getTransactionStatus() === 'I') return false;
      await this.#query('ROLLBACK');
      return true;
    }, false);
  }

  /**
   * Whether a transaction is open, in the session's turn: a deferred BEGIN, or pg's transaction
   * status (`'T'`, or `'E'`: a failed one).
   * @returns `undefined` when pg does not tell (no status).
   */
  transactionOpen(): Promise<boolean | undefined> {
    return this.#enqueue(async () => {
      if (this.#beginPending) return true;
      const status = this.#client.getTransactionStatus();
      return status === 'I' ? false : status === 'T' || status === 'E' ? true : undefined;
    }, false);
  }

  /**
   * Drops the held statement, unsent (its transaction is being rolled back), and ends the refusal
   * that a failed pipelined {@link finish} began: queries after this one are sent again. Ending a
   * refusal also drops a deferred BEGIN: what was begun behind the failed commit never reached the
   * server.
   * @returns resolves, once the queries sent before it have settled, to whether it ended a refusal
   *   (then the session has no transaction open on the server: nothing to roll back).
   */
  drop(): Promise<boolean> {
    return this.#enqueue(async () => {
      const refused = this.#failed !== undefined;
      this.#held = undefined;
      if (refused) {
        this.#failed = undefined;
        this.#beginPending = false;
      }
      return refused;
    }, false);
  }

  /**
   * Ends the session's work on the server, for a run aborted at once (see
   * `DialectConnection.cancel`): from this call on, every query, {@link hold} and {@link finish} is
   * refused, unsent, with `refuse()`'s error (a statement held back or a deferred BEGIN is dropped:
   * nothing more of the transaction reaches the server); when a query is on the server,
   * `request` sends PostgreSQL's cancel request for this session, and this resolves once that
   * query has settled (with PostgreSQL's `57014` error, or its result when it ended first). The
   * session stays open: ending it rolls an open transaction back.
   * @param request - sends the cancel request (see `sendCancelRequest`).
   * @param refuse - makes the error a refused query rejects with.
   * @returns whether a query was on the server (`false`: nothing was sent, nothing to wait for).
   * @throws `request`'s error (the server could not be reached to cancel); the refusal stands.
   * @example
   * ```ts
   * import pg from 'pg';
   * import { sendCancelRequest, type CancelTarget } from './postgres-cancel-request.js';
   * const config = { connectionString: 'postgres://postgres@127.0.0.1:5432/app' };
   * const client = new pg.Client(config);
   * await client.connect();
   * const session = new PostgresSession(client, () => client.end(), pg.Query);
   * const cancelled = await session.cancel(() => sendCancelRequest(pg.Client, config, client as unknown as CancelTarget), () => new Error('not sent'));
   * ```
   */
  async cancel(request: () => Promise<void>, refuse: () => Error): Promise<boolean> {
    this.#refuse ??= refuse;
    this.#held = undefined;
    this.#beginPending = false;
    const onServer = this.#onServer;
    if (!onServer) return false;
    await request();
    await onServer.then(
      () => undefined,
      () => undefined,
    );
    return true;
  }

  /** The command tag of the last statement (`'COMMIT'`, `'ROLLBACK'`, `'CREATE'`, …). */
  get lastCommand(): string | undefined {
    return this.#lastCommand;
  }
}

/**
 * A query, held statement or transaction end that a {@link PostgresSession} refused, unsent:
 * it was sent after a pipelined `finish` (a transaction's COMMIT) that failed, so it belongs to a
 * transaction begun on the assumption that the one before committed. `cause`: that failure.
 *
 * @example
 * ```ts
 * try {
 *   await connection.execute({ sql: 'CREATE TABLE "t3" (a int)', parameters: [] });
 * } catch (error) {
 *   if (error instanceof PipelineAbortedError) console.error('not sent: the transaction before failed', error.cause);
 * }
 * ```
 */
export class PipelineAbortedError extends Error {
  /** `'PipelineAbortedError'`. */
  override readonly name = 'PipelineAbortedError';
  /** @param cause - the failure of the pipelined `finish` before it (its `cause`). */
  constructor(cause: unknown) {
    super(`Not sent: the transaction before it on this connection failed to commit (${cause instanceof Error ? cause.message : String(cause)}).`, { cause });
  }
}

/**
 * The error of COMMIT that PostgreSQL answered `ROLLBACK`: an earlier statement of the transaction
 * failed (code `25P02`). Marked with the COMMIT (`markFailedStatement`): a failed step names it.
 */
export function abortedAtCommit(): Error {
  const error = Object.assign(new Error('current transaction is aborted, commands ignored until end of transaction block: PostgreSQL rolled it back at COMMIT'), { code: '25P02' });
  markFailedStatement(error, { sql: 'COMMIT', parameters: [] });
  return error;
}

/** A statement {@link PostgresSession.hold} holds back. */
interface HeldStatement {
  readonly sql: string;
  readonly onError: (error: unknown) => void;
}

/** Gives a held statement's error to its `onError`, which must not replace that error by its own. */
function report(held: HeldStatement, error: unknown): void {
  try {
    held.onError(error);
  } catch {
    /* the statement's error is what the caller gets */
  }
}

/** pg's Query, with the number of statements of the query that completed. */
interface CountingQuery {
  completed: number;
  callback: ((error: Error | null, result: unknown) => void) | undefined;
  readonly text: string;
}

/** Where a query names a savepoint (SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT). */
const SAVEPOINT = /savepoint/i;

/**
 * pg's Query counting its completed statements (each `CommandComplete` message of a multi-
 * statement simple query; the submittable interface pg-cursor implements too), or `undefined`
 * when this `pg` has no such hook.
 */
function countingQueryClass(Base: typeof Query): (new (text: string) => CountingQuery) | undefined {
  const complete = (Base.prototype as unknown as { handleCommandComplete?: (...args: unknown[]) => unknown }).handleCommandComplete;
  if (typeof complete !== 'function') return undefined;
  const Counting = class extends (Base as unknown as new (text: string) => object) {
    completed = 0;
    handleCommandComplete(...args: unknown[]): unknown {
      this.completed++;
      return complete.apply(this, args);
    }
  };
  return Counting as unknown as new (text: string) => CountingQuery;
}

/**
 * Makes a driver error's `position` (1-based, in the text sent) relative to the statement that
 * followed `prefix` characters of other statements in the same query.
 * @returns the error, changed in place.
 */
function shiftPosition(error: unknown, prefix: number): unknown {
  const e = error as { position?: unknown };
  if (prefix > 0 && typeof e?.position === 'string' && Number(e.position) > prefix) e.position = String(Number(e.position) - prefix);
  return error;
}
