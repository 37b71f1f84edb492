import {
  BindError,
  maskDatabaseUrl,
  maskSecrets,
  MultidbError,
  UrlError,
  type ConnectOptions,
  type Dialect,
  type DialectConnection,
  type DialectDriver,
  type NamingConvention,
} from '@multidb/core';
import { CompiledQuery, Kysely } from 'kysely';
import type { ConnectionOptions } from 'mysql2';
import { MysqlConnection } from './mysql-connection.js';
import { createMysqlDialect } from './mysql-dialect.js';
import { MysqlSession } from './mysql-session.js';
import { killQuery, KillQueryUnverifiedError } from './mysql-kill-query.js';
import { endMysqlSession, MYSQL_SESSION_COLUMNS, mysqlSessionState, verifiedMysqlSession, type MysqlSessionIdentity } from './mysql-session-probe.js';
import { KEEPALIVE_INITIAL_DELAY_MS } from '../shared/keepalive.js';
import { flavourOfUrl, parseMysqlUrl, type MysqlFlavour } from './mysql-url.js';
import { plainKysely } from '../shared/plain-kysely.js';
import { ConnectAbort } from '../shared/connect-abort.js';
import { connectLimitHint } from '../shared/connect-limit.js';
import { connectionKyselys } from '../shared/connection-kyselys.js';
import { projectKysely } from '../shared/project-kysely.js';

/** How long ending a session given up on (`KILL CONNECTION`) may take to connect, and each of its queries, in milliseconds. */
const TERMINATE_WAIT_MS = 2000;

/** Default connect timeout, in milliseconds. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The MySQL/MariaDB driver: connects a bind through Kysely's MySQL dialect over ONE mysql2
 * connection, pinned for the whole run (named locks and transactions belong to a session).
 * mysql2 is imported only inside `connect`.
 *
 * `connect` takes the bind's URL (`mysql://user:password@host:3306/database`, `mariadb://…`,
 * see {@link parseMysqlUrl}) or an existing Kysely on a MySQL pool (custom tooling: one of its
 * connections is pinned until `close`, and the Kysely itself is left open). It:
 * - connects with a timeout (`connectTimeoutMs`, default 10 s), so an unreachable host fails in
 *   seconds;
 * - detects the flavour from `VERSION()` (it wins over the URL's scheme) and gives the
 *   connection that flavour's dialect;
 * - for a URL, uses utf8mb4, reads and writes DATETIME values as UTC (mysql2 `timezone: 'Z'` and
 *   the session's `time_zone = '+00:00'`), returns BIGINT values beyond 2^53 as strings, and
 *   allows one statement per query;
 * - for a URL, opens the connection as a {@link MysqlSession}: the connection's own statements go
 *   straight to mysql2 while no Kysely query is in flight;
 * - with `signal` (core passes the command's), ends the connect at once when it is aborted, up to
 *   the session's first statements: the socket is destroyed (a host that does not answer is not
 *   waited for until `connectTimeoutMs`), and `connect` rejects (a Kysely's pool is left to its
 *   owner);
 * - for a URL, does not wait for the OS to give up (~15 min on Linux) on a connection whose
 *   network path died silently (a NAT or firewall dropping its packets): the session uses TCP
 *   keepalive (mysql2's `enableKeepAlive`, first probe after {@link KEEPALIVE_INITIAL_DELAY_MS},
 *   30 s without traffic); a migration-lock poll (`GET_LOCK(name, 0)`, instant on the server)
 *   left unanswered for `connectTimeoutMs` gives the session up (`ConnectionLostError`), while a
 *   revision's statement has no such limit; once a run is asked to stop, a statement in flight
 *   on a server that can no longer be reached, or whose answer was lost, is abandoned
 *   ({@link MysqlConnection.watchForLoss}); the session's identity (`CONNECTION_ID()`, the
 *   server's `server_id`, host name and port, the user) is read with the connect's first query,
 *   and nothing is concluded, nor any session killed, for a session that cannot be identified
 *   so (a proxy that answers the handshake itself) or on another server (a proxy in front of
 *   Galera that sends the side connection to another node).
 *
 * @throws {@link UrlError} (masked) for a bad URL, a URL without a database, or neither `url` nor
 *   `kysely`; a {@link MultidbError} with code `'CONNECT'` whose message names the bind and the
 *   masked URL when the server cannot be reached or refuses the login (the password never
 *   appears); an `Error` with `code` `'ABORTED'` once `signal` is aborted (see
 *   `ConnectOptions.signal`).
 * @example
 * ```ts
 * const connection = await mysqlDriver.connect({ bind: 'db3', url: 'mariadb://root@127.0.0.1:3306/chinook', baseDir: process.cwd() });
 * console.log(connection.dialect.flavour); // 'mariadb'
 * await connection.close();
 * ```
 */
