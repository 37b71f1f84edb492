import { SchemaUnknownError, type AlterColumnOp, type ColumnSnapshot, type Statement, type TableSnapshot } from '@multidb/core';
import { mysqlColumnDefinition, mysqlDefault, mysqlName } from './mysql-column-definition.js';
import { renderMysqlType } from './mysql-type-map.js';
import type { ColumnType } from '@multidb/core';
import type { MysqlFlavour } from './mysql-url.js';

/**
 * Compiles `AlterColumn` for MySQL/MariaDB.
 *
 * - Only the default and/or the name change: `ALTER TABLE t ALTER COLUMN c SET DEFAULT …`
 *   (`DROP DEFAULT` for `default: null`), then `ALTER TABLE t RENAME COLUMN c TO n` (two
 *   statements: MariaDB refuses both clauses on one column in one ALTER TABLE).
 * - The type, nullability, comment, `ON UPDATE` or collation change: MySQL restates the whole column, so the
 *   statement is `ALTER TABLE t MODIFY COLUMN c <type> NULL|NOT NULL [DEFAULT …] [ON UPDATE …]
 *   [AUTO_INCREMENT] [COMMENT …]` (`CHANGE COLUMN c n …` when renaming too), built from `changes` merged over the
 *   column's current definition. That definition comes from the table's snapshot when one is
 *   given (online, the runner reads it from the database: it then wins over `existing`), else
 *   from the op's `existing` fields (offline). The restated column keeps what MODIFY would
 *   otherwise change: ENUM/SET members as they are (case included), `ON UPDATE` (while the column
 *   stays DATETIME/TIMESTAMP), the collation (and so the charset), the comment, the default,
 *   AUTO_INCREMENT and a generated expression (offline: `existing.generated`; without it a STORED
 *   generated column would become a plain one). A default, comment, AUTO_INCREMENT or ON UPDATE
 *   missing from both is taken as absent, as MySQL would, and a collation missing from both is
 *   the table's default (offline, `existing.collation` is all there is: autogenerate writes it).
 *   Restated without the table's shape, the statement's `note` (a comment above it in an offline
 *   script) says which of these it took as absent.
 *
 * @param op - the op.
 * @param snapshot - the table's current shape, if known.
 * @param flavour - `'mysql' | 'mariadb'`.
 * @returns the statements (one, or two for a default change with a rename).
 * @throws {@link SchemaUnknownError} (an `OperationError`) naming the `existing…` field to pass when the current type or
 *   nullability is needed and unknown.
 * @example
 * ```ts
 * compileMysqlAlterColumn(
 *   { kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { nullable: false }, existing: { type: parseColumnType('numeric(10,2)'), default: 0 } },
 *   undefined,
 *   'mysql',
 * );
 * // [{ sql: 'ALTER TABLE `Invoice` MODIFY COLUMN `Total` decimal(10,2) NOT NULL DEFAULT 0', parameters: [] }]
 * ```
 */
