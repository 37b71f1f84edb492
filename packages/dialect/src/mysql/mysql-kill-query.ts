import { MultidbError } from '@multidb/core';
import { mysqlStateOfRow, SESSION_ROW, type MysqlSessionIdentity } from './mysql-session-probe.js';
import type { MysqlFlavour } from './mysql-url.js';

/**
 * What {@link killQuery} uses of mysql2: `mysql.createConnection`, structurally (the package's
 * declarations need no driver types).
 */
export interface KillQueryDriver {
  createConnection(config: any): {
    on(event: 'error', listener: (error: unknown) => void): unknown;
    connect(callback: (error: unknown) => void): void;
    query(options: { sql: string; timeout: number }, callback: (error: unknown) => void): unknown;
    destroy(): void;
  };
}

/** A side connection as {@link killQuery} uses it: {@link KillQueryDriver}'s, with values and rows. */
type SideConnection = ReturnType<KillQueryDriver['createConnection']> & {
  query(options: { sql: string; values?: unknown[]; timeout: number }, callback: (error: unknown, rows: unknown) => void): unknown;
};

/**
 * MariaDB's guarded `KILL QUERY`, one statement (an anonymous compound statement): the server's
 * identity (`server_id`, host name, port: the values `?` 1–3) and the `PROCESSLIST` row of
 * `id` (its user and database: `?` 4–5, compared byte for byte, a `NULL` database matching
 * `NULL`) are checked, and `KILL QUERY id` sent only when they all match, by the server, with no
 * round trip in between and no chance for a proxy to route the check and the kill to different
 * backends. Answers one row, `killed` 1 or 0. MySQL has no anonymous compound statement.
 */
function guardedKill(id: number): string {
  return `BEGIN NOT ATOMIC
  DECLARE matched INT DEFAULT 0;
  SELECT COUNT(*) INTO matched FROM information_schema.PROCESSLIST AS p
    WHERE p.ID = ${id} AND CAST(@@server_id AS CHAR) = ? AND BINARY @@hostname = BINARY ? AND CAST(@@port AS CHAR) = ?
      AND BINARY p.USER = BINARY ? AND BINARY p.DB <=> BINARY ?;
  IF matched = 1 THEN KILL QUERY ${id}; END IF;
  SELECT matched AS killed;
END`;
}

/**
 * Interrupts the statement a MySQL/MariaDB session is running: `KILL QUERY <thread id>` sent from
 * a second, short connection of the same config, which is closed after it, and sent only when
 * that connection verified it reached the session's own server (the `server_id`, host name and
 * port read on the session at connect, see {@link MysqlSessionIdentity}) and that the thread id
 * is a session of the same user and database there (`information_schema.PROCESSLIST`). Behind a
 * proxy or load balancer (ProxySQL, MaxScale, HAProxy in front of Galera), the side connection
 * may reach another node or backend, where the id may be somebody else's session: nothing is
 * sent then.
 *
 * On MariaDB the check and the kill are one statement ({@link guardedKill}). MySQL cannot guard a
 * `KILL` in one statement (no anonymous compound statement, no subquery in `KILL`): the check
 * (the liveness probe's query) and the `KILL QUERY` go back to back on the same side connection.
 * The window left between them: the session ends and the server gives its id to a new session
 * of the same user and database within that round trip (ids are handed out in increasing order),
 * or a proxy that multiplexes one client connection over several backends sends the `KILL` to
 * another backend than the check.
 *
 * The session itself stays open; the server interrupts its statement (error `1317`, `Query
 * execution was interrupted`; on MySQL a `SLEEP()` returns 1 instead) and does nothing when the
 * session is idle. Killing a session of the same user needs no privilege.
 * @param mysql - mysql2's module (its default export).
 * @param config - the config the session was connected with.
 * @param session - the session's identity, as read and verified on it at connect.
 * @param flavour - the server's flavour, as detected at connect (`'mariadb'`: one statement).
 * @param timeoutMs - how long each query may go unanswered, in milliseconds (default 10 000;
 *   the connect is bounded by the config's `connectTimeout`).
 * @returns whether `KILL QUERY` was sent (`false`: the side connection could not verify it
 *   reached the session).
 * @throws mysql2's error (the server cannot be reached, does not answer within `timeoutMs`:
 *   `PROTOCOL_SEQUENCE_TIMEOUT`, the session ended between the check and the kill: `1094`).
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * const session = { threadId: 42, serverId: '1', hostname: 'db1', port: '3306', user: 'root', database: 'app' };
 * const sent = await killQuery(mysql, { host: '127.0.0.1', user: 'root', database: 'app' }, session, 'mariadb');
 * ```
 * @internal The MySQL driver's.
 */
export async function killQuery(mysql: KillQueryDriver, config: object, session: MysqlSessionIdentity, flavour: MysqlFlavour, timeoutMs = 10_000): Promise<boolean> {
  const threadId = session.threadId;
  if (!Number.isSafeInteger(threadId) || threadId <= 0) throw new TypeError(`killQuery: not a thread id: ${threadId}`);
  const side = mysql.createConnection(config) as SideConnection;
  side.on('error', () => undefined); // a failure is this call's error, not the process's
  const query = (sql: string, values: unknown[]) =>
    new Promise<unknown>((resolve, reject) => side.query({ sql, values, timeout: timeoutMs }, (error, rows) => (error ? reject(error) : resolve(rows))));
  try {
    await new Promise<void>((resolve, reject) => side.connect((error) => (error ? reject(error) : resolve())));
    if (flavour === 'mariadb') {
      // The results: the SELECT's rows, then the compound statement's own OK.
      const results = (await query(guardedKill(threadId), [session.serverId, session.hostname, session.port, session.user, session.database])) as unknown[];
      const rows = results.find(Array.isArray) as Record<string, unknown>[] | undefined;
      return Number(rows?.[0]?.['killed']) === 1;
    }
    const rows = (await query(SESSION_ROW, [threadId])) as Record<string, unknown>[];
    const state = mysqlStateOfRow(rows[0], session);
    if (state !== 'running' && state !== 'finished') return false;
    await query(`KILL QUERY ${threadId}`, []);
    return true;
  } finally {
    side.destroy();
  }
}

/**
 * A second Ctrl-C could not interrupt the statement a MySQL/MariaDB bind's connection runs: the
 * side connection that would send `KILL QUERY` could not verify it reached the connection's own
 * session (another server behind a proxy or load balancer, the thread id another user's or
 * another database's session, or no identity read at connect), so it sent nothing rather than
 * risk interrupting somebody else's statement. The statement may run on to its end on the
 * server. `code` `'CANCEL_UNCONFIRMED'`; core reports the bind's cancel as `'unconfirmed'`.
 * @example
 * ```ts
 * try { await connection.cancel?.(); }
 * catch (e) { if (e instanceof KillQueryUnverifiedError) console.error(e.message); }
 * ```
 */
export class KillQueryUnverifiedError extends MultidbError {
  /** The bind whose statement was not interrupted. */
  readonly bind: string;
  constructor(bind: string) {
    super(
      `[${bind}] KILL QUERY not sent: a side connection could not verify it reached this run's own session ` +
        '(same server_id, host name and port; the thread id a session of the same user and database), as behind a proxy or ' +
        'load balancer it may reach another server, where the id is somebody else\'s. The statement may run on to its end on the server.',
      'CANCEL_UNCONFIRMED',
    );
    this.bind = bind;
  }
}
