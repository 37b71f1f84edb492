import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_NAMING_CONVENTION,
  Operations,
  type CompileContext,
  type DialectConnection,
  type Op,
  type Statement,
  type TableSnapshot,
} from '@multidb/core';
import { afterEach } from 'vitest';
import * as harness from '../support/op-harness.js';
import { context, q, runOps, type RevisionBody } from '../support/op-harness.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';




/** SQL texts only. */
export async function sqlOf(fn: (op: Operations) => Promise<void>): Promise<string[]> {
  return (await compileOps(fn)).map((s) => s.sql);
}


/**
 * Runs a revision body as the runner does for a revision: in one transaction (foreign keys off
 * before BEGIN, `foreign_key_check` before COMMIT); rolled back when an op fails.
 */
export async function runInTransaction(conn: DialectConnection, fn: (op: Operations) => Promise<void>): Promise<void> {
  await conn.begin();
  try {
    await runOps(conn, fn);
  } catch (error) {
    await conn.rollback();
    throw error;
  }
  await conn.commit();
}

/** Row count and a SHA-256 over the given columns of every row (ordered), to compare before and after. */
export async function fingerprint(conn: DialectConnection, table: string, columns: readonly string[], orderBy: string): Promise<{ rows: number; checksum: string }> {
  const list = columns.map((c) => `"${c}"`).join(', ');
  const rows = await conn.execute({ sql: `SELECT ${list} FROM "${table}" ORDER BY ${orderBy}`, parameters: [] });
  const hash = createHash('sha256');
  for (const row of rows) hash.update(JSON.stringify(columns.map((c) => row[c]), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) + '\n');
  return { rows: rows.length, checksum: hash.digest('hex') };
}

/** The stored CREATE statement of a table, index, view or trigger. */
export async function storedSql(conn: DialectConnection, name: string): Promise<string | undefined> {
  const [row] = await conn.execute({ sql: 'SELECT sql FROM sqlite_master WHERE name = ?', parameters: [name] });
  return row?.sql as string | undefined;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-dialect-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Connects to a new SQLite file in a temporary folder; closed after the test. */
export async function connectTemp(file = 'test.db'): Promise<{ conn: DialectConnection; dir: string; path: string }> {
  const dir = tempDir();
  const conn = await sqliteDriver.connect({ bind: 'test', url: `sqlite:${file}`, baseDir: dir });
  cleanups.push(() => conn.close());
  return { conn, dir, path: join(dir, file) };
}

export { context, runOps, q };

/** Builds ops exactly as a revision would, through core's `op` facade, without running them. */
export const buildOps = (fn: RevisionBody): Promise<Op[]> => harness.buildOps(sqliteDialect, fn);

/** The statements of the ops a revision body builds. */
export const compileOps = (fn: RevisionBody, snapshots: readonly TableSnapshot[] = []): Promise<Statement[]> => harness.compileOps(sqliteDialect, fn, snapshots);
