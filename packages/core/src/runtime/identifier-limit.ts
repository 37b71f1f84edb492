import type { Dialect, IdentifierLimit } from '../dialect/dialect.js';
import { IdentifierTooLongError, type IdentifierCollision, type IdentifierOverLimit } from '../errors.js';
import type { BatchInnerOp, Op } from '../operations/op-objects.js';
import type { ColumnType } from '../schema/column-type.js';
import { identifierLength, identifierPrefix, isOverIdentifierLimit } from '../schema/identifier-length.js';
import type { ColumnSnapshot, IndexSnapshot, TableSnapshot } from '../schema/table-snapshot.js';
import type { OpSite } from './non-transactional-op.js';
import { describeOp } from './offline-snapshots.js';

/**
 * The names over the limit found so far: `undefined` while there are none, so that an op whose
 * names all fit (every op, nearly always) allocates nothing.
 */
type Found = IdentifierOverLimit[] | undefined;

/**
 * Notes `name` when it is over the limit. `what` and `of` are what the message calls it (`column
 * 'x' of table 'T'`): only formatted for a name over the limit.
 */
function note(found: Found, limit: IdentifierLimit, name: string | undefined, what: string, of?: string): Found {
  if (name === undefined || !isOverIdentifierLimit(name, limit)) return found;
  const text = `${what} '${name}'${of !== undefined && of !== '' ? ` of table '${of}'` : ''}`;
  // Each once: a table a key refers to is often the op's own, or one referred to twice.
  if (found?.some((f) => f.what === text || (what === 'referenced table' && f.name === name))) return found;
  const entry: IdentifierOverLimit = Object.freeze({ what: text, name, length: identifierLength(name, limit.unit) });
  return found ? [...found, entry] : [entry];
}

function noteAll(found: Found, limit: IdentifierLimit, names: readonly string[] | undefined, what: string, of: string): Found {
  if (names) for (const name of names) found = note(found, limit, name, what, of);
  return found;
}

/** What a `dropConstraint` of each type names, for the message. */
const CONSTRAINT_WHAT = Object.freeze({ unique: 'unique constraint', check: 'check constraint', foreignkey: 'foreign key', primary: 'primary key' });

const NONE: readonly IdentifierOverLimit[] = Object.freeze([]);

/**
 * `enums`: enum types are schema objects whose names the database keeps
 * (`DialectCapabilities.namedEnums`: PostgreSQL); elsewhere their names are never sent.
 */
function noteType(found: Found, limit: IdentifierLimit, enums: boolean, type: ColumnType | undefined): Found {
  if (!enums || type?.enumName === undefined) return found;
  found = note(found, limit, type.enumName, 'enum type');
  return note(found, limit, type.enumSchema, 'schema');
}

function noteColumn(found: Found, limit: IdentifierLimit, enums: boolean, table: string, column: ColumnSnapshot): Found {
  found = note(found, limit, column.name, 'column', table);
  found = noteType(found, limit, enums, column.type);
  if (column.references) {
    found = note(found, limit, column.references.table, 'referenced table');
    found = note(found, limit, column.references.column, 'referenced column', column.references.table);
  }
  return found;
}

function noteIndex(found: Found, limit: IdentifierLimit, enums: boolean, table: string, index: IndexSnapshot): Found {
  found = note(found, limit, index.name, 'index', table);
  for (const c of index.columns) found = note(found, limit, typeof c === 'string' ? c : 'name' in c ? c.name : undefined, 'column', table);
  return noteAll(found, limit, index.include, 'column', table);
}

function noteTable(found: Found, limit: IdentifierLimit, enums: boolean, t: TableSnapshot): Found {
  const table = t.name;
  found = note(found, limit, table, 'table');
  found = note(found, limit, t.schema, 'schema');
  for (const c of t.columns) found = noteColumn(found, limit, enums, table, c);
  if (t.primaryKey) found = note(found, limit, t.primaryKey.name, 'primary key', table);
  for (const k of t.uniqueConstraints) found = note(found, limit, k.name, 'unique constraint', table);
  for (const k of t.foreignKeys) {
    found = note(found, limit, k.name, 'foreign key', table);
    found = note(found, limit, k.referredTable, 'referenced table');
    found = note(found, limit, k.referredSchema, 'schema');
    found = noteAll(found, limit, k.referredColumns, 'referenced column', k.referredTable);
  }
  for (const k of t.checkConstraints) found = note(found, limit, k.name, 'check constraint', table);
  for (const i of t.indexes) found = noteIndex(found, limit, enums, table, i);
  return found;
}

