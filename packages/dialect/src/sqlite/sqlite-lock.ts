import { type LockTimeoutError, type LockOptions } from '@multidb/core';
import { basename, dirname, join } from 'node:path';
import { pollLock } from '../shared/poll-lock.js';
import { connectLimitHint, outOfFileDescriptors } from '../shared/connect-limit.js';

/**
 * What the lock uses of a better-sqlite3 `Database`. Structural, as Kysely types its drivers: the
 * package's declarations then need no driver types (better-sqlite3 is an optional peer, and its
 * types a separate `@types` package an app with only PostgreSQL binds does not have).
 */
export interface LockDatabase {
  /** Runs SQL without results (`BEGIN EXCLUSIVE`, `ROLLBACK`). */
  exec(sql: string): unknown;
  /** Closes the connection. */
  close(): unknown;
}

/** Opens a better-sqlite3 database (the driver module, loaded by the caller): `new Database(file, options)`. */
export type OpenDatabase = (file: string, options: { readonly timeout: number }) => LockDatabase;

/**
 * The migration lock of one SQLite database (DESIGN §7): a sibling lock file, e.g.
 * `app.db-multidb-<name>.lock`, held by an exclusive transaction (`BEGIN EXCLUSIVE`) on a
 * connection of its own. It works across processes, leaves the database itself free for the
 * run's own transactions, and the operating system releases it when the holding process dies.
 * Waiting polls with `setTimeout` (busy timeout 0), so the event loop is never blocked.
 * The lock file is left in place after release (deleting it would race with a waiting process).
 *
 * @example
 * ```ts
 * const lock = new SqliteLock('/srv/app/.data/db2.db', 'multidb_version', (file) => new Database(file), 'db2');
 * await lock.acquire({ name: 'multidb_version', timeoutMs: 30_000, onWait: () => console.error('waiting for the migration lock on db2') });
 * try {
 *   // run the plan
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export class SqliteLock {
  /** The lock file's path. */
  readonly file: string;
  readonly #open: OpenDatabase;
  readonly #bind: string;
  #db: LockDatabase | undefined;
  #held = false;

  /**
   * @param databaseFile - absolute path of the database the lock protects.
   * @param name - lock name (unique per bind and version table); part of the lock file's name.
   * @param open - opens a better-sqlite3 database.
   * @param bind - bind name, for the timeout error.
   */
  constructor(databaseFile: string, name: string, open: OpenDatabase, bind: string) {
    this.file = lockFileFor(databaseFile, name);
    this.#open = open;
    this.#bind = bind;
  }

  /** Whether this object holds the lock. */
  get held(): boolean {
    return this.#held;
  }

  /**
   * Takes the lock, polling every `pollMs` (default 200) while another connection holds it.
   * Calls `onWait` once, when the lock is first found busy. Resolves at once when already held.
   * @throws {@link LockTimeoutError} (`code: 'LOCK_TIMEOUT'`) after `timeoutMs`; an `Error`
   *   naming the lock file's path when it cannot be opened, or locked other than because another
   *   connection holds it (a full disk: its transaction writes `<lock file>-journal`); core adds the bind.
   */
  async acquire(options: LockOptions): Promise<void> {
    if (this.#held) return;
    let db: LockDatabase;
    try {
      db = this.#db ??= this.#open(this.file, { timeout: 0 });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Out of file descriptors, SQLite says only that it cannot open the file.
      const out = outOfFileDescriptors(dirname(this.file));
      const hint = out !== undefined ? connectLimitHint({ code: out })! : `check that ${dirname(this.file)} is a folder that can be written, and that nothing else is at that path`;
      throw new Error(`cannot open its lock file ${this.file}: ${reason} (${hint})`, {
        cause: error,
      });
    }
    try {
      await pollLock(() => {
        try {
          db.exec('BEGIN EXCLUSIVE');
          return (this.#held = true);
        } catch (error) {
          if (isBusy(error)) return false;
          throw this.#lockError(error);
        }
      }, this.#bind, options);
    } catch (error) {
      this.#close();
      throw error;
    }
  }


  /**
   * The error of a `BEGIN EXCLUSIVE` that failed other than on a lock held elsewhere, naming the
   * lock file; on a full disk or a failed write (its transaction writes `<lock file>-journal`),
   * saying what to do.
   */
  #lockError(error: unknown): Error {
    const reason = error instanceof Error ? error.message : String(error);
    const code = String((error as { code?: unknown } | null)?.code ?? '');
    const hint = code.startsWith('SQLITE_FULL')
      ? ` (the disk that holds ${dirname(this.file)} is full: free space on it, or point the bind's URL at another disk)`
      : code.startsWith('SQLITE_IOERR')
        ? ` (writing ${this.file}-journal failed: check the disk that holds ${dirname(this.file)})`
        : '';
    return new Error(`its lock file ${this.file} cannot be locked: ${reason}${hint}`, { cause: error });
  }

  /** Releases the lock (rolls back its transaction and closes its connection). Never throws. */
  async release(): Promise<void> {
    if (this.#held) {
      try {
        this.#db?.exec('ROLLBACK');
      } catch {
        // closing releases the lock as well
      }
    }
    this.#held = false;
    this.#close();
  }

  #close(): void {
    try {
      this.#db?.close();
    } catch {
      // already closed
    }
    this.#db = undefined;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * The longest lock file name: 255 bytes, the most one path component may have (ext4, APFS; NTFS's
 * 255 UTF-16 units hold more), less the `-journal` SQLite adds for the lock's own transaction.
 */
const MAX_FILE_NAME_BYTES = 255 - '-journal'.length;

/**
 * The lock file of a database and lock name: `<database>-multidb-<name>.lock`, with characters
 * other than letters, digits, `_`, `.` and `-` replaced and a hash added when the name had any.
 * When that file name (with the `-journal` SQLite adds to it) would be longer than 255 bytes (a
 * database file of a long name, as 70 Japanese characters are 210 bytes), the database's name in
 * it is cut at whole characters and a hash of the whole name added, so that the lock of a database
 * file of any name that can exist can be taken.
 * @example
 * ```ts
 * lockFileFor('/srv/app/app.db', 'multidb_version'); // '/srv/app/app.db-multidb-multidb_version.lock'
 * ```
 */
export function lockFileFor(databaseFile: string, name: string): string {
  let slug = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 48);
  if (slug !== name) slug = `${slug}-${fnv1a(name)}`;
  const file = `${databaseFile}-multidb-${slug}.lock`;
  const database = basename(databaseFile);
  const tail = `-multidb-${slug}.lock`;
  if (Buffer.byteLength(database + tail) <= MAX_FILE_NAME_BYTES) return file;
  const hashed = `-${fnv1a(database)}${tail}`;
  return join(dirname(databaseFile), `${utf8Prefix(database, MAX_FILE_NAME_BYTES - Buffer.byteLength(hashed))}${hashed}`);
}

/** The longest start of a text, in whole characters, of at most `max` UTF-8 bytes. */
function utf8Prefix(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
