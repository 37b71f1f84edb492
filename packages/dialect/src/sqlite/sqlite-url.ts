import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { maskDatabaseUrl, UrlError } from '@multidb/core';

/** Where a SQLite URL points: an in-memory database or a file (absolute path). */
export type SqliteLocation = { readonly kind: 'memory' } | { readonly kind: 'file'; readonly path: string };

/**
 * Parses a SQLite URL (DESIGN §4). Pure: touches no file (the driver creates the parent folder
 * when it connects).
 *
 * - `sqlite:relative/path.db` → `baseDir/relative/path.db`;
 * - `sqlite:~/path.db` → `path.db` in the user's home folder (`os.homedir()`: `$HOME`), as a
 *   shell expands it; only a leading `~/` is: `~` alone or `~name/` (another user's home) is
 *   refused rather than made a folder named `~` (a file whose name starts with `~` is written
 *   `sqlite:./~name.db`);
 * - `sqlite:///absolute/path.db` → `/absolute/path.db`;
 * - `sqlite::memory:` → an in-memory database.
 *
 * Percent-escapes in the path are decoded (`%20` → space, `%3F` → `?`, `%23` → `#`, `%25` → `%`):
 * a path holding `?`, `#` or `%` is written with them escaped (a `?` or `#` would start a query
 * string or fragment, which a SQLite URL does not take); other characters, spaces and non-ASCII
 * letters included, may be written as they are.
 *
 * @param url - the bind's URL.
 * @param baseDir - folder relative paths resolve against (the config file's folder).
 * @param home - the folder a leading `~/` stands for. Default: `os.homedir()`.
 * @returns the location.
 * @throws {@link UrlError} (message masked) when the scheme is not `sqlite`, the path is empty,
 *   a host is given (`sqlite://host/…`), the path starts with `~` other than as `~/`, or the URL
 *   has a query string, fragment or bad escape.
 * @example
 * ```ts
 * parseSqliteUrl('sqlite:.data/db2.db', '/srv/app'); // { kind: 'file', path: '/srv/app/.data/db2.db' }
 * parseSqliteUrl('sqlite:///var/lib/app.db', '/srv/app'); // { kind: 'file', path: '/var/lib/app.db' }
 * parseSqliteUrl('sqlite::memory:', '/srv/app'); // { kind: 'memory' }
 * parseSqliteUrl('sqlite:~/data/app.db', '/srv/app', '/home/ana'); // { kind: 'file', path: '/home/ana/data/app.db' }
 * ```
 */
export function parseSqliteUrl(url: string, baseDir: string, home: string = homedir()): SqliteLocation {
  const fail = (why: string): never => {
    throw new UrlError(
      `Invalid SQLite URL '${maskDatabaseUrl(String(url))}': ${why}. ` +
        `Write sqlite:relative/path.db, sqlite:~/path/in/home.db, sqlite:///absolute/path.db or sqlite::memory:.`,
    );
  };
  if (typeof url !== 'string') return fail('not a string');
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(url.trim());
  if (!m) return fail('it has no scheme');
  if (m[1]!.toLowerCase() !== 'sqlite') return fail(`the scheme is '${m[1]}', not 'sqlite'`);
  const rest = m[2]!;
  if (rest === ':memory:') return { kind: 'memory' };
  if (/[?#]/.test(rest)) return fail("it takes no query string or fragment (a '?' or '#' in the path is written %3F or %23)");
  let path: string;
  if (rest.startsWith('//')) {
    if (!rest.startsWith('///')) return fail('a host is not allowed (use three slashes for an absolute path)');
    path = rest.slice(2);
  } else if (rest.startsWith('~/')) {
    // As a shell does: the home folder, not a folder named '~' in baseDir.
    baseDir = home;
    path = rest.slice(2).replace(/^\/+/, ''); // '~//x.db' is ~/x.db, as in a shell
  } else if (rest.startsWith('~')) {
    return fail("a leading '~' is expanded only as '~/' (your home folder): write sqlite:~/path.db or the absolute path (a file whose name starts with '~' is written sqlite:./~name.db)");
  } else path = rest;
  try {
    path = decodeURIComponent(path);
  } catch {
    return fail("it has a malformed %-escape (a '%' in the path is written %25)");
  }
  if (!path.trim() || path === '/') return fail('the path is empty');
  if (path.includes('\0')) return fail('the path contains a NUL character');
  if (!isAbsolute(baseDir) && !isAbsolute(path)) baseDir = resolve(baseDir);
  return { kind: 'file', path: resolve(baseDir, path) };
}
