import {
  checkConstraintName,
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  indexColumnName,
  indexColumnSql,
  type ColumnSnapshot,
  type DatabaseSnapshot,
  type EnumSnapshot,
  type ForeignKeySnapshot,
  type IndexColumn,
  type Op,
  type TableSnapshot,
} from '@multidb/core';
import { renameSqlIdentifiers } from '../compare/rename-sql-identifiers.js';

/**
 * A small, strict model of a database for the comparison's tests: applies ops to a snapshot as a
 * database would, and throws where a database would refuse (a foreign key to a missing table, a
 * table dropped while another refers to it, a column dropped while an index or constraint uses
 * it, a primary or unique key another table's foreign key refers to, a name that does not exist). Renaming a column rewrites the expressions that name it, as
 * databases do. Unnamed constraints are known by the default convention's
 * names, as SQLite batch mode knows them. No SQL, no database: it checks the ops' order and
 * content, not a dialect.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Table = Mutable<TableSnapshot>;
const N = DEFAULT_NAMING_CONVENTION;
const key = (name: string, schema?: string) => `${schema ?? ''}.${name}`;

/** A table with every constraint table-level and named (column-level flags lifted). */
function explicit(t: TableSnapshot): Table {
  const columns = t.columns.map(({ primaryKey: _p, unique: _u, references: _r, ...c }) => c as ColumnSnapshot);
  const pkColumns = t.primaryKey?.columns ?? t.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const out: Table = {
    ...t,
    columns,
    foreignKeys: [
      ...t.foreignKeys.map((fk) => ({ ...fk, name: fk.name ?? conventionalName(N, 'fk', { table: t.name, columns: fk.columns, referredTable: fk.referredTable }) })),
      ...t.columns
        .filter((c) => c.references)
        .map((c) => ({
          name: conventionalName(N, 'fk', { table: t.name, columns: [c.name], referredTable: c.references!.table }),
          columns: [c.name],
          referredTable: c.references!.table,
          referredColumns: [c.references!.column],
          ...(c.references!.onDelete ? { onDelete: c.references!.onDelete } : {}),
          ...(c.references!.onUpdate ? { onUpdate: c.references!.onUpdate } : {}),
        })),
    ],
    uniqueConstraints: [
      ...t.uniqueConstraints.map((u) => ({ ...u, name: u.name ?? conventionalName(N, 'uq', { table: t.name, columns: u.columns }) })),
      ...t.columns.filter((c) => c.unique).map((c) => ({ name: conventionalName(N, 'uq', { table: t.name, columns: [c.name] }), columns: [c.name] })),
    ],
    checkConstraints: t.checkConstraints.map((c) => ({ ...c, name: checkConstraintName(N, t.name, c.name, c.expression) })),
  };
  if (pkColumns.length) out.primaryKey = { name: t.primaryKey?.name ?? conventionalName(N, 'pk', { table: t.name, columns: pkColumns }), columns: pkColumns };
  else delete out.primaryKey;
  delete out.dependents;
  return out;
}

/** Options of {@link applyOps}. */
export interface ApplyOptions {
  /** Refuse foreign keys to missing tables and drops of referred tables (PostgreSQL, MySQL; not SQLite, which runs with them off). */
  readonly enforceForeignKeys: boolean;
  /** Refuse a table whose column uses an enum type that does not exist (PostgreSQL). */
  readonly namedEnums?: boolean;
}

/**
 * Applies ops to a snapshot and returns the snapshot after them.
 * @throws Error where a database would refuse an op.
 */
