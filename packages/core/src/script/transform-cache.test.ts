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

/** The cache files in `root` (one per folder of modules). */
async function cacheFiles(root: string): Promise<string[]> {
  return (await readdir(root)).filter((f) => f.endsWith('.tc')).map((f) => join(root, f));
}

/** A cache file's three parts: the format line, the index (parsed) and the codes. */
async function readCacheFile(file: string): Promise<{ format: string; index: { entries: Record<string, unknown> }; codes: string }> {
  const text = await readFile(file, 'utf8');
  const first = text.indexOf('\n');
  const second = text.indexOf('\n', first + 1);
  return { format: text.slice(0, first), index: JSON.parse(text.slice(first + 1, second)) as { entries: Record<string, unknown> }, codes: text.slice(second + 1) };
}

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
    expect(await cacheFiles(root)).toHaveLength(2);

    const again = new TransformCache('v1', root);
    expect(again.get(real('project/versions/r7.ts'), 'source 7')).toBe('code 7');
    expect(again.get(real('project/migrate.config.ts'), 'config source')).toBe('config code');
  });

  it('writes once 1 MiB of new code is pending, keeping what the file held, in UTF-8 (non-ASCII codes)', async () => {
    const root = join(dir, 'pending');
    const first = new TransformCache('v1', root);
    first.set(real('big/old.ts'), 'old', 'const é = "ü";');
    first.flush();
    const cache = new TransformCache('v1', root);
    const big = (n: number) => `// ${String(n).repeat(600 * 1024)}\nconst ok = '✓';`;
    cache.set(real('big/a.ts'), 'a', big(1));
    expect(await cacheFiles(root)).toHaveLength(1);
    expect(new TransformCache('v1', root).get(real('big/a.ts'), 'a')).toBeUndefined(); // 600 KiB pending: not written yet
    cache.set(real('big/b.ts'), 'b', big(2)); // 1.2 MiB pending: written now, no flush() and no timer
    const reader = new TransformCache('v1', root);
    expect(reader.get(real('big/a.ts'), 'a')).toBe(big(1));
    expect(reader.get(real('big/b.ts'), 'b')).toBe(big(2));
    expect(reader.get(real('big/old.ts'), 'old')).toBe('const é = "ü";');
    // The writer serves them too, now from the file it wrote.
    expect(cache.get(real('big/a.ts'), 'a')).toBe(big(1));
    expect(cache.get(real('big/old.ts'), 'old')).toBe('const é = "ü";');
  });

  it('reads a code from the file whose index it read, even after another process replaced that file', async () => {
    const root = join(dir, 'replaced');
    const writer = new TransformCache('v1', root);
    writer.set(real('r/a.ts'), 'a', 'code a');
    writer.set(real('r/b.ts'), 'b', 'code b');
    writer.flush();
    const reader = new TransformCache('v1', root);
    expect(reader.get(real('r/a.ts'), 'a')).toBe('code a');
    // Another process rewrites the folder's file with longer codes (offsets all move).
    const other = new TransformCache('v1', root);
    other.set(real('r/a.ts'), 'a', 'another, longer code a');
    other.set(real('r/b.ts'), 'b', 'another, longer code b');
    other.flush();
    expect(reader.get(real('r/b.ts'), 'b')).toBe('code b');
    expect(new TransformCache('v1', root).get(real('r/b.ts'), 'b')).toBe('another, longer code b');
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
    const [file] = await cacheFiles(root);
    await writeFile(file!, 'multidb-transform-cache-3\n{ not json\n');
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
    const [file] = await cacheFiles(root);
    const { format, index, codes } = await readCacheFile(file!);
    expect(new TransformCache('v1', root).get(real('s/a.ts'), 's')).toBe('c');
    const hash = (index.entries['a.ts'] as unknown[])[0];
    // Not an entry, or one pointing past the end of the file.
    for (const bad of [null, 'c', [1, 2], ['x'], [hash, 0], [hash, 0, 2], [hash, -1, 1], [hash, 0.5, 1]]) {
      index.entries['a.ts'] = bad;
      await writeFile(file!, `${format}\n${JSON.stringify(index)}\n${codes}`);
      expect(new TransformCache('v1', root).get(real('s/a.ts'), 's'), JSON.stringify(bad)).toBeUndefined();
    }
    index.entries = null as never;
    await writeFile(file!, `${format}\n${JSON.stringify(index)}\n${codes}`);
    expect(new TransformCache('v1', root).get(real('s/a.ts'), 's')).toBeUndefined();
    // A file of format 2 (one JSON document) is not read.
    await writeFile(file!, JSON.stringify({ format: 'multidb-transform-cache-2', transform: 'v1', dir: dirname(real('s/a.ts')), entries: { 'a.ts': [hash, 'c'] } }));
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
    const [file] = await cacheFiles(root);
    const { index, codes } = await readCacheFile(file!);
    expect(Object.keys(index.entries)).toEqual(['b.ts']);
    expect(codes).toBe('code A');
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
