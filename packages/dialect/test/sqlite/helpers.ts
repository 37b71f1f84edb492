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
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';

/** A compile context with no snapshots (or the given ones). */
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
    runner: { dialect: sqliteDialect, run: async (o) => void ops.push(o) },
  });
  await fn(op);
  return ops;
}

/** The statements of the ops a revision body builds. */
export async function compileOps(fn: (op: Operations) => Promise<void>, snapshots: readonly TableSnapshot[] = []): Promise<Statement[]> {
  return (await buildOps(fn)).flatMap((o) => sqliteDialect.compile(o, context(snapshots)));
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

/** Runs a query and returns its rows. */
export function q(conn: DialectConnection, sql: string, ...parameters: unknown[]): Promise<readonly Record<string, any>[]> {
  return conn.execute({ sql, parameters });
}
