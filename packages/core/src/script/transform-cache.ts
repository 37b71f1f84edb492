import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defaultCacheRoot, isPrivateCacheFolder } from './cache-folder.js';

/**
 * Written into every cache file; a file of another format or transform version is ignored.
 * (Format 1 keyed entries by SHA-1, and named files by the SHA-1 of their folder.)
 */
const FORMAT = 'multidb-transform-cache-2';

/** One cache file: a folder's transformed modules, by file name, each with its source's hash. */
interface CacheFile {
  readonly format: string;
  /** The transform's version (sucrase's, and the loader's rewrite of imports). */
  readonly transform: string;
  /** The folder whose modules these are (a hash collision of two folders is then detected). */
  readonly dir: string;
  readonly entries: Record<string, readonly [hash: string, code: string]>;
}

/** A folder's entries in memory, and whether some are not written yet. */
interface Folder {
  readonly entries: Map<string, readonly [hash: string, code: string]>;
  dirty: boolean;
}

/**
 * The module loader's on-disk cache of transformed sources: ONE file per folder of modules (a
 * versions folder of 5,000 revisions is one read when warm and one write after a checkout), not
 * one per module. An entry is used only when the hash of the file's current source equals the one
 * it was made from, so an edited file is never served a stale transform. Entries are written when
 * the process exits (or after 200 ms without a new entry), each file atomically (a temp file
 * renamed), so two processes sharing the cache never read half a file: the last writer wins. A
 * file written drops the entries of modules no longer in the folder (renamed or deleted).
 *
 * Hashes are {@link contentHash}'s, not node:crypto's: loading node:crypto cost every command
 * ~4 ms of CPU at start-up (its config is read through this cache), more than hashing its sources.
 *
 * Where: `<cwd>/node_modules/.cache/multidb` when the project has a `node_modules` folder, else
 * `multidb-cache-<uid>` in the OS temp folder (made private, and not used when another user owns
 * it or others may write it). A cache that cannot be read or written is skipped silently: it only
 * saves time.
 *
 * @internal
 */
export class TransformCache {
  readonly #root: string;
  readonly #transform: string;
  readonly #folders = new Map<string, Folder>();
  #usable: boolean | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #exitHook = false;

  /**
   * @param transform - the transform's version; entries made by another version are not used.
   * @param root - the cache folder (default: see the class).
   */
  constructor(transform: string, root: string = defaultCacheRoot()) {
    this.#transform = transform;
    this.#root = root;
  }

  /** The transformed code of `path` when cached for exactly this `source`, else `undefined`. */
  get(path: string, source: string): string | undefined {
    const entry = this.#folder(dirname(path))?.entries.get(basename(path));
    return entry !== undefined && entry[0] === contentHash(source) ? entry[1] : undefined;
  }

  /** Remembers `code` as the transform of `path` with this `source` (written later, see the class). */
  set(path: string, source: string, code: string): void {
    const folder = this.#folder(dirname(path));
    if (folder === undefined) return;
    folder.entries.set(basename(path), [contentHash(source), code]);
    folder.dirty = true;
    this.#schedule();
  }

  /** Writes the folders that have new entries now (also called at exit). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [dir, folder] of this.#folders) {
      if (!folder.dirty) continue;
      folder.dirty = false;
      // Entries of files renamed or deleted since are dropped, so a folder's file does not grow forever
      // (one listing of the folder, not a stat per entry).
      let present: Set<string> | undefined;
      try {
        present = new Set(readdirSync(dir));
      } catch {
        present = new Set();
      }
      for (const name of [...folder.entries.keys()]) if (!present.has(name)) folder.entries.delete(name);
      const file: CacheFile = { format: FORMAT, transform: this.#transform, dir, entries: Object.fromEntries(folder.entries) };
      const target = this.#fileOf(dir);
      const temp = `${target}.${process.pid}-${++tempFiles}.tmp`;
      try {
        writeFileSync(temp, JSON.stringify(file));
        renameSync(temp, target);
      } catch {
        rmSync(temp, { force: true });
      }
    }
  }

  #folder(dir: string): Folder | undefined {
    let folder = this.#folders.get(dir);
    if (folder !== undefined) return folder;
    if (!this.#checkRoot()) return undefined;
    folder = { entries: new Map(), dirty: false };
    try {
      const file = JSON.parse(readFileSync(this.#fileOf(dir), 'utf8')) as Partial<CacheFile>;
      if (file.format === FORMAT && file.transform === this.#transform && file.dir === dir && typeof file.entries === 'object' && file.entries !== null) {
        for (const [name, entry] of Object.entries(file.entries as Record<string, unknown>)) {
          // A file edited by hand or by another tool: only well-formed entries are used.
          if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string') {
            folder.entries.set(name, [entry[0], entry[1]]);
          }
        }
      }
    } catch {
      // No cache file yet, or one that does not parse: start empty (it is rewritten when used).
    }
    this.#folders.set(dir, folder);
    return folder;
  }

  #fileOf(dir: string): string {
    return join(this.#root, `${contentHash(dir).replace(':', '-')}.json`);
  }

  /** Makes the cache folder (private) once; `false` when it cannot be made or is not ours alone. */
  #checkRoot(): boolean {
    this.#usable ??= isPrivateCacheFolder(this.#root);
    return this.#usable;
  }

  #schedule(): void {
    if (!this.#exitHook) {
      this.#exitHook = true;
      process.once('exit', () => this.flush());
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), 200);
    this.#timer.unref();
  }
}

/** Temp files written by this process (their names: the target's, the pid and this count). */
let tempFiles = 0;

/**
 * A 64-bit hash of a text, with its length: `<length in base 36>:<16 hex digits>`. Two 32-bit
 * lanes each mix in every UTF-16 unit (multiply-xor), then cyrb53's finalisation mixes them into
 * each other. Not cryptographic: it tells an edited source from the one a transform was made of
 * (an accidental collision needs the same length and the same 64 bits); who can write the private
 * cache folder can plant code without a collision anyway.
 * @param text - the text to hash.
 * @returns the hash, e.g. `'1b:6c0e4c0ad1c3c1f2'`.
 * @example
 * ```ts
 * contentHash('export const a = 1;') === contentHash('export const a = 2;'); // false
 * ```
 * @internal
 */
export function contentHash(text: string): string {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length.toString(36)}:${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}
