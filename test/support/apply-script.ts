// Replays an offline script (`--sql`) with the dialect's own command-line client, as a DBA would:
// sqlite3 -bail, psql -v ON_ERROR_STOP=1, mariadb.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import { dialectOf, sqliteFile } from './servers.js';

/**
 * Runs `script` with the dialect's command-line client against the database of `url` (a SQLite URL
 * relative to `baseDir`, its folder made); fails the test unless it runs cleanly (exit 0, nothing
 * on stderr).
 * @param label - names the script in a failure (its file), else the script itself is shown.
 */
export function applyScript(url: string, script: string, baseDir: string, label?: string): void {
  let run: SpawnSyncReturns<string>;
  switch (dialectOf(url)) {
    case 'sqlite': {
      const path = sqliteFile(url, baseDir);
      mkdirSync(dirname(path), { recursive: true });
      run = spawnSync('sqlite3', ['-bail', path], { input: script, encoding: 'utf8' });
      break;
    }
    case 'postgres':
      run = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      break;
    case 'mysql': {
      const u = new URL(url);
      const args = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), decodeURIComponent(u.pathname.slice(1))];
      if (u.password) args.push(`-p${decodeURIComponent(u.password)}`);
      run = spawnSync('mariadb', args, { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      break;
    }
  }
  if (run.error) throw run.error;
  expect(run.status, `${label ?? script}: ${run.stderr}`).toBe(0);
  expect(run.stderr, label).toBe('');
}