/** The names of one op of a batch block, or of any op: its table's name is noted by the caller. */
function noteOp(found: Found, limit: IdentifierLimit, enums: boolean, op: Op | BatchInnerOp): Found {
  switch (op.kind) {
    case 'CreateTable':
      return noteTable(found, limit, enums, op.table);
    case 'DropTable':
    case 'BulkInsert':
    case 'AlterTableComment':
    case 'Execute':
      return found;
    case 'RenameTable':
      return note(found, limit, op.newName, 'table');
    case 'AddColumn':
      return noteColumn(found, limit, enums, op.table, op.column);
    case 'DropColumn':
      return note(found, limit, op.column, 'column', op.table);
    case 'AlterColumn':
      found = note(found, limit, op.column, 'column', op.table);
      found = note(found, limit, op.changes.newName, 'column', op.table);
      found = note(found, limit, op.changes.serial, 'sequence');
      return noteType(found, limit, enums, op.changes.type);
    case 'RenameColumn':
      found = note(found, limit, op.column, 'column', op.table);
      return note(found, limit, op.newName, 'column', op.table);
    case 'CreateIndex':
      return noteIndex(found, limit, enums, op.table, op.index);
    case 'DropIndex':
      return note(found, limit, op.name, 'index', op.table);
    case 'RenameIndex':
      found = note(found, limit, op.name, 'index', op.table);
      return note(found, limit, op.newName, 'index', op.table);
    case 'CreateUniqueConstraint':
      found = note(found, limit, op.name, 'unique constraint', op.table);
      return noteAll(found, limit, op.columns, 'column', op.table);
    case 'CreateCheckConstraint':
      return note(found, limit, op.name, 'check constraint', op.table);
    case 'CreateForeignKey':
      found = note(found, limit, op.name, 'foreign key', op.table);
      found = noteAll(found, limit, op.columns, 'column', op.table);
      found = note(found, limit, op.referredTable, 'referenced table');
      found = note(found, limit, op.referredSchema, 'schema');
      return noteAll(found, limit, op.referredColumns, 'referenced column', op.referredTable);
    case 'CreatePrimaryKey':
      found = note(found, limit, op.name, 'primary key', op.table);
      return noteAll(found, limit, op.columns, 'column', op.table);
    case 'DropConstraint':
      return note(found, limit, op.name, CONSTRAINT_WHAT[op.type], op.table);
    case 'BatchAlterTable':
      for (const inner of op.ops) found = noteOp(found, limit, enums, inner);
      return found;
    case 'CreateEnum':
    case 'DropEnum':
    case 'AddEnumValue':
      if (!enums) return found;
      found = note(found, limit, op.name, 'enum type');
      return note(found, limit, op.schema, 'schema');
  }
}

/**
 * The names an op gives the database, those it creates and those it refers to (tables, schemas,
 * columns, indexes, constraints, PostgreSQL enum types and sequences), that are longer than a
 * dialect keeps, in the op's order; `[]` when all fit (nearly always: then nothing is allocated).
 * Not checked: the SQL of `op.execute` and expressions, the keys of `bulkInsert` rows, an op's
 * `existing…` fields (what was, not what is sent). Pure.
 *
 * @param op - the op, as the `op` facade built it (names from the naming convention already cut
 *   to fit: see `conventionalName`).
 * @param limit - the dialect's {@link IdentifierLimit}.
 * @param namedEnums - whether enum types are named schema objects (`DialectCapabilities.namedEnums`);
 *   otherwise their names are never sent and are not checked.
 * @returns the names over the limit, each with what it names and its length in `limit.unit`.
 * @example
 * ```ts
 * identifiersOverLimit({ kind: 'RenameTable', table: 'Invoice', newName: 'i'.repeat(64) }, { max: 63, unit: 'bytes', longer: 'truncated' }, true);
 * // [{ what: "table 'iii…'", name: 'iii…', length: 64 }]
 * ```
 * @internal
 */
export function identifiersOverLimit(op: Op, limit: IdentifierLimit, namedEnums: boolean): readonly IdentifierOverLimit[] {
  return walkOp(op, limit, namedEnums) ?? NONE;
}

