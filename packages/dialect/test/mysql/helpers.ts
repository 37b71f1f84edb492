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
import * as harness from '../support/op-harness.js';
import { context, q, runOps, type RevisionBody } from '../support/op-harness.js';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';


/** The dialect of a flavour. */
export function dialectOf(flavour: 'mysql' | 'mariadb'): Dialect {
  return flavour === 'mysql' ? mysqlDialect : mariadbDialect;
}



/** SQL texts only. */
export async function sqlOf(fn: (op: Operations) => Promise<void>, flavour: 'mysql' | 'mariadb' = 'mysql'): Promise<string[]> {
  return (await compileOps(fn, flavour)).map((s) => s.sql);
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

export { context, runOps, q };

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
export const buildOps = (fn: RevisionBody, dialect: Dialect = mysqlDialect): Promise<Op[]> => harness.buildOps(dialect, fn);

/** The statements of the ops a revision body builds, for a flavour. */
export const compileOps = (fn: RevisionBody, flavour: 'mysql' | 'mariadb' = 'mysql', snapshots: readonly TableSnapshot[] = []): Promise<Statement[]> =>
  harness.compileOps(dialectOf(flavour), fn, snapshots);
