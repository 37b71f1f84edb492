/**
 * Constraint and index naming convention (SQLAlchemy's `naming_convention`): templates per kind
 * with `%(table)s`, `%(columns)s` (column names joined by `_`), `%(column_0_name)s`,
 * `%(referred_table)s` and `%(name)s` placeholders.
 */
export interface NamingConvention {
  /** Index. */
  readonly ix?: string;
  /** Unique constraint. */
  readonly uq?: string;
  /** Foreign key. */
  readonly fk?: string;
  /** Check constraint (needs a `name` given by the user, or uses the columns). */
  readonly ck?: string;
  /** Primary key. */
  readonly pk?: string;
}

/** The kinds a naming convention names. */
export type NamedKind = keyof NamingConvention;

/** The default convention of DESIGN §4. */
export const DEFAULT_NAMING_CONVENTION: Required<NamingConvention> = Object.freeze({
  ix: 'ix_%(table)s_%(columns)s',
  uq: 'uq_%(table)s_%(columns)s',
  fk: 'fk_%(table)s_%(columns)s_%(referred_table)s',
  ck: 'ck_%(table)s_%(name)s',
  pk: 'pk_%(table)s',
});

/** Values that fill a template. */
export interface NamingValues {
  /** The table the constraint or index is on (`%(table)s`). */
  readonly table: string;
  /**
   * Its columns, in order (`%(columns)s` joins them with `_`; `%(column_0_name)s` is the first).
   */
  readonly columns?: readonly string[];
  /** The referenced table of a foreign key (`%(referred_table)s`). */
  readonly referredTable?: string;
  /** The user's short name (check constraints). */
  readonly name?: string;
}

/**
 * Names a constraint or index from the convention.
 *
 * @param convention - the project's convention (missing kinds fall back to the defaults).
 * @param kind - `'ix' | 'uq' | 'fk' | 'ck' | 'pk'`.
 * @param values - table, columns, referred table, short name.
 * @returns the name, e.g. `'fk_Album_ArtistId_Artist'`. A name longer than 63 bytes in UTF-8 is
 *   cut to at most 54 bytes (whole characters) and given `_` and an 8-hex hash of the full name,
 *   so it fits PostgreSQL's limit (63 bytes: a longer name would be truncated there, and never
 *   match the models again) and MySQL's (64 characters). An ASCII name is cut at 63 characters,
 *   a name in Japanese, three bytes a character, at 21.
 * @example
 * ```ts
 * conventionalName(DEFAULT_NAMING_CONVENTION, 'fk', { table: 'Album', columns: ['ArtistId'], referredTable: 'Artist' });
 * // 'fk_Album_ArtistId_Artist'
 * ```
 */
export function conventionalName(convention: NamingConvention, kind: NamedKind, values: NamingValues): string {
  const template = convention[kind] ?? DEFAULT_NAMING_CONVENTION[kind];
  const columns = values.columns ?? [];
  const name = template.replace(/%\((\w+)\)s/g, (_m, key: string) => {
    switch (key) {
      case 'table':
      case 'table_name':
        return values.table;
      case 'columns':
      case 'column_names':
        return columns.join('_');
      case 'referred_table':
      case 'referred_table_name':
        return values.referredTable ?? '';
      case 'name':
      case 'constraint_name':
        return values.name ?? columns.join('_');
      default: {
        const m = /^column_(\d+)_name$/.exec(key);
        if (m) return columns[Number(m[1])] ?? '';
        return '';
      }
    }
  });
  return utf8Length(name) > MAX_NAME_BYTES ? `${utf8Prefix(name, CUT_NAME_BYTES)}_${hash8(name)}` : name;
}

/** The longest conventional name, in UTF-8 bytes: PostgreSQL's identifier limit (NAMEDATALEN - 1). */
const MAX_NAME_BYTES = 63;
/** What is kept of a longer name before `_` and its 8-hex hash (54 + 1 + 8 = 63). */
const CUT_NAME_BYTES = 54;

/** The length of a text in UTF-8 bytes (a lone surrogate counts 3, as it is sent: U+FFFD). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += utf8Bytes(ch.codePointAt(0)!);
  return bytes;
}

/** The longest start of a text, in whole characters, of at most `max` UTF-8 bytes. */
function utf8Prefix(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    bytes += utf8Bytes(ch.codePointAt(0)!);
    if (bytes > max) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Names a check constraint: a given name is kept as written (like every other constraint kind);
 * without one, the `ck` template is filled with a short hash of the expression as `%(name)s`, so
 * the name is stable for the same expression.
 * @example
 * ```ts
 * checkConstraintName(DEFAULT_NAMING_CONVENTION, 'Track', null, '"Milliseconds" > 0'); // 'ck_Track_<8 hex>'
 * ```
 */
export function checkConstraintName(convention: NamingConvention, table: string, name: string | null | undefined, expression: string): string {
  return name ?? conventionalName(convention, 'ck', { table, name: hash8(expression) });
}

function hash8(text: string): string {
  // FNV-1a 32-bit: stable and dependency-free.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
