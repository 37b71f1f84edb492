// A throwaway project on SQLite for the TUI's tests: a config, revision files, and the databases.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** What configs and revisions of the sample import, resolved to this checkout's built packages. */
export const MODULE_ALIAS = {
  '@multidb/core': fileURLToPath(new URL('../../../core/dist/bundle/index.js', import.meta.url)),
};

/** A revision file's source (DESIGN §5). */
export function revisionSource(r: {
  revision: string;
  downRevision: string | null;
  branchLabels?: string[];
  dependsOn?: string[];
  message?: string;
  upgrade?: string;
  downgrade?: string;
}): string {
  const lit = (v: unknown) => JSON.stringify(v).replace(/"/g, "'");
  return [
    `import type { Operations } from '@multidb/core';`,
    `export const revision = '${r.revision}';`,
    `export const downRevision = ${lit(r.downRevision)};`,
    `export const branchLabels = ${lit(r.branchLabels ?? [])};`,
    `export const dependsOn = ${lit(r.dependsOn ?? [])};`,
    `export const message = ${lit(r.message ?? r.revision)};`,
    `export const createDate = '2026-11-23T10:00:00Z';`,
    `export async function upgrade(op: Operations): Promise<void> {`,
    `  ${r.upgrade ?? ''}`,
    `}`,
    `export async function downgrade(op: Operations): Promise<void> {`,
    `  ${r.downgrade ?? ''}`,
    `}`,
    ``,
  ].join('\n');
}

/** A temporary project whose binds are SQLite files under `.data/`. */
export class SampleProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'multidb-tui-'));

  constructor(binds: Record<string, string> = { default: 'sqlite:.data/default.db', db2: 'sqlite:.data/db2.db' }) {
    const entries = Object.entries(binds).map(([name, url]) => `    ${name}: { url: ${JSON.stringify(url)} },`);
    this.write('migrate.config.ts', [`import { defineConfig } from '@multidb/core';`, `export default defineConfig({`, `  binds: {`, ...entries, `  },`, `});`, ``].join('\n'));
  }

  write(path: string, text: string): string {
    const full = join(this.dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  /**
   * Writes a config whose binds are `tenants`, SQLite files under `.data/tenants/`, all following
   * branch `tenant` (the config generates them from the list, as the README shows).
   */
  tenantConfig(tenants: readonly string[]): void {
    this.write(
      'migrate.config.ts',
      [
        `import { defineConfig } from '@multidb/core';`,
        `export default defineConfig({`,
        `  binds: Object.fromEntries(${JSON.stringify(tenants)}.map((t) => [t, { url: 'sqlite:.data/tenants/' + t + '.db', branch: 'tenant' }])),`,
        `});`,
        ``,
      ].join('\n'),
    );
  }

  /** Writes `migrations/versions/<branch>/<revision>_x.ts`. */
  revision(branch: string, r: Parameters<typeof revisionSource>[0]): string {
    return this.write(`migrations/versions/${branch}/${r.revision}_x.ts`, revisionSource(r));
  }

  query<T = Record<string, unknown>>(bind: string, sql: string): T[] {
    const db = new Database(join(this.dir, '.data', `${bind}.db`), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }

  /** Creates a bind's SQLite file (if needed) with a version table holding `rows`. */
  stamp(bind: string, rows: readonly string[]): void {
    mkdirSync(join(this.dir, '.data'), { recursive: true });
    const db = new Database(join(this.dir, '.data', `${bind}.db`));
    try {
      db.exec('CREATE TABLE IF NOT EXISTS multidb_version (version_num varchar(32) PRIMARY KEY); DELETE FROM multidb_version');
      for (const row of rows) db.prepare('INSERT INTO multidb_version VALUES (?)').run(row);
    } finally {
      db.close();
    }
  }

  /** Runs SQL on a bind's SQLite file. */
  exec(bind: string, sql: string): void {
    const db = new Database(join(this.dir, '.data', `${bind}.db`), { fileMustExist: true });
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  }

  versions(bind: string): string[] {
    try {
      return this.query<{ version_num: string }>(bind, 'SELECT version_num FROM multidb_version ORDER BY 1').map((r) => r.version_num);
    } catch {
      return [];
    }
  }

  columns(bind: string, table: string): string[] {
    return this.query<{ name: string }>(bind, `SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).map((r) => r.name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
