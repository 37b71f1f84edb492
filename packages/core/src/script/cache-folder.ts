import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where multidb keeps its on-disk caches (transpiled revisions, parsed revision headers):
 * `<cwd>/node_modules/.cache/multidb` when the project has a `node_modules` folder, else
 * `multidb-cache-<uid>` in the OS temp folder, `<uid>` the effective user's (who makes the files).
 *
 * @internal
 */
export function defaultCacheRoot(): string {
  const modules = join(process.cwd(), 'node_modules');
  if (existsSync(modules)) return join(modules, '.cache', 'multidb');
  return join(tmpdir(), `multidb-cache-${effectiveUid() ?? 'user'}`);
}

/** The process's effective user id (the owner of the files it makes), `undefined` where there is none (Windows). */
function effectiveUid(): number | undefined {
  return process.geteuid?.() ?? process.getuid?.();
}

/**
 * Makes the cache folder `root` (private) when missing, and says whether it may be used: a folder
 * of this user's that no one else may write. In a shared temp folder, another user's folder (or
 * one others may write) could plant entries; `false` then, or when it cannot be made.
 *
 * @internal
 */
export function isPrivateCacheFolder(root: string): boolean {
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const stat = lstatSync(root);
    const uid = effectiveUid();
    return stat.isDirectory() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0));
  } catch {
    return false;
  }
}

/**
 * How much older than a cache's reading of a file the file's last change must be for what was
 * read to be kept (ms). A file's timestamps tick coarsely (a clock tick on Linux, 1 or 2 s on
 * some file systems), so a file rewritten with the same size just after it was read could show
 * the same timestamps as the version read. Only a file whose last change lies this far before the
 * read is cached: any later change then stamps it with a later time (git's "racily clean" rule).
 *
 * @internal
 */
export const RACY_MS = 2000;

/**
 * Whether a file stamped `stamp` (its `fs.Stats`' `ctimeMs` and `mtimeMs`) changed at or after
 * `since` (ms since the epoch): with `since` {@link RACY_MS} before a read, whether what was read
 * must not be cached.
 *
 * Told by the change time, which the system sets to its clock at every write (and at `touch` or
 * `utimes`), and which nothing sets to another time: a file whose modification time lies in the
 * future (extracted from an archive made on a machine whose clock ran ahead) is cached once its
 * change time is old enough, as any other. Where a file system keeps no change time (0), the
 * modification time tells.
 *
 * @internal
 */
export function changedSince(stamp: { readonly ctimeMs: number; readonly mtimeMs: number }, since: number): boolean {
  return (stamp.ctimeMs > 0 ? stamp.ctimeMs : stamp.mtimeMs) >= since;
}
