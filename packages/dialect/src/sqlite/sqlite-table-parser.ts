import { closingParen, isKeyword, splitTopLevel, tokenizeSqlite, type SqlToken } from './sqlite-sql-tokens.js';

/** A foreign key as written in CREATE TABLE (column- or table-level). */
export interface ParsedForeignKey {
  /** The constraint's name (`CONSTRAINT "name"`), when written. */
  readonly name?: string;
  /** The referencing columns (a column-level key: its column). */
  readonly columns: readonly string[];
  /** The referenced table, unquoted. */
  readonly referredTable: string;
  /** Empty when the REFERENCES clause names no columns (the parent's primary key). */
  readonly referredColumns: readonly string[];
  /** `DEFERRABLE` (not `NOT DEFERRABLE`). */
  readonly deferrable?: boolean;
  /** `INITIALLY DEFERRED`. */
  readonly initiallyDeferred?: boolean;
}

/** A column definition as written in CREATE TABLE. */
export interface ParsedColumn {
  /** The column's name, unquoted. */
  readonly name: string;
  /** The declared type as written (`varchar(3)`), empty when none. */
  readonly type: string;
  /**
   * A column-level `PRIMARY KEY`: its constraint name, when written, whether it is
   * `AUTOINCREMENT`, and whether it is written `DESC` (on an `INTEGER` column, SQLite's quirk: then
   * not a rowid alias).
   */
  readonly primaryKey?: { readonly name?: string; readonly autoincrement: boolean; readonly descending?: boolean };
  /** A column-level `UNIQUE`, with its constraint name when written. */
  readonly unique?: { readonly name?: string };
  /** The `COLLATE` name, when written. */
  readonly collation?: string;
  /** `GENERATED ALWAYS AS (…)`: the expression and whether it is `STORED` (else `VIRTUAL`). */
  readonly generated?: { readonly sql: string; readonly stored: boolean };
  /** A column-level `REFERENCES` clause. */
  readonly references?: ParsedForeignKey;
  /** Column-level `CHECK` constraints, with their names when written (`[]`: none). */
  readonly checks: readonly { readonly name?: string; readonly expression: string }[];
}

/** What a CREATE TABLE statement declares, beyond what SQLite's pragmas report. */
export interface ParsedTable {
  /** The column definitions, in table order. */
  readonly columns: readonly ParsedColumn[];
  /**
   * A table-level `PRIMARY KEY (…)`: name, columns, whether a column is `AUTOINCREMENT`, and the
   * columns written `DESC` (`[]`: none).
   */
  readonly primaryKey?: { readonly name?: string; readonly columns: readonly string[]; readonly autoincrement: boolean; readonly descending: readonly string[] };
  /** Table-level `UNIQUE (…)` constraints (`[]`: none). */
  readonly uniqueConstraints: readonly { readonly name?: string; readonly columns: readonly string[] }[];
  /** Table-level `CHECK (…)` constraints (`[]`: none). */
  readonly checkConstraints: readonly { readonly name?: string; readonly expression: string }[];
  /** Table-level `FOREIGN KEY (…) REFERENCES …` constraints (`[]`: none). */
  readonly foreignKeys: readonly ParsedForeignKey[];
  /** The table is `STRICT`. */
  readonly strict: boolean;
  /** The table is `WITHOUT ROWID`. */
  readonly withoutRowid: boolean;
}

const COLUMN_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

/**
 * Reads a CREATE TABLE statement (as stored in `sqlite_master.sql`): column declarations with
 * their constraints, table constraints with their names, and table options. Tolerant: parts it
 * does not understand are skipped, never guessed.
 *
 * @param sql - the CREATE TABLE text.
 * @returns the parsed declaration, or `undefined` when the text is not a CREATE TABLE with a
 *   column list (e.g. `CREATE TABLE … AS SELECT`).
 * @example
 * ```ts
 * parseSqliteCreateTable('CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT, CONSTRAINT ck_t CHECK (id > 0)) STRICT');
 * // { columns: [{ name: 'id', type: 'integer', primaryKey: { autoincrement: true }, … }], checkConstraints: [{ name: 'ck_t', expression: 'id > 0' }], strict: true, … }
 * ```
 */
