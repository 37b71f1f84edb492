import { MultidbError } from '@multidb/core';

/**
 * A connection multidb gave up on: its server stopped answering on it (the network path died
 * silently, a NAT or firewall dropping its packets without closing it), so its socket was
 * destroyed and whatever was in flight on it was abandoned, never to be answered. `code`
 * `'CONNECTION_LOST'`; `bind` names the connection's bind. What the server did with the
 * statement in flight is the database's: PostgreSQL rolls its transaction back once it sees the
 * session gone; on MySQL/MariaDB the DDL a revision completed stays (recorded, and resumed by the
 * next run).
 * @example
 * ```ts
 * try {
 *   await connection.acquireLock({ name: 'multidb::multidb_version' });
 * } catch (e) {
 *   if (e instanceof ConnectionLostError) console.error(`${e.bind}: check the network path to the server`);
 * }
 * ```
 */
export class ConnectionLostError extends MultidbError {
  /** The bind whose connection was given up. */
  readonly bind: string;
  /**
   * @param bind - the connection's bind.
   * @param why - what showed the connection dead, e.g. `the server did not answer the migration-lock query within 10 s`.
   */
  constructor(bind: string, why: string) {
    super(`[${bind}] the connection to the server was lost: ${why}; its socket was closed and nothing more was sent on it. Check the network path to the server, then run the command again.`, 'CONNECTION_LOST');
    this.bind = bind;
  }
}
