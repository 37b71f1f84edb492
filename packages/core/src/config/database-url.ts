import { UrlError } from '../errors.js';

// How a URL's secrets are found and masked. As in WHATWG URL parsing (what drivers use), the
// authority ends at the first `/`, `?` or `#` after `//`, the last `@` before it ends the user
// info, and the first `:` of the user info splits user from password, so an unencoded `@` in the
// password (`u:p@ss@host`) is masked whole. A URL that does not parse that way (an unencoded `/`,
// `?` or `#` in the password) cannot be told apart from its password: none of it is printed.

/** `scheme://…` up to whitespace, a quote or an angle bracket: a URL in a text. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*):\/\/[^\s'"`<>]*/gi;
/**
 * `//user:password@` without a scheme (a URL that lacks it is still masked). Angle brackets are
 * not URL characters: `//user:<password>@host`, a placeholder in a hint, is left alone.
 */
const BARE_USERINFO = /(\/\/[^:/?#\s<>]*):([^/?#\s<>]*)@/g;
/** Characters a URL in a text may end with that are punctuation of the text around it. */
const TRAILING_PUNCTUATION = /[.,;:!)\]}]+$/;
/** Query parameters whose values are secrets: `password`, `sslpassword`, `secret`, `api_key`, `token`… */
const SECRET_PARAMETER = /pass|pwd|secret|token|key|credential/i;

/**
 * A `keyword=value` pair of a libpq connection string (`host=db user=app password=secret
 * dbname=sales`, PostgreSQL's other way to write where to connect, often found in a
 * `DATABASE_URL`): the value is a single-quoted string (`'a b\\'c'`) or runs to the next space.
 */
