import { formatColumnType, type ColumnType, type DatabaseSnapshot, type DeclaredType, type Dialect, type Op, type Statement, type UnknownType } from '@multidb/core';

/**
 * The column types a revision's ops declare: every column of a created table, an added column, a
 * column's new type (top level or in a batch). An enum type the models declare is left out (the
 * revision creates it, or the database has it), and so is a plain name (or an array of it, `mood[]`)
 * of an enum the models declare or a `CreateEnum` op of the same ops creates. A column added to an existing table is `strict` when the models' table is.
 * Pure.
 *
 * @param ops - the upgrade ops.
 * @param models - the models, resolved for the bind's dialect (for the tables' `strict`).
 * @returns one entry per column and type, in op order.
 * @example
 * ```ts
 * // resolved: the models, resolved for the bind's dialect
 * const types = (resolved: DatabaseSnapshot) =>
 *   declaredTypes([{ kind: 'AddColumn', table: 'note', column: { name: 'body', type: parseColumnType('string'), nullable: true } }], resolved);
 * // [{ table: 'note', column: 'body', type: { name: 'string', … } }]
 * ```
 */
export function declaredTypes(ops: readonly Op[], models: DatabaseSnapshot): DeclaredType[] {
  // Enums the models declare (the revision creates them, or the database has them) and those the ops create.
  const created = new Set([...models.enums.map((e) => `${e.schema ?? ''}.${e.name}`), ...ops.flatMap((op) => (op.kind === 'CreateEnum' ? [`${op.schema ?? ''}.${op.name}`] : []))]);
  return opColumnTypes(ops, models).filter(({ type, schema }) => type.enumName === undefined && !(type.args.length === 0 && created.has(`${schema ?? ''}.${type.name}`)));
}

/**
 * Every column type a revision's ops declare, enum types included (see {@link declaredTypes},
 * which leaves those out): every column of a created table, an added column, a column's new type
 * (top level or in a batch). Pure.
 * @param ops - the upgrade ops.
 * @param models - the models, resolved for the bind's dialect (for the tables' `strict`).
 * @returns one entry per column and type, in op order.
 */
export function opColumnTypes(ops: readonly Op[], models: DatabaseSnapshot): DeclaredType[] {
  const strictTable = (table: string, schema: string | undefined) => models.tables.some((t) => t.name === table && t.schema === schema && t.strict === true);
  const out: DeclaredType[] = [];
  const add = (table: string, schema: string | undefined, column: string, type: ColumnType, strict: boolean) => {
    out.push({ table, ...(schema === undefined ? {} : { schema }), column, type, ...(strict ? { strict: true } : {}) });
  };
  const visit = (op: Op) => {
    switch (op.kind) {
      case 'CreateTable':
        for (const c of op.table.columns) add(op.table.name, op.table.schema, c.name, c.type, op.table.strict === true);
        return;
      case 'AddColumn':
        add(op.table, op.schema, op.column.name, op.column.type, strictTable(op.table, op.schema));
        return;
      case 'AlterColumn':
        if (op.changes.type) add(op.table, op.schema, op.column, op.changes.type, strictTable(op.table, op.schema));
        return;
      case 'BatchAlterTable':
        for (const inner of op.ops) visit({ ...inner, table: op.table, ...(op.schema === undefined ? {} : { schema: op.schema }) } as Op);
        return;
      default:
        return;
    }
  };
  for (const op of ops) visit(op);
  return out;
}

/**
 * One warning line for a type the database does not know, naming the bind, the table, the
 * column and the type (and how the dialect writes it, when that differs).
 * @example
 * ```ts
 * unknownTypeLine('app', { table: 'note', column: 'body', type: parseColumnType('string'), rendered: 'string', reason: 'PostgreSQL has no such type' });
 * // "[app] Unknown type 'string' for column 'body' of table 'note': PostgreSQL has no such type."
 * ```
 */
export function unknownTypeLine(bind: string, unknown: UnknownType): string {
  const declared = formatColumnType(unknown.type);
  const written = unknown.rendered.toLowerCase() === declared.toLowerCase() ? '' : ` (written '${unknown.rendered}')`;
  const table = unknown.schema === undefined ? unknown.table : `${unknown.schema}.${unknown.table}`;
  return `[${bind}] Unknown type '${declared}'${written} for column '${unknown.column}' of table '${table}': ${unknown.reason}.`;
}

/**
 * The warnings about the column types of a revision's ops that the bind's database does not know
 * (see `Dialect.unknownTypes`): a warning, never a refusal, since a type an extension or a raw
 * `op.execute` creates is unknown until the revision runs. A dialect without the check warns of
 * nothing.
 *
 * @param bind - the bind, named in each line.
 * @param dialect - the bind's dialect.
 * @param ops - the upgrade ops.
 * @param models - the models, resolved for the dialect.
 * @param execute - runs a catalog query on the bind's database; omitted (no database yet): what
 *   the dialect can tell without one.
 * @returns one line per unknown column type, in op order.
 * @throws the driver's error when the database cannot be asked.
 * @example
 * ```ts
 * // resolved: the models, resolved for the bind's dialect; ops: the revision's upgrade ops
 * const warn = (resolved: DatabaseSnapshot, ops: Op[]): Promise<string[]> =>
 *   unknownTypeWarnings('app', conn.dialect, ops, resolved, (s) => conn.execute(s));
 * ```
 */
export async function unknownTypeWarnings(
  bind: string,
  dialect: Dialect,
  ops: readonly Op[],
  models: DatabaseSnapshot,
  execute?: (statement: Statement) => Promise<readonly Record<string, unknown>[]>,
): Promise<string[]> {
  if (!dialect.unknownTypes) return [];
  const types = declaredTypes(ops, models);
  if (types.length === 0) return [];
  return (await dialect.unknownTypes(types, execute)).map((u) => unknownTypeLine(bind, u));
}
