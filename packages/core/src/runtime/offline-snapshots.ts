import { dispatchOp, type BatchInnerOp, type Op, type OpTable } from '../operations/op-objects.js';
import type { ColumnSnapshot, TableSnapshot } from '../schema/table-snapshot.js';
import { indexColumnName, indexColumnSql } from '../schema/index-column.js';
import type { SnapshotSource } from './op-compiler.js';

/** How an op changes what is known: the table's new shape, `forget` (unknown now), or nothing. */
type Change = { readonly set: TableSnapshot } | 'forget' | 'keep';

/** SQL that changes rows, not tables: an `op.execute` of it leaves the known shapes as they are. */
const DATA_CHANGE = /^\s*(insert|update|delete|replace|select|with|merge|upsert|values)\b/i;

/**
 * The {@link SnapshotSource} of offline mode (`--sql`): no database is read, so a table's shape is
 * known only when the script itself made it. It starts empty; {@link observe} is told every op of
 * the script, in order: `createTable` records the table (and `batchAlterTable`'s `copyFrom` a
 * table not known yet), and later ops update the shape where the change is certain (columns
 * added, dropped, renamed or altered; indexes, unique, check and foreign-key constraints added or
 * dropped; renames of tables and indexes). Where it is not (a column still named by a key or index, a
 * renamed table its own check, index or generated column names, a reordered
 * batch, an `op.execute` that is not a data change), the table is forgotten: better an offline
 * error asking for `copyFrom` than a rebuild from a wrong shape.
 *
 * `snapshot()` returns `undefined` for a table it does not know: the dialect then compiles from
 * the op alone or throws `SchemaUnknownError` naming what the op must be given.
 *
 * @example
 * ```ts
 * const known = new OfflineSnapshots();
 * known.observe({ kind: 'CreateTable', table: tableFromInput('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }], {}, DEFAULT_NAMING_CONVENTION) });
 * await known.snapshot('Genre', undefined); // the table as created
 * await known.snapshot('Invoice', undefined); // undefined: not created by the script
 * ```
 */
export class OfflineSnapshots implements SnapshotSource {
  readonly #tables = new Map<string, TableSnapshot>();
  /** Tables known once and forgotten since, with where and why (see {@link whyUnknown}). */
  readonly #lost = new Map<string, string>();
  /** The revision whose ops {@link observe} is told now (see {@link following}), for {@link whyUnknown}. */
  #revision: string | undefined;

  /** The table's shape as the script left it so far, or `undefined` when the script did not make it. */
  async snapshot(table: string, _schema: string | undefined): Promise<TableSnapshot | undefined> {
    return this.#tables.get(table);
  }

  /** Whether the shape of `table` is known. */
  knows(table: string): boolean {
    return this.#tables.has(table);
  }

  /**
   * Names the revision whose ops come next, so a table forgotten by one of them can say where
   * ({@link whyUnknown}).
   * @param revision - the revision id, or `undefined` (none named).
   */
  following(revision: string | undefined): void {
    this.#revision = revision;
  }

  /**
   * Why the shape of `table` is not known although the script (or a revision it followed) had made
   * it: where offline mode stopped following it and what stopped it, e.g. `revision 3180f13f7874,
   * which reads rows through op.db`. `undefined` when no revision followed so far made it.
   * @param table - the table's name.
   */
  whyUnknown(table: string): string | undefined {
    return this.#tables.has(table) ? undefined : this.#lost.get(table);
  }

  /**
   * Forgets every table: nothing is known until an op makes a table again.
   * @param why - what stopped offline mode following them (after "revision <id>, which …"), for
   *   {@link whyUnknown}.
   */
  forgetAll(why = 'stopped being followed'): void {
    for (const name of this.#tables.keys()) this.#forget(name, why);
  }

  /** Forgets one table, remembering why. */
  #forget(table: string, why: string): void {
    this.#tables.delete(table);
    this.#lost.set(table, this.#revision === undefined ? why : `revision ${this.#revision}, which ${why}`);
  }

