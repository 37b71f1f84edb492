import { MultidbError } from '../errors.js';

/**
 * A list argument of a command (bind names, targets, offline ranges) as the command reads it:
 * one string is a list of one (`current(env, 'db2')` is `current(env, ['db2'])`, as
 * `env.upgrade('db2')` is), an array of strings is taken as it is. Anything else, which only
 * JavaScript without types can pass (a number, an object, an array holding a non-string), is
 * refused with an error naming the command and the value, rather than being read character by
 * character (`'db2'` as binds `d`, `b`, `2`) or failing inside it (`binds.map is not a function`).
 *
 * @param value - the argument as given.
 * @param call - the command and the argument, as the message names them (`'current() binds'`).
 * @param example - an example value for the message (`"'db2'"`).
 * @returns the list.
 * @throws {@link MultidbError} `INVALID_OPTION` for a value that is neither a string nor an array of strings.
 * @example
 * ```ts
 * listArgument('db2', 'current() binds', "'db2'"); // ['db2']
 * listArgument(['db2', 'analytics'], 'current() binds', "'db2'"); // ['db2', 'analytics']
 * ```
 */
export function listArgument(value: string | readonly string[], call: string, example: string): readonly string[] {
  const list: unknown = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new MultidbError(`${call}: give a string (${example}) or an array of strings ([${example}]); got ${describeValue(value)}.`, 'INVALID_OPTION');
  }
  return list as readonly string[];
}

/** A value as an error message shows it: JSON when it has one, else its type. */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
