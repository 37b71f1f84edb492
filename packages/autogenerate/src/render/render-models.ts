import {
  checkConstraintName,
  conventionalName,
  indexColumnName,
  type ColumnSnapshot,
  type DatabaseSnapshot,
  type EnumSnapshot,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type NamingConvention,
  type TableSnapshot,
} from '@multidb/core';
import { printStatements, type Code, type Statement } from './code-printer.js';
import { columnTypeCode } from './column-type-code.js';
import { RenderContext } from './render-context.js';
import { foreignKeyEntries, indexColumnsCode } from './schema-code.js';
import { objectCode, stringCode, stringsCode, valueCode } from './value-code.js';

/** Options of {@link renderModels}. */
export interface RenderModelsOptions {
  /** Print width of the module, in columns (default 100, the project's Prettier width). */
  readonly printWidth?: number;
  /**
   * A comment for the top of the module (e.g. where the models were read from); one `//` line
   * per line of text. Default: none.
   */
  readonly header?: string;
}

type Entries = (readonly [string, Code | undefined])[];

const str = stringCode;
const optStr = (value: string | undefined): Code | undefined => (value === undefined ? undefined : str(value));
const yes = (value: boolean | undefined): Code | undefined => (value ? { kind: 'boolean', value: true } : undefined);
const NULL: Code = { kind: 'raw', text: 'null' };
const list = <T>(items: readonly T[] | undefined, code: (item: T) => Code): Code | undefined =>
  items && items.length > 0 ? { kind: 'array', elements: items.map(code) } : undefined;

/**
 * The `name` entry of a constraint or index: left out when the naming convention gives the same
 * name (the models then read as a person would write them), `null` when the database keeps the
 * object unnamed (SQLite), the database's own name otherwise (so nothing is renamed).
 */
function nameCode(name: string | undefined, conventional: string): Code | undefined {
  if (name === undefined) return NULL;
  return name === conventional ? undefined : str(name);
}

function enumKey(name: string, schema: string | undefined): string {
  return `${schema ?? ''}.${name}`;
}

/** A column's type: the name of an enum the module declares, or the type's source form. */
function typeCode(column: ColumnSnapshot, table: TableSnapshot, enums: ReadonlyMap<string, EnumSnapshot>, ctx: RenderContext): Code {
  const type = column.type;
  if (type.enumName !== undefined && !type.array) {
    const declared = enums.get(enumKey(type.enumName, table.schema)) ?? enums.get(enumKey(type.enumName, undefined));
    if (declared && declared.values.length === type.args.length && declared.values.every((v, i) => v === type.args[i])) return str(type.enumName);
  }
  return columnTypeCode(type, ctx);
}

function columnCode(column: ColumnSnapshot, table: TableSnapshot, enums: ReadonlyMap<string, EnumSnapshot>, ctx: RenderContext): Code {
  const r = column.references;
  const entries: Entries = [
    ['name', str(column.name)],
    ['type', typeCode(column, table, enums, ctx)],
    // `nullable` defaults to true, false for a column-level primary key.
    ['nullable', column.nullable === !column.primaryKey ? undefined : { kind: 'boolean', value: column.nullable }],
    ['primaryKey', yes(column.primaryKey)],
    ['autoincrement', column.autoincrement === 'always' ? str('always') : yes(column.autoincrement)],
    ['unique', yes(column.unique)],
    ['default', column.default === undefined ? undefined : valueCode(column.default, 'models', `the default of column '${table.name}.${column.name}'`)],
    ['comment', optStr(column.comment)],
    ['collation', optStr(column.collation)],
    ['onUpdate', optStr(column.onUpdate)],
    [
      'generated',
      column.generated ? objectCode([['sql', str(column.generated.sql)], ['stored', { kind: 'boolean', value: column.generated.stored }]]) : undefined,
    ],
    [
      'references',
      r
        ? r.onDelete === undefined && r.onUpdate === undefined && !r.column.includes('.')
          ? str(`${r.table}.${r.column}`)
          : objectCode([
              ['table', str(r.table)],
              ['column', str(r.column)],
              ['onDelete', optStr(r.onDelete)],
              ['onUpdate', optStr(r.onUpdate)],
            ])
        : undefined,
    ],
  ];
  return objectCode(entries);
}

function foreignKeyCode(fk: ForeignKeySnapshot, table: string, convention: NamingConvention): Code {
  return objectCode([
    ['name', nameCode(fk.name, conventionalName(convention, 'fk', { table, columns: fk.columns, referredTable: fk.referredTable }))],
    ...foreignKeyEntries(fk),
  ]);
}

function indexCode(index: IndexSnapshot, table: string, convention: NamingConvention): Code {
  const conventional = conventionalName(convention, 'ix', { table, columns: index.columns.map((c) => indexColumnName(c) ?? 'expr') });
  return objectCode([
    ['name', index.name === conventional ? undefined : str(index.name)],
    ['columns', indexColumnsCode(index.columns)],
    ['unique', yes(index.unique)],
    ['where', optStr(index.where)],
    ['method', optStr(index.method)],
    ['include', index.include?.length ? stringsCode(index.include) : undefined],
    ['nullsNotDistinct', index.nullsNotDistinct ? yes(true) : undefined],
  ]);
}

