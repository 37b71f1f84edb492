import { connectOrUnreachable, FINISHED_AFTER_SECONDS, type SessionState } from '../shared/liveness-watch.js';
import type { KillQueryDriver } from './mysql-kill-query.js';

/**
 * Who a MySQL/MariaDB session is, read on the session itself with the connection's first query
 * ({@link MYSQL_SESSION_COLUMNS}): what a liveness probe and the end of a session given up on
 * check before they conclude or act, so that a side connection that reached another server (a
 * proxy such as ProxySQL, MaxScale or HAProxy in front of Galera sends it to another node, where
 * the id may be someone else's) is never taken for it. MariaDB has no `@@server_uuid`: the server
 * is named by its `server_id`, host name and port.
 */
export interface MysqlSessionIdentity {
  /** `CONNECTION_ID()`, which the handshake's thread id names too. */
  readonly threadId: number;
  /** `@@server_id`. */
  readonly serverId: string;
  /** `@@hostname`. */
  readonly hostname: string;
  /** `@@port`. */
  readonly port: string;
  /** The user name the session logged in as (as `information_schema.PROCESSLIST` shows it). */
  readonly user: string;
  /** The session's database. */
  readonly database: string | null;
}

/** The columns, for a {@link MysqlSessionIdentity}, of the query that describes the session at connect. */
export const MYSQL_SESSION_COLUMNS =
  "CONNECTION_ID() AS connection_id, @@server_id AS server_id, @@hostname AS hostname, @@port AS port, LEFT(USER(), LENGTH(USER()) - LOCATE('@', REVERSE(USER()))) AS user_name";

/**
 * The session's identity from the row of {@link MYSQL_SESSION_COLUMNS} (and `db`, `DATABASE()`),
 * when its `CONNECTION_ID()` is the handshake's thread id (`threadId`); else `undefined` (a proxy
 * that answers the handshake itself: the ids are not the server's).
 * @param row - the row.
 * @param threadId - mysql2's `connection.threadId`.
 * @returns the identity, or `undefined`.
 * @example
 * ```ts
 * verifiedMysqlSession({ connection_id: 42, server_id: 1, hostname: 'db1', port: 3306, user_name: 'app', db: 'shop' }, 42)?.hostname; // 'db1'
 * ```
 * @internal The MySQL driver's.
 */
export function verifiedMysqlSession(row: Record<string, unknown> | undefined, threadId: number | null | undefined): MysqlSessionIdentity | undefined {
  if (row === undefined || typeof threadId !== 'number' || threadId <= 0 || Number(row['connection_id']) !== threadId) return undefined;
  if (row['server_id'] == null || row['hostname'] == null || row['port'] == null || row['user_name'] == null) return undefined;
  return {
    threadId,
    serverId: String(row['server_id']),
    hostname: String(row['hostname']),
    port: String(row['port']),
    user: String(row['user_name']),
    database: row['db'] == null ? null : String(row['db']),
  };
}

/**
 * The server's identity as {@link MysqlSessionIdentity} holds it, and the session's `PROCESSLIST`
 * row for id `?` (see {@link mysqlStateOfRow}).
 * @internal The MySQL driver's.
 */
export const SESSION_ROW = `SELECT @@server_id AS server_id, @@hostname AS hostname, @@port AS port, p.ID IS NOT NULL AS found,
  p.USER AS user_name, p.DB AS db, p.COMMAND AS command, p.TIME AS time
FROM (SELECT 1) AS one LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = ?`;

/**
 * What the row of {@link SESSION_ROW} says of `session`: `'unverified'` when the side connection
 * reached another server (another `server_id`, host name or port) or the id is a session of
 * another user or database; `'gone'` when the server has no such session; `'finished'` when its
 * `COMMAND` has been `Sleep` for {@link FINISHED_AFTER_SECONDS} s or more; else `'running'`.
 * @param row - the row, `undefined` when there was none.
 * @param session - the session's identity, as read on it.
 * @returns the session's state.
 * @example
 * ```ts
 * const session = { threadId: 42, serverId: '1', hostname: 'db1', port: '3306', user: 'app', database: 'shop' };
 * mysqlStateOfRow({ server_id: 2, hostname: 'db2', port: 3306, found: 1, user_name: 'app', db: 'shop', command: 'Query', time: 3 }, session); // 'unverified'
 * ```
 * @internal The MySQL driver's.
 */
