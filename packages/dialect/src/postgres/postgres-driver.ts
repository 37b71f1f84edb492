import {
  BindError,
  DatabaseNotFoundError,
  maskDatabaseUrl,
  maskSecrets,
  MultidbError,
  UrlError,
  type ConnectOptions,
  type Dialect,
  type DialectConnection,
  type DialectDriver,
} from '@multidb/core';
import { createRequire } from 'node:module';
import { PostgresDialect as KyselyPostgresDialect, type Kysely } from 'kysely';
import type { Client, ClientConfig, Query } from 'pg';
import { PostgresSession } from './postgres-session.js';
import { sendCancelRequest, type CancelTarget } from './postgres-cancel-request.js';
import { postgresSessionState, terminatePostgresSession, type PostgresSessionIdentity, type ProbeClientClass } from './postgres-session-probe.js';
import { KEEPALIVE_INITIAL_DELAY_MS } from '../shared/keepalive.js';
import { ConnectAbort } from '../shared/connect-abort.js';
import { connectLimitHint } from '../shared/connect-limit.js';
import { connectionKyselys } from '../shared/connection-kyselys.js';
import { projectKysely } from '../shared/project-kysely.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { PostgresConnection } from './postgres-connection.js';
import { postgresDialect } from './postgres-dialect.js';
import { postgresEscapedLiteral } from './postgres-literal.js';
import { parsePostgresUrl } from './postgres-url.js';

/** How long ending a session given up on may take (connect, then `pg_terminate_backend`), in milliseconds each. */
const TERMINATE_WAIT_MS = 2000;

/** Default connect timeout (ConnectOptions.connectTimeoutMs): pg's own default waits forever. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** What {@link loadPg} takes from `pg`. */
interface PgModule {
  readonly Client: new (config: ClientConfig) => Client;
  /** pg's Query class, with which the session holds statements back (see {@link PostgresSession}). */
  readonly Query?: typeof Query;
}

/**
 * Loads `pg` on first use, so importing this module loads no driver. Required (pg is CommonJS),
 * not imported: its load then runs in one synchronous step, see {@link withoutCloudflareProbe}.
 */
async function loadPg(): Promise<PgModule> {
  const mod = withoutCloudflareProbe(() => createRequire(import.meta.url)('pg')) as { default?: Partial<PgModule> } & Partial<PgModule>;
  const Client = mod.default?.Client ?? mod.Client;
  if (!Client) throw new Error("The 'pg' module has no Client export.");
  const Query = mod.default?.Query ?? mod.Query;
  return Query ? { Client, Query } : { Client };
}

/**
 * Runs `load` (pg's `require`) with a `navigator` defined while it runs, when Node has none (Node 20;
 * Node 21 and later define one). At load, pg asks whether it runs in a Cloudflare Worker: by
 * `navigator.userAgent` when there is a `navigator`, else by constructing a `Response`, whose
 * first use makes Node 20 load its whole fetch implementation (undici and the web streams): ~40–90
 * ms of CPU in every process that connects to PostgreSQL, for a class nothing here uses. The
 * `navigator` it sees says `Node.js`, as Node's own would; it is removed before `load` returns
 * (also when it throws), and nothing else runs meanwhile (the require is synchronous).
 */
function withoutCloudflareProbe<T>(load: () => T): T {
  const scope = globalThis as { navigator?: unknown };
  if ('navigator' in scope) return load();
  Object.defineProperty(scope, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true, writable: true, enumerable: false });
  try {
    return load();
  } finally {
    delete scope.navigator;
  }
}

