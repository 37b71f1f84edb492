import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, TransformCache } from './transform-cache.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multidb-tcache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A module's path under the test folder, made to exist (a flush drops entries of missing files). */
function real(path: string): string {
  const file = join(dir, 'modules', path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  return file;
}

describe('TransformCache', () => {
  it('writes one file per folder of modules, read back by another process’s cache', async () => {
    const root = join(dir, 'one-file');
    const cache = new TransformCache('v1', root);
    for (let i = 0; i < 50; i++) cache.set(real(`project/versions/r${i}.ts`), `source ${i}`, `code ${i}`);
    cache.set(real('project/migrate.config.ts'), 'config source', 'config code');
    cache.flush();
    expect((await readdir(root)).filter((f) => f.endsWith('.json'))).toHaveLength(2);

    const again = new TransformCache('v1', root);
    expect(again.get(real('project/versions/r7.ts'), 'source 7')).toBe('code 7');
    expect(again.get(real('project/migrate.config.ts'), 'config source')).toBe('config code');
  });

  it('never serves the transform of an edited source, nor one made by another transform version', () => {
    const root = join(dir, 'stale');
    const cache = new TransformCache('v1', root);
    cache.set(real('p/a.ts'), 'export const a = 1;', 'OLD');
    cache.flush();
    const reader = new TransformCache('v1', root);
    expect(reader.get(real('p/a.ts'), 'export const a = 2;')).toBeUndefined();
    expect(reader.get(real('p/a.ts'), 'export const a = 1;')).toBe('OLD');
    expect(new TransformCache('v2', root).get(real('p/a.ts'), 'export const a = 1;')).toBeUndefined();
  });

  it('ignores a cache file that does not parse, and replaces it', async () => {
    const root = join(dir, 'corrupt');
    const cache = new TransformCache('v1', root);
    cache.set(real('q/a.ts'), 's', 'c');
    cache.flush();
    const [file] = (await readdir(root)).filter((f) => f.endsWith('.json'));
    await writeFile(join(root, file!), '{ not json');
    const reader = new TransformCache('v1', root);
    expect(reader.get(real('q/a.ts'), 's')).toBeUndefined();
    reader.set(real('q/a.ts'), 's', 'c2');
    reader.flush();
    expect(new TransformCache('v1', root).get(real('q/a.ts'), 's')).toBe('c2');
  });

  it('ignores entries of a cache file that parses but is not of its shape', async () => {
    const root = join(dir, 'shape');
    const cache = new TransformCache('v1', root);
    cache.set(real('s/a.ts'), 's', 'c');
    cache.flush();
    const [file] = (await readdir(root)).filter((f) => f.endsWith('.json'));
    const json = JSON.parse(await readFile(join(root, file!), 'utf8')) as { entries: Record<string, unknown> };
    for (const bad of [null, 'c', [1, 2], ['x']]) {
      json.entries['a.ts'] = bad;
      await writeFile(join(root, file!), JSON.stringify(json));
      expect(new TransformCache('v1', root).get(real('s/a.ts'), 's'), JSON.stringify(bad)).toBeUndefined();
    }
    json.entries = null as never;
    await writeFile(join(root, file!), JSON.stringify(json));
    expect(new TransformCache('v1', root).get(real('s/a.ts'), 's')).toBeUndefined();
  });

  it('is not used when its folder is a symlink or others may write it (a shared temp folder)', async () => {
    const real = join(dir, 'real');
    await mkdir(real, { mode: 0o700 });
    const link = join(dir, 'link');
    await symlink(real, link);
    const viaLink = new TransformCache('v1', link);
    viaLink.set('/l/a.ts', 's', 'c');
    viaLink.flush();
    expect(await readdir(real)).toEqual([]);
    expect(viaLink.get('/l/a.ts', 's')).toBeUndefined();
    const open = join(dir, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    const shared = new TransformCache('v1', open);
    shared.set('/o/a.ts', 's', 'c');
    shared.flush();
    expect(await readdir(open)).toEqual([]);
  });

  it('drops the entry of a module renamed or deleted when it writes the folder again', async () => {
    const root = join(dir, 'renamed');
    const project = join(dir, 'renamed-project');
    await mkdir(project);
    await writeFile(join(project, 'a.ts'), 'A');
    await writeFile(join(project, 'gone.ts'), 'G');
    const cache = new TransformCache('v1', root);
    cache.set(join(project, 'a.ts'), 'A', 'code A');
    cache.set(join(project, 'gone.ts'), 'G', 'code G');
    cache.flush();
    await rename(join(project, 'a.ts'), join(project, 'b.ts'));
    await rm(join(project, 'gone.ts'));
    const after = new TransformCache('v1', root);
    after.set(join(project, 'b.ts'), 'A', 'code A');
    after.flush();
    const [file] = (await readdir(root)).filter((f) => f.endsWith('.json'));
    const json = JSON.parse(await readFile(join(root, file!), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(json.entries)).toEqual(['b.ts']);
  });
});

describe('contentHash', () => {
  it('tells apart sources that differ by one character, a swap, or their length', () => {
    const source = "export const revision = 'aa01';\nexport async function upgrade(op) { await op.createTable('t', []); }\n";
    const variants = [
      source,
      source.replace("'t'", "'u'"),
      source.replace('aa01', 'aa10'),
      source.replace('upgrade', 'uPgrade'),
      `${source} `,
      source.slice(0, -1),
      '',
      '\u0000',
      'é',
      'e\u0301',
    ];
    const hashes = variants.map(contentHash);
    expect(new Set(hashes).size).toBe(variants.length);
    expect(contentHash(source)).toBe(hashes[0]);
    expect(hashes[0]).toMatch(/^[0-9a-z]+:[0-9a-f]{16}$/);
  });

  it('has no collision among 200,000 sources of one length differing in a few characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(contentHash(`export const n = ${String(i).padStart(6, '0')};`));
    expect(seen.size).toBe(200_000);
  });
});
