import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedSince, defaultCacheRoot, isPrivateCacheFolder, RACY_MS } from './cache-folder.js';
import { contentHash } from './transform-cache.js';
import type { RevisionHeader, RevisionScript } from './revision-script.js';

/**
 * Written into every cache file; a file of another format is ignored. Bump it whenever
 * `parseRevisionHeader` reads some text differently or an entry's layout changes.
 */
const FORMAT = 'multidb-header-cache-4';

/** What identifies a file's content without reading it: `fs.Stats` has these. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/**
 * One file's entry: its name and stamp, then either nothing (the file declares no header: not a
 * revision) or the header's six fields (`createDate` `null` when absent).
 */
type Entry =
  | readonly [name: string, size: number, mtimeMs: number, ctimeMs: number, ino: number]
  | readonly [
      name: string,
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
  /** The versions folder whose files these are (a collision of two folders' file names is then detected). */
  readonly dir: string;
  /**
   * By branch (folder under `versions/`): its entries in the listing's order (file names sorted),
   * so a listing finds each file's entry by walking the list alongside, without a look-up by name.
   */
  readonly branches: Record<string, readonly Entry[]>;
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
    return new HeaderIndex(join(this.#root, `headers-${contentHash(versionsDirectory).replace(':', '-')}.json`), versionsDirectory, this.#now());
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
  /** Entries as read from the cache file, by branch (lists of unchecked shape). */
  readonly #old: Record<string, unknown>;
  /** How many files {@link get} served. */
  #hits = 0;
  /** `<branch>/<name>` of the files {@link get} did not serve (their old entry, if any, is stale). */
  readonly #missed = new Set<string>();
  /** Entries {@link set} made, by branch. */
  readonly #fresh = new Map<string, Map<string, Entry>>();
  /** Where {@link get} walks: the branch, its old entries, the position reached. */
  #walk: EntryWalk = new EntryWalk([]);
  #walkBranch: string | undefined;

  constructor(file: string, dir: string, since: number) {
    this.#file = file;
    this.#dir = dir;
    this.#since = since;
    let old: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (parsed.format === FORMAT && parsed.dir === dir && isRecord(parsed.branches)) old = parsed.branches;
    } catch {
      // No cache file yet, or one that does not parse: start empty.
    }
    this.#old = old;
  }

  /**
   * The revision script of the file `name` in `branch` (at `path`) as cached while the file's stamp
   * is `stamp`, frozen; `null` when the file was found to declare no header; `undefined` when
   * there is no such entry (then read the file and {@link set} what it holds). Look files up in
   * the listing's order (branch by branch, names sorted): each is then found without a search.
   */
  get(branch: string, name: string, path: string, stamp: FileStamp): RevisionScript | null | undefined {
    if (branch !== this.#walkBranch) {
      this.#walkBranch = branch;
      this.#walk = new EntryWalk(this.#branchEntries(branch));
    }
    const entry = this.#walk.find(name);
    const script =
      entry === undefined || entry[1] !== stamp.size || entry[2] !== stamp.mtimeMs || entry[3] !== stamp.ctimeMs || entry[4] !== stamp.ino
        ? undefined
        : entry.length === 5
          ? null
          : scriptOf(entry, branch, path); // undefined for an entry edited by hand
    if (script === undefined) this.#missed.add(`${branch}/${name}`);
    else this.#hits++;
    return script;
  }

  /** Remembers what the file `name` of `branch`, stamped `stamp` before it was read, holds (`null`: no header). */
  set(branch: string, name: string, stamp: FileStamp, header: RevisionHeader | null): void {
    if (changedSince(stamp, this.#since - RACY_MS)) return; // racy: read it again next time
    const { size, mtimeMs, ctimeMs, ino } = stamp;
    let files = this.#fresh.get(branch);
    if (files === undefined) this.#fresh.set(branch, (files = new Map()));
    files.set(
      name,
      header === null
        ? [name, size, mtimeMs, ctimeMs, ino]
        : [name, size, mtimeMs, ctimeMs, ino, header.revision, header.downRevisions, header.branchLabels, header.dependsOn, header.message, header.createDate ?? null],
    );
  }

  #branchEntries(branch: string): readonly unknown[] {
    const list = Object.hasOwn(this.#old, branch) ? this.#old[branch] : undefined;
    return Array.isArray(list) ? list : [];
  }

  /**
   * Writes the cache file when this listing made a new entry or left an old one unused (a file
   * changed or removed); it then holds the entries of exactly the files listed (a file changed
   * too recently to be cached has none).
   *
   * @param listing - every file of the listing, by branch, names sorted: each was looked up with {@link get}.
   */
  save(listing: readonly { readonly branch: string; readonly names: readonly string[] }[]): void {
    let old = 0;
    for (const branch of Object.keys(this.#old)) old += this.#branchEntries(branch).length;
    if (this.#fresh.size === 0 && old === this.#hits) return;
    const branches: Record<string, Entry[]> = {};
    for (const { branch, names } of listing) {
      const fresh = this.#fresh.get(branch);
      const walk = new EntryWalk(this.#branchEntries(branch));
      const entries: Entry[] = [];
      for (const name of names) {
        const oldEntry = walk.find(name);
        const entry = fresh?.get(name) ?? (this.#missed.has(`${branch}/${name}`) ? undefined : oldEntry);
        if (entry !== undefined) entries.push(entry);
      }
      branches[branch] = entries;
    }
    const file: CacheFile = { format: FORMAT, dir: this.#dir, branches };
    const temp = `${this.#file}.${process.pid}-${Date.now()}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(file));
      renameSync(temp, this.#file);
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // cannot be removed either (a folder this process cannot search): nothing was written there
      }
    }
  }
}

/**
 * Finds entries in a list sorted by name, for names asked in increasing order: a merge of the
 * two sorted lists. An entry out of order or of another shape is passed over (its file is then
 * read), never mistaken for another file's.
 */
class EntryWalk {
  readonly #list: readonly unknown[];
  #at = 0;

  constructor(list: readonly unknown[]) {
    this.#list = list;
  }

  find(name: string): Entry | undefined {
    const list = this.#list;
    while (this.#at < list.length) {
      const entry = list[this.#at];
      const key = Array.isArray(entry) && typeof entry[0] === 'string' ? (entry[0] as string) : undefined;
      if (key !== undefined && key > name) return undefined;
      this.#at++;
      if (key === name) return entry as Entry;
    }
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** The script of a well-formed entry (its arrays frozen in place), else `undefined`. */
function scriptOf(entry: readonly unknown[], branch: string, path: string): RevisionScript | undefined {
  const [, , , , , revision, downRevisions, branchLabels, dependsOn, message, createDate] = entry;
  if (
    entry.length !== 11 ||
    typeof revision !== 'string' ||
    !isStringArray(downRevisions) ||
    !isStringArray(branchLabels) ||
    !isStringArray(dependsOn) ||
    typeof message !== 'string' ||
    !(createDate === null || typeof createDate === 'string')
  ) {
    return undefined;
  }
  Object.freeze(downRevisions);
  Object.freeze(branchLabels);
  Object.freeze(dependsOn);
  // The fields in the order a script read from its file has them (createDate after message).
  return Object.freeze(
    createDate === null
      ? { revision, downRevisions, branchLabels, dependsOn, message, branch, path }
      : { revision, downRevisions, branchLabels, dependsOn, message, createDate, branch, path },
  );
}
