import type { Op } from '@multidb/core';
import type { DetectedChange } from './detected-change.js';

/** An op and the changes it makes (none for the second op of a drop-and-create pair). */
export interface PlannedOp {
  readonly op: Op;
  readonly changes: readonly DetectedChange[];
}

/** Which part of a table's changes an op belongs to: the ops of a table run in this order. */
export type TablePhase =
  | 'renameColumns'
  | 'dropForeignKeys'
  | 'dropConstraints'
  | 'addColumns'
  | 'alterColumns'
  | 'dropColumns'
  | 'createConstraints'
  | 'createForeignKeys'
  | 'tableComment';

/** The phases in the order they apply within a table (batch mode keeps this order inside the batch). */
export const TABLE_PHASES: readonly TablePhase[] = Object.freeze([
  'renameColumns',
  'dropForeignKeys',
  'dropConstraints',
  'addColumns',
  'alterColumns',
  'dropColumns',
  'createConstraints',
  'createForeignKeys',
  'tableComment',
]);

/** The changes of one table both sides have, by phase. */
export interface TablePlan {
  readonly table: string;
  readonly schema?: string;
  readonly phases: Readonly<Record<TablePhase, PlannedOp[]>>;
}

/** An empty plan for a table. */
export function emptyTablePlan(table: string, schema: string | undefined): TablePlan {
  const phases = Object.fromEntries(TABLE_PHASES.map((p) => [p, [] as PlannedOp[]])) as Record<TablePhase, PlannedOp[]>;
  return { table, ...(schema === undefined ? {} : { schema }), phases };
}

/** What a change does to a database table or column, for the warnings about views and triggers. */
export interface Touch {
  /** The table's name in the database (before any rename). */
  readonly table: string;
  readonly schema?: string;
  /** The column's name in the database; omitted: the table itself. */
  readonly column?: string;
  readonly action: 'drops' | 'renames' | 'alters';
}
