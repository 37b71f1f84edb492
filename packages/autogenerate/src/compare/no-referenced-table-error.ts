import { MultidbError } from '@multidb/core';

/** Where a foreign key of the models points: its table and columns, and what it refers to. */
export interface ForeignKeyReference {
  /** The bind compared, when known. */
  readonly bind?: string;
  /** The models' table that has the foreign key. */
  readonly table: string;
  /** Its schema, when not the bind's default. */
  readonly schema?: string;
  /** The foreign key's columns in `table`. */
  readonly columns: readonly string[];
  /** The table it refers to, as the models write it. */
  readonly referredTable: string;
  /** The referred table's schema, when given. */
  readonly referredSchema?: string;
  /** The columns it refers to. */
  readonly referredColumns: readonly string[];
}

const qualified = (schema: string | undefined, name: string) => (schema === undefined ? name : `${schema}.${name}`);
const prefix = (bind: string | undefined) => (bind ? `[${bind}] ` : '');
const fkLabel = (r: ForeignKeyReference) =>
  `Table '${qualified(r.schema, r.table)}' has a foreign key (${r.columns.join(', ')}) to '${qualified(r.referredSchema, r.referredTable)}'(${r.referredColumns.join(', ')})`;

/**
 * A foreign key of the models refers to a table that is neither in the models nor in the database
 * (SQLAlchemy's `NoReferencedTableError`): a typo (`references: 'nosuch.id'`) that would otherwise
 * pass `check` and `migrate` and fail only when the revision runs. Autogenerate refuses it.
 * References into a schema the comparison did not read, and to tables the include filters leave
 * out but the database or the models have, are not refused.
 *
 * @example
 * ```ts
 * import { DEFAULT_CAPABILITIES, DEFAULT_COMPARATOR, DEFAULT_NAMING_CONVENTION, tableFromInput } from '@multidb/core';
 * import { compareSchemas, NoReferencedTableError } from '@multidb/autogenerate';
 *
 * const post = tableFromInput('post', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'author_id', type: 'integer', references: 'nosuch.id' }], {}, DEFAULT_NAMING_CONVENTION);
 * try {
 *   compareSchemas({ tables: [post], enums: [], objects: [] }, { tables: [], enums: [], objects: [] }, {
 *     comparator: DEFAULT_COMPARATOR,
 *     capabilities: DEFAULT_CAPABILITIES,
 *     namingConvention: DEFAULT_NAMING_CONVENTION,
 *   });
 * } catch (e) {
 *   if (e instanceof NoReferencedTableError) console.log(e.reference.referredTable); // 'nosuch'
 * }
 * ```
 */
export class NoReferencedTableError extends MultidbError {
  /** The foreign key and what it refers to. */
  readonly reference: ForeignKeyReference;
  constructor(reference: ForeignKeyReference) {
    super(
      `${prefix(reference.bind)}${fkLabel(reference)}, a table that is neither in the models nor in the database: ` +
        `correct the reference (references: 'Table.Column', or the foreign key's referredTable), or add table '${qualified(reference.referredSchema, reference.referredTable)}' to the models.`,
      'NO_REFERENCED_TABLE',
    );
    this.reference = Object.freeze({ ...reference });
  }
}

/**
 * A foreign key of the models refers to a column its referred table does not have, neither in the
 * models nor in the database (SQLAlchemy's `NoReferencedColumnError`). The message lists the
 * table's columns.
 *
 * @example
 * ```ts
 * import { NoReferencedColumnError } from '@multidb/autogenerate';
 *
 * const error = new NoReferencedColumnError({ table: 'post', columns: ['author_id'], referredTable: 'user', referredColumns: ['uid'] }, 'uid', ['id', 'email']);
 * error.message; // "Table 'post' has a foreign key (author_id) to 'user'(uid), and table 'user' has no column 'uid' (its columns: id, email): …"
 * ```
 */
export class NoReferencedColumnError extends MultidbError {
  /** The foreign key and what it refers to. */
  readonly reference: ForeignKeyReference;
  /** The referred column that does not exist. */
  readonly column: string;
  constructor(reference: ForeignKeyReference, column: string, available: readonly string[]) {
    super(
      `${prefix(reference.bind)}${fkLabel(reference)}, and table '${qualified(reference.referredSchema, reference.referredTable)}' has no column '${column}' ` +
        `(its columns: ${available.join(', ') || 'none'}): correct the reference, or add the column to the models.`,
      'NO_REFERENCED_COLUMN',
    );
    this.reference = Object.freeze({ ...reference });
    this.column = column;
  }
}