/**
 * The PostgreSQL driver: connects a bind through Kysely's PostgreSQL dialect over ONE `pg.Client`
 * (a pool of one, pinned for the whole run: advisory locks and transactions belong to a session).
 * `pg` is imported only inside `connect`.
 *
 * `connect` takes the bind's URL (`postgres://` or `postgresql://`, see {@link parsePostgresUrl};
 * query parameters such as `sslmode` go to `pg`), with a connect timeout of `connectTimeoutMs`
 * (default 10 s) so an unreachable host fails in seconds. With `schema`, the schema is created when
 * missing (with `create: false`, a missing schema is a `DatabaseNotFoundError` and nothing is
 * created: read-only commands report the bind at base) and put first on the session's `search_path` (`SET search_path TO "schema", public`), so
 * unqualified tables and the version table live there. A schema that connecting created is
 * dropped again by the connection's `discard()` while it holds nothing (core calls it instead of
 * `close()` after a failed run: see {@link PostgresConnection.discard}). Custom tooling may pass a Kysely on
 * PostgreSQL instead of a URL: one of its connections is borrowed for the run and handed back
 * on close (the Kysely is not destroyed). With `versionTable`, the identity query also tells
 * whether that table exists ({@link PostgresConnection.readVersionTable}). `connectsToServer`:
 * a run of tenant groups opens the next group's connection while the current one runs. With
 * `signal` (core passes the command's), an abort while connecting or preparing the schema ends
 * the session at once (its socket destroyed, not waiting out the connect timeout on a host that
 * does not answer) and `connect` rejects (a borrowed Kysely connection is left to its owner).
 *
 * A connection that dies silently (a NAT or firewall dropping its packets, no FIN or RST) is
 * not waited for until the OS gives up on it (~15 min of retransmissions on Linux):
 * - the session uses TCP keepalive (pg's `keepAlive`), its first probe after
 *   {@link KEEPALIVE_INITIAL_DELAY_MS} (30 s) without traffic, so the OS notices a dead peer
 *   of an idle session, or of one waiting for a long statement, and the query fails;
 * - a migration-lock poll (instant on the server) left unanswered for the connect timeout gives
 *   the session up (`ConnectionLostError`, see {@link PostgresConnection.acquireLock}); a
 *   revision's statement has no such limit, however long it runs;
 * - closing the session waits at most the connect timeout for the server to close its socket
 *   (then destroys it);
 * - once a run is asked to stop, a statement in flight on a server that can no longer be reached,
 *   or whose answer was lost, is abandoned ({@link PostgresConnection.watchForLoss}); the
 *   session's identity (pid, `backend_start`, the server's start time and port) is read on it
 *   with the connection's first query, and nothing is concluded, nor any session ended, for a
 *   session that cannot be identified so (behind a pooler such as PgBouncer). A role that may
 *   not read `pg_stat_activity` (revoked from `PUBLIC` on a hardened server) gets no
 *   `backend_start`: its session is given up only when the server cannot be reached at all, and
 *   not ended on the server; every command works as usual (the view is only read where it may be).
 *
 * @throws {@link UrlError} (masked) for a bad URL or when neither `url` nor `kysely` is given;
 *   `MultidbError` with code `'CONNECT'` when the server cannot be reached, refuses the login or
 *   the schema cannot be prepared; an `Error` with `code` `'ABORTED'` once `signal` is aborted
 *   (see `ConnectOptions.signal`). Messages never contain the password
 *   (`[db2] cannot connect to postgres://app:***@127.0.0.1:5432/sales: …`).
 * @example
 * ```ts
 * const connection = await postgresDriver.connect({ bind: 'db2', url: 'postgres://app:secret@127.0.0.1:5432/sales', baseDir: process.cwd(), schema: 'billing' });
 * console.log(await connection.identity()); // 'postgres(system 7711477750036944997)/sales'
 * await connection.close();
 * ```
 */
export const postgresDriver: DialectDriver = Object.freeze({
  connectsToServer: true,

  dialect(_url?: string): Dialect {
    return postgresDialect;
  },

  async connect(options: ConnectOptions): Promise<DialectConnection> {
    // Asked to stop (options.signal): the session being opened is ended at once, the socket destroyed.
    const abort = new ConnectAbort(options.bind, options.kysely ? undefined : options.signal);
    try {
      return await connectBind(options, abort);
    } catch (error) {
      if (abort.aborted) throw abort.error();
      throw error;
    } finally {
      abort.dispose();
    }
  },
});

/** {@link postgresDriver}'s connect: opens the session (or borrows one) and prepares the bind's schema; `abort` ends both. */
async function connectBind(options: ConnectOptions, abort: ConnectAbort): Promise<PostgresConnection> {
  const connection = options.kysely ? await borrowConnection(options, options.kysely) : await openClient(options, abort);
  if (options.schema !== undefined) {
    try {
      await abort.race(prepareSchema(connection, options.schema, options.create ?? true, !options.kysely));
    } catch (error) {
      if (abort.aborted) {
        await connection.close().catch(() => undefined);
        throw abort.error();
      }
      // The server was reached: name it, so two binds on one database are still refused.
      const identity = error instanceof SchemaMissing ? await connection.identity().catch(() => undefined) : undefined;
      await connection.close().catch(() => undefined);
      if (error instanceof SchemaMissing) {
        const where = options.url ? maskDatabaseUrl(options.url) : 'the given Kysely instance';
        throw new DatabaseNotFoundError({ bind: options.bind, location: `${quoteIdentifier(options.schema)} on ${where}`, what: 'schema', ...(identity !== undefined ? { identity } : {}) });
      }
      throw connectError(options, `cannot prepare schema ${quoteIdentifier(options.schema)} on`, error);
    }
  }
  return connection;
}

