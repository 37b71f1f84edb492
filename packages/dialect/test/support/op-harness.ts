import {
  DEFAULT_NAMING_CONVENTION,
  Operations,
  type CompileContext,
  type Dialect,
  type DialectConnection,
  type Op,
  type Statement,
  type TableSnapshot,
} from '@multidb/core';

/** A revision body, as tests write them. */
export type RevisionBody = (op: Operations) => Promise<void>;

/** A compile context with the default naming convention and the given snapshots. */
export function context(snapshots: readonly TableSnapshot[] = []): CompileContext {
  return { namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: new Map(snapshots.map((s) => [s.name, s])) };
}

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
export async function buildOps(dialect: Dialect, fn: RevisionBody): Promise<Op[]> {
  const ops: Op[] = [];
  const op = new Operations({
    db: undefined as never,
    bind: 'test',
    namingConvention: DEFAULT_NAMING_CONVENTION,
    runner: { dialect, run: async (o) => void ops.push(o) },
  });
  await fn(op);
  return ops;
}

/** The statements of the ops a revision body builds. */
export async function compileOps(dialect: Dialect, fn: RevisionBody, snapshots: readonly TableSnapshot[] = []): Promise<Statement[]> {
  return (await buildOps(dialect, fn)).flatMap((o) => dialect.compile(o, context(snapshots)));
}

/** The SQL texts of the ops a revision body builds. */
export async function sqlOf(dialect: Dialect, fn: RevisionBody, snapshots: readonly TableSnapshot[] = []): Promise<string[]> {
  return (await compileOps(dialect, fn, snapshots)).map((s) => s.sql);
}

/**
 * Runs a revision body on a connection as core's runner does: for each op, introspect the tables
 * the dialect asks for, compile, execute each statement.
 */
export async function runOps(conn: DialectConnection, fn: RevisionBody): Promise<void> {
  const op = new Operations({
    db: conn.db,
    bind: 'test',
    namingConvention: DEFAULT_NAMING_CONVENTION,
    runner: {
      dialect: conn.dialect,
      run: async (o) => {
        const snapshots: TableSnapshot[] = [];
        for (const t of conn.dialect.requiredSnapshots(o)) {
          const s = await conn.introspectTable(t);
          if (s) snapshots.push(s);
        }
        for (const s of conn.dialect.compile(o, context(snapshots))) await conn.execute(s);
      },
    },
  });
  await fn(op);
}

/**
 * Runs a revision body as the runner does for a revision: in one transaction (on SQLite, foreign
 * keys off before BEGIN and `foreign_key_check` before COMMIT); rolled back when an op fails.
 */
export async function runInTransaction(conn: DialectConnection, fn: RevisionBody): Promise<void> {
  await conn.begin();
  try {
    await runOps(conn, fn);
  } catch (error) {
    await conn.rollback();
    throw error;
  }
  await conn.commit();
}

/** Runs a query and returns its rows. */
export function q(conn: DialectConnection, sql: string, ...parameters: unknown[]): Promise<readonly Record<string, any>[]> {
  return conn.execute({ sql, parameters });
}
