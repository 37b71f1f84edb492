import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