export function applyOps(start: DatabaseSnapshot, ops: readonly Op[], options: ApplyOptions): DatabaseSnapshot {
  const tables = new Map<string, Table>(start.tables.map((t) => [key(t.name, t.schema), explicit(t)]));
  const enums = new Map<string, EnumSnapshot>(start.enums.map((e) => [key(e.name, e.schema), e]));
  const get = (name: string, schema?: string) => {
    const t = tables.get(key(name, schema));
    if (!t) throw new Error(`no table ${name}`);
    return t;
  };
  const checkTarget = (fk: ForeignKeySnapshot, owner: Table) => {
    if (!options.enforceForeignKeys) return;
    const target = fk.referredTable === owner.name ? owner : tables.get(key(fk.referredTable, fk.referredSchema ?? owner.schema));
    if (!target) throw new Error(`foreign key ${fk.name} of ${owner.name} refers to missing table ${fk.referredTable}`);
    for (const c of fk.referredColumns) if (!target.columns.some((x) => x.name === c)) throw new Error(`foreign key ${fk.name} refers to missing column ${fk.referredTable}.${c}`);
  };
  const referrers = (name: string, schema: string | undefined, column?: string) =>
    [...tables.values()].flatMap((t) =>
      t.foreignKeys.filter(
        (fk) => key(fk.referredTable, fk.referredSchema ?? t.schema) === key(name, schema) && t.name !== name && (column === undefined || fk.referredColumns.includes(column)),
      ),
    );
  // PostgreSQL and InnoDB refuse to drop the key a foreign key refers to (its columns, in any order).
  const checkNotReferred = (t: Table, columns: readonly IndexColumn[], what: string) => {
    if (!options.enforceForeignKeys) return;
    const names = columns.map(indexColumnName);
    const fk = [...tables.values()]
      .flatMap((other) => other.foreignKeys.filter((f) => key(f.referredTable, f.referredSchema ?? other.schema) === key(t.name, t.schema)))
      .find((f) => f.referredColumns.length === names.length && f.referredColumns.every((c) => names.includes(c)));
    if (fk) throw new Error(`cannot drop ${what} of ${t.name}: foreign key ${fk.name} depends on it`);
  };
  const apply = (op: Op, inBatch: boolean): void => {
    switch (op.kind) {
      case 'CreateTable': {
        const k = key(op.table.name, op.table.schema);
        if (tables.has(k)) throw new Error(`table ${op.table.name} exists`);
        const t = explicit(op.table);
        tables.set(k, t);
        for (const fk of t.foreignKeys) checkTarget(fk, t);
        for (const c of op.table.columns) if (c.type.enumName && options.namedEnums && !enums.has(key(c.type.enumName, op.table.schema))) throw new Error(`no enum ${c.type.enumName}`);
        return;
      }
      case 'DropTable': {
        get(op.table, op.schema);
        if (options.enforceForeignKeys && referrers(op.table, op.schema).length) throw new Error(`table ${op.table} is referred to`);
        tables.delete(key(op.table, op.schema));
        return;
      }
      case 'RenameTable': {
        const t = get(op.table, op.schema);
        tables.delete(key(op.table, op.schema));
        if (tables.has(key(op.newName, op.schema))) throw new Error(`table ${op.newName} exists`);
        for (const other of tables.values()) {
          other.foreignKeys = other.foreignKeys.map((fk) => (fk.referredTable === op.table ? { ...fk, referredTable: op.newName } : fk));
        }
        t.foreignKeys = t.foreignKeys.map((fk) => (fk.referredTable === op.table ? { ...fk, referredTable: op.newName } : fk));
        t.name = op.newName;
        tables.set(key(op.newName, op.schema), t);
        return;
      }
      case 'AddColumn': {
        const t = get(op.table, op.schema);
        if (t.columns.some((c) => c.name === op.column.name)) throw new Error(`column ${op.column.name} exists`);
        const added = explicit({ ...t, columns: [op.column], primaryKey: undefined, foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] } as TableSnapshot);
        t.columns = [...t.columns, ...added.columns];
        t.foreignKeys = [...t.foreignKeys, ...added.foreignKeys];
        t.uniqueConstraints = [...t.uniqueConstraints, ...added.uniqueConstraints];
        for (const fk of added.foreignKeys) checkTarget(fk, t);
        return;
      }
      case 'DropColumn': {
        const t = get(op.table, op.schema);
        if (!t.columns.some((c) => c.name === op.column)) throw new Error(`no column ${op.table}.${op.column}`);
        const uses = (cols: readonly IndexColumn[]) => cols.some((c) => indexColumnName(c) === op.column);
        if (
          t.indexes.some((ix) => uses(ix.columns)) ||
          t.uniqueConstraints.some((u) => uses(u.columns)) ||
          t.foreignKeys.some((fk) => uses(fk.columns)) ||
          uses(t.primaryKey?.columns ?? [])
        ) {
          throw new Error(`column ${op.table}.${op.column} is used by an index or constraint`);
        }
        if (options.enforceForeignKeys && referrers(op.table, op.schema, op.column).length) throw new Error(`column ${op.table}.${op.column} is referred to`);
        t.columns = t.columns.filter((c) => c.name !== op.column);
        return;
      }
      case 'AlterColumn': {
        const t = get(op.table, op.schema);
        const i = t.columns.findIndex((c) => c.name === op.column);
        if (i < 0) throw new Error(`no column ${op.table}.${op.column}`);
        const c: Mutable<ColumnSnapshot> = { ...t.columns[i]! };
        const ch = op.changes;
        if (ch.type !== undefined) c.type = ch.type;
        if (ch.nullable !== undefined) c.nullable = ch.nullable;
        if (ch.default !== undefined) {
          if (ch.default === null) delete c.default;
          else c.default = ch.default;
        }
        if (ch.comment !== undefined) {
          if (ch.comment === null) delete c.comment;
          else c.comment = ch.comment;
        }
        t.columns = t.columns.map((x, j) => (j === i ? c : x));
        return;
      }
      case 'RenameColumn': {
        const t = get(op.table, op.schema);
        if (!t.columns.some((c) => c.name === op.column)) throw new Error(`no column ${op.table}.${op.column}`);
        const r = (n: string) => (n === op.column ? op.newName : n);
        t.columns = t.columns.map((c) => (c.name === op.column ? { ...c, name: op.newName } : c));
        const sql = (text: string) => renameSqlIdentifiers(text, new Map([[op.column, op.newName]]));
        t.indexes = t.indexes.map((ix) => ({
          ...ix,
          columns: ix.columns.map((c) => (typeof c === 'string' ? r(c) : 'name' in c ? { ...c, name: r(c.name) } : { ...c, sql: sql(indexColumnSql(c)!) })),
          ...(ix.where === undefined ? {} : { where: sql(ix.where) }),
        }));
        t.checkConstraints = t.checkConstraints.map((c) => ({ ...c, expression: sql(c.expression) }));
        t.uniqueConstraints = t.uniqueConstraints.map((u) => ({ ...u, columns: u.columns.map(r) }));
        t.foreignKeys = t.foreignKeys.map((fk) => ({ ...fk, columns: fk.columns.map(r) }));
        if (t.primaryKey) t.primaryKey = { ...t.primaryKey, columns: t.primaryKey.columns.map(r) };
        for (const other of tables.values()) {
          other.foreignKeys = other.foreignKeys.map((fk) => (fk.referredTable === op.table ? { ...fk, referredColumns: fk.referredColumns.map(r) } : fk));
        }
        return;
      }
      case 'CreateIndex': {
        const t = get(op.table, op.schema);
        if (t.indexes.some((ix) => ix.name === op.index.name)) throw new Error(`index ${op.index.name} exists`);
        for (const c of op.index.columns) if (typeof c === 'string' && !t.columns.some((x) => x.name === c)) throw new Error(`no column ${c} for index`);
        t.indexes = [...t.indexes, op.index];
        return;
      }
      case 'DropIndex': {
        const t = get(op.table, op.schema);
        const index = t.indexes.find((ix) => ix.name === op.name);
        if (!index) throw new Error(`no index ${op.name}`);
        if (index.unique && index.where === undefined && !inBatch) checkNotReferred(t, index.columns, `unique index ${op.name}`);
        t.indexes = t.indexes.filter((ix) => ix.name !== op.name);
        return;
      }
      case 'RenameIndex': {
        const t = get(op.table, op.schema);
        if (!t.indexes.some((ix) => ix.name === op.name)) throw new Error(`no index ${op.name}`);
        if (t.indexes.some((ix) => ix.name === op.newName)) throw new Error(`index ${op.newName} exists`);
        t.indexes = t.indexes.map((ix) => (ix.name === op.name ? { ...ix, name: op.newName } : ix));
        return;
      }
      case 'CreateUniqueConstraint': {
        const t = get(op.table, op.schema);
        t.uniqueConstraints = [...t.uniqueConstraints, { name: op.name, columns: op.columns, ...(op.nullsNotDistinct ? { nullsNotDistinct: true } : {}) }];
        return;
      }
      case 'CreateCheckConstraint': {
        const t = get(op.table, op.schema);
        t.checkConstraints = [...t.checkConstraints, { name: op.name, expression: op.expression }];
        return;
      }
      case 'CreateForeignKey': {
        const t = get(op.table, op.schema);
        const { kind: _k, table: _t, schema: _s, ...fk } = op;
        checkTarget(fk, t);
        t.foreignKeys = [...t.foreignKeys, fk];
        return;
      }
      case 'CreatePrimaryKey': {
        const t = get(op.table, op.schema);
        if (t.primaryKey) throw new Error(`table ${op.table} has a primary key`);
        t.primaryKey = { name: op.name, columns: op.columns, ...(op.descending?.length ? { descending: op.descending } : {}) };
        return;
      }
      case 'DropConstraint': {
        const t = get(op.table, op.schema);
        const gone = <T extends { name?: string }>(list: readonly T[]) => {
          if (!list.some((x) => x.name === op.name)) throw new Error(`no ${op.type} constraint ${op.name} on ${op.table}`);
          return list.filter((x) => x.name !== op.name);
        };
        if (op.type === 'primary') {
          if (!t.primaryKey) throw new Error(`no primary key on ${op.table}`);
          if (!inBatch) checkNotReferred(t, t.primaryKey.columns, 'the primary key');
          delete t.primaryKey;
        } else if (op.type === 'unique') {
          const unique = t.uniqueConstraints.find((u) => u.name === op.name);
          if (unique && !inBatch) checkNotReferred(t, unique.columns, `unique constraint ${op.name}`);
          t.uniqueConstraints = gone(t.uniqueConstraints);
        }
        else if (op.type === 'check') t.checkConstraints = gone(t.checkConstraints);
        else t.foreignKeys = gone(t.foreignKeys);
        return;
      }
      case 'BatchAlterTable':
        if (inBatch) throw new Error('nested batch');
        for (const inner of op.ops) apply(inner, true);
        return;
      case 'CreateEnum':
        if (enums.has(key(op.name, op.schema))) throw new Error(`enum ${op.name} exists`);
        enums.set(key(op.name, op.schema), { name: op.name, ...(op.schema ? { schema: op.schema } : {}), values: op.values });
        return;
      case 'DropEnum':
        if (!enums.delete(key(op.name, op.schema))) throw new Error(`no enum ${op.name}`);
        return;
      case 'AddEnumValue': {
        const e = enums.get(key(op.name, op.schema));
        if (!e) throw new Error(`no enum ${op.name}`);
        const values = [...e.values];
        const at = op.before !== undefined ? values.indexOf(op.before) : op.after !== undefined ? values.indexOf(op.after) + 1 : values.length;
        if (at < 0 || (op.after !== undefined && at === 0)) throw new Error(`no member to place ${op.value} by`);
        values.splice(at, 0, op.value);
        enums.set(key(op.name, op.schema), { ...e, values });
        return;
      }
      case 'AlterTableComment': {
        const t = get(op.table, op.schema);
        if (op.comment === null) delete t.comment;
        else t.comment = op.comment;
        return;
      }
      case 'Execute':
      case 'BulkInsert':
        throw new Error(`${op.kind} is not modelled`);
    }
  };
  for (const op of ops) apply(op, false);
  return { tables: [...tables.values()], enums: [...enums.values()], objects: start.objects };
}
