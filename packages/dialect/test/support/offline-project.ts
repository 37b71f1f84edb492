// A throwaway migration repository for the offline-mode tests: revision files written into a
// temporary folder, and an environment over them whose binds point at the given URLs. Offline
// commands open no connection, so the URLs need not reach anything.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, type MigrationEnvironment, type MultidbConfig } from '@multidb/core';
import { dialects } from '../../src/registry.js';
import { onCleanup } from './cleanup.js';

/** A revision file's parts: header values and the bodies of `upgrade` and `downgrade`. */
export interface RevisionFile {
  readonly revision: string;
  /** The down revision: `null` for the branch's root, a list for a merge. */
  readonly down: string | readonly string[] | null;
  readonly message: string;
  readonly upgrade: string;
  readonly downgrade?: string;
  /** Extra module text (e.g. `export const transaction = false;`). */
  readonly extra?: string;
}

/** The source of a revision module (no imports: `op` is untyped here). */
export function revisionSource(branch: string, r: RevisionFile): string {
  return [
    `export const revision = '${r.revision}';`,
    `export const downRevision = ${r.down === null ? 'null' : JSON.stringify(r.down)};`,
    `export const branchLabels = ${r.down === null ? `['${branch}']` : '[]'};`,
    `export const dependsOn = [];`,
    `export const message = '${r.message}';`,
    `export const createDate = '2026-01-01T00:00:00Z';`,
    r.extra ?? '',
    `export async function upgrade(op: any): Promise<void> {\n${r.upgrade}\n}`,
    `export async function downgrade(op: any): Promise<void> {\n${r.downgrade ?? ''}\n}`,
    '',
  ].join('\n');
}

/**
 * Writes a repository with one branch per bind (`revisions[bind]`) into a temporary folder
 * (removed after the test) and loads an environment over it.
 * @param binds - bind name to URL.
 */
export async function offlineProject(
  binds: Readonly<Record<string, string>>,
  revisions: Readonly<Record<string, readonly RevisionFile[]>>,
  config: Partial<MultidbConfig> = {},
): Promise<{ env: MigrationEnvironment; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'multidb-offline-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  for (const [branch, files] of Object.entries(revisions)) {
    mkdirSync(join(dir, 'migrations', 'versions', branch), { recursive: true });
    for (const r of files) writeFileSync(join(dir, 'migrations', 'versions', branch, `${r.revision}_rev.ts`), revisionSource(branch, r));
  }
  const env = await loadEnvironment({
    dialects,
    baseDir: dir,
    configObject: { directory: 'migrations', ...config, binds: Object.fromEntries(Object.entries(binds).map(([b, url]) => [b, { url }])) },
  });
  onCleanup(() => env.close());
  return { env, dir };
}

/** What a command-line client did with a script. */
export interface ClientRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a script with the dialect's command-line client against a database URL, as a person
 * would: `sqlite3 -bail FILE`, `psql -v ON_ERROR_STOP=1 -d URL`, `mariadb -h … DATABASE`
 * (the script on standard input).
 */
export function runClient(url: string, script: string): ClientRun {
  const u = /^sqlite:/.test(url) ? undefined : new URL(url);
  let command: string;
  let args: string[];
  if (u === undefined) {
    command = 'sqlite3';
    args = ['-bail', url.replace(/^sqlite:\/\//, '')];
  } else if (/^postgres/.test(u.protocol)) {
    command = 'psql';
    args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url];
  } else {
    command = 'mariadb';
    args = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), decodeURIComponent(u.pathname.slice(1))];
    if (u.password) args.push(`-p${decodeURIComponent(u.password)}`);
  }
  const run = spawnSync(command, args, { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
