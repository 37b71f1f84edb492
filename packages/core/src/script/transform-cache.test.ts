import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, fileStamp, TransformCache } from './transform-cache.js';

const SOURCE = fileURLToPath(new URL('./transform-cache.ts', import.meta.url));
const JITI = pathToFileURL(createRequire(import.meta.url).resolve('jiti')).href;

/** This process's open file descriptors (Linux), or `undefined` where they cannot be listed. */
function openFds(): number | undefined {
  return existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined;
}

/**
 * Runs `body` (the text of an async function of `TransformCache`) in another node process, with
 * `ulimit -n` set to `fds` when given; resolves to what it printed last, parsed, or rejects with its stderr.
 */
function inChild(body: string, fds?: number): Promise<unknown> {
  const script = `const { createJiti } = await import(${JSON.stringify(JITI)});
const { TransformCache } = await createJiti(import.meta.url).import(${JSON.stringify(SOURCE)});
const result = await (async (TransformCache) => { ${body} })(TransformCache);
console.log(JSON.stringify(result));`;
  const node = JSON.stringify(process.execPath);
  const command = `${fds === undefined ? '' : `ulimit -n ${fds} && `}exec ${node} --input-type=module -e "$MULTIDB_CHILD"`;
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { env: { ...process.env, MULTIDB_CHILD: script }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!));
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multidb-tcache-'));
});
afterAll(async () => {
  // Retried: a TransformCache of a test may still flush into the folder (its 200 ms timer) while it is removed (ENOTEMPTY).
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
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

  it("keeps a module's V8 code cache with its code, through later writes, and never serves it for an edited source", async () => {
    const root = join(dir, 'v8');
    const a = real('v8/a.ts');
    const b = real('v8/b.ts');
    const cache = new TransformCache('v1', root);
    cache.set(a, 's', 'code of a');
    cache.flush();
    expect(new TransformCache('v1', root).lookup(a, 's')).toMatchObject({ code: 'code of a', v8: undefined });
    const data = Buffer.from([0xc0, 0xde, 0, 1, 2, 0xff]);
    const second = new TransformCache('v1', root);
    second.store(a, { hash: contentHash('s'), code: 'code of a', v8: { text: 'text-hash', data } });
    // Before it is written, and after.
    expect(second.lookup(a, 's')?.v8?.data.equals(data)).toBe(true);
    expect(second.lookup(a, 's')?.v8?.text).toBe('text-hash');
    second.flush();
    const third = new TransformCache('v1', root);
    expect(third.lookup(a, 's')?.code).toBe('code of a');
    expect(third.lookup(a, 's')?.v8?.data.equals(data)).toBe(true);
    expect(third.lookup(a, 's')?.v8?.text).toBe('text-hash');
    // Another module's entry makes the folder's file be written again: a's code and V8 data are copied.
    third.set(b, 't', 'code of b ü');
    third.flush();
    const fourth = new TransformCache('v1', root);
    expect(fourth.lookup(b, 't')).toMatchObject({ code: 'code of b ü', v8: undefined });
    const kept = fourth.lookup(a, 's');
    expect(kept?.code).toBe('code of a');
    expect(kept?.v8?.data.equals(data)).toBe(true);
    expect(kept?.v8?.text).toBe('text-hash');
    expect(fourth.lookup(a, 's edited')).toBeUndefined();
    expect(new TransformCache('v2', root).lookup(a, 's')).toBeUndefined();
  });

  it('writes a folder of many new entries a few times, not once per MiB of them (each write rewrites the file whole)', async () => {
    const root = join(dir, 'growing');
    const cache = new TransformCache('v1', root);
    const data = Buffer.alloc(2500, 7); // about a revision's code cache
    const writes = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      cache.store(real(`g/${i}.ts`), { hash: contentHash(`s${i}`), code: `code ${i}`, v8: { text: 't', data } });
      const [file] = await cacheFiles(root);
      if (file !== undefined) writes.add(statSync(file).ino);
    }
    cache.flush();
    // 7.5 MB in all: rewritten at 1, 2 and 4 MiB, then at the end (it was 8 times at 1 MiB each).
    expect(writes.size).toBeLessThanOrEqual(4);
    const reread = new TransformCache('v1', root);
    expect(reread.lookup(real('g/2999.ts'), 's2999')?.code).toBe('code 2999');
    expect(reread.lookup(real('g/0.ts'), 's0')?.v8?.data.equals(data)).toBe(true);
  });

  it("keeps an entry's file stamp and stored names when the folder's file is written again", async () => {
    const root = join(dir, 'stamps');
    const a = real('st/a.ts');
    const cache = new TransformCache('v1', root);
    cache.store(a, { hash: contentHash('s'), code: 'code of a', stamp: '12:1:2:3', extra: 'upgrade,downgrade' });
    cache.flush();
    const second = new TransformCache('v1', root);
    second.set(real('st/b.ts'), 't', 'code of b');
    second.flush();
    const kept = new TransformCache('v1', root);
    expect(kept.find(a, { stamp: '12:1:2:3' })).toMatchObject({ code: 'code of a', stamp: '12:1:2:3', extra: 'upgrade,downgrade', hash: contentHash('s') });
    expect(kept.find(a, { stamp: '12:1:2:4' })).toBeUndefined();
    expect(kept.find(real('st/b.ts'), { stamp: '' })).toBeUndefined(); // an entry without a stamp is never found by one
  });

  it('stamps a file by its size, both times and inode, and not a file changed less than 2 s before', () => {
    const now = 1_000_000_000_000;
    const file = { size: 10, mtimeMs: now - 5000, ctimeMs: now - 5000, ino: 7 };
    const stamp = fileStamp(file, now);
    expect(stamp).toBeDefined();
    for (const other of [{ size: 11 }, { mtimeMs: now - 4000 }, { ctimeMs: now - 4000 }, { ino: 8 }]) {
      expect(fileStamp({ ...file, ...other }, now), JSON.stringify(other)).not.toBe(stamp);
    }
    expect(fileStamp({ ...file, ctimeMs: now - 1000 }, now)).toBeUndefined();
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
    // (Format 3's entries had no fourth number, the V8 code cache's length.)
    for (const bad of [null, 'c', [1, 2], ['x'], [hash, 0], [hash, 0, 1], [hash, 0, 1, 0], [hash, 0, 2, 0, ''], [hash, -1, 1, 0, ''], [hash, 0.5, 1, 0, ''], [hash, 0, 1, -1, ''], [hash, 0, 1, 1, ''], [hash, 0, 1, 0, 7]]) {
      index.entries['a.ts'] = bad;
      await writeFile(file!, `${format}\n${JSON.stringify(index)}\n${codes}`);
      expect(new TransformCache('v1', root).get(real('s/a.ts'), 's'), JSON.stringify(bad)).toBeUndefined();
    }
    index.entries = null as never;
    await writeFile(file!, `${format}\n${JSON.stringify(index)}\n${codes}`);
    expect(new TransformCache('v1', root).get(real('s/a.ts'), 's')).toBeUndefined();
    // A file of format 3 (entries without V8 code caches) is not read.
    index.entries = { 'a.ts': [hash, 0, 1] };
    await writeFile(file!, `multidb-transform-cache-3\n${JSON.stringify(index)}\n${codes}`);
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

  it('holds at most its limit of folders’ files open, and serves every folder read in interleaved order', () => {
    const root = join(dir, 'many');
    const writer = new TransformCache('v1', root);
    const folders = 40; // more than the 16 files held open
    const code = (f: number, m: number) => `code ${m} of folder ${f}${'!'.repeat((f * 7 + m * 3) % 11)}`;
    const fdsBefore = openFds();
    for (let f = 0; f < folders; f++) for (let m = 0; m < 5; m++) writer.set(real(`many/f${f}/m${m}.ts`), `source ${f}/${m}`, code(f, m));
    writer.flush();
    const reader = new TransformCache('v1', root);
    for (let round = 0; round < 2; round++) {
      for (let m = 0; m < 5; m++) {
        for (let f = 0; f < folders; f++) expect(reader.get(real(`many/f${f}/m${m}.ts`), `source ${f}/${m}`)).toBe(code(f, m));
      }
    }
    // The writer's files and the reader's: at most 16 open each (this was one per folder, 80).
    if (fdsBefore !== undefined) expect(openFds()! - fdsBefore).toBeLessThanOrEqual(2 * 16);
    // A folder's file written again by a cache holding others open is read back whole.
    writer.set(real('many/f0/m9.ts'), 'source 0/9', 'code 9 of folder 0');
    writer.flush();
    const again = new TransformCache('v1', root, 2);
    expect(again.get(real('many/f0/m9.ts'), 'source 0/9')).toBe('code 9 of folder 0');
    for (let f = 0; f < folders; f++) expect(again.get(real(`many/f${f}/m4.ts`), `source ${f}/4`)).toBe(code(f, 4));
  });

  it('loads 2,000 folders’ modules, cold then warm, in processes allowed 200 open files', async () => {
    const root = join(dir, 'two-thousand');
    const project = join(dir, 'two-thousand-project');
    for (let f = 0; f < 2000; f++) {
      mkdirSync(join(project, `b${f}`), { recursive: true });
      writeFileSync(join(project, `b${f}`, 'r.ts'), `export const n = ${f};`);
    }
    // As the module loader does: read the source (a descriptor of its own), then ask the cache.
    const run = `
      const { readFileSync } = await import('node:fs');
      const cache = new TransformCache('v1', ${JSON.stringify(root)});
      let hits = 0, wrong = 0;
      for (let f = 0; f < 2000; f++) {
        const path = ${JSON.stringify(project)} + '/b' + f + '/r.ts';
        const source = readFileSync(path, 'utf8');
        const code = cache.get(path, source);
        if (code === undefined) cache.set(path, source, 'compiled ' + source);
        else if (code === 'compiled ' + source) hits++;
        else wrong++;
      }
      cache.flush();
      return { hits, wrong };`;
    expect(await inChild(run, 200)).toEqual({ hits: 0, wrong: 0 });
    expect((await cacheFiles(root)).length).toBe(2000);
    expect(await inChild(run, 200)).toEqual({ hits: 2000, wrong: 0 });
  });

  it('reads again the index of a file another process replaced while it was closed, never stale offsets', async () => {
    const root = join(dir, 'replaced-closed');
    const first = new TransformCache('v1', root);
    first.set(real('rc/a.ts'), 'a', 'code a');
    first.set(real('rc/b.ts'), 'b', 'code b');
    first.set(real('rc-other/x.ts'), 'x', 'code x');
    first.flush();
    const file = (await cacheFiles(root)).find((f) => readFileSync(f, 'utf8').includes('"a.ts"'))!;
    const reader = new TransformCache('v1', root, 1);
    expect(reader.get(real('rc/a.ts'), 'a')).toBe('code a');
    expect(reader.get(real('rc-other/x.ts'), 'x')).toBe('code x'); // rc's file closed (the limit is 1)
    // Another process writes rc's file again: the same size, the codes in the other order.
    const swapped = new TransformCache('v1', root);
    swapped.set(real('rc/b.ts'), 'b', 'code b');
    swapped.set(real('rc/a.ts'), 'a', 'code a');
    const before = (await readFile(file)).length;
    swapped.flush();
    expect((await readFile(file)).length).toBe(before);
    expect((await readCacheFile(file)).codes).toBe('code bcode a');
    expect(reader.get(real('rc/a.ts'), 'a')).toBe('code a');
    expect(reader.get(real('rc/b.ts'), 'b')).toBe('code b');
    // Replaced by a file of another transform while closed: its entries are missing, not misread.
    expect(reader.get(real('rc-other/x.ts'), 'x')).toBe('code x');
    const v2 = new TransformCache('v2', root);
    v2.set(real('rc/a.ts'), 'a', 'v2 code a');
    v2.flush();
    expect(reader.get(real('rc/a.ts'), 'a')).toBeUndefined();
    expect(reader.get(real('rc/b.ts'), 'b')).toBeUndefined();
    // Its file removed while closed: the same.
    const third = new TransformCache('v1', root, 1);
    expect(third.get(real('rc-other/x.ts'), 'x')).toBe('code x');
    const z = new TransformCache('v1', root);
    z.set(real('rc-z/z.ts'), 'z', 'code z');
    z.flush();
    expect(third.get(real('rc-z/z.ts'), 'z')).toBe('code z'); // rc-other's file closed
    const otherFile = (await cacheFiles(root)).find((f) => readFileSync(f, 'utf8').includes('"x.ts"'))!;
    await rm(otherFile);
    expect(third.get(real('rc-other/x.ts'), 'x')).toBeUndefined();
  });

  it('ignores a truncated cache file (whole or while it was closed), recompiles and rewrites it', async () => {
    const root = join(dir, 'truncated');
    const writer = new TransformCache('v1', root);
    writer.set(real('t/a.ts'), 'a', 'code a');
    writer.set(real('t/b.ts'), 'b', 'code b');
    writer.flush();
    const [file] = await cacheFiles(root);
    const size = (await readFile(file!)).length;
    const reader = new TransformCache('v1', root, 1);
    expect(reader.get(real('t/a.ts'), 'a')).toBe('code a');
    reader.get(real('t2/x.ts'), 'x'); // t's file closed
    await truncate(file!, size - 3); // b's code cut
    expect(reader.get(real('t/b.ts'), 'b')).toBeUndefined();
    expect(reader.get(real('t/a.ts'), 'a')).toBe('code a');
    reader.set(real('t/b.ts'), 'b', 'code b');
    reader.flush();
    expect((await readFile(file!)).length).toBe(size);
    expect(new TransformCache('v1', root).get(real('t/b.ts'), 'b')).toBe('code b');
    // Cut inside its index, or garbage: no entry is used; the file is written whole again.
    for (const damage of [async () => truncate(file!, 40), async () => writeFile(file!, Buffer.alloc(size, 0xff))]) {
      await damage();
      const cache = new TransformCache('v1', root);
      expect(cache.get(real('t/a.ts'), 'a')).toBeUndefined();
      cache.set(real('t/a.ts'), 'a', 'code a');
      cache.flush();
      expect(new TransformCache('v1', root).get(real('t/a.ts'), 'a')).toBe('code a');
    }
  });

  it('never gives a process wrong code while two processes write the same folders’ files', async () => {
    const root = join(dir, 'concurrent');
    for (let f = 0; f < 6; f++) for (let m = 0; m < 30; m++) real(`cc/f${f}/m${m}.ts`);
    // Each process asks for every module of 6 folders in its own random order (2 files open),
    // makes a random half of the missing ones (so the files' layouts differ) and writes often.
    const run = (seed: number) => `
      let state = ${seed};
      const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const cache = new TransformCache('v1', ${JSON.stringify(root)}, 2);
      const code = (f, m) => 'code of ' + f + '/' + m + ' ' + '#'.repeat((f * 31 + m * 17) % 23);
      let hits = 0, wrong = 0;
      const end = Date.now() + 3000;
      while (Date.now() < end) {
        for (let i = 0; i < 60; i++) {
          const f = Math.floor(random() * 6), m = Math.floor(random() * 30);
          const path = ${JSON.stringify(join(dir, 'modules', 'cc'))} + '/f' + f + '/m' + m + '.ts';
          const got = cache.get(path, 'source ' + f + '/' + m);
          if (got === undefined) { if (random() < 0.5) cache.set(path, 'source ' + f + '/' + m, code(f, m)); }
          else if (got === code(f, m)) hits++;
          else wrong++;
        }
        cache.flush();
        if (random() < 0.2) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return { hits, wrong };`;
    const results = (await Promise.all([inChild(run(1)), inChild(run(2))])) as { hits: number; wrong: number }[];
    for (const result of results) {
      expect(result.wrong).toBe(0);
      expect(result.hits).toBeGreaterThan(1000);
    }
  });

  it('never gives a thread wrong code while worker threads of one process (one pid) write the same folder’s file', async () => {
    const root = join(dir, 'threads');
    for (let m = 0; m < 300; m++) real(`th/m${m}.ts`);
    // As `upgrade --concurrency` on many SQLite tenants: threads of one process, each with its own
    // cache, making the same folder's entries at the same time (codes of 0.1 to 4 KiB: files of
    // more than one 64 KiB write), each writing its file after every pass.
    const worker = `// An ES module, as the process's own code (--input-type=module).
      const { workerData, parentPort } = await import('node:worker_threads');
      {
        const { createJiti } = await import(${JSON.stringify(JITI)});
        const { TransformCache } = await createJiti(${JSON.stringify(SOURCE)}).import(${JSON.stringify(SOURCE)});
        const { root, folder, seed } = workerData;
        let state = seed;
        const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const code = (m) => 'code of ' + m + ' ' + '#'.repeat((m * 397) % 4096);
        let hits = 0, wrong = 0;
        parentPort.postMessage('ready');
        await new Promise((resolve) => parentPort.once('message', resolve));
        for (let pass = 0; pass < 30; pass++) {
          const cache = new TransformCache('v1', root);
          for (const read of [1, 2]) {
            for (let m = 0; m < 300; m++) {
              const got = cache.get(folder + '/m' + m + '.ts', 'source ' + m);
              if (got === undefined) { if (read === 1 && random() < 0.5) cache.set(folder + '/m' + m + '.ts', 'source ' + m, code(m)); }
              else if (got === code(m)) hits++;
              else wrong++;
            }
            if (read === 1) cache.flush();
          }
        }
        parentPort.postMessage({ hits, wrong });
      }`;
    const run = `
      const { Worker } = await import('node:worker_threads');
      const threads = [1, 2, 3, 4].map((seed) => new Worker(${JSON.stringify(worker)}, { eval: true, workerData: { root: ${JSON.stringify(root)}, folder: ${JSON.stringify(join(dir, 'modules', 'th'))}, seed } }));
      const next = (t) => new Promise((resolve, reject) => { t.once('message', resolve); t.once('error', reject); });
      await Promise.all(threads.map(next));
      const results = threads.map(next);
      for (const t of threads) t.postMessage('go');
      const counts = await Promise.all(results);
      // What the file holds now, for the next process.
      const reader = new TransformCache('v1', ${JSON.stringify(root)});
      let diskWrong = 0;
      for (let m = 0; m < 300; m++) {
        const got = reader.get(${JSON.stringify(join(dir, 'modules', 'th'))} + '/m' + m + '.ts', 'source ' + m);
        if (got !== undefined && got !== 'code of ' + m + ' ' + '#'.repeat((m * 397) % 4096)) diskWrong++;
      }
      return { threads: counts, diskWrong };`;
    const { threads, diskWrong } = (await inChild(run)) as { threads: { hits: number; wrong: number }[]; diskWrong: number };
    for (const thread of threads) {
      expect(thread.wrong).toBe(0);
      expect(thread.hits).toBeGreaterThan(1000);
    }
    expect(diskWrong).toBe(0);
    // No temp file is left behind.
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
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
