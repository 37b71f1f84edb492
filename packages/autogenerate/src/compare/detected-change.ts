import type { ConstraintType, Op } from '@multidb/core';

/**
 * Kinds of {@link DetectedChange}, named as Alembic's autogenerate diff names them
 * (`add_table`, `modify_nullable`, …), plus renames (of tables, columns and indexes), changed
 * indexes and constraints, enum types, `modify_identity` (PostgreSQL `GENERATED ALWAYS` / `BY DEFAULT`), `modify_on_update` (a MySQL/MariaDB column's `ON UPDATE`) and `modify_collation`. Unique, check and primary-key constraints are `…_constraint` with a `constraintType`.
 *
 * @example
 * ```ts
 * import type { DetectedChangeKind } from '@multidb/autogenerate';
 * const kind: DetectedChangeKind = 'modify_nullable';
 * ```
 */
export type DetectedChangeKind =
  | 'add_table'
  | 'remove_table'
  | 'rename_table'
  | 'add_column'
  | 'remove_column'
  | 'rename_column'
  | 'modify_type'
  | 'modify_nullable'
  | 'modify_default'
  | 'modify_comment'
  | 'modify_identity'
  | 'modify_on_update'
  | 'modify_collation'
  | 'modify_table_comment'
  | 'add_index'
  | 'remove_index'
  | 'modify_index'
  | 'rename_index'
  | 'add_constraint'
  | 'remove_constraint'
  | 'modify_constraint'
  | 'add_fk'
  | 'remove_fk'
  | 'modify_fk'
  | 'add_enum'
  | 'remove_enum'
  | 'add_enum_value';

/**
 * One change the comparison detected, with the line autogenerate prints for it (as Alembic
 * prints it: `Detected added column 'user.dummy'`) and its parts as fields.
 *
 * @example
 * ```ts
 * import type { DetectedChange } from '@multidb/autogenerate';
 * const change: DetectedChange = {
 *   kind: 'modify_type',
 *   table: 'user',
 *   column: 'name',
 *   from: 'varchar(20)',
 *   to: 'text',
 *   line: "Detected type change from varchar(20) to text on 'user.name'",
 * };
 * ```
 */
export interface DetectedChange {
  /** What changed (Alembic's change names: `add_table`, `remove_column`, `modify_type`…). */
  readonly kind: DetectedChangeKind;
  /** E.g. `Detected type change from varchar(20) to text on 'user.name'`. */
  readonly line: string;
  /** The table concerned (its new name for a renamed table), absent for an enum. */
  readonly table?: string;
  /** The table's schema (PostgreSQL), when not the bind's default. */
  readonly schema?: string;
  /** The column concerned (its new name for a renamed column). */
  readonly column?: string;
  /** The index, constraint or enum concerned. */
  readonly name?: string;
  /** For `add_constraint` / `remove_constraint` / `modify_constraint`. */
  readonly constraintType?: Exclude<ConstraintType, 'foreignkey'>;
  /** The old name of a renamed table, column or index. */
  readonly oldName?: string;
  /** The value before, as text (a type, a default, `NULL`/`NOT NULL`, a definition). */
  readonly from?: string;
  /** The value after, as text. */
  readonly to?: string;
}

/**
 * What {@link compareSchemas} returns: frozen data.
 *
 * @example
 * ```ts
 * import type { Comparison } from '@multidb/autogenerate';
 * const print = (c: Comparison) => [...c.changes.map((x) => x.line), ...c.warnings.map((w) => `warning: ${w}`)].join('\n');
 * ```
 */
export interface Comparison {
  /** The upgrade ops, in the order they apply (frozen). Reverse them with `reverseOp` for the downgrade. */
  readonly ops: readonly Op[];
  /** One entry per detected change, in the order of the ops that make them. */
  readonly changes: readonly DetectedChange[];
  /**
   * Things to review that no op does: tables left alone, enum members to change by hand, views
   * and triggers over changed columns, changes autogenerate cannot make.
   */
  readonly warnings: readonly string[];
  /**
   * The warnings of {@link warnings} that the rendered revision carries too, as comments at the
   * top of its upgrade (`renderRevisionBody`'s `warnings`): what makes the upgrade as rendered
   * fail, such as a foreign key left without a unique key to refer to.
   */
  readonly revisionWarnings: readonly string[];
  /**
   * The rename decisions (`options.renames`) that matched no rename candidate of this comparison,
   * as the command line spells them: `--rename t.a=t.b`, `--no-rename t=u`. Not a warning by
   * itself: a run over several binds passes every bind the same decisions, and only a decision
   * no bind matched is worth one (see `unmatchedRenameWarnings`).
   */
  readonly unmatchedRenames: readonly string[];
}
