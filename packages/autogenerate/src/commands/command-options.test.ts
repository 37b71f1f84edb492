// The commands of @multidb/autogenerate refuse an options key they do not take before doing
// anything (from JavaScript, `autogenerate(env, { bind: 'db2', message })` compared every bind, as
// with no `binds`): no dialect is loaded (the registry's one entry records a load and fails it), no
// models module imported, no database file created, no revision or types file written.
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineModels, loadEnvironment, MultidbError, UnknownOptionError, type DialectRegistry, type MigrationEnvironment } from '@multidb/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { autogenerate } from './autogenerate.js';
import { codegen } from './codegen.js';
import { compareBind } from './compare-bind.js';
import { modelsFromDatabase } from './models-from-database.js';

let root: string;
let loaded: string[];
let env: MigrationEnvironment;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-autogenerate-options-'));
  loaded = [];
  await mkdir(join(root, 'migrations', 'versions', 'db2'), { recursive: true });
  await writeFile(join(root, 'models.ts'), "export default { tables: [{ name: 't', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] };\n");
  const dialects: DialectRegistry = [
    {
      name: 'sqlite',
      schemes: ['sqlite'],
      load: async () => {
        loaded.push('sqlite');
        throw new Error('the SQLite dialect was loaded: the command went on past its options');
      },
    },
  ];
  env = await loadEnvironment({
    dialects,
    configObject: { directory: 'migrations', binds: { db2: { url: 'sqlite:data/db2.db', models: './models.ts', types: './types.ts' } } },
    baseDir: root,
  });
});
afterEach(async () => {
  await env.close();
  await rm(root, { recursive: true, force: true });
});

const models = defineModels({ tables: [{ name: 't', columns: [{ name: 'id', type: 'integer', primaryKey: true }] }] });

// Options as JavaScript without types gives them (`as never`: the compiler would refuse the key).
it.each([
  ['autogenerate', () => autogenerate(env, { message: 'add t', bind: 'db2' } as never), 'bind', 'binds'],
  ['compareBind', () => compareBind(env, 'db2', models, { rename: { accept: [] } } as never), 'rename', 'renames'],
  ['codegen', () => codegen(env, [], { verfiy: true } as never), 'verfiy', 'verify'],
  ['modelsFromDatabase', () => modelsFromDatabase(env, { out: 'models/db2.ts' } as never), 'out', undefined],
] as const)('%s refuses an unknown key before doing anything', async (command, call, key, suggestion) => {
  const error = await call().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnknownOptionError);
  expect(error).toBeInstanceOf(MultidbError);
  expect(error).toMatchObject({ code: 'UNKNOWN_OPTION', command: `${command}()`, unknown: [suggestion === undefined ? { key } : { key, suggestion }] });
  expect((error as Error).message).toMatch(new RegExp(`^${command}\\(\\): unknown option '${key}'${suggestion ? ` \\(did you mean '${suggestion}'\\?\\)` : ''}; ${command}\\(\\) takes .+\\. Nothing was done\\.$`));
  expect(loaded).toEqual([]);
  // Nothing written: no database, no revision, no types or models file.
  expect(readdirSync(root, { recursive: true }).map(String).sort()).toEqual(['migrations', 'migrations/versions', 'migrations/versions/db2', 'models.ts']);
});