function tableCode(table: TableSnapshot, convention: NamingConvention, enums: ReadonlyMap<string, EnumSnapshot>, ctx: RenderContext): Code {
  const t = table.name;
  const pk = table.primaryKey;
  let primaryKey: Code | undefined;
  if (pk) {
    // An unnamed key (MySQL calls every one PRIMARY; SQLite often keeps none) is written as its
    // columns: the comparison ignores primary-key names, and a new table gets the convention's.
    const name = pk.name === undefined ? undefined : nameCode(pk.name, conventionalName(convention, 'pk', { table: t, columns: pk.columns }));
    const descending = pk.descending?.length ? stringsCode(pk.descending) : undefined;
    primaryKey =
      name === undefined && descending === undefined ? stringsCode(pk.columns) : objectCode([['name', name], ['columns', stringsCode(pk.columns)], ['descending', descending]]);
  }
  return objectCode([
    ['name', str(t)],
    ['schema', optStr(table.schema)],
    ['comment', optStr(table.comment)],
    ['columns', { kind: 'array', elements: table.columns.map((c) => columnCode(c, table, enums, ctx)) }],
    ['primaryKey', primaryKey],
    ['foreignKeys', list(table.foreignKeys, (fk) => foreignKeyCode(fk, t, convention))],
    [
      'uniqueConstraints',
      list(table.uniqueConstraints, (u) => {
        const name = nameCode(u.name, conventionalName(convention, 'uq', { table: t, columns: u.columns }));
        if (name === undefined && !u.nullsNotDistinct) return stringsCode(u.columns);
        return objectCode([
          ['name', name],
          ['columns', stringsCode(u.columns)],
          ['nullsNotDistinct', u.nullsNotDistinct ? yes(true) : undefined],
        ]);
      }),
    ],
    [
      'checkConstraints',
      list(table.checkConstraints, (c) =>
        objectCode([
          ['name', nameCode(c.name, checkConstraintName(convention, t, undefined, c.expression))],
          ['expression', str(c.expression)],
        ]),
      ),
    ],
    ['indexes', list(table.indexes, (ix) => indexCode(ix, t, convention))],
    ['strict', yes(table.strict)],
    ['withoutRowid', yes(table.withoutRowid)],
  ]);
}

/**
 * Writes a database snapshot as a models module (the `defineModels` format a bind's `models`
 * setting names): the first step of adopting an existing database. Pure.
 *
 * The module declares every table and enum of the snapshot as the database has them, so that
 * comparing it with the same database finds nothing to do. Constraint and index names the naming
 * convention would give are left out (the models read as a person would write them); names that
 * differ are written out, so nothing is renamed; constraints the database keeps unnamed (SQLite)
 * are written `name: null`. Views, triggers and other objects autogenerate does not manage are
 * listed in a comment at the top. SQLite's `dependents` (what a rebuild recreates) are not part
 * of a table's shape and are left out.
 *
 * @param snapshot - the database, as `DialectConnection.introspect()` reads it.
 * @param convention - the project's naming convention (`env.namingConvention`).
 * @param options - print width, a header comment.
 * @returns the module's source, formatted as Prettier (`singleQuote: true`, width 100) would,
 *   ending with a newline.
 * @throws `RenderError` for a column default that has no source form (none that introspection
 *   reads).
 * @example
 * ```ts
 * import { DEFAULT_NAMING_CONVENTION, parseColumnType } from '@multidb/core';
 * import { renderModels } from '@multidb/autogenerate';
 * const source = renderModels(
 *   {
 *     tables: [
 *       {
 *         name: 'Genre',
 *         columns: [{ name: 'GenreId', type: parseColumnType('integer'), nullable: false, primaryKey: true }],
 *         foreignKeys: [],
 *         uniqueConstraints: [],
 *         checkConstraints: [],
 *         indexes: [],
 *       },
 *     ],
 *     enums: [],
 *     objects: [],
 *   },
 *   DEFAULT_NAMING_CONVENTION,
 * );
 * // import { defineModels } from '@multidb/core';
 * //
 * // export default defineModels({
 * //   tables: [{ name: 'Genre', columns: [{ name: 'GenreId', type: 'integer', primaryKey: true }] }],
 * // });
 * ```
 */
export function renderModels(snapshot: DatabaseSnapshot, convention: NamingConvention, options: RenderModelsOptions = {}): string {
  const ctx = new RenderContext({ printWidth: options.printWidth ?? 100, indent: 0 });
  ctx.addImport('defineModels', '@multidb/core');
  const enums = new Map(snapshot.enums.map((e) => [enumKey(e.name, e.schema), e]));
  const definition = objectCode([
    [
      'enums',
      list(snapshot.enums, (e) =>
        objectCode([
          ['name', str(e.name)],
          ['schema', optStr(e.schema)],
          ['values', stringsCode(e.values)],
        ]),
      ),
    ],
    ['tables', { kind: 'array', elements: snapshot.tables.map((t) => tableCode(t, convention, enums, ctx)) }],
  ]);
  const comments: Statement[] = [];
  if (options.header) comments.push({ kind: 'comment', text: options.header });
  if (snapshot.objects.length > 0) {
    const objects = snapshot.objects.map((o) => `${o.type} ${o.schema ? `${o.schema}.` : ''}${o.name}`).join(', ');
    comments.push({ kind: 'comment', text: `Not models (autogenerate leaves them alone): ${objects}.` });
  }
  // `export default defineModels({…})`, printed as a call whose callee is the whole head: the
  // printer then measures the first line with its `export default` prefix.
  const body: Statement = { kind: 'expression', expression: { kind: 'call', callee: 'export default defineModels', args: [definition] } };
  const width = ctx.printWidth;
  const parts = [ctx.imports(), ...(comments.length ? [printStatements(comments, width)] : []), printStatements([body], width)];
  return `${parts.join('\n\n')}\n`;
}
