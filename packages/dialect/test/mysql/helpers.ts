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
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';

/** A compile context with no snapshots (or the given ones). */
export function context(snapshots: readonly TableSnapshot[] = []): CompileContext {
  return { namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: new Map(snapshots.map((s) => [s.name, s])) };
}

/** The dialect of a flavour. */
export function dialectOf(flavour: 'mysql' | 'mariadb'): Dialect {
  return flavour === 'mysql' ? mysqlDialect : mariadbDialect;
}

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
export async function buildOps(fn: (op: Operations) => Promise<void>, dialect: Dialect = mysqlDialect): Promise<Op[]> {
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

/** The statements of the ops a revision body builds, for a flavour. */
export async function compileOps(
  fn: (op: Operations) => Promise<void>,
  flavour: 'mysql' | 'mariadb' = 'mysql',
  snapshots: readonly TableSnapshot[] = [],
): Promise<Statement[]> {
  const dialect = dialectOf(flavour);
  return (await buildOps(fn, dialect)).flatMap((o) => dialect.compile(o, context(snapshots)));
}

/** SQL texts only. */
export async function sqlOf(fn: (op: Operations) => Promise<void>, flavour: 'mysql' | 'mariadb' = 'mysql'): Promise<string[]> {
  return (await compileOps(fn, flavour)).map((s) => s.sql);
}

/**
 * Runs a revision body on a connection as core's runner does: for each op, introspect the tables
 * the dialect asks for, compile, execute each statement.
 */
export async function runOps(conn: DialectConnection, fn: (op: Operations) => Promise<void>): Promise<void> {
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

/** Runs a query and returns its rows. */
export function q(conn: DialectConnection, sql: string, ...parameters: unknown[]): Promise<readonly Record<string, any>[]> {
  return conn.execute({ sql, parameters });
}

/** Column rows of a table from information_schema, for checking what the server holds. */
export function columnsOf(conn: DialectConnection, table: string): Promise<readonly Record<string, any>[]> {
  return q(
    conn,
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    table,
  );
}