/** Opens the bind's `pg.Client`; `abort` ends it (the socket destroyed) while it connects or prepares. */
async function openClient(options: ConnectOptions, abort: ConnectAbort): Promise<PostgresConnection> {
  if (!options.url) throw new UrlError(`Bind '${options.bind}' has neither a URL nor a Kysely instance.`, { bind: options.bind });
  parsePostgresUrl(options.url); // a clear UrlError before pg sees the URL
  const { Client, Query } = await loadPg();
  if (abort.aborted) throw abort.error(); // nothing opened yet
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  // Trimmed as parsePostgresUrl reads it: pg takes ' postgres://…' (a secret or YAML value with a
  // space before it) for a relative URL, and would try to reach a host named 'base'.
  const config: ClientConfig = {
    connectionString: options.url.trim(),
    connectionTimeoutMillis: timeoutMs,
    application_name: 'multidb',
    // A peer that died silently is detected by the OS in bounded time (see the driver's TSDoc).
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
  };
  const client = new Client(config);
  // A session that ends under us (pg_terminate_backend, a restart) surfaces as the next query's
  // error; without a listener pg's 'error' event would crash the process. Once its socket has
  // ended, the connection is lost (a bind waiting for its turn is then opened again).
  client.on('error', () => undefined);
  let lost = false;
  client.on('end', () => (lost = true));
  let ended: Promise<void> | undefined;
  const pgClient = client as unknown as PgClientInternals;
  // pg's end() sends its Terminate message and waits for the server to close the socket, which a
  // server whose network path died never does (an idle session too: its end waited ~15 min of
  // retransmissions, or for ever): once the connect timeout has passed, the socket is destroyed.
  const end = () => (ended ??= endWithin(client, pgClient, timeoutMs));
  // Given up (a dead network path): the socket destroyed with `error`, which pg gives the query in
  // flight; the server, which may not notice for long, is asked to end the session (its
  // transaction rolled back, its migration lock freed) when its identity was verified at
  // connect (only the backend with that pid and start is ended; none without its start), and
  // close() waits a little for that.
  let terminating: Promise<unknown> | undefined;
  const abandon = (error: Error, identity: PostgresSessionIdentity | undefined) => {
    if (lost) return;
    lost = true;
    pgClient.connection?.stream?.destroy?.(error);
    if (identity) terminating = terminatePostgresSession(Client as unknown as ProbeClientClass, config, identity, TERMINATE_WAIT_MS).catch(() => undefined);
  };
  // Asked to stop: pg's end() alone would write its Terminate message and wait for the server,
  // which a host that does not answer never does; its socket is destroyed too, so the connect (or
  // the query in progress) fails at once and nothing stays open.
  abort.onAbort(() => {
    const ending = end();
    (client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
    return ending;
  });
  try {
    await abort.race(client.connect());
  } catch (error) {
    await end();
    if (abort.aborted) throw abort.error();
    const timedOut = /timeout/i.test(String((error as Error)?.message));
    throw connectError(options, 'cannot connect to', timedOut ? new Error(`no answer within ${timeoutMs} ms (${(error as Error).message})`, { cause: error }) : error);
  }
  const session = new PostgresSession(client, end, Query);
  // User code's Kysely is the project's copy where it may be (see projectKysely), made (and that
  // copy loaded) when user code first reads the connection's `db`.
  const load = projectKysely(options.moduleAlias);
  const { db, plainDb, destroy } = connectionKyselys(new KyselyPostgresDialect({ pool: session.pool }), load && (() => {
    const own = load();
    return own && { Kysely: own.Kysely, dialect: new own.PostgresDialect({ pool: session.pool }) };
  }));
  return new PostgresConnection({
    bind: options.bind,
    db,
    plainDb,
    session,
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
    ...(options.versionTable !== undefined ? { versionTable: options.versionTable } : {}),
    // A second Ctrl-C: the statement running is interrupted on the server, not left to run to its end.
    cancelRequest: () => sendCancelRequest(Client, config, client as unknown as CancelTarget), // pg sets processID and secretKey at connect (not in its type declarations)
    lost: () => lost,
    abandon,
    answerMs: timeoutMs,
    ...(typeof pgClient.processID === 'number' ? { backendPid: pgClient.processID } : {}),
    probe: (identity) => postgresSessionState(Client as unknown as ProbeClientClass, config, identity, timeoutMs),
    // pg 8.x's `activeQuery` getter prints a DeprecationWarning: read it only where `_getActiveQuery` is missing.
    inFlight: () => (typeof pgClient._getActiveQuery === 'function' ? pgClient._getActiveQuery() : pgClient.activeQuery) ?? undefined,
    close: async () => {
      await destroy();
      await end(); // Kysely ends the pool only once a query ran through it
      if (terminating) await terminating;
    },
  });
}

/**
 * Ends a `pg.Client` (`end()`: its Terminate message, then the socket closed), waiting at most
 * `ms` for the server to close the socket before destroying it. Never rejects.
 */
async function endWithin(client: Client, internals: PgClientInternals, ms: number): Promise<void> {
  const ending = client.end().catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    if ((await Promise.race([ending, late])) !== 'late') return;
    internals.connection?.stream?.destroy?.();
    await ending;
  } finally {
    clearTimeout(timer);
  }
}

