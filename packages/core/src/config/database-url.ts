import { UrlError } from '../errors.js';

// `scheme://user:password@`, the scheme optional (a URL that lacks it is still masked). As in
// WHATWG URL parsing (what drivers use), the authority ends at the first `/`, `?` or `#`, the
// last `@` before it ends the user info, and the first `:` splits user from password: so an
// unencoded `@` in the password (`u:p@ss@host`) is masked whole.
const USERINFO = /((?:[a-z][a-z0-9+.-]*:)?\/\/[^:/?#\s]*):([^/?#\s]*)@/i;
const USERINFO_G = new RegExp(USERINFO.source, 'gi');

/**
 * Masks the password of every URL in a text: `postgres://app:secret@host/db` becomes
 * `postgres://app:***@host/db`. Every URL the project prints goes through here.
 *
 * @param text - a URL or any text that may contain URLs (an error message).
 * @returns the text with passwords replaced by `***`.
 * @example
 * ```ts
 * maskUrl('postgres://app:secret@127.0.0.1/db'); // 'postgres://app:***@127.0.0.1/db'
 * ```
 */
export function maskUrl(text: string): string {
  return text.replace(USERINFO_G, '$1:***@');
}

/**
 * Masks the given secrets (and URL passwords) wherever they appear in a text, e.g. in a driver's
 * error message that quotes the password without the URL around it.
 */
export function maskSecrets(text: string, urls: readonly (string | undefined)[]): string {
  let out = maskUrl(text);
  for (const url of urls) {
    const password = url ? passwordOf(url) : undefined;
    if (password && password.length >= 3) out = out.split(password).join('***');
  }
  return out;
}

function passwordOf(url: string): string | undefined {
  const m = USERINFO.exec(url.trim());
  if (!m?.[2] || m.index !== 0) return undefined;
  try {
    return decodeURIComponent(m[2]);
  } catch {
    return m[2];
  }
}

/**
 * The scheme of a database URL, lower-cased, without the colon (`'sqlite'`, `'postgres'`).
 * @throws {@link UrlError} when the text has no scheme.
 */
export function urlScheme(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  if (!m?.[1]) throw new UrlError(`Invalid database URL '${maskUrl(url)}': expected a scheme such as sqlite:, postgres:// or mysql://.`);
  return m[1].toLowerCase();
}
