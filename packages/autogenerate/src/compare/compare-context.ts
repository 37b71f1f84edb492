import {
  checkConstraintName,
  conventionalName,
  type CheckConstraintSnapshot,
  type ColumnSnapshot,
  type ColumnType,
  type DefaultValue,
  type DialectCapabilities,
  type NamingConvention,
  type SchemaComparator,
} from '@multidb/core';
import type { CompareOptions } from './compare-options.js';
import { IncludeFilter } from './include-filter.js';
import type { ForeignKeyDefinition, KeyDefinition, UniqueDefinition } from './normalized-table.js';

/** Where a table lives, as ops name it. */
export interface TableRef {
  readonly table: string;
  readonly schema?: string;
}

/** `{ table }` or `{ table, schema }`: ops carry no `schema: undefined`. */
export function tableRef(table: string, schema: string | undefined): TableRef {
  return schema === undefined ? { table } : { table, schema };
}

/** `schema.table`, or `table` in the default schema: how lines and warnings name a table. */
export function tableLabel(table: string, schema: string | undefined): string {
  return schema === undefined ? table : `${schema}.${table}`;
}

/** The key of a table or enum in maps: schema and name. */
export function objectKey(name: string, schema: string | undefined): string {
  return `${schema ?? ''}\u0000${name}`;
}

/**
 * The state of one comparison: options, hooks, the dialect's canonical forms (remembered), names
 * of unnamed constraints, and the warnings collected so far.
 */
export class CompareContext {
  readonly comparator: SchemaComparator;
  readonly capabilities: DialectCapabilities;
  readonly convention: NamingConvention;
  readonly options: CompareOptions;
  readonly include: IncludeFilter;
  /** SQLite-style dialects: each table's changes go in one `BatchAlterTable`. */
  readonly batch: boolean;
  readonly warnings: string[] = [];
  /** The warnings (also in {@link warnings}) that the rendered revision carries too. */
  readonly revisionWarnings: string[] = [];
  readonly #types = new WeakMap<ColumnType, string>();
  readonly #expressions = new Map<string, string>();

  constructor(options: CompareOptions) {
    this.options = options;
    this.comparator = options.comparator;
    this.capabilities = options.capabilities;
    this.convention = options.namingConvention;
    this.include = new IncludeFilter(options);
    this.batch = options.capabilities.alterColumn === false || options.capabilities.alterConstraints === false;
  }

  /** Comments are compared only where the database keeps them. */
  get comments(): boolean {
    return this.capabilities.comments !== false;
  }

  /**
   * Records a warning (once).
   * @param text - the warning.
   * @param options - `inRevision`: the rendered revision carries it too (the upgrade as rendered
   *   is expected to fail, or needs a hand before it runs).
   */
  warn(text: string, options: { readonly inRevision?: boolean } = {}): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
    if (options.inRevision && !this.revisionWarnings.includes(text)) this.revisionWarnings.push(text);
  }

  /**
   * The canonical text of a type: the dialect's, except that a named enum on a dialect with enum
   * types compares by its name (its members are compared as the enum's). With `column`, the
   * dialect may reduce the type by what the column is (SQLite: an AUTOINCREMENT `bigint` key is
   * `integer`), and with a `strict` table by what such a table declares (SQLite STRICT:
   * `varchar(20)` is `text`); such keys are not remembered per type.
   */
  typeKey(type: ColumnType, column?: ColumnSnapshot, table?: { readonly strict?: boolean }): string {
    if ((column?.autoincrement || table?.strict) && !(this.capabilities.namedEnums && type.enumName !== undefined)) {
      return this.comparator.canonicalType(type, column, table?.strict ? { strict: true } : undefined);
    }
    let key = this.#types.get(type);
    if (key === undefined) {
      key =
        this.capabilities.namedEnums && type.enumName !== undefined
          ? `${type.enumName}${type.array ? '[]' : ''}`
          : this.comparator.canonicalType(type);
      this.#types.set(type, key);
    }
    return key;
  }

  /**
   * The canonical text of an SQL expression (remembered); `table`: the table a check or a partial
   * index's `WHERE` belongs to (see the comparator's `canonicalExpression`).
   */
  expression(sql: string, table?: string): string {
    const memo = table === undefined ? sql : `${table}\u0000${sql}`;
    let key = this.#expressions.get(memo);
    if (key === undefined) {
      key = table === undefined ? this.comparator.canonicalExpression(sql) : this.comparator.canonicalExpression(sql, table);
      this.#expressions.set(memo, key);
    }
    return key;
  }

  defaultKey(value: DefaultValue | undefined, column: ColumnSnapshot): string | undefined {
    return this.comparator.canonicalDefault(value, column);
  }

  /**
   * The name of a primary key: as declared (for one read from the database, also the name its
   * snapshot's `constraintNames` give, see `normalizeTable`); else, for one read from the
   * database, the name the dialect says it gave it (`comparator.unnamedConstraintName`, asked
   * with the table's name in the database); else the naming convention's, from the table's
   * current name.
   */
  primaryKeyName(table: string, databaseName: string, key: KeyDefinition, reflected: boolean): string {
    return key.name ?? this.#unnamed('primary', databaseName, key.columns, reflected) ?? conventionalName(this.convention, 'pk', { table, columns: key.columns });
  }

  /** The name of a unique constraint, as {@link primaryKeyName}. */
  uniqueName(table: string, databaseName: string, key: UniqueDefinition, reflected: boolean): string {
    return key.name ?? this.#unnamed('unique', databaseName, key.columns, reflected) ?? conventionalName(this.convention, 'uq', { table, columns: key.columns });
  }

  /** The name of a foreign key, as {@link primaryKeyName}. */
  foreignKeyName(table: string, databaseName: string, fk: ForeignKeyDefinition, reflected: boolean): string {
    return (
      fk.name ??
      this.#unnamed('foreignkey', databaseName, fk.columns, reflected) ??
      conventionalName(this.convention, 'fk', { table, columns: fk.columns, referredTable: fk.referredTable })
    );
  }

  /** The name of a check constraint: as declared, else the convention's (a hash of the expression). */
  checkName(table: string, check: CheckConstraintSnapshot): string {
    return checkConstraintName(this.convention, table, check.name, check.expression);
  }

  #unnamed(type: 'primary' | 'unique' | 'foreignkey', table: string, columns: readonly string[], reflected: boolean): string | undefined {
    return reflected ? this.comparator.unnamedConstraintName?.(type, table, columns) : undefined;
  }
}
