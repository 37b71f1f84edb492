import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES, type ConnectOptions, type Dialect, type DialectConnection } from '../dialect/dialect.js';
import { UnsupportedBindOptionError } from '../errors.js';
import type { ScriptWarning } from '../script/script-directory.js';
import { loadEnvironment } from './environment.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-env-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const revision = (id: string, down: string) =>
  `export const revision = '${id}';\nexport const downRevision = ${down};\nexport const branchLabels = ${down === 'null' ? "['default']" : '[]'};\n` +
  `export async function upgrade() {}\nexport async function downgrade() {}\n`;

describe('MigrationEnvironment warnings', () => {
  it('reports each warning of the repository once, to onWarning and in warnings, however often the scripts are read', async () => {
    const folder = join(root, 'migrations', 'versions', 'default');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'aaa_init.ts'), revision('aaa', 'null'));
    await writeFile(join(folder, 'zzz_next.ts'), revision('bbb', "'aaa'"));
    await writeFile(join(folder, 'shared.ts'), 'export const table = "Album";\n');
    const heard: ScriptWarning[] = [];
    const env = await loadEnvironment({
      dialects: [],
      configObject: { directory: 'migrations', binds: { default: { url: 'sqlite:x.db' } } },
      baseDir: root,
      onWarning: (w) => heard.push(w),
    });
    expect(env.warnings).toEqual([]);
    expect((await env.revisionMap()).heads('default')).toEqual(['bbb']);
    env.invalidate(); // as after writing a revision: the scripts are read again
    await env.revisionMap();
    expect(heard.map((w) => [w.code, w.file])).toEqual([
      ['NOT_A_REVISION', join(folder, 'shared.ts')],
      ['FILE_NAME_MISMATCH', join(folder, 'zzz_next.ts')],
    ]);
    expect(env.warnings).toEqual(heard);
  });
});

describe('MigrationEnvironment.bindsForTargetsEach', () => {
  it('gives each target the binds bindsForTargets gives it alone, in every direction', async () => {
    const rev = (id: string, label: string, dependsOn: string[] = []) =>
      `export const revision = '${id}';\nexport const downRevision = null;\nexport const branchLabels = ['${label}'];\n` +
      `export const dependsOn = ${JSON.stringify(dependsOn)};\nexport async function upgrade() {}\nexport async function downgrade() {}\n`;
    for (const [branch, file, text] of [
      ['main', 'm1_main.ts', rev('m1', 'main')],
      ['tenant', 't1_tenant.ts', rev('t1', 'tenant', ['m1'])],
      ['other', 'o1_other.ts', rev('o1', 'other')],
    ] as const) {
      await mkdir(join(root, 'migrations', 'versions', branch), { recursive: true });
      await writeFile(join(root, 'migrations', 'versions', branch, file), text);
    }
    const tenants = ['acme', 'globex', 'initech'];
    const env = await loadEnvironment({
      dialects: [],
      configObject: {
        directory: 'migrations',
        binds: {
          other: { url: 'sqlite:other.db' },
          ...Object.fromEntries(tenants.map((t) => [t, { url: `sqlite:${t}.db`, branch: 'tenant' }])),
          main: { url: 'sqlite:main.db' },
        },
      },
      baseDir: root,
    });
    const targets = ['globex', 'main', 'other@head', 'acme@t1', 'heads'];
    for (const direction of ['up', 'down', 'stamp'] as const) {
      const each = await env.bindsForTargetsEach(targets, direction);
      expect([...each.keys()]).toEqual(targets);
      for (const target of targets) expect(each.get(target), `${direction} ${target}`).toEqual(await env.bindsForTargets([target], direction));
    }
    // What the links give: a tenant upgrade needs main; a downgrade of main, every tenant.
    const up = await env.bindsForTargetsEach(['globex', 'main']);
    expect(up.get('globex')).toEqual(['globex', 'main']);
    expect(up.get('main')).toEqual(['main']);
    expect((await env.bindsForTargetsEach(['main'], 'down')).get('main')).toEqual(['acme', 'globex', 'initech', 'main']);
    expect((await env.bindsForTargetsEach(['heads'])).get('heads')).toEqual(['other', 'acme', 'globex', 'initech', 'main']);
    // A shared branch's label is refused for a downgrade, unless allBinds.
    await expect(env.bindsForTargetsEach(['tenant'], 'down')).rejects.toThrow(/tenant/);
    expect((await env.bindsForTargetsEach(['tenant'], 'down', { allBinds: true })).get('tenant')).toEqual(['acme', 'globex', 'initech']);
  });
});

describe('MigrationEnvironment: bind options the dialect has no use for', () => {
  it('refuses schema before the driver connects, for a connection and for the pure dialect alike', async () => {
    const connects: string[] = [];
    const driver = {
      dialect: () => ({ name: 'noschemas', capabilities: { ...DEFAULT_CAPABILITIES, schemas: false } }) as unknown as Dialect,
      connect: async (options: ConnectOptions): Promise<DialectConnection> => {
        connects.push(options.bind);
        throw new Error('connected');
      },
    };
    const env = await loadEnvironment({
      dialects: [{ name: 'noschemas', schemes: ['noschemas'], load: async () => driver }],
      configObject: { directory: 'migrations', binds: { plain: { url: 'noschemas://h/app' }, db2: { url: 'noschemas://h/app', versionTableSchema: 'meta' } } },
      baseDir: root,
    });
    await expect(env.connection('db2')).rejects.toThrow(UnsupportedBindOptionError);
    await expect(env.dialect('db2')).rejects.toMatchObject({ bind: 'db2', option: 'versionTableSchema', dialect: 'noschemas' });
    expect(connects).toEqual([]);
    // A bind without it connects as before.
    await expect(env.connection('plain')).rejects.toThrow('connected');
    expect(connects).toEqual(['plain']);
  });
});