export function mysqlStateOfRow(row: Record<string, unknown> | undefined, session: MysqlSessionIdentity): SessionState {
  if (row === undefined || String(row['server_id']) !== session.serverId || String(row['hostname']) !== session.hostname || String(row['port']) !== session.port) return 'unverified';
  if (Number(row['found']) !== 1) return 'gone';
  if (String(row['user_name']) !== session.user || (row['db'] == null ? null : String(row['db'])) !== session.database) return 'unverified';
  return row['command'] === 'Sleep' && Number(row['time']) >= FINISHED_AFTER_SECONDS ? 'finished' : 'running';
}

/** A mysql2 connection as the probes use it: {@link KillQueryDriver}'s, with a query timeout. */
type SideConnection = ReturnType<KillQueryDriver['createConnection']> & {
  query(options: { sql: string; values?: unknown[]; timeout: number }, callback: (error: unknown, rows: unknown) => void): unknown;
};

/**
 * Asks a MySQL/MariaDB server, on a short connection of its own (same config, `timeoutMs` for the
 * connect and for the query), what the session `session` does, for `watchLiveness`: one query
 * that reads the server's `server_id`, host name and port with the session's row of
 * `information_schema.PROCESSLIST` (a session of the same user is visible without the PROCESS
 * privilege). Only on the same server, for an id of the same user and database, does it answer
 * `'gone'` or `'finished'`; else `'unverified'` (see `SessionState`). The side connection is
 * destroyed after.
 * @param mysql - mysql2's module (its default export).
 * @param config - the config the session was connected with.
 * @param session - the session's identity, as read on it.
 * @param timeoutMs - how long connecting and the query may take each.
 * @returns the session's state.
 * @throws a `ServerUnreachableError` when the server cannot be reached; mysql2's error when it answered otherwise (a login refused).
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * const session = { threadId: 42, serverId: '1', hostname: 'db1', port: '3306', user: 'root', database: 'app' };
 * const state = await mysqlSessionState(mysql, { host: '127.0.0.1', user: 'root', database: 'app' }, session, 10_000);
 * ```
 * @internal The MySQL driver's.
 */
export async function mysqlSessionState(mysql: KillQueryDriver, config: object, session: MysqlSessionIdentity, timeoutMs: number): Promise<SessionState> {
  return onSide(mysql, config, timeoutMs, async (query) => mysqlStateOfRow((await query(SESSION_ROW, [session.threadId]))[0], session));
}

/**
 * Ends a MySQL/MariaDB session multidb gave up on, from a short connection of its own (same
 * config, `timeoutMs` for the connect and for each query): on that connection, the server's
 * identity and the session's `PROCESSLIST` row are read first, and `KILL CONNECTION <id>` is sent
 * only when it is the same server and the id is a session of the same user and database (a
 * proxy in between may have reached another node, where the id is someone else's). The server,
 * which may not notice the session gone for long, then frees its named lock.
 * @param mysql - mysql2's module (its default export).
 * @param config - the config the session was connected with.
 * @param session - the session's identity, as read on it.
 * @param timeoutMs - how long connecting and each query may take.
 * @returns whether `KILL CONNECTION` was sent.
 * @throws a `ServerUnreachableError` or mysql2's error (the server cannot be reached, does not answer in time, the session ended meanwhile: `1094`).
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * const session = { threadId: 42, serverId: '1', hostname: 'db1', port: '3306', user: 'root', database: 'app' };
 * await endMysqlSession(mysql, { host: '127.0.0.1', user: 'root', database: 'app' }, session, 2000);
 * ```
 * @internal The MySQL driver's.
 */
export async function endMysqlSession(mysql: KillQueryDriver, config: object, session: MysqlSessionIdentity, timeoutMs: number): Promise<boolean> {
  return onSide(mysql, config, timeoutMs, async (query) => {
    const state = mysqlStateOfRow((await query(SESSION_ROW, [session.threadId]))[0], session);
    if (state !== 'running' && state !== 'finished') return false;
    await query(`KILL CONNECTION ${session.threadId}`, []);
    return true;
  });
}

/** Runs `work` on a side connection of `config` (connect and each query bounded by `timeoutMs`), destroyed after. */
async function onSide<T>(mysql: KillQueryDriver, config: object, timeoutMs: number, work: (query: (sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  const side = mysql.createConnection({ ...config, connectTimeout: timeoutMs + 1000 }) as SideConnection;
  side.on('error', () => undefined); // a failure is this call's error, not the process's
  try {
    await connectOrUnreachable(new Promise<void>((resolve, reject) => side.connect((error) => (error ? reject(error) : resolve()))), timeoutMs);
    return await work((sql, values) => new Promise((resolve, reject) => side.query({ sql, values, timeout: timeoutMs }, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[])))));
  } finally {
    side.destroy();
  }
}
