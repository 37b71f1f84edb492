// Helpers of the SQLite-only tests (batch rebuilds, lock files, URLs): temporary files, and
// checks that read a file's stored SQL and rows.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialectConnection } from '@multidb/core';
import { sqliteDriver } from '../../src/sqlite/sqlite-driver.js';
import { onCleanup } from './cleanup.js';

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-dialect-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Connects to a new SQLite file in a temporary folder; closed after the test. */
export async function connectTemp(file = 'test.db'): Promise<{ conn: DialectConnection; dir: string; path: string }> {
  const dir = tempDir();
  const conn = await sqliteDriver.connect({ bind: 'test', url: `sqlite:${file}`, baseDir: dir });
  onCleanup(() => conn.close());
  return { conn, dir, path: join(dir, file) };
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
