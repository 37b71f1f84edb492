import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheRoot, isPrivateCacheFolder } from './cache-folder.js';
import type { RevisionHeader } from './revision-script.js';

/**
 * Written into every cache file; a file of another format is ignored. Bump it whenever
 * `parseRevisionHeader` reads some text differently or an entry's layout changes.
 */
const FORMAT = 'multidb-header-cache-1';

/**
 * How much older than the listing a file's change must be for its header to be kept (ms). A
 * file's timestamps tick coarsely (a clock tick on Linux, 1 or 2 s on some file systems), so a
 * file rewritten with the same size just after it was read could show the same timestamps as
 * the version read. Only a file whose last change lies this far before the listing started is
 * cached: any later change then stamps it with a later time (git's "racily clean" rule).
 */
const RACY_MS = 2000;

/** What identifies a file's content without reading it: `fs.Stats` has these. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/**
 * One file's entry: its stamp, then either nothing (the file declares no header: not a revision)
 * or the header's six fields (`createDate` `null` when absent).
 */
type Entry =
  | readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number]
  | readonly [
      size: number,
      mtimeMs: number,
      ctimeMs: number,
      ino: number,
      revision: string,
      downRevisions: readonly string[],
      branchLabels: readonly string[],
      dependsOn: readonly string[],
      message: string,
      createDate: string | null,
    ];

interface CacheFile {
  readonly format: string;
  /** The versions folder whose files these are (a hash collision of two folders is then detected). */
  readonly dir: string;
  /** By `<branch>/<file name>`. */
  readonly entries: Record<string, Entry>;
}

/**
 * The script directory's on-disk cache of parsed revision headers: ONE file per `versions/`
 * folder, with each revision file's header and the stamp of the file it was read from (size,
 * modification and change times, inode). A header is used only while the file's stamp is
 * unchanged, so a file edited, replaced, renamed or added is read again, and one removed drops
 * out when the cache is next written. Checking a stamp costs one `stat` instead of an open, two
 * reads, a close and the header's parse.
 *
 * Where: next to the module loader's transform cache (`node_modules/.cache/multidb`, else the OS
 * temp folder's `multidb-cache-<uid>`, used only when private). A cache that cannot be read or
 * written is skipped silently: it only saves time. Written atomically (a temp file renamed), so
 * two processes never read half a file; the last writer wins.
 *
 * @internal
 */
export class HeaderCache {
  readonly #root: string;
  readonly #now: () => number;
  #usable: boolean | undefined;

  /**
   * @param root - the cache folder (default: see the class).
   * @param now - the clock (tests move it forward instead of waiting out {@link RACY_MS}).
   */
  constructor(root: string = defaultCacheRoot(), now: () => number = Date.now) {
    this.#root = root;
    this.#now = now;
  }

  /**
   * The cached headers of one versions folder, to be consulted for every file of one listing
   * (stamp each file before reading it), then saved. `undefined` when the cache folder cannot be
   * used.
   */
  open(versionsDirectory: string): HeaderIndex | undefined {
    this.#usable ??= isPrivateCacheFolder(this.#root);
    if (!this.#usable) return undefined;
    const file = join(this.#root, `headers-${createHash('sha1').update(versionsDirectory).digest('hex').slice(0, 20)}.json`);
    return new HeaderIndex(file, versionsDirectory, this.#now());
  }
}

/**
 * The headers of one versions folder during one listing (see {@link HeaderCache.open}).
 *
 * @internal
 */
export class HeaderIndex {
  readonly #file: string;
  readonly #dir: string;
  /** When the listing started: files changed later than {@link RACY_MS} before it are not kept. */
  readonly #since: number;
  /** Entries as read from the cache file. */
  readonly #old: Record<string, Entry>;
  /** Entries of the files seen in this listing. */
  readonly #seen = new Map<string, Entry>();
  #changed = false;

  constructor(file: string, dir: string, since: number) {
    this.#file = file;
    this.#dir = dir;
    this.#since = since;
    let old: Record<string, Entry> = {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.format === FORMAT && parsed.dir === dir && typeof parsed.entries === 'object' && parsed.entries !== null) old = parsed.entries;
    } catch {
      // No cache file yet, or one that does not parse: start empty.
    }
    this.#old = old;
  }

  /**
   * The header cached for `key` (`<branch>/<file name>`) while the file's stamp is `stamp`; `null`
   * when the file was found to declare no header; `undefined` when there is no such entry
   * (then read the file and {@link set} what it holds).
   */
  get(key: string, stamp: FileStamp): RevisionHeader | null | undefined {
    const entry = Object.hasOwn(this.#old, key) ? this.#old[key] : undefined;
    if (!Array.isArray(entry) || entry[0] !== stamp.size || entry[1] !== stamp.mtimeMs || entry[2] !== stamp.ctimeMs || entry[3] !== stamp.ino) {
      return undefined;
    }
    const header = entry.length === 4 ? null : headerOf(entry);
    if (header === undefined) return undefined; // an entry edited by hand
    this.#seen.set(key, entry);
    return header;
  }

  /** Remembers what the file `key`, stamped `stamp` before it was read, holds (`null`: no header). */
  set(key: string, stamp: FileStamp, header: RevisionHeader | null): void {
    if (stamp.ctimeMs >= this.#since - RACY_MS || stamp.mtimeMs >= this.#since - RACY_MS) return; // racy: read it again next time
    this.#changed = true;
    const { size, mtimeMs, ctimeMs, ino } = stamp;
    this.#seen.set(
      key,
      header === null
        ? [size, mtimeMs, ctimeMs, ino]
        : [size, mtimeMs, ctimeMs, ino, header.revision, header.downRevisions, header.branchLabels, header.dependsOn, header.message, header.createDate ?? null],
    );
  }

  /**
   * Writes the cache file when this listing has a new entry or lacks an old one; it then holds the
   * entries of exactly the files seen (a file changed too recently to be cached has none).
   */
  save(): void {
    if (!this.#changed && Object.keys(this.#old).length === this.#seen.size) return;
    const file: CacheFile = { format: FORMAT, dir: this.#dir, entries: Object.fromEntries(this.#seen) };
    const temp = `${this.#file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(file));
      renameSync(temp, this.#file);
    } catch {
      rmSync(temp, { force: true });
    }
  }
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** The header of a well-formed entry (its arrays frozen in place), else `undefined`. */
function headerOf(entry: readonly unknown[]): RevisionHeader | undefined {
  const [, , , , revision, downRevisions, branchLabels, dependsOn, message, createDate] = entry;
  if (
    entry.length !== 10 ||
    typeof revision !== 'string' ||
    !isStringArray(downRevisions) ||
    !isStringArray(branchLabels) ||
    !isStringArray(dependsOn) ||
    typeof message !== 'string' ||
    !(createDate === null || typeof createDate === 'string')
  ) {
    return undefined;
  }
  const header: { -readonly [K in keyof RevisionHeader]: RevisionHeader[K] } = {
    revision,
    downRevisions: Object.freeze(downRevisions),
    branchLabels: Object.freeze(branchLabels),
    dependsOn: Object.freeze(dependsOn),
    message,
  };
  if (createDate !== null) header.createDate = createDate;
  return header;
}
