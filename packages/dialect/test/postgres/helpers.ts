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
import * as harness from '../support/op-harness.js';
import { context, q, runOps, type RevisionBody } from '../support/op-harness.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { postgresDriver } from '../../src/postgres/postgres-driver.js';




/** SQL texts only. */
export async function sqlOf(fn: (op: Operations) => Promise<void>): Promise<string[]> {
  return (await compileOps(fn)).map((s) => s.sql);
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

export { context, runOps, q };

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
export const buildOps = (fn: RevisionBody): Promise<Op[]> => harness.buildOps(postgresDialect, fn);

/** The statements of the ops a revision body builds. */
export const compileOps = (fn: RevisionBody, snapshots: readonly TableSnapshot[] = []): Promise<Statement[]> => harness.compileOps(postgresDialect, fn, snapshots);