function walkOp(op: Op, limit: IdentifierLimit, enums: boolean): Found {
  let found: Found;
  if (op.kind !== 'CreateTable' && op.kind !== 'Execute' && op.kind !== 'CreateEnum' && op.kind !== 'DropEnum' && op.kind !== 'AddEnumValue') {
    found = note(found, limit, op.table, 'table');
    found = note(found, limit, op.schema, 'schema');
  }
  return noteOp(found, limit, enums, op);
}

/**
 * A name a database keeps (see {@link namesOf}): `space` is where two names must differ (a table's
 * columns; a schema's relations: tables, indexes and the indexes of unique and primary keys; a
 * table's constraints), `what` what a message calls it.
 */
interface Named {
  readonly space: string;
  readonly what: string;
  readonly name: string;
}

/** The names an op (or an op of a batch block) creates or renames, each with its namespace; only called for an op with a name over the limit. */
function namesOf(op: Op | BatchInnerOp, out: Named[]): void {
  const relations = `relation ${('schema' in op ? op.schema : undefined) ?? ''}`;
  const add = (space: string, what: string, name: string | undefined, of?: string) => {
    if (name !== undefined) out.push({ space, what: `${what} '${name}'${of ? ` of table '${of}'` : ''}`, name });
  };
  switch (op.kind) {
    case 'CreateTable': {
      const t = op.table;
      const space = `relation ${t.schema ?? ''}`;
      add(space, 'table', t.name);
      for (const c of t.columns) add(`column ${t.name}`, 'column', c.name, t.name);
      for (const i of t.indexes) add(space, 'index', i.name, t.name);
      if (t.primaryKey) {
        add(space, 'primary key', t.primaryKey.name, t.name);
        add(`constraint ${t.name}`, 'primary key', t.primaryKey.name, t.name);
      }
      for (const k of t.uniqueConstraints) {
        add(space, 'unique constraint', k.name, t.name);
        add(`constraint ${t.name}`, 'unique constraint', k.name, t.name);
      }
      for (const k of t.checkConstraints) add(`constraint ${t.name}`, 'check constraint', k.name, t.name);
      for (const k of t.foreignKeys) add(`constraint ${t.name}`, 'foreign key', k.name, t.name);
      return;
    }
    case 'RenameTable':
      add(relations, 'table', op.table);
      add(relations, 'table', op.newName);
      return;
    case 'AddColumn':
      add(`column ${op.table}`, 'column', op.column.name, op.table);
      return;
    case 'AlterColumn':
      if (op.changes.newName === undefined) return;
      add(`column ${op.table}`, 'column', op.column, op.table);
      add(`column ${op.table}`, 'column', op.changes.newName, op.table);
      return;
    case 'RenameColumn':
      add(`column ${op.table}`, 'column', op.column, op.table);
      add(`column ${op.table}`, 'column', op.newName, op.table);
      return;
    case 'CreateIndex':
      add(relations, 'index', op.index.name, op.table);
      return;
    case 'RenameIndex':
      add(relations, 'index', op.name, op.table);
      add(relations, 'index', op.newName, op.table);
      return;
    case 'CreateUniqueConstraint':
    case 'CreatePrimaryKey': {
      const what = op.kind === 'CreatePrimaryKey' ? 'primary key' : 'unique constraint';
      add(relations, what, op.name, op.table);
      add(`constraint ${op.table}`, what, op.name, op.table);
      return;
    }
    case 'CreateCheckConstraint':
      add(`constraint ${op.table}`, 'check constraint', op.name, op.table);
      return;
    case 'CreateForeignKey':
      add(`constraint ${op.table}`, 'foreign key', op.name, op.table);
      return;
    case 'BatchAlterTable':
      for (const inner of op.ops) namesOf(inner, out);
      return;
    default:
      return;
  }
}

/**
 * Two different names of an op that a truncating limit cuts to the same name, in one namespace
 * (see {@link Named}); `undefined` when there are none.
 */
function truncationCollision(op: Op, limit: IdentifierLimit): IdentifierCollision | undefined {
  const names: Named[] = [];
  namesOf(op, names);
  const kept = new Map<string, Named>();
  for (const n of names) {
    const key = `${n.space}\u0000${identifierPrefix(n.name, limit)}`;
    const other = kept.get(key);
    if (other === undefined) kept.set(key, n);
    else if (other.name !== n.name) return { first: other.what, second: n.what, kept: identifierPrefix(n.name, limit) };
  }
  return undefined;
}

