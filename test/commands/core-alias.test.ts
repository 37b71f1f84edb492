// loadEnvironment from an app: a config's and a revision's `import … from '@multidb/core'` get the
// copy of core that runs loadEnvironment, imported natively, as the CLI maps it to its own (DESIGN
// §4). They went to jiti (Babel loaded, the file transformed: ~250 ms of CPU per loadEnvironment
// of a two-line config, against ~7 ms) and, in a project with no node_modules/@multidb/core of its
// own, did not load at all: "Cannot find module '@multidb/core'".
import { commands, createModuleLoader, loadEnvironment, type MigrationEnvironment } from '@multidb/core';
import { dialects } from '@multidb/dialect/registry';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { revisionSource, TempProject } from '../support/project.js';

const CORE_BUNDLE = fileURLToPath(new URL('../../packages/core/dist/bundle', import.meta.url));
/** The subpaths core's package.json exports besides its entry (`cache-folder`, `module-format`). */
const CORE_SUBPATHS = Object.keys((JSON.parse(readFileSync(new URL('../../packages/core/package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }).exports)
  .filter((key) => key !== '.')
  .map((key) => key.slice(2));

describe("loadEnvironment's default loader maps @multidb/core to its own copy", () => {
  let p: TempProject | undefined;
  let env: MigrationEnvironment | undefined;
  afterEach(async () => {
    await env?.close();
    p?.remove();
    env = p = undefined;
  });

  it('loads a config and runs a revision importing values of @multidb/core in a folder that has no copy of it', async () => {
    p = new TempProject(['app']);
    p.write(
      'migrations/versions/app/c1_enum.ts',
      revisionSource({
        revision: 'c1',
        downRevision: null,
        branchLabels: ['app'],
        extra: "import { enumType } from '@multidb/core';\n",
        upgrade: "await op.createTable('t', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'kind', type: enumType('kind', ['a', 'b']) }]);",
        downgrade: "await op.dropTable('t');",
      }),
    );
    expect(existsSync(join(p.dir, 'node_modules'))).toBe(false);
    env = await loadEnvironment({ dialects, cwd: p.dir });
    const run = await commands.upgrade(env, []);
    expect(run.steps.map((s) => `${s.bind} ${s.revision}`)).toEqual(['app c1']);
    await env.close();
    expect(p.versionsApplied('app')).toEqual(['c1']);
    expect(p.tables('app')).toContain('t');
  });

  it('hands a loader function the alias with @multidb/core, over the dialects’ own', async () => {
    p = new TempProject(['app']);
    let given: Readonly<Record<string, string>> | undefined;
    env = await loadEnvironment({
      dialects,
      cwd: p.dir,
      loader: (alias) => {
        given = alias;
        return createModuleLoader({ alias });
      },
    });
    // An entry of this very copy: the functions the app has.
    const entry = given?.['@multidb/core'] ?? '';
    expect(dirname(entry)).toBe(CORE_BUNDLE);
    expect(['index.js', 'index-sync.js']).toContain(basename(entry));
    expect(await import(pathToFileURL(entry).href)).toHaveProperty('loadEnvironment', loadEnvironment);
    expect(Object.keys(given ?? {})).toContain('kysely');
  });

  // The alias of the package to its entry file took '@multidb/core/module-format' for
  // '<entry>/module-format': "ENOTDIR: not a directory, stat '…/index-sync.js/module-format'",
  // from loadEnvironment's default loader and from the CLI alike.
  it('a config importing each subpath core exports (@multidb/core/module-format) loads, from loadEnvironment and from the CLI', async () => {
    expect(CORE_SUBPATHS).toEqual(expect.arrayContaining(['cache-folder', 'module-format']));
    const imports = CORE_SUBPATHS.map((sub, i) => `import * as sub${i} from '@multidb/core/${sub}';\n`).join('');
    const config =
      `import { defineConfig } from '@multidb/core';\n${imports}` +
      `export default defineConfig({ binds: { app: { url: 'sqlite:.data/app.db' } }, directory: 'migrations', versionTable: 'v_' + [${CORE_SUBPATHS.map((_, i) => `Object.keys(sub${i}).length`).join(', ')}].join('_') });\n`;
    p = new TempProject(['app'], { config });
    p.write('migrations/versions/app/c1_t.ts', revisionSource({ revision: 'c1', downRevision: null, branchLabels: ['app'] }));
    expect(existsSync(join(p.dir, 'node_modules'))).toBe(false);
    env = await loadEnvironment({ dialects, cwd: p.dir });
    // Each module imported: its exports counted into the version table's name.
    expect(env.loaded.versionTable).toMatch(/^v(_[1-9]\d*)+$/);
    const out = await p.run('heads');
    expect(out.stderr).not.toContain('ENOTDIR');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('c1');
  });
});