export const mysqlDriver: DialectDriver = Object.freeze({
  /** Connecting waits on the server: a run of tenant groups opens the next group's connection ahead. */
  connectsToServer: true,
  /** The pure dialect, its flavour from the URL's scheme (`mariadb://` → MariaDB; default MySQL). */
  dialect(url?: string): Dialect {
    return createMysqlDialect(flavourOfUrl(url));
  },

  async connect(options: ConnectOptions): Promise<DialectConnection> {
    if (options.kysely) return connectKysely(options.bind, options.kysely, options.namingConvention);
    if (!options.url) throw new UrlError(`Bind '${options.bind}' has neither a URL nor a Kysely instance.`, { bind: options.bind });
    const url = options.url;
    const location = parseMysqlUrl(url);
    const fail = (error: unknown): never => {
      const reason = error instanceof Error ? error.message : String(error);
      const hint = connectLimitHint(error);
      throw new BindError({ bind: options.bind, action: 'connect', doing: 'connect to', location: maskDatabaseUrl(url), reason: maskSecrets(reason, [url]), ...(hint !== undefined ? { hint } : {}) }, { cause: error });
    };
    const mysql = (await import('mysql2')).default;
    // Asked to stop (options.signal): the socket is destroyed; mysql2 then reports nothing (a
    // connection it was told to close ends quietly), so the wait is raced against the signal.
    const abort = new ConnectAbort(options.bind, options.signal);
    try {
      return await connectUrl(mysql, options, url, location, abort, fail);
    } catch (error) {
      if (abort.aborted) throw abort.error();
      throw error;
    } finally {
      abort.dispose();
    }
  },
});

/** The `mysql2` module, as `connect` imports it. */
type Mysql2 = typeof import('mysql2');

