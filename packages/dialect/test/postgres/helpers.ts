import {
  DEFAULT_NAMING_CONVENTION,
  Operations,
  type CompileContext,
  type ConnectOptions,
  type DialectConnection,
  type Op,
  type Statement,
  type TableSnapshot,
} from '@multidb/core';
import { afterEach } from 'vitest';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { postgresDriver } from '../../src/postgres/postgres-driver.js';

/** A compile context with no snapshots. */
export function context(snapshots: readonly TableSnapshot[] = []): CompileContext {
  return { namingConvention: DEFAULT_NAMING_CONVENTION, snapshots: new Map(snapshots.map((s) => [s.name, s])) };
}

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
export async function buildOps(fn: (op: Operations) => Promise<void>): Promise<Op[]> {
  const ops: Op[] = [];
  const op = new Operations({
    db: undefined as never,
    bind: 'test',
    namingConvention: DEFAULT_NAMING_CONVENTION,
    runner: { dialect: postgresDialect, run: async (o) => void ops.push(o) },
  });
  await fn(op);
  return ops;
}

/** The statements of the ops a revision body builds. */
export async function compileOps(fn: (op: Operations) => Promise<void>): Promise<Statement[]> {
  return (await buildOps(fn)).flatMap((o) => postgresDialect.compile(o, context()));
}

/** SQL texts only. */
export async function sqlOf(fn: (op: Operations) => Promise<void>): Promise<string[]> {
  return (await compileOps(fn)).map((s) => s.sql);
}

/** Runs a revision body on a connection: compile each op and execute its statements. */
export async function runOps(conn: DialectConnection, fn: (op: Operations) => Promise<void>): Promise<void> {
  const op = new Operations({
    db: conn.db,
    bind: 'test',
    namingConvention: DEFAULT_NAMING_CONVENTION,
    runner: {
      dialect: conn.dialect,
      run: async (o) => {
        for (const s of conn.dialect.compile(o, context())) await conn.execute(s);
      },
    },
  });
  await fn(op);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Registers a cleanup that runs after the current test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** Connects through the driver; closed after the test. */
export async function connect(url: string, options: Partial<ConnectOptions> = {}): Promise<DialectConnection> {
  const conn = await postgresDriver.connect({ bind: 'test', url, baseDir: '/', ...options });
  cleanups.push(() => conn.close());
  return conn;
}

/** Runs a query and returns its rows. */
export function q(conn: DialectConnection, sql: string, ...parameters: unknown[]): Promise<readonly Record<string, any>[]> {
  return conn.execute({ sql, parameters });
}
