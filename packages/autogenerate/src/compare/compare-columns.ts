import type { AlterColumnOp, ColumnChanges, ColumnSnapshot, ColumnType, DefaultValue, ExistingColumn } from '@multidb/core';
import { tableLabel, tableRef, type CompareContext } from './compare-context.js';
import { describeDefault, describeType } from './describe.js';
import type { DetectedChange } from './detected-change.js';
import type { PlannedOp } from './table-plan.js';

/** The table a column comparison is about: its name (after renames) and schema. */
export interface ColumnTable {
  readonly table: string;
  readonly schema?: string;
  /** The database table's default collation (MySQL introspection): a column declaring it has none. */
  readonly defaultCollation?: string;
  /** SQLite: the models' table is `STRICT` (its types are compared as such a table declares them). */
  readonly modelStrict?: boolean;
  /** SQLite: the database's table is `STRICT`. */
  readonly databaseStrict?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A comment as compared: an empty comment is no comment. */
function comment(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Compares one column both sides have (names equal) and returns the `AlterColumn` that makes the
 * database's column the model's, with every `existing…` field (MySQL restates the column from
 * them offline, collation and `ON UPDATE` included; `reverseOp` needs them), or `undefined` when
 * they are the same.
 *
 * Compared: the type (`compareType`, else the dialect's canonical type; a named enum by its name),
 * nullability, the server default (`compareServerDefault`, else the dialect's canonical default),
 * the comment where the dialect keeps comments, the collation (case-insensitive; the default is
 * none: PostgreSQL's `default`, SQLite's `BINARY`, the table's `defaultCollation` on MySQL), the
 * `ON UPDATE` expression (MySQL/MariaDB; read as
 * the dialect reads a default), and, with `capabilities.identityGeneration`
 * (PostgreSQL), whether an identity column generates ALWAYS (`autoincrement: 'always'`) or BY
 * DEFAULT (`true`) when both sides are auto-increment. Reported as warnings only, since no op
 * changes them: a different generated-column expression, and `autoincrement` when the models set
 * it (true or false) and the database differs.
 */
export function compareColumn(ctx: CompareContext, where: ColumnTable, model: ColumnSnapshot, database: ColumnSnapshot): PlannedOp | undefined {
  const type = typeChanged(ctx, where, model, database);
  const nullable = model.nullable !== database.nullable;
  const generated = !!(model.generated || database.generated);
  const dflt = !generated && defaultChanged(ctx, where, model, database, type);
  const commented = ctx.comments && comment(model.comment) !== comment(database.comment);
  const onUpdate = !generated && onUpdateChanged(ctx, model, database);
  const collation = collationKey(model.collation, where.defaultCollation) !== collationKey(database.collation, where.defaultCollation);
  const label = () => `${tableLabel(where.table, where.schema)}.${model.name}`;
  if (generated) {
    const same =
      !!model.generated &&
      !!database.generated &&
      model.generated.stored === database.generated.stored &&
      ctx.expression(model.generated.sql) === ctx.expression(database.generated.sql);
    if (!same) {
      const show = (g: ColumnSnapshot['generated']) => (g ? `generated ${g.stored ? 'stored' : 'virtual'} as (${g.sql})` : 'not generated');
      ctx.warn(
        `Column '${label()}' is ${show(database.generated)} in the database and ${show(model.generated)} in the models; ` +
          'autogenerate cannot alter a generated column: drop and add it by hand.',
      );
    }
  }
  if (model.autoincrement !== undefined && !!model.autoincrement !== !!database.autoincrement) {
    ctx.warn(
      `Column '${label()}' is ${model.autoincrement ? '' : 'not '}autoincrement in the models but ${database.autoincrement ? '' : 'not '}in the database; ` +
        'autogenerate cannot change that: alter the column by hand.',
    );
  }
  const identity =
    ctx.capabilities.identityGeneration === true && !!model.autoincrement && !!database.autoincrement && (model.autoincrement === 'always') !== (database.autoincrement === 'always');
  if (!type && !nullable && !dflt && !commented && !identity && !onUpdate && !collation) return undefined;

  const changes: Mutable<ColumnChanges> = {};
  const detected: DetectedChange[] = [];
  const base = { table: where.table, ...(where.schema === undefined ? {} : { schema: where.schema }), column: model.name };
  if (type) {
    changes.type = model.type;
    const from = describeType(database.type);
    const to = describeType(model.type);
    detected.push({ kind: 'modify_type', ...base, from, to, line: `Detected type change from ${from} to ${to} on '${label()}'` });
  }
  if (nullable) {
    changes.nullable = model.nullable;
    const to = model.nullable ? 'NULL' : 'NOT NULL';
    detected.push({ kind: 'modify_nullable', ...base, from: model.nullable ? 'NOT NULL' : 'NULL', to, line: `Detected ${to} on column '${label()}'` });
  }
  if (dflt) {
    changes.default = model.default === undefined || model.default === null ? null : model.default;
    const from = describeDefault(database.default);
    const to = describeDefault(model.default);
    detected.push({ kind: 'modify_default', ...base, from, to, line: `Detected server default change from ${from} to ${to} on column '${label()}'` });
  }
  if (commented) {
    changes.comment = comment(model.comment) ?? null;
    detected.push({
      kind: 'modify_comment',
      ...base,
      from: comment(database.comment) ?? 'none',
      to: comment(model.comment) ?? 'none',
      line: `Detected column comment '${label()}'`,
    });
  }
  if (identity) {
    const describe = (a: ColumnSnapshot['autoincrement']) => (a === 'always' ? 'GENERATED ALWAYS' : 'GENERATED BY DEFAULT');
    changes.identity = model.autoincrement === 'always' ? 'always' : 'by-default';
    detected.push({
      kind: 'modify_identity',
      ...base,
      from: describe(database.autoincrement),
      to: describe(model.autoincrement),
      line: `Detected identity change from ${describe(database.autoincrement)} to ${describe(model.autoincrement)} on column '${label()}'`,
    });
  }
  if (onUpdate) {
    changes.onUpdate = model.onUpdate ?? null;
    const from = database.onUpdate ?? 'none';
    const to = model.onUpdate ?? 'none';
    detected.push({ kind: 'modify_on_update', ...base, from, to, line: `Detected ON UPDATE change from ${from} to ${to} on column '${label()}'` });
  }
  if (collation) {
    changes.collation = model.collation ?? null;
    const from = database.collation ?? 'default';
    const to = model.collation ?? 'default';
    detected.push({ kind: 'modify_collation', ...base, from, to, line: `Detected collation change from ${from} to ${to} on column '${label()}'` });
  }
  const existing: Mutable<ExistingColumn> = { type: database.type, nullable: database.nullable, comment: comment(database.comment) ?? null };
  if (database.default !== undefined && database.default !== null) existing.default = database.default;
  if (database.autoincrement !== undefined) existing.autoincrement = database.autoincrement;
  // A serial column (PostgreSQL) is made an identity another way than an identity's generation is changed.
  if (identity && database.serialSequence !== undefined) existing.serialSequence = database.serialSequence;
  // MySQL's MODIFY COLUMN restates the column: offline, these come only from here (a column
  // without its collation takes the table's default charset and collation).
  if (database.collation !== undefined) existing.collation = database.collation;
  if (database.onUpdate !== undefined) existing.onUpdate = database.onUpdate;
  if (database.generated !== undefined) existing.generated = database.generated;
  const op: AlterColumnOp = { kind: 'AlterColumn', ...tableRef(where.table, where.schema), column: model.name, changes, existing };
  return { op, changes: detected };
}

/** What `compareType` / `compareServerDefault` are asked about. */
function hookContext(where: ColumnTable, model: ColumnSnapshot, database: ColumnSnapshot) {
  return { table: where.table, ...(where.schema === undefined ? {} : { schema: where.schema }), declared: model, reflected: database };
}

function typeChanged(ctx: CompareContext, where: ColumnTable, model: ColumnSnapshot, database: ColumnSnapshot): boolean {
  const option = ctx.options.compareType;
  if (option === false) return false;
  if (typeof option === 'function') {
    const decided = option({ ...hookContext(where, model, database), declaredType: model.type, reflectedType: database.type });
    if (decided !== undefined) return decided;
  }
  // Equal types have equal canonical forms: the comparator is only asked about different ones.
  return (
    !sameType(model.type, database.type) &&
    ctx.typeKey(model.type, model, { strict: where.modelStrict === true }) !== ctx.typeKey(database.type, database, { strict: where.databaseStrict === true })
  );
}

function sameType(a: ColumnType, b: ColumnType): boolean {
  return (
    a === b ||
    (a.name === b.name &&
      a.array === b.array &&
      a.enumName === b.enumName &&
      a.args.length === b.args.length &&
      a.args.every((x, i) => x === b.args[i]) &&
      a.modifiers.length === b.modifiers.length &&
      a.modifiers.every((x, i) => x === b.modifiers[i]))
  );
}

function sameDefault(a: DefaultValue | undefined, b: DefaultValue | undefined): boolean {
  if (a === b) return true;
  return !!a && !!b && typeof a === 'object' && typeof b === 'object' && a.sql === b.sql;
}

/**
 * A collation as compared: case-insensitive (MySQL's and SQLite's names are), and PostgreSQL's
 * `default`, SQLite's `BINARY` and the table's default collation (MySQL) are none.
 */
function collationKey(collation: string | undefined, tableDefault: string | undefined): string | undefined {
  const key = collation?.toLowerCase();
  return key === undefined || key === 'default' || key === 'binary' || key === tableDefault?.toLowerCase() ? undefined : key;
}

/**
 * Whether the column's `ON UPDATE` (MySQL/MariaDB) differs: both read as the dialect reads an SQL
 * default (`current_timestamp()` = `CURRENT_TIMESTAMP`); none on both sides is no change.
 */
function onUpdateChanged(ctx: CompareContext, model: ColumnSnapshot, database: ColumnSnapshot): boolean {
  if (model.onUpdate === database.onUpdate) return false;
  const key = (c: ColumnSnapshot) => (c.onUpdate === undefined ? undefined : ctx.defaultKey({ sql: c.onUpdate }, c));
  return key(model) !== key(database);
}

function defaultChanged(ctx: CompareContext, where: ColumnTable, model: ColumnSnapshot, database: ColumnSnapshot, typeChanged: boolean): boolean {
  const option = ctx.options.compareServerDefault;
  if (option === false) return false;
  if (typeof option === 'function') {
    const decided = option(hookContext(where, model, database));
    if (decided !== undefined) return decided;
  }
  // The same default on the same type has the same canonical form.
  if (!typeChanged && sameType(model.type, database.type) && sameDefault(model.default, database.default)) return false;
  return ctx.defaultKey(model.default, model) !== ctx.defaultKey(database.default, database);
}
