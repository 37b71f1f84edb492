import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './sqlite-file.js';

/** Revision id number `i` (12 hex digits). */
export const revisionId = (i: number): string => `${(i + 1).toString(16).padStart(12, '0')}`;

/**
 * A migration repository in a temp folder with `n` revisions chained on branch `main`, revision i
 * creating table `t<i>` (downgrade drops it); `extra[i]`: more of revision i's upgrade body.
 * @returns the project folder (no config file: callers load it with their own binds).
 */
export function tableRevisionsProject(n: number, extra: Record<number, string> = {}): string {
  const dir = tempDir();
  const versions = join(dir, 'migrations', 'versions', 'main');
  mkdirSync(versions, { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(
      join(versions, `${revisionId(i)}_rev.ts`),
      [
        "import type { Operations } from '@multidb/core';",
        `export const revision = '${revisionId(i)}';`,
        `export const downRevision = ${i === 0 ? 'null' : `'${revisionId(i - 1)}'`};`,
        `export const branchLabels = ${i === 0 ? "['main']" : '[]'};`,
        'export const dependsOn = [];',
        `export const message = 'rev ${i}';`,
        "export const createDate = '2026-12-05T03:00:00Z';",
        `export async function upgrade(op: Operations): Promise<void> {\n  await op.createTable('t${i}', [{ name: 'id', type: 'integer', primaryKey: true }]);\n  ${extra[i] ?? ''}\n}`,
        `export async function downgrade(op: Operations): Promise<void> {\n  await op.dropTable('t${i}');\n}`,
        '',
      ].join('\n'),
    );
  }
  return dir;
}