  /** Records `table`'s shape (it is known again). */
  #set(table: string, shape: TableSnapshot): void {
    this.#tables.set(table, shape);
    this.#lost.delete(table);
  }

  /** Follows one op of the script (call it after the op compiled). */
  observe(op: Op): void {
    if (op.kind === 'Execute') {
      if (!DATA_CHANGE.test(op.sql)) this.forgetAll(`runs op.execute(${abbreviated(op.sql)}), whose effect on tables offline mode does not follow`);
      return;
    }
    if (op.kind === 'DropTable') {
      this.#tables.delete(op.table);
      this.#lost.delete(op.table);
      return;
    }
    if (op.kind === 'RenameTable') {
      this.#renameTable(op.table, op.newName);
      return;
    }
    if (op.kind === 'CreateTable') {
      // With ifNotExists the table may exist already, in another shape: what was known stays.
      if (!op.ifNotExists) this.#set(op.table.name, op.table);
      return;
    }
    if (op.kind === 'DropIndex' && !op.table) {
      // PostgreSQL and SQLite name no table: drop the index wherever it is known.
      for (const [name, t] of this.#tables) {
        if (t.indexes.some((i) => i.name === op.name)) this.#tables.set(name, { ...t, indexes: t.indexes.filter((i) => i.name !== op.name) });
      }
      return;
    }
    if (!('table' in op)) return; // enum ops
    let current = this.#tables.get(op.table);
    if (op.kind === 'BatchAlterTable' && current === undefined) current = op.options.copyFrom;
    if (current === undefined) return;
    const change = dispatchOp(CHANGES, op)(current);
    if (change === 'forget') this.#forget(op.table, `calls ${describeOp(op)}, after which its shape is not certain`);
    else if (change !== 'keep') this.#set(op.table, change.set);
    if (op.kind === 'RenameColumn' || (op.kind === 'AlterColumn' && op.changes.newName !== undefined)) this.#forgetReferrers(op.table, op.column, describeOp(op));
  }

  #renameTable(from: string, to: string): void {
    const t = this.#tables.get(from);
    const lost = this.#lost.get(from);
    this.#tables.delete(from);
    this.#lost.delete(from);
    if (t && namesItself(t, from)) {
      // A check, index or generated column that qualifies a column by the table's name (`users.ratio`):
      // the database rewrites it to the new name, as SQLite does, or refuses it; the shape here
      // would keep the old name, and a SQLite rebuild from it write 'no such column: users.ratio'.
      this.#forget(to, `calls ${describeOp({ kind: 'RenameTable', table: from, newName: to })}, whose check constraint, index or generated column names the table`);
    } else if (t) this.#set(to, { ...t, name: to });
    else if (lost !== undefined) this.#lost.set(to, lost);
    // Foreign keys elsewhere follow the rename (SQLite, PostgreSQL and MySQL all rewrite them).
    for (const [name, other] of this.#tables) {
      if (!other.foreignKeys.some((fk) => fk.referredTable === from) && !other.columns.some((c) => c.references?.table === from)) continue;
      this.#tables.set(name, {
        ...other,
        foreignKeys: other.foreignKeys.map((fk) => (fk.referredTable === from ? { ...fk, referredTable: to } : fk)),
        columns: other.columns.map((c) => (c.references?.table === from ? { ...c, references: { ...c.references, table: to } } : c)),
      });
    }
  }

  /** Forgets the tables whose foreign keys name a column that was renamed (by `renamed`, an op as written). */
  #forgetReferrers(table: string, column: string, renamed: string): void {
    for (const [name, t] of this.#tables) {
      const refers =
        t.foreignKeys.some((fk) => fk.referredTable === table && fk.referredColumns.includes(column)) ||
        t.columns.some((c) => c.references?.table === table && c.references.column === column);
      if (refers) this.#forget(name, `calls ${renamed}, renaming a column its foreign key names`);
    }
  }
}

