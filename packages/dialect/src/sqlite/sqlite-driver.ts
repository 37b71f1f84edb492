import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskDatabaseUrl, UrlError, type ConnectOptions, type Dialect, type DialectConnection, type DialectDriver } from '@multidb/core';
import { Kysely, SqliteDialect as KyselySqliteDialect } from 'kysely';
import { SqliteConnection } from './sqlite-connection.js';
import { sqliteDialect } from './sqlite-dialect.js';
import type { OpenDatabase } from './sqlite-lock.js';
import { parseSqliteUrl } from './sqlite-url.js';

/** Loads better-sqlite3 on first use, so importing this module loads no native driver. */
async function loadBetterSqlite3(): Promise<OpenDatabase> {
  const mod = await import('better-sqlite3');
  const Database = mod.default;
  return (file, options) => new Database(file, options);
}

/**
 * The SQLite driver: connects a bind through Kysely's SQLite dialect over one better-sqlite3
 * database (a single pinned connection). better-sqlite3 is imported only inside `connect`.
 *
 * `connect` takes the bind's URL (`sqlite:relative/path.db` against `baseDir`, creating missing
 * parent folders; `sqlite:///absolute/path.db`; `sqlite::memory:`), or an existing Kysely on a
 * SQLite database (custom tooling; it is not destroyed on close). Foreign keys are switched on.
 *
 * @throws {@link UrlError} (masked) for a bad URL or when neither `url` nor `kysely` is given;
 *   the driver's error when the file cannot be opened.
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
    let db: Kysely<any>;
    let ownsDb = false;
    if (options.kysely) {
      db = options.kysely;
    } else {
      if (!options.url) throw new UrlError(`Bind '${options.bind}' has neither a URL nor a Kysely instance.`);
      const location = parseSqliteUrl(options.url, options.baseDir);
      const open = await loadBetterSqlite3();
      let database;
      try {
        if (location.kind === 'file') mkdirSync(dirname(location.path), { recursive: true });
        database = open(location.kind === 'file' ? location.path : ':memory:', {});
      } catch (error) {
        throw new Error(`[${options.bind}] cannot open ${maskDatabaseUrl(options.url)}: ${(error as Error).message}`, { cause: error });
      }
      db = new Kysely<any>({ dialect: new KyselySqliteDialect({ database }) });
      ownsDb = true;
    }
    const connection = new SqliteConnection({ bind: options.bind, db, ownsDb, open: loadBetterSqlite3 });
    try {
      await connection.execute({ sql: 'PRAGMA foreign_keys = ON', parameters: [] });
    } catch (error) {
      if (ownsDb) await db.destroy();
      throw error;
    }
    return connection;
  },
});
