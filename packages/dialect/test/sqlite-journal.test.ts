// A SQLite database multidb opened keeps its rollback journal file between the run's transactions
// (`journal_mode = PERSIST` on its own connection) instead of creating and deleting
// `<file>-journal` for every revision, and switches back to SQLite's default (`DELETE`) when it
// closes, which removes the file. Other connections keep their own mode; a WAL database, a mode a
// revision set, an in-memory database and a Kysely the bind was given are left as they are.
// Real files; the journal's presence and header are read off the disk.
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { sqliteDriver } from '../src/sqlite/sqlite-driver.js';
import { SQLITE } from './support/dialects.js';

SQLITE.describeOnDatabase('SQLite journal between transactions', () => {
  const database = SQLITE.useDatabase('journal');
  const mode = async (conn: Awaited<ReturnType<typeof database.connect>>) => String((await conn.execute({ sql: 'PRAGMA main.journal_mode', parameters: [] }))[0]!.journal_mode);
  const journal = () => `${database.name}-journal`;
  const createTable = (name: string) => ({ sql: `CREATE TABLE "${name}" ("a" int)`, parameters: [] });
  /** One transaction of the connection, creating table t1, committed. */
  const commitTable = async (conn: Awaited<ReturnType<typeof database.connect>>) => {
    await conn.begin();
    await conn.execute(createTable('t1'));
    await conn.commit();
  };
  /** The journal mode a new connection of its own reads: WAL is the file's; a rollback mode reads `delete`. */
  const fileMode = () => {
    const db = new Database(database.name);
    try {
      return db.pragma('journal_mode', { simple: true });
    } finally {
      db.close();
    }
  };

  it('keeps the journal file between transactions, its header zeroed after COMMIT, and removes it at close', async () => {
    const conn = await database.connect();
    expect(await mode(conn)).toBe('delete');
    await commitTable(conn);
    expect(await mode(conn)).toBe('persist');
    // Kept, and read as no journal by any other connection: its header is zeroes.
    expect(existsSync(journal())).toBe(true);
    expect(readFileSync(journal()).subarray(0, 28).every((byte) => byte === 0)).toBe(true);
    const other = new Database(database.name);
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(other.prepare(`SELECT name FROM sqlite_master WHERE name = 't1'`).all()).toEqual([{ name: 't1' }]);
    } finally {
      other.close();
    }
    // The next transaction reuses it; a rollback keeps it too.
    await conn.begin();
    await conn.execute(createTable('t2'));
    await conn.rollback();
    expect(existsSync(journal())).toBe(true);
    await conn.close();
    expect(existsSync(journal())).toBe(false);
    const after = new Database(database.name);
    try {
      expect(after.prepare(`SELECT name FROM sqlite_master ORDER BY name`).all()).toEqual([{ name: 't1' }]);
    } finally {
      after.close();
    }
  });

  it('leaves a WAL database in WAL', async () => {
    const setup = new Database(database.name);
    setup.pragma('journal_mode = WAL');
    setup.close();
    const conn = await database.connect();
    await commitTable(conn);
    expect(await mode(conn)).toBe('wal');
    await conn.close();
    expect(fileMode()).toBe('wal');
  });

  it('leaves WAL that a statement outside a transaction set during the run (a revision with transaction = false)', async () => {
    const conn = await database.connect();
    await commitTable(conn);
    await conn.execute({ sql: 'PRAGMA journal_mode = WAL', parameters: [] });
    await conn.close();
    expect(fileMode()).toBe('wal');
  });

  it('leaves a journal mode set before the first transaction (an onConnect hook\'s) as it is', async () => {
    const conn = await database.connect();
    await conn.execute({ sql: 'PRAGMA journal_mode = TRUNCATE', parameters: [] });
    await commitTable(conn);
    expect(await mode(conn)).toBe('truncate');
    await conn.close();
    // TRUNCATE keeps a zero-length file: this connection's choice, not switched back.
    expect(existsSync(journal())).toBe(true);
  });

  it('does not touch the journal mode of a Kysely the bind was given', async () => {
    const raw = new Database(database.name);
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    try {
      const conn = await sqliteDriver.connect({ bind: 'test', kysely, baseDir: '/' });
      await commitTable(conn);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(existsSync(journal())).toBe(false);
      await conn.close();
    } finally {
      await kysely.destroy();
    }
  });

  it('leaves an in-memory database\'s mode as it is', async () => {
    const conn = await SQLITE.connect('sqlite::memory:');
    await commitTable(conn);
    expect(await mode(conn)).toBe('memory');
  });
});