const CONNINFO_PAIR = /(^|\s)([A-Za-z_][\w.-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s']\S*)/g;

/** Whether a text has no `scheme:` at its start: it is no URL (a libpq connection string, a path). */
function hasNoScheme(text: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(text);
}

/** Masks the values of the `keyword=value` pairs named like a password or secret (see {@link CONNINFO_PAIR}). */
function maskConninfo(text: string): string {
  return text.replace(CONNINFO_PAIR, (all, lead: string, name: string, eq: string) => (SECRET_PARAMETER.test(name) ? `${lead}${name}${eq}***` : all));
}

/** What is printed instead of a database URL without `//` that holds an `@` (user info, perhaps a password). */
const UNPARSABLE_URL = '<unparsable URL>';

/** What is printed instead of a URL that does not parse (its password cannot be told apart). */
function unparsable(scheme: string): string {
  return `<unparsable ${scheme.toLowerCase()} URL>`;
}

/** The parts of one URL, split as drivers split it; `undefined` when it does not parse so. */
interface UrlParts {
  readonly scheme: string;
  /** `scheme://`. */
  readonly prefix: string;
  /** The user info, without the `@` (undefined: none). */
  readonly userinfo: string | undefined;
  /** Host and port. */
  readonly host: string;
  /** Path, query and fragment, as written. */
  readonly rest: string;
}

function splitUrl(url: string): UrlParts | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!m) return undefined;
  const prefix = m[0];
  const afterPrefix = url.slice(prefix.length);
  const end = afterPrefix.search(/[/?#]/);
  const authority = end < 0 ? afterPrefix : afterPrefix.slice(0, end);
  const rest = end < 0 ? '' : afterPrefix.slice(end);
  const at = authority.lastIndexOf('@');
  const parts: UrlParts = {
    scheme: m[1]!,
    prefix,
    userinfo: at < 0 ? undefined : authority.slice(0, at),
    host: at < 0 ? authority : authority.slice(at + 1),
    rest,
  };
  // A `file:` URL with no user info and no port (`file:///srv/app/node_modules/@multidb/x.js:81:10`,
  // a stack frame) names a file: an `@` in its path belongs to the path, not to a password.
  if (isLocalFileUrl(parts)) return parts;
  // An `@` after the authority (outside a query value) means the password held a `/`, `?` or `#`
  // and the URL ended early: `postgres://app:12/ss@host/db` parses, with `ss` in the path.
  const hash = rest.indexOf('#');
  const beforeHash = hash < 0 ? rest : rest.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const path = q < 0 ? beforeHash : beforeHash.slice(0, q);
  const query = q < 0 ? '' : beforeHash.slice(q + 1);
  if (path.includes('@') || (hash >= 0 && rest.slice(hash).includes('@'))) return undefined;
  if (query.split(/[&;]/).some((pair) => (pair.split('=')[0] ?? '').includes('@'))) return undefined;
  try {
    new URL(url);
  } catch {
    return undefined;
  }
  return parts;
}

/**
 * Whether a split URL is a `file:` URL with an empty authority or a bare host name
 * (`file:///C:/x@y.js`, `file://server/share/x`): it can hold no password, so its path is printed
 * as it is. A `file:` URL whose authority has a `:` or an `@` is judged as any other URL.
 */
function isLocalFileUrl(p: UrlParts): boolean {
  return p.scheme.toLowerCase() === 'file' && p.userinfo === undefined && !p.host.includes(':');
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Masks the password and the secret query parameters of one URL that {@link splitUrl} split. */
function maskParts(p: UrlParts): string {
  let userinfo = '';
  if (p.userinfo !== undefined) {
    const colon = p.userinfo.indexOf(':');
    userinfo = `${colon < 0 ? p.userinfo : `${p.userinfo.slice(0, colon)}:***`}@`;
  }
  return `${p.prefix}${userinfo}${p.host}${maskQuery(p.rest)}`;
}

/** Masks the values of the query parameters named like a password or secret in a text. */
function maskQuery(text: string): string {
  return text.replace(/([?&;])([^=&;#]*)=([^&;#]*)/g, (all, sep: string, name: string) => (SECRET_PARAMETER.test(decoded(name)) ? `${sep}${name}=***` : all));
}

/** One URL (the whole text), masked; a URL that does not parse is replaced whole. */
function maskOneUrl(url: string): string {
  const parts = splitUrl(url);
  if (parts) return maskParts(parts);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  return scheme ? unparsable(scheme) : url;
}

/**
 * Masks the secrets of every URL in a text: the password of the user info
 * (`postgres://app:secret@host/db` → `postgres://app:***@host/db`) and the values of query
 * parameters named like a password or secret (`?password=`, `?sslpassword=`, `?secret=`,
 * `?api_key=`, `?token=`). A URL that does not parse as drivers parse it (a password with an
 * unencoded `/`, `?` or `#`) is replaced whole by `<unparsable postgres URL>`: no part of it is
 * printed. A URL in a text ends at whitespace, a quote or an angle bracket. A `file:` URL without
 * user info or port (a stack frame's `file:///srv/app/node_modules/@multidb/…/index.js:81:10`) is
 * left as it is, `@` in its path included.
 *
 * Without the URLs themselves a text cannot always be masked (a password with a space in it);
 * where the URLs are known (a bind's configuration), use {@link maskSecrets}.
 *
 * @param text - a URL or any text that may contain URLs (an error message).
 * @returns the text with secrets replaced by `***`.
 * @example
 * ```ts
 * maskUrl('postgres://app:secret@127.0.0.1/db'); // 'postgres://app:***@127.0.0.1/db'
 * maskUrl('postgres://app@h/db?sslpassword=x1'); // 'postgres://app@h/db?sslpassword=***'
 * maskUrl("cannot use 'postgres://app:p/ss@h/db'"); // "cannot use '<unparsable postgres URL>'"
 * ```
 */
export function maskUrl(text: string): string {
  // Both patterns need a `//`: a text without one (most output lines) holds nothing to mask.
  if (!text.includes('//')) return text;
  const masked = text.replace(URL_IN_TEXT, (token: string) => {
    const tail = TRAILING_PUNCTUATION.exec(token)?.[0] ?? '';
    const url = token.slice(0, token.length - tail.length);
    // The punctuation that ends a sentence is not part of the URL, unless the URL needs it to parse.
    if (tail && !splitUrl(url) && splitUrl(token)) return maskOneUrl(token);
    return maskOneUrl(url) + tail;
  });
  return masked.replace(BARE_USERINFO, '$1:***@');
}

/**
 * The printable form of one database URL: {@link maskUrl} applied to the whole text as one URL
 * (a password with spaces is masked whole too). A URL that does not parse prints as
 * `<unparsable postgres URL>`. A URL without `//` (`sqlite:app.db`) is returned as it is, its
 * secret query parameters masked, unless it holds an `@` and no `//`: then it may be a server URL
 * written wrong (`postgres:app:secret@db/x`, `app:secret@db/x`), whose password cannot be told
 * apart, and it prints as `<unparsable URL>` (a `sqlite:` path with an `@` is printed as it is).
 *
 * @example
 * ```ts
 * maskDatabaseUrl('mysql://root:p%40ss@db/app?ssl=true'); // 'mysql://root:***@db/app?ssl=true'
 * maskDatabaseUrl('postgres://app:p@ss:w/rd@h/db');       // '<unparsable postgres URL>'
 * maskDatabaseUrl('postgres:app:secret@h/db');             // '<unparsable URL>'
 * ```
 */
export function maskDatabaseUrl(url: string): string {
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return maskOneUrl(trimmed);
  // `//user:password@` without a scheme is masked by maskUrl; without `//` the password has no bounds.
  // A SQLite path (`sqlite:data/a@b.db`) has no password: it is printed as it is.
  if (trimmed.includes('@') && !trimmed.includes('//') && !/^sqlite:/i.test(trimmed)) return UNPARSABLE_URL;
  // No scheme at all: perhaps a libpq connection string (`host=db password=secret`), no dialect's URL.
  return maskUrl(maskQuery(hasNoScheme(trimmed) ? maskConninfo(url) : url));
}

/**
 * Whether a `scheme://` URL parses as drivers parse it (WHATWG URL) without a sign that a
 * password character was left unencoded: no `@` in its path, fragment or a query parameter's
 * name. Such a URL would connect somewhere else than meant, and parts of its password would show
 * in messages: URL parsers refuse it (their message then prints it as {@link maskDatabaseUrl} does).
 * @example
 * ```ts
 * urlParsesCleanly('postgres://app:p%2Fw@h/db'); // true
 * urlParsesCleanly('postgres://app:12/w@h/db');  // false (host 'app', port 12, path '/w@h/db')
 * ```
 */
export function urlParsesCleanly(url: string): boolean {
  return splitUrl(url.trim()) !== undefined;
}

/**
 * The secrets of a database URL, as written and percent-decoded: its password and the values of
 * its secret query parameters. For a `scheme://` URL that does not parse, the password is taken as
 * everything between the first `:` after the user name and the last `@`; for a URL without `//`
 * with an `@` (`postgres:app:secret@h/db`), what follows its first `:` and its last `:` before the
 * last `@`.
 *
 * @example
 * ```ts
 * urlSecrets('mysql://root:p%40ss@h/db?secret=abc'); // ['p%40ss', 'p@ss', 'abc']
 * ```
 */
export function urlSecrets(url: string): string[] {
  const text = url.trim();
  const out = new Set<string>();
  const add = (value: string) => {
    if (value) {
      out.add(value);
      out.add(decoded(value));
    }
  };
  const parts = splitUrl(text);
  if (parts) {
    const colon = parts.userinfo?.indexOf(':') ?? -1;
    if (parts.userinfo !== undefined && colon >= 0) add(parts.userinfo.slice(colon + 1));
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:/i.exec(text);
    const at = text.lastIndexOf('@');
    if (m && at > m[0].length) add(text.slice(m[0].length, at));
  } else {
    // No `//` (`postgres:app:secret@h/db`, `app:secret@h/db`): what follows the first or the
    // last `:` before the last `@` may be the password.
    const userinfo = text.slice(0, Math.max(0, text.lastIndexOf('@')));
    const first = userinfo.indexOf(':');
    const last = userinfo.lastIndexOf(':');
    if (first >= 0) add(userinfo.slice(first + 1));
    if (last > first) add(userinfo.slice(last + 1));
  }
  for (const m of text.matchAll(/[?&;]([^=&;#]*)=([^&;#]*)/g)) if (SECRET_PARAMETER.test(decoded(m[1]!))) add(m[2]!);
  if (hasNoScheme(text)) {
    for (const m of text.matchAll(CONNINFO_PAIR)) {
      if (!SECRET_PARAMETER.test(m[2]!)) continue;
      const value = m[4]!;
      // A quoted value: as written, and as libpq reads it (quotes off, `\'` and `\\` unescaped).
      add(value);
      if (value.startsWith("'")) add(value.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1'));
    }
  }
  return [...out];
}

/**
 * Masks the secrets of the given URLs wherever they appear in a text, then every URL in it
 * ({@link maskUrl}). Each URL is first replaced whole by {@link maskDatabaseUrl}, then its
 * secrets ({@link urlSecrets}) of 3 characters or more are masked wherever they appear, e.g. in a
 * driver's error message that quotes the password without the URL around it.
 *
 * @param text - any text (an error message, an output line).
 * @param urls - the URLs whose secrets to mask (`undefined` entries are skipped).
 * @returns the masked text.
 * @example
 * ```ts
 * maskSecrets("password 'hunter22' rejected", ['postgres://app:hunter22@h/db']); // "password '***' rejected"
 * ```
 */
export function maskSecrets(text: string, urls: readonly (string | undefined)[]): string {
  let out = text;
  for (const url of urls) if (url?.trim()) out = maskWith(out, urlMasks(url));
  return maskUrl(out);
}

/**
 * {@link maskSecrets} of many texts with the same URLs: each URL is parsed once, when this is
 * called (`maskSecrets` keeps the parsed masks of the last 256 URLs it met, so with more, the
 * binds of thousands of tenants, it parsed every URL again for each text), and a URL with nothing
 * to mask (no secret, its masked form the same: a SQLite file's) is not looked for. What masks
 * every output line of a command.
 * @param urls - the URLs whose secrets to mask (`undefined` entries are skipped).
 * @returns a function masking a text as `maskSecrets(text, urls)` does.
 * @example
 * ```ts
 * const mask = secretsMasker(['postgres://app:hunter22@h/db', 'sqlite:.data/t0001.db']);
 * mask("password 'hunter22' rejected"); // "password '***' rejected"
 * ```
 */
export function secretsMasker(urls: readonly (string | undefined)[]): (text: string) => string {
  const masks = [...new Set(urls)].flatMap((url) => {
    if (!url?.trim()) return [];
    const m = parseMasks(url);
    return m.secrets.length > 0 || m.masked !== m.url ? [m] : [];
  });
  return (text) => {
    let out = text;
    for (const m of masks) out = maskWith(out, m);
    return maskUrl(out);
  };
}

/** Replaces in `text` a URL whole by its masked form, then each of its secrets by `***`. */
function maskWith(text: string, masks: UrlMasks): string {
  let out = text;
  // `includes` first: a split and join per URL and secret on every output line adds up (history).
  if (out.includes(masks.url)) out = out.split(masks.url).join(masks.masked);
  for (const secret of masks.secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** What {@link maskSecrets} replaces for one URL. */
interface UrlMasks {
  /** The URL as written, trimmed. */
  readonly url: string;
  /** Its printable form ({@link maskDatabaseUrl}). */
  readonly masked: string;
  /** Its secrets of 3 characters or more, longest first. */
  readonly secrets: readonly string[];
}

/**
 * {@link UrlMasks} by URL: a command masks each of its output lines with the same few URLs (the
 * binds'), so each URL is parsed once, not once a line (5,000 lines for a long history). Cleared
 * when full, so a process that sees many URLs keeps few.
 */
const URL_MASKS = new Map<string, UrlMasks>();
const URL_MASKS_MAX = 256;

function urlMasks(url: string): UrlMasks {
  let masks = URL_MASKS.get(url);
  if (masks === undefined) {
    if (URL_MASKS.size >= URL_MASKS_MAX) URL_MASKS.clear();
    masks = parseMasks(url);
    URL_MASKS.set(url, masks);
  }
  return masks;
}

/** The {@link UrlMasks} of a URL, parsed. */
function parseMasks(url: string): UrlMasks {
  const secrets = urlSecrets(url)
    .filter((s) => s.length >= 3)
    .sort((a, b) => b.length - a.length);
  return { url: url.trim(), masked: maskDatabaseUrl(url), secrets };
}

/**
 * The scheme of a database URL, lower-cased, without the colon (`'sqlite'`, `'postgres'`).
 * @throws {@link UrlError} when the text has no scheme.
 * @example
 * ```ts
 * urlScheme('postgresql://h/db'); // 'postgresql'
 * ```
 */
export function urlScheme(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  if (!m?.[1]) {
    // A libpq connection string (`host=db dbname=sales …`) is a common way to name a PostgreSQL database.
    const conninfo = /(^|\s)(host|hostaddr|dbname|user|port)\s*=/.test(url)
      ? " A libpq 'keyword=value' connection string is not taken: write postgres://user:<password>@host:5432/database (percent-encode @ : / ? # in the password)."
      : '';
    throw new UrlError(`Invalid database URL '${maskDatabaseUrl(url)}': expected a scheme such as sqlite:, postgres:// or mysql://.${conninfo}`);
  }
  return m[1].toLowerCase();
}
