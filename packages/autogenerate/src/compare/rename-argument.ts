import { RenameArgumentError } from './rename-argument-error.js';

/**
 * A rename, as a `--rename` / `--no-rename` argument names it: a table renamed within its schema,
 * or a column renamed within its table. Read by {@link parseRenameArgument}, written by
 * {@link formatRenameArgument}.
 *
 * @example
 * ```ts
 * import type { RenameArgument } from '@multidb/autogenerate';
 * const rename: RenameArgument = { kind: 'column', table: 'users', column: 'name', newName: 'full_name' };
 * ```
 */
export type RenameArgument =
  | { readonly kind: 'table'; readonly schema?: string; readonly table: string; readonly newName: string }
  | { readonly kind: 'column'; readonly schema?: string; readonly table: string; readonly column: string; readonly newName: string };

const PLAIN = /^[^."=\s]+$/;

/** One name of an argument: bare, or in double quotes (doubled inside) when it holds `.`, `=`, `"` or spaces. */
function quoteName(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * Writes a rename as the text of a `--rename` (accept) or `--no-rename` (reject) argument:
 * `old=new` for a table (`schema.old=new` in a schema: a rename keeps the schema), and
 * `table.old=table.new` for a column (`schema.table.old=schema.table.new`). A name holding `.`,
 * `=`, `"` or white space is written in double quotes (`"my.table".a="my.table".b`).
 *
 * @param rename - a table or column rename (e.g. a {@link RenameCandidate}).
 * @returns the argument text; {@link parseRenameArgument} reads it back.
 * @example
 * ```ts
 * import { formatRenameArgument } from '@multidb/autogenerate';
 * formatRenameArgument({ kind: 'column', table: 'users', column: 'name', newName: 'full_name' }); // 'users.name=users.full_name'
 * formatRenameArgument({ kind: 'table', table: 'users', newName: 'members' });                   // 'users=members'
 * ```
 */
export function formatRenameArgument(rename: RenameArgument): string {
  const schema = rename.schema === undefined ? '' : `${quoteName(rename.schema)}.`;
  if (rename.kind === 'table') return `${schema}${quoteName(rename.table)}=${quoteName(rename.newName)}`;
  const table = `${schema}${quoteName(rename.table)}.`;
  return `${table}${quoteName(rename.column)}=${table}${quoteName(rename.newName)}`;
}

/**
 * Reads the text of a `--rename` / `--no-rename` argument (the format of
 * {@link formatRenameArgument}):
 * - `old=new`, `schema.old=new`: table `old` renamed to `new` (within its schema);
 * - `table.old=table.new`, `schema.table.old=schema.table.new`: column `old` of `table` renamed
 *   to `new` (the table part is the same on both sides).
 *
 * Names may be double-quoted (`"a.b"`, `""` for a quote inside); spaces around `=` and `.` are
 * ignored.
 *
 * @param text - the argument, e.g. `'users.name=users.full_name'`.
 * @returns the rename it names.
 * @throws {@link RenameArgumentError} when the text is not one of these forms (no `=`, an empty
 *   or unterminated name, a column rename that changes its table).
 * @example
 * ```ts
 * import { parseRenameArgument } from '@multidb/autogenerate';
 * parseRenameArgument('users.name=users.full_name');
 * // { kind: 'column', table: 'users', column: 'name', newName: 'full_name' }
 * parseRenameArgument('users=members'); // { kind: 'table', table: 'users', newName: 'members' }
 * ```
 */
export function parseRenameArgument(text: string): RenameArgument {
  const fail = (why: string): never => {
    throw new RenameArgumentError(
      `Invalid rename '${text}': ${why}. Write old=new for a table (schema.old=new in a schema) or table.old=table.new for a column.`,
      text,
    );
  };
  if (typeof text !== 'string') fail('it is not text');
  const sides = splitArgument(text, fail);
  const [left, right] = sides;
  if (!left || !right) return fail("it needs exactly one '='");
  if (right.length === 1 && (left.length === 1 || left.length === 2)) {
    const table = left[left.length - 1]!;
    return left.length === 2 ? { kind: 'table', schema: left[0]!, table, newName: right[0]! } : { kind: 'table', table, newName: right[0]! };
  }
  if ((left.length === 2 || left.length === 3) && left.length === right.length) {
    const n = left.length;
    for (let i = 0; i < n - 1; i++) if (left[i] !== right[i]) fail('a column rename keeps its table (write the same table on both sides)');
    const rename = { kind: 'column' as const, table: left[n - 2]!, column: left[n - 1]!, newName: right[n - 1]! };
    return n === 3 ? { ...rename, schema: left[0]! } : rename;
  }
  return fail('it has the wrong number of names');
}

/** Splits `a.b=c.d` into `[['a','b'],['c','d']]`, honouring double quotes. */
function splitArgument(text: string, fail: (why: string) => never): string[][] {
  const sides: string[][] = [[]];
  let name: string | undefined;
  let i = 0;
  const end = (): void => {
    if (name === undefined || name === '') fail('a name is empty');
    sides[sides.length - 1]!.push(name as string);
    name = undefined;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      if (name !== undefined) fail('a quote inside a name');
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) fail('a quoted name is not closed');
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      name = value;
      i = j + 1;
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (i < text.length && text[i] !== '.' && text[i] !== '=') fail('text after a quoted name');
      if (name === '') fail('a name is empty');
      continue;
    }
    if (c === '.' || c === '=') {
      end();
      if (c === '=') {
        if (sides.length === 2) fail("it needs exactly one '='");
        sides.push([]);
      }
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (name !== undefined && i < text.length && text[i] !== '.' && text[i] !== '=') fail('a space inside a name (quote the name)');
      continue;
    }
    name = (name ?? '') + c;
    i++;
  }
  end();
  return sides;
}
