import { maskDatabaseUrl, UrlError, urlParsesCleanly } from '@multidb/core';

/** The two servers the MySQL dialect speaks to. They share the dialect; SQL differs in places. */
export type MysqlFlavour = 'mysql' | 'mariadb';

/** Where a `mysql://` or `mariadb://` URL points, decoded. */
export interface MysqlLocation {
  /** From the scheme (`mariadb://` → `'mariadb'`); the connection detects the real one. */
  readonly flavour: MysqlFlavour;
  /**
   * The server's host name or address (an IPv6 address without its brackets); a URL without one is
   * refused.
   */
  readonly host: string;
  /** Default 3306. */
  readonly port: number;
  /** Default `root`. */
  readonly user: string;
  /** Omitted: no password. */
  readonly password?: string;
  /** The database (a bind is one database). */
  readonly database: string;
  /** `?socket=/run/mysqld/mysqld.sock`: connect through a Unix socket instead of TCP. */
  readonly socketPath?: string;
  /** `?ssl=true`: TLS with certificate verification (`?ssl=false` or absent: none). */
  readonly ssl?: boolean;
  /**
   * `?lock_lease=SECONDS`: on a MariaDB Galera cluster, how long the migration lock's lease lasts
   * unless renewed (default 30; at least 1). A killed holder's lease is taken over after it.
   */
  readonly lockLeaseSeconds?: number;
}

const OPTIONS = ['socket', 'ssl', 'lock_lease'] as const;

/**
 * The flavour a URL names by its scheme: `'mariadb'` for `mariadb://`, else `'mysql'`
 * (offline mode compiles with it; online, the connection detects the server's).
 * @example
 * ```ts
 * flavourOfUrl('mariadb://root@127.0.0.1/app'); // 'mariadb'
 * flavourOfUrl(undefined);                      // 'mysql'
 * ```
 */
export function flavourOfUrl(url: string | undefined): MysqlFlavour {
  return url !== undefined && /^\s*mariadb:/i.test(url) ? 'mariadb' : 'mysql';
}

/**
 * Parses a MySQL or MariaDB URL (DESIGN §4): `mysql://user:password@host:port/database` or
 * `mariadb://…`, with percent-escapes decoded in every part. Options: `?socket=/path` (Unix
 * socket) and `?ssl=true`. Pure: opens no connection.
 *
 * @param url - the bind's URL.
 * @returns the decoded location.
 * @throws {@link UrlError} (password masked) when the scheme is neither `mysql` nor `mariadb`,
 *   the URL has no host or no database, the port is not a number, an escape is malformed, or an
 *   option is unknown.
 * @example
 * ```ts
 * parseMysqlUrl('mariadb://app:s%40cret@db.internal:3307/chinook');
 * // { flavour: 'mariadb', host: 'db.internal', port: 3307, user: 'app', password: 's@cret', database: 'chinook' }
 * ```
 */
export function parseMysqlUrl(url: string): MysqlLocation {
  const fail = (why: string): never => {
    throw new UrlError(
      `Invalid MySQL URL '${maskDatabaseUrl(String(url))}': ${why}. Write mysql://user:<password>@host:3306/database (or mariadb://…).`,
    );
  };
  if (typeof url !== 'string') return fail('not a string');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme !== 'mysql' && scheme !== 'mariadb') return fail(scheme ? `the scheme is '${scheme}', not 'mysql' or 'mariadb'` : 'it has no scheme');
  if (!url.trim().slice(scheme.length + 1).startsWith('//')) return fail("it lacks '//' after the scheme");
  if (!urlParsesCleanly(url)) return fail('it does not parse as a URL (percent-encode @ : / ? # in the user name and password: %40 %3A %2F %3F %23)');
  const parsed = new URL(url.trim());
  const decode = (text: string, what: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return fail(`the ${what} has a malformed %-escape`);
    }
  };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) fail('it has no host');
  const port = parsed.port ? Number(parsed.port) : 3306;
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) fail(`the port '${parsed.port}' is not a port number`);
  const database = decode(parsed.pathname.replace(/^\//, ''), 'database name');
  if (!database) fail('it names no database (a bind is one database: add /name)');
  if (database.includes('/')) fail(`'${database}' is not a database name`);
  if (parsed.hash) fail('fragments are not supported');
  const location: { -readonly [K in keyof MysqlLocation]: MysqlLocation[K] } = {
    flavour: scheme,
    host,
    port,
    user: parsed.username ? decode(parsed.username, 'user name') : 'root',
    database,
  };
  if (parsed.password) location.password = decode(parsed.password, 'password');
  for (const [key, value] of parsed.searchParams) {
    if (key === 'socket') location.socketPath = value;
    else if (key === 'ssl') {
      if (value !== 'true' && value !== 'false') fail(`ssl must be true or false, not '${value}'`);
      location.ssl = value === 'true';
    } else if (key === 'lock_lease') {
      const seconds = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || seconds < 1) fail(`lock_lease must be a number of seconds (1 or more), not '${value}'`);
      location.lockLeaseSeconds = seconds;
    } else fail(`unknown option '${key}' (known: ${OPTIONS.join(', ')})`);
  }
  return location;
}