/**
 * `op.alterColumn('Invoice', 'Total')`: an op as a revision calls it, for messages.
 * @internal
 */
export function describeOp(op: Op): string {
  const name = `op.${op.kind.charAt(0).toLowerCase()}${op.kind.slice(1)}`;
  const args: string[] = [];
  if ('table' in op && typeof op.table === 'string' && op.table) args.push(op.table);
  else if (op.kind === 'CreateTable') args.push(op.table.name);
  if ('column' in op && typeof op.column === 'string') args.push(op.column);
  return `${name}(${args.map((a) => `'${a}'`).join(', ')})`;
}

/** An SQL text as a quoted argument, cut to its first 60 characters on one line. */
function abbreviated(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return `'${line.length > 60 ? `${line.slice(0, 57)}...` : line}'`;
}

/** Whether anything of the table besides the column list names `column`. */
function named(t: TableSnapshot, column: string): boolean {
  const mentions = (sql: string) => sql.includes(column);
  return (
    (t.primaryKey?.columns.includes(column) ?? false) ||
    t.columns.some((c) => c.name === column && (c.primaryKey || c.unique || c.references || c.autoincrement)) ||
    t.columns.some((c) => c.generated !== undefined && mentions(c.generated.sql)) ||
    t.indexes.some((i) => i.columns.some((c) => indexColumnName(c) === column || mentions(indexColumnSql(c) ?? '')) || (i.where !== undefined && mentions(i.where))) ||
    t.uniqueConstraints.some((u) => u.columns.includes(column)) ||
    t.foreignKeys.some((fk) => fk.columns.includes(column)) ||
    t.checkConstraints.some((c) => mentions(c.expression))
  );
}

/**
 * Whether an expression of the table (a check, an index term or predicate, a generated column)
 * names `table` (case-insensitively, anywhere in the text: conservative, as {@link named} is).
 */
function namesItself(t: TableSnapshot, table: string): boolean {
  const name = table.toLowerCase();
  const mentions = (sql: string | undefined) => sql !== undefined && sql.toLowerCase().includes(name);
  return (
    t.checkConstraints.some((c) => mentions(c.expression)) ||
    t.indexes.some((i) => mentions(i.where) || i.columns.some((c) => mentions(indexColumnSql(c)))) ||
    t.columns.some((c) => mentions(c.generated?.sql))
  );
}

function withColumns(t: TableSnapshot, columns: readonly ColumnSnapshot[]): Change {
  return { set: { ...t, columns } };
}

/** The column `name` changed by `f`, or `forget` when the table has no such column. */
function mapColumn(t: TableSnapshot, name: string, f: (c: ColumnSnapshot) => ColumnSnapshot): Change {
  if (!t.columns.some((c) => c.name === name)) return 'forget';
  return withColumns(t, t.columns.map((c) => (c.name === name ? f(c) : c)));
}

