import { access as accessCallback, constants as fsConstants, stat as statCallback } from 'node:fs';

/**
 * How a path is written: a `'file'` is written in place (its `w` bit); in a `'folder'` a file is
 * created (SQLite's `<file>-journal`), which takes its `w` and its `x` (search) bit.
 */
export type WriteKind = 'file' | 'folder';

/**
 * Why this process may not write `path` as `kind` says (`'EACCES'`, `'EPERM'` for an immutable
 * file, `'EROFS'`), or `undefined` when it may, as SQLite's own `open()` will find: with the
 * process's effective user and group. `access()` answers for the real ones; they are the same
 * unless the process changed its effective ids (`process.seteuid`, a set-user-ID launcher), and
 * then a real root would be told yes for a file the effective user cannot write. So, when they
 * differ, `access()` still tells a read-only mount or an immutable file, and the mode bits of
 * `stat()` are read for the effective ids (an ACL is not read then). Nothing is opened: closing a
 * descriptor of the database would drop this process's SQLite locks on it (POSIX locks are per
 * process).
 *
 * @param path - the file or folder.
 * @param kind - `'file'`: may it be written (`W_OK`, the `w` bit); `'folder'`: may a file be
 *   created in it (`W_OK | X_OK`, both bits of the class that applies).
 * @returns the error code that tells why not (`'ENOENT'` for a path that does not exist), or
 *   `undefined`.
 * @throws never.
 * @example
 * ```ts
 * await writeDenied('/srv/app/.data', 'folder'); // 'EACCES' for a folder of mode 0o600 (no x)
 * ```
 */
export function writeDenied(path: string, kind: WriteKind): Promise<string | undefined> {
  return new Promise((resolve) =>
    accessCallback(path, kind === 'folder' ? fsConstants.W_OK | fsConstants.X_OK : fsConstants.W_OK, (error) => {
      const code = error ? (error.code ?? error.message) : undefined;
      const ids = effectiveIds();
      if (ids === undefined || code === 'EROFS' || code === 'EPERM' || code === 'ENOENT') return resolve(code);
      statCallback(path, (statError, stats) => resolve(statError ? (statError.code ?? statError.message) : modeAllowsWrite(stats, ids, kind) ? undefined : 'EACCES'));
    }),
  );
}

/** The effective user, group and groups, when they differ from the real ones (else `undefined`: `access()` answers for them). */
function effectiveIds(): { readonly uid: number; readonly gids: readonly number[] } | undefined {
  if (!process.geteuid || !process.getegid || !process.getuid || !process.getgid) return undefined;
  const uid = process.geteuid();
  const gid = process.getegid();
  if (uid === process.getuid() && gid === process.getgid()) return undefined;
  return { uid, gids: [gid, ...(process.getgroups?.() ?? [])] };
}

/**
 * Whether a path's owner, group and mode let `ids` write it as `kind` says: the bits of the one
 * class that applies (owner, else group, else others), `w` for a file, `w` and `x` for a folder.
 * Root may write anything.
 *
 * @param stats - the path's `uid`, `gid` and `mode` (a `stat()` result).
 * @param ids - the user and every group the process has.
 * @param kind - see {@link WriteKind}.
 * @returns true when the bits allow it.
 * @example
 * ```ts
 * modeAllowsWrite({ uid: 65534, gid: 65534, mode: 0o40600 }, { uid: 65534, gids: [65534] }, 'folder'); // false: w without x
 * ```
 */
export function modeAllowsWrite(stats: { readonly uid: number; readonly gid: number; readonly mode: number }, ids: { readonly uid: number; readonly gids: readonly number[] }, kind: WriteKind): boolean {
  if (ids.uid === 0) return true;
  const shift = stats.uid === ids.uid ? 6 : ids.gids.includes(stats.gid) ? 3 : 0;
  const need = kind === 'folder' ? 0o3 : 0o2;
  return ((stats.mode >> shift) & need) === need;
}
