import { closestKey } from './edit-distance.js';
import { MultidbError, UnknownOptionError } from './errors.js';

/**
 * The keys of an object type, listed once in a record the compiler checks against the type: a key
 * the type has and the record lacks does not compile, nor does one the record has and the type
 * lacks. So the keys a command (or the config) accepts are derived from its TypeScript type and
 * cannot drift from it.
 * @param keys - every key of `T`, each set to `true`.
 * @returns the keys, in the record's order (frozen).
 * @example
 * ```ts
 * interface GreetOptions { readonly name?: string; readonly loud?: boolean }
 * const GREET_KEYS = keysOf<GreetOptions>({ name: true, loud: true }); // ['name', 'loud']
 * ```
 */
export function keysOf<T>(keys: Record<keyof T, true>): readonly string[] {
  return Object.freeze(Object.keys(keys));
}

/**
 * Refuses an options object holding a key outside `known`, before the function that took it does
 * anything: from JavaScript without types (or through an `any`), a misspelled key such as `rnge`
 * would otherwise be ignored and the function run with its defaults. A known key whose value is
 * `undefined` is accepted, as is `options` itself being `undefined` (the defaults).
 * @param command - the function, as messages name it (`'history()'`).
 * @param options - the options object as given.
 * @param known - the keys it takes, from {@link keysOf}.
 * @throws {@link UnknownOptionError} naming each unknown key with the known key it most likely
 *   meant (`did you mean 'range'?`) and listing `known`; {@link MultidbError} `INVALID_OPTION`
 *   when `options` is neither `undefined` nor a plain object (`null`, a string, an array).
 * @example
 * ```ts
 * checkOptions('history()', { rnge: 'base:head' }, ['bind', 'range', 'indicateCurrent']);
 * // throws UnknownOptionError: history(): unknown option 'rnge' (did you mean 'range'?); history() takes bind, range, indicateCurrent. Nothing was done.
 * ```
 */
export function checkOptions(command: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MultidbError(`${command} takes its options as an object ({ ${known.join(', ')} }); got ${describe(options)}. Nothing was done.`, 'INVALID_OPTION');
  }
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  throw new UnknownOptionError(
    command,
    unknown.map((key) => {
      const suggestion = closestKey(key, known);
      return suggestion === undefined ? { key } : { key, suggestion };
    }),
    known,
  );
}

/** A value as the message shows it: JSON when it has one (cut at 80 characters), else its type. */
function describe(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return typeof value;
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return typeof value;
  }
}
