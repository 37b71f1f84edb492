import {
  dispatchOp,
  formatColumnType,
  type BatchInnerOp,
  type CheckConstraintSnapshot,
  type ColumnChanges,
  type ColumnSnapshot,
  type ColumnType,
  type ExistingColumn,
  type ExistingConstraint,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type Op,
  type OpTable,
  type TableSnapshot,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { printStatements, printString, type Code, type Statement } from './code-printer.js';
import { columnTypeCode } from './column-type-code.js';
import { describeDataLoss, describeUncheckedNarrowing } from './describe-data-loss.js';
import { describeFailingOp } from './describe-failing-op.js';
import { typeSubstitutionText } from './type-substitution-text.js';
import { RenderContext } from './render-context.js';
import { RenderError } from './render-errors.js';
import { foreignKeyEntries, indexColumnsCode } from './schema-code.js';
import { objectCode, stringCode, stringsCode, valueCode } from './value-code.js';

/** A method call of the `op` facade (or of the batch builder): its name and arguments. */
interface Call {
  readonly method: string;
  readonly args: readonly Code[];
}

type Entries = (readonly [string, Code | undefined])[];

const str = stringCode;
const bool = (value: boolean | undefined): Code | undefined => (value === undefined ? undefined : { kind: 'boolean', value });
/** `autoincrement`: a boolean, or `'always'` (a PostgreSQL `GENERATED ALWAYS` identity). */
const autoincrementCode = (value: boolean | 'always' | undefined): Code | undefined => (value === 'always' ? str(value) : bool(value));
const optStr = (value: string | undefined): Code | undefined => (value === undefined ? undefined : str(value));
/** A trailing options argument: left out when it has no entry. */
const options = (entries: Entries): Code[] => {
  const code = objectCode(entries);
  return code.kind === 'object' && code.properties.length > 0 ? [code] : [];
};

/**
 * Refuses an object with a field the renderer does not know: the `op` call it writes would not
 * carry it, and the revision would silently differ from the op it was given.
 */
function knownFields(opKind: string, value: object, fields: readonly string[], what: string): void {
  const unknown = Object.entries(value)
    .filter(([k, v]) => v !== undefined && !fields.includes(k))
    .map(([k]) => k);
  if (unknown.length > 0) {
    throw new RenderError(opKind, `Cannot render ${what} of a ${opKind} op: the op facade has no argument for ${unknown.map((k) => `'${k}'`).join(', ')}.`);
  }
}

const OP_FIELDS: { readonly [K in Op['kind']]: readonly string[] } = {
  CreateTable: ['kind', 'table', 'ifNotExists'],
  DropTable: ['kind', 'table', 'schema', 'existing', 'ifExists'],
  RenameTable: ['kind', 'table', 'schema', 'newName'],
  AddColumn: ['kind', 'table', 'schema', 'column'],
  DropColumn: ['kind', 'table', 'schema', 'column', 'existing'],
  AlterColumn: ['kind', 'table', 'schema', 'column', 'changes', 'existing'],
  RenameColumn: ['kind', 'table', 'schema', 'column', 'newName'],
  CreateIndex: ['kind', 'table', 'schema', 'index', 'ifNotExists', 'concurrently'],
  DropIndex: ['kind', 'table', 'schema', 'name', 'existing', 'concurrently', 'ifExists'],
  RenameIndex: ['kind', 'table', 'schema', 'name', 'newName', 'existing'],
  CreateUniqueConstraint: ['kind', 'table', 'schema', 'name', 'columns', 'nullsNotDistinct'],
  CreateCheckConstraint: ['kind', 'table', 'schema', 'name', 'expression'],
  CreateForeignKey: ['kind', 'table', 'schema', 'name', 'columns', 'referredTable', 'referredSchema', 'referredColumns', 'onDelete', 'onUpdate', 'deferrable', 'initiallyDeferred'],
  CreatePrimaryKey: ['kind', 'table', 'schema', 'name', 'columns', 'descending'],
  DropConstraint: ['kind', 'table', 'schema', 'name', 'type', 'existing'],
  BatchAlterTable: ['kind', 'table', 'schema', 'ops', 'options'],
  Execute: ['kind', 'sql', 'parameters'],
  BulkInsert: ['kind', 'table', 'schema', 'rows'],
  CreateEnum: ['kind', 'name', 'schema', 'values'],
  DropEnum: ['kind', 'name', 'schema', 'existing'],
  AddEnumValue: ['kind', 'name', 'schema', 'value', 'before', 'after'],
  AlterTableComment: ['kind', 'table', 'schema', 'comment', 'existing'],
};

// `serialSequence` (an introspected PostgreSQL serial) is known but not rendered: a column created
// again from it is an identity, as any auto-increment column multidb creates.
const COLUMN_FIELDS = ['name', 'type', 'nullable', 'primaryKey', 'autoincrement', 'serialSequence', 'unique', 'default', 'comment', 'collation', 'onUpdate', 'generated', 'references'];
const TABLE_FIELDS = ['name', 'schema', 'columns', 'primaryKey', 'foreignKeys', 'uniqueConstraints', 'checkConstraints', 'indexes', 'comment', 'strict', 'withoutRowid', 'dependents'];
const FK_FIELDS = ['name', 'columns', 'referredTable', 'referredSchema', 'referredColumns', 'onDelete', 'onUpdate', 'deferrable', 'initiallyDeferred'];
// `tableConstraint` (SQLite: the index of a table-level UNIQUE) is written where a drop or a
// rename needs it offline (their `existing`), and in a createTable (a downgrade re-creating a
// dropped table: SQLite writes it in the CREATE TABLE again, as the table had it).
const INDEX_FIELDS = ['name', 'columns', 'unique', 'where', 'method', 'tableConstraint', 'include', 'nullsNotDistinct'];

/** Renders the fields of a column after its name and type, in the order `ColumnInput` lists them. */
function columnFields(opKind: string, column: Omit<ColumnSnapshot, 'name'>, nullableDefault: boolean, ctx: RenderContext): Entries {
  knownFields(opKind, column, COLUMN_FIELDS, 'a column');
  const r = column.references;
  if (r) knownFields(opKind, r, ['table', 'column', 'onDelete', 'onUpdate'], 'a column reference');
  if (column.generated) knownFields(opKind, column.generated, ['sql', 'stored'], 'a generated column');
  return [
    ['type', columnTypeCode(column.type, ctx)],
    ['nullable', column.nullable === undefined || column.nullable === nullableDefault ? undefined : bool(column.nullable)],
    ['primaryKey', bool(column.primaryKey)],
    ['autoincrement', autoincrementCode(column.autoincrement)],
    ['unique', bool(column.unique)],
    ['default', column.default === undefined ? undefined : valueCode(column.default, opKind, 'a column default')],
    ['comment', optStr(column.comment)],
    ['collation', optStr(column.collation)],
    ['onUpdate', optStr(column.onUpdate)],
    ['generated', column.generated ? objectCode([['sql', str(column.generated.sql)], ['stored', bool(column.generated.stored)]]) : undefined],
    [
      'references',
      r
        ? objectCode([
            ['table', str(r.table)],
            ['column', str(r.column)],
            ['onDelete', optStr(r.onDelete)],
            ['onUpdate', optStr(r.onUpdate)],
          ])
        : undefined,
    ],
  ];
}

/** A column as `createTable`/`addColumn` take it (`nullable` defaults to `!primaryKey`). */
function columnCode(opKind: string, column: ColumnSnapshot, ctx: RenderContext): Code {
  const { name, ...rest } = column;
  return objectCode([['name', str(name)], ...columnFields(opKind, rest, !column.primaryKey, ctx)]);
}

/** `name: null` in createTable's options: an unnamed constraint stays unnamed (no convention name). */
const NULL: Code = { kind: 'raw', text: 'null' };
const nameOrNull = (name: string | undefined, unnamed: Code | undefined): Code | undefined => (name === undefined ? unnamed : str(name));

function foreignKeyCode(opKind: string, fk: ForeignKeySnapshot, unnamed?: Code): Code {
  knownFields(opKind, fk, FK_FIELDS, 'a foreign key');
  return objectCode([['name', nameOrNull(fk.name, unnamed)], ...foreignKeyEntries(fk)]);
}


/**
 * An index; `unique` is written when true, or always (`keepUnique`) where the shape requires it;
 * `tableConstraint` only where asked (`existing`: a dropped index's `existing`, a created table's).
 */
function indexCode(opKind: string, index: IndexSnapshot, keepUnique: boolean, existing = false): Code {
  knownFields(opKind, index, INDEX_FIELDS, 'an index');
  return objectCode([
    ['name', str(index.name)],
    ['columns', indexColumnsCode(index.columns)],
    ['unique', keepUnique || index.unique ? bool(index.unique) : undefined],
    ['where', optStr(index.where)],
    ['method', optStr(index.method)],
    ['tableConstraint', existing && index.tableConstraint ? bool(true) : undefined],
    ['include', index.include?.length ? stringsCode(index.include) : undefined],
    ['nullsNotDistinct', index.nullsNotDistinct ? bool(true) : undefined],
  ]);
}

/** A renamed index's `existing`: its definition without a name (`unique` always written: it is required). */
function indexDefinitionCode(opKind: string, index: Omit<IndexSnapshot, 'name'>): Code {
  knownFields(opKind, index, INDEX_FIELDS.filter((f) => f !== 'name'), 'an index definition');
  return objectCode([
    ['columns', indexColumnsCode(index.columns)],
    ['unique', bool(index.unique)],
    ['where', optStr(index.where)],
    ['method', optStr(index.method)],
    ['tableConstraint', index.tableConstraint ? bool(true) : undefined],
    ['include', index.include?.length ? stringsCode(index.include) : undefined],
    ['nullsNotDistinct', index.nullsNotDistinct ? bool(true) : undefined],
  ]);
}

const uniqueCode = (opKind: string, u: UniqueConstraintSnapshot, unnamed?: Code): Code => {
  knownFields(opKind, u, ['name', 'columns', 'nullsNotDistinct'], 'a unique constraint');
  return objectCode([
    ['name', nameOrNull(u.name, unnamed)],
    ['columns', stringsCode(u.columns)],
    ['nullsNotDistinct', u.nullsNotDistinct ? bool(true) : undefined],
  ]);
};
const checkCode = (opKind: string, c: CheckConstraintSnapshot, unnamed?: Code): Code => {
  knownFields(opKind, c, ['name', 'expression'], 'a check constraint');
  return objectCode([['name', nameOrNull(c.name, unnamed)], ['expression', str(c.expression)]]);
};
const list = <T>(items: readonly T[] | undefined, code: (item: T) => Code): Code | undefined =>
  items && items.length > 0 ? { kind: 'array', elements: items.map(code) } : undefined;

/**
 * A table as `dropTable`'s `existing` and `batchAlterTable`'s `copyFrom` take it
 * (`TableSnapshotInput`): faithful to the snapshot (unnamed constraints stay unnamed, SQLite's
 * `dependents` are kept), with type strings, and without what equals the defaults.
 */
function tableSnapshotCode(opKind: string, table: TableSnapshot, ref: { table: string; schema?: string }, ctx: RenderContext): Code {
  knownFields(opKind, table, TABLE_FIELDS, 'a table definition');
  const pk = table.primaryKey;
  if (pk) knownFields(opKind, pk, ['name', 'columns', 'descending'], 'a primary key');
  return objectCode([
    ['name', table.name === ref.table ? undefined : str(table.name)],
    ['schema', optStr(table.schema)],
    ['columns', { kind: 'array', elements: table.columns.map((c) => columnCode(opKind, c, ctx)) }],
    ['primaryKey', pk ? objectCode([['name', optStr(pk.name)], ['columns', stringsCode(pk.columns)], descendingEntry(pk)]) : undefined],
    ['foreignKeys', list(table.foreignKeys, (fk) => foreignKeyCode(opKind, fk))],
    ['uniqueConstraints', list(table.uniqueConstraints, (u) => uniqueCode(opKind, u))],
    ['checkConstraints', list(table.checkConstraints, (c) => checkCode(opKind, c))],
    ['indexes', list(table.indexes, (ix) => indexCode(opKind, ix, true))],
    ['comment', optStr(table.comment)],
    ['strict', bool(table.strict)],
    ['withoutRowid', bool(table.withoutRowid)],
    [
      'dependents',
      list(table.dependents, (d) =>
        objectCode([
          ['type', str(d.type)],
          ['name', str(d.name)],
          ['tableName', str(d.tableName)],
          ['sql', str(d.sql)],
        ]),
      ),
    ],
  ]);
}

/**
 * `createTable(name, columns, options)`: every constraint and index name given explicitly (an
 * unnamed constraint as `name: null`), so no naming convention applies when the file runs.
 */
function createTableCall(opKind: string, table: TableSnapshot, ifNotExists: boolean | undefined, ctx: RenderContext): Call {
  knownFields(opKind, table, TABLE_FIELDS, 'a table');
  const pk = table.primaryKey;
  if (pk) knownFields(opKind, pk, ['name', 'columns', 'descending'], 'a primary key');
  // `dependents` (SQLite's indexes, triggers and views around a table) are not part of its shape:
  // createTable has no argument for them and creates none.
  return {
    method: 'createTable',
    args: [
      str(table.name),
      { kind: 'array', elements: table.columns.map((c) => columnCode(opKind, c, ctx)) },
      ...options([
        ['schema', optStr(table.schema)],
        ['primaryKey', pk ? objectCode([['name', nameOrNull(pk.name, NULL)], ['columns', stringsCode(pk.columns)], descendingEntry(pk)]) : undefined],
        ['foreignKeys', list(table.foreignKeys, (fk) => foreignKeyCode(opKind, fk, NULL))],
        ['uniqueConstraints', list(table.uniqueConstraints, (u) => uniqueCode(opKind, u, NULL))],
        ['checkConstraints', list(table.checkConstraints, (c) => checkCode(opKind, c, NULL))],
        ['indexes', list(table.indexes, (ix) => indexCode(opKind, ix, false, ix.tableConstraint === true))],
        ['comment', optStr(table.comment)],
        ['strict', table.strict ? bool(true) : undefined],
        ['withoutRowid', table.withoutRowid ? bool(true) : undefined],
        ['ifNotExists', ifNotExists ? bool(true) : undefined],
      ]),
    ],
  };
}

/** `existing` of a `dropColumn`: the whole column but its name (`nullable` defaults to true there). */
function droppedColumnCode(opKind: string, existing: Omit<ColumnSnapshot, 'name'> | undefined, ctx: RenderContext): Code | undefined {
  return existing ? objectCode(columnFields(opKind, existing, true, ctx)) : undefined;
}

function changesEntries(opKind: string, changes: ColumnChanges, ctx: RenderContext): Entries {
  knownFields(opKind, changes, ['type', 'nullable', 'default', 'comment', 'newName', 'identity', 'serial', 'onUpdate', 'collation'], 'column changes');
  const entries: Entries = [
    ['type', changes.type ? columnTypeCode(changes.type, ctx) : undefined],
    ['nullable', bool(changes.nullable)],
    ['default', changes.default === undefined ? undefined : valueCode(changes.default, opKind, 'the new default')],
    ['comment', changes.comment === undefined ? undefined : changes.comment === null ? { kind: 'raw', text: 'null' } : str(changes.comment)],
    ['newName', optStr(changes.newName)],
    ['identity', optStr(changes.identity)],
    ['serial', optStr(changes.serial)],
    ['onUpdate', changes.onUpdate === undefined ? undefined : changes.onUpdate === null ? { kind: 'raw', text: 'null' } : str(changes.onUpdate)],
    ['collation', changes.collation === undefined ? undefined : changes.collation === null ? { kind: 'raw', text: 'null' } : str(changes.collation)],
  ];
  if (entries.every(([, v]) => v === undefined)) throw new RenderError(opKind, `Cannot render an alterColumn that changes nothing.`);
  return entries;
}

function existingColumnCode(opKind: string, existing: ExistingColumn, ctx: RenderContext): Code | undefined {
  knownFields(opKind, existing, ['type', 'nullable', 'default', 'comment', 'autoincrement', 'serialSequence', 'onUpdate', 'collation', 'generated'], 'the existing column');
  if (existing.generated) knownFields(opKind, existing.generated, ['sql', 'stored'], 'a generated column');
  const code = objectCode([
    ['type', existing.type ? columnTypeCode(existing.type, ctx) : undefined],
    ['nullable', bool(existing.nullable)],
    ['default', existing.default === undefined ? undefined : valueCode(existing.default, opKind, 'the existing default')],
    ['comment', existing.comment === undefined ? undefined : existing.comment === null ? { kind: 'raw', text: 'null' } : str(existing.comment)],
    ['autoincrement', autoincrementCode(existing.autoincrement)],
    ['serialSequence', optStr(existing.serialSequence)],
    ['onUpdate', optStr(existing.onUpdate)],
    ['collation', optStr(existing.collation)],
    ['generated', existing.generated ? objectCode([['sql', str(existing.generated.sql)], ['stored', bool(existing.generated.stored)]]) : undefined],
  ]);
  return code.kind === 'object' && code.properties.length > 0 ? code : undefined;
}

function existingConstraintCode(opKind: string, e: ExistingConstraint | undefined): Code | undefined {
  if (!e) return undefined;
  switch (e.type) {
    case 'unique':
      knownFields(opKind, e, ['type', 'columns', 'nullsNotDistinct'], 'the existing constraint');
      return objectCode([['type', str(e.type)], ['columns', stringsCode(e.columns)], ['nullsNotDistinct', e.nullsNotDistinct ? bool(true) : undefined]]);
    case 'primary':
      knownFields(opKind, e, ['type', 'columns', 'descending'], 'the existing constraint');
      return objectCode([['type', str(e.type)], ['columns', stringsCode(e.columns)], descendingEntry(e)]);
    case 'check':
      knownFields(opKind, e, ['type', 'expression'], 'the existing constraint');
      return objectCode([['type', str(e.type)], ['expression', str(e.expression)]]);
    case 'foreignkey': {
      const { type: _t, ...fk } = e;
      const code = foreignKeyCode(opKind, fk);
      return code.kind === 'object' ? { kind: 'object', properties: [{ key: 'type', value: str('foreignkey') }, ...code.properties] } : code;
    }
  }
}

/** A primary key's `descending` entry, left out when no key is sorted `DESC`. */
const descendingEntry = (k: { descending?: readonly string[] }): readonly [string, Code | undefined] => ['descending', k.descending?.length ? stringsCode(k.descending) : undefined];

const schemaEntry = (op: { schema?: string }): readonly [string, Code | undefined] => ['schema', optStr(op.schema)];

/** The `op.*` call of each top-level op kind. */
function topLevelTable(ctx: RenderContext): OpTable<Call> {
  return {
    CreateTable: (op) => createTableCall(op.kind, op.table, op.ifNotExists, ctx),
    DropTable: (op) => ({
      method: 'dropTable',
      args: [
        str(op.table),
        ...options([schemaEntry(op), ['existing', op.existing ? tableSnapshotCode(op.kind, op.existing, op, ctx) : undefined], ['ifExists', bool(op.ifExists)]]),
      ],
    }),
    RenameTable: (op) => ({ method: 'renameTable', args: [str(op.table), str(op.newName), ...options([schemaEntry(op)])] }),
    AddColumn: (op) => ({ method: 'addColumn', args: [str(op.table), columnCode(op.kind, op.column, ctx), ...options([schemaEntry(op)])] }),
    DropColumn: (op) => ({
      method: 'dropColumn',
      args: [str(op.table), str(op.column), ...options([schemaEntry(op), ['existing', droppedColumnCode(op.kind, op.existing, ctx)]])],
    }),
    AlterColumn: (op) => ({
      method: 'alterColumn',
      args: [
        str(op.table),
        str(op.column),
        ...options([schemaEntry(op), ...changesEntries(op.kind, op.changes, ctx), ['existing', existingColumnCode(op.kind, op.existing, ctx)]]),
      ],
    }),
    RenameColumn: (op) => ({ method: 'renameColumn', args: [str(op.table), str(op.column), str(op.newName), ...options([schemaEntry(op)])] }),
    CreateIndex: (op) => ({
      method: 'createIndex',
      args: [
        str(op.index.name),
        str(op.table),
        ...indexArgs(op.kind, op.index),
        ...options([schemaEntry(op), ...indexOptions(op.index), ['ifNotExists', op.ifNotExists ? bool(true) : undefined], ['concurrently', op.concurrently ? bool(true) : undefined]]),
      ],
    }),
    DropIndex: (op) => ({
      method: 'dropIndex',
      args: [
        str(op.name),
        ...options([
          schemaEntry(op),
          ['table', op.table ? str(op.table) : undefined],
          ['existing', op.existing ? indexCode(op.kind, op.existing, true, true) : undefined],
          ['concurrently', op.concurrently ? bool(true) : undefined],
          ['ifExists', op.ifExists ? bool(true) : undefined],
        ]),
      ],
    }),
    RenameIndex: (op) => ({
      method: 'renameIndex',
      args: [str(op.table), str(op.name), str(op.newName), ...options([schemaEntry(op), ['existing', op.existing ? indexDefinitionCode(op.kind, op.existing) : undefined]])],
    }),
    CreateUniqueConstraint: (op) => ({
      method: 'createUniqueConstraint',
      args: [str(op.name), str(op.table), stringsCode(op.columns), ...options([schemaEntry(op), ['nullsNotDistinct', op.nullsNotDistinct ? bool(true) : undefined]])],
    }),
    CreateCheckConstraint: (op) => ({ method: 'createCheckConstraint', args: [str(op.name), str(op.table), str(op.expression), ...options([schemaEntry(op)])] }),
    CreateForeignKey: (op) => ({
      method: 'createForeignKey',
      args: [str(op.name), str(op.table), str(op.referredTable), stringsCode(op.columns), stringsCode(op.referredColumns), ...options([schemaEntry(op), ...foreignKeyOptions(op)])],
    }),
    CreatePrimaryKey: (op) => ({ method: 'createPrimaryKey', args: [str(op.name), str(op.table), stringsCode(op.columns), ...options([schemaEntry(op), descendingEntry(op)])] }),
    DropConstraint: (op) => ({
      method: 'dropConstraint',
      args: [str(op.name), str(op.table), ...options([schemaEntry(op), ['type', str(op.type)], ['existing', existingConstraintCode(op.kind, op.existing)]])],
    }),
    BatchAlterTable: (op) => {
      knownFields(op.kind, op.options, ['recreate', 'copyFrom', 'partialReordering'], 'batch options');
      const body = op.ops.flatMap((inner) => batchStatements(op, inner, ctx));
      return {
        method: 'batchAlterTable',
        args: [
          str(op.table),
          { kind: 'arrow', params: ['batch'], body },
          ...options([
            schemaEntry(op),
            ['recreate', optStr(op.options.recreate)],
            ['copyFrom', op.options.copyFrom ? tableSnapshotCode(op.kind, op.options.copyFrom, op, ctx) : undefined],
            ['partialReordering', op.options.partialReordering ? { kind: 'array', elements: op.options.partialReordering.map(stringsCode) } : undefined],
          ]),
        ],
      };
    },
    Execute: (op) => ({
      method: 'execute',
      args: [str(op.sql), ...(op.parameters && op.parameters.length > 0 ? [valueCode(op.parameters, op.kind, 'the parameters')] : [])],
    }),
    BulkInsert: (op) => ({ method: 'bulkInsert', args: [str(op.table), valueCode(op.rows, op.kind, 'rows'), ...options([schemaEntry(op)])] }),
    CreateEnum: (op) => ({ method: 'createEnum', args: [str(op.name), stringsCode(op.values), ...options([schemaEntry(op)])] }),
    DropEnum: (op) => ({
      method: 'dropEnum',
      args: [str(op.name), ...options([schemaEntry(op), ['existing', op.existing ? objectCode([['values', stringsCode(op.existing.values)]]) : undefined]])],
    }),
    AddEnumValue: (op) => ({
      method: 'addEnumValue',
      args: [str(op.name), str(op.value), ...options([schemaEntry(op), ['before', optStr(op.before)], ['after', optStr(op.after)]])],
    }),
    AlterTableComment: (op) => ({
      method: 'alterTableComment',
      args: [
        str(op.table),
        op.comment === null ? { kind: 'raw', text: 'null' } : str(op.comment),
        ...options([schemaEntry(op), ['existing', op.existing === undefined ? undefined : op.existing === null ? { kind: 'raw', text: 'null' } : str(op.existing)]]),
      ],
    }),
  };
}

function indexArgs(opKind: string, index: IndexSnapshot): Code[] {
  knownFields(opKind, index, INDEX_FIELDS, 'an index');
  return [indexColumnsCode(index.columns)];
}

function indexOptions(index: IndexSnapshot): Entries {
  return [
    ['unique', index.unique ? bool(true) : undefined],
    ['where', optStr(index.where)],
    ['method', optStr(index.method)],
    ['include', index.include?.length ? stringsCode(index.include) : undefined],
    ['nullsNotDistinct', index.nullsNotDistinct ? bool(true) : undefined],
  ];
}

/** The error for an index op with `concurrently` inside a batch, which the batch builder refuses (it would not run as written). */
function concurrentInBatch(opKind: string, call: string): RenderError {
  return new RenderError(opKind, `Cannot render ${call} with concurrently inside a batch: the batch builder refuses it; render the op outside the batch (op.${call.slice(0, call.indexOf('('))}).`);
}

function foreignKeyOptions(op: { referredSchema?: string; onDelete?: string; onUpdate?: string; deferrable?: boolean; initiallyDeferred?: boolean }): Entries {
  return [
    ['referredSchema', optStr(op.referredSchema)],
    ['onDelete', optStr(op.onDelete)],
    ['onUpdate', optStr(op.onUpdate)],
    ['deferrable', op.deferrable ? bool(true) : undefined],
    ['initiallyDeferred', op.initiallyDeferred ? bool(true) : undefined],
  ];
}

/** The `batch.*` call of each kind an inner op of a batch may have (all on the batch's table). */
function batchTable(ctx: RenderContext): { readonly [K in BatchInnerOp['kind']]: (op: Extract<BatchInnerOp, { kind: K }>) => Call } {
  return {
    AddColumn: (op) => ({ method: 'addColumn', args: [columnCode(op.kind, op.column, ctx)] }),
    DropColumn: (op) => ({ method: 'dropColumn', args: [str(op.column), ...options([['existing', droppedColumnCode(op.kind, op.existing, ctx)]])] }),
    AlterColumn: (op) => ({
      method: 'alterColumn',
      args: [str(op.column), objectCode([...changesEntries(op.kind, op.changes, ctx), ['existing', existingColumnCode(op.kind, op.existing, ctx)]])],
    }),
    RenameColumn: (op) => ({ method: 'renameColumn', args: [str(op.column), str(op.newName)] }),
    CreateIndex: (op) => {
      if (op.concurrently) throw concurrentInBatch(op.kind, `createIndex('${op.index.name}')`);
      return { method: 'createIndex', args: [str(op.index.name), ...indexArgs(op.kind, op.index), ...options([...indexOptions(op.index), ['ifNotExists', op.ifNotExists ? bool(true) : undefined]])] };
    },
    DropIndex: (op) => {
      if (op.concurrently) throw concurrentInBatch(op.kind, `dropIndex('${op.name}')`);
      return { method: 'dropIndex', args: [str(op.name), ...options([['existing', op.existing ? indexCode(op.kind, op.existing, true, true) : undefined], ['ifExists', op.ifExists ? bool(true) : undefined]])] };
    },
    RenameIndex: (op) => ({ method: 'renameIndex', args: [str(op.name), str(op.newName), ...options([['existing', op.existing ? indexDefinitionCode(op.kind, op.existing) : undefined]])] }),
    CreateUniqueConstraint: (op) => ({
      method: 'createUniqueConstraint',
      args: [str(op.name), stringsCode(op.columns), ...options([['nullsNotDistinct', op.nullsNotDistinct ? bool(true) : undefined]])],
    }),
    CreateCheckConstraint: (op) => ({ method: 'createCheckConstraint', args: [str(op.name), str(op.expression)] }),
    CreateForeignKey: (op) => ({
      method: 'createForeignKey',
      args: [str(op.name), str(op.referredTable), stringsCode(op.columns), stringsCode(op.referredColumns), ...options(foreignKeyOptions(op))],
    }),
    CreatePrimaryKey: (op) => ({ method: 'createPrimaryKey', args: [str(op.name), stringsCode(op.columns), ...options([descendingEntry(op)])] }),
    DropConstraint: (op) => ({
      method: 'dropConstraint',
      args: [str(op.name), objectCode([['type', str(op.type)], ['existing', existingConstraintCode(op.kind, op.existing)]])],
    }),
  };
}

/**
 * A comment above an op that loses data when it runs; on a database that checks no type sizes
 * (SQLite), a note above a change that only narrows one, which loses nothing there.
 */
function dataLossComment(op: Op | BatchInnerOp, ctx: RenderContext): Statement[] {
  const options = { ...(ctx.storedType ? { storedType: ctx.storedType } : {}), checksTypeSizes: ctx.checksTypeSizes };
  const loss = describeDataLoss(op, options);
  if (loss !== undefined) return [{ kind: 'comment', text: `Data loss: ${loss}.` }];
  const unchecked = describeUncheckedNarrowing(op, options);
  return unchecked === undefined ? [] : [{ kind: 'comment', text: `Note: ${unchecked}.` }];
}

/**
 * A comment above an op that fails on a table with rows (a NOT NULL column added without a
 * default) or with a NULL in the column (a column made NOT NULL).
 */
function failingOpComment(op: Op | BatchInnerOp): Statement[] {
  const failure = describeFailingOp(op);
  return failure === undefined ? [] : [{ kind: 'comment', text: `WARNING: ${failure}.` }];
}

/** The column types an op declares: its table's columns, an added column, a new type. */
function declaredColumns(op: Op | BatchInnerOp): readonly { readonly table: string; readonly schema: string | undefined; readonly column: string; readonly type: ColumnType }[] {
  switch (op.kind) {
    case 'CreateTable':
      return op.table.columns.map((c) => ({ table: op.table.name, schema: op.table.schema, column: c.name, type: c.type }));
    case 'AddColumn':
      return [{ table: op.table, schema: op.schema, column: op.column.name, type: op.column.type }];
    case 'AlterColumn':
      return op.changes.type ? [{ table: op.table, schema: op.schema, column: op.column, type: op.changes.type }] : [];
    default:
      return [];
  }
}

/**
 * Comments above an op for each column type it declares that the database gets as another type
 * (`ctx.typeSubstitutions`): `// WARNING: column 'at': timestamptz becomes datetime: …` when that
 * loses something or fails, `// Note: …` when it keeps the meaning.
 */
function typeComments(op: Op | BatchInnerOp, ctx: RenderContext): Statement[] {
  if (ctx.typeSubstitutions.length === 0) return [];
  return declaredColumns(op).flatMap(({ table, schema, column, type }): Statement[] => {
    const declared = formatColumnType(type);
    const found = ctx.typeSubstitutions.find((s) => s.table === table && s.schema === schema && s.column === column && formatColumnType(s.type) === declared);
    if (!found) return [];
    return [{ kind: 'comment', text: `${found.effect === 'note' ? 'Note' : 'WARNING'}: column ${printString(column)}: ${typeSubstitutionText(found)}.` }];
  });
}

function batchStatements(batch: { kind: 'BatchAlterTable'; table: string; schema?: string }, inner: BatchInnerOp, ctx: RenderContext): Statement[] {
  knownFields(inner.kind, inner, OP_FIELDS[inner.kind], 'an op');
  if (inner.table !== batch.table || inner.schema !== batch.schema) {
    throw new RenderError(
      batch.kind,
      `Cannot render a batch on '${batch.table}' holding a ${inner.kind} op on '${inner.table}': every op of a batch is on the batch's table.`,
    );
  }
  const call = (batchTable(ctx)[inner.kind] as (o: BatchInnerOp) => Call)(inner);
  return [...dataLossComment(inner, ctx), ...failingOpComment(inner), ...typeComments(inner, ctx), { kind: 'expression', expression: { kind: 'call', callee: `batch.${call.method}`, args: call.args } }];
}

/**
 * The statements of one op: a data-loss comment when it loses data, then `await op.xxx(…);`.
 * For the renderer's own use (the revision body prints them all at once).
 * @throws {@link RenderError} as {@link renderOp}.
 */
export function opStatements(op: Op, ctx: RenderContext): Statement[] {
  knownFields(op.kind, op, OP_FIELDS[op.kind], 'an op');
  const call = dispatchOp(topLevelTable(ctx), op);
  return [...dataLossComment(op, ctx), ...failingOpComment(op), ...typeComments(op, ctx), ...copyFromComment(op), { kind: 'expression', await: true, expression: { kind: 'call', callee: `op.${call.method}`, args: call.args } }];
}

/** What a batch's `copyFrom` is for, above the call: it is easily mistaken for a change. */
function copyFromComment(op: Op): Statement[] {
  if (op.kind !== 'BatchAlterTable' || !op.options.copyFrom) return [];
  return [
    {
      kind: 'comment',
      text:
        `copyFrom: '${op.table}' as it is before this batch, for offline mode (--sql), which cannot know it from ` +
        'earlier revisions. Online the live table is read instead. Keep it accurate if you edit this revision.',
    },
  ];
}

/**
 * Renders one op object as the `op.*` call that rebuilds it (Alembic's `render_op`), formatted
 * as Prettier prints it with the project's settings (single quotes, trailing commas, width 100):
 * `await op.addColumn('Invoice', { name: 'Currency', type: 'varchar(3)' });`.
 *
 * Every field is written out: constraint and index names (so the file does not depend on the
 * naming convention when it runs), `existing…` fields of drops and alters (so the file is
 * reversible and works offline), column types as their canonical strings (an enum as
 * `enumType(…)`, whose import is recorded in `ctx`). A `batchAlterTable` renders its inner ops as
 * `batch.*` calls in the callback. An op that loses data when it runs (a dropped table or column,
 * a narrowing type change) gets a `// Data loss: …` comment line above it; an op that fails on a
 * table with rows (an `addColumn` of a NOT NULL column without a server default) or with a NULL in
 * the column (an `alterColumn` to NOT NULL) a `// WARNING: …` comment saying what to do instead; a `batchAlterTable` with `copyFrom` a `// copyFrom: …`
 * comment saying what it is for.
 *
 * @param op - any op object.
 * @param ctx - the render context of the file (print width, imports); default: a new one.
 * @returns the lines, unindented, joined with `\n`, fitted to `ctx.printWidth` less `ctx.indent`.
 * @throws {@link RenderError} when the op holds something the `op` facade cannot express (a field
 *   it has no argument for, a value with no source form such as a function, an inner op of a batch
 *   on another table, an `alterColumn` that changes nothing).
 * @example
 * ```ts
 * renderOp({ kind: 'RenameColumn', table: 'Invoice', column: 'Total', newName: 'Amount' });
 * // "await op.renameColumn('Invoice', 'Total', 'Amount');"
 * ```
 */
export function renderOp(op: Op, ctx: RenderContext = new RenderContext()): string {
  return printStatements(opStatements(op, ctx), ctx.width);
}

