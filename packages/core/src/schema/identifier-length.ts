import type { IdentifierLimit } from '../dialect/dialect.js';

/**
 * The length of a name in a dialect's unit ({@link IdentifierLimit.unit}): UTF-8 bytes
 * (PostgreSQL; a lone surrogate counts 3, as it is sent: U+FFFD) or characters (code points;
 * MySQL/MariaDB). Allocates nothing.
 *
 * @param name - the name as written.
 * @param unit - `'bytes'` or `'characters'`.
 * @returns its length in that unit.
 * @example
 * ```ts
 * identifierLength('Façade', 'bytes'); // 7
 * identifierLength('Façade', 'characters'); // 6
 * ```
 */
export function identifierLength(name: string, unit: IdentifierLimit['unit']): number {
  return unit === 'bytes' ? utf8Length(name) : codePoints(name);
}

/** UTF-8 bytes: 1 below U+0080, 2 below U+0800, 4 for a surrogate pair, else 3 (a lone surrogate as U+FFFD). */
function utf8Length(name: string): number {
  const units = name.length;
  let bytes = units;
  for (let i = 0; i < units; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < units && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // two units, four bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Code points: a surrogate pair counts one. */
function codePoints(name: string): number {
  const units = name.length;
  let count = units;
  for (let i = 0; i + 1 < units; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Whether a name is longer than a dialect keeps ({@link IdentifierLimit}). Cheap on the common
 * case: a name whose UTF-16 length settles it (at most a third of a byte limit, at most a character
 * limit, or more code units than a byte limit) or is ASCII is not counted; only a name in between
 * is measured with {@link identifierLength}. Allocates nothing.
 *
 * @param name - the name as written.
 * @param limit - the dialect's limit.
 * @returns `true` when the name has more than `limit.max` bytes or characters.
 * @example
 * ```ts
 * isOverIdentifierLimit('é'.repeat(32), { max: 63, unit: 'bytes', longer: 'truncated' }); // true (64 bytes)
 * isOverIdentifierLimit('é'.repeat(32), { max: 64, unit: 'characters', longer: 'refused' }); // false
 * ```
 */
export function isOverIdentifierLimit(name: string, limit: IdentifierLimit): boolean {
  const units = name.length;
  if (limit.unit === 'bytes') {
    // A UTF-16 code unit is 1 to 3 bytes (a surrogate pair: 4 bytes for 2 units); an ASCII name
    // (nearly every name) has as many bytes as units, which a native regex tells fastest.
    if (units * 3 <= limit.max) return false;
    if (units > limit.max) return true;
    if (ASCII.test(name)) return false;
  } else if (units <= limit.max) {
    // A code point is 1 or 2 code units.
    return false;
  }
  return identifierLength(name, limit.unit) > limit.max;
}

/**
 * The longest start of a name, in whole characters, that a limit keeps: what PostgreSQL makes of
 * a longer name (it cuts it at `limit.max` bytes without splitting a character).
 *
 * @param name - the name as written.
 * @param limit - the dialect's limit.
 * @returns the name itself when it fits, else its longest start within `limit.max`.
 * @example
 * ```ts
 * identifierPrefix('a'.repeat(70), { max: 63, unit: 'bytes', longer: 'truncated' }); // 'a'.repeat(63)
 * ```
 */
export function identifierPrefix(name: string, limit: IdentifierLimit): string {
  let length = 0;
  let end = 0;
  while (end < name.length) {
    const c = name.charCodeAt(end);
    const pair = c >= 0xd800 && c <= 0xdbff && end + 1 < name.length && name.charCodeAt(end + 1) >= 0xdc00 && name.charCodeAt(end + 1) <= 0xdfff;
    const size = limit.unit === 'characters' ? 1 : pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (length + size > limit.max) break;
    length += size;
    end += pair ? 2 : 1;
  }
  return name.slice(0, end);
}
