import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createModuleLoader } from './module-loader.js';
import { DEFAULT_NAMING_CONVENTION } from '../schema/naming-convention.js';
import { initRepository, renderStarterConfig } from './repository-init.js';
import { ScriptDirectory } from './script-directory.js';

const CORE_INDEX = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'index.ts');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-init-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('initRepository', () => {
  it('writes README, script.ts.tmpl and one versions/<branch>/ per bind with --multidb', async () => {
    const directory = join(root, 'migrations');
    const files = await initRepository({ directory, branches: ['default', 'db2'], multidb: true });
    expect(files).toEqual([
      join(directory, 'README'),
      join(directory, 'script.ts.tmpl'),
      join(directory, 'versions', 'default', '.gitkeep'),
      join(directory, 'versions', 'db2', '.gitkeep'),
    ]);
    expect((await readdir(join(directory, 'versions'))).sort()).toEqual(['db2', 'default']);
    expect(await readFile(join(directory, 'README'), 'utf8')).toMatch(/versions\/<branch>\//);
    const template = await readFile(join(directory, 'script.ts.tmpl'), 'utf8');
    for (const placeholder of ['revision', 'downRevision', 'branchLabels', 'dependsOn', 'message', 'createDate', 'imports', 'upgrades', 'downgrades']) {
      expect(template).toContain(`\${${placeholder}}`);
    }
    expect(template).toContain("import type { Operations } from '@multidb/core';");
    expect((await ScriptDirectory.open(directory)).branches()).toEqual(['db2', 'default']);
  });

  it('writes only the first branch without --multidb (default when none is given)', async () => {
    const directory = join(root, 'migrations');
    const files = await initRepository({ directory, branches: ['main', 'other'], multidb: false });
    expect(files.at(-1)).toBe(join(directory, 'versions', 'main', '.gitkeep'));
    expect(await readdir(join(directory, 'versions'))).toEqual(['main']);
    const other = join(root, 'other');
    await initRepository({ directory: other, branches: [], multidb: false });
    expect(await readdir(join(other, 'versions'))).toEqual(['default']);
  });

  it('accepts an existing empty folder', async () => {
    const directory = join(root, 'migrations');
    await mkdir(directory);
    await expect(initRepository({ directory, branches: [], multidb: false })).resolves.toHaveLength(3);
  });

  it('refuses a folder that is not empty and leaves it untouched', async () => {
    const directory = join(root, 'migrations');
    await mkdir(directory);
    await writeFile(join(directory, 'keep.txt'), 'mine');
    const attempt = initRepository({ directory, branches: ['default'], multidb: true });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(initRepository({ directory, branches: ['default'], multidb: true })).rejects.toThrow(/already exists and is not empty/);
    expect(await readdir(directory)).toEqual(['keep.txt']);
  });

  it('refuses a path that is a file, bad branch names, and --multidb without branches', async () => {
    const file = join(root, 'file');
    await writeFile(file, '');
    await expect(initRepository({ directory: file, branches: [], multidb: false })).rejects.toThrow(/is not a folder/);
    await expect(initRepository({ directory: join(root, 'a'), branches: ['../x'], multidb: true })).rejects.toThrow(/Invalid branch name/);
    await expect(initRepository({ directory: join(root, 'b'), branches: [], multidb: true })).rejects.toThrow(ConfigError);
    // Names every object has (the bind was dropped from the starter config): refused, nothing written.
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await expect(initRepository({ directory: join(root, 'c'), branches: ['default', name], multidb: true })).rejects.toThrow(
        `Invalid bind name '${name}': every JavaScript object has a property named '${name}'`,
      );
    }
    await expect(readdir(root)).resolves.not.toContain('c');
  });
});

describe('renderStarterConfig', () => {
  it('renders a config that loads through the @multidb/core alias', async () => {
    const source = renderStarterConfig({ directory: 'migrations', binds: ['default', 'db2', 'tenant-a'] });
    expect(source).toContain("import { defineConfig } from '@multidb/core';");
    expect(source).toContain("    default: { url: 'sqlite:.data/default.db' },");
    expect(source).toContain("    'tenant-a': { url: 'sqlite:.data/tenant-a.db' },");
    const path = join(root, 'migrate.config.ts');
    await writeFile(path, source);
    const mod = await createModuleLoader({ alias: { '@multidb/core': CORE_INDEX } }).import<{ default: unknown }>(path);
    expect(mod.default).toEqual({
      directory: 'migrations',
      versionTable: 'multidb_version',
      namingConvention: { ...DEFAULT_NAMING_CONVENTION },
      binds: {
        default: { url: 'sqlite:.data/default.db' },
        db2: { url: 'sqlite:.data/db2.db' },
        'tenant-a': { url: 'sqlite:.data/tenant-a.db' },
      },
    });
  });

  it('refuses an empty list of binds', () => {
    expect(() => renderStarterConfig({ directory: 'migrations', binds: [] })).toThrow(ConfigError);
  });
});
