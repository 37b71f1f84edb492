// `check` examines every bind it is asked about and reports each one's outcome, instead of stopping
// at the first bind that is behind its head or cannot be reached: a CI job learns of every problem
// in one run. Real SQLite binds (behind, differing, matching, without models, with models that
// refer to a table nowhere) and a PostgreSQL bind on a closed port (nothing listens on port 9 of the
// loopback: the connection is refused at once, no server needed), its password masked.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@multidb/core';
import { createModuleLoader, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, checkVerdict, isCheckFailure, type CheckBindResult } from '../src/index.js';

const PASSWORD = 'Zq9pw77secret';
const CLOSED_URL = `postgres://app:${PASSWORD}@127.0.0.1:9/sales`;

/** A models module: table `note` with `id` and the given extra columns (one may refer to `nosuch`). */
const models = (extra: readonly object[] = []) =>
  `import { defineModels } from '@multidb/core';\n` +
  `export default defineModels({ tables: [{ name: 'note', columns: ${JSON.stringify([{ name: 'id', type: 'integer', primaryKey: true }, ...extra])} }] });\n`;

/** The branch root of `bind`, creating table `note(id)`. */
const revision = (bind: string) =>
  `import type { Operations } from '@multidb/core';\n` +
  `export const revision = '${bind}1';\n` +
  `export const downRevision = null;\n` +
  `export const branchLabels = ['${bind}'];\n` +
  `export const dependsOn = [];\n` +
  `export const message = 'create note';\n` +
  `export const createDate = '2026-11-23T10:00:00Z';\n` +
  `export async function upgrade(op: Operations): Promise<void> {\n  await op.createTable('note', [{ name: 'id', type: 'integer', primaryKey: true }]);\n}\n` +
  `export async function downgrade(op: Operations): Promise<void> {\n  await op.dropTable('note');\n}\n`;

describe('check reports every bind', () => {
  let root: string;
  let env: MigrationEnvironment;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'multidb-check-'));
    const binds = ['behind', 'drift', 'closed', 'same', 'none', 'broken'];
    for (const bind of binds) {
      await mkdir(join(root, 'migrations', 'versions', bind), { recursive: true });
      await writeFile(join(root, 'migrations', 'versions', bind, `${bind}1_create_note.ts`), revision(bind));
    }
    await mkdir(join(root, 'models'));
    for (const bind of ['behind', 'closed', 'same']) await writeFile(join(root, 'models', `${bind}.ts`), models());
    await writeFile(join(root, 'models', 'drift.ts'), models([{ name: 'body', type: 'text', nullable: true }]));
    await writeFile(join(root, 'models', 'broken.ts'), models([{ name: 'owner_id', type: 'integer', references: 'nosuch.id' }]));
    const url = (bind: string) => (bind === 'closed' ? CLOSED_URL : `sqlite:data/${bind}.db`);
    env = await loadEnvironment({
      dialects,
      baseDir: root,
      loader: createModuleLoader({ modules: { '@multidb/core': core }, fsCache: false }),
      configObject: {
        directory: 'migrations',
        binds: Object.fromEntries(binds.map((b) => [b, { url: url(b), ...(b === 'closed' ? { connectTimeout: 5 } : {}), ...(b === 'none' ? {} : { models: `./models/${b}.ts` }) }])),
      },
    });
    // Every SQLite bind at its head but `behind` (whose database file is never created).
    await core.commands.upgrade(env, ['drift', 'same', 'none', 'broken']);
  });
  afterAll(async () => {
    await env?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('goes on past a bind behind its head and an unreachable one, and reports each, in config order', async () => {
    const results = await check(env);
    expect(results.map((r) => [r.bind, r.outcome])).toEqual([
      ['behind', 'not-up-to-date'],
      ['drift', 'differs'],
      ['closed', 'unreachable'],
      ['same', 'match'],
      ['none', 'skipped'],
      ['broken', 'error'],
    ]);
    const [behind, drift, closed, same, none, broken] = results as [CheckBindResult, CheckBindResult, CheckBindResult, CheckBindResult, CheckBindResult, CheckBindResult];

    // Behind: where it is, its head, and the revisions an upgrade would run.
    expect(behind).toMatchObject({ code: 'NOT_UP_TO_DATE', current: [], heads: ['behind1'], unknown: [], changes: [] });
    expect(behind.pending?.map((p) => [p.revision, p.message])).toEqual([['behind1', 'create note']]);
    expect(behind.reason).toBe("[behind] Target database is not up to date: it is at <base>, its branch's head is behind1. Run 'migrate upgrade behind' first.");
    expect(existsSync(join(root, 'data', 'behind.db'))).toBe(false);

    // Drift: the change found.
    expect(drift.changes.map((c) => c.line)).toEqual(["Detected added column 'note.body'"]);
    expect(drift.reason).toBeUndefined();

    // Unreachable: the connection error, password masked.
    expect(closed.reason).toMatch(/^\[closed\] cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:9\/sales: .*ECONNREFUSED/);
    expect(JSON.stringify(results)).not.toContain(PASSWORD);

    expect(same).toMatchObject({ changes: [], warnings: [] });
    expect(none.warnings).toEqual(['[none] has no models (binds.none.models): skipped.']);
    // Models refused: the error's message and code.
    expect(broken.reason).toMatch(/^\[broken\] Table 'note' has a foreign key \(owner_id\) to 'nosuch'\(id\)/);
    expect(broken.code).toBe('NO_REFERENCED_TABLE');

    expect(results.filter(isCheckFailure).map((r) => r.bind)).toEqual(['behind', 'closed', 'broken']);
    expect(checkVerdict(results)).toBe('failed');
  });

  it('the binds asked about only, in the order asked; the verdict is the most severe outcome', async () => {
    const differs = await check(env, ['same', 'drift']);
    expect(differs.map((r) => [r.bind, r.outcome])).toEqual([
      ['same', 'match'],
      ['drift', 'differs'],
    ]);
    expect(checkVerdict(differs)).toBe('differs');
    // A bind not compared outranks one that differs, whichever comes first.
    for (const binds of [['drift', 'closed'], ['closed', 'drift']]) expect(checkVerdict(await check(env, binds))).toBe('failed');
    expect(checkVerdict(await check(env, ['same', 'none']))).toBe('ok');
  });
});
