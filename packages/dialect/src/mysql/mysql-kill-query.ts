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

/**
 * Interrupts the statement a MySQL/MariaDB session is running: `KILL QUERY <thread id>` sent from
 * a second, short connection of the same config (same server, user and database), which is
 * closed after it. The session itself stays open; the server interrupts its statement (error
 * `1317`, `Query execution was interrupted`; on MySQL a `SLEEP()` returns 1 instead) and does nothing when
 * the session is idle. Killing a session of the same user needs no privilege.
 * @param mysql - mysql2's module (its default export).
 * @param config - the config the session was connected with.
 * @param threadId - the session's id (mysql2's `connection.threadId`, `CONNECTION_ID()`).
 * @param timeoutMs - how long the `KILL QUERY` may go unanswered, in milliseconds (default 10 000;
 *   the connect is bounded by the config's `connectTimeout`).
 * @returns resolves once the server answered the `KILL QUERY`.
 * @throws mysql2's error (the server cannot be reached, does not answer within `timeoutMs`:
 *   `PROTOCOL_SEQUENCE_TIMEOUT`, the session is gone: `1094`).
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * await killQuery(mysql, { host: '127.0.0.1', user: 'root', database: 'app' }, 42);
 * ```
 * @internal The MySQL driver's.
 */
export async function killQuery(mysql: KillQueryDriver, config: object, threadId: number, timeoutMs = 10_000): Promise<void> {
  if (!Number.isSafeInteger(threadId) || threadId < 0) throw new TypeError(`killQuery: not a thread id: ${threadId}`);
  const side = mysql.createConnection(config);
  side.on('error', () => undefined); // a failure is this call's error, not the process's
  try {
    await new Promise<void>((resolve, reject) => side.connect((error) => (error ? reject(error) : resolve())));
    await new Promise<void>((resolve, reject) => side.query({ sql: `KILL QUERY ${threadId}`, timeout: timeoutMs }, (error) => (error ? reject(error) : resolve())));
  } finally {
    side.destroy();
  }
}
