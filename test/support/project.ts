import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** The built `migrate` binary of this checkout. */
export const MIGRATE_BIN = fileURLToPath(new URL('../../packages/cli/bin/migrate.cjs', import.meta.url));

/** What one `migrate` subprocess did. */
export interface RunOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Waits until the bin's two script bundles (core's and the CLI's) were last changed more than
 * RACY_MS (2 s) ago: the bin makes no V8 code cache of a script file changed more recently than
 * that before it read it (packages/cli/src/script-cache.ts), as right after a build.
 */
export async function bundlesSettled(): Promise<void> {
  const scripts = ['../../packages/core/dist/bundle/index.script.cjs', '../../packages/cli/dist/bundle/main.script.cjs'].map((f) => fileURLToPath(new URL(f, import.meta.url)));
  const changed = Math.max(...scripts.map((f) => Math.max(statSync(f).ctimeMs, statSync(f).mtimeMs)));
  const wait = changed + 2_100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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

/**
 * A config of SQLite binds (`.data/<bind>.db`), each with its models module.
 * @param models - per bind, in config order, the path of its models module (`'./models/db2.ts'`).
 * @returns the config's source, for {@link TempProjectOptions.config}.
 */
export function sqliteModelsConfig(models: Readonly<Record<string, string>>): string {
  const binds = Object.entries(models).map(([bind, file]) => `    ${bind}: { url: 'sqlite:.data/${bind}.db', models: '${file}' },\n`);
  return `import { defineConfig } from '@multidb/core';\nexport default defineConfig({\n  directory: 'migrations',\n  binds: {\n${binds.join('')}  },\n});\n`;
}

/** Options of {@link TempProject}. */
export interface TempProjectOptions {
  /** The config's source; `false` writes no config (an empty folder, e.g. for `init`). */
  readonly config?: string | false;
  /** Extra environment of every `migrate` run (a key set to `undefined` is removed). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A temporary project folder with a config of SQLite binds. */
export class TempProject {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(binds: readonly string[] = ['default', 'db2'], options: TempProjectOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'multidb-e2e-'));
    this.env = options.env ?? {};
    if (options.config === false) return;
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
    return runMigrate(this.dir, args, this.env);
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

  /** Reads a file relative to the project. */
  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  /** Whether a file or folder exists, relative to the project. */
  exists(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  /** Every file under the project (or under `under`), as sorted `/`-separated relative paths. */
  files(under = '.'): string[] {
    const root = join(this.dir, under);
    if (!existsSync(root)) return [];
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.push(relative(this.dir, full).split(sep).join('/'));
      }
    };
    walk(root);
    return out.sort();
  }

  /** Copies a file or folder from outside into the project (at `dest`, relative). */
  copyIn(source: string, dest: string): void {
    cpSync(source, join(this.dir, dest), { recursive: true });
  }

  /**
   * Runs `migrate revision ARGS` (or `merge`, when `args[0]` is `'merge'`) and returns the new
   * revision's id (read from the file's header) and file (relative to the project).
   */
  async revision(...args: string[]): Promise<{ id: string; file: string }> {
    const out = await this.ok(...(args[0] === 'merge' ? args : ['revision', ...args]));
    const path = /^Generating (.+\.ts) \.\.\.\s+done$/m.exec(out.stdout)?.[1];
    if (!path) throw new Error(`no 'Generating <file>.ts' line in:\n${out.stdout}`);
    const file = relative(this.dir, path).split(sep).join('/');
    const id = /^export const revision = '([^']+)';$/m.exec(this.read(file))?.[1];
    if (!id) throw new Error(`no revision header in ${file}`);
    return { id, file };
  }

  /**
   * Replaces the `// Nothing to do.` bodies of a generated revision file: the first with
   * `upgrade`, the second with `downgrade` (TypeScript statements, `op` in scope).
   */
  fill(file: string, bodies: { upgrade?: string; downgrade?: string }): void {
    const source = this.read(file);
    const marker = '// Nothing to do.';
    const first = source.indexOf(marker);
    const second = source.indexOf(marker, first + marker.length);
    if (first < 0 || second < 0) throw new Error(`${file}: expected two '${marker}' bodies`);
    const filled =
      source.slice(0, first) +
      (bodies.upgrade ?? marker) +
      source.slice(first + marker.length, second) +
      (bodies.downgrade ?? marker) +
      source.slice(second + marker.length);
    this.write(file, filled);
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

  /** Runs SQL (one or more statements) on a bind's SQLite file, read-write. */
  exec(bind: string, sql: string): void {
    const db = new Database(join(this.dir, '.data', `${bind}.db`), { fileMustExist: true });
    try {
      db.exec(sql);
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
