import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** The built `migrate` binary of this checkout. */
export const MIGRATE_BIN = fileURLToPath(new URL('../../packages/cli/bin/migrate.js', import.meta.url));

/** What one `migrate` subprocess did. */
export interface RunOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `migrate` in `cwd` as a subprocess. */
export function runMigrate(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunOutput> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MIGRATE_BIN, ...args],
      { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** A temporary project folder with a config of SQLite binds. */
export class TempProject {
  readonly dir: string;

  constructor(binds: readonly string[] = ['default', 'db2'], options: { config?: string } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'multidb-e2e-'));
    const config =
      options.config ??
      `import { defineConfig } from '@multidb/core';\n` +
        `export default defineConfig({\n  directory: 'migrations',\n  binds: {\n` +
        binds.map((b) => `    ${b}: { url: 'sqlite:.data/${b}.db' },\n`).join('') +
        `  },\n});\n`;
    writeFileSync(join(this.dir, 'migrate.config.ts'), config);
  }

  /** Runs `migrate` here. */
  run(...args: string[]): Promise<RunOutput> {
    return runMigrate(this.dir, args);
  }

  /** Runs `migrate` and fails the test with its output unless it exits 0. */
  async ok(...args: string[]): Promise<RunOutput> {
    const out = await this.run(...args);
    if (out.code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${out.code}\n${out.stdout}\n${out.stderr}`);
    return out;
  }

  /** Writes a file relative to the project. */
  write(path: string, text: string): string {
    const full = join(this.dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  /** Files of a branch folder. */
  versions(branch: string): string[] {
    return readdirSync(join(this.dir, 'migrations', 'versions', branch)).filter((f) => f.endsWith('.ts'));
  }

  /** Runs a query on a bind's SQLite file (read-only) and returns the rows. */
  query<T = Record<string, unknown>>(bind: string, sql: string): T[] {
    const db = new Database(join(this.dir, '.data', `${bind}.db`), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }

  /** Version-table rows of a bind (`[]` when the table or the file does not exist). */
  versionsApplied(bind: string): string[] {
    try {
      return this.query<{ version_num: string }>(bind, 'SELECT version_num FROM multidb_version ORDER BY 1').map((r) => r.version_num);
    } catch {
      return [];
    }
  }

  /** Names of the user tables of a bind. */
  tables(bind: string): string[] {
    try {
      return this.query<{ name: string }>(bind, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY 1").map((r) => r.name);
    } catch {
      return [];
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A revision file's source, with the §5 header. */
export function revisionSource(r: {
  revision: string;
  downRevision: string | string[] | null;
  branchLabels?: string[];
  dependsOn?: string[];
  message?: string;
  upgrade?: string;
  downgrade?: string;
  extra?: string;
}): string {
  const lit = (v: unknown) => JSON.stringify(v).replace(/"/g, "'");
  return [
    `import type { Operations } from '@multidb/core';`,
    ``,
    `export const revision = '${r.revision}';`,
    `export const downRevision = ${lit(r.downRevision)};`,
    `export const branchLabels = ${lit(r.branchLabels ?? [])};`,
    `export const dependsOn = ${lit(r.dependsOn ?? [])};`,
    `export const message = ${lit(r.message ?? r.revision)};`,
    `export const createDate = '2026-11-23T10:00:00Z';`,
    r.extra ?? '',
    `export async function upgrade(op: Operations): Promise<void> {`,
    `  ${r.upgrade ?? ''}`,
    `}`,
    ``,
    `export async function downgrade(op: Operations): Promise<void> {`,
    `  ${r.downgrade ?? ''}`,
    `}`,
    ``,
  ].join('\n');
}
