import { formatColumnType, longestMemberLength, parseColumnType, type BatchInnerOp, type ColumnType, type Op } from '@multidb/core';
import { printString } from './code-printer.js';

const INTEGER_RANK: Readonly<Record<string, number>> = {
  tinyint: 1,
  int1: 1,
  smallint: 2,
  int2: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  int4: 4,
  bigint: 5,
  int8: 5,
};
const UNBOUNDED_TEXT = new Set(['text', 'mediumtext', 'longtext', 'clob', 'ntext', 'citext']);
const BOUNDED_TEXT = new Set(['char', 'character', 'nchar', 'varchar', 'character varying', 'nvarchar', 'varchar2', 'tinytext']);
const DECIMAL = new Set(['numeric', 'decimal']);
const FLOAT_RANK: Readonly<Record<string, number>> = { real: 1, float4: 1, float: 2, double: 2, 'double precision': 2, float8: 2 };

const numericArgs = (t: ColumnType): number[] => t.args.filter((a): a is number => typeof a === 'number');

/** Whether every argument of `to` is at least the one of `from` (no arguments: unbounded). */
function argsWiden(from: ColumnType, to: ColumnType): boolean {
  const a = numericArgs(from);
  const b = numericArgs(to);
  if (b.length === 0) return true;
  if (a.length === 0) return false;
  // numeric(p, s): the integer digits (p - s) and the scale must both not shrink.
  if (a.length === 2 && b.length === 2) return b[0]! - b[1]! >= a[0]! - a[1]! && b[1]! >= a[1]!;
  return b.every((x, i) => a[i] === undefined || x >= a[i]!);
}

/**
 * Whether changing a column from one type to another can lose or reject values. Conservative:
 * only changes known to keep every value (a longer string, a wider integer, an unbounded text, a
 * superset of enum or SET members, an enum into a string as long as its longest member, …) count
 * as widening; every other change counts as narrowing.
 *
 * @example
 * ```ts
 * isNarrowingTypeChange(parseColumnType('varchar(100)'), parseColumnType('varchar(50)')); // true
 * isNarrowingTypeChange(parseColumnType('integer'), parseColumnType('bigint')); // false
 * ```
 */
export function isNarrowingTypeChange(from: ColumnType, to: ColumnType): boolean {
  if (formatColumnType(from) === formatColumnType(to) && from.enumName === to.enumName) return false;
  if (from.array !== to.array) return true;
  const fromMods = (from.modifiers ?? []).join(' ');
  const toMods = (to.modifiers ?? []).join(' ');
  // ENUM and SET (MySQL): every member kept (added ones, another order) keeps every value.
  if ((from.name === 'enum' || from.name === 'set') && to.name === from.name) return !from.args.every((m) => to.args.includes(m));
  if (UNBOUNDED_TEXT.has(to.name) && (UNBOUNDED_TEXT.has(from.name) || BOUNDED_TEXT.has(from.name) || from.name === 'enum')) return false;
  // An enum into a string type as long as its longest member.
  if (from.name === 'enum' && BOUNDED_TEXT.has(to.name) && to.name !== 'tinytext') {
    const [length] = numericArgs(to);
    return length !== undefined && length < longestMemberLength(from);
  }
  if (fromMods !== toMods) return true;
  if (from.name === to.name) return !argsWiden(from, to);
  if (BOUNDED_TEXT.has(from.name) && BOUNDED_TEXT.has(to.name) && from.name !== 'tinytext' && to.name !== 'tinytext') return !argsWiden(from, to);
  const fromInt = INTEGER_RANK[from.name];
  const toInt = INTEGER_RANK[to.name];
  if (fromInt !== undefined && toInt !== undefined) return toInt < fromInt;
  if (fromInt !== undefined && DECIMAL.has(to.name)) {
    const [precision, scale = 0] = numericArgs(to);
    return precision !== undefined && precision - scale < 20;
  }
  if (DECIMAL.has(from.name) && DECIMAL.has(to.name)) return !argsWiden(from, to);
  const fromFloat = FLOAT_RANK[from.name];
  const toFloat = FLOAT_RANK[to.name];
  if (fromFloat !== undefined && toFloat !== undefined) return toFloat < fromFloat;
  if (from.name === 'date' && (to.name === 'timestamp' || to.name === 'datetime' || to.name.startsWith('timestamp '))) return false;
  // PostgreSQL: a jsonb value cast to json is its text, which json keeps as it is.
  if (from.name === 'jsonb' && to.name === 'json') return false;
  return true;
}

