import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { connectLimitHint, outOfFileDescriptors } from '../shared/connect-limit.js';
import { BindError, DatabaseNotFoundError, UrlError, type ConnectOptions, type Dialect, type DialectConnection, type DialectDriver } from '@multidb/core';
import type { Kysely } from 'kysely';
import { connectionKyselys } from '../shared/connection-kyselys.js';
import { projectKysely } from '../shared/project-kysely.js';
import { SqliteConnection } from './sqlite-connection.js';
import { sqliteDialect } from './sqlite-dialect.js';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteSession } from './sqlite-session.js';
import { parseSqliteUrl } from './sqlite-url.js';

/** Loads better-sqlite3 on first use, so importing this module loads no native driver. */
async function loadBetterSqlite3(): Promise<(file: string, options: BetterSqlite3.Options) => BetterSqlite3.Database> {
  const mod = await import('better-sqlite3');
  const Database = mod.default;
  return (file, options) => new Database(file, options);
}

/**
 * The SQLite driver: connects a bind through Kysely's SQLite dialect over one better-sqlite3
 * database (a single pinned connection). better-sqlite3 is imported only inside `connect`.
 *
 * `connect` takes the bind's URL (`sqlite:relative/path.db` against `baseDir`, creating missing
 * parent folders; `sqlite:~/path.db` in the home folder; `sqlite:///absolute/path.db`;
 * `sqlite::memory:`: see `parseSqliteUrl`), or an existing Kysely on a
 * SQLite database (custom tooling; it is not destroyed on close). Foreign keys are switched on.
 *
 * A file (and folders) that connecting creates is removed again by the connection's `discard()`
 * while it holds nothing (core calls it instead of `close()`: see `DialectConnection.discard`).
 *
 * With `create: false` (read-only commands: `current`, `status`, `history -i`) a missing file is
 * not created, nor its folder: `connect` throws a `DatabaseNotFoundError` (`[default] database
 * file /srv/app/.data/default.db does not exist`) and the caller treats the bind as at base.
 *
 * The file is read once at connect (`SELECT count(*) FROM sqlite_master`), so a file that is not
 * a database, or one another process keeps locked, fails here rather than at a later query.
 *
 * @throws {@link UrlError} (masked) for a bad URL or when neither `url` nor `kysely` is given;
 *   a `BindError` (code `'CONNECT'`) naming the bind and the file's path when its folder cannot
 *   be created or the file cannot be opened or read (`[default] cannot open /srv/app/x.db: file
 *   is not a database (…)`); `DatabaseNotFoundError` with `create: false` when the file is missing.
 * @example
 * ```ts
 * const connection = await sqliteDriver.connect({ bind: 'default', url: 'sqlite:.data/default.db', baseDir: '/srv/app' });
 * console.log(await connection.identity()); // '/srv/app/.data/default.db'
 * await connection.close();
 * ```
 */