/** What the driver reads of a connected `pg.Client` beyond its type declarations. */
interface PgClientInternals {
  readonly connection?: { readonly stream?: { destroy?: (error?: Error) => void } };
  /** The backend's pid, set at connect from the server's backend key data (a pooler's own, or absent/0 when none was sent). */
  readonly processID?: number | null;
  /** The query on the server (pg 8.x: `_getActiveQuery()`; older: `activeQuery`). */
  _getActiveQuery?(): unknown;
  readonly activeQuery?: unknown;
}

/**
 * Pins one connection of a Kysely supplied by custom tooling: `connection().execute` holds a
 * single connection for as long as its callback runs, so the callback waits until close.
 */
async function borrowConnection(options: ConnectOptions, kysely: Kysely<any>): Promise<PostgresConnection> {
  let handBack!: () => void;
  const held = new Promise<void>((resolve) => (handBack = resolve));
  let finished: Promise<void> | undefined;
  const pinned = await new Promise<Kysely<any>>((resolve, reject) => {
    finished = kysely
      .connection()
      .execute(async (db) => {
        resolve(db);
        await held;
      })
      .catch((error: unknown) => {
        reject(connectError(options, 'cannot borrow a connection for', error));
      });
  });
  return new PostgresConnection({
    bind: options.bind,
    db: pinned,
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
    ...(options.versionTable !== undefined ? { versionTable: options.versionTable } : {}),
    close: async () => {
      handBack();
      await finished;
    },
  });
}

/** The bind's schema does not exist and the connection may not create it (`create: false`). */
class SchemaMissing extends Error {}

/**
 * Puts the bind's schema first on the `search_path`, creating it when missing (and `create`). On a
 * session multidb opened, the SET and the look-up go in one simple-protocol query (the SET first:
 * PostgreSQL takes a schema on the path before it exists; the session answers with the last
 * statement's rows); on a borrowed connection, as two queries.
 */
async function prepareSchema(connection: PostgresConnection, schema: string, create: boolean, ownSession: boolean): Promise<void> {
  const quoted = quoteIdentifier(schema);
  const setPath = `SET search_path TO ${quoted}, public`;
  const existing = ownSession
    ? await connection.execute({ sql: `${setPath};SELECT 1 AS found FROM pg_catalog.pg_namespace WHERE nspname = ${postgresEscapedLiteral(schema)}`, parameters: [] })
    : await connection.execute({ sql: 'SELECT 1 AS found FROM pg_catalog.pg_namespace WHERE nspname = $1', parameters: [schema] });
  if (existing.length === 0 && !create) throw new SchemaMissing(schema);
  if (existing.length === 0) {
    try {
      // On a session of its own, the connection remembers it created the schema: its discard() drops it while it holds nothing.
      if (ownSession) await connection.createSchema();
      else await connection.execute({ sql: `CREATE SCHEMA IF NOT EXISTS ${quoted}`, parameters: [] });
    } catch (error) {
      // Another process created it at the same moment.
      const code = (error as { code?: unknown })?.code;
      if (code !== '23505' && code !== '42P06') throw error;
    }
  }
  if (!ownSession) await connection.execute({ sql: setPath, parameters: [] });
}

/** A `CONNECT` {@link BindError} naming the bind and the masked URL, with every secret of the URL masked. */
function connectError(options: ConnectOptions, what: string, error: unknown): BindError {
  const reason = error instanceof Error ? error.message : String(error);
  const where = options.url ? maskDatabaseUrl(options.url) : 'the given Kysely instance';
  const doing = what.replace(/^cannot /, '');
  const hint = connectLimitHint(error);
  return new BindError({ bind: options.bind, action: 'connect', doing, location: where, reason: maskSecrets(reason, [options.url]), ...(hint !== undefined ? { hint } : {}) }, { cause: error, code: 'CONNECT' });
}
