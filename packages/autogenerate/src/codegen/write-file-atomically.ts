import { randomBytes } from 'node:crypto';
import { chmod, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's text all at once, so that nobody (a `tsc` run, an editor, a watcher) ever
 * reads it half written, and a write that fails or is interrupted (a full disk, a file size limit,
 * Ctrl-C) leaves the file as it was: `text` goes to a temporary file in the same folder
 * (`.<name>.<pid>-<random>.tmp`, which no `*.ts` pattern takes), flushed to disk, then renamed over
 * the file. An existing file keeps its mode (permission bits); a new one gets the default mode, as
 * `writeFile` gives it. A symbolic link is followed: the file it points at is replaced, the link
 * stays (a link to nothing is replaced by the file). When anything fails, the temporary file is removed and the error is thrown as it came.
 * The folder must exist and be writable.
 * @param file - the file to write (absolute, or relative to the working directory).
 * @param text - its new text, written as UTF-8.
 * @throws the file system's error (`EACCES`, `ENOSPC`, `EFBIG`, …); the file is then unchanged.
 * @example
 * ```ts
 * await writeFileAtomically('/srv/app/src/db/db2-types.ts', 'export interface DB {}\n');
 * ```
 * @internal codegen's.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const target = await realpath(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return file; // a new file
    throw error;
  });
  const mode = await stat(target).then(
    (s) => s.mode & 0o7777,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, 'wx', mode ?? 0o666);
    created = true;
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync(); // on disk before the rename makes it the file
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(temp, mode); // the umask narrowed the mode it was created with
    await rename(temp, target);
  } catch (error) {
    if (created) await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
