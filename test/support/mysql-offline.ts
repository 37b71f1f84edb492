// Offline MySQL/MariaDB scripts against the real server: pipe a script into the `mariadb` client (as
// a script's header says to run it), and read a database's schema to compare an offline result with
// an online one.
import { spawnSync } from 'node:child_process';
import type { DialectConnection, TableSnapshot } from '@multidb/core';
import { dialects } from '@multidb/dialect';
import { expect } from 'vitest';
import { runMigrate, type RunOutput, type TempProject } from './project.js';
import { queryUrl, tablesAt } from './servers.js';

/** Pipes a script into the `mariadb` client against a database URL; fails the test unless it runs cleanly. */
export function pipeInto(url: string, script: string): void {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), decodeURIComponent(u.pathname.slice(1))];
  if (u.password) args.push(`-p${decodeURIComponent(u.password)}`);
  const run = spawnSync('mariadb', args, { input: script, encoding: 'utf8' });
  if (run.error) throw run.error;
  expect(run.status, `${run.stderr}\n${script}`).toBe(0);
  expect(run.stderr).toBe('');
}

/** A database's schema: each table introspected by the dialect, and every index as the server lists it. */
export interface MysqlSchema {
  readonly tables: Record<string, TableSnapshot | undefined>;
  /** `information_schema.STATISTICS` rows (table, index, position, column, non-unique), InnoDB's own indexes included. */
  readonly indexes: readonly Record<string, unknown>[];
}

/**
 * The schema of a MySQL/MariaDB database (`mysql:` or `mariadb:` URL), version tables left out.
 * Introspection leaves out the index InnoDB made for a foreign key, so the raw index list is read too.
 */
export async function schemaOf(url: string): Promise<MysqlSchema> {
  const driver = await dialects.find((d) => d.schemes.includes('mysql'))!.load();
  const conn: DialectConnection = await driver.connect({ bind: 'check', url: url.replace(/^mariadb:/, 'mysql:'), baseDir: process.cwd() });
  const tables: Record<string, TableSnapshot | undefined> = {};
  try {
    for (const table of (await tablesAt(url)).filter((t) => !t.startsWith('multidb_version'))) tables[table] = await conn.introspectTable(table);
  } finally {
    await conn.close();
  }
  const indexes = await queryUrl(
    url,
    `SELECT TABLE_NAME AS t, INDEX_NAME AS name, SEQ_IN_INDEX AS seq, COLUMN_NAME AS col, NON_UNIQUE AS nonUnique
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'multidb_version%' ORDER BY 1, 2, 3`,
  );
  return { tables, indexes };
}

/**
 * Runs `migrate ARGS` in project `p` with `MY_URL` set to `url` (its config reads the bind's URL
 * from it), and fails with its output unless it exits 0.
 */
export async function migrateAt(p: TempProject, url: string, ...args: string[]): Promise<RunOutput> {
  const out = await runMigrate(p.dir, args, { MY_URL: url });
  if (out.code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${out.code}\n${out.stdout}\n${out.stderr}`);
  return out;
}