/**
 * Whether a type change keeps the kind of type and narrows only its size: a string's length
 * (`varchar(2)` → `char(1)`), a number's precision or scale, an integer's or a float's width
 * (`bigint` → `smallint`, `double` → `real`). Arrays, modifiers (`unsigned`) and every other
 * change of kind (text → integer) are not.
 */
function isSizeOnlyChange(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array || (from.modifiers ?? []).join(' ') !== (to.modifiers ?? []).join(' ')) return false;
  if (from.args.some((a) => typeof a === 'string') || to.args.some((a) => typeof a === 'string')) return false;
  const within = (kind: (name: string) => boolean) => kind(from.name) && kind(to.name);
  return (
    from.name === to.name ||
    within((n) => BOUNDED_TEXT.has(n) && n !== 'tinytext') ||
    within((n) => DECIMAL.has(n)) ||
    within((n) => INTEGER_RANK[n] !== undefined) ||
    within((n) => FLOAT_RANK[n] !== undefined)
  );
}

const q = printString;
const column = (op: { table: string; column: string }) => `${q(op.table)}.${q(op.column)}`;

/** Options of {@link describeDataLoss}. */
export interface DataLossOptions {
  /**
   * The type text the bind's database keeps for a declared type (its dialect comparator's
   * `canonicalType`): an enum the database keeps as a string type (SQLite has no enum types:
   * `enum('a','bc')` is `varchar(2)`) is judged as that string, so adding a member widens it.
   * Omitted: every type as declared.
   */
  readonly storedType?: (type: ColumnType) => string;
  /**
   * The database checks a type's size (the dialect's `checksTypeSizes` capability; default true).
   * False (SQLite): a change that only narrows a size (`varchar(2)` → `varchar(1)`) loses
   * nothing, the values are kept as stored (see {@link describeUncheckedNarrowing}).
   */
  readonly checksTypeSizes?: boolean;
}

/** An enum as the database keeps it, when that is a string type; any other type as it is. */
function asStored(type: ColumnType, storedType: DataLossOptions['storedType']): ColumnType {
  if (type.name !== 'enum' || storedType === undefined) return type;
  try {
    const stored = parseColumnType(storedType(type));
    return BOUNDED_TEXT.has(stored.name) || UNBOUNDED_TEXT.has(stored.name) ? stored : type;
  } catch {
    return type;
  }
}

/** The type change of an `alterColumn` that may narrow, the types as the database keeps them; `undefined` for none. */
function narrowing(op: Op | BatchInnerOp, options: DataLossOptions): { from: ColumnType; to: ColumnType; sizeOnly: boolean } | undefined {
  if (op.kind !== 'AlterColumn' || op.changes.type === undefined || op.existing.type === undefined) return undefined;
  const from = asStored(op.existing.type, options.storedType);
  const to = asStored(op.changes.type, options.storedType);
  if (!isNarrowingTypeChange(from, to)) return undefined;
  return { from: op.existing.type, to: op.changes.type, sizeOnly: isSizeOnlyChange(from, to) };
}

/**
 * What data an op destroys when it runs, as a sentence for a comment above it in a rendered
 * revision; `undefined` when it loses none. Dropping a table or a column loses their data; an
 * `alterColumn` whose type change may narrow (see {@link isNarrowingTypeChange}), the types taken
 * as the database keeps them (`options.storedType`), may lose or reject values, unless the
 * database checks no type sizes (`options.checksTypeSizes` false: SQLite) and the change only
 * narrows a size (then {@link describeUncheckedNarrowing} says so). A batch's inner ops are
 * described one by one (the batch itself: `undefined`).
 *
 * @param op - an op, or an inner op of a batch.
 * @param options - `storedType`: how the bind's database keeps a type (default: as declared);
 *   `checksTypeSizes`: whether it checks a type's size (default true).
 * @returns e.g. `"drops table 'user' and every row in it"`.
 * @example
 * ```ts
 * describeDataLoss({ kind: 'DropColumn', table: 'user', column: 'email' });
 * // "drops column 'user'.'email' and every value in it"
 * ```
 */