/** {@link mysqlDriver}'s connect of a URL: the session, set up and described; `abort` ends it. */
async function connectUrl(
  mysql: Mysql2,
  options: ConnectOptions,
  url: string,
  location: ReturnType<typeof parseMysqlUrl>,
  abort: ConnectAbort,
  fail: (error: unknown) => never,
): Promise<DialectConnection> {
  if (abort.aborted) throw abort.error(); // nothing opened yet
  const config: ConnectionOptions = {
    host: location.host,
    port: location.port,
    user: location.user,
    database: location.database,
    connectTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    // A peer that died silently is detected by the OS in bounded time (see the driver's TSDoc).
    enableKeepAlive: true,
    keepAliveInitialDelay: KEEPALIVE_INITIAL_DELAY_MS,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
    multipleStatements: false,
    ...(location.password !== undefined ? { password: location.password } : {}),
    ...(location.socketPath !== undefined ? { socketPath: location.socketPath } : {}),
    ...(location.ssl ? { ssl: {} } : {}),
  };
  const raw = mysql.createConnection(config);
  // A session that dies later (KILL, server restart) must not crash the process: its queries fail
  // instead. Once its socket has ended, the connection is lost (a bind waiting for its turn is then
  // opened again).
  let lost = false;
  raw.on('error', (error: { fatal?: boolean }) => {
    if (error?.fatal) lost = true;
  });
  raw.on('end', () => (lost = true));
  // destroy() only ends the socket (a FIN queued behind a connect in progress): the socket itself is destroyed too.
  abort.onAbort(() => {
    raw.destroy();
    (raw as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
  });
  try {
    await abort.race(new Promise<void>((resolve, reject) => raw.connect((error) => (error ? reject(error) : resolve()))));
  } catch (error) {
    raw.destroy();
    if (abort.aborted) throw abort.error();
    return fail(error);
  }
  const session = new MysqlSession(raw);
  // User code's Kysely is the project's copy where it may be (see projectKysely), made (and that
  // copy loaded) when user code first reads the connection's `db`; its dialect's pool is never
  // asked for (the Kyselys share the bundled dialect's driver).
  const load = projectKysely(options.moduleAlias);
  const noPool = () => Promise.reject(new Error('not used: the session is the bundled dialect driver\'s'));
  const { db, plainDb, destroy } = connectionKyselys(session.kyselyDialect(), load && (() => {
    const own = load();
    return own && { Kysely: own.Kysely, dialect: new own.MysqlDialect({ pool: noPool }) };
  }));
  // The session's identity, read on it at connect (undefined behind a proxy whose thread ids are
  // not the server's): without it, nothing is concluded from a side connection, nor killed.
  let identity: MysqlSessionIdentity | undefined;
  // Given up (a dead network path): the socket destroyed, the statements in flight rejected with
  // `error`; the server, which may not notice for long, is asked to end the session (its named
  // lock freed) when a side connection finds it there, and the connection's end waits a little for that.
  let terminating: Promise<unknown> | undefined;
  const abandon = (error: Error) => {
    if (lost) return;
    lost = true;
    session.abandon(error, () => (raw as unknown as { stream?: { destroy?: (error?: Error) => void } }).stream?.destroy?.(error));
    if (identity) terminating = endMysqlSession(mysql, config, identity, TERMINATE_WAIT_MS).catch(() => undefined);
  };
  const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  try {
    await abort.race(plainDb.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'")));
    const { flavour, database, row } = await abort.race(describeSession(plainDb, true));
    identity = verifiedMysqlSession(row, raw.threadId);
    const sessionIdentity = identity;
    return new MysqlConnection({
      bind: options.bind,
      db,
      plainDb,
      flavour,
      database: database ?? location.database,
      session,
      // A session given up is not ended gracefully: its end would wait for a server that does not answer.
      end: async () => {
        if (lost) {
          raw.destroy();
          await terminating; // bounded: TERMINATE_WAIT_MS for the connect and for each query
        } else await destroy().catch(() => raw.destroy());
      },
      // A second Ctrl-C: the statement running is interrupted on the server, not left to run to its
      // end; only once a side connection verified it reached this very session (a proxy may send
      // it to another node, where the id is somebody else's). Unverified: nothing is killed, and
      // the cancel reports it (core's 'unconfirmed': the statement may run on).
      killQuery: async (threadId) => {
        if (sessionIdentity?.threadId !== threadId || !(await killQuery(mysql, config, sessionIdentity, flavour))) throw new KillQueryUnverifiedError(options.bind);
      },
      lost: () => lost,
      abandon,
      answerMs: timeoutMs,
      ...(sessionIdentity ? { probe: () => mysqlSessionState(mysql, config, sessionIdentity, timeoutMs) } : {}),
      openLeaseSession: async () => {
        const side = mysql.createConnection(config);
        side.on('error', () => undefined);
        await new Promise<void>((resolve, reject) => side.connect((error) => (error ? reject(error) : resolve())));
        const sideDb = new Kysely<any>({ dialect: new MysqlSession(side).kyselyDialect() });
        await sideDb.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'"));
        return { db: sideDb, end: () => sideDb.destroy().catch(() => side.destroy()) };
      },
      ...(location.lockLeaseSeconds !== undefined ? { leaseMs: location.lockLeaseSeconds * 1000 } : {}),
      ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
    });
  } catch (error) {
    if (abort.aborted) {
      raw.destroy();
      throw abort.error();
    }
    await destroy().catch(() => raw.destroy());
    return fail(error);
  }
}

/**
 * The session's flavour (from `VERSION()`) and database; with `identify`, in the same query, the
 * columns of its identity ({@link MYSQL_SESSION_COLUMNS}) in `row`.
 */
async function describeSession(db: Kysely<any>, identify = false): Promise<{ flavour: MysqlFlavour; database: string | undefined; row: Record<string, unknown> | undefined }> {
  const sql = `SELECT VERSION() AS version, DATABASE() AS db${identify ? `, ${MYSQL_SESSION_COLUMNS}` : ''}`;
  const { rows } = await db.executeQuery<{ version: string; db: string | null } & Record<string, unknown>>(CompiledQuery.raw(sql));
  const row = rows[0];
  return { flavour: /mariadb/i.test(String(row?.version)) ? 'mariadb' : 'mysql', database: row?.db ?? undefined, row };
}

/**
 * Pins one connection of a Kysely supplied by custom tooling, until the returned connection is
 * closed (the Kysely and its pool are left to their owner).
 */
async function connectKysely(bind: string, kysely: Kysely<any>, namingConvention: NamingConvention | undefined): Promise<DialectConnection> {
  let unpin!: () => void;
  const held = new Promise<void>((resolve) => (unpin = resolve));
  let pinnedDb!: Kysely<any>;
  let finished!: Promise<void>;
  await new Promise<void>((resolve, reject) => {
    finished = kysely.connection().execute(async (db) => {
      pinnedDb = db;
      resolve();
      await held;
    });
    finished.catch(reject);
  });
  const end = async () => {
    unpin();
    await finished.catch(() => undefined);
  };
  try {
    const { flavour, database } = await describeSession(plainKysely(pinnedDb));
    if (database === undefined) throw new UrlError(`Bind '${bind}': the Kysely instance's connection uses no database (give the pool a database).`, { bind });
    // The lease of a Galera lock runs its statements on the pool's other connections (without the Kysely's plugins).
    const leaseDb = plainKysely(kysely);
    const openLeaseSession = async () => ({ db: leaseDb, end: async () => undefined });
    return new MysqlConnection({ bind, db: pinnedDb, flavour, database, end, openLeaseSession, ...(namingConvention !== undefined ? { namingConvention } : {}) });
  } catch (error) {
    await end();
    throw error;
  }
}
