import { closeSync, fstatSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { changedSince, defaultCacheRoot, isPrivateCacheFolder, RACY_MS } from './cache-folder.js';

/**
 * The first line of every cache file; a file of another format is ignored. (Format 1 keyed entries
 * by SHA-1; format 2 was one JSON document, `<hash>.json`, parsed whole with every module's code;
 * format 3 had no V8 code caches.)
 */
const FORMAT = 'multidb-transform-cache-4';

/** The second line of a cache file: what it holds and where each module's code is. */
interface Header {
  /** The transform's version (sucrase's, and the loader's rewrite of imports). */
  readonly transform: string;
  /** The folder whose modules these are (a hash collision of two folders is then detected). */
  readonly dir: string;
  /**
   * By file name: the source's hash, the code's UTF-8 bytes after the header (offset, length), the
   * length of the V8 code cache that follows them (0: none) and the hash of the text it was made of.
   */
  readonly entries: Record<string, StoredEntry>;
}

/**
 * A module's entry: its source's hash, where its code is (in the folder's file, or in the pending
 * buffer for an entry not written yet), the length of the V8 code cache stored right after the
 * code (0: none), the hash of the text that code cache was compiled from (`''`: none), and, for
 * an entry found by its file's stamp, that stamp (see {@link fileStamp}) and what the evaluator
 * read from the source besides (the names of its exported functions), so that it needs no read
 * of the source. Entries without a stamp leave the last two out: an index of thousands of them
 * is held in memory (offline scripts of 5,000 revisions, at the edge of their memory target).
 */
type StoredEntry =
  | readonly [hash: string, offset: number, length: number, v8Length: number, v8Text: string]
  | readonly [hash: string, offset: number, length: number, v8Length: number, v8Text: string, stamp: string, extra: string];

/**
 * V8's code cache (`vm.Script`'s `cachedData`) of a module as the evaluator compiled it, with the
 * hash ({@link contentHash}) of the exact text compiled: V8 itself checks only the text's length.
 */
export interface V8CodeCache {
  readonly text: string;
  readonly data: Buffer;
}

/** What the cache holds for a module: its transformed code, and V8's code cache of its compiled wrapper if one was stored. */
export interface CachedTransform {
  /** The source's hash ({@link contentHash}). */
  readonly hash: string;
  readonly code: string;
  /** The code cache stored with it; `data` is a view of the cache's read buffer, valid until the cache's next read. */
  readonly v8: V8CodeCache | undefined;
  /** The file's stamp stored with it (`''`: none). */
  readonly stamp: string;
  /** What the evaluator stored with it (`''`: nothing). */
  readonly extra: string;
}

/** What {@link TransformCache.store} keeps for a module. */
export interface TransformEntry {
  /** The source's hash ({@link contentHash}). */
  readonly hash: string;
  readonly code: string;
  readonly v8?: V8CodeCache | undefined;
  /** The file's stamp ({@link fileStamp}), when the source was read from a file that may be trusted by it. */
  readonly stamp?: string | undefined;
  /** Anything else the evaluator needs without the source. */
  readonly extra?: string;
}

/**
 * A file's stamp as the transform cache keeps it (`size:mtimeMs:ctimeMs:ino`), or `undefined` when
 * the file changed less than {@link RACY_MS} before `now` (its timestamps may not tell a rewrite
 * yet: see `changedSince`). Take it before reading the file: a change after it makes another stamp.
 */
export function fileStamp(stats: { readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number; readonly ino: number }, now: number = Date.now()): string | undefined {
  if (changedSince(stats, now - RACY_MS)) return undefined;
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

/**
 * A folder's entries: those of its cache file (read one at a time, when asked for) and those made
 * since (in memory until written).
 */
interface Folder {
  /** The folder of modules (its cache file is reopened by this name). */
  readonly dir: string;
  /** The open cache file, or `undefined` when there is none, it is not usable, or it was closed. */
  fd: number | undefined;
  /**
   * While the file is closed (see {@link MAX_OPEN_FILES}): its two header lines, so the file
   * reopened is known to hold the index `stored` is (the same entries at the same offsets; a code
   * past its end is a short read, i.e. missing); else `undefined`.
   */
  closed: Buffer | undefined;
  /** Where the codes start in the file (after the two header lines). */
  dataStart: number;
  /** The file's entries. */
  stored: Map<string, StoredEntry>;
  /** Entries made since the file was read or written: their codes are in the cache's pending buffer. */
  readonly added: Map<string, StoredEntry>;
}

/** New code held before the folders' files are rewritten, though modules are still loading. */
const MAX_PENDING_BYTES = 1024 * 1024;

/**
 * Folders' cache files held open at once. Beyond it, the least recently read is closed and
 * reopened when next read, so a process loading thousands of folders (a config of 2,000 binds,
 * each with its own versions folder; the TUI loading repository after repository) holds at most
 * this many descriptors, not one per folder until it exits (EMFILE at `ulimit -n`: 256 on macOS).
 */
const MAX_OPEN_FILES = 16;

/** The first line of a plan's file (see {@link TransformCache.readPlan}). */
const PLAN_FORMAT = 'multidb-plan-cache-2';

/** Plans' files kept in the cache folder: writing one more removes the oldest beyond this. */
const MAX_PLANS = 8;

/** A module of a {@link PlanChunk}. */
export interface PlanModule {
  /** The module's file (absolute). */
  readonly path: string;
  /** The line of its chunk's text where the module's wrapper starts (1-based). */
  readonly line: number;
  /** The module's import specifiers, in the order of its `__multidbImport` indexes. */
  readonly imports: readonly string[];
}

/**
 * Consecutive modules of a plan compiled as one script: its text, an array of the modules'
 * wrappers, where each starts, and V8's code cache of it.
 */
export interface PlanChunk {
  /** The modules, in the order of the text's array. */
  readonly modules: readonly PlanModule[];
  readonly text: string;
  /** The text's {@link contentHash}, as stored (a chunk read from its file: the text is checked against it before it is compiled without its code cache). */
  readonly textHash: string;
  /** V8's code cache of `text` compiled eagerly; `undefined` for none. */
  readonly v8: Buffer | undefined;
}

/** The modules of a run's plan, in chunks of consecutive modules (see `ModuleEvaluator.precompile`). */
export interface CachedPlan {
  readonly chunks: readonly PlanChunk[];
}

/** What the header line of a plan's file says of a chunk (its text and code cache follow the header, chunk after chunk). */
interface StoredChunk {
  readonly modules: readonly PlanModule[];
  /** The text's UTF-8 bytes. */
  readonly textLength: number;
  /** Whether every character of the text is ASCII (one byte each). */
  readonly ascii: boolean;
  /** The text's {@link contentHash}. */
  readonly textHash: string;
  /** The code cache's bytes, right after the text (0: none). */
  readonly v8Length: number;
}

/** The second line of a plan's file. */
interface PlanHeader {
  readonly transform: string;
  readonly key: string;
  readonly chunks: readonly StoredChunk[];
}

function isStoredChunk(value: unknown): value is StoredChunk {
  const c = value as Partial<StoredChunk> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Array.isArray(c.modules) &&
    c.modules.every(isPlanModule) &&
    Number.isSafeInteger(c.textLength) &&
    Number.isSafeInteger(c.v8Length) &&
    typeof c.textHash === 'string' &&
    typeof c.ascii === 'boolean'
  );
}

function isPlanModule(value: unknown): value is PlanModule {
  const m = value as Partial<PlanModule> | null;
  return (
    typeof m === 'object' && m !== null && typeof m.path === 'string' && Number.isSafeInteger(m.line) && Array.isArray(m.imports) && m.imports.every((i) => typeof i === 'string')
  );
}

/**
 * The module loader's on-disk cache of transformed sources: ONE file per folder of modules (a
 * versions folder of 5,000 revisions is one file when warm and one write after a checkout), not
 * one per module. An entry is used only when the hash of the file's current source equals the one
 * it was made from, or when the file's stamp (size, modification and change times, inode, taken
 * before the source was read, and only of a file last changed {@link RACY_MS} or more before:
 * {@link fileStamp}) is the one stored with it, which spares reading and hashing an unchanged
 * file: an edited file is never served a stale transform. Entries are written when
 * the process exits, after 200 ms without a new entry, or once 1 MiB of new code is pending, each
 * file atomically (a temp file renamed), so two processes sharing the cache never read half a
 * file: the last writer wins. A file written drops the entries of modules no longer in the folder
 * (renamed or deleted).
 *
 * A module imported to run soon (a revision a run applies) also gets V8's code cache of its
 * compiled wrapper stored after its code ({@link store}): the next process compiles it from that,
 * without parsing (see `compileEagerly`). V8 checks such a cache itself (its version and flags,
 * the source's length, a checksum of its bytes) and the evaluator replaces one V8 rejected.
 *
 * Memory: a file is two header lines (the format; a JSON index of the entries: hash, offset and
 * length of each module's code) and then the codes. Only the index is parsed; a module's code is
 * read from the open file when that module is asked for, so the codes of 5,000 revisions are not
 * all held in the heap at once (they were 3.7 MiB live, and the 4 MB file's text as much garbage,
 * on `upgrade --sql` of 5,000 revisions: tools/bench/RESULTS.md, 2026-12-05).
 *
 * Descriptors: at most {@link MAX_OPEN_FILES} folders' files are open at once (one open per folder
 * in the common case of fewer folders). The least recently read is closed beyond that; reopened,
 * a file whose header lines are not those it had when closed (another process replaced it) has
 * its index read again, so a code is always read at offsets of the index of the file read.
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
  readonly #maxOpenFiles: number;
  readonly #folders = new Map<string, Folder>();
  /** The folders whose file is open, least recently read first. */
  readonly #openFolders = new Set<Folder>();
  /** The folder read last (moving it to the end of {@link #openFolders} again is then skipped). */
  #lastRead: Folder | undefined;
  #usable: boolean | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #exitHook = false;
  /** Read buffer, reused by every read (grown to the largest entry). */
  #scratch: Buffer = Buffer.allocUnsafe(16 * 1024);
  /**
   * The UTF-8 codes of every folder's `added` entries, until the next flush: bytes outside V8's
   * heap, in one buffer reused after each flush (5,000 new codes held as strings until written
   * were 3.7 MiB more of old generation on a first run of `upgrade --sql`).
   */
  #pending: Buffer = Buffer.alloc(0);
  #pendingUsed = 0;
  /**
   * Pending bytes that make a flush: {@link MAX_PENDING_BYTES}, or what the last flush wrote when
   * more (each flush rewrites its folders' files whole: a first run of thousands of revisions with
   * their code caches then writes each byte a few times, not once per MiB of new entries).
   */
  #flushAt = MAX_PENDING_BYTES;

  /**
   * @param transform - the transform's version; entries made by another version are not used.
   * @param root - the cache folder (default: see the class).
   * @param maxOpenFiles - folders' files held open at once (default {@link MAX_OPEN_FILES}, at least 1).
   */
  constructor(transform: string, root: string = defaultCacheRoot(), maxOpenFiles: number = MAX_OPEN_FILES) {
    this.#transform = transform;
    this.#root = root;
    this.#maxOpenFiles = Math.max(1, maxOpenFiles);
  }

  /** The transformed code of `path` when cached for exactly this `source`, else `undefined`. */
  get(path: string, source: string): string | undefined {
    return this.lookup(path, source)?.code;
  }

  /**
   * The transformed code of `path` when cached for exactly this `source`, with the V8 code cache
   * stored with it (see {@link store}); `undefined` when not cached.
   */
  lookup(path: string, source: string): CachedTransform | undefined {
    return this.find(path, { hash: contentHash(source) });
  }

  /**
   * The entry of `path` made of the source whose hash is `hash`, or made while the file had the
   * stamp `stamp` (never an empty one): no read of the source for an unchanged file.
   */
  find(path: string, key: { readonly hash: string } | { readonly stamp: string }): CachedTransform | undefined {
    const folder = this.#folder(dirname(path));
    if (folder === undefined) return undefined;
    const name = basename(path);
    const matches = (entry: StoredEntry): boolean => ('hash' in key ? entry[0] === key.hash : key.stamp !== '' && entry[5] === key.stamp);
    const found = (entry: StoredEntry, code: string, v8: Buffer | undefined): CachedTransform => ({
      hash: entry[0],
      code,
      v8: v8 === undefined ? undefined : { text: entry[4], data: v8 },
      stamp: entry[5] ?? '',
      extra: entry[6] ?? '',
    });
    const added = folder.added.get(name);
    if (added !== undefined) {
      if (!matches(added)) return undefined;
      const [, at, length, v8Length] = added;
      return found(added, this.#pending.toString('utf8', at, at + length), v8Length > 0 ? this.#pending.subarray(at + length, at + length + v8Length) : undefined);
    }
    // The file is (re)opened first: reopened, it may be another one whose index replaced `stored`.
    if (this.#fdOf(folder) === undefined) return undefined;
    const stored = folder.stored.get(name);
    if (stored === undefined || !matches(stored)) return undefined;
    const bytes = this.#read(folder, stored);
    if (bytes === undefined) return undefined;
    const [, , length, v8Length] = stored;
    return found(stored, bytes.toString('utf8', 0, length), v8Length > 0 ? bytes.subarray(length) : undefined);
  }

  /** Remembers `code` as the transform of `path` with this `source` (written later, see the class). */
  set(path: string, source: string, code: string): void {
    this.store(path, { hash: contentHash(source), code });
  }

  /**
   * Remembers a module's entry (written later, see the class), replacing what was stored. `v8`'s
   * bytes are copied before anything is read, so a view of the cache's read buffer may be given.
   */
  store(path: string, { hash, code, v8, stamp = '', extra = '' }: TransformEntry): void {
    const folder = this.#folder(dirname(path));
    if (folder === undefined) return;
    const name = basename(path);
    const length = Buffer.byteLength(code);
    const v8Length = v8?.data.length ?? 0;
    const needed = this.#pendingUsed + length + v8Length;
    if (this.#pending.length < needed) {
      const grown = Buffer.allocUnsafe(Math.max(2 * MAX_PENDING_BYTES, 2 * needed));
      this.#pending.copy(grown, 0, 0, this.#pendingUsed);
      this.#pending = grown;
    }
    this.#pending.write(code, this.#pendingUsed);
    v8?.data.copy(this.#pending, this.#pendingUsed + length);
    const at = this.#pendingUsed;
    folder.added.set(name, stamp === '' ? [hash, at, length, v8Length, v8?.text ?? ''] : [hash, at, length, v8Length, v8?.text ?? '', stamp, extra]);
    this.#pendingUsed += length + v8Length;
    if (this.#pendingUsed >= this.#flushAt) this.flush();
    else this.#schedule();
  }

  /** Writes the folders that have new entries now (also called at exit). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    let written = 0;
    for (const [dir, folder] of this.#folders) {
      if (folder.added.size > 0) written += this.#write(dir, folder);
    }
    this.#pendingUsed = 0;
    this.#flushAt = Math.max(MAX_PENDING_BYTES, written);
  }

  /**
   * Rewrites a folder's file with its stored and added entries, dropping those of files renamed
   * or deleted since (one listing of the folder, not a stat per entry), so a folder's file does
   * not grow forever. The folder then reads from the file written.
   * @returns the bytes written (0 when the file could not be written).
   */
  #write(dir: string, folder: Folder): number {
    let present: Set<string>;
    try {
      present = new Set(readdirSync(dir));
    } catch {
      present = new Set();
    }
    const entries: Record<string, StoredEntry> = {};
    const stored = new Map<string, StoredEntry>();
    const sources: (StoredEntry | Buffer)[] = [];
    let offset = 0;
    const add = (from: StoredEntry, name: string, source: StoredEntry | Buffer) => {
      const [hash, , length, v8Length, v8Text] = from;
      const entry: StoredEntry = from.length === 7 ? [hash, offset, length, v8Length, v8Text, from[5], from[6]] : [hash, offset, length, v8Length, v8Text];
      entries[name] = entry;
      stored.set(name, entry);
      sources.push(source);
      offset += length + v8Length;
    };
    // Reopened first when closed: `stored` is then the index of the file the codes are copied from.
    const old = this.#fdOf(folder);
    for (const [name, entry] of folder.stored) {
      if (present.has(name) && !folder.added.has(name) && old !== undefined) add(entry, name, entry);
    }
    for (const [name, entry] of folder.added) {
      const [, at, length, v8Length] = entry;
      if (present.has(name)) add(entry, name, this.#pending.subarray(at, at + length + v8Length));
    }
    const header = Buffer.from(`${FORMAT}\n${JSON.stringify({ transform: this.#transform, dir, entries } satisfies Header)}\n`);
    const target = this.#fileOf(dir);
    let temp = '';
    let fd: number | undefined;
    try {
      [fd, temp] = openTempFile(target);
      const out = new BatchedWriter(fd);
      out.write(header);
      for (const source of sources) {
        if (Buffer.isBuffer(source)) {
          out.write(source);
        } else {
          const bytes = this.#read(folder, source);
          if (bytes === undefined) throw new Error('cache file unreadable');
          out.write(bytes);
        }
      }
      out.end();
      renameSync(temp, target);
    } catch {
      // Only a temp file it made is removed (a name it could not take is another's).
      if (fd !== undefined) {
        closeSync(fd);
        rmSync(temp, { force: true });
      }
      // The new entries are dropped (the pending buffer is reused): the cache only saves time.
      folder.added.clear();
      return 0;
    }
    // The file just written (the descriptor outlives the rename) is what the folder reads from now.
    if (folder.fd !== undefined) closeSync(folder.fd);
    folder.fd = fd;
    folder.closed = undefined;
    folder.dataStart = header.length;
    folder.stored = stored;
    folder.added.clear();
    this.#touch(folder);
    // Format 2's file of this folder, if any, is left over: remove it.
    rmSync(target.replace(/\.tc$/, '.json'), { force: true });
    return header.length + offset;
  }

  /**
   * A stored entry's code and V8 code cache, as bytes in the scratch buffer (valid until the next
   * read), or `undefined`.
   */
  #read(folder: Folder, [, offset, codeLength, v8Length]: StoredEntry): Buffer | undefined {
    // The caller made sure the file is open ({@link #fdOf}) BEFORE it took the entry from `stored`.
    if (folder.fd === undefined) return undefined;
    const length = codeLength + v8Length;
    if (this.#scratch.length < length) this.#scratch = Buffer.allocUnsafe(Math.max(length, 2 * this.#scratch.length));
    try {
      const read = readSync(folder.fd, this.#scratch, 0, length, folder.dataStart + offset);
      return read === length ? this.#scratch.subarray(0, length) : undefined;
    } catch {
      return undefined;
    }
  }

  #folder(dir: string): Folder | undefined {
    let folder = this.#folders.get(dir);
    if (folder !== undefined) return folder;
    if (!this.#checkRoot()) return undefined;
    folder = { dir, fd: undefined, closed: undefined, dataStart: 0, stored: new Map(), added: new Map() };
    this.#open(folder);
    this.#folders.set(dir, folder);
    return folder;
  }

  /**
   * The folder's open cache file (reopened when it was closed), made the most recently read; the
   * least recently read beyond {@link #maxOpenFiles} is closed. `undefined` when it has none.
   */
  #fdOf(folder: Folder): number | undefined {
    if (folder === this.#lastRead) return folder.fd;
    if (folder.fd === undefined && folder.closed !== undefined) this.#reopen(folder);
    if (folder.fd !== undefined) this.#touch(folder);
    return folder.fd;
  }

  /** Marks an open folder's file as the most recently read, closing the least recently read beyond the limit. */
  #touch(folder: Folder): void {
    this.#lastRead = folder;
    this.#openFolders.delete(folder);
    this.#openFolders.add(folder);
    for (const oldest of this.#openFolders) {
      if (this.#openFolders.size <= this.#maxOpenFiles) break;
      this.#close(oldest);
    }
  }

  /** Closes a folder's file, keeping its header lines to recognise it when reopened. */
  #close(folder: Folder): void {
    this.#openFolders.delete(folder);
    if (this.#lastRead === folder) this.#lastRead = undefined;
    const fd = folder.fd;
    if (fd === undefined) return;
    folder.fd = undefined;
    try {
      const header = Buffer.allocUnsafe(folder.dataStart);
      if (readSync(fd, header, 0, header.length, 0) !== header.length) throw new Error('short read');
      folder.closed = header;
    } catch {
      // Not to be recognised: its entries are missing from now on.
      folder.closed = undefined;
      folder.stored = new Map();
    }
    closeSync(fd);
  }

  /**
   * Reopens a closed folder's file. When its header lines differ from those it had when closed,
   * another process replaced it: its index is read again (the entries read before are gone). A
   * file that cannot be opened or read: its entries are missing.
   */
  #reopen(folder: Folder): void {
    const closed = folder.closed!;
    folder.closed = undefined;
    let fd: number | undefined;
    try {
      fd = openSync(this.#fileOf(folder.dir), 'r');
      const header = Buffer.allocUnsafe(closed.length);
      if (readSync(fd, header, 0, header.length, 0) === header.length && header.equals(closed)) {
        folder.fd = fd;
        return;
      }
    } catch {
      if (fd !== undefined) closeSync(fd);
      folder.stored = new Map();
      return;
    }
    closeSync(fd);
    folder.stored = new Map();
    this.#open(folder);
  }

  /** Opens the folder's cache file and reads its index; no file, or one not of this format and transform: none. */
  #open(folder: Folder): void {
    const dir = folder.dir;
    let fd: number | undefined;
    try {
      fd = openSync(this.#fileOf(dir), 'r');
      const size = fstatSync(fd).size;
      const { buffer, first, end } = readHeaderLines(fd, size);
      if (end < 0) throw new Error('no header');
      if (buffer.toString('utf8', 0, first) !== FORMAT) throw new Error('another format');
      const header = JSON.parse(buffer.toString('utf8', first + 1, end)) as Partial<Header>;
      if (header.transform !== this.#transform || header.dir !== dir || typeof header.entries !== 'object' || header.entries === null) {
        throw new Error('another transform or folder');
      }
      const dataStart = end + 1;
      for (const [name, entry] of Object.entries(header.entries as Record<string, unknown>)) {
        // A file edited by hand or by another tool: only well-formed entries are used.
        if (isStoredEntry(entry) && dataStart + entry[1] + entry[2] + entry[3] <= size) folder.stored.set(name, entry);
      }
      folder.fd = fd;
      folder.dataStart = dataStart;
    } catch {
      // No cache file yet, or one that does not parse: start empty (it is rewritten when used).
      if (fd !== undefined) closeSync(fd);
      return;
    }
    this.#touch(folder);
  }

  /**
   * The plan stored under `key` by {@link writePlan} (made by this transform), or `undefined`: none,
   * unreadable, or of another format, transform or key. Each chunk is read on its own (no buffer
   * of the whole file). Its text is not checked here: V8 checks the code cache's own checksum when
   * it is accepted; compiled from the text, the caller checks the text against `textHash` first
   * (hashing 1,000 revisions' text costs ~8 ms).
   */
  readPlan(key: string): CachedPlan | undefined {
    if (!this.#checkRoot()) return undefined;
    let fd: number | undefined;
    try {
      fd = openSync(this.#planFileOf(key), 'r');
      const size = fstatSync(fd).size;
      const { buffer, first, end } = readHeaderLines(fd, size);
      if (end < 0 || buffer.toString('utf8', 0, first) !== PLAN_FORMAT) return undefined;
      const header = JSON.parse(buffer.toString('utf8', first + 1, end)) as Partial<PlanHeader>;
      if (header.transform !== this.#transform || header.key !== key || !Array.isArray(header.chunks) || !header.chunks.every(isStoredChunk)) return undefined;
      let at = end + 1;
      if (at + header.chunks.reduce((n, c) => n + c.textLength + c.v8Length, 0) !== size) return undefined;
      const chunks: PlanChunk[] = [];
      for (const c of header.chunks) {
        const bytes = Buffer.allocUnsafe(c.textLength + c.v8Length);
        if (readSync(fd, bytes, 0, bytes.length, at) !== bytes.length) return undefined;
        at += bytes.length;
        // An ASCII text (a revision's usually is) is decoded as Latin-1: the same string, made by a copy.
        const text = bytes.toString(c.ascii ? 'latin1' : 'utf8', 0, c.textLength);
        chunks.push({ modules: c.modules, text, textHash: c.textHash, v8: c.v8Length > 0 ? bytes.subarray(c.textLength) : undefined });
      }
      return { chunks };
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Stores a plan's chunks under `key` (a file of its own in the cache folder, written
   * atomically), then removes the oldest plans' files beyond {@link MAX_PLANS}. Failures are
   * ignored: the cache only saves time.
   */
  writePlan(key: string, plan: CachedPlan): void {
    if (!this.#checkRoot()) return;
    const target = this.#planFileOf(key);
    const stored: StoredChunk[] = plan.chunks.map((c) => {
      const textLength = Buffer.byteLength(c.text);
      return { modules: c.modules, textLength, ascii: textLength === c.text.length, textHash: c.textHash, v8Length: c.v8?.length ?? 0 };
    });
    const header: PlanHeader = { transform: this.#transform, key, chunks: stored };
    let fd: number | undefined;
    let temp = '';
    try {
      [fd, temp] = openTempFile(target);
      const out = new BatchedWriter(fd);
      out.write(`${PLAN_FORMAT}\n${JSON.stringify(header)}\n`);
      for (const c of plan.chunks) {
        out.write(c.text);
        if (c.v8 !== undefined) out.write(c.v8);
      }
      out.end();
      closeSync(fd);
      fd = undefined;
      renameSync(temp, target);
    } catch {
      if (fd !== undefined) closeSync(fd);
      if (temp !== '') rmSync(temp, { force: true });
      return;
    }
    try {
      const plans = readdirSync(this.#root)
        .filter((name) => name.startsWith('plan-') && name.endsWith('.tcp'))
        .map((name) => ({ name, at: statSync(join(this.#root, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
        .sort((a, b) => b.at - a.at);
      for (const { name } of plans.slice(MAX_PLANS)) rmSync(join(this.#root, name), { force: true });
    } catch {
      /* left for the next write */
    }
  }

  #planFileOf(key: string): string {
    return join(this.#root, `plan-${key.replace(':', '-')}.tcp`);
  }

  #fileOf(dir: string): string {
    return join(this.#root, `${contentHash(dir).replace(':', '-')}.tc`);
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

function isStoredEntry(entry: unknown): entry is StoredEntry {
  return (
    Array.isArray(entry) &&
    (entry.length === 5 || entry.length === 7) &&
    typeof entry[0] === 'string' &&
    [entry[1], entry[2], entry[3]].every((n) => Number.isSafeInteger(n) && (n as number) >= 0) &&
    entry.slice(4).every((t) => typeof t === 'string')
  );
}

/**
 * A cache file's first two lines (its format, its JSON header), read in growing chunks until the
 * second newline: the bytes read, and where the first and second newlines are (`end` -1: none).
 */
function readHeaderLines(fd: number, size: number): { buffer: Buffer; first: number; end: number } {
  let buffer = Buffer.allocUnsafe(Math.min(size, 64 * 1024));
  let filled = 0;
  let first = -1;
  let end = -1;
  while (end < 0 && filled < size) {
    if (filled === buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(size, buffer.length * 2));
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
    }
    const read = readSync(fd, buffer, filled, buffer.length - filled, filled);
    if (read === 0) break;
    filled += read;
    first = buffer.subarray(0, filled).indexOf(10);
    end = first < 0 ? -1 : buffer.subarray(0, filled).indexOf(10, first + 1);
  }
  return { buffer, first, end };
}

/** Writes bytes and strings (as UTF-8) to a file in 64 KiB writes. */
class BatchedWriter {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(64 * 1024);
  #used = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(data: Buffer | string): void {
    const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (this.#used + length > this.#buffer.length) this.end();
    if (length > this.#buffer.length) {
      // writeSync may write less than asked: every byte, so later codes stay at their offsets.
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done);
      return;
    }
    if (typeof data === 'string') this.#buffer.write(data, this.#used);
    else data.copy(this.#buffer, this.#used);
    this.#used += length;
  }

  /** Writes what is buffered. */
  end(): void {
    let done = 0;
    while (done < this.#used) done += writeSync(this.#fd, this.#buffer, done, this.#used - done);
    this.#used = 0;
  }
}

/** Temp files written by this thread (their names: the target's, the pid and this count; see `#write`). */
let tempFiles = 0;

/**
 * A new temp file beside `target`, opened for writing: its descriptor and name. Of its own
 * (O_EXCL): worker threads share the process's pid and count their temp files from 1 each, so a
 * name can be another thread's file being written (or a crashed process's): opened with
 * truncation, both would write into one file, renamed in place as the other's, its index then
 * pointing at the other's codes.
 * @throws the open's error, or EEXIST after 100 names taken.
 */
function openTempFile(target: string): [fd: number, temp: string] {
  for (let attempt = 1; ; attempt++) {
    const temp = `${target}.${process.pid}-${++tempFiles}.tmp`;
    try {
      return [openSync(temp, 'wx+', 0o600), temp];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 100) throw error;
    }
  }
}

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
