// Processes that hold a migration lock the way the dialects take it, until killed: a SQLite lock
// file (an exclusive transaction), a PostgreSQL advisory lock, a MySQL GET_LOCK. Killed after the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';
import { serverOptions } from './mysql-database.js';

const require = createRequire(import.meta.url);
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A process holding a lock, and what it printed once it held it. */
export interface LockHolder {
  readonly child: ChildProcess;
  /** Its first line, `held` (PostgreSQL: `held <backend pid>`). */
  readonly line: string;
}

function hold(file: string, args: readonly string[]): Promise<LockHolder> {
  const child = spawn(process.execPath, [fixture(file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const line = d.toString();
      if (line.includes('held')) resolve({ child, line: line.trim() });
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

/** Holds a SQLite lock file (as SqliteLock does) in another process. */
export function holdSqliteLock(lockFile: string): Promise<LockHolder> {
  return hold('hold-sqlite-lock.cjs', [require.resolve('better-sqlite3'), lockFile]);
}

/** Holds a PostgreSQL session-level advisory lock of `key` on the database at `url` in another process. */
export function holdPostgresLock(url: string, key: bigint): Promise<LockHolder> {
  return hold('hold-postgres-lock.cjs', [url, key.toString()]);
}

/** Holds the MySQL lock `lockName` (GET_LOCK) on a session to `database` in another process. */
export function holdMysqlLock(database: string, lockName: string): Promise<LockHolder> {
  return hold('hold-mysql-lock.cjs', [require.resolve('mysql2'), JSON.stringify({ ...serverOptions(), database }), lockName]);
}
