import { MultidbError } from '@multidb/core';

/**
 * A statement a connection refused, unsent, because its `cancel()` was called (a run aborted at
 * once, see `DialectConnection.cancel`): from then on the connection sends nothing more to its
 * server, so nothing of the revision in progress runs after the statement that was cancelled.
 * `code` `'CANCELLED'`; `bind` names the connection's bind.
 * @example
 * ```ts
 * await connection.cancel?.();
 * await connection.execute({ sql: 'CREATE TABLE "t2" (a int)', parameters: [] }); // rejects: ConnectionCancelledError, nothing sent
 * ```
 */
export class ConnectionCancelledError extends MultidbError {
  /** The bind whose connection refused the statement. */
  readonly bind: string;
  constructor(bind: string) {
    super(`[${bind}] not sent: the connection's statements were cancelled (the run is being aborted).`, 'CANCELLED');
    this.bind = bind;
  }
}