export function describeDataLoss(op: Op | BatchInnerOp, options: DataLossOptions = {}): string | undefined {
  switch (op.kind) {
    case 'DropTable':
      return `drops table ${q(op.table)} and every row in it`;
    case 'DropColumn':
      return `drops column ${column(op)} and every value in it`;
    case 'AlterColumn': {
      const to = op.changes.type;
      if (to === undefined) return undefined;
      const from = op.existing.type;
      if (from === undefined) {
        return `changes the type of ${column(op)} to ${formatColumnType(to)} without knowing the type before: values that do not fit are lost or make the change fail`;
      }
      const narrowed = narrowing(op, options);
      if (narrowed === undefined || (narrowed.sizeOnly && options.checksTypeSizes === false)) return undefined;
      return `changes ${column(op)} from ${formatColumnType(from)} to ${formatColumnType(to)}: values that do not fit are cut, rounded or make the change fail`;
    }
    default:
      return undefined;
  }
}

/**
 * The type change of an `alterColumn` that narrows a type within its kind, where the database
 * checks the size, so that a value that does not fit is cut, rounded or refused: a shorter string
 * (`varchar(100)` → `varchar(50)`, `char(10)` → `char(5)`), a smaller precision or scale
 * (`numeric(12,2)` → `numeric(10,2)`), a narrower integer or float (`bigint` → `integer`), an
 * ENUM or SET losing members. A change of kind that {@link isNarrowingTypeChange} counts as
 * narrowing only to be safe (`timestamptz` → `timestamp`, `text` → `integer`) is not one; nor is
 * any narrowing where the database checks no sizes (`options.checksTypeSizes` false: SQLite keeps
 * every value as stored).
 *
 * @param op - an op, or an inner op of a batch.
 * @param options - as {@link describeDataLoss}'s.
 * @returns the types before and after (as declared), or `undefined`.
 * @example
 * ```ts
 * sameKindNarrowing({ kind: 'AlterColumn', table: 'user', column: 'name', changes: { type: parseColumnType('varchar(50)') }, existing: { type: parseColumnType('varchar(100)') } });
 * // { from: varchar(100), to: varchar(50) } (as ColumnType objects)
 * ```
 */
export function sameKindNarrowing(op: Op | BatchInnerOp, options: DataLossOptions = {}): { from: ColumnType; to: ColumnType } | undefined {
  if (options.checksTypeSizes === false || op.kind !== 'AlterColumn') return undefined;
  const narrowed = narrowing(op, options);
  if (narrowed === undefined) return undefined;
  const { from, to } = narrowed;
  const members = (from.name === 'enum' || from.name === 'set') && to.name === from.name && from.enumName === to.enumName;
  return narrowed.sizeOnly || members ? { from, to } : undefined;
}

/**
 * For a database that checks no type sizes (`options.checksTypeSizes` false: SQLite), what an op
 * that only narrows a column type's size does instead of losing data, as a sentence for a note
 * above it in a rendered revision; `undefined` for any other op, or where sizes are checked (then
 * {@link describeDataLoss} describes the change).
 *
 * @param op - an op, or an inner op of a batch.
 * @param options - as {@link describeDataLoss}'s.
 * @returns e.g. `"changes 'item'.'size' from varchar(2) to varchar(1): the database does not check
 *   the new size and keeps every value as stored"`.
 * @example
 * ```ts
 * describeUncheckedNarrowing(
 *   { kind: 'AlterColumn', table: 'item', column: 'size', changes: { type: parseColumnType('varchar(1)') }, existing: { type: parseColumnType('varchar(2)') } },
 *   { checksTypeSizes: false },
 * );
 * // "changes 'item'.'size' from varchar(2) to varchar(1): the database does not check the new size and keeps every value as stored"
 * ```
 */
export function describeUncheckedNarrowing(op: Op | BatchInnerOp, options: DataLossOptions = {}): string | undefined {
  if (options.checksTypeSizes !== false || op.kind !== 'AlterColumn') return undefined;
  const narrowed = narrowing(op, options);
  if (narrowed === undefined || !narrowed.sizeOnly) return undefined;
  return `changes ${column(op)} from ${formatColumnType(narrowed.from)} to ${formatColumnType(narrowed.to)}: the database does not check the new size and keeps every value as stored`;
}
