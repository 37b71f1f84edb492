import { maskDatabaseUrl, UrlError, urlParsesCleanly } from '@multidb/core';

/** What a PostgreSQL URL names (the password is left out on purpose). */
export interface PostgresLocation {
  /** Host name or address; a socket folder (`/var/run/postgresql`) from `?host=`; default `localhost`. */
  readonly host: string;
  /** Port (default 5432). */
  readonly port: number;
  /** Database name (default: the user name, as libpq does; else `postgres`). */
  readonly database: string;
  /** User name, when given. */
  readonly user?: string;
}

/** The `sslmode` values `pg` knows (libpq's `allow` is not one: pg would require SSL for it). */
const SSL_MODES: readonly string[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/**
 * Parses and checks a PostgreSQL URL (DESIGN §4): `postgres://user:password@host:port/database`
 * or `postgresql://…`, with percent-escapes and query parameters (`sslmode`, `host` for a socket
 * folder, `application_name`, …) passed on to `pg`. Pure: opens no connection.
 *
 * @param url - the bind's URL.
 * @returns where it points (without the password).
 * @throws {@link UrlError} (message masked) when the scheme is not `postgres`/`postgresql`, the
 *   URL does not parse, the port is not a number, the path names more than a database, or
 *   `sslmode` is not one `pg` knows (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`,
 *   `no-verify`).
 * @example
 * ```ts
 * parsePostgresUrl('postgres://app:secret@db.internal:6432/sales');
 * // { host: 'db.internal', port: 6432, database: 'sales', user: 'app' }
 * ```
 */
export function parsePostgresUrl(url: string): PostgresLocation {
  const fail = (why: string): never => {
    throw new UrlError(`Invalid PostgreSQL URL '${maskDatabaseUrl(String(url))}': ${why}. Write postgres://user:<password>@host:5432/database.`);
  };
  if (typeof url !== 'string') return fail('not a string');
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim());
  if (!m) return fail('it does not start with postgres://');
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') return fail(`the scheme is '${m[1]}', not 'postgres' or 'postgresql'`);
  if (!urlParsesCleanly(url)) return fail('it does not parse as a URL (percent-encode @ : / ? # in the user name and password: %40 %3A %2F %3F %23)');
  const parsed = new URL(url.trim());
  const decode = (text: string, what: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return fail(`the ${what} has a malformed %-escape`);
    }
  };
  let port = 5432;
  if (parsed.port) {
    port = Number(parsed.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) return fail(`the port '${parsed.port}' is not a port number`);
  }
  // pg turns on SSL for any sslmode but 'disable', so a misspelt one ('disabled') failed at connect
  // with 'The server does not support SSL connections'.
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    return fail(`sslmode must be one of ${SSL_MODES.join(', ')}, not '${sslmode}'`);
  }
  const path = parsed.pathname.replace(/^\//, '');
  if (path.includes('/')) return fail('the path must be just the database name');
  const user = parsed.username ? decode(parsed.username, 'user name') : undefined;
  const database = path ? decode(path, 'database name') : (user ?? 'postgres');
  const host = parsed.searchParams.get('host') ?? (parsed.hostname ? decode(parsed.hostname, 'host') : 'localhost');
  return user === undefined ? { host, port, database } : { host, port, database, user };
}
