// The script directory's cache of parsed headers, on real files: a cached header is used only
// while its file is unchanged, so every listing equals a listing that reads every file.
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptError } from '../errors.js';
import { HeaderCache } from './header-cache.js';
import { ScriptDirectory } from './script-directory.js';

let root: string;
let cacheRoot: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multidb-hcache-'));
  cacheRoot = join(root, 'cache');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const header = (id: string, down: string, message = 'step') =>
  `export const revision = '${id}';\nexport const downRevision = ${down};\nexport const message = '${message}';\n` +
  `export const createDate = '2026-12-05T07:00:00Z';\nexport async function upgrade() {}\nexport async function downgrade() {}\n`;

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/**
 * A cache whose clock runs 10 s ahead: files written by the test count as changed long before the
 * listing, so they are cached at once (with the real clock they would be "racy" for 2 s).
 */
const aheadCache = () => new HeaderCache(cacheRoot, () => Date.now() + 10_000);

/**
 * What the directory lists with the cache, checked against a listing that reads every file
 * (unless `compare` is false: after {@link tamperMessages}, untouched files differ on purpose).
 */
async function listed(cache: HeaderCache, compare = true): Promise<{ scripts: unknown[]; warnings: unknown[] }> {
  const dir = await ScriptDirectory.open(join(root, 'm'), { headerCache: cache });
  const scripts = await dir.scripts();
  if (compare) {
    const fresh = await ScriptDirectory.open(join(root, 'm'), { headerCache: false });
    expect(scripts).toEqual(await fresh.scripts());
    expect(dir.warnings).toEqual(fresh.warnings);
  }
  return { scripts, warnings: [...dir.warnings] };
}