/** How each op changes a known table (exhaustive: a new op kind must say what it does). */
const CHANGES: OpTable<(t: TableSnapshot) => Change> = {
  CreateTable: () => () => 'keep', // handled by OfflineSnapshots.observe
  DropTable: () => () => 'keep',
  RenameTable: () => () => 'keep',
  DropIndex: (op) => (t) => {
    if (!t.indexes.some((i) => i.name === op.name)) return 'forget';
    return { set: { ...t, indexes: t.indexes.filter((i) => i.name !== op.name) } };
  },
  AddColumn: (op) => (t) => (t.columns.some((c) => c.name === op.column.name) ? 'forget' : withColumns(t, [...t.columns, op.column])),
  DropColumn: (op) => (t) => (named(t, op.column) ? 'forget' : withColumns(t, t.columns.filter((c) => c.name !== op.column))),
  RenameColumn: (op) => (t) => (named(t, op.column) ? 'forget' : mapColumn(t, op.column, (c) => ({ ...c, name: op.newName }))),
  AlterColumn: (op) => (t) => {
    const { newName, type, nullable, default: dflt, comment, identity, serial } = op.changes;
    if (newName !== undefined && named(t, op.column)) return 'forget';
    return mapColumn(t, op.column, (c) => {
      const next: { -readonly [K in keyof ColumnSnapshot]: ColumnSnapshot[K] } = { ...c };
      if (newName !== undefined) next.name = newName;
      if (type !== undefined) next.type = type;
      if (nullable !== undefined) next.nullable = nullable;
      if (dflt === null) delete next.default;
      else if (dflt !== undefined) next.default = dflt;
      if (comment === null) delete next.comment;
      else if (comment !== undefined) next.comment = comment;
      if (identity !== undefined && next.autoincrement) {
        next.autoincrement = identity === 'always' ? 'always' : true;
        delete next.serialSequence;
      }
      if (serial !== undefined && next.autoincrement) {
        next.autoincrement = true;
        next.serialSequence = serial;
      }
      return next;
    });
  },
  CreateIndex: (op) => (t) => (t.indexes.some((i) => i.name === op.index.name) ? 'forget' : { set: { ...t, indexes: [...t.indexes, op.index] } }),
  RenameIndex: (op) => (t) => {
    if (!t.indexes.some((i) => i.name === op.name) || t.indexes.some((i) => i.name === op.newName)) return 'forget';
    return { set: { ...t, indexes: t.indexes.map((i) => (i.name === op.name ? { ...i, name: op.newName } : i)) } };
  },
  CreateUniqueConstraint: (op) => (t) => {
    const { kind: _kind, table: _table, schema: _schema, ...unique } = op;
    return { set: { ...t, uniqueConstraints: [...t.uniqueConstraints, unique] } };
  },
  CreateCheckConstraint: (op) => (t) => ({ set: { ...t, checkConstraints: [...t.checkConstraints, { name: op.name, expression: op.expression }] } }),
  CreateForeignKey: (op) => (t) => {
    const { kind: _kind, table: _table, schema: _schema, ...fk } = op;
    return { set: { ...t, foreignKeys: [...t.foreignKeys, fk] } };
  },
  // A primary key added to an existing table: its column-level flags and naming differ by dialect.
  CreatePrimaryKey: () => () => 'forget',
  DropConstraint: (op) => (t) => {
    const same = (c: { name?: string }) => c.name === op.name;
    switch (op.type) {
      case 'unique':
        return t.uniqueConstraints.some(same) ? { set: { ...t, uniqueConstraints: t.uniqueConstraints.filter((c) => !same(c)) } } : 'forget';
      case 'check':
        return t.checkConstraints.some(same) ? { set: { ...t, checkConstraints: t.checkConstraints.filter((c) => !same(c)) } } : 'forget';
      case 'foreignkey':
        return t.foreignKeys.some(same) ? { set: { ...t, foreignKeys: t.foreignKeys.filter((c) => !same(c)) } } : 'forget';
      case 'primary':
        return 'forget';
    }
  },
  BatchAlterTable: (op) => (t) => {
    if (op.options.partialReordering?.length) return 'forget';
    let current = t;
    for (const inner of op.ops) {
      const change = dispatchOp(CHANGES, inner as BatchInnerOp)(current);
      if (change === 'forget') return 'forget';
      if (change !== 'keep') current = change.set;
    }
    return { set: current };
  },
  Execute: () => () => 'keep', // handled by OfflineSnapshots.observe
  BulkInsert: () => () => 'keep',
  CreateEnum: () => () => 'keep',
  DropEnum: () => () => 'keep',
  AddEnumValue: () => () => 'keep',
  AlterTableComment: (op) => (t) => {
    const { comment: _old, ...rest } = t;
    return { set: op.comment === null ? rest : { ...t, comment: op.comment } };
  },
};