export function parseSqliteCreateTable(sql: string): ParsedTable | undefined {
  const tokens = tokenizeSqlite(sql);
  const open = tokens.findIndex((t) => t.type === 'punct' && t.text === '(');
  if (open < 0 || !isKeyword(tokens[0], 'CREATE')) return undefined;
  const close = closingParen(tokens, open);
  if (close < 0) return undefined;
  const text = (from: number, to: number) => (from < to ? sql.slice(tokens[from]!.start, tokens[to - 1]!.end) : '');

  const columns: ParsedColumn[] = [];
  const uniqueConstraints: { name?: string; columns: string[] }[] = [];
  const checkConstraints: { name?: string; expression: string }[] = [];
  const foreignKeys: ParsedForeignKey[] = [];
  let primaryKey: ParsedTable['primaryKey'];

  for (const [from, to] of splitTopLevel(tokens, open + 1, close)) {
    const first = tokens[from];
    if (!first) continue;
    const isTableConstraint =
      ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'].some((k) => isKeyword(first, k)) && first.type === 'word';
    if (isTableConstraint) {
      let i = from;
      let name: string | undefined;
      if (isKeyword(tokens[i], 'CONSTRAINT')) {
        name = tokens[i + 1]?.value;
        i += 2;
      }
      const kw = tokens[i]?.value.toUpperCase();
      if (kw === 'PRIMARY' || kw === 'UNIQUE') {
        const lp = indexOfParen(tokens, i, to);
        if (lp < 0) continue;
        const rp = closeWithin(tokens, lp, to);
        const items = splitTopLevel(tokens, lp + 1, rp).map(([a, b]) => tokens.slice(a, b));
        const cols = items.map((item) => item[0]?.value ?? '');
        if (kw === 'PRIMARY') {
          const autoincrement = items.some((item) => item.some((t) => isKeyword(t, 'AUTOINCREMENT')));
          const descending = cols.filter((_, k) => items[k]!.some((t) => isKeyword(t, 'DESC')));
          primaryKey = { ...(name ? { name } : {}), columns: cols, autoincrement, descending };
        } else uniqueConstraints.push({ ...(name ? { name } : {}), columns: cols });
      } else if (kw === 'CHECK') {
        const lp = indexOfParen(tokens, i, to);
        if (lp < 0) continue;
        checkConstraints.push({ ...(name ? { name } : {}), expression: text(lp + 1, closeWithin(tokens, lp, to)) });
      } else if (kw === 'FOREIGN') {
        const lp = indexOfParen(tokens, i, to);
        if (lp < 0) continue;
        const rp = closeWithin(tokens, lp, to);
        const cols = splitTopLevel(tokens, lp + 1, rp).map(([a]) => tokens[a]?.value ?? '');
        const ref = readReferences(tokens, rp + 1, to);
        if (ref) foreignKeys.push({ ...(name ? { name } : {}), columns: cols, referredTable: ref.table, referredColumns: ref.columns, ...deferral(ref) });
      }
      continue;
    }
    columns.push(readColumn(tokens, from, to, text));
  }

  const options = tokens.slice(close + 1).filter((t) => t.type === 'word').map((t) => t.value.toUpperCase());
  return {
    columns,
    ...(primaryKey ? { primaryKey } : {}),
    uniqueConstraints,
    checkConstraints,
    foreignKeys,
    strict: options.includes('STRICT'),
    withoutRowid: options.includes('ROWID'),
  };
}

function readColumn(tokens: readonly SqlToken[], from: number, to: number, text: (a: number, b: number) => string): ParsedColumn {
  const name = tokens[from]!.value;
  let i = from + 1;
  const typeStart = i;
  while (i < to) {
    const t = tokens[i]!;
    if (t.type === 'word' && COLUMN_CONSTRAINT_START.has(t.value.toUpperCase())) break;
    if (t.type === 'punct' && t.text === '(') i = closeWithin(tokens, i, to) + 1;
    else i++;
  }
  const column: {
    -readonly [K in keyof ParsedColumn]: ParsedColumn[K];
  } & { checks: { name?: string; expression: string }[] } = { name, type: text(typeStart, i), checks: [] };
  let pending: string | undefined;
  const named = () => {
    const n = pending;
    pending = undefined;
    return n ? { name: n } : {};
  };
  while (i < to) {
    const t = tokens[i]!;
    const kw = t.type === 'word' ? t.value.toUpperCase() : '';
    if (kw === 'CONSTRAINT') {
      pending = tokens[i + 1]?.value;
      i += 2;
    } else if (kw === 'PRIMARY') {
      i += 2; // PRIMARY KEY
      let descending = false;
      while (i < to && ['ASC', 'DESC'].includes(tokens[i]!.value.toUpperCase())) descending = tokens[i++]!.value.toUpperCase() === 'DESC';
      i = skipConflictClause(tokens, i, to);
      const autoincrement = isKeyword(tokens[i], 'AUTOINCREMENT');
      if (autoincrement) i++;
      column.primaryKey = { ...named(), autoincrement, ...(descending ? { descending } : {}) };
    } else if (kw === 'UNIQUE') {
      column.unique = named();
      i = skipConflictClause(tokens, i + 1, to);
    } else if (kw === 'CHECK') {
      const lp = indexOfParen(tokens, i, to);
      if (lp < 0) break;
      const rp = closeWithin(tokens, lp, to);
      column.checks.push({ ...named(), expression: text(lp + 1, rp) });
      i = rp + 1;
    } else if (kw === 'COLLATE') {
      column.collation = tokens[i + 1]?.value ?? '';
      pending = undefined;
      i += 2;
    } else if (kw === 'REFERENCES') {
      const ref = readReferences(tokens, i, to);
      if (ref) column.references = { ...named(), columns: [name], referredTable: ref.table, referredColumns: ref.columns, ...deferral(ref) };
      i = ref ? ref.end : i + 1;
    } else if (kw === 'GENERATED' || kw === 'AS') {
      const lp = indexOfParen(tokens, i, to);
      if (lp < 0) break;
      const rp = closeWithin(tokens, lp, to);
      const stored = isKeyword(tokens[rp + 1], 'STORED');
      column.generated = { sql: text(lp + 1, rp), stored };
      pending = undefined;
      i = rp + 1;
    } else if (kw === 'DEFAULT') {
      pending = undefined;
      i++;
      if (tokens[i]?.text === '(') i = closeWithin(tokens, i, to) + 1;
      else if (tokens[i]?.text === '-' || tokens[i]?.text === '+') i += 2;
      else i++;
    } else if (kw === 'NOT' || kw === 'NULL') {
      pending = undefined;
      i = skipConflictClause(tokens, i + (kw === 'NOT' ? 2 : 1), to);
    } else i++;
  }
  return column;
}