export const sqliteDriver: DialectDriver = Object.freeze({
  dialect(_url?: string): Dialect {
    return sqliteDialect;
  },

  async connect(options: ConnectOptions): Promise<DialectConnection> {
    let db: Kysely<any> | (() => Kysely<any>);
    let plainDb: Kysely<any> | undefined;
    let destroy: (() => Promise<void>) | undefined;
    let ownsDb = false;
    let path: string | undefined;
    let session: SqliteSession | undefined;
    let created: { file: string; folder?: string; dev?: bigint; ino?: bigint } | undefined;
    if (options.kysely) {
      db = options.kysely;
    } else {
      if (!options.url) throw new UrlError(`Bind '${options.bind}' has neither a URL nor a Kysely instance.`, { bind: options.bind });
      const location = parseSqliteUrl(options.url, options.baseDir);
      path = location.kind === 'file' ? location.path : ':memory:';
      const create = options.create ?? true;
      if (!create && location.kind === 'file' && !existsSync(location.path)) {
        // Its identity, as `identity()` will name it once created: core refuses two binds on one file that does not exist yet.
        throw new DatabaseNotFoundError({ bind: options.bind, location: location.path, what: 'database file', identity: missingFileIdentity(location.path) });
      }
      const open = await loadBetterSqlite3();
      if (create && location.kind === 'file') {
        const folder = dirname(location.path);
        let madeFolder: string | undefined;
        try {
          madeFolder = mkdirSync(folder, { recursive: true });
        } catch (error) {
          throw openError(options.bind, path, error, `its folder ${folder} cannot be created`);
        }
        if (!existsSync(location.path)) created = { file: location.path, ...(madeFolder !== undefined ? { folder: madeFolder } : {}) };
      }
      let database;
      try {
        // fileMustExist: a file deleted since the check above is not recreated by a read.
        database = open(path, create ? {} : { fileMustExist: true });
      } catch (error) {
        throw openError(options.bind, path, error);
      }
      // The file this connection made (SQLite creates it as it opens): discard() removes only that one.
      if (created) {
        const made = statSync(created.file, { bigint: true, throwIfNoEntry: false });
        created = made ? { ...created, dev: made.dev, ino: made.ino } : undefined;
      }
      session = new SqliteSession(database);
      // The session's own dialect: it knows when Kysely is idle, so the connection's statements may
      // bypass it. User code's Kysely is the project's copy where it may be (see projectKysely),
      // made (and that copy loaded) when user code first reads the connection's `db`.
      const load = projectKysely(options.moduleAlias);
      const { database: sessionDatabase } = session;
      ({ db, plainDb, destroy } = connectionKyselys(session.kyselyDialect(), load && (() => {
        const own = load();
        return own && { Kysely: own.Kysely, dialect: new own.SqliteDialect({ database: sessionDatabase }) };
      })));
      ownsDb = true;
    }
    const connection = new SqliteConnection({
      bind: options.bind,
      db,
      ...(plainDb !== undefined ? { plainDb } : {}),
      ...(destroy !== undefined ? { destroy } : {}),
      ownsDb,
      open: loadBetterSqlite3,
      ...(path !== undefined ? { location: path } : {}),
      ...(session !== undefined ? { session } : {}),
      ...(options.namingConvention !== undefined ? { namingConvention: options.namingConvention } : {}),
      ...(created !== undefined ? { created } : {}),
      ...(options.versionTable !== undefined ? { versionTable: options.versionTable.name } : {}),
    });
    try {
      await connection.execute({ sql: 'PRAGMA foreign_keys = ON', parameters: [] });
      if (ownsDb) await connection.execute({ sql: 'SELECT count(*) FROM sqlite_master', parameters: [] });
    } catch (error) {
      if (destroy) await destroy();
      throw path === undefined ? error : openError(options.bind, path, error);
    }
    return connection;
  },
});

/** A `BindError` naming the bind and the file, with what SQLite's error means when it is a common one. */
function openError(bind: string, path: string, error: unknown, why?: string): BindError {
  const message = error instanceof Error ? error.message : String(error);
  return new BindError(
    { bind, action: 'connect', doing: 'open', location: path, reason: why ? `${why}: ${message}` : message, ...hintFor(error, path) },
    { cause: error },
  );
}

/**
 * What to do about a SQLite error met when opening or first reading a database file. Out of file
 * descriptors, SQLite says only that it cannot open the file: that is checked (by opening the
 * file's folder) before blaming the folder.
 */
function hintFor(error: unknown, path: string): { hint?: string } {
  const limit = connectLimitHint(error);
  if (limit !== undefined) return { hint: limit };
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (code.startsWith('SQLITE_NOTADB')) return { hint: "the file exists but is not a SQLite database: check the bind's URL" };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { hint: 'another connection holds a lock on it: try again once it has finished' };
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    const out = outOfFileDescriptors(dirname(path));
    if (out !== undefined) return { hint: connectLimitHint({ code: out })! };
    return { hint: 'check that its folder exists and can be written' };
  }
  if (code === 'EEXIST' || code === 'ENOTDIR') return { hint: 'a file is in the way of a folder of its path' };
  return {};
}

/**
 * The real path a SQLite file that does not exist yet will have (its `identity()` once created):
 * its nearest existing folder's real path (symbolic links resolved), then the rest of the path.
 */
function missingFileIdentity(file: string): string {
  const rest: string[] = [];
  let at = file;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return file;
      rest.push(basename(at));
      at = up;
    }
  }
}
