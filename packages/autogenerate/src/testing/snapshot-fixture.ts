import {
  DEFAULT_CAPABILITIES,
  DEFAULT_COMPARATOR,
  DEFAULT_NAMING_CONVENTION,
  freezeDeep,
  parseColumnType,
  reverseOp,
  tableFromInput,
  type ColumnInput,
  type ColumnSnapshot,
  type DatabaseSnapshot,
  type DialectCapabilities,
  type EnumSnapshot,
  type Op,
  type SchemaObjectSnapshot,
  type TableOptions,
  type TableSnapshot,
} from '@multidb/core';
import type { CompareOptions } from '../compare/compare-options.js';

/**
 * Literal snapshots for the comparison's tests (no database): tables built as models build them
 * ({@link model}) or written out as introspection reports them ({@link reflected}).
 */

/** Capabilities of a fully capable dialect without named enums (the defaults). */
export const PLAIN: DialectCapabilities = DEFAULT_CAPABILITIES;
/** Capabilities like PostgreSQL's: named enum types. */
export const POSTGRES_LIKE: DialectCapabilities = Object.freeze({ ...DEFAULT_CAPABILITIES, namedEnums: true, identityGeneration: true });
/** Capabilities like MySQL's: InnoDB indexes foreign keys. */
export const MYSQL_LIKE: DialectCapabilities = Object.freeze({ ...DEFAULT_CAPABILITIES, foreignKeyIndexes: true });
/** Capabilities like SQLite's: no ALTER for columns or constraints, no comments, no index rename. */
export const SQLITE_LIKE: DialectCapabilities = Object.freeze({ ...DEFAULT_CAPABILITIES, alterColumn: false, alterConstraints: false, comments: false, renameIndex: false });

/** Options with the default comparator and naming convention. */
export function options(overrides: Partial<CompareOptions> = {}): CompareOptions {
  return { comparator: DEFAULT_COMPARATOR, capabilities: PLAIN, namingConvention: DEFAULT_NAMING_CONVENTION, ...overrides };
}

/** A table as `resolveModels` builds it (unnamed table-level constraints named by the convention). */
export function model(name: string, columns: readonly ColumnInput[], tableOptions: TableOptions = {}): TableSnapshot {
  return tableFromInput(name, columns, tableOptions, DEFAULT_NAMING_CONVENTION);
}

/** A column as introspection reports it: `col('id', 'integer', { nullable: false })`. */
export function col(name: string, type: string, rest: Partial<Omit<ColumnSnapshot, 'name' | 'type'>> = {}): ColumnSnapshot {
  return { name, type: parseColumnType(type), nullable: true, ...rest };
}

/** A table as introspection reports it: empty constraint lists unless given. */
export function reflected(name: string, columns: readonly ColumnSnapshot[], rest: Partial<Omit<TableSnapshot, 'name' | 'columns'>> = {}): TableSnapshot {
  return { name, columns, foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [], ...rest };
}

/** A deep-frozen database snapshot (a mutation of it throws). */
export function db(tables: readonly TableSnapshot[], enums: readonly EnumSnapshot[] = [], objects: readonly SchemaObjectSnapshot[] = []): DatabaseSnapshot {
  return freezeDeep(structuredClone({ tables: [...tables], enums: [...enums], objects: [...objects] }));
}

/** The kinds of a list of ops, with the table or name each is about: `'AddColumn user'`. */
export function summary(ops: readonly Op[]): string[] {
  return ops.map((op) => {
    switch (op.kind) {
      case 'CreateTable':
        return `CreateTable ${op.table.name}`;
      case 'CreateEnum':
      case 'DropEnum':
        return `${op.kind} ${op.name}`;
      case 'AddEnumValue':
        return `AddEnumValue ${op.name} ${op.value}`;
      case 'Execute':
        return 'Execute';
      case 'BatchAlterTable':
        return `BatchAlterTable ${op.table} [${op.ops.map((o) => o.kind).join(', ')}]`;
      case 'CreateForeignKey':
      case 'CreateUniqueConstraint':
      case 'CreateCheckConstraint':
      case 'CreatePrimaryKey':
      case 'DropConstraint':
      case 'DropIndex':
        return `${op.kind} ${op.table} ${op.name}`;
      case 'CreateIndex':
        return `CreateIndex ${op.table} ${op.index.name}`;
      case 'AddColumn':
        return `AddColumn ${op.table}.${op.column.name}`;
      case 'DropColumn':
      case 'AlterColumn':
        return `${op.kind} ${op.table}.${op.column}`;
      case 'RenameColumn':
        return `RenameColumn ${op.table}.${op.column} -> ${op.newName}`;
      case 'RenameTable':
        return `RenameTable ${op.table} -> ${op.newName}`;
      case 'RenameIndex':
        return `RenameIndex ${op.table} ${op.name} -> ${op.newName}`;
      default:
        return `${op.kind} ${op.table}`;
    }
  });
}

/** The downgrade of a list of ops: each reversed, in reverse order. */
export function downgrade(ops: readonly Op[]) {
  return [...ops].reverse().map(reverseOp);
}