/** The deferral of a REFERENCES clause, as {@link ParsedForeignKey} fields (none when immediate). */
function deferral(ref: { deferrable: boolean; initiallyDeferred: boolean }): { deferrable?: true; initiallyDeferred?: true } {
  return { ...(ref.deferrable ? { deferrable: true as const } : {}), ...(ref.deferrable && ref.initiallyDeferred ? { initiallyDeferred: true as const } : {}) };
}

/** Reads `REFERENCES table [(cols)] [actions…] [[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]]` starting at the REFERENCES keyword. */
function readReferences(
  tokens: readonly SqlToken[],
  at: number,
  to: number,
): { table: string; columns: string[]; end: number; deferrable: boolean; initiallyDeferred: boolean } | undefined {
  if (!isKeyword(tokens[at], 'REFERENCES') || !tokens[at + 1]) return undefined;
  const table = tokens[at + 1]!.value;
  let i = at + 2;
  let columns: string[] = [];
  if (tokens[i]?.text === '(') {
    const rp = closeWithin(tokens, i, to);
    columns = splitTopLevel(tokens, i + 1, rp).map(([a]) => tokens[a]?.value ?? '');
    i = rp + 1;
  }
  // ON DELETE/UPDATE actions and MATCH: read from PRAGMA foreign_key_list. DEFERRABLE: read here.
  let deferrable = false;
  let initiallyDeferred = false;
  while (i < to && ['ON', 'MATCH', 'NOT', 'DEFERRABLE', 'INITIALLY', 'DELETE', 'UPDATE', 'SET', 'NULL', 'DEFAULT', 'CASCADE', 'RESTRICT', 'NO', 'ACTION', 'DEFERRED', 'IMMEDIATE', 'SIMPLE', 'FULL', 'PARTIAL'].includes(tokens[i]!.value.toUpperCase())) {
    // Stop at a NOT NULL / DEFAULT / NULL that starts the next column constraint.
    const kw = tokens[i]!.value.toUpperCase();
    const prev = tokens[i - 1]?.value.toUpperCase();
    if (kw === 'NOT' && !isKeyword(tokens[i + 1], 'DEFERRABLE')) break;
    if ((kw === 'NULL' || kw === 'DEFAULT') && prev !== 'SET') break;
    if (kw === 'DEFERRABLE') deferrable = prev !== 'NOT';
    if (kw === 'DEFERRED' && prev === 'INITIALLY') initiallyDeferred = true;
    i++;
  }
  return { table, columns, end: i, deferrable, initiallyDeferred };
}

function skipConflictClause(tokens: readonly SqlToken[], i: number, to: number): number {
  if (i + 2 < to && isKeyword(tokens[i], 'ON') && isKeyword(tokens[i + 1], 'CONFLICT')) return i + 3;
  return i;
}

/** The `)` closing the `(` at `open` inside `[open, to)`, or the item's last token when unbalanced. */
function closeWithin(tokens: readonly SqlToken[], open: number, to: number): number {
  const close = closingParen(tokens, open);
  return close < 0 || close >= to ? to - 1 : close;
}

function indexOfParen(tokens: readonly SqlToken[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (tokens[i]!.type === 'punct' && tokens[i]!.text === '(') return i;
  return -1;
}