export function compileMysqlAlterColumn(op: AlterColumnOp, snapshot: TableSnapshot | undefined, flavour: MysqlFlavour): Statement[] {
  const { changes, existing } = op;
  const table = mysqlName(op.table, op.schema);
  const current = snapshot?.columns.find((c) => c.name === op.column) ?? snapshot?.columns.find((c) => c.name.toLowerCase() === op.column.toLowerCase());
  const restate = changes.type !== undefined || changes.nullable !== undefined || changes.comment !== undefined || changes.onUpdate !== undefined || changes.collation !== undefined;

  if (!restate) {
    // Two statements: MariaDB refuses ALTER COLUMN and RENAME COLUMN of one column in one ALTER TABLE.
    const statements: Statement[] = [];
    if (changes.default !== undefined) {
      const knownType = current?.type ?? existing.type;
      const clause =
        changes.default === null
          ? `ALTER COLUMN ${mysqlName(op.column)} DROP DEFAULT`
          : `ALTER COLUMN ${mysqlName(op.column)} SET DEFAULT ${mysqlDefault(changes.default, knownType ? renderMysqlType(knownType) : '', flavour)}`;
      statements.push({ sql: `ALTER TABLE ${table} ${clause}`, parameters: [] });
    }
    if (changes.newName !== undefined) {
      statements.push({ sql: `ALTER TABLE ${table} RENAME COLUMN ${mysqlName(op.column)} TO ${mysqlName(changes.newName)}`, parameters: [] });
    }
    return statements;
  }

  const call = `alterColumn('${op.table}', '${op.column}', …)`;
  const type = changes.type ?? current?.type ?? existing.type;
  if (type === undefined) {
    throw new SchemaUnknownError(
      op.table,
      'existing.type',
      `${call} on MySQL restates the whole column (MODIFY COLUMN) and needs its current type: pass existing: { type: '…' } ` +
        `(e.g. existing: { type: 'varchar(40)', nullable: true }).`,
    );
  }
  const nullable = changes.nullable ?? current?.nullable ?? existing.nullable;
  if (nullable === undefined) {
    throw new SchemaUnknownError(
      op.table,
      'existing.nullable',
      `${call} on MySQL restates the whole column (MODIFY COLUMN) and needs to know whether it is nullable: pass existing: { nullable: true } or { nullable: false } ` +
        `(without it, MySQL would make the column nullable).`,
    );
  }
  const was: Partial<ColumnSnapshot> = current ?? {
    default: existing.default,
    comment: existing.comment ?? undefined,
    autoincrement: existing.autoincrement,
    ...(existing.onUpdate !== undefined ? { onUpdate: existing.onUpdate } : {}),
    ...(existing.collation !== undefined ? { collation: existing.collation } : {}),
  };
  const dflt = changes.default !== undefined ? changes.default : was.default;
  const comment = changes.comment !== undefined ? changes.comment : was.comment;
  const column: { -readonly [K in keyof ColumnSnapshot]: ColumnSnapshot[K] } = { name: changes.newName ?? op.column, type, nullable };
  // `default: null` (a NULL default, or DROP DEFAULT in `changes`) is written as no default.
  if (dflt !== undefined && dflt !== null) column.default = dflt;
  if (comment) column.comment = comment;
  if (was.autoincrement) column.autoincrement = true;
  // Restate what MODIFY would otherwise drop: collation, ON UPDATE (kept while the column stays
  // a date-time type), generated expression.
  if (changes.collation !== undefined) {
    if (changes.collation !== null) column.collation = changes.collation;
  } else if (was.collation && (changes.type === undefined || isTextType(type))) column.collation = was.collation;
  if (changes.onUpdate !== undefined) {
    if (changes.onUpdate !== null) column.onUpdate = changes.onUpdate;
  } else if (was.onUpdate && isDateTimeType(type)) column.onUpdate = was.onUpdate;
  const generated = current ? current.generated : existing.generated;
  if (generated) column.generated = generated;
  const definition = mysqlColumnDefinition(column, { flavour });
  const note = current ? undefined : restatedNote(op, type);
  return [
    {
      sql:
        changes.newName !== undefined
          ? `ALTER TABLE ${table} CHANGE COLUMN ${mysqlName(op.column)} ${definition}`
          : `ALTER TABLE ${table} MODIFY COLUMN ${definition}`,
      parameters: [],
      ...(note ? { note } : {}),
    },
  ];
}

/**
 * What a column restated without its table's shape (offline, a table the script did not make) was
 * taken to be, where neither the change nor `existing` says: no default, no comment, no
 * AUTO_INCREMENT (an integer), no ON UPDATE (a date-time) and the table's default collation (a
 * text type), as MODIFY COLUMN then writes it; online these are read from the database. `undefined`
 * when `existing` and the change give all that applies.
 */
function restatedNote(op: AlterColumnOp, type: ColumnType): string | undefined {
  const { changes, existing } = op;
  const rendered = renderMysqlType(type).replace(/\(.*$/, '');
  // [what was taken, the existing field that would say otherwise]
  const taken: [string, string][] = [];
  // A generated column has no default, AUTO_INCREMENT or ON UPDATE.
  const plain = existing.generated === undefined;
  if (plain && changes.default === undefined && existing.default === undefined) taken.push(['no default', 'default']);
  if (changes.comment === undefined && existing.comment === undefined) taken.push(['no comment', 'comment']);
  if (plain && existing.autoincrement === undefined && /int$/.test(rendered)) taken.push(['no AUTO_INCREMENT', 'autoincrement']);
  if (plain && changes.onUpdate === undefined && existing.onUpdate === undefined && isDateTimeType(type)) taken.push(['no ON UPDATE', 'onUpdate']);
  if (changes.collation === undefined && existing.collation === undefined && isTextType(type)) taken.push(["the table's default collation", 'collation']);
  if (taken.length === 0) return undefined;
  return (
    `The shape of ${mysqlName(op.table, op.schema)} is not known here: ${mysqlName(op.column)} is restated from the op's existing fields and taken\n` +
    `to have ${taken.map(([what]) => what).join(', ')} (an online run reads them from the database); if it has, pass existing.${taken.map(([, field]) => field).join('/')}.`
  );
}

function isDateTimeType(type: ColumnType): boolean {
  return /^(datetime|timestamp)$/.test(renderMysqlType(type).replace(/\(.*$/, ''));
}

function isTextType(type: ColumnType): boolean {
  return /char|text|enum|set/.test(renderMysqlType(type).replace(/\(.*$/, ''));
}
