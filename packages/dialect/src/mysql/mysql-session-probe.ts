import { FINISHED_AFTER_SECONDS, type SessionState } from '../shared/liveness-watch.js';
import type { KillQueryDriver } from './mysql-kill-query.js';

/**
 * Asks a MySQL/MariaDB server, on a short connection of its own (same config, `timeoutMs` for the
 * connect and for the query), what the session `threadId` does, for `watchLiveness`: `'gone'`
 * when `information_schema.PROCESSLIST` has no such thread; `'finished'` when its `COMMAND` has
 * been `Sleep` for {@link FINISHED_AFTER_SECONDS} seconds or more; else `'running'`. A session of
 * the same user is visible without the PROCESS privilege. The side connection is destroyed after.
 * @param mysql - mysql2's module (its default export).
 * @param config - the config the session was connected with.
 * @param threadId - the session's id (mysql2's `connection.threadId`).
 * @param timeoutMs - how long connecting and the query may take each.
 * @returns the session's state.
 * @throws mysql2's error when the server cannot be reached or does not answer in time.
 * @example
 * ```ts
 * import mysql from 'mysql2';
 * const state = await mysqlSessionState(mysql, { host: '127.0.0.1', user: 'root', database: 'app' }, 42, 10_000); // 'gone'
 * ```
 * @internal The MySQL driver's.
 */
export async function mysqlSessionState(mysql: KillQueryDriver, config: object, threadId: number, timeoutMs: number): Promise<SessionState> {
  const side = mysql.createConnection({ ...config, connectTimeout: timeoutMs }) as ReturnType<KillQueryDriver['createConnection']> & {
    query(options: { sql: string; values: unknown[]; timeout: number }, callback: (error: unknown, rows: unknown) => void): unknown;
  };
  side.on('error', () => undefined); // a failure is this call's error, not the process's
  try {
    await new Promise<void>((resolve, reject) => side.connect((error) => (error ? reject(error) : resolve())));
    const rows = await new Promise<unknown>((resolve, reject) =>
      side.query({ sql: 'SELECT COMMAND AS command, TIME AS time FROM information_schema.PROCESSLIST WHERE ID = ?', values: [threadId], timeout: timeoutMs }, (error, result) => (error ? reject(error) : resolve(result))),
    );
    const row = (rows as { command?: unknown; time?: unknown }[])[0];
    if (row === undefined) return 'gone';
    return row.command === 'Sleep' && Number(row.time) >= FINISHED_AFTER_SECONDS ? 'finished' : 'running';
  } finally {
    side.destroy();
  }
}
