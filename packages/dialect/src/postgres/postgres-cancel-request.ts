/** What {@link sendCancelRequest} reads of the session to cancel: pg's `client.processID` and `client.secretKey` (BackendKeyData). */
export interface CancelTarget {
  readonly processID: number | null;
  readonly secretKey: number | null;
}

/**
 * pg's `Client` class, structurally (the package's declarations need no driver types): only an
 * unconnected instance's `host`, `port` and `connection` are used.
 */
export type CancelClientClass = new (config: any) => { readonly host: string; readonly port: number; readonly connection: unknown };

/**
 * Sends PostgreSQL's cancel request (`CancelRequest`, with the session's process id and secret
 * key) for the session `target`, as pg's own query cancellation does: on a new connection to the
 * same server (host and port, or the Unix socket, of `config`), through pg's `Connection` of an
 * unconnected `Client` of that config, which logs nothing in (the server reads the request
 * before any authentication and answers nothing). The server then interrupts the statement the
 * session is running (its error is `57014`, `canceling statement due to user request`; an
 * interrupted transaction is aborted) and ignores the request when the session is idle.
 * @param Client - pg's `Client` class.
 * @param config - the config the session was connected with.
 * @param target - the session to cancel (its `processID` and `secretKey`, known once connected).
 * @param timeoutMs - gives up after this many milliseconds (default 2000).
 * @returns resolves once the server closed the cancel connection (it has read the request).
 * @throws the socket's error (the server cannot be reached), an `Error` when the session has no
 *   key (never connected) or when `timeoutMs` passed.
 * @example
 * ```ts
 * import pg from 'pg';
 * const config = { connectionString: 'postgres://postgres@127.0.0.1:5432/app' };
 * const client = new pg.Client(config);
 * await client.connect();
 * const running = client.query('SELECT pg_sleep(30)').catch((e) => e.code); // '57014' once cancelled
 * // pg sets processID and secretKey at connect (not in its type declarations).
 * await sendCancelRequest(pg.Client, config, client as unknown as CancelTarget);
 * ```
 * @internal The PostgreSQL driver's.
 */
export function sendCancelRequest(Client: CancelClientClass, config: object, target: CancelTarget, timeoutMs = 2000): Promise<void> {
  const { processID, secretKey } = target;
  if (processID === null || secretKey === null) return Promise.reject(new Error('cannot cancel: the session has no backend key (it never connected)'));
  const canceller = new Client(config);
  const con = canceller.connection as CancelConnection;
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      con.stream.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`the cancel request got no answer within ${timeoutMs} ms`)), timeoutMs);
    con.on('connect', () => con.cancel(processID, secretKey));
    con.on('end', () => finish()); // the server read the request and closed the connection
    con.on('error', (error: unknown) => finish(error));
    if (canceller.host.startsWith('/')) con.connect(`${canceller.host}/.s.PGSQL.${canceller.port}`);
    else con.connect(canceller.port, canceller.host);
  });
}

/** What {@link sendCancelRequest} uses of pg's `Connection` (not in pg's type declarations). */
interface CancelConnection {
  readonly stream: { destroy(): void };
  on(event: string, listener: (...args: any[]) => void): void;
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
}