async function cacheFile(): Promise<string> {
  const files = (await readdir(cacheRoot)).filter((f) => f.startsWith('headers-') && f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return join(cacheRoot, files[0]!);
}

/** Rewrites the cached message of every entry: what a listing then shows came from the cache. */
async function tamperMessages(text: string): Promise<void> {
  const file = await cacheFile();
  const data = JSON.parse(await readFile(file, 'utf8')) as CacheData;
  for (const entry of entriesOf(data)) if (entry.length === 11) entry[9] = text;
  await writeFile(file, JSON.stringify(data));
}

/** The cache file's layout: by branch, entries `[name, size, mtimeMs, ctimeMs, ino, revision, downRevisions, …, message, createDate]`. */
type CacheData = { format: string; branches: Record<string, unknown[][]> };

const entriesOf = (data: CacheData): unknown[][] => Object.values(data.branches).flat();

const pause = () => new Promise((resolve) => setTimeout(resolve, 30)); // a later file timestamp

describe('HeaderCache through ScriptDirectory.scripts', () => {
  const versions = () => join(root, 'm', 'versions');

  it('serves an unchanged file from the cache (no read), and writes one file for the versions folder', async () => {
    await put(join(versions(), 'default', 'a1_init.ts'), header('a1', 'null'));
    await put(join(versions(), 'default', 'a2_next.ts'), header('a2', "'a1'"));
    const cache = aheadCache();
    await listed(cache);
    await tamperMessages('from the cache');
    const dir = await ScriptDirectory.open(join(root, 'm'), { headerCache: cache });
    expect((await dir.scripts()).map((s) => [s.revision, s.message, s.createDate])).toEqual([
      ['a1', 'from the cache', '2026-12-05T07:00:00Z'],
      ['a2', 'from the cache', '2026-12-05T07:00:00Z'],
    ]);
  });

  it('reads a file again once it is edited (same size too), replaced, added, renamed or removed', async () => {
    const a1 = join(versions(), 'default', 'a1_init.ts');
    const a2 = join(versions(), 'default', 'a2_next.ts');
    await put(a1, header('a1', 'null', 'first'));
    await put(a2, header('a2', "'a1'", 'second'));
    const cache = aheadCache();
    await listed(cache);
    await tamperMessages('stale');
    await pause();

    await writeFile(a2, header('a2', "'a1'", 'SECOND')); // same size
    await put(join(versions(), 'db2', 'b1_root.ts'), header('b1', 'null', 'added'));
    let { scripts } = await listed(cache, false);
    expect(scripts).toEqual([
      expect.objectContaining({ revision: 'b1', message: 'added', branch: 'db2' }),
      expect.objectContaining({ revision: 'a1', message: 'stale' }), // untouched: still served from the cache
      expect.objectContaining({ revision: 'a2', message: 'SECOND' }),
    ]);

    await pause();
    await put(`${a1}.tmp`, header('a1', 'null', 'other')); // an editor's save: a new file renamed over
    await rename(`${a1}.tmp`, a1);
    await rename(join(versions(), 'db2', 'b1_root.ts'), join(versions(), 'db2', 'b1_renamed.ts'));
    await rm(a2);
    ({ scripts } = await listed(cache));
    expect(scripts).toEqual([
      expect.objectContaining({ revision: 'b1', path: join(versions(), 'db2', 'b1_renamed.ts') }),
      expect.objectContaining({ revision: 'a1', message: 'other' }),
    ]);
    // The removed and renamed files' entries are gone from the cache file.
    const { branches } = JSON.parse(await readFile(await cacheFile(), 'utf8')) as CacheData;
    expect(Object.entries(branches).flatMap(([branch, entries]) => entries.map((entry) => `${branch}/${String(entry[0])}`)).sort()).toEqual([
      'db2/b1_renamed.ts',
      'default/a1_init.ts',
    ]);
  });

  it('keeps a helper file skipped with its warning, and a file name mismatch warned, when served from the cache', async () => {
    await put(join(versions(), 'default', 'a1_init.ts'), header('a1', 'null'));
    await put(join(versions(), 'default', 'zz_named_wrong.ts'), header('a2', "'a1'"));
    await put(join(versions(), 'default', 'helpers.ts'), 'export function fill() {}\n');
    const cache = aheadCache();
    const first = await listed(cache);
    expect(first.warnings.map((w) => (w as { code: string }).code)).toEqual(['NOT_A_REVISION', 'FILE_NAME_MISMATCH']);
    await tamperMessages('cached');
    const second = await ScriptDirectory.open(join(root, 'm'), { headerCache: cache });
    expect((await second.scripts()).map((s) => s.message)).toEqual(['cached', 'cached']);
    expect(second.warnings).toEqual(first.warnings);
  });

  it('does not cache a file changed less than 2 s before the listing (its timestamps may not tell a rewrite)', async () => {
    await put(join(versions(), 'default', 'a1_init.ts'), header('a1', 'null'));
    await listed(new HeaderCache(cacheRoot));
    expect(await readdir(cacheRoot)).toEqual([]);
  });

  it('caches a file whose modification time lies in the future once its change time is 2 s old', async () => {
    const a1 = join(versions(), 'default', 'a1_init.ts');
    await put(a1, header('a1', 'null'));
    const tomorrow = new Date(Date.now() + 86_400_000);
    await utimes(a1, tomorrow, tomorrow);
    const cache = aheadCache();
    await listed(cache);
    await tamperMessages('from the cache');
    const dir = await ScriptDirectory.open(join(root, 'm'), { headerCache: cache });
    expect((await dir.scripts()).map((s) => s.message)).toEqual(['from the cache']);
  });

  it('lists as without a cache when the cache folder cannot be used (not a folder, or others may write it)', async () => {
    await put(join(versions(), 'default', 'a1_init.ts'), header('a1', 'null'));
    await writeFile(cacheRoot, 'a file where the cache folder would be');
    expect((await listed(new HeaderCache(cacheRoot, () => Date.now() + 10_000))).scripts).toHaveLength(1);
    const shared = join(root, 'shared');
    await mkdir(shared, { mode: 0o777 });
    await chmod(shared, 0o777);
    expect((await listed(new HeaderCache(shared, () => Date.now() + 10_000))).scripts).toHaveLength(1);
    expect(await readdir(shared)).toEqual([]);
  });

  it('never caches a header error: the file fails on every listing until it is fixed', async () => {
    const bad = join(versions(), 'default', 'a1_init.ts');
    await put(bad, "export const revision = 'a1';\nexport const downRevision = 42;\n");
    const cache = aheadCache();
    for (let i = 0; i < 2; i++) {
      const dir = await ScriptDirectory.open(join(root, 'm'), { headerCache: cache });
      await expect(dir.scripts()).rejects.toThrow(ScriptError);
    }
    await pause();
    await writeFile(bad, header('a1', 'null'));
    expect((await listed(cache)).scripts).toHaveLength(1);
  });

  it('finds entries by walking the sorted list: one out of order is passed over, and an entry serves only its own file', async () => {
    for (const id of ['a1', 'a2', 'a3']) await put(join(versions(), 'default', `${id}_x.ts`), header(id, id === 'a1' ? 'null' : `'a${Number(id[1]) - 1}'`, id));
    const cache = aheadCache();
    await listed(cache);
    const file = await cacheFile();
    const data = JSON.parse(await readFile(file, 'utf8')) as CacheData;
    const list = data.branches['default']!;
    expect(list.map((e) => e[0])).toEqual(['a1_x.ts', 'a2_x.ts', 'a3_x.ts']);
    // Swap the entries of a1 and a3 (names with them): a1's and a2's are passed over (read
    // again), a3's still serves a3 alone.
    data.branches['default'] = [list[2]!, list[1]!, list[0]!];
    for (const entry of data.branches['default']) entry[9] = `cached ${String(entry[0])}`;
    await writeFile(file, JSON.stringify(data));
    const dir = await ScriptDirectory.open(join(root, 'm'), { headerCache: cache });
    expect((await dir.scripts()).map((s) => [s.revision, s.message])).toEqual([
      ['a1', 'a1'],
      ['a2', 'a2'],
      ['a3', 'cached a3_x.ts'],
    ]);
  });

  it('ignores a cache file that does not parse or is of another format, and rewrites it', async () => {
    await put(join(versions(), 'default', 'a1_init.ts'), header('a1', 'null', 'real'));
    const cache = aheadCache();
    await listed(cache);
    const file = await cacheFile();
    await writeFile(file, '{ not json');
    expect((await listed(cache)).scripts).toEqual([expect.objectContaining({ message: 'real' })]);
    const data = JSON.parse(await readFile(file, 'utf8')) as CacheData;
    for (const entry of entriesOf(data)) entry[9] = 'other format';
    await writeFile(file, JSON.stringify({ ...data, format: 'multidb-header-cache-0' }));
    expect((await listed(cache)).scripts).toEqual([expect.objectContaining({ message: 'real' })]);
    // An entry edited into another shape is read from the file instead.
    const again = JSON.parse(await readFile(file, 'utf8')) as CacheData;
    for (const entry of entriesOf(again)) entry[6] = 'not a list';
    await writeFile(file, JSON.stringify(again));
    expect((await listed(cache)).scripts).toEqual([expect.objectContaining({ message: 'real', downRevisions: [] })]);
  });
});
