import { connectOrUnreachable, FINISHED_AFTER_SECONDS, type SessionState } from '../shared/liveness-watch.js';

/** What {@link postgresSessionState} uses of `pg.Client` (structural: the package's declarations need no driver types). */
export type ProbeClientClass = new (config: any) => {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  query(sql: string, parameters: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  readonly connection: unknown;
};

/**
 * Who a PostgreSQL session is, read on the session itself (with the connection's first query):
 * what a liveness probe and the end of a session given up on check before they conclude or act,
 * so that a side connection that reached another server, or a pid that is another session's (a
 * pooler's, a pid reused), is never taken for it. Texts as the server renders them, compared as
 * such. Without `backendStart` (a role that may not read `pg_stat_activity`), the session cannot
 * be told from another of its pid: a probe then only shows whether the server can be reached, and
 * the session is never ended from a side connection.
 */
export interface PostgresSessionIdentity {
  /** `pg_backend_pid()`, which the client's backend key names too. */
  readonly pid: number;
  /**
   * The session's `backend_start` (`pg_stat_activity`), in epoch seconds; absent where the role
   * may not read `pg_stat_activity` (see {@link POSTGRES_READS_ACTIVITY}).
   */
  readonly backendStart?: string;
  /** The server's `pg_postmaster_start_time()`, in epoch seconds. */
  readonly serverStarted: string;
  /** The server's `port` setting. */
  readonly port: string;
}

/**
 * The columns, for a session identity, of the query that reads the server's identity at connect
 * (`pid`, `backend_start`; the server's start time and port are read by it already), where the
 * role may read `pg_stat_activity` ({@link POSTGRES_READS_ACTIVITY}); else
 * {@link POSTGRES_SESSION_PID_COLUMN}.
 */
export const POSTGRES_SESSION_COLUMNS =
  'pg_backend_pid() AS pid, (SELECT extract(epoch FROM a.backend_start)::text FROM pg_catalog.pg_stat_activity AS a WHERE a.pid = pg_backend_pid()) AS backend_start';

/**
 * The column, for a session identity, of the query that reads the server's identity at connect,
 * where the role may not read `pg_stat_activity`: `pid` alone (`pg_backend_pid()` needs no privilege).
 */
export const POSTGRES_SESSION_PID_COLUMN = 'pg_backend_pid() AS pid';

/**
 * An SQL expression, true when the role may read `pg_stat_activity`: `SELECT` on the view and
 * `EXECUTE` on the function it calls (a hardened server revokes the one or the other from
 * `PUBLIC`; a query that names the view then fails, `42501`, whatever part of it would run).
 * Needs no privilege itself.
 */
export const POSTGRES_READS_ACTIVITY =
  "has_table_privilege('pg_catalog.pg_stat_activity', 'SELECT') AND has_function_privilege('pg_catalog.pg_stat_get_activity(integer)', 'EXECUTE')";

/** The server's identity as {@link PostgresSessionIdentity} holds it, and the session's row of `pg_stat_activity` for pid `$1`. */
const SESSION_ROW = `SELECT extract(epoch FROM pg_postmaster_start_time())::text AS started, current_setting('port') AS port,
  a.pid IS NOT NULL AS found, extract(epoch FROM a.backend_start)::text AS backend_start, a.state = 'active' AS active,
  extract(epoch FROM clock_timestamp() - a.state_change)::float8 AS idle
FROM (SELECT 1) AS one LEFT JOIN pg_catalog.pg_stat_activity AS a ON a.pid = $1`;

/**
 * What the row of {@link SESSION_ROW} says of `session`: `'unverified'` when the side connection
 * reached another server (another start time or port: a replica behind a load balancer, another
 * instance) or cannot see the session's start; `'gone'` when the server has no backend with the
 * pid, or one that started at another time (the pid reused: the session ended); `'finished'` when
 * it has been idle ({@link FINISHED_AFTER_SECONDS} s or more); else `'running'`.
 */
function stateOfRow(row: Record<string, unknown> | undefined, session: PostgresSessionIdentity): SessionState {
  if (row === undefined || row['started'] !== session.serverStarted || String(row['port']) !== session.port) return 'unverified';
  if (row['found'] !== true) return 'gone';
  if (typeof row['backend_start'] !== 'string') return 'unverified';
  if (row['backend_start'] !== session.backendStart) return 'gone';
  return row['active'] === false && typeof row['idle'] === 'number' && row['idle'] >= FINISHED_AFTER_SECONDS ? 'finished' : 'running';
}

/**
 * Asks a PostgreSQL server, on a short connection of its own (same config, `timeoutMs` for the
 * connect and for the query), what the session `session` does, for `watchLiveness`: one query
 * that reads the server's start time and port with the backend's row of `pg_stat_activity`. Only
 * on the same server (start time and port as read on the session) and for the same session (pid
 * and `backend_start`) does it answer `'gone'` or `'finished'`; else `'unverified'` (see
 * `SessionState`). A session without `backendStart` (the role may not read `pg_stat_activity`)
 * is `'unverified'` once the side connection is open: the probe only shows whether the server
 * can be reached. The side connection is ended after (destroyed when its end is not answered
 * within a second).
 * @param Client - pg's `Client` class.
 * @param config - the config the session was connected with.
 * @param session - the session's identity, as read on it.
 * @param timeoutMs - how long connecting and the query may take each.
 * @returns the session's state.
 * @throws a `ServerUnreachableError` when the server cannot be reached; pg's error when it answered otherwise (a login refused).
 * @example
 * ```ts
 * import pg from 'pg';
 * const session = { pid: 4242, backendStart: '1733550000.123456', serverStarted: '1733540000.654321', port: '5432' };
 * const state = await postgresSessionState(pg.Client, { connectionString: 'postgres://postgres@127.0.0.1:5432/app' }, session, 10_000);
 * ```
 * @internal The PostgreSQL driver's.
 */
export async function postgresSessionState(Client: ProbeClientClass, config: object, session: PostgresSessionIdentity, timeoutMs: number): Promise<SessionState> {
  const probe = sideClient(Client, config, timeoutMs);
  try {
    await connectOrUnreachable(probe.connect(), timeoutMs);
    if (session.backendStart === undefined) return 'unverified';
    const { rows } = await probe.query(SESSION_ROW, [session.pid]);
    return stateOfRow(rows[0], session);
  } finally {
    endSide(probe);
  }
}

/**
 * Ends a PostgreSQL session from a short connection of its own (same config, `timeoutMs` for the
 * connect and for the query): `pg_terminate_backend(pid)`, which a role may call for its own
 * sessions, only for the backend with the session's pid AND start, on the server with the start
 * time and port read on the session: a pooler's pid or another server's backend is never ended.
 * For a session multidb gave up on (a dead network path): the server may not notice it is gone
 * for a long time, and meanwhile it holds the migration lock and an open transaction (the next
 * run would wait for the lock); ended, the transaction is rolled back and the lock freed. A
 * session without `backendStart` (the role may not read `pg_stat_activity`) is never ended (its
 * pid alone could be another session's by now): nothing is sent, `false`.
 * @param Client - pg's `Client` class.
 * @param config - the config the session was connected with.
 * @param session - the session's identity, as read on it.
 * @param timeoutMs - how long connecting and the query may take each.
 * @returns whether a session was ended (false: none had that identity, or it has no `backendStart`).
 * @throws pg's error (or a `ServerUnreachableError`) when the server cannot be reached or does not answer in time.
 * @example
 * ```ts
 * import pg from 'pg';
 * const session = { pid: 4242, backendStart: '1733550000.123456', serverStarted: '1733540000.654321', port: '5432' };
 * await terminatePostgresSession(pg.Client, { connectionString: 'postgres://postgres@127.0.0.1:5432/app' }, session, 2000);
 * ```
 * @internal The PostgreSQL driver's.
 */
export async function terminatePostgresSession(Client: ProbeClientClass, config: object, session: PostgresSessionIdentity, timeoutMs: number): Promise<boolean> {
  if (session.backendStart === undefined) return false;
  const side = sideClient(Client, config, timeoutMs);
  try {
    await connectOrUnreachable(side.connect(), timeoutMs);
    const { rows } = await side.query(
      `SELECT pg_terminate_backend(a.pid) AS ended FROM pg_catalog.pg_stat_activity AS a
       WHERE a.pid = $1 AND extract(epoch FROM a.backend_start)::text = $2
         AND extract(epoch FROM pg_postmaster_start_time())::text = $3 AND current_setting('port') = $4`,
      [session.pid, session.backendStart, session.serverStarted, session.port],
    );
    return rows[0]?.['ended'] === true;
  } finally {
    endSide(side);
  }
}

/** A side client of `config`: its own timeouts (pg's own connect timeout a little later than `connectOrUnreachable`'s), errors kept to the caller. */
function sideClient(Client: ProbeClientClass, config: object, timeoutMs: number): InstanceType<ProbeClientClass> {
  const side = new Client({ ...config, connectionTimeoutMillis: timeoutMs + 1000, query_timeout: timeoutMs, application_name: 'multidb probe' });
  side.on('error', () => undefined); // a failure is the caller's error, not the process's
  return side;
}

/** Ends a side client, not waiting: on a dead path the end would never be answered (the socket is destroyed after a second). */
function endSide(side: InstanceType<ProbeClientClass>): void {
  const destroy = () => (side.connection as { stream?: { destroy?: () => void } }).stream?.destroy?.();
  const timer = setTimeout(destroy, 1000);
  side.end().then(() => clearTimeout(timer), destroy);
}
