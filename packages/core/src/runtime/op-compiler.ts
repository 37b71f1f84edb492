import type { Dialect, Statement } from '../dialect/dialect.js';
import type { Op } from '../operations/op-objects.js';
import type { NamingConvention } from '../schema/naming-convention.js';
import type { TableSnapshot } from '../schema/table-snapshot.js';

/**
 * Where compiling finds the current shape of a table an op needs (a SQLite rebuild, a MySQL
 * MODIFY COLUMN): the live database during a run and in the SQL preview, the tables a revision
 * created and the ops' `existing…` fields in offline mode.
 */
export interface SnapshotSource {
  /** The table's shape, or `undefined` when it does not exist (or is not known). */
  snapshot(table: string, schema: string | undefined): Promise<TableSnapshot | undefined>;
}

/** What {@link compileOp} needs besides the op. */
export interface OpCompileContext {
  /** The bind's pure dialect, which compiles the op. */
  readonly dialect: Dialect;
  /** The project's naming convention. */
  readonly namingConvention: NamingConvention;
  /** The bind's default schema (PostgreSQL), if any. */
  readonly defaultSchema?: string;
  /** Where the tables the dialect asks for are read from. */
  readonly snapshots: SnapshotSource;
}

/**
 * Compiles one op to the statements that perform it: the one compile path of DESIGN §3, shared by
 * the runner (which executes the statements), the SQL preview and offline mode (which print them).
 * Looks up the tables the dialect asks for ({@link Dialect.requiredSnapshots}), then calls the
 * dialect's pure `compile`.
 *
 * @returns the statements, in order.
 * @throws what the dialect throws (`UnsupportedOperationError`, `OperationError`), and what the
 *   snapshot source throws.
 * @example
 * ```ts
 * const statements = await compileOp({ kind: 'DropTable', table: 'Genre' }, { dialect, namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: { snapshot: async () => undefined } });
 * ```
 */
export async function compileOp(op: Op, context: OpCompileContext): Promise<Statement[]> {
  const snapshots = new Map<string, TableSnapshot>();
  for (const table of context.dialect.requiredSnapshots(op)) {
    const snapshot = await context.snapshots.snapshot(table, context.defaultSchema);
    if (snapshot) snapshots.set(table, snapshot);
  }
  return context.dialect.compile(op, {
    namingConvention: context.namingConvention,
    snapshots,
    ...(context.defaultSchema !== undefined ? { defaultSchema: context.defaultSchema } : {}),
  });
}
