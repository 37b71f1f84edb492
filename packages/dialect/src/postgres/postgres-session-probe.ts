import { FINISHED_AFTER_SECONDS, type SessionState } from '../shared/liveness-watch.js';

/** What {@link postgresSessionState} uses of `pg.Client` (structural: the package's declarations need no driver types). */
export type ProbeClientClass = new (config: any) => {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  query(sql: string, parameters: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  readonly connection: unknown;
};

/**
 * Asks a PostgreSQL server, on a short connection of its own (same config, `timeoutMs` for the
 * connect and for the query), what the session `pid` does, for `watchLiveness`: `'gone'` when
 * `pg_stat_activity` has no such backend; `'finished'` when it has been idle (`state` not
 * `active`) for {@link FINISHED_AFTER_SECONDS} seconds or more; else `'running'` (also when the
 * role may not read the session's state: never taken as dead then). The side connection is ended
 * after (destroyed when its end is not answered within a second).
 * @param Client - pg's `Client` class.
 * @param config - the config the session was connected with.
 * @param pid - the session's backend pid (pg's `client.processID`).
 * @param timeoutMs - how long connecting and the query may take each.
 * @returns the session's state.
 * @throws pg's error when the server cannot be reached or does not answer in time.
 * @example
 * ```ts
 * import pg from 'pg';
 * const state = await postgresSessionState(pg.Client, { connectionString: 'postgres://postgres@127.0.0.1:5432/app' }, 4242, 10_000); // 'gone'
 * ```
 * @internal The PostgreSQL driver's.
 */
export async function postgresSessionState(Client: ProbeClientClass, config: object, pid: number, timeoutMs: number): Promise<SessionState> {
  const probe = new Client({ ...config, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'multidb probe' });
  probe.on('error', () => undefined); // a failure is this call's error, not the process's
  try {
    await probe.connect();
    const { rows } = await probe.query(
      `SELECT state = 'active' AS active, extract(epoch FROM clock_timestamp() - state_change)::float8 AS idle FROM pg_catalog.pg_stat_activity WHERE pid = $1`,
      [pid],
    );
    const row = rows[0];
    if (row === undefined) return 'gone';
    return row['active'] === false && typeof row['idle'] === 'number' && row['idle'] >= FINISHED_AFTER_SECONDS ? 'finished' : 'running';
  } finally {
    // Not awaited: on a dead path the end would never be answered.
    const destroy = () => (probe.connection as { stream?: { destroy?: () => void } }).stream?.destroy?.();
    const timer = setTimeout(destroy, 1000);
    probe.end().then(() => clearTimeout(timer), destroy);
  }
}

/**
 * Ends a PostgreSQL session from a short connection of its own (same config, `timeoutMs` for the
 * connect and for the query): `pg_terminate_backend(pid)`, which a role may call for its own
 * sessions. For a session multidb gave up on (a dead network path): the server may not notice it
 * is gone for a long time, and meanwhile it holds the migration lock and an open transaction
 * (the next run would wait for the lock); ended, the transaction is rolled back and the lock freed.
 * @param Client - pg's `Client` class.
 * @param config - the config the session was connected with.
 * @param pid - the session's backend pid.
 * @param timeoutMs - how long connecting and the query may take each.
 * @returns resolves once the server answered (whether or not the session still existed).
 * @throws pg's error when the server cannot be reached or does not answer in time.
 * @example
 * ```ts
 * import pg from 'pg';
 * await terminatePostgresSession(pg.Client, { connectionString: 'postgres://postgres@127.0.0.1:5432/app' }, 4242, 2000);
 * ```
 * @internal The PostgreSQL driver's.
 */
export async function terminatePostgresSession(Client: ProbeClientClass, config: object, pid: number, timeoutMs: number): Promise<void> {
  const side = new Client({ ...config, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'multidb probe' });
  side.on('error', () => undefined);
  try {
    await side.connect();
    await side.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    const destroy = () => (side.connection as { stream?: { destroy?: () => void } }).stream?.destroy?.();
    const timer = setTimeout(destroy, 1000);
    side.end().then(() => clearTimeout(timer), destroy);
  }
}
