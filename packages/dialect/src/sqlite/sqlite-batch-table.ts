import {
  indexColumnName,
  indexColumnSql,
  OperationError,
  type BatchInnerOp,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ConstraintType,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type NamingConvention,
  type PrimaryKeySnapshot,
  type RenameIndexOp,
  type Statement,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { inlineConstraintName } from './sqlite-constraint-names.js';
import { checkSameSchema, compileSqliteCreateIndex, qualifiedName } from './sqlite-create-table.js';
import { sqliteNativeProblem } from './sqlite-native-alter.js';
import { qualifyCreateStatement, renameSqlIdentifiers, renameSqliteIndexStatement, sqlMentions, unqualifyOwnColumns } from './sqlite-sql-references.js';

/** A column of the rebuilt table, followed through the batch. */
export interface BatchColumn {
  /** Its name in the table before the batch; `undefined` for a column the batch adds. */
  readonly origin: string | undefined;
  /** Its name after the batch. */
  readonly name: string;
  /** The column as the rebuilt table declares it, under its working name (`column.name`). */
  readonly column: ColumnSnapshot;
}

/** What a batch makes of a table: the input of `compileSqliteRebuild`. */
export interface BatchResult {
  /** The table before the batch (reflected constraints named). */
  readonly before: TableSnapshot;
  /**
   * The rebuilt table under working names: a column keeps its old name until the native
   * `RENAME COLUMN`s that follow the rebuild (so SQLite rewrites views, triggers and other
   * tables' foreign keys that name it). Expressions the batch added are written in these names.
   */
  readonly after: TableSnapshot;
  /** The columns of `after`, in its order. */
  readonly columns: readonly BatchColumn[];
  /** Native renames after the rebuild, in order: `[from, to]` (a cycle goes through a temporary name). */
  readonly renames: readonly (readonly [string, string])[];
  /** Old names of the columns the batch dropped. */
  readonly dropped: readonly string[];
  /**
   * For each index of `after` that is an index of `before` (renamed or not), its name in `before`:
   * the rebuild recreates it from its stored CREATE INDEX text, under its name in `after`.
   */
  readonly indexOrigins: ReadonlyMap<IndexSnapshot, string>;
}

interface Col {
  origin: string | undefined;
  name: string;
  column: ColumnSnapshot;
}

const lower = (s: string) => s.toLowerCase();
const same = (a: string, b: string) => lower(a) === lower(b);

/**
 * The table of a `batchAlterTable` on SQLite while its ops are applied one by one (the batch's
 * sequential semantics: each op sees the names the ones before it left). It tracks each column
 * from its old name to its new one, so the rebuild copies the right data, and it tells whether
 * an op could run as a plain ALTER ({@link nativeProblem}). Inputs are never mutated.
 *
 * Dropping a column also drops the primary key, unique constraints, foreign keys, CHECK
 * constraints and indexes that use it (as PostgreSQL does).
 *
 * @example
 * ```ts
 * import { nameReflectedConstraints } from './sqlite-constraint-names.js';
 * const rebuilt = new SqliteBatchTable(nameReflectedConstraints(snapshot, convention), convention);
 * rebuilt.apply({ kind: 'DropColumn', table: snapshot.name, column: 'b' });
 * const result = rebuilt.result();
 * ```
 */
export class SqliteBatchTable {
  readonly #before: TableSnapshot;
  readonly #convention: NamingConvention;
  #columns: Col[];
  #primaryKey: PrimaryKeySnapshot | undefined;
  #foreignKeys: ForeignKeySnapshot[];
  #uniques: UniqueConstraintSnapshot[];
  #checks: CheckConstraintSnapshot[];
  #indexes: IndexSnapshot[];
  /** The name in `before` of each index of `#indexes` that is one of `before`'s (renamed or not). */
  readonly #indexOrigins = new Map<IndexSnapshot, string>();
  readonly #dropped: string[] = [];
  #temp = 0;

  /**
   * @param before - the table's current shape, with reflected constraints named
   *   (`nameReflectedConstraints`).
   * @param convention - names column-level constraints for `dropConstraint`.
   */
  constructor(before: TableSnapshot, convention: NamingConvention) {
    this.#before = before;
    this.#convention = convention;
    this.#columns = before.columns.map((c) => ({ origin: c.name, name: c.name, column: c }));
    this.#primaryKey = before.primaryKey;
    this.#foreignKeys = [...before.foreignKeys];
    this.#uniques = [...before.uniqueConstraints];
    // Without the table's own name where it qualifies a column (`"users"."ratio"`, `main.users.ratio`,
    // as a model or an earlier revision may write it; introspection reads it so): the rebuild creates the table
    // under another name, where such a column is no column. (Indexes are created on the table
    // under its own name, after the swap, and may keep it.)
    this.#checks = before.checkConstraints.map((ck) => {
      const expression = unqualifyOwnColumns(ck.expression, before.name, ownSchema(before));
      return expression === ck.expression ? ck : { ...ck, expression };
    });
    this.#indexes = [...before.indexes];
    for (const ix of before.indexes) this.#indexOrigins.set(ix, ix.name);
  }

  get #table(): string {
    return JSON.stringify(this.#before.name);
  }

  /**
   * Why the op cannot run as a plain ALTER on the table as it is now, or `undefined` when it can.
   * Beyond `sqliteNativeProblem`: a dropped column must not be part of the primary key, a unique
   * constraint, a foreign key (either end), an index (columns, expressions, partial-index
   * predicate), a CHECK, a generated column (or another's expression), a trigger or a view.
   */
  nativeProblem(op: BatchInnerOp): string | undefined {
    const problem = sqliteNativeProblem(op);
    if (!problem && (op.kind === 'DropIndex' || op.kind === 'RenameIndex')) {
      // The index SQLite keeps for a table-level UNIQUE: neither DROP INDEX nor a rename reaches it.
      const ix = this.#indexes.find((i) => same(i.name, op.name));
      if (ix?.tableConstraint) return `${op.kind === 'DropIndex' ? 'drop' : 'rename'} the index ${JSON.stringify(op.name)} of a table-level UNIQUE constraint`;
    }
    if (problem || op.kind !== 'DropColumn') return problem;
    const c = this.#resolve(op.column);
    const w = c.column.name;
    const is = (n: string) => same(n, w);
    const what = (detail: string) => `drop the ${detail} ${JSON.stringify(op.column)}`;
    if (c.column.primaryKey || this.#primaryKey?.columns.some(is)) return what('PRIMARY KEY column');
    if (c.column.unique || this.#uniques.some((u) => u.columns.some(is))) return what('UNIQUE column');
    if (c.column.references || this.#foreignKeys.some((f) => f.columns.some(is))) return what('foreign key column');
    const referred =
      this.#foreignKeys.some((f) => this.#isSelf(f.referredTable) && f.referredColumns.some(is)) ||
      this.#columns.some((o) => o.column.references && this.#isSelf(o.column.references.table) && is(o.column.references.column));
    if (referred) return `${what('column')} (a foreign key of the table refers to it)`;
    const ix = this.#indexes.find((i) => indexUses(i, w));
    if (ix) return `${what('indexed column')} (index ${JSON.stringify(ix.name)})`;
    if (this.#checks.some((ck) => sqlMentions(ck.expression, [w]))) return `${what('column')} (used by a CHECK constraint)`;
    if (c.column.generated) return what('generated column');
    const gen = this.#columns.find((o) => o.column.generated && sqlMentions(o.column.generated.sql, [w]));
    if (gen) return `${what('column')} (used by the generated column ${JSON.stringify(gen.name)})`;
    const dep = (this.#before.dependents ?? []).find((d) => d.type !== 'index' && sqlMentions(d.sql, [w]));
    if (dep) return `${what('column')} (named by the ${dep.type} ${JSON.stringify(dep.name)})`;
    return undefined;
  }

  /**
   * The statements of a rename of an index when the batch runs as plain ALTERs, at this point of
   * the batch (call it before {@link apply} of the op): `DROP INDEX` of the old name, then the
   * index's CREATE INDEX under the new name, from its stored text when the table had it before
   * the batch (directions and collations kept), else from its definition. Its column names are
   * those the columns have now: the `RENAME COLUMN`s before it have run.
   * @throws {@link OperationError} when the table has no such index at this point.
   */
  nativeRenameIndex(op: RenameIndexOp): Statement[] {
    const ix = this.#indexes[this.#indexAt(op.name)]!;
    const schema = this.#before.schema;
    // Working names (the names before the batch, for the columns it had) → the names now.
    const now = new Map(this.#columns.filter((c) => c.column.name !== c.name).map((c) => [lower(c.column.name), c.name]));
    const origin = this.#indexOrigins.get(ix);
    const stored = origin === undefined ? undefined : this.#before.dependents?.find((d) => d.type === 'index' && same(d.name, origin));
    const text = stored && renameSqliteIndexStatement(stored.sql, op.newName, now);
    const create =
      text !== undefined
        ? { sql: qualifyCreateStatement(text, schema), parameters: [] }
        : compileSqliteCreateIndex(this.#before.name, schema, renameIndexColumns(unqualifiedWhere({ ...ix, name: op.newName }, this.#before), now), false);
    return [{ sql: `DROP INDEX ${qualifiedName(op.name, schema)}`, parameters: [] }, create];
  }

  /**
   * Applies one op of the batch.
   * @throws {@link OperationError} for a column, index or constraint the table does not have at
   *   this point, a name already taken, or a second primary key.
   */
  apply(op: BatchInnerOp): void {
    switch (op.kind) {
      case 'AddColumn':
        return this.#addColumn(op.column);
      case 'DropColumn':
        return this.#dropColumn(this.#resolve(op.column));
      case 'AlterColumn': {
        const c = this.#resolve(op.column);
        const ch = op.changes;
        let column = c.column;
        if (ch.type !== undefined) column = { ...column, type: ch.type };
        if (ch.nullable !== undefined) column = { ...column, nullable: ch.nullable };
        if (ch.default === null) {
          const { default: _dropped, ...rest } = column;
          column = rest;
        } else if (ch.default !== undefined) column = { ...column, default: ch.default };
        if (ch.collation === null) {
          const { collation: _dropped, ...rest } = column;
          column = rest;
        } else if (ch.collation !== undefined) column = { ...column, collation: ch.collation };
        c.column = column;
        if (ch.newName !== undefined) this.#rename(c, ch.newName);
        return;
      }
      case 'RenameColumn':
        return this.#rename(this.#resolve(op.column), op.newName);
      case 'CreateIndex': {
        // `ifNotExists`: an index of that name already on the table is kept as it is.
        if (op.ifNotExists && this.#indexes.some((i) => same(i.name, op.index.name))) return;
        if (this.#indexes.some((i) => same(i.name, op.index.name))) throw new OperationError(`Table ${this.#table} already has an index ${JSON.stringify(op.index.name)}.`);
        const ix = op.index;
        const index: { -readonly [K in keyof IndexSnapshot]: IndexSnapshot[K] } = {
          ...ix,
          columns: ix.columns.map((col) =>
            typeof col === 'string' ? this.#work(col) : 'name' in col ? { ...col, name: this.#work(col.name) } : { ...col, sql: this.#toWork(indexColumnSql(col)!) },
          ),
        };
        if (ix.where !== undefined) index.where = this.#toWork(ix.where);
        this.#indexes.push(index);
        return;
      }
      case 'DropIndex':
        // `ifExists`: no such index on the table is not an error.
        if (op.ifExists && !this.#indexes.some((i) => same(i.name, op.name))) return;
        this.#indexes.splice(this.#indexAt(op.name), 1);
        return;
      case 'RenameIndex': {
        const at = this.#indexAt(op.name);
        const ix = this.#indexes[at]!;
        if (this.#indexes.some((i) => i !== ix && same(i.name, op.newName))) throw new OperationError(`Table ${this.#table} already has an index ${JSON.stringify(op.newName)}.`);
        const renamed = { ...ix, name: op.newName };
        const origin = this.#indexOrigins.get(ix);
        if (origin !== undefined) this.#indexOrigins.set(renamed, origin);
        this.#indexes[at] = renamed;
        return;
      }
      case 'CreateUniqueConstraint':
        this.#uniques.push({ name: op.name, columns: op.columns.map((n) => this.#work(n)), ...(op.nullsNotDistinct ? { nullsNotDistinct: true } : {}) });
        return;
      case 'CreateCheckConstraint':
        this.#checks.push({ name: op.name, expression: this.#toWork(op.expression) });
        return;
      case 'CreateForeignKey': {
        checkSameSchema({ name: this.#before.name, ...(this.#before.schema !== undefined ? { schema: this.#before.schema } : {}) }, op.referredSchema, op.referredTable);
        const self = this.#isSelf(op.referredTable);
        this.#foreignKeys.push({
          name: op.name,
          columns: op.columns.map((n) => this.#work(n)),
          referredTable: op.referredTable,
          referredColumns: self ? op.referredColumns.map((n) => this.#work(n)) : [...op.referredColumns],
          ...(op.onDelete ? { onDelete: op.onDelete } : {}),
          ...(op.onUpdate ? { onUpdate: op.onUpdate } : {}),
          ...(op.deferrable ? { deferrable: true } : {}),
          ...(op.initiallyDeferred ? { initiallyDeferred: true } : {}),
        });
        return;
      }
      case 'CreatePrimaryKey': {
        const current = this.#primaryKey?.name ?? this.#columns.find((c) => c.column.primaryKey)?.name;
        if (current !== undefined) {
          throw new OperationError(`Table ${this.#table} already has a primary key (${this.#primaryKey?.name ?? `on column ${JSON.stringify(current)}`}); drop it first.`);
        }
        const cols = op.columns.map((n) => this.#resolve(n));
        for (const c of cols) c.column = { ...c.column, nullable: false };
        const descending = (op.descending ?? []).map((n) => this.#work(n));
        this.#primaryKey = { name: op.name, columns: cols.map((c) => c.column.name), ...(descending.length ? { descending } : {}) };
        return;
      }
      case 'DropConstraint':
        return this.#dropConstraint(op.name, op.type);
    }
  }

  /**
   * The rebuilt table.
   * @param partialReordering - column orders to respect (final names): each list orders its
   *   columns; others keep their place where the lists allow.
   * @throws {@link OperationError} for an unknown column or contradictory orders.
   */
  result(partialReordering: readonly (readonly string[])[] = []): BatchResult {
    const columns = orderColumns(this.#columns, partialReordering, this.#table);
    const b = this.#before;
    const after: { -readonly [K in keyof TableSnapshot]: TableSnapshot[K] } = {
      name: b.name,
      columns: columns.map((c) => c.column),
      foreignKeys: this.#foreignKeys,
      uniqueConstraints: this.#uniques,
      checkConstraints: this.#checks,
      indexes: this.#indexes,
    };
    if (b.schema !== undefined) after.schema = b.schema;
    if (this.#primaryKey) after.primaryKey = this.#primaryKey;
    if (b.strict) after.strict = true;
    if (b.withoutRowid) after.withoutRowid = true;
    return {
      before: b,
      after,
      columns: columns.map((c) => ({ origin: c.origin, name: c.name, column: c.column })),
      renames: this.#renames(columns),
      dropped: [...this.#dropped],
      indexOrigins: new Map([...this.#indexOrigins].filter(([ix]) => this.#indexes.includes(ix))),
    };
  }

  /** Where the index `name` is in `#indexes`. @throws {@link OperationError} when there is none. */
  #indexAt(name: string): number {
    const at = this.#indexes.findIndex((i) => same(i.name, name));
    if (at < 0) throw new OperationError(`Table ${this.#table} has no index ${JSON.stringify(name)} (indexes: ${this.#indexes.map((i) => i.name).join(', ') || 'none'}).`);
    return at;
  }

  #isSelf(table: string): boolean {
    return same(table, this.#before.name);
  }

  #find(name: string): Col | undefined {
    return this.#columns.find((c) => same(c.name, name));
  }

  #resolve(name: string): Col {
    const c = this.#find(name);
    if (!c) {
      throw new OperationError(
        `Table ${this.#table} has no column ${JSON.stringify(name)} at this point of the batch (columns: ${this.#columns.map((o) => o.name).join(', ')}).`,
      );
    }
    return c;
  }

  /** The working name of the column now called `name`. */
  #work(name: string): string {
    return this.#resolve(name).column.name;
  }

  /**
   * Rewrites an expression the batch adds from the names of this point to working names, without
   * the table's own name where it qualifies a column (`"users"."ratio"` → `"ratio"`): the rebuilt
   * table is created under another name, where such a column does not resolve, and a qualified
   * name would escape the rename to working names.
   */
  #toWork(sql: string): string {
    const map = new Map<string, string>();
    const current = new Set<string>();
    for (const c of this.#columns) {
      current.add(lower(c.name));
      if (c.name !== c.column.name) map.set(lower(c.name), c.column.name);
    }
    const stale = new Set(this.#columns.map((c) => lower(c.column.name)).filter((n) => !current.has(n)));
    return renameSqlIdentifiers(unqualifyOwnColumns(sql, this.#before.name, ownSchema(this.#before)), map, (name) => {
      if (stale.has(lower(name))) {
        throw new OperationError(`The expression ${JSON.stringify(sql)} names ${JSON.stringify(name)}, which an earlier op of the batch renamed.`);
      }
    });
  }

  #tempName(base: string): string {
    const taken = new Set(this.#columns.flatMap((c) => [lower(c.name), lower(c.column.name)]));
    let name: string;
    do name = `_multidb_${base}_${++this.#temp}`;
    while (taken.has(lower(name)));
    return name;
  }

  #addColumn(col: ColumnSnapshot): void {
    if (this.#find(col.name)) throw new OperationError(`Table ${this.#table} already has a column ${JSON.stringify(col.name)}.`);
    // A name an earlier op renamed away is still the working name of that column: use another.
    const work = this.#columns.some((c) => same(c.column.name, col.name)) ? this.#tempName(col.name) : col.name;
    let column: ColumnSnapshot = { ...col, name: work };
    if (col.generated) column = { ...column, generated: { ...col.generated, sql: this.#toWork(col.generated.sql) } };
    if (col.references && this.#isSelf(col.references.table)) column = { ...column, references: { ...col.references, column: this.#work(col.references.column) } };
    this.#columns.push({ origin: undefined, name: col.name, column });
  }

  #dropColumn(c: Col): void {
    const w = c.column.name;
    const is = (n: string) => same(n, w);
    this.#columns = this.#columns.filter((o) => o !== c);
    if (c.origin !== undefined) this.#dropped.push(c.origin);
    if (this.#primaryKey?.columns.some(is)) this.#primaryKey = undefined;
    this.#uniques = this.#uniques.filter((u) => !u.columns.some(is));
    this.#foreignKeys = this.#foreignKeys.filter((f) => !f.columns.some(is));
    this.#checks = this.#checks.filter((ck) => !sqlMentions(ck.expression, [w]));
    this.#indexes = this.#indexes.filter((ix) => !indexUses(ix, w));
  }

  #rename(c: Col, newName: string): void {
    const other = this.#find(newName);
    if (other && other !== c) throw new OperationError(`Table ${this.#table} already has a column ${JSON.stringify(newName)}.`);
    c.name = newName;
  }

  #dropConstraint(name: string, type: ConstraintType): void {
    const t = this.#before.name;
    const named = <T extends { name?: string }>(list: T[]) => list.findIndex((x) => x.name !== undefined && same(x.name, name));
    const inline = (kind: 'pk' | 'uq' | 'fk', has: (c: Col) => boolean, referred?: (c: Col) => string) =>
      this.#columns.find((c) => has(c) && same(inlineConstraintName(this.#convention, kind, t, c.name, referred?.(c)), name));
    const missing = (names: (string | undefined)[]): never => {
      const kind = type === 'foreignkey' ? 'foreign key' : type === 'primary' ? 'primary key' : `${type} constraint`;
      const list = names.filter((n): n is string => n !== undefined);
      throw new OperationError(`Table ${this.#table} has no ${kind} ${JSON.stringify(name)} (${list.length ? `it has: ${list.join(', ')}` : 'it has none'}).`);
    };
    switch (type) {
      case 'primary': {
        if (this.#primaryKey?.name !== undefined && same(this.#primaryKey.name, name)) {
          this.#primaryKey = undefined;
          return;
        }
        const c = inline('pk', (o) => o.column.primaryKey === true);
        if (!c) {
          const pkCol = this.#columns.find((o) => o.column.primaryKey);
          return missing([this.#primaryKey?.name, pkCol && inlineConstraintName(this.#convention, 'pk', t, pkCol.name)]);
        }
        const { primaryKey: _pk, autoincrement: _auto, ...rest } = c.column;
        c.column = rest;
        return;
      }
      case 'unique': {
        const at = named(this.#uniques);
        if (at >= 0) {
          this.#uniques.splice(at, 1);
          return;
        }
        const c = inline('uq', (o) => o.column.unique === true);
        if (!c) return missing([...this.#uniques.map((u) => u.name), ...this.#columns.filter((o) => o.column.unique).map((o) => inlineConstraintName(this.#convention, 'uq', t, o.name))]);
        const { unique: _u, ...rest } = c.column;
        c.column = rest;
        return;
      }
      case 'foreignkey': {
        const at = named(this.#foreignKeys);
        if (at >= 0) {
          this.#foreignKeys.splice(at, 1);
          return;
        }
        const c = inline('fk', (o) => o.column.references !== undefined, (o) => o.column.references!.table);
        if (!c) {
          return missing([
            ...this.#foreignKeys.map((f) => f.name),
            ...this.#columns.filter((o) => o.column.references).map((o) => inlineConstraintName(this.#convention, 'fk', t, o.name, o.column.references!.table)),
          ]);
        }
        const { references: _r, ...rest } = c.column;
        c.column = rest;
        return;
      }
      case 'check': {
        const at = named(this.#checks);
        if (at < 0) return missing(this.#checks.map((ck) => ck.name));
        this.#checks.splice(at, 1);
        return;
      }
    }
  }

  /** Renames from working to final names, ordered so no rename hits a name still in use. */
  #renames(columns: readonly Col[]): [string, string][] {
    const pending = columns.filter((c) => c.column.name !== c.name).map((c) => ({ from: c.column.name, to: c.name }));
    const inUse = new Set(columns.map((c) => lower(c.column.name)));
    const out: [string, string][] = [];
    let temp = 0;
    while (pending.length) {
      const i = pending.findIndex((p) => !inUse.has(lower(p.to)) || same(p.from, p.to));
      if (i >= 0) {
        const [p] = pending.splice(i, 1);
        out.push([p!.from, p!.to]);
        inUse.delete(lower(p!.from));
        inUse.add(lower(p!.to));
        continue;
      }
      // A cycle (a ↔ b): move one column aside first.
      const p = pending[0]!;
      let aside: string;
      do aside = `_multidb_rename_${++temp}`;
      while (inUse.has(lower(aside)));
      out.push([p.from, aside]);
      inUse.delete(lower(p.from));
      inUse.add(lower(aside));
      p.from = aside;
    }
    return out;
  }
}

/** The index with its column names (and the names in its expressions and predicate) mapped by `names` (lower-case keys). */
function renameIndexColumns(ix: IndexSnapshot, names: ReadonlyMap<string, string>): IndexSnapshot {
  if (names.size === 0) return ix;
  const out: { -readonly [K in keyof IndexSnapshot]: IndexSnapshot[K] } = {
    ...ix,
    columns: ix.columns.map((c) => {
      if (typeof c === 'string') return names.get(lower(c)) ?? c;
      // A key with its sort order keeps it.
      return 'name' in c ? { ...c, name: names.get(lower(c.name)) ?? c.name } : { ...c, sql: renameSqlIdentifiers(c.sql, names) };
    }),
  };
  if (ix.where !== undefined) out.where = renameSqlIdentifiers(ix.where, names);
  return out;
}

/**
 * The index without the table's own name qualifying a column in its predicate: a qualified name
 * passes {@link renameIndexColumns} by, and would name a column the batch renamed.
 */
function unqualifiedWhere(ix: IndexSnapshot, table: TableSnapshot): IndexSnapshot {
  return ix.where === undefined ? ix : { ...ix, where: unqualifyOwnColumns(ix.where, table.name, ownSchema(table)) };
}

/**
 * The schema a rebuilt table is in, as {@link unqualifyOwnColumns} takes it: `main.users.ratio`
 * (or `aux.users.ratio` for a table of attached database `aux`) names the table itself, which the
 * rebuild creates under a working name, so it is unqualified too.
 */
function ownSchema(table: TableSnapshot): { readonly schema: string } {
  return { schema: table.schema ?? 'main' };
}

/** True when an index uses the column: as a column, in an expression term or in its predicate. */
function indexUses(ix: IndexSnapshot, column: string): boolean {
  return (
    ix.columns.some((c) => (indexColumnName(c) !== undefined ? same(indexColumnName(c)!, column) : sqlMentions(indexColumnSql(c)!, [column]))) ||
    (ix.where !== undefined && sqlMentions(ix.where, [column]))
  );
}

/**
 * Orders columns by partial orders (Alembic's `partial_reordering`): each list is a chain
 * (`['c', 'a']`: c before a). Columns keep their order, except that a column a chain puts
 * before another moves up to just before it.
 */
function orderColumns(columns: readonly Col[], chains: readonly (readonly string[])[], table: string): Col[] {
  if (chains.length === 0) return [...columns];
  const index = new Map(columns.map((c, i) => [lower(c.name), i]));
  const before = columns.map(() => new Set<number>());
  for (const chain of chains) {
    const at = chain.map((name) => {
      const i = index.get(lower(name));
      if (i === undefined) throw new OperationError(`partialReordering names ${JSON.stringify(name)}, which is not a column of ${table} after the batch.`);
      return i;
    });
    for (let k = 1; k < at.length; k++) if (at[k - 1] !== at[k]) before[at[k]!]!.add(at[k - 1]!);
  }
  const out: Col[] = [];
  const state = columns.map(() => 'new' as 'new' | 'placing' | 'placed');
  const place = (i: number): void => {
    if (state[i] === 'placed') return;
    if (state[i] === 'placing') throw new OperationError(`partialReordering of ${table} contradicts itself (a cycle through ${JSON.stringify(columns[i]!.name)}).`);
    state[i] = 'placing';
    for (const p of [...before[i]!].sort((a, b) => a - b)) place(p);
    state[i] = 'placed';
    out.push(columns[i]!);
  };
  columns.forEach((_c, i) => place(i));
  return out;
}
