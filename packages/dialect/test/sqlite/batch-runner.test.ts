import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment, MigrationError, type MigrationEnvironment, type MultidbConfig } from '@multidb/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../../src/registry.js';
import { tempDir } from './helpers.js';

const envs: MigrationEnvironment[] = [];
afterEach(async () => {
  while (envs.length) await envs.pop()!.close();
});

/** Writes revision files of the `default` branch; each is `[id, body lines, extra header lines]`. */
function project(revisions: readonly [string, string, string?][], config: Partial<MultidbConfig> = {}) {
  const dir = tempDir();
  const versions = join(dir, 'migrations', 'versions', 'default');
  mkdirSync(versions, { recursive: true });
  revisions.forEach(([id, body, extra], i) => {
    const down = i === 0 ? 'null' : `'${revisions[i - 1]![0]}'`;
    writeFileSync(
      join(versions, `${id}_step.ts`),
      [
        "import type { Operations } from '@multidb/core';",
        '',
        `export const revision = '${id}';`,
        `export const downRevision = ${down};`,
        `export const branchLabels = ${i === 0 ? "['default']" : '[]'};`,
        'export const dependsOn = [];',
        `export const message = 'step ${i}';`,
        "export const createDate = '2026-11-24T10:00:00Z';",
        extra ?? '',
        '',
        `export async function upgrade(op: Operations): Promise<void> {\n${body}\n}`,
        '',
        'export async function downgrade(_op: Operations): Promise<void> {}',
        '',
      ].join('\n'),
    );
  });
  const configObject: MultidbConfig = { directory: 'migrations', binds: { default: { url: 'sqlite:app.db' } }, ...config };
  return { dir, configObject, file: join(dir, 'app.db') };
}

const SETUP = `
  await op.createTable('Parent', [
    { name: 'id', type: 'integer', primaryKey: true, autoincrement: true },
    { name: 'name', type: 'text' },
    { name: 'note', type: 'text' },
  ], { indexes: [{ columns: ['note'] }] });
  await op.createTable('Child', [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'parentId', type: 'integer', references: { table: 'Parent', column: 'id', onDelete: 'cascade' } },
  ]);
  await op.bulkInsert('Parent', [1, 2, 3, 4].map((i) => ({ id: i, name: 'p' + i, note: i % 2 ? 'odd' : null })));
  await op.bulkInsert('Child', [1, 2, 3, 4, 5, 6].map((i) => ({ id: i, parentId: (i % 4) + 1 })));
`;

async function upgrade(p: ReturnType<typeof project>) {
  const env = await loadEnvironment({ dialects, configObject: p.configObject, baseDir: p.dir });
  envs.push(env);
  return env.upgrade();
}

function read(file: string, sql: string) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('sqlite batch mode through core’s runner', () => {
  it('rebuilds inside the revision’s transaction (per-revision and per-run)', async () => {
    for (const transactionMode of ['per-revision', 'per-run'] as const) {
      const p = project(
        [
          ['000000000001', SETUP],
          ['000000000002', `  await op.batchAlterTable('Parent', (b) => { b.dropColumn('note'); b.alterColumn('name', { type: 'varchar(20)', nullable: false }); });`],
        ],
        { transactionMode },
      );
      const result = await upgrade(p);
      expect(result.steps.map((s) => s.revision)).toEqual(['000000000001', '000000000002']);
      expect(read(p.file, `SELECT name FROM pragma_table_xinfo('Parent')`)).toEqual([{ name: 'id' }, { name: 'name' }]);
      expect(read(p.file, 'SELECT count(*) AS n FROM "Child"')).toEqual([{ n: 6 }]);
      expect(read(p.file, `SELECT seq FROM sqlite_sequence WHERE name = 'Parent'`)).toEqual([{ seq: 4 }]);
      expect(read(p.file, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: '000000000002' }]);
    }
  });

  it('gives a rebuild its own transaction in a revision with transaction = false: children survive', async () => {
    const p = project([
      ['000000000001', SETUP],
      [
        '000000000002',
        `  await op.alterColumn('Parent', 'name', { type: 'varchar(20)' });\n  await op.dropColumn('Parent', 'note');`,
        'export const transaction = false;',
      ],
    ]);
    await upgrade(p);
    expect(read(p.file, `SELECT name, type FROM pragma_table_xinfo('Parent')`)).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'varchar(20)' },
    ]);
    // Had the rebuild run with foreign keys on and no transaction, DROP TABLE "Parent" would have cascaded.
    expect(read(p.file, 'SELECT count(*) AS n FROM "Child"')).toEqual([{ n: 6 }]);
    expect(read(p.file, 'PRAGMA foreign_key_check')).toEqual([]);
  });

  it('a failing rebuild in a transaction = false revision rolls back that op and names the statement', async () => {
    const p = project([
      ['000000000001', SETUP],
      ['000000000002', `  await op.alterColumn('Parent', 'note', { nullable: false });`, 'export const transaction = false;'],
    ]);
    const error = await upgrade(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/NOT NULL constraint failed: _multidb_tmp_Parent\.note/);
    expect((error as MigrationError).statement).toMatch(/^INSERT INTO "_multidb_tmp_Parent"/);
    expect(read(p.file, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)).toEqual([
      { name: 'Child' },
      { name: 'Parent' },
      { name: 'multidb_version' },
      { name: 'sqlite_sequence' },
    ]);
    expect(read(p.file, `SELECT "notnull" FROM pragma_table_xinfo('Parent') WHERE name = 'note'`)).toEqual([{ notnull: 0 }]);
    expect(read(p.file, 'SELECT count(*) AS n FROM "Parent"')).toEqual([{ n: 4 }]);
    expect(read(p.file, 'SELECT version_num FROM multidb_version')).toEqual([{ version_num: '000000000001' }]);
  });
});