/**
 * What {@link checkIdentifierLimit} returns for an op run with names a truncating database cuts
 * short: the warning to show (the CLI: a `[bind] WARNING: …` line on stderr).
 */
export interface TruncatedIdentifiers {
  /** `'IDENTIFIER_TRUNCATED'`. */
  readonly code: 'IDENTIFIER_TRUNCATED';
  /** The names over the limit, each with the name the database keeps (`kept`). */
  readonly identifiers: readonly (IdentifierOverLimit & { readonly kept: string })[];
  /**
   * One line naming the op, each name with its length and the name the database will use, the
   * limit, the bind, the revision and its file.
   */
  readonly message: string;
}

/**
 * Checks the names an op gives the database against the bind's dialect's limit
 * (`DialectCapabilities.identifierLimit`: PostgreSQL 63 bytes, which it truncates; MySQL/MariaDB
 * 64 characters, which it refuses): the check the runner, the SQL preview and offline mode
 * (`--sql`) share, made before anything of the op is sent or written. A dialect without a limit
 * (SQLite), or an op whose names all fit, returns `undefined` at once; the cost is a length
 * comparison per name (see `isOverIdentifierLimit`).
 *
 * Where the dialect refuses a longer name (`longer: 'refused'`), the op is refused: the server
 * would fail it anyway, after the revision's DDL before it is committed. Where it truncates one
 * (`longer: 'truncated'`), the op runs as written, as PostgreSQL (and Alembic) would: a revision
 * written before this check, or ported from Alembic, replays its history on a new database,
 * consistently (a later revision that names the same long name reaches the same object), and the
 * caller shows the returned warning. Only two different names of the op that would be cut to the
 * same one (two indexes of a table, a rename to a name that differs past the limit) are refused.
 * New revisions are kept from long names where they are written: autogenerate refuses models with
 * one, and the naming convention cuts its names to fit.
 *
 * @param op - the op the revision called.
 * @param dialect - the bind's dialect.
 * @param site - the bind, revision and file, for the message.
 * @returns `undefined` when every name fits; on a truncating dialect, the warning for the names
 *   it will cut short.
 * @throws {@link IdentifierTooLongError} on a dialect that refuses a longer name, naming the op,
 *   each name over the limit with its length, the limit, the bind, the revision and its file; on
 *   one that truncates, when two names of the op would be cut to the same one (its `collision`).
 * @example
 * ```ts
 * const warning = checkIdentifierLimit({ kind: 'DropTable', table: 't'.repeat(64) }, dialect, { bind: 'db2', revision: '3f2a9c1d7b40' });
 * // postgres: a warning (64 bytes, at most 63; the database uses 't' × 63); mysql: throws IdentifierTooLongError; sqlite: undefined
 * if (warning) console.error(`WARNING: ${warning.message}`);
 * ```
 * @internal
 */
export function checkIdentifierLimit(op: Op, dialect: Dialect, site: OpSite): TruncatedIdentifiers | undefined {
  const limit = dialect.capabilities.identifierLimit;
  if (limit === undefined) return undefined;
  const over = walkOp(op, limit, dialect.capabilities.namedEnums);
  if (over === undefined) return undefined;
  const fields = { ...site, op: describeOp(op), dialect: dialect.name, limit, identifiers: over };
  if (limit.longer !== 'truncated') throw new IdentifierTooLongError(fields);
  const collision = truncationCollision(op, limit);
  if (collision) throw new IdentifierTooLongError({ ...fields, collision });
  const identifiers = over.map((i) => Object.freeze({ ...i, kept: identifierPrefix(i.name, limit) }));
  const list = identifiers.map((i) => `${i.what} (${i.length} ${limit.unit}): the database will use '${i.kept}'`).join('; ');
  const one = identifiers.length === 1;
  return Object.freeze({
    code: 'IDENTIFIER_TRUNCATED',
    identifiers: Object.freeze(identifiers),
    message:
      `${fields.op} in revision ${site.revision} of bind '${site.bind}'${site.file ? ` (${site.file})` : ''} names ${list}. ` +
      `${dialect.name} keeps at most ${limit.max} ${limit.unit} of a name and truncates a longer one; the op runs as written (as an older history needs). ` +
      `A later revision reaches the object by either name; give ${one ? 'it' : 'them'} a shorter name in new revisions.`,
  });
}
